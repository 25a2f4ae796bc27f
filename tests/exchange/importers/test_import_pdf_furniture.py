"""Page furniture on generated PDFs: each rule of ``pdf_furniture`` on its own (issue #13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed

from annotator.exchange.importers import extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
PAGES = 12
CHAPTERS = {1: "Chapter One: Housing", 7: "Chapter Two: Transport"}


def _body(page: int) -> list[str]:
    # Each page ends mid-sentence, so a paragraph runs across every page break.
    middle = [f"and the decision of the committee on page {page} as its members agreed"] * 9
    return [
        f"paragraph text of page {page} says that the council will review the",
        "housing plan every year with the residents and it will publish the",
        *middle,
        "results of each review together with the budget for the coming year and",
    ]


def make(path: Path, *, line_numbers: bool = False, rotated: bool = False) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    chapter = ""
    for page in range(1, PAGES + 1):
        chapter = CHAPTERS.get(page, chapter)
        c.setFont("Helvetica", 9)
        if page % 2:  # odd page: chapter title right, number outside
            c.drawRightString(WIDTH - 72, HEIGHT - 40, f"{chapter}   {page}")
        else:  # even page: number outside, report title left, on two lines
            c.drawString(72, HEIGHT - 40, f"{page}   Housing Review 2024")
            c.drawString(72, HEIGHT - 51, "Report of the Select Committee")
        c.drawCentredString(WIDTH / 2, 30, "OFFICIAL - Sensitive")
        if rotated:
            c.saveState()
            c.translate(20, 200)
            c.rotate(90)
            c.drawString(0, 0, "Downloaded by reader 42 on 2024-05-01")
            c.restoreState()
        c.setFont("Helvetica", 11)
        y = HEIGHT - 110
        for index, line in enumerate(_body(page)):
            c.drawString(72, y, line)
            if line_numbers:
                c.setFont("Helvetica", 7)
                c.drawRightString(60, y, str(index + 1 + 12 * (page - 1)))
                c.setFont("Helvetica", 11)
            y -= 14.3
        c.showPage()
    c.save()


@pytest.fixture
def doc(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "furniture.pdf"
    make(path, line_numbers=True, rotated=True)
    result = extract(path)
    assert_well_formed(result)
    return result


def test_alternating_two_line_headers_and_footers_are_removed(doc) -> None:  # type: ignore[no-untyped-def]
    for furniture in ("Housing Review 2024", "Report of the Select Committee", "OFFICIAL"):
        assert furniture not in doc.text


def test_a_header_that_changes_with_the_chapter_is_removed(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Chapter One" not in doc.text
    assert "Chapter Two" not in doc.text


def test_rotated_margin_lines_and_line_numbers_are_removed(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Downloaded by" not in doc.text
    assert "the 2 housing" not in doc.text  # a line number would sit inside the text
    assert doc.text.startswith("paragraph text of page 1")


def test_page_numbers_in_headers_become_labels(doc) -> None:  # type: ignore[no-untyped-def]
    assert [p.label for p in doc.pages] == [str(n) for n in range(1, PAGES + 1)]


def test_paragraphs_interrupted_by_page_breaks_are_rejoined(doc) -> None:  # type: ignore[no-untyped-def]
    assert "budget for the coming year and paragraph text of page 2" in doc.text
    assert doc.text.count("\n\n") == 0  # one paragraph across all twelve pages
