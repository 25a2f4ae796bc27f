"""Import questions in the window (issue #13): a PDF's password, OCR for a scan, and a
whole-page import for a web page whose main content is a small part of it.

The dialogs are the real ones; a timer answers them as a user would, while the import
waits in its worker thread.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from annotator.gui.coding.coding_actions import import_paths
from annotator.gui.project.properties_dialog import PropertiesDialog
from tests.gui.conftest import open_window

reportlab = pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("PIL.Image")
from reportlab.lib import pdfencrypt  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

PASSWORD = "Tr0ub4dor-and-3"
TEXT = "Confidential text of the protected report"
LINES = [
    "The committee recommends that the government publish a",
    "national strategy for local public health within twelve",
    "months, and that it review the strategy every year.",
]
TEASER = "Council tax to rise by five per cent, the leader said on Monday. Read more below."


def _locked(path: Path) -> Path:
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(PASSWORD))
    c.drawString(72, 700, TEXT)
    c.showPage()
    c.save()
    return path


def _scan(path: Path) -> Path:
    """Known text drawn, rendered to an image and wrapped as a PDF without text."""
    text_pdf = path.with_suffix(".text.pdf")
    c = canvas.Canvas(str(text_pdf), pagesize=A4)
    c.setFont("Helvetica", 14)
    for i, line in enumerate(LINES):
        c.drawString(72, A4[1] - 100 - 22 * i, line)
    c.showPage()
    c.save()
    image = pdfium.PdfDocument(str(text_pdf))[0].render(scale=200 / 72, grayscale=True).to_pil()
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, *A4)
    c.showPage()
    c.save()
    text_pdf.unlink()
    return path


def _teaser_page(folder: Path) -> Path:
    chrome = "".join(
        f'<li><a href="/s{i}">Section number {i} of the site with its own long link text</a></li>'
        for i in range(120)
    )
    path = folder / "teaser.html"
    path.write_text(
        f"<html><head><title>Council tax</title></head><body><nav><ul>{chrome}</ul></nav>"
        f"<article><h1>Council tax</h1><p>{TEASER}</p></article></body></html>",
        encoding="utf-8",
    )
    return path


def _answer(kind: type[QWidget], act: Callable[[QWidget], None]) -> list[str]:
    """Answer the first visible dialog of ``kind`` when it appears; return what it said."""
    seen: list[str] = []
    timer = QTimer()
    timer.setInterval(30)

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible():
                timer.stop()
                seen.append(
                    widget.labelText() if isinstance(widget, QInputDialog) else widget.text()
                )
                act(widget)
                return

    timer.timeout.connect(poll)
    timer.start()
    _answer.timers.append(timer)  # type: ignore[attr-defined]
    return seen


_answer.timers = []  # type: ignore[attr-defined]


def _titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.title for d in window.controller.project.documents.list()]


def test_a_password_pdf_asks_for_its_password(qtbot, sample_path: Path, tmp_path: Path):
    window = open_window(qtbot, sample_path)
    path = _locked(tmp_path / "locked.pdf")

    def type_password(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(PASSWORD)
        dialog.accept()

    said = _answer(QInputDialog, type_password)
    import_paths(window, [path])
    assert said and "locked.pdf is protected by a password" in said[0]
    assert TEXT in window.view.text
    assert "1 imported" in window.last_message.text()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_a_scan_is_offered_ocr_and_read_with_its_provenance(
    qtbot, sample_path: Path, tmp_path: Path
):
    window = open_window(qtbot, sample_path)
    path = _scan(tmp_path / "Scanned report.pdf")

    def yes(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    said = _answer(QMessageBox, yes)
    import_paths(window, [path])
    assert said and "Scanned report.pdf" in said[0] and "OCR" in said[0]
    assert "national strategy" in window.view.text
    assert "1 imported" in window.last_message.text()
    document = window.controller.document(window.current_document)
    assert document.metadata.attributes["text_source"] == "ocr"
    dialog = PropertiesDialog(document, window)
    shown = {
        dialog.attributes.item(r, 0).text(): dialog.attributes.item(r, 1).text()
        for r in range(dialog.attributes.rowCount())
    }
    assert shown["ocr_engine"] == "Tesseract"
    assert float(shown["ocr_mean_confidence"]) > 80
    dialog.grab().save(str(tmp_path / "ocr-properties.png"))
    dialog.deleteLater()


def test_a_teaser_page_offers_whole_page_import(qtbot, sample_path: Path, tmp_path: Path):
    window = open_window(qtbot, sample_path)
    page = _teaser_page(tmp_path)

    def whole(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        [button] = [b for b in box.buttons() if b.text() == "Import whole page"]
        button.click()

    said = _answer(QMessageBox, whole)
    import_paths(window, [page])
    assert said and "% of the page's visible text" in said[0]
    assert TEASER in window.view.text
    assert "Section number 119 of the site" in window.view.text  # the whole page


def _paragraph_tops(window) -> list[float]:  # type: ignore[no-untyped-def]
    qdoc = window.view.document()
    layout = qdoc.documentLayout()
    tops = []
    block = qdoc.begin()
    while block.isValid():
        if block.length() > 1:
            tops.append(layout.blockBoundingRect(block).top())
        block = block.next()
    return tops


def test_blank_lines_do_not_double_paragraph_spacing(qtbot, sample_path: Path, tmp_path: Path):
    window = open_window(qtbot, sample_path)
    paragraphs = ["Housing plan for the borough", "Councils should build homes.", "The end."]
    tight = tmp_path / "tight.txt"
    tight.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    import_paths(window, [tight])
    tight_tops = _paragraph_tops(window)
    import_paths(window, [spaced])
    assert window.view.text.count("\n\n") == 2  # the text itself is unchanged
    assert _paragraph_tops(window) == tight_tops
    assert len(tight_tops) == 3


def test_without_tesseract_the_window_says_how_to_install_it(
    qtbot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    window = open_window(qtbot, sample_path)
    path = _scan(tmp_path / "Scanned report.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))

    def ok(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Ok).click()

    said = _answer(QMessageBox, ok)
    import_paths(window, [path])
    assert said and "apt install tesseract-ocr" in said[0]
    assert "1 failed" in window.last_message.text()
    assert "OCR" in window.last_message.detailedText()
