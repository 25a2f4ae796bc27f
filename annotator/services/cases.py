"""Documents as cases: document groups, free attributes, and the table of both.

A *case* is a document with what a researcher knows about it: its descriptive metadata
(date, author, publisher, source), the groups it belongs to (REFI-QDA "sets") and free
``key: value`` attributes. Matrices, filters and exports read cases from here, so a group
or an attribute set in the GUI is usable everywhere at once. Every method is one
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import new_id
from annotator.exchange.attribute_table import read_attribute_table
from annotator.storage.database import Database
from annotator.storage.models import (
    DocumentAttributeRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
)

METADATA_FIELDS = ("date", "author", "publisher", "source")
"""Document columns a case table edits like attributes (the title has its own editor)."""


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    """A named set of documents."""

    id: uuid.UUID
    name: str
    description: str = ""
    members: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    """A document with its metadata, groups and attributes (no text)."""

    id: uuid.UUID
    title: str
    length: int
    position: int
    date: str | None
    author: str | None
    publisher: str | None
    source: str | None
    groups: tuple[str, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)

    def value_of(self, name: str) -> str | None:
        """A metadata field or a free attribute by name (None when unset)."""
        if name in METADATA_FIELDS:
            return getattr(self, name)
        return self.attributes.get(name)


def read_cases(s: Session) -> list[Case]:
    """Every document as a case, in list order, read in the caller's session."""
    d = DocumentRow
    groups: dict[uuid.UUID, list[str]] = {}
    names = {g.id: g.name for g in s.scalars(select(DocumentGroupRow))}
    for group_id, doc_id in s.execute(
        select(DocumentGroupMemberRow.group_id, DocumentGroupMemberRow.document_id)
    ):
        groups.setdefault(doc_id, []).append(names[group_id])
    attributes: dict[uuid.UUID, dict[str, str]] = {}
    a = DocumentAttributeRow
    for doc_id, key, value in s.execute(select(a.document_id, a.key, a.value).order_by(a.key)):
        attributes.setdefault(doc_id, {})[key] = value
    rows = s.execute(
        select(
            d.id, d.title, d.length, d.position, d.date, d.author, d.publisher, d.source
        ).order_by(d.position, d.title)
    ).all()
    return [
        Case(
            id=r.id,
            title=r.title,
            length=r.length,
            position=r.position,
            date=r.date,
            author=r.author,
            publisher=r.publisher,
            source=r.source,
            groups=tuple(sorted(groups.get(r.id, []), key=str.casefold)),
            attributes=attributes.get(r.id, {}),
        )
        for r in rows
    ]


class CaseService:
    """Groups and attributes of one project's documents."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ------------------------------------------------------------------------

    def cases(self) -> list[Case]:
        """Every document as a case."""
        with self._db.reader() as s:
            return read_cases(s)

    def groups(self) -> list[DocumentGroup]:
        """Every group, by name, with its members."""
        with self._db.reader() as s:
            members: dict[uuid.UUID, list[uuid.UUID]] = {}
            for gid, did in s.execute(
                select(DocumentGroupMemberRow.group_id, DocumentGroupMemberRow.document_id)
            ):
                members.setdefault(gid, []).append(did)
            rows = s.scalars(select(DocumentGroupRow)).all()
            return sorted(
                (
                    DocumentGroup(g.id, g.name, g.description, tuple(members.get(g.id, ())))
                    for g in rows
                ),
                key=lambda g: g.name.casefold(),
            )

    def attribute_keys(self) -> list[str]:
        """Every free attribute key in use, sorted."""
        with self._db.reader() as s:
            keys = s.scalars(select(DocumentAttributeRow.key).distinct()).all()
            return sorted(keys, key=str.casefold)

    # -- groups -------------------------------------------------------------------------

    def create_group(
        self, name: str, description: str = "", group_id: uuid.UUID | None = None
    ) -> DocumentGroup:
        """Make a new, empty group (``group_id`` lets undo recreate the same one)."""
        name = _group_name(name)
        with self._db.transaction() as s:
            _refuse_taken(s, name, None)
            row = DocumentGroupRow(id=group_id or new_id(), name=name, description=description)
            s.add(row)
            return DocumentGroup(row.id, row.name, row.description)

    def rename_group(self, group_id: uuid.UUID, name: str) -> None:
        """Give a group a new name (names are unique, compared case-insensitively)."""
        name = _group_name(name)
        with self._db.transaction() as s:
            row = _group(s, group_id)
            _refuse_taken(s, name, group_id)
            row.name = name

    def delete_group(self, group_id: uuid.UUID) -> DocumentGroup:
        """Remove a group (its documents stay); return it as it was, for undo."""
        with self._db.transaction() as s:
            row = _group(s, group_id)
            members = s.scalars(
                select(DocumentGroupMemberRow.document_id).where(
                    DocumentGroupMemberRow.group_id == group_id
                )
            ).all()
            gone = DocumentGroup(row.id, row.name, row.description, tuple(members))
            s.delete(row)
            return gone

    def restore_group(self, group: DocumentGroup) -> None:
        """Recreate a deleted group with its members (undo of :meth:`delete_group`)."""
        self.create_group(group.name, group.description, group.id)
        self.add_members(group.id, group.members)

    def add_members(self, group_id: uuid.UUID, document_ids: Iterable[uuid.UUID]) -> list:
        """Put documents in a group; return those that were not in it before."""
        with self._db.transaction() as s:
            _group(s, group_id)
            have = set(
                s.scalars(
                    select(DocumentGroupMemberRow.document_id).where(
                        DocumentGroupMemberRow.group_id == group_id
                    )
                )
            )
            known = set(s.scalars(select(DocumentRow.id)))
            added = []
            for doc_id in dict.fromkeys(document_ids):
                if doc_id not in known:
                    raise NotFoundError(f"Document {doc_id} is not in this project.")
                if doc_id not in have:
                    s.add(DocumentGroupMemberRow(group_id=group_id, document_id=doc_id))
                    added.append(doc_id)
            return added

    def remove_members(self, group_id: uuid.UUID, document_ids: Collection[uuid.UUID]) -> list:
        """Take documents out of a group; return those that were in it."""
        with self._db.transaction() as s:
            m = DocumentGroupMemberRow
            have = set(s.scalars(select(m.document_id).where(m.group_id == group_id)))
            gone = [d for d in dict.fromkeys(document_ids) if d in have]
            if gone:
                s.execute(delete(m).where(m.group_id == group_id, m.document_id.in_(gone)))
            return gone

    # -- attributes and metadata fields -----------------------------------------------

    def set_field(self, document_id: uuid.UUID, name: str, value: str | None) -> str | None:
        """Set a metadata field or a free attribute (None or blank removes it).

        Returns the previous value, so an undo command can put it back.
        """
        with self._db.transaction() as s:
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"Document {document_id} is not in this project.")
            return _set(s, row, name, value)

    def import_attributes(self, path: Path) -> dict[uuid.UUID, dict[str, str | None]]:
        """Set the fields a CSV table gives (blank cells leave a field as it is), all in one
        transaction; return the previous values (for undo, through :meth:`set_fields`)."""
        return self.set_fields(plan_attribute_import(self.cases(), Path(path)))

    def set_fields(
        self, changes: Mapping[uuid.UUID, Mapping[str, str | None]]
    ) -> dict[uuid.UUID, dict[str, str | None]]:
        """Set many fields of many documents in ONE transaction; return the old values."""
        before: dict[uuid.UUID, dict[str, str | None]] = {}
        with self._db.transaction() as s:
            for doc_id, fields in changes.items():
                row = s.get(DocumentRow, doc_id)
                if row is None:
                    raise NotFoundError(f"Document {doc_id} is not in this project.")
                for name, value in fields.items():
                    before.setdefault(doc_id, {})[name] = _set(s, row, name, value)
        return before


def plan_attribute_import(cases: list[Case], path: Path) -> dict[uuid.UUID, dict[str, str | None]]:
    """The changes a CSV of attributes asks for (see :mod:`annotator.exchange.attribute_table`),
    refused as a whole, naming the file and row, when a row names no document or two."""
    changes: dict[uuid.UUID, dict[str, str | None]] = {}
    by_id = {str(c.id): c.id for c in cases}
    for row in read_attribute_table(path):
        if row.document_id is not None:
            try:
                found = [by_id[str(uuid.UUID(row.document_id))]]
            except (ValueError, KeyError):
                found = []
        else:
            title = row.title or ""
            found = [c.id for c in cases if c.title == title] or [
                c.id for c in cases if c.title.casefold() == title.casefold()
            ]
        name = row.document_id or row.title
        if not found:
            raise ValidationError(f"{Path(path).name}, row {row.line}: no document '{name}'.")
        if len(found) > 1:
            raise ValidationError(
                f"{Path(path).name}, row {row.line}: {len(found)} documents are called "
                f"'{name}'; use a document_id column."
            )
        if "title" in row.fields:
            raise ValidationError(f"{Path(path).name}: titles are not changed by an import.")
        changes.setdefault(found[0], {}).update(row.fields)
    return changes


def _set(s: Session, row: DocumentRow, name: str, value: str | None) -> str | None:
    name = name.strip()
    if not name or name == "title":
        raise ValidationError(f"'{name}' cannot be set as an attribute.")
    value = (value or "").strip() or None
    if name in METADATA_FIELDS:
        before = getattr(row, name)
        setattr(row, name, value)
        return before
    attr = s.get(DocumentAttributeRow, (row.id, name))
    before = attr.value if attr else None
    if value is None:
        if attr is not None:
            s.delete(attr)
    elif attr is None:
        s.add(DocumentAttributeRow(document_id=row.id, key=name, value=value))
    else:
        attr.value = value
    return before


def _group_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A group needs a name.")
    if len(name) > 200:
        raise ValidationError("A group name has at most 200 characters.")
    return name


def _group(s: Session, group_id: uuid.UUID) -> DocumentGroupRow:
    row = s.get(DocumentGroupRow, group_id)
    if row is None:
        raise NotFoundError(f"Group {group_id} is not in this project.")
    return row


def _refuse_taken(s: Session, name: str, own: uuid.UUID | None) -> None:
    for gid, other in s.execute(select(DocumentGroupRow.id, DocumentGroupRow.name)):
        if gid != own and other.casefold() == name.casefold():
            raise ValidationError(f"There is already a group called '{other}'.")
