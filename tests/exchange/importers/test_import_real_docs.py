"""Real public DOCX, ODT and HTML documents (issue #3), described in tests/data/real/SOURCES.md.

Generated fixtures are tidy; files made by Word, OpenOffice or a documentation generator
carry merged table cells, outline-numbered headings, permalink icons, footnotes in
``<aside>`` and site chrome around the article. Every expectation here is read from the file
itself with python-docx or lxml, independently of the importers, so a test fails when the
import loses or invents structure.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind, ExtractedDocument
from annotator.exchange.importers import extract
from annotator.services.importing import Outcome, import_files
from annotator.services.project import Project

docx = pytest.importorskip("docx")
etree = pytest.importorskip("lxml.etree")
lxml_html = pytest.importorskip("lxml.html")

REAL = Path(__file__).resolve().parents[2] / "data" / "real"
OFFICER = REAL / "officer-example.docx"
FOOTNOTES = REAL / "mammoth-footnotes.docx"
MANUAL = REAL / "odfpy-api-manual.odt"
DJANGO = REAL / "django-security-policies.html"
PYTHON = REAL / "python-tutorial-interpreter.html"
ALL = (OFFICER, FOOTNOTES, MANUAL, DJANGO, PYTHON)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _xml(path: Path, member: str) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(member))


def _blocks(doc: ExtractedDocument, kind: BlockKind) -> list[tuple[str, Any]]:
    return [(doc.text[b.start : b.end], b) for b in doc.blocks if b.kind is kind]


@pytest.fixture(scope="module")
def imported() -> dict[str, ExtractedDocument]:
    return {path.name: extract(path) for path in ALL}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_real_file_imports_well_formed(path: Path, imported) -> None:  # type: ignore[no-untyped-def]
    doc = imported[path.name]
    assert_well_formed(doc)
    assert doc.original == path.read_bytes()
    assert doc.metadata.title


# -- Word (officer's example: Word for Mac) ---------------------------------------------


def test_docx_headings_are_the_heading_styled_paragraphs(imported) -> None:  # type: ignore[no-untyped-def]
    expected = []
    for paragraph in docx.Document(str(OFFICER)).paragraphs:
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match and paragraph.text.strip():
            expected.append((_collapse(paragraph.text), int(match.group(1))))
    assert len(expected) >= 3
    got = [(text, b.level) for text, b in _blocks(imported[OFFICER.name], BlockKind.HEADING)]
    assert got == expected


def test_docx_numbered_and_bulleted_items_keep_their_marks(imported) -> None:  # type: ignore[no-untyped-def]
    numbering = _xml(OFFICER, "word/numbering.xml")
    abstract_of = {
        n.get(W + "numId"): n.find(W + "abstractNumId").get(W + "val")
        for n in numbering.iter(W + "num")
    }
    formats = {}
    for node in numbering.iter(W + "abstractNum"):
        for lvl in node.findall(W + "lvl"):
            key = (node.get(W + "abstractNumId"), lvl.get(W + "ilvl"))
            formats[key] = (
                lvl.find(W + "numFmt").get(W + "val"),
                lvl.find(W + "lvlText").get(W + "val"),
                int(lvl.find(W + "start").get(W + "val")),
            )
    body = _xml(OFFICER, "word/document.xml")
    expected = []
    seen: dict[str, int] = {}
    for p in body.iter(W + "p"):
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            continue
        num_id = num_pr.find(W + "numId").get(W + "val")
        ilvl = num_pr.find(W + "ilvl").get(W + "val")
        text = _collapse("".join(t.text or "" for t in p.iter(W + "t")))
        fmt, lvl_text, start = formats[(abstract_of[num_id], ilvl)]
        if fmt == "bullet":
            expected.append(("•", text))
        else:
            assert fmt == "decimal" and lvl_text == "%1."  # what this file uses
            value = start + seen.get(num_id, 0)
            seen[num_id] = seen.get(num_id, 0) + 1
            expected.append((f"{value}.", f"{value}. {text}"))
    assert {label for label, _ in expected} >= {"1.", "3.", "•"}
    got = [(b.label, text) for text, b in _blocks(imported[OFFICER.name], BlockKind.LIST_ITEM)]
    assert got == expected


def test_docx_table_rows_keep_merged_cells_in_their_columns(imported) -> None:  # type: ignore[no-untyped-def]
    # python-docx repeats a merged cell in every grid column and row it covers; shown
    # once, at its top-left, every row keeps one place per column.
    table = docx.Document(str(OFFICER)).tables[0]
    rows = [row.cells for row in table.rows]
    width = len(rows[0])
    expected = []
    for r, cells in enumerate(rows):
        shown = []
        for c, cell in enumerate(cells):
            left = c > 0 and cells[c - 1]._tc is cell._tc
            above = r > 0 and rows[r - 1][c]._tc is cell._tc
            shown.append("" if left or above else _collapse(cell.text))
        while shown and not shown[-1]:
            shown.pop()
        expected.append(" | ".join(shown))
    assert any(line.count(" | ") < width - 1 for line in expected)  # the file has merges
    doc = imported[OFFICER.name]
    first = doc.text.index(expected[0])
    assert doc.text[first:].split("\n")[: len(expected)] == expected
    header_cells = [_collapse(c.text) for c in rows[0]]
    assert block_texts(doc, BlockKind.TABLE_CELL)[:width] == header_cells


def test_docx_core_and_app_properties(imported) -> None:  # type: ignore[no-untyped-def]
    core = docx.Document(str(OFFICER)).core_properties
    company = _xml(OFFICER, "docProps/app.xml").find(
        "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Company"
    )
    meta = imported[OFFICER.name].metadata
    assert meta.title == core.title
    assert meta.author == core.author
    assert meta.date == core.created.date().isoformat()
    assert meta.publisher == company.text


def test_docx_footnotes_are_kept_at_the_end_in_reference_order(imported) -> None:  # type: ignore[no-untyped-def]
    notes = {
        n.get(W + "id"): _collapse("".join(t.text or "" for t in n.iter(W + "t")))
        for n in _xml(FOOTNOTES, "word/footnotes.xml").iter(W + "footnote")
        if n.get(W + "type") is None
    }
    order = [
        r.get(W + "id") for r in _xml(FOOTNOTES, "word/document.xml").iter(W + "footnoteReference")
    ]
    assert len(order) >= 2
    doc = imported[FOOTNOTES.name]
    footnotes = _blocks(doc, BlockKind.FOOTNOTE)
    assert [(b.label, text) for text, b in footnotes] == [
        (str(i), f"[{i}] {notes[note_id]}") for i, note_id in enumerate(order, start=1)
    ]
    last_body = max(b.end for b in doc.blocks if b.kind is not BlockKind.FOOTNOTE)
    assert all(b.start > last_body for _, b in footnotes)
    body = doc.text[:last_body]
    assert all(f"[{i}]" in body for i in range(1, len(order) + 1))
    assert "[1]" not in (doc.metadata.title or "")  # our markers are not the author's title


# -- OpenDocument (the odfpy API manual: OpenOffice.org 3.1, outline-numbered) ----------


def _odf_text(element: Any) -> str:
    """Text of an ODF paragraph with its tabs and spaces (text:tab, text:s) resolved."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "tab":
            parts.append("\t")
        elif child.tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag != TEXT + "note":
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def test_odt_headings_have_their_levels(imported) -> None:  # type: ignore[no-untyped-def]
    body = next(_xml(MANUAL, "content.xml").iter(OFFICE + "text"))
    expected = [
        (_collapse(_odf_text(h)), int(h.get(TEXT + "outline-level")))
        for h in body.iter(TEXT + "h")
        if _odf_text(h).strip()
    ]
    assert len(expected) > 500
    got = _blocks(imported[MANUAL.name], BlockKind.HEADING)
    assert [b.level for _, b in got] == [level for _, level in expected]
    for (text, _), (heading, _) in zip(got, expected, strict=True):
        assert text.endswith(heading)


def test_odt_heading_numbers_match_the_table_of_contents(imported) -> None:  # type: ignore[no-untyped-def]
    # OpenOffice rendered the outline numbers into the table of contents ("1.1 About
    # OpenDocument<tab>3"); the imported headings must carry the same numbers.
    content = _xml(MANUAL, "content.xml")
    toc = next(content.iter(TEXT + "table-of-content")).find(TEXT + "index-body")
    entries = [_odf_text(p).rsplit("\t", 1)[0].strip() for p in toc.iter(TEXT + "p")]
    entries = [e for e in entries if re.match(r"\d", e)]
    assert len(entries) > 30
    headings = set(block_texts(imported[MANUAL.name], BlockKind.HEADING))
    assert [e for e in entries if e not in headings] == []


def test_odt_bullet_items_are_list_items(imported) -> None:  # type: ignore[no-untyped-def]
    body = next(_xml(MANUAL, "content.xml").iter(OFFICE + "text"))
    expected = []
    for item in body.iter(TEXT + "list-item"):
        first = item.find(TEXT + "p")
        if first is not None:
            text = _collapse(_odf_text(first))
            if text:
                expected.append(text)
    got = _blocks(imported[MANUAL.name], BlockKind.LIST_ITEM)
    assert [text for text, _ in got] == expected
    assert {b.label for _, b in got} == {"•"}


def test_odt_metadata_from_meta_xml(imported) -> None:  # type: ignore[no-untyped-def]
    meta = _xml(MANUAL, "meta.xml")
    got = imported[MANUAL.name].metadata
    assert got.title == next(meta.iter(DC + "title")).text
    assert got.author == next(meta.iter(DC + "creator")).text
    assert got.date == next(meta.iter(META + "creation-date")).text[:10]


# -- HTML (saved documentation pages with navigation, sidebars, scripts and footers) -----


def _page(path: Path) -> Any:
    return lxml_html.document_fromstring(path.read_bytes())


def _heading_text(heading: Any) -> str:
    copy = lxml_html.fromstring(lxml_html.tostring(heading))
    for link in copy.xpath(".//a[@class='headerlink']"):
        link.drop_tree()
    return _collapse(copy.text_content())


def _chrome_strings(root: Any, article: Any) -> list[str]:
    """Visible strings of the page outside the article that the article does not contain."""
    inside = set(article.iter())
    own = _collapse(article.text_content())
    found = []
    for element in root.find("body").iter():
        if element in inside or not isinstance(element.tag, str):
            continue
        for piece in (element.text, element.tail):
            text = _collapse(piece or "")
            if len(text) >= 4 and text not in own and text not in found:
                found.append(text)
    return found


@pytest.mark.parametrize(
    ("path", "article_xpath"),
    [
        (DJANGO, "//div[@id='s-django-s-security-policies']"),
        (PYTHON, "//div[@role='main']"),
    ],
    ids=["django", "python"],
)
def test_html_keeps_the_article_and_drops_the_chrome(
    path: Path, article_xpath: str, imported
) -> None:  # type: ignore[no-untyped-def]
    root = _page(path)
    article = root.xpath(article_xpath)[0]
    doc = imported[path.name]
    chrome = _chrome_strings(root, article)
    assert len(chrome) > 10  # navigation, sidebar, search, footer, scripts
    assert [s for s in chrome if s in doc.text] == []
    for paragraph in article.iter("p"):
        if paragraph.xpath("ancestor::aside"):
            continue  # footnotes: checked on their own
        assert _collapse(paragraph.text_content()) in _collapse(doc.text)
    assert "¶" not in doc.text


@pytest.mark.parametrize(
    ("path", "article_xpath"),
    [
        (DJANGO, "//div[@id='s-django-s-security-policies']"),
        (PYTHON, "//div[@role='main']"),
    ],
    ids=["django", "python"],
)
def test_html_headings_have_levels_and_the_title_is_the_first(
    path: Path, article_xpath: str, imported
) -> None:  # type: ignore[no-untyped-def]
    root = _page(path)
    article = root.xpath(article_xpath)[0]
    expected = [
        (_heading_text(h), int(h.tag[1])) for h in article.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    doc = imported[path.name]
    assert [(text, b.level) for text, b in _blocks(doc, BlockKind.HEADING)] == expected
    page_title = _collapse(root.find(".//title").text_content())
    assert page_title.startswith(expected[0][0])  # "<h1> — Site documentation"
    assert doc.metadata.title == expected[0][0]


def test_html_ordered_lists_keep_their_numbers(imported) -> None:  # type: ignore[no-untyped-def]
    article = _page(DJANGO).xpath("//div[@id='s-django-s-security-policies']")[0]
    expected = []
    for element in article.iter("ol", "ul"):
        for n, item in enumerate(element.findall("li"), start=1):
            text = _collapse(item.text_content())
            expected.append((f"{n}.", f"{n}. {text}") if element.tag == "ol" else ("•", text))
    assert sum(1 for label, _ in expected if label != "•") >= 5
    got = [(b.label, text) for text, b in _blocks(imported[DJANGO.name], BlockKind.LIST_ITEM)]
    assert got == expected


def test_html_footnotes_are_kept_with_their_numbers(imported) -> None:  # type: ignore[no-untyped-def]
    notes = _page(PYTHON).xpath("//aside[contains(concat(' ', @class, ' '), ' footnote ')]")
    assert notes
    expected = []
    for note in notes:
        label = _collapse(note.xpath(".//*[@class='label']//a")[0].text_content())
        expected.append(
            (label, f"[{label}] " + _collapse(" ".join(p.text_content() for p in note.iter("p"))))
        )
    doc = imported[PYTHON.name]
    assert [(b.label, text) for text, b in _blocks(doc, BlockKind.FOOTNOTE)] == expected
    first_note = min(b.start for b in doc.blocks if b.kind is BlockKind.FOOTNOTE)
    assert "[1]" in doc.text[:first_note]  # the reference stays where it is in the text


# -- through the project: stored, reopened, the same ---------------------------------------


def test_real_files_survive_import_into_a_project_and_reopening(tmp_path: Path, imported) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "real.annotator"
    project = Project.create(path)
    try:
        report = import_files(project.documents, list(ALL))
    finally:
        project.close()
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED] * len(ALL)
    reopened = Project.open(path)
    try:
        for result in report.results:
            stored = reopened.documents.get(result.document_id)
            fresh = imported[result.path.name]
            assert stored.text == fresh.text
            assert stored.blocks == fresh.blocks
            assert stored.title == fresh.metadata.title
            assert stored.metadata.author == fresh.metadata.author
            assert reopened.documents.original_file(result.document_id) == (
                result.path.name,
                result.path.read_bytes(),
            )
    finally:
        reopened.close()
