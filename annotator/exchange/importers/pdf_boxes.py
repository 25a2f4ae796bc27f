"""Boxes on a PDF page: call-outs, pull quotes and sidebars set in a frame or on a tint.

A box is a drawn rectangle (a path object's bounds) at least ``MIN_WIDTH`` of the page
wide and ``MIN_HEIGHT`` of it high, but not a page frame (at most ``MAX_WIDTH`` wide and
``MAX_HEIGHT`` high), that holds ``MIN_LINES`` or more text segments and less than
``MAX_SHARE`` of the page's. Of nested or overlapping boxes the larger is kept. The
segments whose centre lies in a box leave the page's text flow; the importer reads each
box on its own (its own reading order, tables and contents). Its paragraphs go where the
box stands in the flow (before the first line below its top edge that shares its
columns) unless the text breaks off there mid-sentence (the line before does not end a
sentence and the next starts in lower case, or the page ends); then after the paragraph
open at the end of the page, like footnotes, so a box never splits a paragraph.

Not recovered: boxes drawn as four separate lines, and boxes set apart only by a
different type or colour with no rectangle behind them (the House of Lords report's
"BOX 1"-"BOX 8" are such, and stay in the flow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.exchange.importers.pdf_text import _Segment

Rect = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)

MIN_WIDTH = 0.25
MIN_HEIGHT = 0.05
MAX_WIDTH = 0.97
MAX_HEIGHT = 0.9
MIN_LINES = 3
MAX_SHARE = 0.8
MAX_PATHS = 2000  # a page drawn with more paths (a chart, a map) is not searched


def box_rectangles(page: Any, segs: list[_Segment], width: float, height: float) -> list[Rect]:
    """The rectangles on ``page`` (a pypdfium2 page) that frame a box of text."""
    if len(segs) < MIN_LINES:
        return []
    import pypdfium2.raw as pdfium_c

    found: list[Rect] = []
    for index, obj in enumerate(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)):
        if index >= MAX_PATHS:
            break
        left, bottom, right, top = obj.get_bounds()
        wide, high = right - left, top - bottom
        if not (MIN_WIDTH * width <= wide <= MAX_WIDTH * width):
            continue
        if not (MIN_HEIGHT * height <= high <= MAX_HEIGHT * height):
            continue
        inside = sum(_inside(seg, (left, bottom, right, top)) for seg in segs)
        if MIN_LINES <= inside < MAX_SHARE * len(segs):
            found.append((left, bottom, right, top))
    found.sort(key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
    kept: list[Rect] = []
    for rect in found:
        if not any(_overlap(rect, other) for other in kept):
            kept.append(rect)
    return kept


def _inside(seg: _Segment, rect: Rect) -> bool:
    x = (seg.x0 + seg.x1) / 2
    y = (seg.y0 + seg.y1) / 2
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class BoxMarker(_Segment):
    """A box's paragraphs, standing in the page's flow where the box is."""

    __slots__ = ("paras",)
    joinable = False

    def __init__(self, rect: Rect, paras: list[Any]) -> None:
        super().__init__(rect[0], rect[1], rect[2], rect[3], "", 1.0)
        self.paras = paras


def place_box(
    flow: list[_Segment], rect: Rect, paras: list[Any], ends_sentence: Callable[[str], Any]
) -> bool:
    """Put a box's paragraphs into ``flow`` where it stands, unless that would split a
    paragraph (the line before does not end a sentence and the text after it goes on in
    lower case, or the page ends there); return whether it was placed."""
    at = len(flow)
    for index, seg in enumerate(flow):
        if seg.y1 <= rect[3] and seg.x0 < rect[2] and rect[0] < seg.x1:
            at = index
            break
    before = flow[at - 1] if at else None
    after = flow[at] if at < len(flow) else None
    if (
        before is not None
        and before.text
        and not ends_sentence(before.text)
        and (after is None or after.text[:1].islower())
    ):
        return False  # the text runs on past the box (or off the page): after it
    flow.insert(at, BoxMarker(rect, paras))
    return True


def split_boxes(
    segs: list[_Segment], rects: list[Rect]
) -> tuple[list[_Segment], list[tuple[Rect, list[_Segment]]]]:
    """The page's flow without its boxes, and each box's segments (top box first)."""
    if not rects:
        return segs, []
    flow: list[_Segment] = []
    groups: list[list[_Segment]] = [[] for _ in rects]
    for seg in segs:
        for index, rect in enumerate(rects):
            if _inside(seg, rect):
                groups[index].append(seg)
                break
        else:
            flow.append(seg)
    order = sorted(range(len(rects)), key=lambda i: -rects[i][3])
    return flow, [(rects[i], groups[i]) for i in order if groups[i]]
