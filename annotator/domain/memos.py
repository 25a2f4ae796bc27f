"""Memos as data: the project memo, document memos, code memos and coding memos alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MemoKind(StrEnum):
    """What a memo is written about."""

    PROJECT = "project"
    DOCUMENT = "document"
    CODE = "code"
    CODING = "coding"


@dataclass(frozen=True, slots=True)
class MemoEntry:
    """One memo as the Memos view and the memo exports show it.

    ``target_id`` is the project, document, code or coding the memo belongs to; for a
    coding memo ``document_id``, ``code_path``, ``coder`` and ``quote`` say where it sits.
    """

    kind: MemoKind
    target_id: uuid.UUID
    label: str
    text: str
    document_id: uuid.UUID | None = None
    document_title: str = ""
    code_path: str = ""
    coder: str = ""
    quote: str = ""
    start: int | None = None
    modified_at: datetime | None = None

    def matches(self, needle: str) -> bool:
        """True when ``needle`` (case-insensitive) is in the memo, its label or its quote."""
        folded = needle.casefold()
        return any(
            folded in part.casefold()
            for part in (self.text, self.label, self.document_title, self.code_path, self.quote)
        )
