"""Junk text layers and OCR with Tesseract (issue #13, items 4 and 5).

The scans are generated: known text is drawn into a PDF, each page rendered to an image,
and the images wrapped as a new PDF without any text layer, as a scanner makes them. OCR
runs the real Tesseract (skipped when it is not installed); word accuracy is measured
against the known text.
"""

from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest

from annotator.exchange.importers import ImportOptions, ImportProblem, OcrNeeded, extract
from annotator.exchange.importers.pdf_junk import junk_score
from annotator.services.exporting import document_columns
from annotator.services.importing import Outcome, import_files
from annotator.services.project import Project

reportlab = pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")
PIL_Image = pytest.importorskip("PIL.Image")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)

PAGES = [
    [
        "The committee recommends that the government publish a",
        "national strategy for local public health within twelve",
        "months, and that it review the strategy every year.",
        "",
        "Councils should receive funding that matches their duties",
        "and the needs of their residents.",
    ],
    [
        "The department accepts the recommendation and will set out",
        "its response to the committee before the summer recess.",
        "",
        "Evaluation of every new programme will be published.",
    ],
]


def _text_pdf(lines_per_page: list[list[str]], transform=lambda s: s) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for lines in lines_per_page:
        c.setFont("Helvetica", 14)
        y = HEIGHT - 100
        for line in lines:
            c.drawString(72, y, transform(line))
            y -= 22
        c.showPage()
    c.save()
    return out.getvalue()


def _scan(pdf: bytes, path: Path, dpi: int = 200) -> Path:
    """Render each page and wrap the images as a PDF with no text layer."""
    document = pdfium.PdfDocument(pdf)
    c = canvas.Canvas(str(path), pagesize=A4)
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
        c.drawImage(ImageReader(image), 0, 0, WIDTH, HEIGHT)
        c.showPage()
    c.save()
    return path


def _accuracy(expected: str, found: str) -> float:
    want = expected.split()
    got = found.split()
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(want)


def test_a_scan_without_a_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    path = _scan(_text_pdf(PAGES), tmp_path / "scan.pdf")
    with pytest.raises(OcrNeeded) as info:
        extract(path)
    assert "OCR" in info.value.reason and info.value.junk_score is None


@needs_tesseract
def test_ocr_reads_a_generated_scan_with_95_percent_word_accuracy(tmp_path: Path) -> None:
    path = _scan(_text_pdf(PAGES), tmp_path / "scan.pdf")
    progress: list[tuple[int, int]] = []
    doc = extract(
        path, options=ImportOptions(ocr=True, progress=lambda d, t: progress.append((d, t)))
    )
    expected = " ".join(" ".join(lines) for lines in PAGES)
    assert _accuracy(expected, doc.text) >= 0.95, doc.text
    assert progress == [(0, 2), (1, 2), (2, 2)]
    # Pages kept: the second page's text starts on page 2.
    assert len(doc.pages) == 2
    assert doc.text[doc.pages[1].start :].startswith("The department")
    attributes = doc.metadata.attributes
    assert attributes["text_source"] == "ocr"
    assert attributes["ocr_engine"] == "Tesseract"
    assert attributes["ocr_engine_version"][0].isdigit()
    assert attributes["ocr_language"] == "eng"
    assert 80 <= float(attributes["ocr_mean_confidence"]) <= 100
    # Paragraphs as on the page, lines joined.
    assert "publish a national strategy" in doc.text


@needs_tesseract
def test_cancel_between_pages_stores_nothing(tmp_path: Path) -> None:
    path = _scan(_text_pdf(PAGES), tmp_path / "scan.pdf")
    project = Project.create(tmp_path / "p.annotator", starter=False)
    pages_done: list[int] = []
    options = ImportOptions(
        ocr=True,
        progress=lambda done, total: pages_done.append(done),
        cancelled=lambda: len(pages_done) >= 2,  # after the first page
    )
    try:
        report = import_files(project.documents, [path], options=options)
        assert report.cancelled
        assert project.documents.list() == []
    finally:
        project.close()
    assert pages_done == [0, 1]


def test_without_tesseract_the_refusal_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _scan(_text_pdf(PAGES[:1]), tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(ImportProblem) as info:
        extract(path, options=ImportOptions(ocr=True))
    assert "apt install tesseract-ocr" in info.value.reason
    assert str(info.value).startswith("scan.pdf: ")


@needs_tesseract
def test_a_missing_language_pack_is_named(tmp_path: Path) -> None:
    path = _scan(_text_pdf(PAGES[:1]), tmp_path / "scan.pdf")
    with pytest.raises(ImportProblem, match="tesseract-ocr-xyz"):
        extract(path, options=ImportOptions(ocr=True, ocr_language="xyz"))


def _legacy_font(line: str) -> str:
    # What a legacy 8-bit font without a Unicode map gives: codes read as Latin-1.
    return "".join(chr(0xA0 + (ord(c) % 0x5F)) if c != " " else " " for c in line)


def test_a_junk_text_layer_is_caught_and_ocr_offered(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(_text_pdf(PAGES, _legacy_font))
    with pytest.raises(OcrNeeded) as info:
        extract(path)
    assert info.value.junk_score is not None and info.value.junk_score >= 0.5
    assert "junk score" in info.value.reason
    project = Project.create(tmp_path / "p.annotator", starter=False)
    try:
        report = import_files(project.documents, [path])
    finally:
        project.close()
    assert report.results[0].outcome is Outcome.FAILED and report.results[0].needs_ocr


@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("The council shall publish its plan every year with the residents. " * 5, False),
        ('<xsd:attribute name="guid" type="GUIDType" use="required"/> ' * 10, False),
        ("Zürich, Kraków, Ελλάδα, Москва — “quoted” text… § 4.2 costs €5. " * 5, False),
        ("Wkh#frxqflo#vkdoo#sxeolvk#lwv#sodq#hyhub#bhdu#zlwk#wkh#uhvlghqwv1 " * 5, True),
        ("\ufffd\ufffd\ufffd \ufffd\ufffd text \ufffd\ufffd\ufffd\ufffd " * 10, True),
        ("\ue000\ue001\ue002 \ue003\ue004\ue005 " * 20, True),
        (_legacy_font("The council shall publish its plan every year. ") * 5, True),
    ],
)
def test_junk_score_separates_text_from_gibberish(text: str, junk: bool) -> None:
    assert junk_score(text).is_junk is junk


@needs_tesseract
def test_ocr_provenance_is_stored_and_exported(tmp_path: Path) -> None:
    from annotator.exchange.xlsx_export import documents_table

    path = _scan(_text_pdf(PAGES[:1]), tmp_path / "scan.pdf")
    project = Project.create(tmp_path / "p.annotator", starter=False)
    try:
        report = import_files(project.documents, [path], options=ImportOptions(ocr=True))
        assert report.results[0].outcome is Outcome.IMPORTED
        project.close()
        project = Project.open(tmp_path / "p.annotator")
        summaries = project.documents.list()
        header, rows = documents_table(summaries, {}, document_columns(summaries))
        [row] = list(rows)
        cells = dict(zip(header, row, strict=True))
        assert cells["attr_text_source"] == "ocr"
        assert str(cells["attr_ocr_engine"]).startswith("Tesseract")
        assert cells["attr_ocr_language"] == "eng"
        assert float(cells["attr_ocr_mean_confidence"]) > 0
    finally:
        project.close()
