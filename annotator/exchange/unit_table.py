"""The unit-by-coder table: one row per sentence or paragraph, one column per coder.

This is the layout reliability tools and spreadsheets expect (Krippendorff's alpha, Cohen's
kappa, ReCal, irr in R): every unit of every document, and in each coder's column the codes
that coder applied to it.

The rule, stated once:

* **Units.** ``sentence``: :func:`annotator.domain.sentences.sentence_spans` over the
  document's text and blocks. ``paragraph``: the document's structural blocks (paragraphs,
  headings, list items, table cells, footnotes; each block is one unit, so recommendations
  written as list items are not lost), or, for a document stored without blocks, every
  non-blank line (:func:`annotator.domain.structure.paragraph_blocks`).
* **Coded.** A coding counts for a unit when it overlaps the unit by at least one code point
  (``coding.start < unit.end and unit.start < coding.end``). A coding that spans three
  sentences counts for all three; a coding that touches a unit only at its edge does not.
* **Cells.** The distinct code paths the coder applied to the unit, sorted, joined with
  ``"; "``. An empty cell means the coder applied no code to that unit.
* **Field values** (issue 10). When codes have fields, each coder also gets one column per
  field, ``CODER · Code.Field``: the distinct values of that field on the coder's codings
  overlapping the unit, sorted, joined with ``"; "`` (a multiple choice gives each label).
  Unconfirmed suggestions are left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.domain.model import Coder, Document
from annotator.domain.sentences import sentence_spans
from annotator.domain.structure import paragraph_blocks

CELL_SEPARATOR = "; "
FIXED_COLUMNS = (
    "document_title",
    "document_id",
    "unit",
    "unit_index",
    "start",
    "end",
    "text",
)


class UnitKind(StrEnum):
    """What one row of the table stands for."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True, slots=True)
class UnitCoding:
    """The parts of a coding the table needs."""

    start: int
    end: int
    coder_id: str
    code_path: str
    fields: tuple[tuple[str, object], ...] = ()  # (field column, value) of the coding


def units_of(document: Document, unit: UnitKind) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the document's units, in text order."""
    if unit is UnitKind.SENTENCE:
        return sentence_spans(document.text, document.blocks)
    blocks = document.blocks or paragraph_blocks(document.text)
    spans = sorted({(b.start, b.end) for b in blocks if b.end > b.start})
    return spans


def coder_headers(coders: Sequence[Coder], document_columns: Sequence[str] = ()) -> list[str]:
    """Column headers for the coders: their names, made distinct from the other columns."""
    taken = {*FIXED_COLUMNS, *document_columns}
    out = []
    for coder in coders:
        name = coder.name
        while name in taken:
            name = f"{name} (coder)"
        taken.add(name)
        out.append(name)
    return out


def unit_header(
    coders: Sequence[Coder],
    field_columns: Sequence[str] = (),
    document_columns: Sequence[str] = (),
) -> list[str]:
    """The whole header row: fixed columns, the document columns (metadata, groups and
    attributes, see :class:`annotator.exchange.coded_set.DocumentColumns`), one column
    per coder, then per coder one column per field."""
    names = coder_headers(coders, document_columns)
    return [
        *FIXED_COLUMNS,
        *document_columns,
        *names,
        *(f"{n} · {f}" for n in names for f in field_columns),
    ]


def document_unit_rows(
    document: Document,
    codings: Iterable[UnitCoding],
    coders: Sequence[Coder],
    unit: UnitKind,
    field_columns: Sequence[str] = (),
) -> Iterator[list[object]]:
    """Rows of the table for one document, in unit order (``unit_index`` counts from 1).

    Units are sorted and, for sentences, never overlap; for overlapping blocks (a list item
    inside a table cell, say) a coding counts for each block it overlaps.
    """
    spans = units_of(document, unit)
    column = {str(c.id): i for i, c in enumerate(coders)}
    cells: list[list[set[str]]] = [[set() for _ in coders] for _ in spans]
    field_index = {name: i for i, name in enumerate(field_columns)}
    nf = len(field_columns)
    values: list[list[set[str]]] = [[set() for _ in range(len(coders) * nf)] for _ in spans]
    starts = [s for s, _ in spans]
    longest = max((e - s for s, e in spans), default=0)
    for coding in codings:
        col = column.get(coding.coder_id)
        if col is None:
            continue
        # Only units starting before the coding's end can overlap it; walk back from there
        # until no earlier unit could still reach the coding's start.
        i = bisect_right(starts, coding.end - 1) - 1
        while i >= 0 and starts[i] + longest > coding.start:
            s, e = spans[i]
            if s < coding.end and coding.start < e:
                cells[i][col].add(coding.code_path)
                for name, value in coding.fields:
                    if name in field_index and value is not None:
                        parts = value if isinstance(value, list) else [value]
                        values[i][col * nf + field_index[name]].update(map(str, parts))
            i -= 1
    text = document.text
    for index, (s, e) in enumerate(spans):
        yield [
            document.title,
            str(document.id),
            unit.value,
            index + 1,
            s,
            e,
            text[s:e],
            *(CELL_SEPARATOR.join(sorted(paths)) for paths in cells[index]),
            *(CELL_SEPARATOR.join(sorted(v)) for v in values[index]),
        ]
