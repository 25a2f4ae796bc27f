"""Web pages' main content against Readability's reference extractions, the low-extraction
warning and whole-page import (issue #13, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed
from fidelity import visible_text, word_match

from annotator.cli import main
from annotator.exchange.importers import ImportOptions, extract

REAL_DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "real-docs"
PAGES = (
    sorted(p for p in REAL_DOCS.glob("html_*.html") if not p.name.endswith(".expected.html"))
    if REAL_DOCS.is_dir()
    else []
)


@pytest.mark.skipif(not PAGES, reason="../shared/real-docs is not beside this checkout")
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_main_content_matches_readability_reference(path: Path) -> None:
    doc = extract(path)
    assert_well_formed(doc)
    reference = visible_text(path.with_name(f"{path.stem}.expected.html").read_bytes())
    found = word_match(reference, doc.text)
    assert found.recall >= 0.95 and found.precision >= 0.90, found
    assert not doc.warnings


@pytest.mark.skipif(not PAGES, reason="../shared/real-docs is not beside this checkout")
def test_headings_of_the_article_are_kept() -> None:
    doc = extract(REAL_DOCS / "html_lemonde-intelligence-bill.html")
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind.value == "heading"]
    assert len(headings) >= 9  # the reference extraction's nine subheads


CHROME = "".join(
    f'<li><a href="/s{i}">Section number {i} of the site with its own long link text</a></li>'
    for i in range(120)
)
TEASER = "Council tax to rise by five per cent, the leader said on Monday. Read more below."


def _teaser_page(tmp_path: Path) -> Path:
    path = tmp_path / "teaser.html"
    path.write_text(
        "<html><head><title>Council tax</title></head><body>"
        f"<nav><ul>{CHROME}</ul></nav>"
        f'<article><h1>Council tax</h1><p>{TEASER}</p><div id="app"></div></article>'
        f"<footer><ul>{CHROME}</ul></footer></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_teaser_left_of_the_page_comes_with_a_warning(tmp_path: Path) -> None:
    doc = extract(_teaser_page(tmp_path))
    assert TEASER in doc.text
    assert doc.warnings and "--html-whole-page" in doc.warnings[0]
    assert "% of the page's visible text" in doc.warnings[0]


def test_whole_page_import_keeps_everything_visible(tmp_path: Path) -> None:
    doc = extract(_teaser_page(tmp_path), options=ImportOptions(html_whole_page=True))
    assert TEASER in doc.text
    assert "Section number 119 of the site" in doc.text
    assert not doc.warnings
    assert_well_formed(doc)


def test_cli_prints_the_warning_and_takes_whole_page(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    page = _teaser_page(tmp_path)
    project = tmp_path / "p.annotator"
    assert main(["new", str(project), "--empty"]) == 0
    assert main(["import", str(project), str(page)]) == 0
    out = capsys.readouterr().out
    assert "\nwarning " in out and "--html-whole-page" in out
    other = tmp_path / "q.annotator"
    assert main(["new", str(other), "--empty"]) == 0
    assert main(["import", str(other), str(page), "--html-whole-page"]) == 0
    assert "\nwarning " not in capsys.readouterr().out
