"""Batch import off the GUI thread, with a progress dialog, Cancel, and a summary.

While the import runs in its worker thread it may need the user: a PDF's password, or
whether to import a web page whole when its main content is a small part of it. The
worker asks through :class:`_Asker`, which lives in the GUI thread; the worker waits
(a blocking queued signal) until the dialog is answered. Files that need OCR (a scan, a
junk text layer) are offered OCR after the batch; OCR runs off the GUI thread too, with
progress per page and Cancel. A password is used for its file only and never stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from annotator.exchange.importers import ImportOptions
from annotator.exchange.ocr import OcrUnavailable, find_engine
from annotator.gui.background import run_in_background
from annotator.services.documents import DocumentService
from annotator.services.importing import ImportReport, Outcome, import_files


class _Asker(QObject):
    """Asks the user on the GUI thread for a worker that waits for the answer."""

    password_needed = Signal(object)  # a dict: path, wrong -> answer
    whole_page_offered = Signal(object)  # a dict: path, warning -> answer

    def __init__(self, parent: QWidget) -> None:
        super().__init__()
        self._parent = parent
        # Blocking: the worker's emit returns once the slot (in this thread) has answered.
        blocking = Qt.ConnectionType.BlockingQueuedConnection
        self.password_needed.connect(self._ask_password, blocking)
        self.whole_page_offered.connect(self._offer_whole_page, blocking)

    @Slot(object)
    def _ask_password(self, question: dict[str, Any]) -> None:
        path: Path = question["path"]
        prompt = (
            f"The password did not open {path.name}. Try again:"
            if question["wrong"]
            else f"{path.name} is protected by a password. Enter it to import the file "
            "(it is not stored):"
        )
        text, ok = QInputDialog.getText(
            self._parent, "PDF password", prompt, QLineEdit.EchoMode.Password
        )
        question["answer"] = text if ok and text else None

    @Slot(object)
    def _offer_whole_page(self, question: dict[str, Any]) -> None:
        path: Path = question["path"]
        box = QMessageBox(self._parent)
        box.setWindowTitle("Little text found")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(f"{path.name}: {question['warning']}.")
        whole = box.addButton("Import whole page", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Import main content", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        question["answer"] = box.clickedButton() is whole

    def password(self, path: Path, wrong: bool) -> str | None:
        """Called in the worker thread: the password, or None to skip the file."""
        question: dict[str, Any] = {"path": path, "wrong": wrong, "answer": None}
        self.password_needed.emit(question)
        answer: str | None = question["answer"]
        return answer

    def whole_page(self, path: Path, warning: str) -> bool:
        """Called in the worker thread: whether to import the page whole."""
        question: dict[str, Any] = {"path": path, "warning": warning, "answer": False}
        self.whole_page_offered.emit(question)
        return bool(question["answer"])


def run_import(
    parent: QWidget,
    documents: DocumentService,
    paths: list[Path],
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import ``paths`` (one transaction per file); the GUI stays responsive throughout."""
    asker = _Asker(parent)

    def work(progress, cancelled) -> ImportReport:  # type: ignore[no-untyped-def]
        def each(i: int, n: int, path: Path) -> None:
            progress(i, n, f"Importing {path.name} ({i + 1} of {n})" if path.name else "")

        return import_files(
            documents,
            paths,
            progress=each,
            cancelled=cancelled,
            options=options,
            ask_password=asker.password,
            ask_whole_page=asker.whole_page,
        )

    try:
        return run_in_background(parent, "Import documents", "Importing…", work)
    finally:
        asker.deleteLater()


def run_ocr(parent: QWidget, documents: DocumentService, paths: list[Path]) -> ImportReport:
    """Import ``paths`` read with OCR, one file at a time, progress per page and Cancel."""
    report = ImportReport()
    asker = _Asker(parent)
    try:
        for path in paths:

            def work(progress, cancelled, path: Path = path) -> ImportReport:  # type: ignore[no-untyped-def]
                def page(done: int, total: int) -> None:
                    progress(done, total, f"Reading {path.name} with OCR: page {done} of {total}")

                options = ImportOptions(ocr=True, progress=page, cancelled=cancelled)
                return import_files(documents, [path], options=options, ask_password=asker.password)

            one = run_in_background(parent, "Read with OCR", f"Reading {path.name}…", work)
            report.results.extend(one.results)
            if one.cancelled:
                report.cancelled = True
                break
    finally:
        asker.deleteLater()
    return report


def offer_ocr(parent: QWidget, documents: DocumentService, report: ImportReport) -> ImportReport:
    """Ask whether to read the files that need OCR with OCR; merge the outcome into
    ``report`` (their failures replaced by the OCR import's results)."""
    needing = [r.path for r in report.results if r.needs_ocr]
    if not needing:
        return report
    try:
        find_engine()
    except OcrUnavailable as exc:  # say how to get it rather than offer what cannot run
        QMessageBox.information(
            parent,
            "OCR is not available",
            f"{len(needing)} file(s) have no readable text and need OCR.\n\n{exc}.",
        )
        return report
    names = "\n".join(f"• {p.name}" for p in needing[:10])
    more = f"\n… and {len(needing) - 10} more" if len(needing) > 10 else ""
    answer = QMessageBox.question(
        parent,
        "Read with OCR?",
        f"These files have no readable text (a scan, or an unreadable text layer):\n{names}"
        f"{more}\n\nRead their pages with OCR (Tesseract)? This can take a while.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return report
    ocr = run_ocr(parent, documents, needing)
    redone = {r.path for r in ocr.results}
    merged = ImportReport(
        [r for r in report.results if r.path not in redone] + ocr.results,
        report.cancelled or ocr.cancelled,
    )
    return merged


def show_summary(parent: QWidget, report: ImportReport) -> QMessageBox:
    """A non-blocking summary listing every file with its outcome, reason and warnings."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import finished")
    failed = report.count(Outcome.FAILED)
    warned = sum(1 for r in report.results if r.warnings)
    box.setIcon(QMessageBox.Icon.Warning if failed or warned else QMessageBox.Icon.Information)
    text = report.summary().capitalize() + "."
    if warned:
        text += f" {warned} with a warning (see details)."
    box.setText(text)
    lines = []
    for r in report.results:
        lines.append(f"{r.outcome.value}: {r.path.name}" + (f" — {r.reason}" if r.reason else ""))
        lines.extend(f"    warning: {w}" for w in r.warnings)
    box.setDetailedText("\n".join(lines))
    box.open()
    return box
