"""Filters shared by retrieval and search: which documents, coders and codebook version.

Filters name things as a user does (coder names, document titles, group names, code paths
or names; UUIDs work everywhere) and are resolved here, in the caller's session, to ids.
Unknown names are refused with a message naming them, never silently ignored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.codebook_paths import code_paths, path_key, split_path
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code
from annotator.domain.retrieval import CodeRef
from annotator.storage.models import (
    CodebookVersionRow,
    CodeRow,
    CoderRow,
    DocumentAttributeRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
)


@dataclass(frozen=True)
class AttributeFilter:
    """A document attribute (or ``date``, ``author``, ``publisher``) equal to ``equals``,
    or within ``[low, high]`` (inclusive; text comparison, so ISO dates compare as dates:
    ``high="2020"`` keeps ``2020-12-31`` too, since a prefix of the bound is compared)."""

    key: str
    equals: str | None = None
    low: str | None = None
    high: str | None = None

    def accepts(self, value: str | None) -> bool:
        """True when ``value`` passes this filter (a missing value never does)."""
        if value is None:
            return False
        value = value.strip()
        if self.equals is not None and value.casefold() != self.equals.strip().casefold():
            return False
        if self.low is not None and value < self.low.strip():
            return False
        return not (self.high is not None and value[: len(self.high.strip())] > self.high.strip())


@dataclass(frozen=True)
class AnalysisFilters:
    """Which codings and documents an analysis looks at; empty means "all"."""

    coders: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    attributes: tuple[AttributeFilter, ...] = field(default=())
    codebook_version: str | None = None


NO_FILTERS = AnalysisFilters()
"""Every document, coder and codebook version."""


@dataclass(frozen=True)
class DocumentInScope:
    """A document an analysis covers, in list order."""

    id: uuid.UUID
    title: str
    length: int
    position: int


@dataclass(frozen=True)
class Scope:
    """Filters resolved to ids (None: no restriction)."""

    documents: list[DocumentInScope]
    coder_ids: set[uuid.UUID] | None
    version_id: uuid.UUID | None
    coder_names: dict[uuid.UUID, str]


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


_BUILT_IN_ATTRIBUTES = ("date", "author", "publisher", "title", "source")


def resolve_scope(s: Session, filters: AnalysisFilters) -> Scope:
    """Resolve ``filters`` in session ``s``."""
    coders = {r.id: r.name for r in s.scalars(select(CoderRow))}
    coder_ids: set[uuid.UUID] | None = None
    if filters.coders:
        by_name = {name.casefold(): cid for cid, name in coders.items()}
        coder_ids = set()
        for wanted in filters.coders:
            cid = _as_uuid(wanted)
            cid = cid if cid in coders else by_name.get(wanted.strip().casefold())
            if cid is None:
                raise ValidationError(f"No coder named '{wanted}' in this project.")
            coder_ids.add(cid)
    version_id = None
    if filters.codebook_version:
        wanted = filters.codebook_version.strip()
        for row in s.scalars(select(CodebookVersionRow)):
            if row.name.casefold() == wanted.casefold() or str(row.id) == wanted:
                version_id = row.id
        if version_id is None:
            raise ValidationError(f"No codebook version named '{wanted}' in this project.")
    d = DocumentRow
    rows = s.execute(
        select(
            d.id, d.title, d.length, d.position, d.date, d.author, d.publisher, d.source
        ).order_by(d.position, d.title)
    ).all()
    keep = {r.id for r in rows}
    if filters.documents:
        chosen: set[uuid.UUID] = set()
        for wanted in filters.documents:
            found = {r.id for r in rows if r.title == wanted or str(r.id) == wanted.strip()}
            if not found:
                raise ValidationError(f"No document titled '{wanted}' in this project.")
            chosen |= found
        keep &= chosen
    if filters.groups:
        members: set[uuid.UUID] = set()
        for wanted in filters.groups:
            group = s.scalars(
                select(DocumentGroupRow).where(DocumentGroupRow.name == wanted.strip())
            ).first()
            if group is None:
                raise ValidationError(f"No document group named '{wanted}' in this project.")
            members |= set(
                s.scalars(
                    select(DocumentGroupMemberRow.document_id).where(
                        DocumentGroupMemberRow.group_id == group.id
                    )
                )
            )
        keep &= members
    if filters.attributes:
        attributes: dict[uuid.UUID, dict[str, str]] = {}
        a = DocumentAttributeRow
        for doc_id, key, value in s.execute(select(a.document_id, a.key, a.value)):
            attributes.setdefault(doc_id, {})[key.casefold()] = value
        for r in rows:
            values = dict(attributes.get(r.id, {}))
            for name in _BUILT_IN_ATTRIBUTES:
                values.setdefault(name, getattr(r, name))
            if not all(f.accepts(values.get(f.key.strip().casefold())) for f in filters.attributes):
                keep.discard(r.id)
    documents = [DocumentInScope(r.id, r.title, r.length, r.position) for r in rows if r.id in keep]
    return Scope(documents, coder_ids, version_id, coders)


def code_tree(s: Session) -> list[Code]:
    """Every code with just its name and parent (all paths need; no ORM objects)."""
    return [
        Code(id=cid, name=name, color="", parent_id=parent)
        for cid, name, parent in s.execute(select(CodeRow.id, CodeRow.name, CodeRow.parent_id))
    ]


def resolve_code_refs(s: Session, refs: list[CodeRef]) -> dict[CodeRef, set[uuid.UUID]]:
    """Each named code's id with all its descendants' ids.

    A reference is a full path (``Themes/Health``), a UUID, or a code's own name when only
    one code has it; an unknown or ambiguous name is refused, naming the candidates.
    """
    codes = code_tree(s)
    paths = code_paths(codes)
    by_path = {path_key(p): cid for cid, p in paths.items()}
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    out: dict[CodeRef, set[uuid.UUID]] = {}
    for ref in refs:
        root = _as_uuid(ref.name)
        if root not in paths:
            root = by_path.get(path_key(ref.name))
        if root is None:
            key = path_key(ref.name)
            named = [cid for cid, p in paths.items() if split_path(p)[-1].casefold() == key]
            if len(named) > 1:
                listed = "; ".join(sorted(paths[c] for c in named))
                raise ValidationError(
                    f"'{ref.name}' names several codes ({listed}); write the full path in quotes."
                )
            if not named:
                raise ValidationError(f"No code named '{ref.name}' in the codebook.")
            root = named[0]
        ids, stack = set(), [root]
        while stack:
            cid = stack.pop()
            ids.add(cid)
            stack.extend(children.get(cid, []))
        out[ref] = ids
    return out
