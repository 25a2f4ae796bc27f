"""Result tables of retrieval and search, and writing them to a file atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from annotator.exchange.analysis_tables import TableFormat, write_table
from annotator.services.exporting import atomic_path
from annotator.services.retrieval import Passage
from annotator.services.text_search import SearchHit

PASSAGE_HEADER = (
    "document_title", "document_id", "start", "end", "page", "section", "codes", "coders",
    "memos", "context_before", "passage", "context_after", "coding_ids",
)  # fmt: skip
"""Columns of a passage table; codes, coders, memos and coding ids joined by " | "."""

KWIC_HEADER = ("document_title", "document_id", "start", "end", "left", "hit", "right")
"""Columns of a keyword-in-context table."""

JOIN = " | "


def passage_rows(passages: Sequence[Passage]) -> list[tuple]:
    """One row per passage, in :data:`PASSAGE_HEADER` order."""
    return [
        (
            p.document_title,
            str(p.document_id),
            p.start,
            p.end,
            p.page,
            p.section,
            JOIN.join(p.codes),
            JOIN.join(p.coders),
            JOIN.join(p.memos),
            p.context_before,
            p.text,
            p.context_after,
            JOIN.join(str(i) for i in p.coding_ids),
        )
        for p in passages
    ]


def kwic_rows(hits: Sequence[SearchHit]) -> list[tuple]:
    """One row per hit, in :data:`KWIC_HEADER` order."""
    return [
        (h.document_title, str(h.document_id), h.start, h.end, h.line.left, h.line.hit,
         h.line.right)
        for h in hits
    ]  # fmt: skip


def write_passages(path: Path, fmt: TableFormat, title: str, passages: Sequence[Passage]) -> int:
    """Write retrieved passages to ``path`` (replaced only when complete)."""
    with atomic_path(path) as tmp:
        return write_table(
            tmp,
            fmt,
            title,
            PASSAGE_HEADER,
            passage_rows(passages),
            emphasis=("context_before", "passage", "context_after"),
        )


def write_kwic(path: Path, fmt: TableFormat, title: str, hits: Sequence[SearchHit]) -> int:
    """Write keyword-in-context lines to ``path`` (replaced only when complete)."""
    with atomic_path(path) as tmp:
        return write_table(
            tmp, fmt, title, KWIC_HEADER, kwic_rows(hits), emphasis=("left", "hit", "right")
        )
