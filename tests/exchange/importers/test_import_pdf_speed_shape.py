"""The PDF importer's fast paths give the same results as the plain logic they replace."""

from __future__ import annotations

import random
import re

import pytest

from annotator.exchange.importers import pdf, pdf_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\uffff]")


def _reference_clean(text: str) -> str:
    text = text.rstrip("\r\n ")
    if text.endswith(("\x02", "\ufffe")):
        text = text[:-1] + "-"
    return _CONTROL.sub("", text).replace("\xa0", " ").strip()


@pytest.mark.parametrize(
    "text",
    [
        "plain line",
        "  padded line  ",
        "line\r",
        "conti\x02",
        "conti\ufffe",
        "self\ufffeassessment",
        "no\xa0break",
        "tab\there",
        "bell\x07inside",
        "\u2003em space\u2003",
        "",
        "   ",
    ],
)
def test_clean_matches_the_plain_logic(text: str) -> None:
    assert pdf_text._clean(text) == _reference_clean(text)


def _seg(size: float, text: str) -> pdf._Segment:
    return pdf._Segment(0.0, 0.0, 10.0, size, text)


def test_body_size_tie_goes_to_the_size_met_first() -> None:
    small, large = _seg(9.0, "abcd"), _seg(11.0, "wxyz")
    weights = pdf._size_weights([[small, large]])
    assert pdf._body_size([[small, large]], weights) == 9.0
    assert pdf._body_size([[large, small]], weights) == 11.0
    assert pdf._body_size([], {}) == 10.0


def test_body_size_without_a_tie_ignores_order() -> None:
    small, large = _seg(9.0, "abcdef"), _seg(11.0, "wxyz")
    weights = pdf._size_weights([[large], [small]])
    assert pdf._body_size([[large], [small]], weights) == 9.0


@pytest.mark.parametrize(
    ("text", "needed", "expected"),
    [("", 1, True), ("  a  ", 1, False), ("a b", 3, True), (" " * 100 + "abc", 3, False)],
)
def test_too_little_text(text: str, needed: int, expected: bool) -> None:
    assert pdf._too_little_text(text, needed) is expected


# Plain versions of the layout passes the importer runs in a faster shape. Random pages
# (coordinates on a coarse grid, so that equal values, ties and touching boxes occur)
# must come out the same, segment for segment.


def _reference_size_weights(pages: list[list[pdf._Segment]]) -> dict[float, int]:
    weights: dict[float, int] = {}
    for segs in pages:
        for seg in segs:
            key = round(seg.size, 1)
            weights[key] = weights.get(key, 0) + len(seg.text)
    return weights


def _reference_xy_cut(segs: list[pdf._Segment], min_gutter: float) -> list[pdf._Segment]:
    if len(segs) <= 1:
        return list(segs)
    gutter: tuple[float, float] | None = None
    by_x = sorted(segs, key=lambda s: s.x0)
    reach = by_x[0].x1
    for seg in by_x[1:]:
        gap = seg.x0 - reach
        if gap >= min_gutter and (gutter is None or gap > gutter[0]):
            gutter = (gap, seg.x0)
        reach = max(reach, seg.x1)
    by_y = sorted(segs, key=lambda s: -s.y1)
    widest = gutter[0] if gutter else 0.0
    bands: list[list[pdf._Segment]] = [[by_y[0]]]
    floor = by_y[0].y0
    for seg in by_y[1:]:
        if floor - seg.y1 > widest:
            bands.append([])
        bands[-1].append(seg)
        floor = min(floor, seg.y0)
    if len(bands) > 1:
        return [s for band in bands for s in _reference_xy_cut(band, min_gutter)]
    if gutter is not None:
        left = [s for s in segs if s.x0 < gutter[1]]
        right = [s for s in segs if s.x0 >= gutter[1]]
        return _reference_xy_cut(left, min_gutter) + _reference_xy_cut(right, min_gutter)
    return sorted(segs, key=lambda s: (-round((s.y0 + s.y1) / 2 / 3), s.x0))


def _reference_join(segs: list[pdf._Segment], body: float) -> list[tuple[object, ...]]:
    out: list[pdf._Segment] = []
    for seg in segs:
        last = out[-1] if out else None
        if last is not None:
            overlap = min(last.y1, seg.y1) - max(last.y0, seg.y0)
            height = min(last.size, seg.size)
            gap = seg.x0 - last.x1
            if (
                height > 0
                and overlap >= 0.5 * height
                and -0.5 * height <= gap <= pdf_text.JOIN_GAP_RATIO * body
            ):
                joiner = "" if gap < pdf_text.SPACE_RATIO * height else " "
                main = last if len(last.text) >= len(seg.text) else seg
                out[-1] = pdf._Segment(
                    last.x0, main.y0, max(last.x1, seg.x1), main.y1,
                    last.text + joiner + seg.text, main.size,
                )  # fmt: skip
                continue
        out.append(seg)
    return [_shape(s) for s in out]


def _shape(seg: pdf._Segment) -> tuple[object, ...]:
    return (seg.x0, seg.y0, seg.x1, seg.y1, seg.text, seg.size)


def _random_page(rng: random.Random) -> list[pdf._Segment]:
    segs = []
    for i in range(rng.randint(0, 40)):
        x0 = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0]) * rng.randint(20, 300)
        y0 = rng.randint(0, 84) * 10.0 + rng.choice([0.0, 0.5, 2.5])
        height = rng.choice([6.0, 10.0, 10.04, 12.0, 20.0])
        width = rng.choice([5.0, 40.0, 250.0])
        size = rng.choice([0.0, 10.0, 10.04, 10.15, 12.0])
        segs.append(
            pdf._Segment(x0, y0, x0 + width, y0 + height, f"w{i}" * rng.randint(1, 4), size)
        )
    return segs


@pytest.mark.parametrize("seed", range(60))
def test_layout_passes_match_their_plain_versions(seed: int) -> None:
    rng = random.Random(seed)
    pages = [_random_page(rng) for _ in range(rng.randint(1, 4))]
    for segs in pages:
        for gutter in (5.0, 12.0, 40.0):
            ordered = pdf_text._xy_cut(segs, gutter)
            assert ordered == _reference_xy_cut(segs, gutter)
            joined = [_shape(s) for s in pdf_text._join_line_fragments(ordered, 10.0)]
            assert joined == _reference_join(ordered, 10.0)
    weights = pdf._size_weights(pages)
    assert list(weights.items()) == list(_reference_size_weights(pages).items())


@pytest.mark.parametrize(
    "text",
    ["one\r\ntwo\r\n\r\nthree", "a\r\n", "\r\n\r\n", "only", "x\r\nlast line\r\n  "],
)
def test_usual_page_split_matches_the_general_one(text: str) -> None:
    fast = text.split("\r\n")
    starts, start = [], 0
    for line in fast:
        starts.append(start)
        start += len(line) + 2
    slow = pdf_text._lines_slowly(text, text.encode("utf-16-le"), len(text))
    assert slow == (fast, [len(line) for line in fast], starts)


def test_lean_pdfium_calls_answer_as_the_declared_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from reportlab.pdfgen import canvas

    path = tmp_path / "calls.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "A line of text")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 650, "Heading")
    c.drawString(300, 650, "far right")
    c.save()
    count_rects, get_rect, font_size = pdf_text._line_calls()
    document = pdfium.PdfDocument(str(path))
    try:
        textpage = document[0].get_textpage()
        raw = textpage.raw
        boxes = [ctypes.c_double() for _ in range(4)]
        refs = [ctypes.byref(b) for b in boxes]
        for start in range(pdfium_c.FPDFText_CountChars(raw)):
            for count in (1, 5, 30):
                n = count_rects(raw, start, count)
                assert n == pdfium_c.FPDFText_CountRects(raw, start, count)
                for i in range(n):
                    assert get_rect(raw, i, *refs)
                    lean = [b.value for b in boxes]
                    assert pdfium_c.FPDFText_GetRect(raw, i, *refs)
                    assert lean == [b.value for b in boxes]
            assert font_size(raw, start) == pdfium_c.FPDFText_GetFontSize(raw, start)
        textpage.close()
    finally:
        document.close()
