from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts
from zipbomb import write_bomb, write_many

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import ImportLimits, ImportProblem, extract

docx = pytest.importorskip("docx")

FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Source: national statistics office.</w:t></w:r>'
    "</w:p></w:footnote></w:footnotes>"
)


def _add_footnote(document, paragraph) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES_XML.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)


def make_docx(path: Path) -> None:
    document = docx.Document()
    props = document.core_properties
    props.title = "Energy Strategy 2030"
    props.author = "Ministry of Energy"
    props.created = datetime.datetime(2023, 4, 5, 10, 0)
    document.add_heading("Energy Strategy", 0)
    document.add_heading("Introduction", 1)
    intro = document.add_paragraph("The strategy sets ")
    intro.add_run("binding").bold = True
    intro.add_run(" targets.")
    _add_footnote(document, intro)
    document.add_heading("Measures", 2)
    for item in ["Build wind farms.", "Insulate buildings.", "Expand rail."]:
        document.add_paragraph(item, style="List Number")
    for item in ["solar", "storage"]:
        document.add_paragraph(item, style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {
        (0, 0): "Sector",
        (0, 1): "Target",
        (1, 0): "Energy",
        (1, 1): "-55 %",
    }.items():
        table.cell(r, c).text = value
    document.add_paragraph("Closing\tparagraph.")
    document.save(str(path))


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("docx") / "strategy.docx"
    make_docx(path)
    return extract(path)


def test_structure_and_offsets(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.source_format == "docx"
    assert_well_formed(doc)
    assert [(doc.text[b.start : b.end], b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("Energy Strategy", 1),
        ("Introduction", 1),
        ("Measures", 2),
    ]


def test_numbered_and_bulleted_items(doc) -> None:  # type: ignore[no-untyped-def]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [doc.text[b.start : b.end] for b in items] == [
        "1. Build wind farms.",
        "2. Insulate buildings.",
        "3. Expand rail.",
        "solar",
        "storage",
    ]
    assert [b.label for b in items] == ["1.", "2.", "3.", "•", "•"]
    assert "1. Build wind farms.\n2. Insulate buildings.\n3. Expand rail." in doc.text


def test_table_rows(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Sector | Target\nEnergy | -55 %" in doc.text
    assert block_texts(doc, "table_cell") == ["Sector", "Target", "Energy", "-55 %"]


def test_runs_joined_and_footnote_kept_at_the_end(doc) -> None:  # type: ignore[no-untyped-def]
    assert "The strategy sets binding targets.[1]" in doc.text
    last = doc.blocks[-1]
    assert last.kind is BlockKind.FOOTNOTE and last.label == "1"
    assert doc.text[last.start : last.end] == "[1] Source: national statistics office."
    assert "Closing\tparagraph." in doc.text


def test_core_properties(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.metadata.title == "Energy Strategy 2030"
    assert doc.metadata.author == "Ministry of Energy"
    assert doc.metadata.date == "2023-04-05"


def test_numbering_restart_and_formats() -> None:
    from lxml import etree

    from annotator.exchange.importers.docx import _Numbering

    xml = (
        '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/>'
        '<w:lvlText w:val="%1.%2.%3"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="5"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'
        "</w:numbering>"
    )
    numbering = _Numbering.from_xml(etree.fromstring(xml))
    labels = [numbering.next_label("5", lvl) for lvl in (0, 1, 1, 2, 0, 1)]
    assert [label for label, _ in labels] == ["3.", "(a)", "(b)", "3.b.i", "4.", "(a)"]
    assert numbering.next_label("99", 0) is None


def test_truncated_docx_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.docx"
    make_docx(whole)
    data = whole.read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ImportProblem, match="damaged or truncated"):
        extract(path)


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("not really a word file")
    with pytest.raises(ImportProblem, match="not a valid zip"):
        extract(path)


def test_zip_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportProblem, match="not a Word document"):
        extract(path)


def test_zip_bomb_is_refused_without_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.docx"
    write_bomb(path, "word/document.xml", megabytes=64)
    assert path.stat().st_size < 1024 * 1024

    def no_inflating(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was opened for inflating")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(ImportProblem, match="zip bomb"):
        extract(path)


def test_zip_total_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.docx"
    write_many(path, member_count=5, member_bytes=200_000)
    with pytest.raises(ImportProblem, match="would expand"):
        extract(path, ImportLimits(max_zip_uncompressed_bytes=500_000))
