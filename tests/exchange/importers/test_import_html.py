from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import ImportProblem, extract

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Green Deal explained | Policy Site</title>
<meta property="og:site_name" content="Policy Site">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-02-03T10:00:00Z">
<script>var tracking = "SCRIPTTEXT";</script><style>body { color: red }</style>
</head><body class="has-sidebar">
<header class="site-header"><a href="/">Home</a>
  <nav><ul><li>MENUITEM</li><li>About us</li></ul></nav></header>
<div id="cookie-banner">We use COOKIES. <button>Accept</button></div>
<main><article>
<header><h1>Green Deal explained</h1></header>
<p>The <b>European</b> Green Deal aims   for
climate neutrality by 2050.<br>Second line.</p>
<h2>Key measures</h2>
<ol start="3"><li>Cut emissions by 55%.</li><li>Plant trees.<ul><li>nested one</li></ul></li></ol>
<ul><li>Bullet A</li></ul>
<table><tr><th>Sector</th><th>Target</th></tr><tr><td>Energy</td><td>-55 %</td></tr></table>
<div class="social-share">SHARETEXT</div>
<div style="display: none">HIDDENTEXT</div>
<div>Loose text in a div <em>with emphasis</em> &amp; an entity.</div>
</article>
<aside>RELATEDTEXT</aside></main>
<footer class="site-footer"><ul><li>IMPRINT</li><li>Privacy</li></ul></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return extract(path)


@pytest.mark.parametrize(
    "noise",
    [
        "SCRIPTTEXT",
        "color: red",
        "MENUITEM",
        "COOKIES",
        "Accept",
        "SHARETEXT",
        "HIDDENTEXT",
        "RELATEDTEXT",
        "IMPRINT",
        "Home",
    ],
)
def test_noise_is_removed(doc, noise: str) -> None:  # type: ignore[no-untyped-def]
    assert noise not in doc.text


def test_article_text_and_structure(doc) -> None:  # type: ignore[no-untyped-def]
    assert_well_formed(doc)
    assert doc.source_format == "html"
    assert doc.text.startswith("Green Deal explained\n\n")
    assert "The European Green Deal aims for climate neutrality by 2050.\nSecond line." in doc.text
    assert "Loose text in a div with emphasis & an entity." in doc.text
    assert [(doc.text[b.start : b.end], b.level) for b in doc.blocks if b.kind == "heading"] == [
        ("Green Deal explained", 1),
        ("Key measures", 2),
    ]


def test_lists_keep_numbers(doc) -> None:  # type: ignore[no-untyped-def]
    items = [b for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert [(doc.text[b.start : b.end], b.label, b.level) for b in items] == [
        ("3. Cut emissions by 55%.", "3.", 1),
        ("4. Plant trees.", "4.", 1),
        ("nested one", "•", 2),
        ("Bullet A", "•", 1),
    ]


def test_table_rows(doc) -> None:  # type: ignore[no-untyped-def]
    assert "Sector | Target\nEnergy | -55 %" in doc.text
    assert block_texts(doc, "table_cell") == ["Sector", "Target", "Energy", "-55 %"]


def test_metadata_from_meta_tags(doc) -> None:  # type: ignore[no-untyped-def]
    assert doc.metadata.title == "Green Deal explained"
    assert doc.metadata.author == "Jane Doe"
    assert doc.metadata.publisher == "Policy Site"
    assert doc.metadata.date == "2024-02-03"
    assert doc.metadata.attributes["language"] == "en"


def test_page_without_article_uses_body(tmp_path: Path) -> None:
    path = tmp_path / "simple.htm"
    path.write_bytes(
        "<html><head><meta charset='windows-1252'><title>T</title></head><body>"
        "<nav>Skip</nav><p>Caf\u00e9 \u201cquoted\u201d.</p><p>Two.</p></body></html>".encode(
            "cp1252"
        )
    )
    doc = extract(path)
    assert doc.text == "Café “quoted”.\n\nTwo."
    assert doc.metadata.title == "T"


def test_xml_declaration_and_entities_are_harmless(tmp_path: Path) -> None:
    path = tmp_path / "x.html"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]><html><body><p>Hello &x; world</p></body></html>'
    )
    doc = extract(path)
    assert "root:" not in doc.text
    assert "Hello" in doc.text


def test_empty_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><nav>Only navigation</nav><script>x()</script></body></html>")
    with pytest.raises(ImportProblem, match="no readable text"):
        extract(path)


def test_binary_renamed_html_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(ImportProblem, match="binary"):
        extract(path)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(  # pandoc
            '<main><p>Text<a href="#fn1" class="footnote-ref" role="doc-noteref">'
            '<sup>1</sup></a>.</p><section class="footnotes" role="doc-endnotes"><hr><ol>'
            '<li id="fn1"><p>Pandoc note.<a href="#fnref1" class="footnote-back" '
            'role="doc-backlink">↩︎</a></p></li><li id="fn2"><p>Second.</p></li></ol>'
            "</section></main>",
            [("1", "[1] Pandoc note."), ("2", "[2] Second.")],
            id="pandoc",
        ),
        pytest.param(  # Python-Markdown
            '<article><p>Text<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a>'
            '</sup>.</p><div class="footnote"><hr><ol><li id="fn:1"><p>Markdown note.&#160;'
            '<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li></ol></div>'
            "</article>",
            [("1", "[1] Markdown note.")],
            id="python-markdown",
        ),
        pytest.param(  # docutils before 0.18
            '<div role="main"><p>Text <a class="footnote-reference brackets" href="#id2">1</a>'
            '</p><dl class="footnote brackets"><dt class="label" id="id2"><span '
            'class="brackets"><a class="fn-backref" href="#id1">1</a></span></dt><dd><p>'
            "Old docutils note.</p></dd></dl></div>",
            [("1", "[1] Old docutils note.")],
            id="docutils-dl",
        ),
        pytest.param(  # docutils in table layout
            '<div role="main"><p>Text [1]</p><table class="docutils footnote"><tbody><tr>'
            '<td class="label"><a class="fn-backref" href="#id1">[1]</a></td><td>Table note.'
            "</td></tr></tbody></table></div>",
            [("1", "[1] Table note.")],
            id="docutils-table",
        ),
        pytest.param(  # docutils 0.18+ (Sphinx 5+): footnotes in <aside>
            '<div role="main"><p>Text [1]</p><aside class="footnote-list brackets"><aside '
            'class="footnote brackets" id="id2" role="note"><span class="label"><span '
            'class="fn-bracket">[</span><a role="doc-backlink" href="#id1">1</a><span '
            'class="fn-bracket">]</span></span><p>Aside note.</p></aside></aside></div>',
            [("1", "[1] Aside note.")],
            id="docutils-aside",
        ),
    ],
)
def test_footnote_areas_become_footnote_blocks(
    tmp_path: Path, body: str, expected: list[tuple[str, str]]
) -> None:
    path = tmp_path / "notes.html"
    path.write_text(f"<html><body><aside>SIDEBAR</aside>{body}</body></html>", encoding="utf-8")
    doc = extract(path)
    assert_well_formed(doc)
    notes = [
        (b.label, doc.text[b.start : b.end]) for b in doc.blocks if b.kind is BlockKind.FOOTNOTE
    ]
    assert notes == expected
    assert "SIDEBAR" not in doc.text
    assert "↩" not in doc.text


def test_permalink_icons_are_dropped_and_the_site_name_leaves_the_title(tmp_path: Path) -> None:
    path = tmp_path / "doc.html"
    path.write_text(
        "<html><head><title>Scope of the plan — Agency documentation</title></head><body>"
        '<article><h1 id="s">Scope of the plan<a class="headerlink" href="#s">¶</a></h1>'
        '<h2 id="t">Targets<a class="header-anchor" href="#t">#</a></h2>'
        '<p>See <a href="#t">the targets</a>.</p></article>'
        "</body></html>",
        encoding="utf-8",
    )
    doc = extract(path)
    assert block_texts(doc, BlockKind.HEADING) == ["Scope of the plan", "Targets"]
    assert "See the targets." in doc.text  # an in-page link with words stays
    assert doc.metadata.title == "Scope of the plan"
