"""An index of one document's codings for drawing: what covers a range, and with what.

The view asks only about the visible range, so the cost of highlighting follows what is on
screen, not the length of the document. Codings are kept in fixed-size buckets of the
text; a coding is registered in every bucket it touches, so a range query visits only
the buckets it overlaps, and adding or removing one coding touches only its buckets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from annotator.domain.model import Coding

BUCKET = 2048


@dataclass(frozen=True, slots=True)
class Segment:
    """A maximal run ``[start, end)`` covered by the same set of codings."""

    start: int
    end: int
    codings: tuple[Coding, ...]


class CodingIndex:
    """Codings of one document, queryable by position."""

    def __init__(self, codings: Iterable[Coding] = ()) -> None:
        self._by_id: dict[uuid.UUID, Coding] = {}
        self._buckets: dict[int, set[uuid.UUID]] = {}
        for coding in codings:
            self.add(coding)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, coding_id: object) -> bool:
        return coding_id in self._by_id

    def get(self, coding_id: uuid.UUID) -> Coding | None:
        """The coding with this id, if indexed."""
        return self._by_id.get(coding_id)

    def all(self) -> list[Coding]:
        """Every coding, by start then end."""
        return sorted(self._by_id.values(), key=lambda c: (c.start, c.end, str(c.id)))

    @staticmethod
    def _bucket_range(start: int, end: int) -> range:
        return range(start // BUCKET, max(start, end - 1) // BUCKET + 1)

    def add(self, coding: Coding) -> None:
        """Index ``coding`` (replacing an older version with the same id)."""
        if coding.id in self._by_id:
            self.remove(coding.id)
        self._by_id[coding.id] = coding
        for b in self._bucket_range(coding.start, coding.end):
            self._buckets.setdefault(b, set()).add(coding.id)

    def remove(self, coding_id: uuid.UUID) -> Coding | None:
        """Drop a coding; return it, or None when it was not indexed."""
        coding = self._by_id.pop(coding_id, None)
        if coding is not None:
            for b in self._bucket_range(coding.start, coding.end):
                bucket = self._buckets.get(b)
                if bucket is not None:
                    bucket.discard(coding_id)
                    if not bucket:
                        del self._buckets[b]
        return coding

    def overlapping(self, start: int, end: int) -> list[Coding]:
        """Codings that share at least one character with ``[start, end)``, by position."""
        ids: set[uuid.UUID] = set()
        for b in self._bucket_range(start, max(end, start + 1)):
            ids.update(self._buckets.get(b, ()))
        found = [
            c
            for c in (self._by_id[i] for i in ids)
            if c.start < max(end, start + 1) and start < c.end
        ]
        found.sort(key=lambda c: (c.start, c.end, str(c.id)))
        return found

    def at(self, offset: int) -> list[Coding]:
        """Codings that cover the character at ``offset``."""
        return self.overlapping(offset, offset + 1)

    def segments(self, start: int, end: int) -> list[Segment]:
        """Split ``[start, end)`` into runs covered by the same codings (uncoded runs omitted).

        A sweep over the sorted boundaries of the overlapping codings: cost grows with the
        number of codings in view, not with the number of characters.
        """
        codings = self.overlapping(start, end)
        if not codings:
            return []
        points = {start, end}
        for c in codings:
            points.add(max(c.start, start))
            points.add(min(c.end, end))
        bounds = sorted(points)
        out: list[Segment] = []
        for a, b in pairwise(bounds):
            covering = tuple(c for c in codings if c.start <= a and c.end >= b)
            if covering:
                out.append(Segment(a, b, covering))
        return out

    def next_after(self, offset: int) -> Coding | None:
        """The first coding starting after ``offset``."""
        later = [c for c in self._by_id.values() if c.start > offset]
        return min(later, key=lambda c: (c.start, c.end), default=None)

    def previous_before(self, offset: int) -> Coding | None:
        """The last coding starting before ``offset``."""
        earlier = [c for c in self._by_id.values() if c.start < offset]
        return max(earlier, key=lambda c: (c.start, c.end), default=None)
