from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import ImportProblem, extract

SOURCE = """\
# National *Climate* Plan

Intro with **bold**, `code` and a [link](https://example.org/very/long/url) that
continues on a second line.

## Measures

3. Do X by 2030.
4. Do Y.
   - a nested bullet
   - another one

* first bullet
* second bullet

| Sector | Target |
|--------|--------|
| Energy | -55 %  |
| Transport |  |

> A quoted passage.

![chart of emissions](chart.png)

<div class="x">Raw <b>HTML</b> block</div>
"""


@pytest.fixture
def doc(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.md"
    path.write_text(SOURCE, encoding="utf-8")
    return extract(path)


def test_text_is_prose_without_markup(doc) -> None:  # type: ignore[no-untyped-def]
    assert "#" not in doc.text
    assert "*" not in doc.text
    assert "https://" not in doc.text
    assert "`" not in doc.text
    assert "<b>" not in doc.text
    assert "Intro with bold, code and a link that continues on a second line." in doc.text
    assert "A quoted passage." in doc.text
    assert "chart of emissions" in doc.text
    assert "Raw HTML block" in doc.text
    assert doc.source_format == "markdown"
    assert_well_formed(doc)


def test_headings_have_levels(doc) -> None:  # type: ignore[no-untyped-def]
    headings = [(doc.text[b.start : b.end], b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("National Climate Plan", 1), ("Measures", 2)]
    assert doc.metadata.title == "National Climate Plan"


def test_numbered_items_keep_their_number_in_text_and_label(doc) -> None:  # type: ignore[no-untyped-def]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    texts = [doc.text[b.start : b.end] for b in items]
    assert texts == [
        "3. Do X by 2030.",
        "4. Do Y.",
        "a nested bullet",
        "another one",
        "first bullet",
        "second bullet",
    ]
    assert [b.label for b in items] == ["3.", "4.", "•", "•", "•", "•"]
    assert [b.level for b in items] == [1, 1, 2, 2, 1, 1]
    assert "3. Do X by 2030.\n4. Do Y.\na nested bullet" in doc.text


def test_table_rows_are_readable(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Sector | Target\nEnergy | -55 %\nTransport" in doc.text
    assert block_texts(doc, "table_cell") == ["Sector", "Target", "Energy", "-55 %", "Transport"]


def test_front_matter_fills_metadata_and_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "fm.markdown"
    path.write_text('---\ntitle: "The Real Title"\nauthor: Jane Doe\ndate: 2024-05-01\n---\n# H\n')
    doc = extract(path)
    assert doc.text == "H"
    assert doc.metadata.title == "The Real Title"
    assert doc.metadata.author == "Jane Doe"
    assert doc.metadata.date == "2024-05-01"


def test_title_falls_back_to_first_line(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_bytes(b"Just a paragraph\r\nwith CRLF.\r\n\r\nAnother.\r\n")
    doc = extract(path)
    assert doc.text == "Just a paragraph with CRLF.\n\nAnother."
    assert doc.metadata.title == "Just a paragraph with CRLF."
    assert_well_formed(doc)


def test_markdown_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.md"
    path.write_bytes("# Résumé – “quoted”\n\nCafé naïve.\n".encode("cp1252"))
    doc = extract(path)
    assert doc.text == "Résumé – “quoted”\n\nCafé naïve."


def test_markup_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("---\n\n***\n")
    with pytest.raises(ImportProblem, match="no text"):
        extract(path)


def test_binary_renamed_md_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"\x00\x01\x02binary" * 20)
    with pytest.raises(ImportProblem, match="binary"):
        extract(path)
