"""The recommendations register: one row per recommendation coding, across all documents.

Plain data built by ``services/register.py`` and shown by the register view, exported by
``exchange/register_export.py``. Field values come as one string per field column, in
the order of :attr:`Register.field_names` (empty when a coding has no value).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RegisterLink:
    """A link of a recommendation to another coding (a response, the same recommendation...)."""

    link_id: uuid.UUID
    link_type: str
    status: str | None
    outgoing: bool  # True when the recommendation is the link's source
    coding_id: uuid.UUID
    document_id: uuid.UUID
    document_title: str
    start: int
    end: int
    quote: str

    def as_dict(self) -> dict:
        """The link as JSON-ready data (nested in a JSON Lines row)."""
        return {
            "link_id": str(self.link_id),
            "type": self.link_type,
            "status": self.status,
            "direction": "to" if self.outgoing else "from",
            "coding_id": str(self.coding_id),
            "document_id": str(self.document_id),
            "document": self.document_title,
            "start": self.start,
            "end": self.end,
            "text": self.quote,
        }


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One recommendation coding."""

    coding_id: uuid.UUID
    document_id: uuid.UUID
    document: str
    page: str
    section: str
    number: str
    start: int
    end: int
    text: str
    coder: str
    code: str
    fields: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    links: tuple[RegisterLink, ...] = ()

    @property
    def responses(self) -> tuple[RegisterLink, ...]:
        """The response passages linked to this recommendation."""
        return tuple(lk for lk in self.links if lk.link_type == "response to")

    @property
    def status(self) -> str:
        """The statuses of its responses ("" when it has none), in link order."""
        return "; ".join(dict.fromkeys(lk.status or "" for lk in self.responses if lk.status))

    def haystack(self) -> str:
        """Everything shown in the row, lower-cased, for filtering."""
        parts = [
            self.document,
            self.page,
            self.section,
            self.number,
            self.text,
            self.coder,
            self.code,
            *self.fields,
            *self.themes,
            self.status,
            *(lk.document_title for lk in self.responses),
        ]
        return "\n".join(parts).lower()


@dataclass(frozen=True, slots=True)
class Register:
    """All rows and the names of the field columns."""

    field_names: tuple[str, ...] = ()
    rows: tuple[RegisterRow, ...] = field(default_factory=tuple)
