"""The codebook tree: drag and drop, in-place rename, keys, counts and the model tester."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QInputDialog, QLineEdit

from annotator.domain.codebook import siblings_of
from annotator.gui.codebook.code_dialog import CodeDialog
from annotator.gui.codebook.codebook_model import Column
from annotator.gui.controller import ShowMode
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")
FISCAL = starter_code_id("Themes/Fiscal devolution")
ADDRESSEE = starter_code_id("Recommendations")  # a folder
MOVE = Qt.DropAction.MoveAction


def _codes(path: Path) -> dict:
    p = Project.open(path)
    try:
        return {c.id: c for c in p.codebook.list()}
    finally:
        p.close()


def _names_under(path: Path, parent) -> list[str]:
    return [c.name for c in siblings_of(parent, _codes(path).values())]


def _proxy_index(window, code_id) -> QModelIndex:
    panel = window.codebook_panel
    return panel.proxy.mapFromSource(panel.model.index_of(code_id))


def _focus_tree(qtbot, window, code_id) -> None:
    window.activateWindow()
    window.codebook_panel.select_code(code_id)
    window.codebook_panel.tree.setFocus()
    qtbot.waitUntil(window.codebook_panel.tree.hasFocus)


def test_model_passes_model_tester_with_drag_and_drop(qtmodeltester, window):
    model = window.codebook_panel.model
    flags = model.flags(model.index_of(PREVENTION))
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and flags & Qt.ItemFlag.ItemIsDropEnabled
    assert flags & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index_of(PREVENTION, Column.TOTAL)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.supportedDropActions() == MOVE
    qtmodeltester.check(model)
    qtmodeltester.check(window.codebook_panel.proxy)


def test_drop_on_a_code_moves_it_inside_with_undo_redo(qtbot, window, sample_path: Path):
    proxy = window.codebook_panel.proxy
    stack = window.controller.undo_stack
    data = proxy.mimeData([_proxy_index(window, PREVENTION)])
    target = _proxy_index(window, ADDRESSEE)
    assert proxy.canDropMimeData(data, MOVE, -1, -1, target)
    assert proxy.dropMimeData(data, MOVE, -1, -1, target)
    qtbot.waitUntil(lambda: stack.count() == 1)
    assert _codes(sample_path)[PREVENTION].parent_id == ADDRESSEE
    assert _names_under(sample_path, ADDRESSEE)[-1] == "Prevention"
    assert window.codebook_panel.model.parent(window.codebook_panel.model.index_of(PREVENTION)) == (
        window.codebook_panel.model.index_of(ADDRESSEE)
    )
    stack.undo()
    assert _codes(sample_path)[PREVENTION].parent_id == THEMES
    stack.redo()
    assert _codes(sample_path)[PREVENTION].parent_id == ADDRESSEE
    stack.undo()
    assert _codes(sample_path)[PREVENTION].parent_id == THEMES


def test_drop_between_codes_reorders(qtbot, window, sample_path: Path):
    proxy = window.codebook_panel.proxy
    before = _names_under(sample_path, THEMES)
    data = proxy.mimeData([_proxy_index(window, PREVENTION)])
    themes = _proxy_index(window, THEMES)
    assert proxy.dropMimeData(data, MOVE, 0, 0, themes)  # above the first theme
    qtbot.waitUntil(lambda: window.controller.undo_stack.count() == 1)
    after = _names_under(sample_path, THEMES)
    assert after == ["Prevention", *[n for n in before if n != "Prevention"]]
    assert window.controller.undo_stack.text(0) == "Reorder Prevention"
    window.actions["undo"].trigger()
    assert _names_under(sample_path, THEMES) == before


def test_real_drag_events_on_the_viewport(qtbot, window, sample_path: Path):
    tree = window.codebook_panel.tree
    source = _proxy_index(window, FISCAL)
    target = _proxy_index(window, ADDRESSEE)
    tree.scrollTo(target)
    rect = tree.visualRect(target)
    pos = rect.center()
    data = window.codebook_panel.proxy.mimeData([source])
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = tree.viewport()
    enter = QDragEnterEvent(pos, MOVE, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, MOVE, data, buttons, mods)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    drop = QDropEvent(pos.toPointF(), MOVE, data, buttons, mods)
    QApplication.sendEvent(viewport, drop)
    qtbot.waitUntil(lambda: window.controller.undo_stack.count() == 1)
    assert _codes(sample_path)[FISCAL].parent_id == ADDRESSEE


def test_drop_into_own_sub_code_is_refused_with_a_message(qtbot, window, sample_path: Path):
    proxy = window.codebook_panel.proxy
    before = _codes(sample_path)
    data = proxy.mimeData([_proxy_index(window, THEMES)])
    assert not proxy.canDropMimeData(data, MOVE, -1, -1, _proxy_index(window, THEMES))
    assert proxy.dropMimeData(data, MOVE, -1, -1, _proxy_index(window, PREVENTION))
    qtbot.waitUntil(lambda: window.last_message is not None)
    assert "cannot be moved inside itself" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _codes(sample_path) == before


def test_drop_beside_a_code_of_the_same_name_is_refused(qtbot, sample_path: Path):
    p = Project.open(sample_path)
    p.codebook.update(p.codebook.get(FISCAL).with_changes(name="Recommendation"))
    p.close()
    window = open_window(qtbot, sample_path)
    before = _codes(sample_path)
    proxy = window.codebook_panel.proxy
    data = proxy.mimeData([_proxy_index(window, FISCAL)])
    assert proxy.dropMimeData(
        data, MOVE, 0, 0, _proxy_index(window, starter_code_id("Recommendations"))
    )
    qtbot.waitUntil(lambda: window.last_message is not None)
    assert "already a code called 'Recommendation'" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _codes(sample_path) == before


def _rename_in_place(qtbot, window, code_id, new_name: str) -> None:
    _focus_tree(qtbot, window, code_id)
    qtbot.keyClick(window.codebook_panel.tree, Qt.Key.Key_F2)
    tree = window.codebook_panel.tree
    qtbot.waitUntil(lambda: tree.state() == QAbstractItemView.State.EditingState)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parent() is tree.viewport()
    editor.selectAll()
    qtbot.keyClicks(editor, new_name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_f2_renames_in_place_with_undo_redo(qtbot, window, sample_path: Path):
    _rename_in_place(qtbot, window, PREVENTION, "Early action")
    qtbot.waitUntil(lambda: _codes(sample_path)[PREVENTION].name == "Early action")
    model = window.codebook_panel.model
    assert model.index_of(PREVENTION).data() == "Early action"
    stack = window.controller.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert _codes(sample_path)[PREVENTION].name == "Prevention"
    assert model.index_of(PREVENTION).data() == "Prevention"
    stack.redo()
    assert _codes(sample_path)[PREVENTION].name == "Early action"
    log = Project.open(sample_path)
    assert "renamed 'Prevention' to 'Early action'" in log.codebook.versions.changes()[-1].summary
    log.close()


def test_bad_in_place_renames_are_refused(qtbot, window, sample_path: Path):
    before = _codes(sample_path)
    _rename_in_place(qtbot, window, PREVENTION, "fiscal devolution")
    qtbot.waitUntil(lambda: window.last_message is not None)
    assert "already a code called 'Fiscal devolution'" in window.last_message.text()
    window.last_message = None
    _rename_in_place(qtbot, window, PREVENTION, "   ")
    qtbot.waitUntil(lambda: window.last_message is not None)
    assert "needs a name" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _codes(sample_path) == before
    assert window.codebook_panel.model.index_of(PREVENTION).data() == "Prevention"


def test_keys_reorder_indent_outdent_and_delete(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    tree = window.codebook_panel.tree
    ctrl = Qt.KeyboardModifier.ControlModifier
    before = _names_under(sample_path, THEMES)
    _focus_tree(qtbot, window, PREVENTION)
    i = before.index("Prevention")
    qtbot.keyClick(tree, Qt.Key.Key_Up, ctrl)
    assert _names_under(sample_path, THEMES).index("Prevention") == i - 1
    assert window.codebook_panel.current_code().id == PREVENTION  # still current
    qtbot.keyClick(tree, Qt.Key.Key_Right, ctrl)  # into the code above
    above = before[i - 2] if i >= 2 else None
    assert _codes(sample_path)[PREVENTION].parent_id == starter_code_id(f"Themes/{above}")
    qtbot.keyClick(tree, Qt.Key.Key_Left, ctrl)  # and out again, just after it
    assert _names_under(sample_path, THEMES).index("Prevention") == i - 1
    # Del deletes the code (not the codings selected elsewhere) after asking.
    asked = []
    window.confirm = lambda _w, _t, text: asked.append(text) or True
    qtbot.keyClick(tree, Qt.Key.Key_Delete)
    assert asked and "coding" in asked[0]
    assert PREVENTION not in _codes(sample_path)
    assert window.controller.undo_stack.count() == 4
    for _ in range(4):
        window.actions["undo"].trigger()
    assert _names_under(sample_path, THEMES) == before


def test_insert_adds_a_code_beside_the_current_one(qtbot, sample_path: Path):
    p = Project.open(sample_path)
    p.codebook.update(p.codebook.get(FISCAL).with_changes(kind="mechanism"))
    p.close()
    window = open_window(qtbot, sample_path)
    _focus_tree(qtbot, window, PREVENTION)
    kinds = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CodeDialog):  # never leave a test blocked on a modal
            if dialog is not None:
                dialog.close()
            return
        kinds.extend(dialog.kind.itemText(i) for i in range(dialog.kind.count()))
        dialog.name.setText("Housing")
        dialog.kind.setCurrentText("mechanism")
        dialog.accept()

    QTimer.singleShot(0, fill)
    qtbot.keyClick(window.codebook_panel.tree, Qt.Key.Key_Insert)
    added = [c for c in _codes(sample_path).values() if c.name == "Housing"]
    assert len(added) == 1 and added[0].parent_id == THEMES
    assert added[0].kind == "mechanism"
    assert {"recommendation", "theme", "mechanism"} <= set(kinds)  # the project's kinds
    assert window.codebook_panel.current_code().name == "Housing"


def test_count_tooltips_break_down_by_coder_and_respect_blind_mode(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    model = window.codebook_panel.model
    c = window.controller
    c.set_show_mode(ShowMode.ALL)
    tip = model.index_of(FISCAL, Column.TOTAL).data(Qt.ItemDataRole.ToolTipRole)
    assert "Sample coder A: " in tip and "Sample coder B: " in tip
    c.set_blind(True)
    tip = model.index_of(FISCAL, Column.TOTAL).data(Qt.ItemDataRole.ToolTipRole)
    assert "Sample coder A: " in tip and "Sample coder B" not in tip
    assert "Blind mode" in tip
    # The name column keeps the definition and rules.
    name_tip = model.index_of(FISCAL).data(Qt.ItemDataRole.ToolTipRole)
    assert "Definition:" in name_tip


def test_shortcut_in_use_is_refused_through_the_menu(qtbot, window, sample_path: Path):
    before = _codes(sample_path)
    window.codebook_panel.select_code(PREVENTION)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QInputDialog):
            dialog.setTextValue("1")  # Recommendation's key
            dialog.accept()
        elif dialog is not None:
            dialog.close()

    QTimer.singleShot(0, answer)
    window.actions["shortcut_code"].trigger()
    assert "shortcut 1 is already used by 'Recommendation'" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _codes(sample_path) == before
