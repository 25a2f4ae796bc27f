"""File → Export, File → Merge coder's work, and importing REFI-QDA files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from annotator.domain.errors import AnnotatorError
from annotator.gui.background import run_in_background
from annotator.gui.exchange.export_dialog import ExportDialog
from annotator.services.codebook_exchange import import_codebook_table
from annotator.services.export_dispatch import run_export
from annotator.services.settings import export_folder, save_settings

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.services import refi

REFI_SUFFIXES = {".qdpx", ".qde", ".qdc"}


def _report(w: MainWindow, title: str, summary: str, details: list[str]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, summary, parent=w)
    if details:
        box.setDetailedText("\n".join(details))
    box.open()
    w.last_message = box
    return box


def export(
    w: MainWindow, dialog: ExportDialog | None = None, *, preset: str | None = None
) -> str | None:
    """File → Export (or Codebook → Export, ``preset``): write it off the GUI thread."""
    c = w.controller
    if dialog is None:
        dialog = export_dialog(w, preset)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    request = dialog.request()
    w.settings.export_folder = str(request.out.absolute().parent)
    save_settings(w.settings)  # the next export starts in this folder
    try:
        message = run_in_background(
            w, "Export", f"Writing {request.out.name}…",
            lambda progress, cancelled: run_export(c.project, request, progress, cancelled),
        )  # fmt: skip
    except (AnnotatorError, OSError, ValueError) as exc:
        w.show_error(f"Could not export {request.out.name}: {exc}")
        return None
    w.statusBar().showMessage(message, 8000)
    _report(w, "Export finished", message, [])
    return message


def export_dialog(w: MainWindow, preset: str | None = None) -> ExportDialog:
    """The export dialog, starting in the last export folder or the documents folder."""
    c = w.controller
    dialog = ExportDialog(
        c.coders(),
        c.visible_coder_ids(),
        w.current_document,
        export_folder(w.settings),
        w,
        codes=c.codes(),
        versions=c.project.codebook.versions.list(),
    )
    if preset is not None:
        dialog.set_format(preset)
    return dialog


def merge(w: MainWindow, path: Path | None = None) -> refi.MergeReport | None:
    """File → Merge coder's work: bring a coder's .qdpx into this project.

    The first pass adds only what matches; anything unmatched is listed and the user
    decides whether to add it in a second pass (merging is idempotent, so this is safe).
    """
    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            w, "Merge a coder's work", "", "REFI-QDA projects (*.qdpx);;All files (*)"
        )
        if not name:
            return None
        path = Path(name)
    try:
        report = _merge_pass(w, path, add_unmatched=False)
        if report.unmatched and w.confirm(
            w,
            "Unmatched items",
            f"{len(report.unmatched)} item(s) in {path.name} match nothing in this project:\n"
            + "\n".join(f"  • {u}" for u in report.unmatched[:15])
            + "\n\nAdd them to the project?",
        ):
            report = _merge_pass(w, path, add_unmatched=True)
    except AnnotatorError as exc:
        w.show_error(str(exc))
        return None
    w.refresh_all()
    _report(w, "Merge finished", report.summary(), report.lines())
    return report


def _merge_pass(w: MainWindow, path: Path, *, add_unmatched: bool) -> refi.MergeReport:
    from annotator.services import refi  # lxml and the REFI-QDA code: on first use

    project = w.controller.project
    return run_in_background(
        w, "Merge", f"Merging {path.name}…",
        lambda progress, cancelled: refi.merge(
            project, path, add_unmatched=add_unmatched, progress=progress, cancelled=cancelled
        ),
    )  # fmt: skip


def import_refi(w: MainWindow, path: Path) -> None:
    """Import a .qdpx project or a .qdc codebook; offer a partial import if refused."""
    from annotator.services import refi  # lxml and the REFI-QDA code: on first use

    project = w.controller.project
    qdc = path.suffix.lower() == ".qdc"

    def run(accept_partial: bool) -> object:
        if qdc:
            return refi.import_qdc(project, path)
        return run_in_background(
            w, "Import", f"Importing {path.name}…",
            lambda progress, cancelled: refi.import_qdpx(
                project, path, accept_partial=accept_partial, progress=progress,
                cancelled=cancelled,
            ),
        )  # fmt: skip

    try:
        report = run(False)
    except AnnotatorError as exc:
        if qdc or not w.confirm(w, "Import refused", f"{exc}\n\nImport what is valid?"):
            w.show_error(str(exc))
            return
        try:
            report = run(True)
        except AnnotatorError as again:
            w.show_error(str(again))
            return
    w.refresh_all()
    _report(w, "Import finished", report.summary(), report.lines())


def import_codebook(w: MainWindow, path: Path | None = None) -> None:
    """Codebook → Import: merge a .qdc, CSV or XLSX codebook into this project's codebook.

    Codes are matched by UUID, then by path; the report lists what was added, updated and
    left alone. A file with any invalid row is refused whole, and nothing changes.
    """
    from annotator.services import refi  # lxml and the REFI-QDA code: on first use

    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            w, "Import a codebook", "", "Codebooks (*.qdc *.csv *.xlsx);;All files (*)"
        )
        if not name:
            return
        path = Path(name)
    project = w.controller.project
    try:
        if path.suffix.lower() == ".qdc":
            report = refi.import_qdc(project, path)
        else:
            report = import_codebook_table(project, path, w.controller.coder.id)
    except (AnnotatorError, OSError) as exc:
        w.show_error(f"{path.name}: {exc}" if path.name not in str(exc) else str(exc))
        return
    w.refresh_all()
    if hasattr(report, "lines"):
        lines = report.lines()
    else:
        lines = [f"added: {p}" for p in report.added] + [f"updated: {p}" for p in report.updated]
    _report(w, "Codebook imported", report.summary(), lines)
