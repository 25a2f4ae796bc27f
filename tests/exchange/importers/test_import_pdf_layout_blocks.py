"""Boxes and dot-leader contents on generated PDFs (issue #13, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.exchange.importers import extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4


def _lines(c: canvas.Canvas, y: float, lines: list[str], x: float = 72) -> float:
    c.setFont("Helvetica", 11)
    for line in lines:
        c.drawString(x, y, line)
        y -= 14.3
    return y


def test_a_box_that_interrupts_a_paragraph_does_not_split_it(tmp_path: Path) -> None:
    path = tmp_path / "box.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(
        c,
        HEIGHT - 100,
        [
            "The council agreed that the housing plan for the borough should",
            "be reviewed every year with the residents, and that the review",
        ],
    )
    # A framed case study between the two halves of the paragraph.
    c.setStrokeColorRGB(0, 0, 0)
    c.rect(72, y - 80, 400, 86, stroke=1, fill=0)
    _lines(
        c,
        y - 12,
        [
            "Case study: Riverside estate",
            "Tenants ran their own repairs service for two years.",
            "Repairs were done in half the time.",
        ],
        x=84,
    )
    _lines(
        c,
        y - 100,
        ["should be published together with the budget for the coming year."],
    )
    c.showPage()
    c.save()
    doc = extract(path)
    assert_well_formed(doc)
    paragraphs = block_texts(doc)
    assert (
        "the review should be published together with the budget for the coming year." in doc.text
    )
    assert any(
        p.startswith("Case study: Riverside estate") or p == "Case study: Riverside estate"
        for p in paragraphs
    )
    assert doc.text.index("coming year.") < doc.text.index("Case study")


def test_a_box_between_paragraphs_stays_where_it_stands(tmp_path: Path) -> None:
    path = tmp_path / "box2.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = _lines(c, HEIGHT - 100, ["The first paragraph ends here."])
    c.rect(72, y - 60, 400, 66, stroke=1, fill=0)
    _lines(c, y - 12, ["Box heading", "Inside the box one.", "Inside the box two."], x=84)
    _lines(c, y - 100, ["The second paragraph starts here."])
    c.showPage()
    c.save()
    text = extract(path).text
    assert text.index("ends here.") < text.index("Box heading") < text.index("second paragraph")


def test_contents_with_dot_leaders_become_rows(tmp_path: Path) -> None:
    path = tmp_path / "toc.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, HEIGHT - 80, "Contents")
    entries = [
        ("Summary", "4"),
        ("Background to this document", "6"),
        ("Recommendation 1: A simplified structure for whole-system civil", None),
        ("emergency preparedness", "10"),
        ("Annex A", "34"),
    ]
    y = HEIGHT - 110
    c.setFont("Helvetica", 11)
    for title, page in entries:
        c.drawString(72, y, title + (" " + "." * 40 + " " + page if page else ""))
        y -= 14.3
    _lines(c, y - 20, ["The body of the report starts here."])
    c.showPage()
    c.save()
    doc = extract(path)
    assert_well_formed(doc)
    rows = [r for r in doc.text.split("\n\n") if " | " in r]
    assert rows == [
        "Summary | 4",
        "Background to this document | 6",
        "Recommendation 1: A simplified structure for whole-system civil emergency "
        "preparedness | 10",
        "Annex A | 34",
    ]
    assert "Contents" in block_texts(doc)
