"""Export a project (or part of it) to REFI-QDA ``.qdpx``, and its codebook to ``.qdc``.

Documents are read and written one at a time inside one read transaction, so the export is
a consistent snapshot and memory holds one document's codings at a time. The file is
written under a temporary name and renamed into place, so a failed or cancelled export
never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from annotator import __version__
from annotator.domain.codebook import subtree_ids
from annotator.domain.errors import AnnotatorError, ValidationError
from annotator.domain.model import Code, Coder, Document
from annotator.domain.source_names import shareable_source
from annotator.domain.structure import DocumentMetadata
from annotator.exchange.partial_files import clean_stale_partials, partial_path
from annotator.exchange.refi.model import DocumentSet, ProjectHeader, RefiLink, SourceExport
from annotator.exchange.refi.writer import WriteStats, write_qdc, write_qdpx
from annotator.services.exporting import check_output_path
from annotator.services.project import Project
from annotator.services.refi_fields import export_fields
from annotator.storage.mapping import aware, code_from_row, coder_from_row, coding_from_row
from annotator.storage.models import (
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentAttributeRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
    ProjectRow,
)

ORIGIN = f"annotator {__version__}"
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ExportCancelledError(AnnotatorError):
    """The user cancelled an export; no file was written."""


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    kind: str  # "project" or "codebook"
    documents: int = 0
    codes: int = 0
    coders: int = 0
    codings: int = 0
    sets: int = 0
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for a status bar or terminal."""
        if self.kind == "codebook":
            return f"Exported {self.codes} codes to {self.path.name}."
        return (
            f"Exported {self.documents} documents, {self.codings} codings, {self.codes} codes "
            f"and {self.coders} coders to {self.path.name}."
        )

    def lines(self) -> list[str]:
        """The summary followed by any warnings."""
        return [self.summary(), *(f"warning: {w}" for w in self.warnings)]


def _resolve(
    values: Collection[object] | None, names: dict[uuid.UUID, str], what: str
) -> set[uuid.UUID] | None:
    """Ids of ``values``: UUIDs, entities with an ``id``, id strings or names (casefolded)."""
    if values is None:
        return None
    by_name = {name.casefold(): id_ for id_, name in names.items()}
    out: set[uuid.UUID] = set()
    for value in values:
        found: uuid.UUID | None = None
        if isinstance(value, uuid.UUID):
            found = value
        elif isinstance(getattr(value, "id", None), uuid.UUID):
            found = value.id  # type: ignore[attr-defined]
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                found = uuid.UUID(value)
            if found is None or found not in names:
                found = by_name.get(value.strip().casefold(), found)
        if found is None or found not in names:
            raise ValidationError(f"There is no {what} '{value}' in this project.")
        out.add(found)
    return out


def _document(s: Session, row: DocumentRow) -> Document:
    attrs = s.execute(
        select(DocumentAttributeRow.key, DocumentAttributeRow.value).where(
            DocumentAttributeRow.document_id == row.id
        )
    ).all()
    meta = DocumentMetadata(
        title=row.title,
        author=row.author,
        publisher=row.publisher,
        date=row.date,
        source=shareable_source(row.source),  # no home-folder paths in a shared file
        attributes=dict(attrs),
    )
    return Document(
        id=row.id,
        title=row.title,
        text=row.text,
        sha256=row.sha256,
        metadata=meta,
        source_format=row.source_format,
        imported_at=aware(row.imported_at),
    )


@dataclass
class _Selection:
    coders: list[Coder]
    codes: list[Code]
    code_filter: set[uuid.UUID] | None
    coder_ids: set[uuid.UUID] | None
    doc_ids: list[uuid.UUID]


def _select(
    s: Session,
    coders: Collection[object] | None,
    documents: Collection[object] | None,
    codes: Collection[object] | None,
) -> _Selection:
    all_coders = [coder_from_row(r) for r in s.scalars(select(CoderRow)).all()]
    all_codes = [code_from_row(r) for r in s.scalars(select(CodeRow)).all()]
    docs = s.execute(
        select(DocumentRow.id, DocumentRow.title).order_by(DocumentRow.position, DocumentRow.title)
    ).all()
    coder_ids = _resolve(coders, {c.id: c.name for c in all_coders}, "coder")
    doc_filter = _resolve(documents, dict(docs), "document")
    by_id = {c.id: c for c in all_codes}
    paths = {c.id: _path(c, by_id) for c in all_codes}
    code_ids = _resolve(codes, {**{i: c.name for i, c in by_id.items()}, **paths}, "code")
    code_filter: set[uuid.UUID] | None = None
    kept_codes = all_codes
    if code_ids is not None:
        code_filter = {d for c in code_ids for d in subtree_ids(c, all_codes)}
        keep = set(code_filter)
        for cid in code_ids:  # ancestors too, so the hierarchy stays intact
            parent = by_id[cid].parent_id
            while parent is not None:
                keep.add(parent)
                parent = by_id[parent].parent_id
        kept_codes = [c for c in all_codes if c.id in keep]
    return _Selection(
        coders=[c for c in all_coders if coder_ids is None or c.id in coder_ids],
        codes=kept_codes,
        code_filter=code_filter,
        coder_ids=coder_ids,
        doc_ids=[d for d, _ in docs if doc_filter is None or d in doc_filter],
    )


def _path(code: Code, by_id: dict[uuid.UUID, Code]) -> str:
    parts = [code.name]
    parent = code.parent_id
    while parent is not None and parent in by_id:
        parts.append(by_id[parent].name)
        parent = by_id[parent].parent_id
    return "/".join(reversed(parts))


def _coding_query(sel: _Selection, doc_id: uuid.UUID | None = None) -> Select:
    stmt = select(CodingRow)
    if doc_id is not None:
        stmt = stmt.where(CodingRow.document_id == doc_id)
    if sel.coder_ids is not None:
        stmt = stmt.where(CodingRow.coder_id.in_(sel.coder_ids))
    if sel.code_filter is not None:
        stmt = stmt.where(CodingRow.code_id.in_(sel.code_filter))
    return stmt


def _sets(s: Session, doc_ids: set[uuid.UUID]) -> list[DocumentSet]:
    out = []
    for group in s.scalars(select(DocumentGroupRow).order_by(DocumentGroupRow.name)).all():
        members = s.scalars(
            select(DocumentGroupMemberRow.document_id).where(
                DocumentGroupMemberRow.group_id == group.id
            )
        ).all()
        kept = tuple(sorted((m for m in members if m in doc_ids), key=str))
        if kept:
            out.append(DocumentSet(group.id, group.name, group.description, kept))
    return out


def _temporary(path: Path) -> Path:
    check_output_path(path)
    clean_stale_partials(path.parent)
    return partial_path(path.parent)


def export_project(
    project: Project,
    path: Path | str,
    *,
    coders: Collection[object] | None = None,
    documents: Collection[object] | None = None,
    codes: Collection[object] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportSummary:
    """Export the project to a ``.qdpx`` at ``path``.

    ``coders``, ``documents`` and ``codes`` restrict the export (ids, entities, or names /
    titles / code paths); a code includes its sub-codes, and the codebook keeps the
    ancestors of the chosen codes. Raises :class:`ExportCancelledError` when cancelled.
    """
    path = Path(path)
    tmp = _temporary(path)
    try:
        with project.db.reader() as s:
            info = s.scalars(select(ProjectRow)).one()
            sel = _select(s, coders, documents, codes)
            doc_set = set(sel.doc_ids)
            latest = [aware(info.created_at)]
            if sel.doc_ids:
                stmt = _coding_query(sel).with_only_columns(func.max(CodingRow.modified_at))
                stmt = stmt.where(CodingRow.document_id.in_(sel.doc_ids))
                latest += [aware(t) for t in [s.scalar(stmt)] if t is not None]
                imported = s.scalar(
                    select(func.max(DocumentRow.imported_at)).where(DocumentRow.id.in_(sel.doc_ids))
                )
                latest += [aware(imported)] if imported is not None else []
            header = ProjectHeader(info.id, info.name, ORIGIN, aware(info.created_at), max(latest))
            variables = sorted(
                set(
                    s.scalars(
                        select(DocumentAttributeRow.key).where(
                            DocumentAttributeRow.document_id.in_(sel.doc_ids)
                        )
                    ).all()
                )
            )

            exported: set[uuid.UUID] = set()

            def links() -> list[RefiLink]:
                # After the sources: only links whose two codings were both exported.
                return [
                    RefiLink(lk.id, lk.link_type, lk.source_id, lk.target_id, lk.status)
                    for lk in project.links.all()
                    if lk.source_id in exported and lk.target_id in exported
                ]

            def sources() -> Iterator[SourceExport]:
                total = len(sel.doc_ids)
                for index, doc_id in enumerate(sel.doc_ids):
                    if cancelled is not None and cancelled():
                        raise ExportCancelledError("Export cancelled; no file was written.")
                    row = s.get(DocumentRow, doc_id)
                    assert row is not None
                    doc = _document(s, row)
                    stmt = _coding_query(sel, doc_id).order_by(
                        CodingRow.start, CodingRow.end, CodingRow.id
                    )
                    items = [coding_from_row(r) for r in s.scalars(stmt).all()]
                    exported.update(c.id for c in items)
                    s.expunge_all()  # keep one document's rows in memory at a time
                    yield SourceExport(doc, items)
                    if progress is not None:
                        progress(index + 1, total)

            stats = write_qdpx(
                tmp,
                header,
                sel.coders,
                sel.codes,
                variables,
                sources(),
                _sets(s, doc_set),
                links,
            )
            exported = set(
                s.scalars(
                    _coding_query(sel)
                    .with_only_columns(CodingRow.id)
                    .where(CodingRow.document_id.in_(sel.doc_ids))
                ).all()
            )
            export_fields(s, tmp, {c.id for c in sel.codes}, exported)  # our own member
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _summary(path, "project", stats)


def _summary(path: Path, kind: str, stats: WriteStats) -> ExportSummary:
    warnings: tuple[str, ...] = ()
    if stats.replaced_characters:
        warnings = (
            f"{stats.replaced_characters} control character(s) that XML cannot hold were "
            "replaced by U+FFFD in memos or descriptions.",
        )
    return ExportSummary(
        path, kind, stats.sources, stats.codes, stats.users, stats.codings, stats.sets, warnings
    )


def export_codebook(project: Project, path: Path | str) -> ExportSummary:
    """Export the codebook (hierarchy, colours and every field) to a ``.qdc`` file."""
    path = Path(path)
    codes = project.codebook.list()
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as out:
            stats = write_qdc(out, codes, ORIGIN)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _summary(path, "codebook", stats)
