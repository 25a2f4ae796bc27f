"""Footnotes at the foot of PDF pages become footnote blocks, out of the text flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind, page_at
from annotator.exchange.importers import extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
PROSE = [
    "Councils told the inquiry that short-term funding rounds make it hard to plan.",
    "Several of them described bidding for small pots of money every year, and the",
    "staff time this takes away from services. The panel concluded that the council",
]
RUN_ON = "should be given a settlement for five years at a time."
NEXT = [
    "A second finding concerns the role of community groups in local partnerships.",
    "They were rarely consulted before decisions were taken.",
]


def _page(c: canvas.Canvas, number: int, body: list[str], notes: list[str]) -> None:
    c.setFont("Helvetica", 9)
    c.drawString(72, HEIGHT - 40, "Levelling Up Locally: Inquiry Report")
    c.drawCentredString(WIDTH / 2, 30, str(number))
    y = HEIGHT - 100
    c.setFont("Helvetica", 11)
    for line in body:
        c.drawString(72, y, line)
        y -= 14.3
    y = 110.0
    c.setFont("Helvetica", 8)
    for line in notes:
        c.drawString(72, y, line)
        y -= 10.0
    c.showPage()


def _report(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    _page(
        c,
        1,
        PROSE,
        [
            "1 See the 2019 review of local govern-",
            "ment finance, page 4.",
            "2 Evidence session 3.",
        ],
    )
    _page(c, 2, [RUN_ON, "", *NEXT], ["3 Written evidence from a community trust."])
    _page(c, 3, ["Table 2 shows the funding by year."], ["Source: council accounts, 2021."])
    c.save()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("notes") / "notes.pdf"
    _report(path)
    return extract(path)


def test_footnotes_become_footnote_blocks_with_their_marks(report) -> None:  # type: ignore[no-untyped-def]
    assert_well_formed(report)
    notes = [(b.label, report.text[b.start : b.end]) for b in report.blocks if b.kind == "footnote"]
    assert notes == [
        ("1", "[1] See the 2019 review of local government finance, page 4."),
        ("2", "[2] Evidence session 3."),
        ("3", "[3] Written evidence from a community trust."),
    ]


def test_a_paragraph_running_on_past_a_footnote_stays_whole(report) -> None:  # type: ignore[no-untyped-def]
    paragraphs = block_texts(report, "paragraph")
    whole = " ".join([*PROSE, RUN_ON])
    assert whole in paragraphs
    # The page's notes follow the paragraph that was open at the foot of the page.
    kinds = [b.kind for b in report.blocks]
    first_note = kinds.index(BlockKind.FOOTNOTE)
    assert report.text[report.blocks[first_note - 1].start :].startswith(PROSE[0])
    assert paragraphs[1] == " ".join(NEXT)
    # Each note keeps a page: the last page's note is on page 2, where it was printed.
    third = next(b for b in report.blocks if b.label == "3")
    page = page_at(report.pages, third.start)
    assert page is not None and page.number == 2


def test_a_small_line_without_a_note_mark_stays_in_the_text(report) -> None:  # type: ignore[no-untyped-def]
    assert "Source: council accounts, 2021." in block_texts(report, "paragraph")
    assert "Levelling Up Locally" not in report.text  # running header still removed


def test_small_numbered_lines_that_do_not_count_up_are_not_footnotes(tmp_path: Path) -> None:
    # A file format's field table set small at the foot of a page: "size type name".
    path = tmp_path / "listing.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _page(c, 1, PROSE, ["2 CARD16 MAJOR_VERSION", "4 CARD32 ALIAS_LIST_OFFSET", "4 CARD32 N"])
    c.save()
    doc = extract(path)
    assert not [b for b in doc.blocks if b.kind is BlockKind.FOOTNOTE]
    assert "4 CARD32 ALIAS_LIST_OFFSET" in doc.text
