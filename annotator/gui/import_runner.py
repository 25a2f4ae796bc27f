"""Batch import off the GUI thread, with a progress dialog, Cancel, and a summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from annotator.services.documents import DocumentService
from annotator.services.importing import ImportReport, Outcome, import_files


class ImportWorker(QObject):
    """Runs :func:`import_files` in a worker thread; one transaction per file."""

    progress = Signal(int, int, str)
    finished = Signal(object)

    def __init__(self, documents: DocumentService, paths: list[Path]) -> None:
        super().__init__()
        self._documents = documents
        self._paths = paths
        self._cancelled = False

    def cancel(self) -> None:
        """Stop after the file in progress (which is then not kept)."""
        self._cancelled = True

    def run(self) -> None:
        """Import everything, reporting progress."""
        report = import_files(
            self._documents,
            self._paths,
            progress=lambda i, n, p: self.progress.emit(i, n, p.name),
            cancelled=lambda: self._cancelled,
        )
        self.finished.emit(report)


class _Receiver(QObject):
    """Lives in the GUI thread, so the worker's signals reach the dialog through the queue."""

    def __init__(self, dialog: QProgressDialog, thread: QThread) -> None:
        super().__init__()
        self.dialog = dialog
        self.thread = thread
        self.report: ImportReport | None = None

    @Slot(int, int, str)
    def on_progress(self, i: int, n: int, name: str) -> None:
        self.dialog.setMaximum(max(1, n))
        self.dialog.setValue(i)
        if name:
            self.dialog.setLabelText(f"Importing {name} ({i + 1} of {n})")

    @Slot(object)
    def on_finished(self, report: ImportReport) -> None:
        self.report = report
        self.thread.quit()


def run_import(parent: QWidget, documents: DocumentService, paths: list[Path]) -> ImportReport:
    """Import ``paths`` with a progress dialog; the GUI stays responsive throughout."""
    dialog = QProgressDialog("Importing…", "Cancel", 0, max(1, len(paths)), parent)
    dialog.setWindowTitle("Import documents")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    thread = QThread(parent)
    worker = ImportWorker(documents, paths)
    worker.moveToThread(thread)
    receiver = _Receiver(dialog, thread)
    loop = QEventLoop()
    worker.progress.connect(receiver.on_progress)
    worker.finished.connect(receiver.on_finished)
    dialog.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
    thread.started.connect(worker.run)
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    worker.deleteLater()
    assert receiver.report is not None
    return receiver.report


def show_summary(parent: QWidget, report: ImportReport) -> QMessageBox:
    """A non-blocking summary listing every file with its outcome and reason."""
    box = QMessageBox(parent)
    box.setWindowTitle("Import finished")
    failed = report.count(Outcome.FAILED)
    box.setIcon(QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information)
    box.setText(report.summary().capitalize() + ".")
    box.setDetailedText(
        "\n".join(
            f"{r.outcome.value}: {r.path.name}" + (f" — {r.reason}" if r.reason else "")
            for r in report.results
        )
    )
    box.open()
    return box
