"""Where a passage sits in its document: its sentence or paragraph, page and section.

Built once per document and asked per passage, each answer a binary search: a long report
has thousands of blocks, and an export may ask about thousands of passages. Sentences are
split only in the regions a passage touches (:class:`LazySentences`), which gives the same
sentences as splitting the whole text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from annotator.domain.sentences import region_sentences, sentence_regions
from annotator.domain.spanset import Run, units_touched
from annotator.domain.structure import Block, BlockKind, Page, paragraph_blocks


class DocumentPlaces:
    """Answers "which paragraph, sentence, page and section" for spans of one text."""

    def __init__(self, text: str, blocks: Sequence[Block], pages: Sequence[Page]) -> None:
        self.text = text
        source = blocks or paragraph_blocks(text)
        self.paragraphs: list[Block] = sorted(
            {(b.start, b.end): b for b in source if b.end > b.start}.values(),
            key=lambda b: (b.start, b.end),
        )
        self._para_runs: list[Run] = [(b.start, b.end) for b in self.paragraphs]
        self._para_starts = [b.start for b in self.paragraphs]
        self._headings = sorted(
            (b for b in blocks if b.kind is BlockKind.HEADING), key=lambda b: b.start
        )
        self._heading_starts = [b.start for b in self._headings]
        self._sentences = LazySentences(text, source)
        self._pages = sorted(pages, key=lambda p: p.start)
        self._page_starts = [p.start for p in self._pages]

    def paragraph(self, start: int, end: int) -> Run:
        """The paragraphs a span touches, as one span (the line(s) when none does)."""
        touched = units_touched(self._para_runs, self._para_starts, (start, max(end, start + 1)))
        if len(touched):
            return self._para_runs[touched[0]][0], max(self._para_runs[touched[-1]][1], end)
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        return line_start, len(self.text) if line_end < 0 else line_end

    def sentence(self, start: int, end: int) -> Run:
        """The sentences a span touches, as one span (the span itself when none does)."""
        hit = self._sentences.touched((start, max(end, start + 1)))
        if not hit:
            return start, end
        return min(min(hit)[0], start), max(max(e for _, e in hit), end)

    def page(self, offset: int) -> str | None:
        """The printed label (or number) of the page holding ``offset``."""
        i = bisect_right(self._page_starts, offset) - 1
        if i < 0:
            return None
        page = self._pages[i]
        if not page.start <= offset < max(page.end, page.start + 1):
            return None
        return page.label or str(page.number)

    def section(self, offset: int) -> str | None:
        """The text of the last heading starting at or before ``offset``."""
        i = bisect_right(self._heading_starts, offset) - 1
        if i < 0:
            return None
        heading = self._headings[i]
        return self.text[heading.start : heading.end].strip() or None


class LazySentences:
    """The sentences of one text, split only where asked.

    Splitting a long report into sentences costs tens of milliseconds; a positional query
    only needs the sentences around the passages it compares. Regions (blocks, and words
    between blocks) are split on first use and kept; the sentences are exactly those of
    :func:`~annotator.domain.sentences.sentence_spans`.
    """

    def __init__(self, text: str, blocks: Sequence[Block]) -> None:
        self.text = text
        self.regions = sentence_regions(text, blocks)
        self._starts = [r[0] for r in self.regions]
        self._split: dict[int, list[Run]] = {}

    def _sentences(self, region: int) -> list[Run]:
        if region not in self._split:
            self._split[region] = region_sentences(self.text, *self.regions[region])
        return self._split[region]

    def touched(self, run: Run) -> set[Run]:
        """The sentences sharing a character with ``run``."""
        out: set[Run] = set()
        for region in units_touched(self.regions, self._starts, run):
            out.update(s for s in self._sentences(region) if s[0] < run[1] and s[1] > run[0])
        return out

    def starts_between(self, low: int, high: int, limit: int) -> int:
        """How many sentences start in ``(low, high]``, counting no further than ``limit + 1``
        (a FOLLOWED BY ... WITHIN ``limit`` only needs to know it is more)."""
        count = 0
        first = max(0, bisect_right(self._starts, low) - 1)
        for region in range(first, len(self.regions)):
            if self.regions[region][0] > high:
                break
            count += sum(1 for s, _ in self._sentences(region) if low < s <= high)
            if count > limit:
                break
        return count
