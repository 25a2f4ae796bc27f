"""Tables of contents with dot leaders: one row per entry, not a run-on line (issue #13).

"Summary ........ 4" lines are contents entries. On a page, a run of three or more lines
of which at least ``LEADER_SHARE`` end in a dot leader and a page number becomes a
contents table: each entry a row of two cells, its title and its page ("Summary | 4"),
as other tables are written (:mod:`.pdf_tables`). A title that wraps onto a second line
(the line without a leader, in the same type size, before the one with it) is one
title. PDFium sometimes reads two entries as one line ("... resilience......10
Recommendation 2: ..."): a line is split after each leader and page number that another
title follows.

Not recovered: contents without leaders (tab-aligned page numbers read as ordinary
lines), and entry levels (indents).
"""

from __future__ import annotations

import re

from annotator.exchange.importers.pdf_tables import TableRow
from annotator.exchange.importers.pdf_text import _Segment

LEADER_SHARE = 0.5
MIN_ENTRIES = 3
_ENTRY = re.compile(r"^(?P<title>.*?\S)\s*(?:\.\s?){4,}\s*(?P<page>\d{1,4}|[ivxlcIVXLC]{1,6})$")
_SPLIT = re.compile(r"(?:\.\s?){4,}(\s*(?:\d{1,4}|[ivxlc]{1,6}))\s+(?=[A-Z0-9])")


def _pieces(seg: _Segment) -> list[_Segment]:
    """``seg`` split after every leader-and-number that is followed by more text."""
    if "...." not in seg.text and ". . . ." not in seg.text:
        return [seg]
    parts: list[str] = []
    rest = seg.text
    while True:
        match = _SPLIT.search(rest)
        if match is None:
            break
        parts.append(rest[: match.end(1)].strip())
        rest = rest[match.end() :]
    parts.append(rest.strip())
    if len(parts) == 1:
        return [seg]
    return [_Segment(seg.x0, seg.y0, seg.x1, seg.y1, part, seg.size) for part in parts if part]


def contents_rows(segs: list[_Segment]) -> list[_Segment]:
    """``segs`` (one page, in reading order) with contents entries as table rows."""
    if not any("...." in s.text or ". . . ." in s.text for s in segs):
        return segs  # nearly every page
    lines = [piece for seg in segs for piece in (_pieces(seg) if seg.joinable else [seg])]
    out: list[_Segment] = []
    i = 0
    while i < len(lines):
        end = i
        entries = 0
        while end < len(lines) and lines[end].joinable:
            if _ENTRY.match(lines[end].text):
                entries += 1
            elif (
                end + 1 < len(lines)
                and _ENTRY.match(lines[end + 1].text)
                and abs(lines[end].size - lines[end + 1].size) <= 0.15 * lines[end + 1].size
            ):
                pass  # a title wrapping onto the next line (not the larger "Contents")
            else:
                break
            end += 1
        if entries >= MIN_ENTRIES and entries >= LEADER_SHARE * (end - i):
            out.extend(_rows(lines[i:end]))
            i = end
        else:
            out.append(lines[i])
            i += 1
    return out


def _rows(lines: list[_Segment]) -> list[_Segment]:
    rows: list[_Segment] = []
    pending: list[_Segment] = []
    for line in lines:
        match = _ENTRY.match(line.text)
        if match is None:
            pending.append(line)
            continue
        title = " ".join([*(p.text for p in pending), match.group("title")])
        first = pending[0] if pending else line
        cells = [
            _Segment(first.x0, line.y0, line.x1, first.y1, title, line.size),
            _Segment(line.x1, line.y0, line.x1, line.y1, match.group("page"), line.size),
        ]
        rows.append(TableRow(cells))
        pending = []
    rows.extend(pending)
    return rows
