"""Footnotes at the foot of a PDF page: found, taken out of the text flow, kept as notes.

A footnote left in the flow sits between the last line of one page and the first line of
the next, so it cuts in two a paragraph that runs on across the page break and is coded as
if it were body text. The rule (documented in ``docs/decisions.md``):

* The *note zone* of a page is its lines below every body-size line (at least 0.95 × the
  body font size) that are set at most 0.9 × the body size.
* The notes start at the first line of the zone, top to bottom, that begins with a note
  mark ("1", "12.", "3)", "*", "†", "‡", "§", superscript digits) and lies in the lower 45 %
  of the page; lines of the zone above it (a table's "Source:" line, say) stay in the text.
* From there, each line that begins with a mark starts a note; other lines continue the
  note before them (a hyphen at a line end before a lower-case letter is removed).
* Numbered notes on a page count up by one ("3", "4", "5"); when they do not, the lines
  are something else set small (a listing of sizes and fields, say) and stay in the text.

The notes of a page become ``footnote`` blocks "[mark] text" after the paragraph that is
open at the end of that page, so a paragraph that runs on to the next page stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from annotator.exchange.importers.pdf_text import _Segment

_NOTE_MARK = re.compile(r"^(\d{1,3}|[*†‡§]{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})(?:[.)]?\s+|(?=[^\W\d_]))(?=\S)")
ZONE_TOP = 0.45  # notes start in the lower 45 % of the page
HYPHENS = ("-", "\u2010", "\u00ad")


@dataclass(frozen=True)
class PageNote:
    """One footnote of a page: its mark and its text (lines joined)."""

    mark: str
    text: str

    def block_text(self) -> str:
        """The note as it appears in the document: "[mark] text"."""
        return f"[{self.mark}] {self.text}"


def split_footnotes(
    segs: list[_Segment], body: float, page_height: float
) -> tuple[list[_Segment], list[PageNote]]:
    """``segs`` without the page's footnotes, and those footnotes in order."""
    body_bottoms = [s.y0 for s in segs if s.size >= 0.95 * body]
    if not body_bottoms:
        return segs, []
    floor = min(body_bottoms)
    zone = sorted(
        (s for s in segs if s.y1 <= floor and s.size <= 0.9 * body),
        key=lambda s: (-s.y1, s.x0),
    )
    first = next(
        (
            i
            for i, s in enumerate(zone)
            if s.y1 <= ZONE_TOP * page_height and _NOTE_MARK.match(s.text)
        ),
        None,
    )
    if first is None:
        return segs, []
    notes: list[tuple[str, list[str]]] = []
    for seg in zone[first:]:
        match = _NOTE_MARK.match(seg.text)
        if match:
            notes.append((match.group(1), [seg.text[match.end() :].strip()]))
        else:
            notes[-1][1].append(seg.text)
    numbers = [int(mark) for mark, _lines in notes if mark.isdecimal()]
    if any(b != a + 1 for a, b in pairwise(numbers)):
        # Footnotes on a page are numbered in sequence; small lines that each start with a
        # number but do not count up ("4 CARD32 ...", "4 CARD32 ...") are a listing.
        return segs, []
    taken = {id(s) for s in zone[first:]}
    kept = [s for s in segs if id(s) not in taken]
    return kept, [PageNote(mark, _join_lines(lines)) for mark, lines in notes]


def _join_lines(lines: list[str]) -> str:
    """A note's lines as one line of text, with words hyphenated at a line end rejoined."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith(HYPHENS) and text[-2:-1].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
