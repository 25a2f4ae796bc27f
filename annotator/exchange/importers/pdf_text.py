"""Page text for the PDF importer: PDFium's text runs as segments, in reading order.

Reads each page's text once and its rectangles line by line (see :func:`_page_segments`),
orders the segments by recursive XY-cut, and joins the runs a word processor split one
line into. The paragraph, heading and page logic is in :mod:`.pdf`.
"""

from __future__ import annotations

import functools
import re
from itertools import accumulate, repeat
from operator import add, attrgetter
from typing import Any

JOIN_GAP_RATIO = 6.0  # widest gap (in body font sizes) still inside one line: a tab stop
SPACE_RATIO = 0.15  # a gap narrower than this share of the font size is no space at all
# Control characters go; PDFium's mark for a word broken by a hyphen at a line end that
# it joined itself (U+FFFE) stays inside a segment, for ``pdf_hyphens`` to judge once the
# whole document is read (a trailing one becomes "-", for the paragraph pass).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\uffff]")
# Adobe's private-use code points for small capitals and old-style figures (the Adobe
# Glyph List: U+F761 "Asmall" ... U+F730 "zerooldstyle"): fonts without a better Unicode
# map give these, and their letters are the ASCII ones 0xF700 below (as poppler reads them).
_ADOBE_PUA = {code: code - 0xF700 for code in range(0xF721, 0xF77F)}
_PUA_RANGE = re.compile("[\uf721-\uf77e]")
_X0 = attrgetter("x0")
_Y1 = attrgetter("y1")


class _Segment:
    """A run of text on one line of one page, with its box (PDF points, y upwards).

    A plain slotted class rather than a dataclass: pages have thousands of segments, and
    the layout passes read ``size`` many times, so it is computed once here.
    """

    __slots__ = ("size", "text", "x0", "x1", "y0", "y1")
    joinable = True  # False for a whole table row, which never takes in a fragment

    def __init__(
        self, x0: float, y0: float, x1: float, y1: float, text: str, size: float = 0.0
    ) -> None:
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.text = text
        # The font size when PDFium knows it; else the box height. Box heights vary with
        # the glyphs on a line (ascenders, descenders, a hyphen), font sizes do not.
        self.size = size if size > 0 else y1 - y0

    def __repr__(self) -> str:
        return f"_Segment({self.x0}, {self.y0}, {self.x1}, {self.y1}, {self.text!r})"


def _clean(text: str) -> str:
    """Segment text without control characters (a trailing soft hyphen becomes '-')."""
    if text.isprintable():
        # Nearly every line: no control characters, no CR/LF, no soft-hyphen marker and
        # no no-break space (all non-printable), so only the outer blanks go.
        return text.strip()
    text = text.rstrip("\r\n ")
    if text.endswith(("\x02", "\ufffe")):
        text = text[:-1] + "-"
    text = _CONTROL.sub("", text).replace("\xa0", " ").strip()
    return text.translate(_ADOBE_PUA) if _PUA_RANGE.search(text) else text


@functools.cache
def _line_calls() -> tuple[Any, Any, Any]:
    """PDFium's three per-line calls (CountRects, GetRect, GetFontSize), made lean.

    pypdfium2 declares argument types, so ctypes converts and checks every argument on
    every call; for these calls, made for each line of text, that costs more than PDFium's
    own work (about 1.1 of GetRect's 1.3 µs). These are the same C functions, at the same
    addresses and with the same calling convention (pypdfium2's own function class), but
    without declared argument types: the callers pass the text page handle, C ``int``-sized
    indices and ``byref`` doubles, which ctypes hands over as they are. Should a binding
    ever not be a plain ctypes function, pypdfium2's own functions serve (the same
    arguments suit their declared types).
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    declared = (
        pdfium_c.FPDFText_CountRects,
        pdfium_c.FPDFText_GetRect,
        pdfium_c.FPDFText_GetFontSize,
    )
    try:
        lean = []
        for function, restype in zip(
            declared, (ctypes.c_int, ctypes.c_int, ctypes.c_double), strict=True
        ):
            call = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
            call.restype = restype
            lean.append(call)
    except (TypeError, ValueError, AttributeError, ctypes.ArgumentError):
        return declared
    return lean[0], lean[1], lean[2]


def _page_segments(textpage: object) -> list[_Segment]:
    """The page's text segments: PDFium's text rectangles and the text inside each.

    The page's text is read once; rectangles are then asked for line by line, so a line
    that is one rectangle (nearly all of them) takes its text straight from that read.
    Only a line that PDFium splits into several rectangles (columns side by side) asks
    for each rectangle's text by its box, which scans the whole page each time.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw_page = textpage.raw  # type: ignore[attr-defined]
    n_chars = pdfium_c.FPDFText_CountChars(raw_page)
    if n_chars <= 0:
        return []
    text_buf = (ctypes.c_ushort * (n_chars + 1))()
    pdfium_c.FPDFText_GetText(raw_page, 0, n_chars, text_buf)
    page_bytes = ctypes.string_at(text_buf, 2 * n_chars)
    page_text = page_bytes.decode("utf-16-le", errors="replace")
    # Each line's text, its length in UTF-16 units and the index of its first unit, without
    # the CR of PDFium's CR LF line ends; as parallel lists, as the usual page is split and
    # measured without a Python step per line.
    texts: list[str]
    lengths: list[int]
    starts: list[int]
    if (
        len(page_text) == n_chars
        and "\ufffd" not in page_text
        and page_text.count("\n") == page_text.count("\r\n")
        and not page_text.endswith("\r")
    ):
        # Every unit decoded to one character (nothing replaced, and the length shows no
        # surrogate pair), so string indices are PDFium's; and every line ends in CR LF.
        texts = page_text.split("\r\n")
        lengths = list(map(len, texts))
        starts = list(accumulate(map(add, lengths, repeat(2)), initial=0))
        starts.pop()  # where a line after the last would start
    else:
        texts, lengths, starts = _lines_slowly(page_text, page_bytes, n_chars)
    # One set of output doubles and their pointers per page, not four byref() per line.
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    box_args = (ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom))
    count_rects, get_rect, font_size = _line_calls()
    matrix = pdfium_c.FS_MATRIX()
    matrix_arg = ctypes.byref(matrix)

    def size_at(index: int) -> float:
        """The font size as set on the page: PDFium's size (the text state's) times the
        vertical scale of the text and page matrices. Many producers (Word's PDFMaker,
        InDesign) set every font at size 1 and scale it by the matrix."""
        size = font_size(raw_page, index)
        if pdfium_c.FPDFText_GetMatrix(raw_page, index, matrix_arg):
            scale = (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5
            if scale > 0:
                return size * scale
        return size

    segments: list[_Segment] = []
    append = segments.append
    for line_text, units, start in zip(texts, lengths, starts, strict=True):
        if units <= 0:
            continue
        rects = count_rects(raw_page, start, units)
        if rects == 1 and get_rect(raw_page, 0, *box_args):
            # The common case: one rectangle, whose text is the whole line.
            text = line_text.strip() if line_text.isprintable() else _clean(line_text)
            if text:
                size = size_at(start)
                append(_Segment(left.value, bottom.value, right.value, top.value, text, size))
            continue
        boxes = [
            (left.value, top.value, right.value, bottom.value)
            for i in range(rects)
            if get_rect(raw_page, i, *box_args)
        ]
        # Several boxes: word processors split a line at tabs and font changes. Boxes
        # closer than a column gutter are one run, whose text is the line's own (with
        # PDFium's spaces); a wider gap (columns side by side) splits the line, and each
        # part asks for the text inside its box.
        groups = _box_groups(boxes)
        if len(groups) == 1:
            group_texts = [line_text]
        else:
            group_texts = [_bounded_text(raw_page, box) for box in groups]
        size = size_at(start)
        for box, box_text in zip(groups, group_texts, strict=True):
            text = _clean(box_text)
            if text:
                append(_Segment(box[0], box[3], box[2], box[1], text, size))
    return segments


def _lines_slowly(
    page_text: str, page_bytes: bytes, n_chars: int
) -> tuple[list[str], list[int], list[int]]:
    """Lines as :func:`_page_segments` wants them, for a page that is not the usual case:
    a lone LF, or characters that are not one UTF-16 unit each (then the lines are found
    in the raw UTF-16, so that the indices stay PDFium's)."""
    lines: list[tuple[int, int, str]] = []
    start = 0
    if len(page_text) == n_chars and "\ufffd" not in page_text:
        for line_text in page_text.split("\n"):
            lines.append((start, len(line_text), line_text))
            start += len(line_text) + 1
    else:
        for end in [*_line_feeds(page_bytes), n_chars]:
            raw = page_bytes[2 * start : 2 * end].decode("utf-16-le", errors="replace")
            lines.append((start, end - start, raw))
            start = end + 1
    texts, lengths, starts = [], [], []
    for start, units, text in lines:
        if text.endswith("\r"):  # PDFium ends lines with CR LF
            units -= 1
            text = text[:-1]
        texts.append(text)
        lengths.append(units)
        starts.append(start)
    return texts, lengths, starts


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _box_groups(boxes: list[Box]) -> list[Box]:
    """Merge the boxes of one line, left to right, unless a gap is as wide as a gutter.

    A merged box spans its parts horizontally but keeps the height of its widest part:
    a small run such as a hyphen or a superscript can have a taller box, and the height
    is what decides whether a line is a heading.
    """
    groups: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b[0]):
        if groups:
            last = groups[-1]
            right = max(b[2] for b in last)
            height = max(max(b[1] - b[3] for b in last), box[1] - box[3], 1.0)
            if box[0] - right <= JOIN_GAP_RATIO * height:
                last.append(box)
                continue
        groups.append([box])
    merged: list[Box] = []
    for parts in groups:
        widest = max(parts, key=lambda b: b[2] - b[0])
        merged.append((parts[0][0], widest[1], max(b[2] for b in parts), widest[3]))
    return merged


def _line_feeds(raw: bytes) -> list[int]:
    """UTF-16 unit indices of the line feeds in little-endian UTF-16 ``raw``."""
    found: list[int] = []
    pos = raw.find(b"\n\x00")
    while pos >= 0:
        if pos % 2 == 0:  # aligned: a real U+000A, not the second byte of another unit
            found.append(pos // 2)
        pos = raw.find(b"\n\x00", pos + 1)
    return found


def _bounded_text(raw_page: object, box: tuple[float, float, float, float]) -> str:
    """The text inside one rectangle of the page (PDFium scans the page for it)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    n = pdfium_c.FPDFText_GetBoundedText(raw_page, *box, None, 0)
    if n <= 0:
        return ""
    buffer = (ctypes.c_ushort * n)()
    pdfium_c.FPDFText_GetBoundedText(raw_page, *box, buffer, n)
    return ctypes.string_at(buffer, 2 * n).decode("utf-16-le", errors="replace").rstrip("\x00")


def _xy_cut(segs: list[_Segment], min_gutter: float) -> list[_Segment]:
    """Order segments by recursive XY-cut.

    The region is cut at its widest vertical gap (a gutter at least ``min_gutter`` wide)
    unless a horizontal gap is wider; when cutting horizontally, every horizontal gap wider
    than the widest gutter is cut at once, which keeps the recursion shallow for ordinary
    single-column pages.
    """
    if len(segs) <= 1:
        return list(segs)
    gutter: tuple[float, float] | None = None  # (width, x where the right part starts)
    by_x = sorted(segs, key=_X0)
    reach = by_x[0].x1
    for seg in by_x[1:]:
        gap = seg.x0 - reach
        if gap >= min_gutter and (gutter is None or gap > gutter[0]):
            gutter = (gap, seg.x0)
        if seg.x1 > reach:
            reach = seg.x1
    by_y = sorted(segs, key=_Y1, reverse=True)  # top first; a stable sort, as with -y1
    widest = gutter[0] if gutter else 0.0
    # Where each horizontal band starts in ``by_y``: indices, not lists, because on an
    # ordinary page every line is a band of its own.
    cuts = [0]
    floor = by_y[0].y0
    for i, seg in enumerate(by_y[1:], 1):
        if floor - seg.y1 > widest:
            cuts.append(i)
        if seg.y0 < floor:
            floor = seg.y0
    if len(cuts) == len(by_y):
        return by_y
    if len(cuts) > 1:
        # Most bands are a single line: taken as they are, without a recursive call.
        ordered: list[_Segment] = []
        for start, end in zip(cuts, [*cuts[1:], len(by_y)], strict=True):
            if end - start == 1:
                ordered.append(by_y[start])
            else:
                ordered += _xy_cut(by_y[start:end], min_gutter)
        return ordered
    if gutter is not None:
        left = [s for s in segs if s.x0 < gutter[1]]
        right = [s for s in segs if s.x0 >= gutter[1]]
        return _xy_cut(left, min_gutter) + _xy_cut(right, min_gutter)
    # Nothing separates them: top to bottom, then left to right on (about) the same line.
    return sorted(segs, key=lambda s: (-round((s.y0 + s.y1) / 2 / 3), s.x0))


def _join_line_fragments(segs: list[_Segment], body: float) -> list[_Segment]:
    """Join consecutive segments (in reading order) that sit on the same line.

    PDFium gives one rectangle per text run, and word processors split a line into many
    (a heading's number and its title across a tab, a bullet and its item, a date drawn
    digit by digit). Left apart they would become separate paragraphs. A fragment joins
    the previous one when their boxes share most of their height, it starts to the right
    of it, and the gap is no wider than ``JOIN_GAP_RATIO`` body sizes (a column gutter is
    wider, and columns are already separated by the XY-cut). A gap narrower than a space
    joins without one.
    """
    out: list[_Segment] = []
    for seg in segs:
        last = out[-1] if out else None
        # Boxes that share no height never join (the test below needs an overlap of half
        # a line): the next line of a column, nearly always, is settled by two comparisons.
        if (
            last is not None
            and seg.y1 > last.y0
            and seg.y0 < last.y1
            and last.joinable
            and seg.joinable
        ):
            overlap = min(last.y1, seg.y1) - max(last.y0, seg.y0)
            height = min(last.size, seg.size)
            gap = seg.x0 - last.x1
            if (
                height > 0
                and overlap >= 0.5 * height
                and -0.5 * height <= gap <= JOIN_GAP_RATIO * body
            ):
                joiner = "" if gap < SPACE_RATIO * height else " "
                main = last if len(last.text) >= len(seg.text) else seg
                out[-1] = _Segment(
                    last.x0, main.y0, max(last.x1, seg.x1), main.y1,
                    last.text + joiner + seg.text, main.size,
                )  # fmt: skip
                continue
        out.append(seg)
    return out
