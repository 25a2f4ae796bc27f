"""A real public document: the REFI-QDA 1.5 standard (MIT), a 60-page PDF made by Word.

Generated fixtures are tidy; a real word-processor PDF splits lines into many runs (a
section number and its title across a tab, a bullet and its item, a date drawn digit by
digit) and mixes a prose font with small code listings. The file sits in the shared
reference folder beside the repository (see ../shared/refi-qda/SOURCES.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.structure import BlockKind
from annotator.exchange.importers import extract

STANDARD = Path(__file__).resolve().parents[3].parent / "shared/refi-qda/spec/REFI-QDA-1-5.pdf"


@pytest.fixture(scope="module")
def standard():  # type: ignore[no-untyped-def]
    if not STANDARD.is_file():
        pytest.skip("the shared REFI-QDA reference folder is not beside this checkout")
    return extract(STANDARD)


def test_sections_are_headings_and_prose_is_not(standard) -> None:  # type: ignore[no-untyped-def]
    headings = [
        standard.text[b.start : b.end] for b in standard.blocks if b.kind is BlockKind.HEADING
    ]
    for expected in ("Foreword", "6 Compliance", "8.1 QDPX file format", "13 Cases and variables"):
        assert expected in headings
    assert len(headings) < 80  # the sections, not every short line of prose


def test_lines_split_by_the_word_processor_read_as_one(standard) -> None:  # type: ignore[no-untyped-def]
    text = standard.text
    assert "6 Compliance" in text
    assert "QDA Software may claim compliance to this specification if it can:" in text
    assert "- export XML files for codebook exchange with a .QDC extension" in text
    short = [b for b in standard.blocks if b.kind is BlockKind.PARAGRAPH and b.end - b.start < 3]
    assert not short  # no stray one-character paragraphs


def test_pages_and_running_headers(standard) -> None:  # type: ignore[no-untyped-def]
    assert len(standard.pages) == 60
    assert [p.label for p in standard.pages[:3]] == ["1", "2", "3"]
    for page in standard.pages:
        assert not standard.text[page.start : page.end].lstrip().startswith("REFI-QDA\n")
    assert standard.metadata.date == "2019-09-25"


def test_names_broken_at_their_own_hyphen_keep_it(standard) -> None:  # type: ignore[no-untyped-def]
    # Word broke "QDA-XML" at its hyphen at several line ends; PDFium joins such breaks.
    assert standard.text.count("QDA-XML") >= 10
    assert "QDAXML" not in standard.text
    assert "\ufffe" not in standard.text
