"""Matrices over codings: code x document, code x document set (crosstab), co-occurrence.

Plain Python and numpy over columnar records (:class:`SpanTable`), so the same rules serve
the GUI, the command line, the exports and the property tests. The rules, stated once
(``docs/analysis.md``):

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

Totals: a row's total is the measure over every document of every column, each document
once; a column's total is, for count and presence, the sum of the column, and for coverage
the share of the column's text covered by any row's coding; the grand total is the count
of all codings, the share of all text covered, or the number of documents with any code.
For co-occurrence, a row's total is the sum of its cells off the diagonal and the grand
total the number of co-occurring pairs (or unit pairs) of different codes.

Every cell can list the codings behind it (:meth:`Matrix.passages`); the lists are made on
demand from sorted index arrays, so a 300 x 300 matrix over 100,000 codings is computed
without building 90,000 lists nobody looks at.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


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
class Axis:
    """One row or column: a stable key and the label shown."""

    key: Hashable
    label: str


@dataclass
class SpanTable:
    """Codings as columns of equal length: what every matrix reads.

    ``ids`` are the codings' ids as the database returned them (UUIDs, or their text);
    ``row`` is the matrix row of each coding (-1: not counted), ``doc`` its document's
    index (-1: out of scope), ``code`` and ``coder`` indices; offsets are code points.
    """

    ids: list
    row: np.ndarray
    doc: np.ndarray
    code: np.ndarray
    coder: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def build(cls, ids: list, row, doc, code, coder, start, end) -> SpanTable:
        """A table from plain sequences."""

        def arr(values) -> np.ndarray:
            return np.asarray(values, dtype=np.int64).reshape(-1)

        return cls(list(ids), arr(row), arr(doc), arr(code), arr(coder), arr(start), arr(end))

    def __len__(self) -> int:
        return len(self.ids)

    def uuid_of(self, index: int) -> uuid.UUID:
        """The id of coding ``index`` as a UUID."""
        raw = self.ids[index]
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))


class _Lookup:
    """Which codings sit behind a cell, row or column; answered on demand."""

    def cell(self, row: int, column: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def row(self, row: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def column(self, column: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def everything(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class Matrix:
    """A table of numbers with the codings behind each cell, and totals.

    ``values[r][c]`` is an int (count, presence) or a float (coverage).
    """

    kind: str  # "codes x documents", "codes x groups", "codes x codes (overlap)"...
    measure: str
    rows: list[Axis]
    columns: list[Axis]
    values: list[list[float]]
    row_totals: list[float] = field(default_factory=list)
    column_totals: list[float] = field(default_factory=list)
    grand_total: float = 0
    spans: SpanTable | None = None
    lookup: _Lookup | None = None

    def value(self, row: int, column: int) -> float:
        """The number in one cell."""
        return self.values[row][column]

    def _ids(self, indices: np.ndarray) -> tuple[uuid.UUID, ...]:
        if self.spans is None or not len(indices):
            return ()
        return tuple(self.spans.uuid_of(int(i)) for i in np.unique(indices))

    def passages(self, row: int, column: int) -> tuple[uuid.UUID, ...]:
        """The ids of the codings behind one cell (empty for an empty cell)."""
        return self._ids(self.lookup.cell(row, column)) if self.lookup else ()

    def row_passages(self, row: int) -> tuple[uuid.UUID, ...]:
        """The codings behind a row's total."""
        return self._ids(self.lookup.row(row)) if self.lookup else ()

    def column_passages(self, column: int) -> tuple[uuid.UUID, ...]:
        """The codings behind a column's total."""
        return self._ids(self.lookup.column(column)) if self.lookup else ()

    def all_passages(self) -> tuple[uuid.UUID, ...]:
        """The codings behind the grand total."""
        return self._ids(self.lookup.everything()) if self.lookup else ()

    def maximum(self) -> float:
        """The largest cell value (0 for an empty matrix), for shading."""
        return max((v for line in self.values for v in line), default=0)


def union_length(spans: Sequence[tuple[int, int]]) -> int:
    """The number of code points covered by at least one of ``spans``."""
    total, begin, reach = 0, 0, -1
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


def _grouped_union(group: np.ndarray, start: np.ndarray, end: np.ndarray, groups: int):
    """Union length of the spans of each group (vectorised ``union_length``)."""
    if not len(group):
        return np.zeros(groups, dtype=np.int64)
    # Shift every group into its own stretch of one line, so a running maximum of the
    # ends never carries from one group into the next.
    width = int(end.max()) + 1
    s = start + group * width
    e = end + group * width
    order = np.lexsort((s, group))
    s, e, g = s[order], e[order], group[order]
    reach = np.maximum.accumulate(e)
    before = np.concatenate(([np.iinfo(np.int64).min], reach[:-1]))
    gain = np.maximum(0, e - np.maximum(s, before))
    return np.bincount(g, weights=gain, minlength=groups).astype(np.int64)


class _ByColumns(_Lookup):
    def __init__(self, order, keys, n_docs, members, union_docs, n_rows):
        self.order, self.keys, self.n_docs = order, keys, n_docs
        self.members, self.union_docs, self.n_rows = members, union_docs, n_rows

    def _slice(self, row: int, docs: Sequence[int]) -> list[np.ndarray]:
        out = []
        for d in docs:
            key = row * self.n_docs + d
            lo, hi = np.searchsorted(self.keys, [key, key + 1])
            if hi > lo:
                out.append(self.order[lo:hi])
        return out

    def _join(self, parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def cell(self, row: int, column: int) -> np.ndarray:
        return self._join(self._slice(row, self.members[column]))

    def row(self, row: int) -> np.ndarray:
        return self._join(self._slice(row, self.union_docs))

    def column(self, column: int) -> np.ndarray:
        docs = self.members[column]
        return self._join([p for r in range(self.n_rows) for p in self._slice(r, docs)])

    def everything(self) -> np.ndarray:
        return self._join([p for r in range(self.n_rows) for p in self._slice(r, self.union_docs)])


def code_by_columns(
    table: SpanTable,
    rows: Sequence[Axis],
    columns: Sequence[Axis],
    members: Sequence[Sequence[int]],
    lengths: Sequence[int],
    measure: Measure | str = Measure.COUNT,
    *,
    kind: str = "codes x documents",
) -> Matrix:
    """Rows (``table.row``) by sets of documents: column ``c`` holds the document indices
    ``members[c]``; ``lengths[d]`` is document ``d``'s length. A document may sit in
    several columns (a document in two groups counts in both)."""
    measure = Measure(measure)
    n_rows, n_docs, n_cols = len(rows), len(lengths), len(columns)
    keep = (table.row >= 0) & (table.doc >= 0)
    index = np.nonzero(keep)[0]
    r, d = table.row[keep], table.doc[keep]
    cell_key = r * n_docs + d
    counts = np.bincount(cell_key, minlength=n_rows * n_docs).reshape(n_rows, n_docs)
    member = np.zeros((n_docs, n_cols), dtype=np.int64)
    for c, docs in enumerate(members):
        member[list(docs), c] = 1
    union = (member.sum(axis=1) > 0).astype(np.int64)
    length = np.asarray(lengths, dtype=np.int64)
    col_len, all_len = length @ member, int(length @ union)
    has = (counts > 0).astype(np.int64)
    if measure is Measure.COUNT:
        values = counts @ member
        row_totals = counts @ union
        column_totals = values.sum(axis=0)
        grand: float = int(row_totals.sum())
    elif measure is Measure.PRESENCE:
        values = has @ member
        row_totals = has @ union
        column_totals = values.sum(axis=0)
        grand = int(((has.sum(axis=0) > 0) * union).sum())
    else:
        covered = _grouped_union(
            cell_key, table.start[keep], table.end[keep], n_rows * n_docs
        ).reshape(n_rows, n_docs)
        per_doc = _grouped_union(d, table.start[keep], table.end[keep], n_docs)
        values = _share(covered @ member, col_len)
        row_totals = _share(covered @ union, np.full(n_rows, all_len))
        column_totals = _share(per_doc @ member, col_len)
        grand = float(per_doc @ union) / all_len if all_len else 0.0
    order = np.argsort(cell_key, kind="stable")
    lookup = _ByColumns(
        index[order],
        cell_key[order],
        n_docs,
        [list(m) for m in members],
        list(np.nonzero(union)[0]),
        n_rows,
    )
    return Matrix(
        kind=kind,
        measure=measure.value,
        rows=list(rows),
        columns=list(columns),
        values=np.asarray(values).tolist(),
        row_totals=np.asarray(row_totals).tolist(),
        column_totals=np.asarray(column_totals).tolist(),
        grand_total=grand,
        spans=table,
        lookup=lookup,
    )


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    whole = np.asarray(whole, dtype=float)
    return np.divide(part, whole, out=np.zeros(np.shape(part), dtype=float), where=whole > 0)


class _Pairs(_Lookup):
    """Co-occurring pairs (coding index a, coding index b), looked up by code pair."""

    def __init__(self, table: SpanTable, a: np.ndarray, b: np.ndarray, n: int, keep) -> None:
        self.table, self.n, self._a, self._b = table, n, a, b
        self.members = np.nonzero(keep)[0]
        self.codes = table.row[self.members]
        self.key: np.ndarray | None = None

    def _sorted(self) -> None:
        # Sorted by code pair on the first look-up only: most matrices are never clicked.
        ca, cb = self.table.row[self._a], self.table.row[self._b]
        key = np.minimum(ca, cb) * self.n + np.maximum(ca, cb)
        order = np.argsort(key, kind="stable")
        self.key, self.a, self.b = key[order], self._a[order], self._b[order]

    def cell(self, row: int, column: int) -> np.ndarray:
        if row == column:
            return self.members[self.codes == row]
        if self.key is None:
            self._sorted()
        key = min(row, column) * self.n + max(row, column)
        lo, hi = np.searchsorted(self.key, [key, key + 1])
        return np.concatenate((self.a[lo:hi], self.b[lo:hi]))

    def row(self, row: int) -> np.ndarray:
        parts = [self.cell(row, c) for c in range(self.n) if c != row]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def column(self, column: int) -> np.ndarray:
        return self.row(column)

    def everything(self) -> np.ndarray:
        return np.concatenate((self._a, self._b))


WINDOW_WORK_LIMIT = 20_000_000
"""Above this many candidate comparisons the vectorised pair search gives way to a sweep."""


def overlapping_pairs(table: SpanTable, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(a, b)`` of every pair of kept codings by the same coder in the same
    document whose spans overlap and whose rows differ; each pair once."""
    idx = np.nonzero(keep)[0]
    if len(idx) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    n_coders = int(table.coder[idx].max()) + 1
    group = table.doc[idx] * n_coders + table.coder[idx]
    order = np.lexsort((table.start[idx], group))
    idx, group = idx[order], group[order]
    start, end, row = table.start[idx], table.end[idx], table.row[idx]
    # Codings are sorted by start within a group: coding j < i overlaps i when it ends after
    # i starts, and it can only do so when it starts at most the longest span before i.
    longest = int((end - start).max())
    width = int(end.max()) + longest + 1
    line = group * width + start
    reach = np.arange(len(idx)) - np.searchsorted(line, line - longest, side="left")
    window = int(reach.max())
    if window * len(idx) > WINDOW_WORK_LIMIT:
        return _sweep_pairs(idx, group, start, end, row)
    first: list[np.ndarray] = []
    second: list[np.ndarray] = []
    for k in range(1, window + 1):
        i = np.arange(k, len(idx))
        j = i - k
        hit = (group[j] == group[i]) & (end[j] > start[i]) & (row[j] != row[i])
        first.append(idx[j[hit]])
        second.append(idx[i[hit]])
    if not first:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(first), np.concatenate(second)


def _sweep_pairs(idx, group, start, end, row) -> tuple[np.ndarray, np.ndarray]:
    """The same pairs by a sweep line (for data with very long codings)."""
    first: list[int] = []
    second: list[int] = []
    current = None
    active: list[tuple[int, int, int]] = []  # (end, row, coding index) still open
    for i, g, s, e, r in zip(
        idx.tolist(), group.tolist(), start.tolist(), end.tolist(), row.tolist(), strict=True
    ):
        if g != current:
            current, active = g, []
        active = [x for x in active if x[0] > s]
        for _, other_row, other in active:
            if other_row != r:
                first.append(other)
                second.append(i)
        active.append((e, r, i))
    return np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)


def cooccurrence_overlap(table: SpanTable, codes: Sequence[Axis]) -> Matrix:
    """Codes x codes (``table.row`` is the code's row): overlapping pairs of codings by the
    same coder in the same document."""
    n = len(codes)
    keep = (table.row >= 0) & (table.doc >= 0)
    a, b = overlapping_pairs(table, keep)
    counts = np.bincount(table.row[a] * n + table.row[b], minlength=n * n).reshape(n, n)
    counts = counts + counts.T
    np.fill_diagonal(counts, np.bincount(table.row[keep], minlength=n)[:n])
    return _square("codes x codes (overlap)", codes, counts, table, _Pairs(table, a, b, n, keep))


class _UnitPairs(_Lookup):
    """(unit, coder) groups with the codings of each code, for unit co-occurrence."""

    def __init__(self, groups: list[dict[int, list[int]]], n: int) -> None:
        self.groups, self.n = groups, n

    def cell(self, row: int, column: int) -> np.ndarray:
        out: list[int] = []
        for present in self.groups:
            if row in present and column in present:
                out.extend(present[row])
                if column != row:
                    out.extend(present[column])
        return np.asarray(out, dtype=np.int64)

    def row(self, row: int) -> np.ndarray:
        out: list[int] = []
        for present in self.groups:
            if row in present and len(present) > 1:
                for ids in present.values():
                    out.extend(ids)
        return np.asarray(out, dtype=np.int64)

    def column(self, column: int) -> np.ndarray:
        return self.row(column)

    def everything(self) -> np.ndarray:
        out = [i for p in self.groups if len(p) > 1 for ids in p.values() for i in ids]
        return np.asarray(out, dtype=np.int64)


def cooccurrence_units(
    table: SpanTable,
    codes: Sequence[Axis],
    units: dict[int, Sequence[tuple[int, int]]],
    mode: CoMode | str,
) -> Matrix:
    """Codes x codes: (unit, coder) pairs where both codes were applied to the unit.

    ``units[document index]`` are the sorted ``(start, end)`` sentences or paragraphs of
    the document; a coding counts for every unit it overlaps by at least one code point.
    """
    n = len(codes)
    hits: dict[tuple[int, int, int], dict[int, list[int]]] = defaultdict(dict)
    starts = {d: [s for s, _ in u] for d, u in units.items()}
    longest = {d: max((e - s for s, e in u), default=0) for d, u in units.items()}
    rows, docs, coders = table.row.tolist(), table.doc.tolist(), table.coder.tolist()
    begins, ends = table.start.tolist(), table.end.tolist()
    for i in range(len(table)):
        r, d = rows[i], docs[i]
        spans_of = units.get(d)
        if r < 0 or d < 0 or not spans_of:
            continue
        first = starts[d]
        k = bisect_right(first, ends[i] - 1) - 1
        while k >= 0 and first[k] + longest[d] > begins[i]:
            us, ue = spans_of[k]
            if us < ends[i] and begins[i] < ue:
                hits[(d, k, coders[i])].setdefault(r, []).append(i)
            k -= 1
    counts = np.zeros((n, n), dtype=np.int64)
    for present in hits.values():
        keys = list(present)
        counts[np.ix_(keys, keys)] += 1
    kind = f"codes x codes (same {CoMode(mode).value})"
    return _square(kind, codes, counts, table, _UnitPairs(list(hits.values()), n))


def _square(kind: str, codes, counts: np.ndarray, table: SpanTable, lookup: _Lookup) -> Matrix:
    off = counts - np.diag(np.diag(counts))
    row_totals = off.sum(axis=1)
    return Matrix(
        kind=kind,
        measure="count",
        rows=list(codes),
        columns=list(codes),
        values=counts.tolist(),
        row_totals=row_totals.tolist(),
        column_totals=row_totals.tolist(),
        grand_total=int(row_totals.sum() // 2),
        spans=table,
        lookup=lookup,
    )
