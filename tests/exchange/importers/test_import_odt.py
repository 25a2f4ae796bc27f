from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts
from zipbomb import write_bomb

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import ImportProblem, extract

odf = pytest.importorskip("odf")


def make_odt(path: Path) -> None:
    from odf import dc, meta
    from odf import table as tb
    from odf import text as tx
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="ODT Plan"))
    document.meta.addElement(dc.Creator(text="Agency"))
    document.meta.addElement(meta.CreationDate(text="2022-03-04T10:00:00"))
    numbers = tx.ListStyle(name="Num")
    numbers.addElement(tx.ListLevelStyleNumber(level=1, numformat="1", numsuffix=".", startvalue=3))
    numbers.addElement(tx.ListLevelStyleNumber(level=2, numformat="a", numsuffix=")"))
    document.automaticstyles.addElement(numbers)
    bullets = tx.ListStyle(name="Bul")
    bullets.addElement(tx.ListLevelStyleBullet(level=1, bulletchar="•"))
    document.automaticstyles.addElement(bullets)

    document.text.addElement(tx.H(outlinelevel=1, text="Main heading"))
    para = tx.P(text="First   paragraph")
    para.addElement(tx.S(c=3))
    para.addText("with kept spaces")
    note = tx.Note(noteclass="footnote", id="ftn1")
    note.addElement(tx.NoteCitation(text="1"))
    body = tx.NoteBody()
    body.addElement(tx.P(text="The footnote text."))
    note.addElement(body)
    para.addElement(note)
    para.addText(" after the note.")
    document.text.addElement(para)
    document.text.addElement(tx.H(outlinelevel=2, text="Sub heading"))
    numbered = tx.List(stylename="Num")
    for value in ["Do X.", "Do Y."]:
        item = tx.ListItem()
        item.addElement(tx.P(text=value))
        numbered.addElement(item)
    parent = tx.ListItem()
    parent.addElement(tx.P(text="Parent"))
    sub = tx.List()
    child = tx.ListItem()
    child.addElement(tx.P(text="child"))
    sub.addElement(child)
    parent.addElement(sub)
    numbered.addElement(parent)
    document.text.addElement(numbered)
    bulleted = tx.List(stylename="Bul")
    item = tx.ListItem()
    item.addElement(tx.P(text="bullet one"))
    bulleted.addElement(item)
    document.text.addElement(bulleted)
    table = tb.Table(name="T1")
    table.addElement(tb.TableColumn(numbercolumnsrepeated=2))
    for row in [["Sector", "Target"], ["Energy", "-55 %"]]:
        tr = tb.TableRow()
        for value in row:
            cell = tb.TableCell()
            cell.addElement(tx.P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    document.text.addElement(table)
    document.text.addElement(tx.P(text="End."))
    document.save(str(path))


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("odt") / "plan.odt"
    make_odt(path)
    return extract(path)


def test_text_and_blocks(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.source_format == "odt"
    assert_well_formed(doc)
    assert block_texts(doc, "heading") == ["Main heading", "Sub heading"]
    assert [b.level for b in doc.blocks if b.kind == "heading"] == [1, 2]
    assert "First paragraph   with kept spaces[1] after the note." in doc.text


def test_list_numbers_follow_the_list_style(doc) -> None:  # type: ignore[no-untyped-def]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [(doc.text[b.start : b.end], b.label, b.level) for b in items] == [
        ("3. Do X.", "3.", 1),
        ("4. Do Y.", "4.", 1),
        ("5. Parent", "5.", 1),
        ("a) child", "a)", 2),
        ("bullet one", "•", 1),
    ]


def test_table_and_footnote(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Sector | Target\nEnergy | -55 %" in doc.text
    last = doc.blocks[-1]
    assert last.kind is BlockKind.FOOTNOTE
    assert doc.text[last.start : last.end] == "[1] The footnote text."


def test_metadata(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.metadata.title == "ODT Plan"
    assert doc.metadata.author == "Agency"
    assert doc.metadata.date == "2022-03-04"


def test_truncated_odt_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.odt"
    make_odt(whole)
    data = whole.read_bytes()
    path = tmp_path / "cut.odt"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportProblem, match="damaged or truncated"):
        extract(path)


def test_odt_with_entities_is_not_expanded(tmp_path: Path) -> None:
    content = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "EXPANDED"> '
        '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:text><text:p>Safe &e; &ext; text</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    path = tmp_path / "entity.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    doc = extract(path)
    assert "EXPANDED" not in doc.text
    assert "root:" not in doc.text
    assert doc.text.startswith("Safe")


def test_spreadsheet_renamed_odt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sheet.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ImportProblem, match="not an OpenDocument text"):
        extract(path)


def test_zip_bomb_odt_is_refused_without_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bomb.odt"
    write_bomb(path, "content.xml", megabytes=64)

    def no_inflating(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was opened for inflating")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(ImportProblem, match="zip bomb"):
        extract(path)


def test_outline_numbered_headings_keep_their_numbers(tmp_path: Path) -> None:
    from odf import text as tx
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    outline = tx.OutlineStyle(name="Outline")
    outline.addElement(tx.OutlineLevelStyle(level=1, numformat="1", numsuffix="."))
    outline.addElement(tx.OutlineLevelStyle(level=2, numformat="1", displaylevels=2))
    outline.addElement(tx.OutlineLevelStyle(level=3, numformat="a", numprefix="(", numsuffix=")"))
    document.styles.addElement(outline)
    for level, title in [(1, "Scope"), (2, "Terms"), (3, "First"), (3, "Second"), (2, "Rules")]:
        document.text.addElement(tx.H(outlinelevel=level, text=title))
    document.text.addElement(tx.H(outlinelevel=1, islistheader="true", text="Unnumbered"))
    document.text.addElement(tx.H(outlinelevel=1, text="Measures"))
    document.text.addElement(
        tx.H(outlinelevel=1, restartnumbering="true", startvalue=7, text="Seven")
    )
    cached = tx.H(outlinelevel=1)
    cached.addElement(tx.Number(text="VIII."))  # a producer's own rendering wins
    cached.addText("Cached")
    document.text.addElement(cached)
    document.text.addElement(tx.H(outlinelevel=1, text="Nine"))
    path = tmp_path / "outline.odt"
    document.save(str(path))
    doc = extract(path)
    assert_well_formed(doc)
    assert block_texts(doc, BlockKind.HEADING) == [
        "1. Scope",
        "1.1 Terms",
        "(a) First",
        "(b) Second",
        "1.2 Rules",
        "Unnumbered",
        "2. Measures",
        "7. Seven",
        "VIII. Cached",
        "9. Nine",
    ]
    assert [b.level for b in doc.blocks] == [1, 2, 3, 3, 2, 1, 1, 1, 1, 1]
