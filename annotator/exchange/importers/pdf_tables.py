"""Tables on a PDF page: rows read across, as other formats give them, not columns down.

A table's columns are separated by gaps as wide as a column gutter, so the XY-cut would
read a table column by column ("2019", "2020", "2021", then every figure of the first
column...). Before the XY-cut, runs of table rows are found and each row becomes one
segment, its cells joined by " | " as the Word, OpenDocument and HTML importers write
them, and each cell a ``table_cell`` block. The rule (documented in ``docs/decisions.md``):

* A *line* is the segments whose boxes share at least half their height.
* Runs of a line closer than one body size are one cell (a superscript mark, a change of
  font).
* A table is two or more consecutive lines of at least three segments each, no more than
  2.5 body sizes apart, whose segments hold at most four words each in the median
  (short cells: three columns of prose, where every segment is a full line of text, stay
  columns).

A cell that wraps onto a second line, a table with fewer than three columns, and empty
cells (the remaining cells move left) are not recovered.
"""

from __future__ import annotations

from statistics import median

from annotator.exchange.importers.pdf_text import _Segment

MIN_COLUMNS = 3
MIN_ROWS = 2
MAX_CELL_WORDS = 4
ROW_GAP_RATIO = 2.5
CELL_SEPARATOR = " | "
CELL_GAP_RATIO = 1.0  # runs closer than this many body sizes are one cell


class TableRow(_Segment):
    """One table row as one segment: the cells' text joined by " | ", with cell offsets."""

    __slots__ = ("cells",)
    joinable = False

    def __init__(self, cells: list[_Segment]) -> None:
        texts = [c.text for c in cells]
        super().__init__(
            min(c.x0 for c in cells),
            min(c.y0 for c in cells),
            max(c.x1 for c in cells),
            max(c.y1 for c in cells),
            CELL_SEPARATOR.join(texts),
            cells[0].size,
        )
        spans: list[tuple[int, int]] = []
        position = 0
        for text in texts:
            spans.append((position, position + len(text)))
            position += len(text) + len(CELL_SEPARATOR)
        self.cells = spans  # each cell's [start, end) within ``text``


def find_tables(segs: list[_Segment], body: float) -> list[_Segment]:
    """``segs`` with the rows of every table on the page replaced by :class:`TableRow`."""
    if len(segs) < MIN_COLUMNS * MIN_ROWS:
        return segs
    # Nearly every page has one segment per line: three tops (nearly) equal are a line of
    # three segments, and a page without two such lines has no table. Floats sorted in C
    # tell that without grouping the page into lines.
    tops = sorted(s.y1 for s in segs)
    tolerance = 0.5 * body
    if sum(c - a < tolerance for a, c in zip(tops, tops[2:], strict=False)) < MIN_ROWS:
        return segs
    lines = [_cells(line, body) for line in _lines(segs)]
    if sum(len(line) >= MIN_COLUMNS for line in lines) < MIN_ROWS:
        return segs  # nearly every page: no two lines of three or more segments
    out: list[_Segment] = []
    i = 0
    while i < len(lines):
        end = i
        while (
            end < len(lines)
            and len(lines[end]) >= MIN_COLUMNS
            and (end == i or _bottom(lines[end - 1]) - _top(lines[end]) <= ROW_GAP_RATIO * body)
        ):
            end += 1
        run = lines[i:end]
        if len(run) >= MIN_ROWS and median(_words(s) for line in run for s in line) <= (
            MAX_CELL_WORDS
        ):
            out.extend(TableRow(line) for line in run)
            i = end
        else:
            out.extend(lines[i])
            i += 1
    return out


def _lines(segs: list[_Segment]) -> list[list[_Segment]]:
    """Segments grouped into lines (boxes sharing half their height), top to bottom."""
    lines: list[list[_Segment]] = []
    top = bottom = 0.0
    for seg in sorted(segs, key=lambda s: -s.y1):
        height = min(seg.y1 - seg.y0, top - bottom) if lines else 0.0
        overlap = min(seg.y1, top) - max(seg.y0, bottom) if lines else 0.0
        if lines and height > 0 and overlap >= 0.5 * height:
            lines[-1].append(seg)
            bottom = min(bottom, seg.y0)
        else:
            lines.append([seg])
            top, bottom = seg.y1, seg.y0
    for line in lines:
        line.sort(key=lambda s: s.x0)
    return lines


def _cells(line: list[_Segment], body: float) -> list[_Segment]:
    """A line's segments with the runs closer than ``CELL_GAP_RATIO`` body sizes joined:
    a superscript note mark or a word set in another font is not a column of its own
    ("Zejiang Shen" + "1" is one cell, not two)."""
    if len(line) < MIN_COLUMNS:
        return line
    merged: list[_Segment] = [line[0]]
    for seg in line[1:]:
        last = merged[-1]
        gap = seg.x0 - last.x1
        if gap < CELL_GAP_RATIO * body and last.joinable:
            # Touching runs join as one word ("Shen" + "1"); overlapping ones are words
            # stacked in one cell ("Eliminate" over "choice") and keep a space.
            joiner = "" if -0.5 <= gap < 0.15 * body else " "
            main = last if len(last.text) >= len(seg.text) else seg
            merged[-1] = _Segment(
                last.x0, main.y0, max(last.x1, seg.x1), main.y1,
                last.text + joiner + seg.text, main.size,
            )  # fmt: skip
        else:
            merged.append(seg)
    return merged


def _top(line: list[_Segment]) -> float:
    return max(s.y1 for s in line)


def _bottom(line: list[_Segment]) -> float:
    return min(s.y0 for s in line)


def _words(seg: _Segment) -> int:
    return len(seg.text.split())
