"""Document structure as data: blocks, pages and sentences as spans over canonical text.

Importers produce an :class:`ExtractedDocument`; storage keeps its blocks and pages so that
the view can show headings and page markers, exports can give each coding its section and
page, and agreement can use sentences and paragraphs as units.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    """What a block of text is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    FOOTNOTE = "footnote"


@dataclass(frozen=True, slots=True)
class Block:
    """A structural block ``[start, end)`` of the text.

    ``level`` is the heading level (1 = top) for headings and the nesting depth for list
    items; ``label`` keeps a list item's number or bullet ("3.", "(a)") or a footnote mark.
    """

    kind: BlockKind
    start: int
    end: int
    level: int | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A page ``[start, end)`` of the original file (1-based ``number``; ``label`` as printed)."""

    number: int
    start: int
    end: int
    label: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """Descriptive metadata of a document; every field is optional."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO 8601 date or year as found; never invented
    source: str | None = None  # path or URL the text came from
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """What an importer returns: canonical text plus its structure and metadata.

    ``original`` holds the bytes of the file as read, so the project can keep them for
    provenance; ``source_format`` is a short name such as ``"pdf"`` or ``"markdown"``.
    """

    text: str
    blocks: tuple[Block, ...]
    pages: tuple[Page, ...]
    metadata: DocumentMetadata
    source_format: str
    original: bytes = b""
    original_name: str = ""
    # What the user should know although the import succeeded (a web page's main content
    # is a small part of it, ...); shown by the CLI and GUI, not stored.
    warnings: tuple[str, ...] = ()


def paragraph_blocks(text: str) -> tuple[Block, ...]:
    """Blocks for plain text: every non-blank line is a paragraph (whitespace trimmed)."""
    blocks: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            blocks.append(Block(BlockKind.PARAGRAPH, start, start + len(stripped)))
        pos += len(line) + 1
    return tuple(blocks)


def section_heading_at(blocks: tuple[Block, ...] | list[Block], offset: int) -> Block | None:
    """The last heading block that starts at or before ``offset`` (blocks sorted by start)."""
    best: Block | None = None
    for block in blocks:
        if block.start > offset:
            break
        if block.kind is BlockKind.HEADING:
            best = block
    return best


def page_at(pages: tuple[Page, ...] | list[Page], offset: int) -> Page | None:
    """The page containing ``offset`` (pages sorted by start), or None."""
    starts = [p.start for p in pages]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and pages[i].start <= offset < max(pages[i].end, pages[i].start + 1):
        return pages[i]
    return None
