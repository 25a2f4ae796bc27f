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


def test_a_long_report_comes_back_paragraph_by_paragraph(tmp_path: Path) -> None:
    # Thirty pages of ragged-right paragraphs set 6 pt apart, with headings: every
    # paragraph must come back whole or, where a page break falls right after a full stop,
    # in two pieces (that break cannot be told from a paragraph break); never merged.
    import random

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    rng = random.Random(7)
    words = ["council", "funding", "local", "power", "the", "and", "should", "plan", "of"]
    styles = getSampleStyleSheet()
    written: list[str] = []
    story = []
    for chapter in range(3):
        story.append(Paragraph(f"Chapter {chapter + 1}", styles["Heading1"]))
        for _ in range(40):
            sentences = [
                " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))).capitalize() + "."
                for _ in range(rng.randint(2, 6))
            ]
            written.append(" ".join(sentences))
            story.append(Paragraph(written[-1], styles["BodyText"]))
    path = tmp_path / "long.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    got = block_texts(extract(path), "paragraph")
    whole = set(written) & set(got)
    assert len(whole) >= 0.95 * len(written)
    for block in got:  # a block is a whole paragraph or a piece of one
        assert block in whole or any(block in paragraph for paragraph in written)
