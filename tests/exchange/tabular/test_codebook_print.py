"""The printable codebook: HTML and DOCX hold every code, field and example."""

from __future__ import annotations

import docx
import lxml.html

from annotator.exchange.codebook_print import (
    Example,
    PrintableCode,
    shorten,
    write_codebook_docx,
    write_codebook_html,
)

from .helpers import code

ROOT = code("Themes <&>", kind="group", codable=False, definition="Top\x0blevel")
CHILD = code("Fiscal", ROOT, shortcut="F", inclusion="Money talk", memo="Check with PI")
ENTRIES = [
    PrintableCode(ROOT, "Themes <&>", 0, 0),
    PrintableCode(
        CHILD,
        "Themes <&>/Fiscal",
        1,
        2,
        (Example("Cut the tax.", "Budget 2024", "Ann"), Example("Spend <more>.", "Plan", "Bob")),
    ),
]


def test_html_has_tree_fields_and_examples(tmp_path):
    path = tmp_path / "cb.html"
    assert write_codebook_html(path, "Codebook <P>", ENTRIES) == 2
    tree = lxml.html.parse(str(path)).getroot()
    assert [h.text_content() for h in tree.xpath("//section/h2|//section/h3")] == [
        "Themes <&>",
        "Fiscal",
    ]
    fiscal = tree.xpath("//section")[1]
    labels = [dt.text for dt in fiscal.xpath(".//dt")]
    assert labels == [
        "Definition",
        "Include when",
        "Exclude when",
        "Typical example",
        "Borderline example",
        "Memo",
    ]
    assert [dd.text for dd in fiscal.xpath(".//dd")][1] == "Money talk"
    quotes = [q.text for q in fiscal.xpath(".//blockquote")]
    assert quotes == ["Cut the tax.", "Spend <more>."]
    assert "shortcut: F" in fiscal.text_content()
    assert "folder (not codable)" in tree.xpath("//section")[0].text_content()


def test_docx_opens_and_contains_every_code(tmp_path):
    path = tmp_path / "cb.docx"
    write_codebook_docx(path, "Codebook", ENTRIES)
    doc = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Head")]
    assert headings == [("Heading 1", "Themes <&>"), ("Heading 2", "Fiscal")]
    texts = [p.text for p in doc.paragraphs]
    assert "Include when: Money talk" in texts
    assert "Definition: Top\ufffdlevel" in texts  # a control character Word cannot hold
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes == ["Cut the tax.\n— Budget 2024 (Ann)", "Spend <more>.\n— Plan (Bob)"]


def test_long_examples_are_shortened_at_a_word():
    text = "word " * 300
    short = shorten(text, 50)
    assert short.endswith(" …") and len(short) <= 52
    assert shorten("  a\n b  ") == "a b"
