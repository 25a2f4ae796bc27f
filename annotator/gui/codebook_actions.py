"""What the Codebook menu does: add, edit, rename, recolour, re-key and delete codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QDialog, QInputDialog

from annotator.domain.codebook import subtree_ids
from annotator.domain.model import Code, CodeKind, new_id
from annotator.gui.code_dialog import CodeDialog, next_color
from annotator.gui.commands import AddCodeCommand, DeleteCodeCommand, UpdateCodeCommand

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def _current(w: MainWindow) -> Code | None:
    code = w.codebook_panel.current_code()
    if code is None:
        w.statusBar().showMessage("Choose a code in the codebook first.", 4000)
    return code


def _free_digit(codes: list[Code]) -> str | None:
    used = {c.shortcut for c in codes}
    return next((str(d) for d in range(1, 10) if str(d) not in used), None)


def add_code(w: MainWindow, *, child: bool) -> Code | None:
    """Add a top-level code, or a child of the current code."""
    parent = _current(w) if child else None
    if child and parent is None:
        return None
    codes = list(w._codes.values())
    kind = parent.kind if parent and parent.kind != CodeKind.GROUP.value else CodeKind.THEME.value
    draft = Code(
        id=new_id(),
        name="",
        color=next_color({c.color for c in codes}),
        parent_id=parent.id if parent else None,
        position=-1,  # the service puts it last among its siblings
        kind=kind,
        shortcut=_free_digit(codes),
    )
    title = f"New code in {parent.name}" if parent else "New code"
    dialog = CodeDialog(draft, title, w)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    code = dialog.result_code()
    if w.controller.run(AddCodeCommand(w.controller, code)):
        w.codebook_panel.select_code(code.id)
        return code
    return None


def _update(w: MainWindow, before: Code, after: Code, text: str) -> None:
    if after != before:
        w.controller.run(UpdateCodeCommand(w.controller, before, after, text))


def edit_code(w: MainWindow) -> None:
    """Edit every field of the current code."""
    code = _current(w)
    if code is not None:
        dialog = CodeDialog(code, f"Edit code {code.name}", w)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            _update(w, code, dialog.result_code(), f"Edit code {code.name}")


def rename_code(w: MainWindow) -> None:
    """Rename the current code."""
    code = _current(w)
    if code is not None:
        name, ok = QInputDialog.getText(w, "Rename code", "Name:", text=code.name)
        if ok:
            _update(w, code, code.with_changes(name=name.strip()), f"Rename {code.name}")


def recolour_code(w: MainWindow) -> None:
    """Give the current code a new colour."""
    code = _current(w)
    if code is not None:
        color = QColorDialog.getColor(QColor(code.color), w, f"Colour of {code.name}")
        if color.isValid():
            _update(w, code, code.with_changes(color=color.name()), f"Recolour {code.name}")


def set_shortcut(w: MainWindow) -> None:
    """Assign a key to the current code (empty for none)."""
    code = _current(w)
    if code is not None:
        key, ok = QInputDialog.getText(
            w,
            "Code shortcut",
            f"Key for {code.name} (e.g. 1, F5, Ctrl+K; empty for none):",
            text=code.shortcut or "",
        )
        if ok:
            seq = QKeySequence(key.strip()).toString() if key.strip() else None
            _update(w, code, code.with_changes(shortcut=seq), f"Set shortcut of {code.name}")


def delete_code(w: MainWindow) -> None:
    """Delete the current code; with codings or child codes, ask first."""
    code = _current(w)
    if code is None:
        return
    ids = set(subtree_ids(code.id, w._codes.values()))
    codings = sum(w._counts[i].total for i in ids if i in w._counts)
    children = len(ids) - 1
    if codings or children:
        parts = []
        if children:
            parts.append(f"{children} child code{'s' if children != 1 else ''}")
        if codings:
            parts.append(f"{codings} coding{'s' if codings != 1 else ''} you can see")
        question = (
            f"Delete '{code.name}' with its {' and '.join(parts)}?\n\n"
            "Codings by other coders are deleted too. Edit → Undo restores everything."
        )
        if not w.confirm(w, "Delete code", question):
            return
    w.controller.run(DeleteCodeCommand(w.controller, code))
