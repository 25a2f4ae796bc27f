"""Plain data exchanged between the REFI-QDA reader/writer and the services.

The writer takes domain entities (coders, codes, documents, codings) plus the few things
the domain has no type for (document sets, the project header). The reader returns what it
found in a file, already mapped onto canonical text, with every problem kept as words.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from annotator.domain.model import Coding, Document
from annotator.exchange.refi.description import CodeFields, SourceFields

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
# Namespace for GUIDs we derive (selections, variables, codings without a GUID).
GUID_NAMESPACE = uuid.UUID("0d6c7f5e-3b8a-4f0e-9a4c-2f1b5e7d9c31")


def derived_guid(*parts: object) -> uuid.UUID:
    """A stable GUID made from ``parts``, so that two exports of the same data agree."""
    return uuid.uuid5(GUID_NAMESPACE, "/".join(str(p) for p in parts))


@dataclass(frozen=True, slots=True)
class ProjectHeader:
    """The attributes of the ``Project`` element."""

    id: uuid.UUID
    name: str
    origin: str
    created_at: datetime
    modified_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentSet:
    """A named group of documents (a REFI-QDA ``Set`` of sources)."""

    id: uuid.UUID
    name: str
    description: str
    document_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class SourceExport:
    """One document and the codings to write into its ``TextSource``."""

    document: Document
    codings: Sequence[Coding]


@dataclass(frozen=True, slots=True)
class ReadUser:
    """A ``User`` found in a file."""

    id: uuid.UUID
    name: str


@dataclass(frozen=True, slots=True)
class ReadCode:
    """A ``Code`` found in a file; parents come before their children."""

    id: uuid.UUID
    name: str
    color: str
    parent_id: uuid.UUID | None
    position: int
    codable: bool
    fields: CodeFields


@dataclass(frozen=True, slots=True)
class ReadCoding:
    """A coding found in a file, with its span already on the canonical text."""

    id: uuid.UUID
    code_id: uuid.UUID
    user_id: uuid.UUID | None
    start: int
    end: int
    created_at: datetime | None
    modified_at: datetime | None
    memo: str = ""


@dataclass
class ReadSource:
    """A text source found in a file, with its canonical text and codings."""

    id: uuid.UUID
    name: str
    text: str
    created_at: datetime | None
    fields: SourceFields
    attributes: dict[str, str] = field(default_factory=dict)
    codings: list[ReadCoding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RefiLink:
    """A link between two codings, written as a REFI-QDA ``Link`` between their selections.

    ``origin`` and ``target`` are coding ids; ``status`` (a response's status) travels in a
    note the link refers to (``NoteRef``), text :data:`LINK_STATUS_PREFIX` + status.
    """

    id: uuid.UUID
    name: str
    origin: uuid.UUID
    target: uuid.UUID
    status: str | None = None


LINK_STATUS_PREFIX = "annotator link status: "


@dataclass
class ReadProject:
    """Everything read from a .qdpx/.qde, and what could not be read.

    ``problems`` are losses (a missing source file, a position past the end): an import
    refuses them unless the user accepts a partial import. ``warnings`` are facts the user
    should know (positions read as UTF-16, a name changed). ``skipped`` lists things we do
    not model (PDF or media sources, graphs, code sets).
    """

    name: str = ""
    origin: str = ""
    creating_user: uuid.UUID | None = None
    created_at: datetime | None = None
    users: list[ReadUser] = field(default_factory=list)
    codes: list[ReadCode] = field(default_factory=list)
    sources: list[ReadSource] = field(default_factory=list)
    sets: list[DocumentSet] = field(default_factory=list)
    links: list[RefiLink] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
