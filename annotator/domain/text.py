"""Canonical document text: the immutable string every offset in the project refers to.

A document's text is stored exactly once, in canonical form: line endings are LF, there is
no byte-order mark, and there is *no* Unicode normalisation (normalising would move the
offsets of codings made in other tools). Offsets are Python code points, half-open
``[start, end)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

BOM = "\ufeff"


def canonicalize(raw: str) -> str:
    """Return ``raw`` in canonical form: LF line endings and no leading byte-order mark.

    CRLF and lone CR both become LF. Nothing else changes; in particular no Unicode
    normalisation is applied, so composed and decomposed characters stay as they came.
    """
    text = raw[1:] if raw.startswith(BOM) else raw
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_canonical(text: str) -> bool:
    """True when :func:`canonicalize` would leave ``text`` unchanged (no CR, no leading BOM)."""
    return "\r" not in text and not text.startswith(BOM)


def text_sha256(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8: the document's identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SpanError(ValueError):
    """A span that does not fit the text it claims to cover."""


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points in a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise SpanError(f"invalid span [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of code points covered."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end

    def check_within(self, text: str) -> None:
        """Raise :class:`SpanError` unless the span is non-empty and inside ``text``."""
        self.check_within_length(len(text))

    def check_within_length(self, length: int) -> None:
        """Raise :class:`SpanError` unless the span is non-empty and inside ``[0, length)``."""
        if self.start == self.end:
            raise SpanError("an empty span cannot be coded")
        if self.end > length:
            raise SpanError(f"span [{self.start}, {self.end}) ends past the text ({length})")


def quote(text: str, span: Span) -> str:
    """Return the characters of ``text`` covered by ``span``."""
    return text[span.start : span.end]
