"""Use cases for links between codings and the project's lists of link types and statuses.

Every method is one committed transaction and returns plain objects. A read-only project
at schema 0002 (opened as it is, see ``storage/database.py``) has no link tables: reading
methods then return empty lists and the default vocabularies.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import String, delete, inspect, or_, select, type_coerce
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.links import (
    DEFAULT_LINK_TYPES,
    DEFAULT_RESPONSE_STATUSES,
    RESPONSE_TO,
    STATUS_VOCABULARY,
    TYPE_VOCABULARY,
    CodingLink,
    LinkEnd,
    LinkView,
    RemovedCodings,
)
from annotator.domain.model import utcnow
from annotator.services.codings import _checked as checked_coding
from annotator.storage.database import Database
from annotator.storage.mapping import aware, coding_from_row, coding_to_row
from annotator.storage.models import (
    CodeRow,
    CodingLinkRow,
    CodingRow,
    DocumentRow,
    LinkVocabularyRow,
)


def link_from_row(row: CodingLinkRow) -> CodingLink:
    """The domain link of a row."""
    return CodingLink(
        id=row.id,
        source_id=row.source_id,
        target_id=row.target_id,
        link_type=row.link_type,
        status=row.status,
        memo=row.memo,
        coder_id=row.coder_id,
        created_at=aware(row.created_at),
        modified_at=aware(row.modified_at),
    )


def _link_row(link: CodingLink, row: CodingLinkRow | None = None) -> CodingLinkRow:
    row = row or CodingLinkRow(id=link.id)
    row.source_id = link.source_id
    row.target_id = link.target_id
    row.link_type = link.link_type
    row.status = link.status
    row.memo = link.memo
    row.coder_id = link.coder_id
    row.created_at = link.created_at  # type: ignore[assignment]
    row.modified_at = link.modified_at  # type: ignore[assignment]
    return row


class LinkService:
    """Links of one project."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._has_tables: bool | None = None

    def available(self) -> bool:
        """False for a read-only file older than the link tables (schema 0002)."""
        if self._has_tables is None:
            with self._db.engine.connect() as conn:
                self._has_tables = inspect(conn).has_table("coding_link")
        return self._has_tables

    # -- vocabularies ---------------------------------------------------------------------

    def _vocabulary(self, kind: str, default: Sequence[str]) -> list[str]:
        if not self.available():
            return list(default)
        with self._db.reader() as s:
            return list(
                s.scalars(
                    select(LinkVocabularyRow.name)
                    .where(LinkVocabularyRow.kind == kind)
                    .order_by(LinkVocabularyRow.position, LinkVocabularyRow.name)
                )
            )

    def link_types(self) -> list[str]:
        """The project's link types, built-in first."""
        return self._vocabulary(TYPE_VOCABULARY, DEFAULT_LINK_TYPES)

    def statuses(self) -> list[str]:
        """The project's response statuses, in their order."""
        return self._vocabulary(STATUS_VOCABULARY, DEFAULT_RESPONSE_STATUSES)

    def set_link_types(self, names: Sequence[str]) -> list[str]:
        """Replace the list of link types (the built-in ones are always kept); returns the old."""
        missing = [t for t in DEFAULT_LINK_TYPES if t not in names]
        return self._set(TYPE_VOCABULARY, [*names, *missing], used=self._used("link_type"))

    def set_statuses(self, names: Sequence[str]) -> list[str]:
        """Replace the list of response statuses; returns the old list (for undo)."""
        return self._set(STATUS_VOCABULARY, names, used=self._used("status"))

    def _used(self, column: str) -> set[str]:
        with self._db.reader() as s:
            return {v for v in s.scalars(select(getattr(CodingLinkRow, column)).distinct()) if v}

    def _set(self, kind: str, names: Sequence[str], *, used: set[str]) -> list[str]:
        cleaned = [n.strip() for n in names]
        if any(not n for n in cleaned) or len(set(cleaned)) != len(cleaned):
            raise ValidationError("Each name must be given once and must not be empty.")
        gone = sorted(used - set(cleaned))
        if gone:
            raise ValidationError(
                f"Links still use {', '.join(repr(g) for g in gone)}: change them first."
            )
        with self._db.transaction() as s:
            old = list(
                s.scalars(
                    select(LinkVocabularyRow.name)
                    .where(LinkVocabularyRow.kind == kind)
                    .order_by(LinkVocabularyRow.position)
                )
            )
            s.execute(delete(LinkVocabularyRow).where(LinkVocabularyRow.kind == kind))
            for position, name in enumerate(cleaned):
                s.add(LinkVocabularyRow(kind=kind, name=name, position=position))
        return old

    # -- links ------------------------------------------------------------------------------

    def _check(self, s: Session, link: CodingLink) -> None:
        if link.source_id == link.target_id:
            raise ValidationError("A coding cannot be linked to itself.")
        for end in (link.source_id, link.target_id):
            if s.get(CodingRow, end) is None:
                raise NotFoundError("One end of this link is no longer in the project.")
        types = set(
            s.scalars(
                select(LinkVocabularyRow.name).where(LinkVocabularyRow.kind == TYPE_VOCABULARY)
            )
        )
        if link.link_type not in types:
            raise ValidationError(f"'{link.link_type}' is not one of this project's link types.")
        if link.status is not None:
            if link.link_type != RESPONSE_TO:
                raise ValidationError("Only a 'response to' link carries a status.")
            statuses = set(
                s.scalars(
                    select(LinkVocabularyRow.name).where(
                        LinkVocabularyRow.kind == STATUS_VOCABULARY
                    )
                )
            )
            if link.status not in statuses:
                raise ValidationError(f"'{link.status}' is not one of this project's statuses.")

    def add(self, link: CodingLink) -> CodingLink:
        """Store a new link (its id is kept, so redo stores the very same link)."""
        with self._db.transaction() as s:
            self._check(s, link)
            s.add(_link_row(link))
        return link

    def add_type(self, name: str) -> None:
        """Add a user-defined link type (nothing happens when it exists)."""
        name = name.strip()
        if not name:
            raise ValidationError("A link type needs a name.")
        with self._db.transaction() as s:
            if s.get(LinkVocabularyRow, (TYPE_VOCABULARY, name)) is None:
                count = len(
                    s.scalars(
                        select(LinkVocabularyRow.name).where(
                            LinkVocabularyRow.kind == TYPE_VOCABULARY
                        )
                    ).all()
                )
                s.add(LinkVocabularyRow(kind=TYPE_VOCABULARY, name=name, position=count))

    def update(self, link: CodingLink) -> CodingLink:
        """Change a link's type, status or memo; returns it with a fresh modified time."""
        link = link.with_changes(modified_at=utcnow())
        return self.replace(link)

    def replace(self, link: CodingLink) -> CodingLink:
        """Write ``link`` exactly as given (undo of an update)."""
        with self._db.transaction() as s:
            row = s.get(CodingLinkRow, link.id)
            if row is None:
                raise NotFoundError("This link was removed in the meantime.")
            self._check(s, link)
            _link_row(link, row)
        return link

    def remove(self, link_ids: Collection[uuid.UUID]) -> list[CodingLink]:
        """Delete links; return them as they were, for undo."""
        with self._db.transaction() as s:
            rows = s.scalars(select(CodingLinkRow).where(CodingLinkRow.id.in_(list(link_ids))))
            gone = [link_from_row(r) for r in rows]
            if len(gone) != len(set(link_ids)):
                raise NotFoundError("Some of these links were already removed.")
            s.execute(delete(CodingLinkRow).where(CodingLinkRow.id.in_(list(link_ids))))
        return gone

    def restore(self, links: Collection[CodingLink]) -> None:
        """Put back links exactly as they were."""
        with self._db.transaction() as s:
            for link in links:
                self._check(s, link)
                s.add(_link_row(link))

    def get(self, link_id: uuid.UUID) -> CodingLink:
        """One link."""
        with self._db.reader() as s:
            row = s.get(CodingLinkRow, link_id)
            if row is None:
                raise NotFoundError("This link is no longer in the project.")
            return link_from_row(row)

    def all(self) -> list[CodingLink]:
        """Every link of the project, oldest first."""
        if not self.available():
            return []
        t = CodingLinkRow.__table__.c
        uuids = ("id", "source_id", "target_id", "coder_id")
        columns = [
            type_coerce(t[n], String) if n in uuids else t[n]
            for n in (*uuids, "link_type", "status", "memo", "created_at", "modified_at")
        ]
        cache: dict = {None: None}

        def as_uuid(raw: object) -> uuid.UUID | None:
            if raw not in cache:
                cache[raw] = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
            return cache[raw]

        with self._db.reader() as s:
            rows = s.execute(select(*columns).order_by(t.created_at, t.id)).all()
        return [
            CodingLink(
                uuid.UUID(str(r[0])) if not isinstance(r[0], uuid.UUID) else r[0],
                as_uuid(r[1]),  # type: ignore[arg-type]
                as_uuid(r[2]),  # type: ignore[arg-type]
                r[4],
                r[5],
                r[6],
                as_uuid(r[3]),
                aware(r[7]),
                aware(r[8]),
            )
            for r in rows
        ]

    def for_codings(self, coding_ids: Collection[uuid.UUID]) -> list[CodingLink]:
        """Links with either end among ``coding_ids``."""
        if not self.available() or not coding_ids:
            return []
        ids = list(coding_ids)
        with self._db.reader() as s:
            rows = s.scalars(
                select(CodingLinkRow)
                .where(or_(CodingLinkRow.source_id.in_(ids), CodingLinkRow.target_id.in_(ids)))
                .order_by(CodingLinkRow.created_at)
            )
            return [link_from_row(r) for r in rows]

    def for_codes(self, code_ids: Collection[uuid.UUID]) -> list[CodingLink]:
        """Links with either end a coding of one of ``code_ids`` (before deleting codes)."""
        if not self.available() or not code_ids:
            return []
        of_codes = select(CodingRow.id).where(CodingRow.code_id.in_(list(code_ids)))
        with self._db.reader() as s:
            rows = s.scalars(
                select(CodingLinkRow).where(
                    or_(
                        CodingLinkRow.source_id.in_(of_codes), CodingLinkRow.target_id.in_(of_codes)
                    )
                )
            )
            return [link_from_row(r) for r in rows]

    def views(self, coding_id: uuid.UUID) -> list[LinkView]:
        """The links of one coding, each with its other end described, for a list."""
        links = self.for_codings([coding_id])
        others = {lk.target_id if lk.source_id == coding_id else lk.source_id for lk in links}
        ends = self.ends(others)
        return [
            LinkView(
                link=lk,
                outgoing=lk.source_id == coding_id,
                other=ends[lk.target_id if lk.source_id == coding_id else lk.source_id],
            )
            for lk in links
        ]

    def ends(self, coding_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, LinkEnd]:
        """Codings described as link ends (document title, code name, span, quote)."""
        if not coding_ids:
            return {}
        with self._db.reader() as s:
            rows = s.execute(
                select(
                    CodingRow.id,
                    CodingRow.document_id,
                    DocumentRow.title,
                    CodeRow.name,
                    CodingRow.start,
                    CodingRow.end,
                    CodingRow.quote,
                )
                .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
                .join(CodeRow, CodeRow.id == CodingRow.code_id)
                .where(CodingRow.id.in_(list(coding_ids)))
            ).all()
            return {r[0]: LinkEnd(*r) for r in rows}

    # -- codings together with their links --------------------------------------------------

    def remove_codings(self, coding_ids: Collection[uuid.UUID]) -> RemovedCodings:
        """Delete codings and every link to or from them in one transaction, for undo."""
        ids = list(coding_ids)
        with self._db.transaction() as s:
            rows = s.scalars(select(CodingRow).where(CodingRow.id.in_(ids))).all()
            if len(rows) != len(set(ids)):
                raise NotFoundError("Some of these codings were already removed.")
            links: list[CodingLink] = []
            if self.available():
                link_rows = s.scalars(
                    select(CodingLinkRow).where(
                        or_(CodingLinkRow.source_id.in_(ids), CodingLinkRow.target_id.in_(ids))
                    )
                ).all()
                links = [link_from_row(r) for r in link_rows]
                for r in link_rows:
                    s.delete(r)
                s.flush()
            gone = tuple(coding_from_row(r) for r in rows)
            for r in rows:
                s.delete(r)
        return RemovedCodings(gone, tuple(links))

    def restore_codings(self, removed: RemovedCodings) -> None:
        """Put back codings and their links exactly as they were (undo of a removal)."""
        with self._db.transaction() as s:
            for coding in removed.codings:
                s.add(coding_to_row(checked_coding(s, coding)))
            s.flush()
            for link in removed.links:
                s.add(_link_row(link))

    def all_ends(self) -> list[LinkEnd]:
        """Every coding of the project as a possible link end (for *Link to...* search)."""
        with self._db.reader() as s:
            rows = s.execute(
                select(
                    CodingRow.id,
                    CodingRow.document_id,
                    DocumentRow.title,
                    CodeRow.name,
                    CodingRow.start,
                    CodingRow.end,
                    CodingRow.quote,
                )
                .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
                .join(CodeRow, CodeRow.id == CodingRow.code_id)
                .order_by(DocumentRow.position, DocumentRow.title, CodingRow.start)
            ).all()
            return [LinkEnd(*r) for r in rows]
