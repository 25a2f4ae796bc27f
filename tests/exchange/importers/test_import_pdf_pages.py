"""A paragraph that runs on across a page break stays one paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.exchange.importers import extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
COLUMN = 400.0
FIRST = [
    "Local authorities have taken on new duties in every year since",
    "the inquiry began, while the grants that pay for them have been",
    "cut or held flat, and several councils told the panel that they",
    "now spend more on reporting than on the services themselves.",
]
SHORT_END = "now spend more on reporting."  # a paragraph's last line: short
SECOND = [
    "The panel heard the same account from every region it visited.",
    "It recommends a single settlement for each place.",
]
NEXT = "A separate chapter sets out the evidence on housing."


def _draw(c: canvas.Canvas, y: float, lines: list[str], justify_last: bool) -> float:
    for i, line in enumerate(lines):
        text = c.beginText(72, y)
        text.setFont("Helvetica", 11)
        if i < len(lines) - 1 or justify_last:  # justified: stretch to the column width
            text.setWordSpace((COLUMN - stringWidth(line, "Helvetica", 11)) / line.count(" "))
        text.textLine(line)
        c.drawText(text)
        y -= 14.3
    return y


def _document(path: Path, *, runs_on: bool) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    first = FIRST if runs_on else [*FIRST[:-1], SHORT_END]
    y = _draw(c, 200, first, justify_last=runs_on)  # ends at the foot of the page
    assert y > 72
    c.showPage()
    y = _draw(c, HEIGHT - 100, SECOND, justify_last=False)
    c.setFont("Helvetica", 11)
    c.drawString(72, y - 10, NEXT)
    c.showPage()
    c.save()


def test_a_full_justified_line_at_the_foot_of_a_page_runs_on(tmp_path: Path) -> None:
    path = tmp_path / "runs-on.pdf"
    _document(path, runs_on=True)
    doc = extract(path)
    assert_well_formed(doc)
    assert block_texts(doc, "paragraph") == [" ".join(FIRST + SECOND), NEXT]


def test_a_short_last_line_at_the_foot_of_a_page_ends_the_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "ends.pdf"
    _document(path, runs_on=False)
    doc = extract(path)
    first = " ".join([*FIRST[:-1], SHORT_END])
    assert block_texts(doc, "paragraph") == [first, " ".join(SECOND), NEXT]
