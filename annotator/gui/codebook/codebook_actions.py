"""What the Codebook menu does: add, edit, rename, move, merge, split and delete codes,
and codebook versions. :func:`install` wires the codebook panel's gestures to the same
functions, so a drag, a key or a menu item all make the same undo command.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QColorDialog, QDialog, QInputDialog

from annotator.domain.codebook import siblings_of, subtree_ids
from annotator.domain.model import Code, CodeKind, new_id
from annotator.gui.codebook.code_dialog import CodeDialog, next_color
from annotator.gui.codebook.split_dialog import SplitDialog
from annotator.gui.codebook.versions_dialog import VersionsDialog
from annotator.gui.coding.commands import (
    AddCodeCommand,
    DeleteCodeCommand,
    MergeCodesCommand,
    MoveCodeCommand,
    SplitCodeCommand,
    UpdateCodeCommand,
)
from annotator.gui.exchange.merge_dialog import MergeDialog

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


def install(w: MainWindow) -> None:
    """Connect the codebook panel's in-place gestures (rename, drop, keys) to the actions."""
    panel = w.codebook_panel
    panel.rename_requested.connect(lambda code_id, name: rename_to(w, code_id, name))
    panel.move_requested.connect(lambda code_id, parent, i: move_to(w, code_id, parent, i))
    panel.step_requested.connect(lambda step: step_code(w, step))
    panel.delete_requested.connect(lambda: delete_code(w))
    panel.add_requested.connect(lambda inside: add_code(w, child=inside, beside=not inside))
    panel.model.breakdown = lambda code_id: coder_breakdown(w, code_id)


def coder_breakdown(w: MainWindow, code_id: uuid.UUID) -> tuple[list[tuple[str, int, int]], bool]:
    """Visible codings of a code per coder, (name, here, all); and whether blind mode hid any.

    Only the coders the controller shows are counted, so blind mode reveals nobody else.
    """
    c = w.controller
    usage = c.project.codebook.usage(w.current_document, c.visible_coder_ids())
    names = {coder.id: coder.name for coder in c.coders()}
    rows = [
        (names.get(coder_id, "?"), n.in_document, n.total)
        for coder_id, n in usage.get(code_id, {}).items()
    ]
    return sorted(rows), c.blind


def _code_dialog(w: MainWindow, code: Code, title: str) -> CodeDialog:
    """The code form, offering every kind this project already uses besides the built-in."""
    dialog = CodeDialog(code, title, w)
    for kind in sorted({c.kind for c in w._codes.values()}):
        if dialog.kind.findText(kind) < 0:
            dialog.kind.addItem(kind)
    dialog.kind.setCurrentText(code.kind)
    return dialog


def add_code(w: MainWindow, *, child: bool, beside: bool = False) -> Code | None:
    """Add a top-level code, a child of the current code, or (``beside``) a sibling of it."""
    current = _current(w) if child else w.codebook_panel.current_code() if beside else None
    if child and current is None:
        return None
    parent = current if child else None
    if beside and current is not None and current.parent_id is not None:
        parent = w._codes.get(current.parent_id)
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
    dialog = _code_dialog(w, draft, title)
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
        dialog = _code_dialog(w, code, f"Edit code {code.name}")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            _update(w, code, dialog.result_code(), f"Edit code {code.name}")


def rename_code(w: MainWindow) -> None:
    """Rename the current code in place in the tree (in a dialog when the tree is hidden)."""
    code = _current(w)
    if code is None or w.codebook_panel.start_rename():
        return
    name, ok = QInputDialog.getText(w, "Rename code", "Name:", text=code.name)
    if ok:
        rename_to(w, code.id, name)


def rename_to(w: MainWindow, code_id: uuid.UUID, name: str) -> bool:
    """Rename a code (undoable); False, with the reason shown, when refused."""
    code = w._codes.get(code_id)
    if code is None or name == code.name:
        return False
    after = code.with_changes(name=name.strip())
    return w.controller.run(UpdateCodeCommand(w.controller, code, after, f"Rename {code.name}"))


def move_to(w: MainWindow, code_id: uuid.UUID, parent_id: uuid.UUID | None, index: int) -> bool:
    """Move a code to place ``index`` under ``parent_id`` (undoable), keeping it current."""
    code = w._codes.get(code_id)
    if code is None:
        return False
    text = f"Move code {code.name}" if parent_id != code.parent_id else f"Reorder {code.name}"
    if not w.controller.run(MoveCodeCommand(w.controller, code, parent_id, index, text)):
        return False
    w.codebook_panel.select_code(code_id)
    return True


def step_code(w: MainWindow, step: str) -> None:
    """Move the current code "up", "down", "out" of its parent or "in" the code above."""
    code = _current(w)
    if code is None:
        return
    siblings = siblings_of(code.parent_id, w._codes.values())
    i = next(n for n, c in enumerate(siblings) if c.id == code.id)
    if step in ("up", "down"):
        j = i - 1 if step == "up" else i + 1
        if 0 <= j < len(siblings):
            move_to(w, code.id, code.parent_id, j)
    elif step == "out" and code.parent_id in w._codes:
        parent = w._codes[code.parent_id]
        uncles = siblings_of(parent.parent_id, w._codes.values())
        move_to(w, code.id, parent.parent_id, [c.id for c in uncles].index(parent.id) + 1)
    elif step == "in" and i > 0:
        move_to(w, code.id, siblings[i - 1].id, len(w._codes))


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


def merge_code(w: MainWindow) -> MergeDialog | None:
    """Choose a code to merge the current code into (the dialog is returned, not run)."""
    source = _current(w)
    if source is None:
        return None
    seen = sum(w._counts[i].total for i in (source.id,) if i in w._counts)
    dialog = MergeDialog(source, list(w._codes.values()), seen, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done() -> None:
        target = w._codes.get(dialog.target_id()) if dialog.target_id() else None
        if target is not None:
            w.controller.run(MergeCodesCommand(w.controller, source, target))
            w.codebook_panel.select_code(target.id)

    dialog.accepted.connect(done)
    dialog.open()
    return dialog


def split_code(w: MainWindow) -> SplitDialog | None:
    """Tick codings of the current code to move to a new code (the dialog is returned)."""
    source = _current(w)
    if source is None:
        return None
    if not source.codable:
        w.show_error(f"'{source.name}' is a folder; it has no codings to split.")
        return None
    c = w.controller
    codings = [x for x in c.project.codings.all(c.visible_coder_ids()) if x.code_id == source.id]
    titles = {d.id: d.title for d in c.documents()}
    coders = {coder.id: coder.name for coder in c.coders()}
    dialog = SplitDialog(source, codings, titles, coders, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done() -> None:
        new = Code(
            id=new_id(),
            name=dialog.new_name(),
            color=next_color({x.color for x in w._codes.values()}),
            parent_id=source.parent_id,
            position=-1,
            kind=source.kind,
            memo=f"Split from '{source.name}'.",
        )
        if c.run(SplitCodeCommand(c, source, new, dialog.chosen_ids())):
            w.codebook_panel.select_code(new.id)

    dialog.accepted.connect(done)
    dialog.open()
    return dialog


def show_versions(w: MainWindow, *, freeze: bool = False) -> VersionsDialog:
    """Open the versions and change-log window (with ``freeze``, ready to name a version)."""
    dialog = VersionsDialog(w.controller, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    if freeze:
        dialog.tabs.setCurrentIndex(0)
        dialog.name.setFocus()
    return dialog
