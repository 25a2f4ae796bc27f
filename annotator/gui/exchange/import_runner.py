"""Batch import off the GUI thread, with a progress dialog, Cancel, and a summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.gui.background import run_in_background
from annotator.services.documents import DocumentService
from annotator.services.importing import ImportReport, Outcome, import_files


def run_import(parent: QWidget, documents: DocumentService, paths: list[Path]) -> ImportReport:
    """Import ``paths`` (one transaction per file); the GUI stays responsive throughout."""

    def work(progress, cancelled) -> ImportReport:
        def each(i: int, n: int, path: Path) -> None:
            progress(i, n, f"Importing {path.name} ({i + 1} of {n})" if path.name else "")

        return import_files(documents, paths, progress=each, cancelled=cancelled)

    return run_in_background(parent, "Import documents", "Importing…", work)


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
