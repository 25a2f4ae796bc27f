"""Open, create and describe projects; the facade the GUI and the CLI hold.

A :class:`Project` bundles the per-entity services over one open database. It never hands
out a Session: each service method is one transaction and returns plain objects.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from sqlalchemy import select

from annotator.domain.errors import ProjectFileError, ValidationError
from annotator.domain.fields import parse_value
from annotator.domain.model import Coding, ProjectInfo, new_id, utcnow
from annotator.domain.server import is_server_url
from annotator.services.cases import CaseService
from annotator.services.codebook import CodebookService
from annotator.services.coders import CoderService
from annotator.services.codings import CodingService
from annotator.services.documents import DocumentService
from annotator.services.fields import FieldService
from annotator.services.links import LinkService
from annotator.services.memos import MemoService
from annotator.services.retrieval import RetrievalService
from annotator.services.saved_queries import SavedQueryService
from annotator.services.starter import (
    sample_codings,
    sample_documents,
    starter_code_id,
    starter_codes,
    starter_fields,
)
from annotator.services.text_search import SearchService
from annotator.storage.database import PROJECT_SUFFIX, Database
from annotator.storage.mapping import aware
from annotator.storage.models import ProjectRow
from annotator.storage.postgres import ServerDatabase

# Longest project file name: SQLite adds "-wal" to it, and file systems allow 255 bytes.
MAX_NAME_BYTES = 251


class Project:
    """An open project and the services that act on it."""

    def __init__(self, db: Database | ServerDatabase) -> None:
        self.db = db
        self.documents = DocumentService(db)
        self.codebook = CodebookService(db)
        self.codings = CodingService(db)
        self.coders = CoderService(db)
        self.links = LinkService(db)
        self.fields = FieldService(db)
        self.cases = CaseService(db)  # document groups and attributes
        self.memos = MemoService(db)  # project and document memos, and all memos
        self.retrieval = RetrievalService(db)
        self.search = SearchService(db)
        self.saved_queries = SavedQueryService(db)

    @property
    def path(self) -> Path:
        """The project file."""
        return self.db.path

    @property
    def read_only(self) -> bool:
        """True when changes cannot be saved."""
        return self.db.read_only

    @classmethod
    def open(cls, path: Path | str, *, password: str | None = None) -> Project:
        """Open an existing project (migrating it after a backup if it is older).

        ``path`` may also be a team server's ``postgresql://`` URL; ``password`` is then
        the login's password when the URL has none (libpq may also find it itself).
        """
        if is_server_url(path):
            return cls(ServerDatabase.open(str(path), password=password))
        return cls(Database.open(path))

    @classmethod
    def create(cls, path: Path | str, *, name: str | None = None, starter: bool = True) -> Project:
        """Create a new project file, with the starter codebook unless ``starter`` is False.

        The file is built under a temporary name and renamed into place, so a failure never
        leaves a half-made project; an existing file is never overwritten. ``path`` may be
        a team server's URL: its (empty) database receives the schema and the project.
        """
        if is_server_url(path):
            return cls._create_on_server(str(path), name=name, starter=starter)
        path = Path(path).absolute()
        if len(os.fsencode(path.name)) > MAX_NAME_BYTES:
            raise ProjectFileError(
                path, f"the file name is too long (at most {MAX_NAME_BYTES} bytes)."
            )
        if not path.parent.is_dir():
            raise ProjectFileError(path, f"the folder {path.parent.name} does not exist.")
        if path.exists():
            raise ProjectFileError(path, "a file with this name already exists.")
        # A short temporary name: the project's own name may be as long as the file system
        # allows, and SQLite adds "-wal" to it.
        tmp = path.with_name(f".annotator-{uuid.uuid4().hex[:12]}.creating")
        db = Database.open(tmp, create=True)
        try:
            with db.transaction() as s:
                s.add(ProjectRow(id=new_id(), name=(name or path.stem)[:200], created_at=utcnow()))
            project = cls(db)
            if starter:
                for code in starter_codes():
                    project.codebook.add(code)
                for f in starter_fields():
                    project.fields.add_field(f)
        except BaseException:
            db.close()
            tmp.unlink(missing_ok=True)
            raise
        db.close()
        try:
            os.link(tmp, path)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise ProjectFileError(path, "a file with this name already exists.") from None
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return cls.open(path)

    @classmethod
    def _create_on_server(cls, url: str, *, name: str | None, starter: bool) -> Project:
        project = cls(ServerDatabase.open(url, create=True))
        try:
            with project.db.transaction() as s:
                if s.scalars(select(ProjectRow.id)).first() is not None:
                    raise ProjectFileError(
                        project.path, "a project already exists in this database; not changed."
                    )
                s.add(ProjectRow(id=new_id(), name=name or project.path.stem, created_at=utcnow()))
            if starter:
                for code in starter_codes():
                    project.codebook.add(code)
                for f in starter_fields():
                    project.fields.add_field(f)
        except BaseException:
            project.close()
            raise
        return project

    def info(self) -> ProjectInfo:
        """The project's identity."""
        with self.db.reader() as s:
            row = s.scalars(select(ProjectRow)).one()
            return ProjectInfo(
                id=row.id,
                name=row.name,
                path=str(self.path),
                read_only=self.read_only,
                created_at=aware(row.created_at),
            )

    def use_short_lock_waits(self, ms: int = 1500) -> None:
        """Wait at most ``ms`` for another program's write lock (for interactive use)."""
        self.db.set_busy_timeout(ms)

    def backup(self, dest: Path | str) -> Path:
        """Write a complete copy of the project to the new file ``dest`` while it stays open.

        Safe while this or another program is writing: the copy is one consistent state
        with every committed change. An existing file is never overwritten.
        """
        return self.db.backup(dest)

    def close(self) -> None:
        """Release the database."""
        self.db.close()


def default_project_path(folder: Path, name: str) -> Path:
    """``folder/name.annotator``."""
    return folder / f"{name}{PROJECT_SUFFIX}"


def create_sample_project(path: Path | str) -> Project:
    """Create the built-in sample project at ``path`` (documents, codebook, example codings)."""
    project = Project.create(path, name="Sample project: English localism and levelling up")
    try:
        doc_ids: list[uuid.UUID] = []
        for extracted in sample_documents():
            doc_id = project.documents.add(extracted)
            if doc_id is None:  # two identical sample texts would be a packaging error
                raise ValidationError(f"Duplicate sample text {extracted.original_name}.")
            doc_ids.append(doc_id)
        texts = {d: project.documents.get(d).text for d in doc_ids}
        for sample in sample_codings():
            coder = project.coders.ensure(sample.coder)
            doc_id = doc_ids[sample.document]
            start = -1
            for _ in range(sample.occurrence + 1):
                start = texts[doc_id].find(sample.quote, start + 1)
            if start < 0:
                raise ValidationError(f"Sample coding quote not found: {sample.quote[:40]}")
            coding = project.codings.add(
                Coding(
                    id=new_id(),
                    document_id=doc_id,
                    code_id=starter_code_id(sample.code_path),
                    coder_id=coder.id,
                    start=start,
                    end=start + len(sample.quote),
                    quote=sample.quote,
                    memo=sample.memo,
                )
            )
            _fill_sample_fields(project, coding, sample.fields or {})
    except BaseException:
        project.close()
        if not is_server_url(path):
            with contextlib.suppress(OSError):
                Path(path).unlink()
        raise
    return project


def _fill_sample_fields(project: Project, coding: Coding, values: dict[str, object]) -> None:
    """Store a sample coding's field values, given by field name and choice label."""
    fields = {f.name: f for f in project.fields.fields_for_code(coding.code_id)}
    for name, given in values.items():
        f = fields[name]
        text = "; ".join(given) if isinstance(given, list) else str(given)
        project.fields.set_value(coding.id, f.id, parse_value(f, text), coding.coder_id)


def open_or_create_sample(path: Path) -> Project:
    """Open the sample project, creating it first if it does not exist (never overwriting)."""
    if path.exists():
        return Project.open(path)
    return create_sample_project(path)


__all__ = [
    "PROJECT_SUFFIX",
    "Project",
    "create_sample_project",
    "default_project_path",
    "open_or_create_sample",
]
