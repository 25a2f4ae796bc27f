"""Typed links between codings: a response to a recommendation, the same recommendation in
two reports, an implementation, a contradiction, or a type the project defines.

A link goes from ``source_id`` to ``target_id`` (for *response to*: from the response
passage to the recommendation it answers). Only a *response to* link carries a status, one
of the project's editable status list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from annotator.domain.model import utcnow
from annotator.domain.response_wording import DEFAULT_RESPONSE_STATUSES

RESPONSE_TO = "response to"
SAME_AS = "same recommendation as"
IMPLEMENTS = "implements"
CONTRADICTS = "contradicts"

DEFAULT_LINK_TYPES: tuple[str, ...] = (RESPONSE_TO, SAME_AS, IMPLEMENTS, CONTRADICTS)
"""The link types a new project starts with; users may add their own."""

TYPE_VOCABULARY = "type"
STATUS_VOCABULARY = "status"

__all__ = [
    "CONTRADICTS",
    "DEFAULT_LINK_TYPES",
    "DEFAULT_RESPONSE_STATUSES",
    "IMPLEMENTS",
    "RESPONSE_TO",
    "SAME_AS",
    "CodingLink",
    "LinkEnd",
    "LinkView",
    "RemovedCodings",
]


@dataclass(frozen=True, slots=True)
class CodingLink:
    """A typed link from one coding to another; ``status`` only for *response to*."""

    id: uuid.UUID
    source_id: uuid.UUID
    target_id: uuid.UUID
    link_type: str
    status: str | None = None
    memo: str = ""
    coder_id: uuid.UUID | None = None
    created_at: object = field(default_factory=utcnow)
    modified_at: object = field(default_factory=utcnow)

    def with_changes(self, **changes: object) -> CodingLink:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class LinkEnd:
    """The other end of a link as a list shows it: which coding, where, what it says."""

    coding_id: uuid.UUID
    document_id: uuid.UUID
    document_title: str
    code_name: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link seen from one of its codings: ``outgoing`` when that coding is the source."""

    link: CodingLink
    outgoing: bool
    other: LinkEnd

    @property
    def label(self) -> str:
        """ "response to" from the source's side, "answered by" style from the target's."""
        if self.outgoing:
            return self.link.link_type
        return f"{self.link.link_type} (from)"


@dataclass(frozen=True, slots=True)
class RemovedCodings:
    """Codings removed together with their links, kept for undo."""

    codings: tuple = ()
    links: tuple[CodingLink, ...] = ()
