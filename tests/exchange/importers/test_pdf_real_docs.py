"""Real public PDFs (issue #13): page furniture removed, text kept.

The files sit in ``../shared/real-docs`` beside the repository (see its SOURCES.md) and are
never copied into it; the tests skip when the folder or poppler's ``pdftotext`` is absent.
The measures (in ``fidelity.py``) read the PDF with ``pdftotext``, a different engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_well_formed
from fidelity import have_pdftotext, measure

from annotator.exchange.importers import extract

REAL_DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "real-docs"
PDFS = sorted(REAL_DOCS.glob("pdf_*.pdf")) if REAL_DOCS.is_dir() else []

pytestmark = [
    pytest.mark.skipif(not PDFS, reason="../shared/real-docs is not beside this checkout"),
    pytest.mark.skipif(not have_pdftotext(), reason="poppler's pdftotext is not installed"),
]


def _doc(name: str):  # type: ignore[no-untyped-def]
    return extract(REAL_DOCS / name)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.stem)
def test_furniture_gone_and_words_kept(path: Path) -> None:
    doc = extract(path)
    assert_well_formed(doc)
    found = measure(path, [doc.text[p.start : p.end] for p in doc.pages])
    assert found.worst_survivor <= 3, found.survivors
    assert found.coverage >= 0.99, found.missing.most_common(20)


def test_alternating_running_header_is_gone_and_page_numbers_are_labels() -> None:
    doc = _doc("pdf_hol-behaviour-change-report.pdf")
    # "BEHAVIOUR CHANGE 23" on odd pages, "22 BEHAVIOUR CHANGE" on even ones.
    assert "BEHAVIOUR CHANGE 2" not in doc.text
    assert "2 BEHAVIOUR CHANGE" not in doc.text
    labels = {p.number: p.label for p in doc.pages}
    assert labels[21] == "21" and labels[22] == "22"


def test_chapter_headers_in_the_header_slot_go_too() -> None:
    doc = _doc("pdf_covid-inquiry-m1-report.pdf")
    page = doc.pages[100]  # "Chapter 4: An effective strategy" as its running header
    text = doc.text[page.start : page.end]
    assert not text.startswith("Chapter 4: An effective strategy")
    assert doc.text.count("Module 1: The resilience and preparedness of the United Kingdom") < 10
    assert page.label == "83"


def test_printer_slug_and_rotated_margin_line_are_gone() -> None:
    doc = _doc("pdf_us-federal-register-3col.pdf")
    assert "VerDate" not in doc.text
    assert "DSKJLSW7X2PROD" not in doc.text
    assert "Federal Register / Vol. 85" not in doc.text.split("\n\n", 8)[-1]
    assert [p.label for p in doc.pages[1:4]] == ["47699", "47700", "47701"]


def test_a_one_off_rotated_stamp_stays() -> None:
    doc = _doc("pdf_copy-protected-aes-ownerpw.pdf")
    assert "arXiv:2103.15348v2" in doc.text


def test_letter_spaced_header_goes_and_small_caps_read_as_letters() -> None:
    doc = _doc("pdf_green-party-manifesto-2010-2col.pdf")
    assert "g r e e n" not in doc.text
    assert "\uf774" not in doc.text  # Adobe's small-cap "t"
    assert "the economy" in doc.text


def test_three_narrow_columns_are_read_column_by_column() -> None:
    text = _doc("pdf_us-federal-register-3col.pdf").text
    # Page 3's three columns start with these lines; their gutters are 10 pt wide.
    assert "require operators to conduct an AOA command to move" not in text
    assert "require operators to conduct an AOA sensor system test" in text
    assert "command to move the horizontal stabilizer" in text
