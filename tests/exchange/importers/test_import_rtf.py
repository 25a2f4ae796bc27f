from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.exchange.importers import ImportProblem, extract

pytest.importorskip("striprtf")

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}"
    r"{\info{\title Climate \u8211? Plan}{\author Jane Doe}{\creatim\yr2021\mo3\dy9}}"
    "\n"
    r"\pard Caf\'e9 \u8220?quoted\u8221? text.\par"
    "\n"
    r"Second paragraph.\par"
    "\n"
    r"\trowd\cellx1000\cellx2000 Sector\cell Target\cell\row"
    "\n"
    r"\trowd\cellx1000\cellx2000 Energy\cell -55\cell\row"
    "\n"
    r"\pard End.\par}"
)


def test_rtf_text_tables_and_info(tmp_path: Path) -> None:
    path = tmp_path / "plan.rtf"
    path.write_text(RTF, encoding="ascii")
    doc = extract(path)
    assert doc.text == (
        "Café “quoted” text.\n\nSecond paragraph.\n\nSector | Target\nEnergy | -55\n\nEnd."
    )
    assert block_texts(doc, "table_cell") == ["Sector", "Target", "Energy", "-55"]
    assert block_texts(doc, "paragraph") == ["Café “quoted” text.", "Second paragraph.", "End."]
    assert doc.metadata.title == "Climate – Plan"
    assert doc.metadata.author == "Jane Doe"
    assert doc.metadata.date == "2021-03-09"
    assert doc.source_format == "rtf"
    assert_well_formed(doc)


def test_rtf_code_page(tmp_path: Path) -> None:
    path = tmp_path / "cz.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1250 P\'f8\'edli\'9a \'9elu\'9dou\'e8k\'fd.\par}")
    assert extract(path).text == "Příliš žluťoučký."


def test_truncated_rtf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.rtf"
    path.write_text(RTF[: len(RTF) // 2], encoding="ascii")
    with pytest.raises(ImportProblem, match="truncated"):
        extract(path)


def test_not_rtf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.rtf"
    path.write_text("Just text pretending to be RTF.")
    with pytest.raises(ImportProblem, match="not an RTF"):
        extract(path)
