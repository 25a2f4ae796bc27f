"""Tables in a PDF read row by row; columns of prose still read column by column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
ROWS = [
    ["Year", "Grant (£m)", "Change"],
    ["2019", "412", "—"],
    ["2020", "398", "-3.4%"],
    ["2021", "455", "+14.3%"],
]
COLUMNS_X = [72, 250, 420]


def _table_page(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "The grant fell in 2020 and recovered in the following year.")
    y = 720
    for row in ROWS:
        for x, cell in zip(COLUMNS_X, row, strict=True):
            c.drawString(x, y, cell)
        y -= 16
    c.drawString(72, y - 24, "Councils said that the recovery came too late for many services.")
    c.showPage()
    c.save()


def test_a_table_reads_row_by_row_with_a_block_per_cell(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    _table_page(path)
    doc = extract(path)
    assert_well_formed(doc)
    lines = doc.text.split("\n\n")
    rows = [" | ".join(row) for row in ROWS]
    assert lines == [
        "The grant fell in 2020 and recovered in the following year.",
        *rows,
        "Councils said that the recovery came too late for many services.",
    ]
    cells = [doc.text[b.start : b.end] for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    assert cells == [cell for row in ROWS for cell in row]


def test_three_columns_of_prose_still_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "columns.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    columns = [
        [f"Column {n} line {i} has several words of running prose in it" for i in range(1, 7)]
        for n in (1, 2, 3)
    ]
    for x, lines in zip((40, 220, 400), columns, strict=True):
        y = 760.0
        for line in lines:
            c.drawString(x, y, line[:34])
            y -= 12
    c.showPage()
    c.save()
    doc = extract(path)
    assert not [b for b in doc.blocks if b.kind is BlockKind.TABLE_CELL]
    paragraphs = block_texts(doc, "paragraph")
    assert [p.split()[1] for p in paragraphs] == ["1", "2", "3"]
