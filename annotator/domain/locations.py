"""Where an offset is, in words a reader can find: page and paragraph, not code points."""

from __future__ import annotations

from bisect import bisect_right

from annotator.domain.model import Document
from annotator.domain.structure import BlockKind, page_at


def paragraph_number(document: Document, offset: int) -> int | None:
    """The 1-based number of the paragraph (any non-heading block, else line) at ``offset``."""
    starts = sorted(b.start for b in document.blocks if b.kind is not BlockKind.HEADING)
    if not starts:
        # No structure stored: count non-blank lines, as the paragraph unit does.
        starts, pos = [], 0
        for line in document.text.split("\n"):
            if line.strip():
                starts.append(pos)
            pos += len(line) + 1
    n = bisect_right(starts, offset)
    return n if n > 0 else None


def location_label(document: Document, offset: int) -> str:
    """ "p. 3, ¶ 12" (or "¶ 12" for a document without pages)."""
    parts = []
    page = page_at(document.pages, offset)
    if page is not None:
        parts.append(f"p. {page.label or page.number}")
    paragraph = paragraph_number(document, offset)
    if paragraph is not None:
        parts.append(f"¶ {paragraph}")
    return ", ".join(parts) or f"character {offset + 1}"
