"""Page furniture for the PDF importer: running headers and footers, page numbers, margin
stamps and line numbers, found statistically across the whole document and removed.

The rules (and their limits, in docs/decisions.md, "Page furniture"):

1. **Candidates** are the text lines among the three top-most and three bottom-most lines
   of a page that lie in the top or bottom ``MARGIN_BAND`` of the page height.
2. A candidate's **key** is its letters only, lower-cased, after dropping a page number at
   either end: "22 BEHAVIOUR CHANGE" and "BEHAVIOUR CHANGE 23" share the key
   "behaviourchange", and a letter-spaced header ("g r e e n pa rt y") matches itself on
   every page. Headers that alternate between odd and even pages, or carry the page
   number on either side, are thereby one header.
3. A key is **running** when it sits in the same band, at the same height (within
   ``SAME_HEIGHT`` points of its usual height), on at least ``RUNNING_SHARE`` of the pages
   (and on two or more). Its lines are removed wherever they sit at a height it takes on
   two or more pages (front matter may set the header a little higher).
4. Every running line defines a **slot** (band and height). A candidate that is not
   running but sits in a slot (its baseline within ``SLOT_TOLERANCE`` points), is at most
   ``MAX_FURNITURE_CHARS`` long and is the outermost line of its band is furniture too: a
   header that changes with the chapter ("Chapter 4: An effective strategy" where other
   odd pages have other chapter titles) sits exactly where the running headers sit.
5. A candidate that is only a **page number** ("12", "- 12 -", "Page 3 of 10", "iv") is
   removed and becomes the page's label when it follows the document's numbering: an
   arabic number whose difference from the page's index two or more pages share, or a
   roman one on the outermost line (a contents page's "105" at its foot stays text);
   a running line that carries a number at either end
   gives its number as the label when the page has no lone one.
6. **Rotated margin lines** (a box at least three times taller than wide, with four or
   more characters, in the outer ``SIDE_BAND`` of the page width: printers' slugs,
   "downloaded by" lines) are removed when they recur like a running line (rule 3's
   share of the pages, by key); a one-off stamp (an arXiv identifier on page 1) stays.
7. **Line numbers**: a column of at least five bare numbers of one to four digits, at one
   left edge (within 2 pt), beside the text (left of all other text on the page or right
   of it), counting upwards, is removed. Numbers PDFium reads as the start of their lines
   are cut off when ten or more lines at one left edge, and 60 % of the page's lines,
   start with numbers counting up by one from line to line.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise
from statistics import median
from typing import Protocol, TypeVar

MARGIN_BAND = 0.12
EDGE_LINES = 3
RUNNING_SHARE = 0.2
SAME_HEIGHT = 3.0
SLOT_TOLERANCE = 1.5
MAX_FURNITURE_CHARS = 160
SIDE_BAND = 0.12
LINE_NUMBER_RUN = 5

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|•·(\[]*(?:(?:page|p\.|seite|pagina|página|strona)\s*)?"
    r"(\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of|von|de|sur|z)\s*\d{1,4})?[\s\-–—|•·)\]]*$",
    re.IGNORECASE,
)
_EDGE_NUMBER = re.compile(r"^\s*(\d{1,5}|[ivxlc]{1,6})\s+\S|\S\s+(\d{1,5}|[ivxlc]{1,6})\s*$")
_ROMAN_END = re.compile(r"^(?:[ivxlc]{1,6}\s+)|(?:\s+[ivxlc]{1,6})$", re.IGNORECASE)
_NOT_LETTER = re.compile(r"[^a-z]+")
_BARE_NUMBER = re.compile(r"^\d{1,4}$")
_LEADING_NUMBER = re.compile(r"^(\d{1,4}) +(?=\S)")
LEADING_NUMBER_LINES = 10


class Seg(Protocol):
    """What this module reads of a text segment (``pdf_text._Segment``)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


S = TypeVar("S", bound=Seg)


def furniture_key(text: str) -> str:
    """The letters of ``text``, lower-cased, without a page number at either end."""
    stripped = _ROMAN_END.sub("", text.strip()) if len(text) > 8 else text
    return _NOT_LETTER.sub("", stripped.lower())


def page_number(text: str) -> str | None:
    """The number when ``text`` is a lone page number ("12", "- 12 -", "Page 3 of 10")."""
    match = _PAGE_NUMBER.match(text)
    return match.group(1) if match else None


def _edge_number(text: str) -> str | None:
    match = _EDGE_NUMBER.search(text)
    if not match:
        return None
    return match.group(1) or match.group(2)


def is_rotated_margin_line(seg: Seg, width: float) -> bool:
    """A line set vertically in the side margin (a slug or stamp, not body text)."""
    tall = seg.y1 - seg.y0
    wide = seg.x1 - seg.x0
    return (
        tall >= 3 * max(wide, 0.1)
        and len(seg.text) >= 4
        and (seg.x1 <= width * SIDE_BAND or seg.x0 >= width * (1 - SIDE_BAND))
    )


def _candidates(segs: Sequence[Seg], height: float, skip: set[int]) -> dict[int, str]:
    """Index -> band ("top"/"bottom") of the segments on the page's edge lines."""
    top_band, bottom_band = height * (1 - MARGIN_BAND), height * MARGIN_BAND
    inside = [
        i for i, s in enumerate(segs) if i not in skip and (s.y0 >= top_band or s.y1 <= bottom_band)
    ]
    if not inside:
        return {}
    tops = sorted({round(s.y1) for i, s in enumerate(segs) if i not in skip}, reverse=True)
    upper, lower = set(tops[:EDGE_LINES]), set(tops[-EDGE_LINES:])
    found: dict[int, str] = {}
    for i in inside:
        line = round(segs[i].y1)
        if segs[i].y0 >= top_band and line in upper:
            found[i] = "top"
        elif segs[i].y1 <= bottom_band and line in lower:
            found[i] = "bottom"
    return found


def _strip_leading_line_numbers(segs: list[S], skip: set[int]) -> None:
    """Line numbers PDFium read as the start of their lines ("12 the text..."): when at
    least ``LEADING_NUMBER_LINES`` lines starting at one left edge (within 2 pt), and
    most lines of the page, begin with numbers that count up by one from line to line,
    the numbers are cut off."""
    numbered = sorted(
        (i for i, seg in enumerate(segs) if i not in skip and _LEADING_NUMBER.match(seg.text)),
        key=lambda i: segs[i].x0,
    )
    groups: list[list[int]] = []
    for i in numbered:  # right-aligned numbers start further left as they grow (9, 10)
        if groups and segs[i].x0 - segs[groups[-1][0]].x0 <= 8:
            groups[-1].append(i)
        else:
            groups.append([i])
    for members in groups:
        if len(members) < LEADING_NUMBER_LINES or len(members) < 0.6 * len(segs):
            continue
        column = sorted(members, key=lambda i: -segs[i].y1)
        values = [int(_LEADING_NUMBER.match(segs[i].text).group(1)) for i in column]  # type: ignore[union-attr]
        if all(b == a + 1 for a, b in pairwise(values)):
            for i in column:
                rest = copy.copy(segs[i])
                rest.text = _LEADING_NUMBER.sub("", segs[i].text, count=1)
                segs[i] = rest


def _line_numbers(segs: Sequence[Seg], skip: set[int]) -> set[int]:
    """Indices of a column of line numbers beside the text (rule 7)."""
    numbers = [i for i, s in enumerate(segs) if i not in skip and _BARE_NUMBER.match(s.text)]
    if len(numbers) < LINE_NUMBER_RUN:
        return set()
    columns: dict[int, list[int]] = defaultdict(list)
    for i in numbers:
        columns[round(segs[i].x0 / 2)].append(i)
    found: set[int] = set()
    others = [s for i, s in enumerate(segs) if i not in skip and i not in numbers]
    if not others:
        return set()
    left_edge = min(s.x0 for s in others)
    right_edge = max(s.x1 for s in others)
    for members in columns.values():
        if len(members) < LINE_NUMBER_RUN:
            continue
        column = sorted(members, key=lambda i: -segs[i].y1)  # top to bottom
        values = [int(segs[i].text) for i in column]
        if any(b <= a for a, b in pairwise(values)):
            continue
        if all(segs[i].x1 <= left_edge for i in column) or all(
            segs[i].x0 >= right_edge for i in column
        ):
            found.update(column)
    return found


def strip_furniture(
    pages: list[list[S]], heights: list[float], widths: list[float]
) -> tuple[list[list[S]], list[str | None]]:
    """Remove page furniture (module docstring); return the pages and their printed numbers."""
    count = len(pages)
    needed = max(2, math.ceil(RUNNING_SHARE * count))
    rotated = [
        {i for i, s in enumerate(segs) if is_rotated_margin_line(s, width)}
        for segs, width in zip(pages, widths, strict=True)
    ]
    rotated_keys = Counter(
        key
        for segs, found in zip(pages, rotated, strict=True)
        for key in {furniture_key(segs[i].text) for i in found}
    )
    dropped: list[set[int]] = []
    candidates: list[dict[int, str]] = []
    for segs, height, found in zip(pages, heights, rotated, strict=True):
        gone = {i for i in found if rotated_keys[furniture_key(segs[i].text)] >= needed}
        gone |= _line_numbers(segs, gone)
        _strip_leading_line_numbers(segs, gone | found)
        dropped.append(gone)
        candidates.append(_candidates(segs, height, gone | found))

    # Rule 3: keys that recur in one band at one height on enough pages.
    heights_of: dict[tuple[str, str], list[float]] = defaultdict(list)
    for segs, chosen in zip(pages, candidates, strict=True):
        seen: set[tuple[str, str]] = set()
        for i, band in chosen.items():
            key = furniture_key(segs[i].text)
            if len(key) >= 2 and (key, band) not in seen:
                seen.add((key, band))
                heights_of[key, band].append(segs[i].y1)
    running: dict[tuple[str, str], list[float]] = {}
    for key_band, ys in heights_of.items():
        if len(ys) < needed:
            continue
        usual = median(ys)
        if sum(abs(y - usual) <= SAME_HEIGHT for y in ys) >= needed:
            # Proven running: every height it takes on two or more pages is its own
            # (front matter often sets the header a little higher or lower).
            per_height = Counter(round(y) for y in ys)
            running[key_band] = [float(y) for y, n in per_height.items() if n >= 2]
    slots: dict[str, list[float]] = defaultdict(list)
    for (_, band), places in running.items():
        slots[band].extend(places)

    printed: list[str | None] = []
    kept_pages: list[list[S]] = []
    offsets = _number_offsets(pages, candidates)
    for page_index, (segs, chosen, gone) in enumerate(zip(pages, candidates, dropped, strict=True)):
        number: str | None = None
        carried: str | None = None
        outermost = _outermost(segs, chosen)
        for i, band in sorted(chosen.items()):
            seg = segs[i]
            lone = page_number(seg.text)
            if lone is not None and _plausible(lone, page_index, offsets, i in outermost):
                number = number or lone
                gone.add(i)
                continue
            key = furniture_key(seg.text)
            places = running.get((key, band), ())
            in_slot = any(abs(seg.y1 - y) <= SAME_HEIGHT for y in places)
            if not in_slot and i in outermost:
                rest = _after_running_prefix(seg, key, band, running)
                if rest is not None:
                    segs[i] = rest  # the header with another run on its line: cut it off
                    continue
            if not in_slot and i in outermost and len(seg.text) <= MAX_FURNITURE_CHARS:
                in_slot = any(abs(seg.y1 - y) <= SLOT_TOLERANCE for y in slots.get(band, ()))
            if in_slot:
                gone.add(i)
                carried = carried or _edge_number(seg.text)
        kept_pages.append([s for i, s in enumerate(segs) if i not in gone] if gone else segs)
        printed.append(number or carried)
    return kept_pages, printed


def _number_offsets(pages: list[list[S]], candidates: list[dict[int, str]]) -> set[int]:
    """Printed number minus page index of the lone arabic numbers on the edge lines, for
    the offsets that two or more pages share (the document's page numbering)."""
    found: Counter[int] = Counter()
    for index, (segs, chosen) in enumerate(zip(pages, candidates, strict=True)):
        values = {page_number(segs[i].text) for i in chosen}
        found.update({int(v) - index for v in values if v is not None and v.isdigit()})
    return {offset for offset, n in found.items() if n >= 2}


def _plausible(number: str, index: int, offsets: set[int], outermost: bool) -> bool:
    """Whether a lone number on an edge line is the page's number: an arabic number that
    follows the document's numbering (a contents page's "105" at its foot does not), or a
    roman one on the outermost line."""
    if number.isdigit():
        return int(number) - index in offsets
    return outermost


def _after_running_prefix(
    seg: S, key: str, band: str, running: dict[tuple[str, str], list[float]]
) -> S | None:
    """``seg`` without a running line that PDFium read as the start of its line, or None.

    A landscape page's title can share a text line with the running header; the header
    goes and the rest stays (its box is kept: only the text is needed from here on).
    """
    for (prefix, prefix_band), places in running.items():
        if (
            prefix_band == band
            and len(prefix) >= 8
            and key.startswith(prefix)
            and any(abs(seg.y1 - y) <= SAME_HEIGHT for y in places)
        ):
            matched = 0
            for index, char in enumerate(seg.text):
                if char.isascii() and char.isalpha():
                    matched += 1
                    if matched == len(prefix):
                        rest = copy.copy(seg)
                        rest.text = seg.text[index + 1 :].strip()
                        return rest
    return None


def _outermost(segs: Sequence[Seg], chosen: dict[int, str]) -> set[int]:
    """The candidates on the top-most line of the top band and the bottom-most line of the
    bottom band (within a point)."""
    top = [i for i, band in chosen.items() if band == "top"]
    bottom = [i for i, band in chosen.items() if band == "bottom"]
    found: set[int] = set()
    if top:
        highest = max(segs[i].y1 for i in top)
        found.update(i for i in top if segs[i].y1 >= highest - 1)
    if bottom:
        lowest = min(segs[i].y1 for i in bottom)
        found.update(i for i in bottom if segs[i].y1 <= lowest + 1)
    return found
