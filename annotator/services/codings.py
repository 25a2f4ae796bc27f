"""Use cases for codings: apply, remove, restore, edit, list and count them."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Coding, utcnow
from annotator.domain.text import Span, SpanError
from annotator.services.codebook_versions import latest_version_id
from annotator.storage.database import Database
from annotator.storage.mapping import CODING_FIELDS, aware, coding_from_row, coding_to_row
from annotator.storage.models import CodeRow, CoderRow, CodingRow, DocumentRow


@dataclass(frozen=True)
class CodeCounts:
    """Codings of one code: in the current document and in the whole project."""

    in_document: int
    total: int


def _checked(s: Session, coding: Coding) -> Coding:
    """Validate ``coding`` against the stored document and code; return it with its quote.

    Only the document's length and the quoted characters are read, not its whole text:
    ``substr`` counts characters (code points) on SQLite and PostgreSQL alike.
    """
    try:
        span = Span(coding.start, coding.end)
    except SpanError as exc:
        raise ValidationError(f"Cannot code this passage: {exc}.") from exc
    if "\x00" in coding.memo:  # PostgreSQL cannot store NUL; refused alike on both backends
        raise ValidationError("A memo cannot contain NUL characters (\\x00).")
    row = s.execute(
        select(
            DocumentRow.length,
            func.substr(DocumentRow.text, span.start + 1, max(span.length, 1)),
        ).where(DocumentRow.id == coding.document_id)
    ).first()
    if row is None:
        raise NotFoundError("The document of this coding is no longer in the project.")
    length, quoted = row
    code = s.get(CodeRow, coding.code_id)
    if code is None:
        raise NotFoundError("The code of this coding is no longer in the codebook.")
    if not code.codable:
        raise ValidationError(f"'{code.name}' is a folder; choose one of the codes inside it.")
    if s.get(CoderRow, coding.coder_id) is None:
        raise NotFoundError("The coder of this coding is not in the project.")
    try:
        span.check_within_length(length)
    except SpanError as exc:
        raise ValidationError(f"Cannot code this passage: {exc}.") from exc
    return coding.with_changes(quote=quoted)


_UUID_COLUMNS = ("id", "document_id", "code_id", "coder_id", "codebook_version_id")
_TIME_COLUMNS = ("created_at", "modified_at")
# In the order of Coding's fields: rows are unpacked by position, which for tens of
# thousands of rows is markedly faster than access by name and keyword arguments.
_PLAIN_COLUMNS = ("id", *CODING_FIELDS)


def _plain_select() -> Select:
    # UUID and time columns come back raw (text on SQLite; UUID and datetime objects on
    # PostgreSQL) and are converted here: UUIDs through ``_UuidCache``, since most rows
    # share a handful of documents, codes and coders; times with ``fromisoformat``, which
    # is several times faster than the generic processor for tens of thousands of rows.
    columns = CodingRow.__table__.columns
    return select(
        *(
            type_coerce(columns[name], String)
            if name in _UUID_COLUMNS + _TIME_COLUMNS
            else columns[name]
            for name in _PLAIN_COLUMNS
        )
    )


def _when(raw: object) -> datetime:
    """A stored time as an aware UTC datetime (every stored time is UTC)."""
    value = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    return aware(value)


class _UuidCache(dict):
    """Raw UUID values -> ``uuid.UUID``, each distinct value converted once."""

    def __missing__(self, raw: object) -> uuid.UUID | None:
        value = None if raw is None else raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        self[raw] = value
        return value


class CodingService:
    """Codings of one project. Every method is one committed transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, coding: Coding) -> Coding:
        """Store a new coding (its id is kept, so redo stores the very same coding).

        The coding is stamped with the current codebook version unless it carries one.
        """
        with self._db.transaction() as s:
            coding = _checked(s, coding)
            if coding.codebook_version_id is None:
                coding = coding.with_changes(codebook_version_id=latest_version_id(s))
            s.add(coding_to_row(coding))
        return coding

    def add_many(self, codings: Collection[Coding]) -> list[Coding]:
        """Store new codings in one transaction (auto-coding, coding retrieved passages);
        all or none. Each is checked and stamped as :meth:`add` does; returns them."""
        stored: list[Coding] = []
        with self._db.transaction() as s:
            version = latest_version_id(s)
            for coding in codings:
                coding = _checked(s, coding)
                if coding.codebook_version_id is None:
                    coding = coding.with_changes(codebook_version_id=version)
                s.add(coding_to_row(coding))
                stored.append(coding)
        return stored

    def restore(self, codings: Collection[Coding]) -> None:
        """Put back codings exactly as they were (undo of a removal)."""
        with self._db.transaction() as s:
            for coding in codings:
                s.add(coding_to_row(_checked(s, coding)))

    def remove(self, coding_ids: Collection[uuid.UUID]) -> list[Coding]:
        """Delete codings; return them as they were, for undo."""
        with self._db.transaction() as s:
            rows = s.scalars(select(CodingRow).where(CodingRow.id.in_(list(coding_ids)))).all()
            if len(rows) != len(set(coding_ids)):
                raise NotFoundError("Some of these codings were already removed.")
            gone = [coding_from_row(r) for r in rows]
            for r in rows:
                s.delete(r)
            return gone

    def update(self, coding: Coding) -> Coding:
        """Replace a coding's code, span or memo; returns it with a fresh modified time."""
        with self._db.transaction() as s:
            row = s.get(CodingRow, coding.id)
            if row is None:
                raise NotFoundError("This coding was removed in the meantime.")
            coding = _checked(s, coding.with_changes(modified_at=utcnow()))
            coding_to_row(coding, row)
        return coding

    def replace(self, coding: Coding) -> Coding:
        """Write ``coding`` exactly as given, modified time included (undo of an update)."""
        with self._db.transaction() as s:
            row = s.get(CodingRow, coding.id)
            if row is None:
                raise NotFoundError("This coding was removed in the meantime.")
            coding_to_row(_checked(s, coding), row)
        return coding

    def get(self, coding_id: uuid.UUID) -> Coding:
        """One coding."""
        with self._db.reader() as s:
            row = s.get(CodingRow, coding_id)
            if row is None:
                raise NotFoundError("This coding is no longer in the project.")
            return coding_from_row(row)

    def for_document(
        self, document_id: uuid.UUID, coder_ids: Collection[uuid.UUID] | None = None
    ) -> list[Coding]:
        """The document's codings (by ``coder_ids`` when given), by position."""
        stmt = _plain_select().where(CodingRow.document_id == document_id)
        if coder_ids is not None:
            stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
        return self._plain(stmt.order_by(CodingRow.start, CodingRow.end, CodingRow.id))

    def overlapping(
        self,
        document_id: uuid.UUID,
        start: int,
        end: int,
        coder_ids: Collection[uuid.UUID] | None = None,
    ) -> list[Coding]:
        """The document's codings that overlap ``[start, end)`` (for a first screenful)."""
        stmt = _plain_select().where(
            CodingRow.document_id == document_id, CodingRow.start < end, CodingRow.end > start
        )
        if coder_ids is not None:
            stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
        return self._plain(stmt.order_by(CodingRow.start, CodingRow.end, CodingRow.id))

    def count(self, document_id: uuid.UUID, coder_ids: Collection[uuid.UUID] | None = None) -> int:
        """How many codings the document has (by ``coder_ids`` when given)."""
        stmt = select(func.count()).where(CodingRow.document_id == document_id)
        if coder_ids is not None:
            stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
        with self._db.reader() as s:
            return int(s.scalar(stmt) or 0)

    def _plain(self, stmt: Select) -> list[Coding]:
        # Plain rows rather than ORM objects: a document may have tens of thousands of
        # codings, and identity-mapped instances cost several times more to load.
        # Executed on the connection (Core), which skips the ORM's per-row bookkeeping.
        ids = _UuidCache()
        with self._db.reader() as s:
            return [
                Coding(
                    uuid.UUID(id_) if isinstance(id_, str) else id_,
                    ids[document_id],
                    ids[code_id],
                    ids[coder_id],
                    start,
                    end,
                    quote,
                    memo,
                    _when(created),
                    _when(modified),
                    ids[version],
                )
                for (
                    id_,
                    document_id,
                    code_id,
                    coder_id,
                    start,
                    end,
                    quote,
                    memo,
                    created,
                    modified,
                    version,
                ) in s.connection().execute(stmt)
            ]

    def all(self, coder_ids: Collection[uuid.UUID] | None = None) -> list[Coding]:
        """Every coding of the project (by ``coder_ids`` when given)."""
        stmt = _plain_select()
        if coder_ids is not None:
            stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
        return self._plain(
            stmt.order_by(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.id)
        )

    def counts(
        self,
        document_id: uuid.UUID | None,
        coder_ids: Collection[uuid.UUID] | None = None,
    ) -> dict[uuid.UUID, CodeCounts]:
        """Per code: codings in ``document_id`` and in the whole project."""
        with self._db.reader() as s:
            totals = select(CodingRow.code_id, func.count()).group_by(CodingRow.code_id)
            here = (
                select(CodingRow.code_id, func.count())
                .where(CodingRow.document_id == document_id)
                .group_by(CodingRow.code_id)
            )
            if coder_ids is not None:
                totals = totals.where(CodingRow.coder_id.in_(list(coder_ids)))
                here = here.where(CodingRow.coder_id.in_(list(coder_ids)))
            total = {cid: n for cid, n in s.execute(totals).all()}
            local = {cid: n for cid, n in s.execute(here).all()} if document_id else {}
            return {cid: CodeCounts(local.get(cid, 0), n) for cid, n in total.items()}
