"""Plain, immutable entities that services return and the GUI displays.

Nothing here knows about Qt or SQL. Every entity carries a stable UUID: exports, merges
and REFI-QDA GUIDs use it, so it never changes once made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum

from annotator.domain.structure import Block, DocumentMetadata, Page


def new_id() -> uuid.UUID:
    """A fresh random UUID for a new entity."""
    return uuid.uuid4()


def utcnow() -> datetime:
    """The current time in UTC, to the microsecond."""
    return datetime.now(UTC)


class CodeKind(StrEnum):
    """The built-in kinds of code; a project may use other kind names too."""

    RECOMMENDATION = "recommendation"
    THEME = "theme"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class Coder:
    """A person (or the adjudication consensus) who codes."""

    id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the codebook.

    ``parent_id`` is None for a top-level code; ``position`` orders siblings. ``codable``
    is False for a pure folder. The structured fields (definition, inclusion, exclusion,
    examples, memo) make the codebook a research instrument rather than a list of names.
    """

    id: uuid.UUID
    name: str
    color: str  # "#rrggbb"
    parent_id: uuid.UUID | None = None
    position: int = 0
    kind: str = CodeKind.THEME.value
    shortcut: str | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example_typical: str = ""
    example_atypical: str = ""
    memo: str = ""
    codable: bool = True

    def with_changes(self, **changes: object) -> Code:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied by a coder to the span ``[start, end)`` of a document's text.

    ``quote`` is the covered text, kept for checks and exports: it must always equal
    ``document.text[start:end]``.
    """

    id: uuid.UUID
    document_id: uuid.UUID
    code_id: uuid.UUID
    coder_id: uuid.UUID
    start: int
    end: int
    quote: str
    memo: str = ""
    created_at: datetime = field(default_factory=utcnow)
    modified_at: datetime = field(default_factory=utcnow)
    codebook_version_id: uuid.UUID | None = None

    def with_changes(self, **changes: object) -> Coding:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: enough to show and filter, without the text."""

    id: uuid.UUID
    title: str
    sha256: str
    length: int
    coding_count: int
    metadata: DocumentMetadata
    position: int = 0


@dataclass(frozen=True, slots=True)
class Document:
    """A document with its immutable canonical text and its structure."""

    id: uuid.UUID
    title: str
    text: str
    sha256: str
    metadata: DocumentMetadata
    blocks: tuple[Block, ...] = ()
    pages: tuple[Page, ...] = ()
    source_format: str = "text"
    imported_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """The project's own identity and the file it lives in."""

    id: uuid.UUID
    name: str
    path: str
    read_only: bool = False
    created_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True, slots=True)
class CodebookVersion:
    """A named, frozen state of the codebook."""

    id: uuid.UUID
    name: str
    created_at: datetime
    coder_id: uuid.UUID | None
    note: str = ""
