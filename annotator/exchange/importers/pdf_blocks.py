"""From the paragraphs the PDF layout pass builds to canonical text, blocks and pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.structure import Block, BlockKind, Page
from annotator.exchange.importers.pdf_notes import PageNote


@dataclass(slots=True)
class Para:
    """A paragraph being built, its text kept in pieces until the document is joined.

    ``parts`` holds the first line, then alternately what joins the next line ("" after a
    removed hyphen, else " ") and that line: its lines are ``parts[0::2]``. Strings in a
    list, not an object per line, because a long report has tens of thousands of lines.
    ``page_starts`` has (index in ``parts``, page) for each line that is its page's first.
    A table row has ``cells``: each cell's span within its one line, a block each.
    """

    kind: BlockKind
    level: int | None = None
    label: str | None = None
    size: float = 0.0
    parts: list[str] = field(default_factory=list)
    page_starts: list[tuple[int, int]] = field(default_factory=list)
    cells: list[tuple[int, int]] | None = None


def note_paras(notes: list[PageNote]) -> list[Para]:
    """Footnotes as paragraphs: "[mark] text", a ``footnote`` block each."""
    return [Para(BlockKind.FOOTNOTE, label=note.mark, parts=[note.block_text()]) for note in notes]


def assemble(paras: list[Para], page_count: int) -> tuple[str, list[Block], list[int | None]]:
    """Join paragraphs into text; return text, blocks and each page's first offset."""
    texts: list[str] = []
    length = 0
    blocks: list[Block] = []
    page_starts: list[int | None] = [None] * page_count
    for para in paras:
        if length:
            texts.append("\n\n")
            length += 2
        start = length
        parts = para.parts
        offset, done = start, 0
        for index, page in para.page_starts:
            offset += sum(map(len, parts[done:index]))
            done = index
            page_starts[page] = offset
        text = "".join(parts)
        texts.append(text)
        length += len(text)
        if para.cells is None:
            blocks.append(Block(para.kind, start, length, para.level, para.label))
        else:
            blocks.extend(Block(BlockKind.TABLE_CELL, start + a, start + b) for a, b in para.cells)
    return "".join(texts), blocks, page_starts


def pages_of(
    page_starts: list[int | None], total: int, labels: list[str | None]
) -> tuple[Page, ...]:
    """Pages tiling ``[0, total)``; a page without text is an empty span where it falls."""
    starts: list[int] = [0] * len(page_starts)
    following = total
    for i in range(len(page_starts) - 1, -1, -1):
        value = page_starts[i]
        starts[i] = following if value is None else value
        following = starts[i]
    starts[0] = 0
    pages = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else total
        pages.append(Page(i + 1, start, max(start, end), labels[i]))
    return tuple(pages)
