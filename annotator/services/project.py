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
from annotator.domain.model import Coding, ProjectInfo, new_id, utcnow
from annotator.services.codebook import CodebookService
from annotator.services.coders import CoderService
from annotator.services.codings import CodingService
from annotator.services.documents import DocumentService
from annotator.services.retrieval import RetrievalService
from annotator.services.saved_queries import SavedQueryService
from annotator.services.starter import (
    sample_codings,
    sample_documents,
    starter_code_id,
    starter_codes,
)
from annotator.services.text_search import SearchService
from annotator.storage.database import PROJECT_SUFFIX, Database
from annotator.storage.mapping import aware
from annotator.storage.models import ProjectRow


class Project:
    """An open project and the services that act on it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.documents = DocumentService(db)
        self.codebook = CodebookService(db)
        self.codings = CodingService(db)
        self.coders = CoderService(db)
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
    def open(cls, path: Path | str) -> Project:
        """Open an existing project (migrating it after a backup if it is older)."""
        return cls(Database.open(path))

    @classmethod
    def create(cls, path: Path | str, *, name: str | None = None, starter: bool = True) -> Project:
        """Create a new project file, with the starter codebook unless ``starter`` is False.

        The file is built under a temporary name and renamed into place, so a failure never
        leaves a half-made project; an existing file is never overwritten.
        """
        path = Path(path).absolute()
        if path.exists():
            raise ProjectFileError(path, "a file with this name already exists.")
        tmp = path.with_name(f".{path.name}.creating")
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
        db = Database.open(tmp, create=True)
        try:
            with db.transaction() as s:
                s.add(ProjectRow(id=new_id(), name=name or path.stem, created_at=utcnow()))
            project = cls(db)
            if starter:
                for code in starter_codes():
                    project.codebook.add(code)
        finally:
            db.close()
        os.replace(tmp, path)
        return cls.open(path)

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

    def close(self) -> None:
        """Release the database."""
        self.db.close()


def default_project_path(folder: Path, name: str) -> Path:
    """``folder/name.annotator``."""
    return folder / f"{name}{PROJECT_SUFFIX}"


def create_sample_project(path: Path) -> Project:
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
            project.codings.add(
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
    except BaseException:
        project.close()
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return project


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
