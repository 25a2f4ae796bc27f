"""What the Edit menu does to codings, and importing documents."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog

from annotator.gui.coding.code_picker import CodePicker
from annotator.gui.coding.commands import RemoveCodingsCommand, UpdateCodingCommand
from annotator.gui.coding.memo_dialog import MemoDialog
from annotator.gui.coding.span_dialog import SpanDialog
from annotator.gui.exchange import exchange_actions
from annotator.gui.exchange.import_runner import offer_ocr, run_import, show_summary
from annotator.gui.project.document_commands import UpdateMetadataCommand
from annotator.gui.project.properties_dialog import PropertiesDialog

if TYPE_CHECKING:
    from annotator.domain.model import Coding
    from annotator.gui.main_window import MainWindow

IMPORT_FILTER = (
    "Documents (*.txt *.md *.markdown *.pdf *.docx *.odt *.html *.htm *.rtf);;"
    "REFI-QDA projects and codebooks (*.qdpx *.qdc);;All files (*)"
)


def pick_code(w: MainWindow) -> None:
    """Ctrl+E: choose a code by typing, then code the selection with it."""
    if w.view.selected_span() is None:
        w.statusBar().showMessage("Select a passage first, then press Ctrl+E.", 4000)
        return
    picker = CodePicker(list(w._codes.values()), w)
    if picker.exec() == QDialog.DialogCode.Accepted and picker.chosen() is not None:
        w.apply_code(picker.chosen())


def _selected(w: MainWindow) -> list[Coding]:
    chosen = w.codings_panel.selected_codings()
    if not chosen:
        w.statusBar().showMessage("Select a coding in the codings list first.", 4000)
    return chosen


def remove_codings(w: MainWindow, ids: list[uuid.UUID]) -> None:
    """Remove codings (undoable)."""
    if ids:
        w.controller.run(RemoveCodingsCommand(w.controller, ids))


def remove_selected(w: MainWindow) -> None:
    """Remove the codings selected in the list."""
    remove_codings(w, [c.id for c in _selected(w)])


def change_code(w: MainWindow) -> None:
    """Give the selected coding another code."""
    chosen = _selected(w)
    if len(chosen) != 1:
        return
    picker = CodePicker(list(w._codes.values()), w)
    if picker.exec() != QDialog.DialogCode.Accepted or picker.chosen() is None:
        return
    before = chosen[0]
    code = w._codes[picker.chosen()]
    after = before.with_changes(code_id=code.id)
    w.controller.run(
        UpdateCodingCommand(w.controller, before, after, f"Change code to {code.name}")
    )


def adjust_extent(w: MainWindow) -> None:
    """Move the selected coding's start and end."""
    chosen = _selected(w)
    if len(chosen) != 1:
        return
    before = chosen[0]
    dialog = SpanDialog(w.view.text, before.start, before.end, w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    start, end = dialog.span()
    after = before.with_changes(start=start, end=end, quote=w.view.text[start:end])
    w.controller.run(UpdateCodingCommand(w.controller, before, after, "Adjust coding extent"))


def edit_memo(w: MainWindow) -> None:
    """Write or edit the selected coding's memo."""
    chosen = _selected(w)
    if len(chosen) != 1:
        return
    before = chosen[0]
    dialog = memo_dialog(w, before)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    memo = dialog.memo()
    if memo != before.memo:
        after = before.with_changes(memo=memo)
        w.controller.run(UpdateCodingCommand(w.controller, before, after, "Edit memo"))


def memo_dialog(w: MainWindow, coding: Coding) -> MemoDialog:
    """The memo editor for ``coding``, saying which passage, code and coder it is about."""
    code = w._codes.get(coding.code_id)
    coder = w._coders.get(coding.coder_id)
    where = w.view.position_label(coding.start) if w.view.text else ""
    return MemoDialog(
        coding.memo,
        code.name if code else "?",
        coder.name if coder else "?",
        where,
        coding.quote or w.view.text[coding.start : coding.end],
        w,
    )


def import_dialog(w: MainWindow) -> None:
    """File → Import: choose files and import them."""
    names, _ = QFileDialog.getOpenFileNames(w, "Import documents", "", IMPORT_FILTER)
    if names:
        import_paths(w, [Path(n) for n in names])


def import_paths(w: MainWindow, paths: list[Path]) -> None:
    """Import files or folders (menu or drag-and-drop), then show the summary."""
    if w.controller.project.read_only:
        w.show_error(f"{w.controller.project.path.name} is open read-only; cannot import.")
        return
    refi_files = [p for p in paths if p.suffix.lower() in exchange_actions.REFI_SUFFIXES]
    for path in refi_files:
        exchange_actions.import_refi(w, path)
    paths = [p for p in paths if p not in refi_files]
    if not paths:
        return
    report = run_import(w, w.controller.project.documents, paths)
    report = offer_ocr(w, w.controller.project.documents, report)  # scans, junk text layers
    w._reload_documents()
    imported = [r.document_id for r in report.results if r.document_id]
    if imported:
        w.open_document(imported[0])
    w.last_message = show_summary(w, report)


def edit_properties(w: MainWindow) -> None:
    """File → Document properties: edit the current document's metadata (undoable)."""
    if w.current_document is None:
        return
    document = w.controller.document(w.current_document)
    dialog = PropertiesDialog(document, w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    after = dialog.metadata()
    if after != document.metadata:
        command = UpdateMetadataCommand(w.controller, document.id, document.metadata, after)
        if w.controller.run(command):
            w._update_title()
