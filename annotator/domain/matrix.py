"""Matrices over codings: code x document, code x document set (crosstab), co-occurrence.

Plain Python over plain records, so the same rules serve the GUI, the command line, the
exports and the property tests. The rules, stated once (``docs/analysis_tables.md``):

* **count**: the number of codings of the row's code (by the coders in scope) in the
  column's documents. A code's own codings only; its sub-codes have their own rows.
* **coverage**: the share of the column's text covered by the row's codings, as a fraction
  in [0, 1]: the length of the *union* of the codings' spans (overlapping codings, also of
  different coders, are counted once) divided by the summed length of the documents.
* **presence**: for one document, 1 when the code has at least one coding there, else 0;
  for a set of documents (a group, an attribute value), the number of its documents that
  have the code.
* **co-occurrence by overlap**: the number of pairs of codings of the two codes, in the same
  document and by the same coder, whose spans share at least one code point. The diagonal
  holds the code's number of codings.
* **co-occurrence by sentence or paragraph**: the number of (unit, coder) pairs in which the
  coder applied both codes to codings overlapping the unit by at least one code point. The
  diagonal holds the number of (unit, coder) pairs with the code.

Every cell keeps the ids of the codings behind it, so a number always opens its passages.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Measure(StrEnum):
    """What a code x document(s) cell counts."""

    COUNT = "count"
    COVERAGE = "coverage"
    PRESENCE = "presence"


class CoMode(StrEnum):
    """When two codings count as occurring together."""

    OVERLAP = "overlap"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True, slots=True)
class Span:
    """The parts of a coding a matrix needs."""

    id: uuid.UUID
    document_id: uuid.UUID
    code_id: uuid.UUID
    coder_id: uuid.UUID
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Axis:
    """One row or column: a stable key and the label shown."""

    key: Hashable
    label: str


@dataclass
class Matrix:
    """A table of numbers with the codings behind each cell, and totals.

    ``values[r][c]`` is an int (count, presence) or a float (coverage); ``cells[(r, c)]``
    holds the coding ids behind a non-empty cell; ``row_totals``, ``column_totals`` and
    ``grand_total`` follow the measure's rule (see :func:`code_by_columns`).
    """

    kind: str  # "codes x documents", "codes x groups", "codes x codes"...
    measure: str
    rows: list[Axis]
    columns: list[Axis]
    values: list[list[float]]
    cells: dict[tuple[int, int], tuple[uuid.UUID, ...]] = field(default_factory=dict)
    row_totals: list[float] = field(default_factory=list)
    column_totals: list[float] = field(default_factory=list)
    grand_total: float = 0
    row_cells: dict[int, tuple[uuid.UUID, ...]] = field(default_factory=dict)
    column_cells: dict[int, tuple[uuid.UUID, ...]] = field(default_factory=dict)

    def value(self, row: int, column: int) -> float:
        """The number in one cell."""
        return self.values[row][column]

    def passages(self, row: int, column: int) -> tuple[uuid.UUID, ...]:
        """The ids of the codings behind one cell (empty for an empty cell)."""
        return self.cells.get((row, column), ())

    def maximum(self) -> float:
        """The largest cell value (0 for an empty matrix), for shading."""
        return max((v for line in self.values for v in line), default=0)


def union_length(spans: Iterable[tuple[int, int]]) -> int:
    """The number of code points covered by at least one of ``spans``."""
    total = 0
    reach = -1
    begin = 0
    for start, end in sorted(spans):
        if start > reach:
            if reach > begin:
                total += reach - begin
            begin, reach = start, end
        elif end > reach:
            reach = end
    if reach > begin:
        total += reach - begin
    return total


def _row_key(span: Span, by_coder: bool) -> Hashable:
    return (span.code_id, span.coder_id) if by_coder else span.code_id


def code_by_columns(
    spans: Iterable[Span],
    rows: Sequence[Axis],
    columns: Sequence[Axis],
    members: Mapping[Hashable, Sequence[uuid.UUID]],
    lengths: Mapping[uuid.UUID, int],
    measure: Measure | str = Measure.COUNT,
    *,
    by_coder: bool = False,
    kind: str = "codes x documents",
) -> Matrix:
    """Codes (rows) by sets of documents (columns; ``members[column.key]`` lists them).

    Row keys are code ids, or ``(code_id, coder_id)`` with ``by_coder``. A document may sit
    in several columns (a document in two groups counts in both). Totals:

    * a row's total is the measure over every document of every column, each document once;
    * a column's total is, for count and presence, the sum of the column; for coverage, the
      share of the column's text covered by any of the rows' codings;
    * the grand total is the count of all codings, the share of all text covered, or the
      number of documents with any code.
    """
    measure = Measure(measure)
    row_index = {r.key: i for i, r in enumerate(rows)}
    # Per (row, document): coding ids and spans.
    per: dict[tuple[int, uuid.UUID], list[Span]] = defaultdict(list)
    for span in spans:
        r = row_index.get(_row_key(span, by_coder))
        if r is not None:
            per[(r, span.document_id)].append(span)
    by_row_docs: dict[int, dict[uuid.UUID, list[Span]]] = defaultdict(dict)
    for (r, doc), items in per.items():
        by_row_docs[r][doc] = items
    covered: dict[tuple[int, uuid.UUID], int] = {}
    if measure is Measure.COVERAGE:
        covered = {k: union_length((s.start, s.end) for s in v) for k, v in per.items()}

    def measure_of(r: int, docs: Sequence[uuid.UUID]) -> tuple[float, list[Span]]:
        found = by_row_docs.get(r, {})
        hits = [found[d] for d in docs if d in found]
        behind = [s for items in hits for s in items]
        if measure is Measure.COUNT:
            return len(behind), behind
        if measure is Measure.PRESENCE:
            return len(hits), behind
        size = sum(lengths.get(d, 0) for d in docs)
        cov = sum(covered[(r, d)] for d in docs if d in found)
        return (cov / size if size else 0.0), behind

    values: list[list[float]] = []
    cells: dict[tuple[int, int], tuple[uuid.UUID, ...]] = {}
    for r in range(len(rows)):
        line: list[float] = []
        for c, column in enumerate(columns):
            value, behind = measure_of(r, members.get(column.key, ()))
            line.append(value)
            if behind:
                cells[(r, c)] = tuple(s.id for s in behind)
        values.append(line)
    every = list(dict.fromkeys(d for col in columns for d in members.get(col.key, ())))
    row_totals, row_cells = [], {}
    for r in range(len(rows)):
        value, behind = measure_of(r, every)
        row_totals.append(value)
        if behind:
            row_cells[r] = tuple(s.id for s in behind)
    column_totals, column_cells = [], {}
    for c, column in enumerate(columns):
        docs = members.get(column.key, ())
        behind = [s for r in range(len(rows)) for s in _spans_in(by_row_docs.get(r, {}), docs)]
        if measure is Measure.COVERAGE:
            column_totals.append(_coverage_of(behind, docs, lengths))
        else:
            column_totals.append(sum(values[r][c] for r in range(len(rows))))
        if behind:
            column_cells[c] = tuple(s.id for s in behind)
    everything = [s for r in range(len(rows)) for s in _spans_in(by_row_docs.get(r, {}), every)]
    if measure is Measure.COUNT:
        grand: float = len(everything)
    elif measure is Measure.PRESENCE:
        grand = len({s.document_id for s in everything})
    else:
        grand = _coverage_of(everything, every, lengths)
    return Matrix(
        kind=kind,
        measure=measure.value,
        rows=list(rows),
        columns=list(columns),
        values=values,
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        grand_total=grand,
        row_cells=row_cells,
        column_cells=column_cells,
    )


def _spans_in(found: Mapping[uuid.UUID, list[Span]], docs: Sequence[uuid.UUID]) -> list[Span]:
    return [s for d in docs if d in found for s in found[d]]


def _coverage_of(
    spans: Sequence[Span], docs: Sequence[uuid.UUID], lengths: Mapping[uuid.UUID, int]
) -> float:
    size = sum(lengths.get(d, 0) for d in docs)
    if not size:
        return 0.0
    by_doc: dict[uuid.UUID, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        by_doc[s.document_id].append((s.start, s.end))
    return sum(union_length(v) for v in by_doc.values()) / size


def cooccurrence_overlap(spans: Iterable[Span], codes: Sequence[Axis]) -> Matrix:
    """Codes x codes: pairs of overlapping codings by the same coder in the same document."""
    index = {a.key: i for i, a in enumerate(codes)}
    n = len(codes)
    counts = [[0] * n for _ in range(n)]
    behind: dict[tuple[int, int], set[uuid.UUID]] = defaultdict(set)
    groups: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[int, int, int, uuid.UUID]]] = defaultdict(
        list
    )
    for s in spans:
        i = index.get(s.code_id)
        if i is None:
            continue
        counts[i][i] += 1
        behind[(i, i)].add(s.id)
        groups[(s.document_id, s.coder_id)].append((s.start, s.end, i, s.id))
    for items in groups.values():
        items.sort()
        active: list[tuple[int, int, uuid.UUID]] = []  # (end, code, id) of open codings
        for start, end, i, cid in items:
            active = [a for a in active if a[0] > start]
            for _, j, other in active:
                if j == i:
                    continue
                counts[i][j] += 1
                counts[j][i] += 1
                for key in ((i, j), (j, i)):
                    behind[key].update((cid, other))
            active.append((end, i, cid))
    return _square("codes x codes (overlap)", codes, counts, behind)


def cooccurrence_units(
    spans: Iterable[Span],
    codes: Sequence[Axis],
    units: Mapping[uuid.UUID, Sequence[tuple[int, int]]],
    mode: CoMode | str,
) -> Matrix:
    """Codes x codes: (unit, coder) pairs where both codes were applied to the unit.

    ``units[document_id]`` are the sorted ``(start, end)`` sentences or paragraphs of the
    document; a coding counts for every unit it overlaps by at least one code point.
    """
    index = {a.key: i for i, a in enumerate(codes)}
    n = len(codes)
    # (document, unit index, coder) -> code index -> coding ids
    hits: dict[tuple[uuid.UUID, int, uuid.UUID], dict[int, list[uuid.UUID]]] = defaultdict(
        lambda: defaultdict(list)
    )
    starts = {d: [s for s, _ in u] for d, u in units.items()}
    longest = {d: max((e - s for s, e in u), default=0) for d, u in units.items()}
    for s in spans:
        i = index.get(s.code_id)
        spans_of = units.get(s.document_id)
        if i is None or not spans_of:
            continue
        first = starts[s.document_id]
        k = bisect_right(first, s.end - 1) - 1
        while k >= 0 and first[k] + longest[s.document_id] > s.start:
            us, ue = spans_of[k]
            if us < s.end and s.start < ue:
                hits[(s.document_id, k, s.coder_id)][i].append(s.id)
            k -= 1
    counts = [[0] * n for _ in range(n)]
    behind: dict[tuple[int, int], set[uuid.UUID]] = defaultdict(set)
    for present in hits.values():
        keys = sorted(present)
        for a in keys:
            for b in keys:
                counts[a][b] += 1
                behind[(a, b)].update(present[a])
                if a != b:
                    behind[(a, b)].update(present[b])
    return _square(f"codes x codes (same {CoMode(mode).value})", codes, counts, behind)


def _square(
    kind: str,
    codes: Sequence[Axis],
    counts: list[list[int]],
    behind: Mapping[tuple[int, int], set[uuid.UUID]],
) -> Matrix:
    n = len(codes)
    row_totals = [sum(counts[i][j] for j in range(n) if j != i) for i in range(n)]
    return Matrix(
        kind=kind,
        measure="count",
        rows=list(codes),
        columns=list(codes),
        values=[list(line) for line in counts],
        cells={k: tuple(sorted(v, key=str)) for k, v in behind.items() if v},
        row_totals=row_totals,
        column_totals=list(row_totals),
        grand_total=sum(row_totals) // 2,
    )
