"""Memos: the project memo and document memos, and one list of every memo in the project.

Code memos (on the codebook entry) and coding memos (on the coding) are edited where they
live; this service adds the project memo and a memo per document (table ``memo``, migration
0008) and gathers all four kinds for the Memos view and the memo exports. Every method is
one transaction. A read-only project of an older schema has no ``memo`` table; it reads as
having no project or document memos.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from annotator.domain.codebook_paths import code_paths
from annotator.domain.errors import NotFoundError
from annotator.domain.memos import MemoEntry, MemoKind
from annotator.domain.model import new_id, utcnow
from annotator.storage.database import Database
from annotator.storage.mapping import aware, code_from_row
from annotator.storage.models import (
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    MemoRow,
    ProjectRow,
)

PROJECT_SCOPE = "project"
DOCUMENT_SCOPE = "document"


def _has_memo_table(s: Session) -> bool:
    return inspect(s.connection()).has_table("memo")


def _row(s: Session, document_id: uuid.UUID | None) -> MemoRow | None:
    stmt = select(MemoRow)
    if document_id is None:
        stmt = stmt.where(MemoRow.scope == PROJECT_SCOPE)
    else:
        stmt = stmt.where(MemoRow.scope == DOCUMENT_SCOPE, MemoRow.document_id == document_id)
    return s.scalars(stmt.order_by(MemoRow.modified_at)).first()


class MemoService:
    """Project and document memos of one project, and the list of all memos."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def project_memo(self) -> str:
        """The project memo ("" when none was written)."""
        with self._db.reader() as s:
            row = _row(s, None) if _has_memo_table(s) else None
            return row.text if row else ""

    def document_memo(self, document_id: uuid.UUID) -> str:
        """A document's memo ("" when none was written)."""
        with self._db.reader() as s:
            row = _row(s, document_id) if _has_memo_table(s) else None
            return row.text if row else ""

    def set_project_memo(self, text: str) -> str:
        """Replace the project memo; return the previous text (for undo)."""
        return self._set(None, text)

    def set_document_memo(self, document_id: uuid.UUID, text: str) -> str:
        """Replace a document's memo; return the previous text (for undo)."""
        return self._set(document_id, text)

    def _set(self, document_id: uuid.UUID | None, text: str) -> str:
        with self._db.transaction() as s:
            if document_id is not None and s.get(DocumentRow, document_id) is None:
                raise NotFoundError(f"Document {document_id} is not in this project.")
            row = _row(s, document_id)
            before = row.text if row else ""
            if row is None:
                scope = PROJECT_SCOPE if document_id is None else DOCUMENT_SCOPE
                row = MemoRow(id=new_id(), scope=scope, document_id=document_id, text="")
                s.add(row)
            row.text = text
            row.modified_at = utcnow()
            return before

    def all(
        self,
        kinds: Collection[MemoKind] | None = None,
        search: str = "",
        document_ids: Collection[uuid.UUID] | None = None,
    ) -> list[MemoEntry]:
        """Every non-empty memo: project, documents (in list order), codes (in tree order
        by path), codings (by document and position); filtered by kind, documents (which
        keeps the project memo and code memos out) and a case-insensitive search."""
        with self._db.reader() as s:
            return read_memos(s, kinds, search, document_ids)


def read_memos(
    s: Session,
    kinds: Collection[MemoKind] | None = None,
    search: str = "",
    document_ids: Collection[uuid.UUID] | None = None,
) -> list[MemoEntry]:
    """:meth:`MemoService.all`, read in the caller's session (an export's snapshot)."""
    kinds = set(kinds) if kinds is not None else set(MemoKind)
    out: list[MemoEntry] = []
    titles = {
        r.id: (r.title, r.position)
        for r in s.execute(select(DocumentRow.id, DocumentRow.title, DocumentRow.position))
    }
    has_table = _has_memo_table(s)
    if MemoKind.PROJECT in kinds and has_table and document_ids is None:
        row = _row(s, None)
        project = s.execute(select(ProjectRow.id, ProjectRow.name)).first()
        if row and row.text.strip() and project:
            out.append(
                MemoEntry(
                    MemoKind.PROJECT,
                    project.id,
                    f"Project: {project.name}",
                    row.text,
                    modified_at=aware(row.modified_at),
                )
            )
    if MemoKind.DOCUMENT in kinds and has_table:
        rows = s.scalars(select(MemoRow).where(MemoRow.scope == DOCUMENT_SCOPE)).all()
        for row in sorted(rows, key=lambda r: titles.get(r.document_id, ("", 0))[1]):
            if not row.text.strip() or row.document_id not in titles:
                continue
            if document_ids is not None and row.document_id not in document_ids:
                continue
            title = titles[row.document_id][0]
            out.append(
                MemoEntry(
                    MemoKind.DOCUMENT,
                    row.document_id,
                    f"Document: {title}",
                    row.text,
                    document_id=row.document_id,
                    document_title=title,
                    modified_at=aware(row.modified_at),
                )
            )
    codes = [code_from_row(r) for r in s.scalars(select(CodeRow))]
    paths = code_paths(codes)
    if MemoKind.CODE in kinds and document_ids is None:
        for code in sorted(codes, key=lambda c: paths[c.id].casefold()):
            if code.memo.strip():
                out.append(
                    MemoEntry(
                        MemoKind.CODE,
                        code.id,
                        f"Code: {paths[code.id]}",
                        code.memo,
                        code_path=paths[code.id],
                    )
                )
    if MemoKind.CODING in kinds:
        out.extend(_coding_memos(s, titles, paths, document_ids))
    if search.strip():
        out = [m for m in out if m.matches(search.strip())]
    return out


def _coding_memos(
    s: Session,
    titles: dict[uuid.UUID, tuple[str, int]],
    paths: dict[uuid.UUID, str],
    document_ids: Collection[uuid.UUID] | None,
) -> list[MemoEntry]:
    c = CodingRow
    coders = dict(s.execute(select(CoderRow.id, CoderRow.name)).all())
    stmt = select(
        c.id, c.document_id, c.code_id, c.coder_id, c.start, c.quote, c.memo, c.modified_at
    ).where(c.memo != "")
    if document_ids is not None:
        stmt = stmt.where(c.document_id.in_(list(document_ids)))
    rows = [r for r in s.execute(stmt) if r.memo.strip()]
    rows.sort(key=lambda r: (titles.get(r.document_id, ("", 0))[1], r.start))
    out = []
    for r in rows:
        title = titles.get(r.document_id, ("", 0))[0]
        out.append(
            MemoEntry(
                MemoKind.CODING,
                r.id,
                f"Coding: {paths.get(r.code_id, '')} in {title}",
                r.memo,
                document_id=r.document_id,
                document_title=title,
                code_path=paths.get(r.code_id, ""),
                coder=coders.get(r.coder_id, ""),
                quote=r.quote,
                start=r.start,
                modified_at=aware(r.modified_at),
            )
        )
    return out
