"""Sets of characters of one text as sorted, disjoint, non-touching half-open runs.

Retrieval (``domain/retrieval.py``) evaluates AND, OR and NOT as set operations on the
characters a code covers: "A AND B" is the text coded with both, "A AND NOT B" the text
coded A and not B. A :class:`SpanSet` holds such a set as maximal runs ``[start, end)``,
so each run is one retrieved passage. All operations are linear merges.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Run = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SpanSet:
    """Maximal runs, sorted, disjoint and not touching (``a.end < b.start``)."""

    runs: tuple[Run, ...] = ()

    @classmethod
    def of(cls, spans: Iterable[Run]) -> SpanSet:
        """The union of any spans (empty ones are ignored)."""
        merged: list[list[int]] = []
        for start, end in sorted(s for s in spans if s[1] > s[0]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return cls(tuple((s, e) for s, e in merged))

    def __bool__(self) -> bool:
        return bool(self.runs)

    def __len__(self) -> int:
        return len(self.runs)

    def size(self) -> int:
        """How many characters the set holds."""
        return sum(e - s for s, e in self.runs)

    def union(self, other: SpanSet) -> SpanSet:
        """Characters in either set."""
        return SpanSet.of((*self.runs, *other.runs))

    def intersection(self, other: SpanSet) -> SpanSet:
        """Characters in both sets."""
        out: list[Run] = []
        a, b = self.runs, other.runs
        i = j = 0
        while i < len(a) and j < len(b):
            start = max(a[i][0], b[j][0])
            end = min(a[i][1], b[j][1])
            if start < end:
                out.append((start, end))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return SpanSet.of(out)  # pieces of one run may touch a neighbour's piece: re-merge

    def complement(self, length: int) -> SpanSet:
        """Characters of ``[0, length)`` not in the set."""
        out: list[Run] = []
        cursor = 0
        for start, end in self.runs:
            if start > cursor:
                out.append((cursor, min(start, length)))
            cursor = max(cursor, end)
        if cursor < length:
            out.append((cursor, length))
        return SpanSet(tuple((s, e) for s, e in out if e > s))

    def difference(self, other: SpanSet) -> SpanSet:
        """Characters in this set and not in ``other``."""
        if not self.runs:
            return self
        return self.intersection(other.complement(self.runs[-1][1]))

    def runs_overlapping(self, other: SpanSet) -> SpanSet:
        """This set's runs that share at least one character with ``other`` (whole runs)."""
        starts = [s for s, _ in other.runs]
        keep = []
        for start, end in self.runs:
            # the last run of ``other`` starting before ``end`` is the only candidate
            k = bisect_left(starts, end) - 1
            if k >= 0 and other.runs[k][1] > start:
                keep.append((start, end))
        return SpanSet(tuple(keep))


def unit_index(unit_starts: Sequence[int], offset: int) -> int:
    """The index of the unit (sentence, paragraph) holding ``offset``: the last one that
    starts at or before it (-1 before the first). Offsets between units belong to the one
    before, so white space after a sentence counts as part of it."""
    return bisect_right(unit_starts, offset) - 1


def units_touched(units: Sequence[Run], starts: Sequence[int], run: Run) -> range:
    """Indexes of the ``units`` (sorted, disjoint; ``starts`` their starts) sharing a
    character with ``run``."""
    first = bisect_right(starts, run[0]) - 1
    if first < 0 or units[first][1] <= run[0]:
        first += 1
    last = bisect_left(starts, run[1]) - 1
    return range(first, last + 1)
