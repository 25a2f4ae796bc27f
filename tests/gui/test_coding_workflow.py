"""The acceptance walk-through: select, code, undo, redo, reopen, check the rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from annotator.gui.controller import ShowMode
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_phrase

PREVENTION = starter_code_id("Themes/Prevention")
CENTRAL = starter_code_id("Recommendations/Recommendation")


def _stored(path: Path, coder: str = "Tester"):
    project = Project.open(path)
    try:
        me = project.coders.find(coder)
        return [] if me is None else project.codings.all({me.id})
    finally:
        project.close()


def test_code_with_shortcut_undo_redo_and_reopen(qtbot, window, sample_path: Path):
    start, end = select_phrase(window, "strengthening local public health")
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # "1" is Recommendation in the starter
    stored = _stored(sample_path)
    assert [(c.start, c.end, c.code_id) for c in stored] == [(start, end, CENTRAL)]
    assert stored[0].quote == "strengthening local public health"
    assert window.codings_panel.model.rowCount() == 1  # mine only, by default
    coding_id = stored[0].id

    window.actions["undo"].trigger()
    assert _stored(sample_path) == []
    assert window.codings_panel.model.rowCount() == 0
    window.actions["redo"].trigger()
    again = _stored(sample_path)
    assert [c.id for c in again] == [coding_id]  # the very same coding comes back

    window.close()
    reopened = open_window(qtbot, sample_path)
    assert reopened.codings_panel.model.rowCount() == 1
    assert reopened.view.index.get(coding_id) is not None


def test_click_a_code_while_text_is_selected(qtbot, window, sample_path: Path):
    start, end = select_phrase(window, "cutting Whitehall red tape")
    idx = window.codebook_panel.proxy.mapFromSource(
        window.codebook_panel.model.index_of(PREVENTION)
    )
    rect = window.codebook_panel.tree.visualRect(idx)
    qtbot.mouseClick(
        window.codebook_panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert [(c.start, c.end, c.code_id) for c in _stored(sample_path)] == [(start, end, PREVENTION)]


def test_selection_snaps_to_words_unless_turned_off(qtbot, window, sample_path: Path):
    text = window.view.text
    a = text.index("ecentralised")
    from tests.gui.conftest import select_text

    select_text(window, a, a + 8)
    window.apply_code(PREVENTION)
    window.actions["snap"].trigger()  # off
    select_text(window, a, a + 8)
    window.apply_code(CENTRAL)
    quotes = sorted(c.quote for c in _stored(sample_path))
    assert quotes == ["decentralised", "ecentral"]


def test_context_menu_code_as(qtbot, window, sample_path: Path):
    select_phrase(window, "promoting a sustainable local economy")
    menu = QMenu()
    window.view._fill_code_menu(menu, None)
    themes = next(a for a in menu.actions() if a.text() == "Themes").menu()
    next(a for a in themes.actions() if a.text() == "Prevention").trigger()
    assert [c.code_id for c in _stored(sample_path)] == [PREVENTION]


def test_code_picker_type_ahead(qtbot, window):
    from annotator.gui.coding.code_picker import CodePicker

    picker = CodePicker(list(window._codes.values()), window)
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.edit, "re")
    assert picker.chosen() == CENTRAL
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    assert picker.chosen() == PREVENTION
    picker.edit.setText("no such code at all")
    assert picker.chosen() is None


def test_overlaps_show_blend_and_stripes(qtbot, window, sample_path: Path):
    window.controller.set_show_mode(ShowMode.ALL)
    overlapping = window.view.index.at(5)  # "Whitehall…" is coded twice in the sample
    assert len(overlapping) == 2
    bars = window.view.stripes.bars()
    assert len({r.x() for r, c in bars if c in overlapping}) >= 2  # separate lanes
    rects = window.view.highlight_rects()
    assert rects
    # What is on screen is the blend: grab the viewport and read a pixel inside a run.
    image = window.view.viewport().grab().toImage()
    rect, color = rects[0]
    pixel = image.pixelColor(int(rect.left()) + 1, int(rect.top()) + 1)
    assert abs(pixel.red() - color.red()) + abs(pixel.green() - color.green()) < 12
    tooltip = window.view.describe(overlapping)
    assert "Sample coder A" in tooltip and "Sample coder B" in tooltip
    assert "Recommendation" in tooltip


def test_click_on_highlight_selects_codings_in_list(qtbot, window):
    window.controller.set_show_mode(ShowMode.ALL)
    view = window.view
    text = view.text
    pos = text.index("fiscal devolution") + 3
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.to_qt(pos))
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    selected = window.codings_panel.selected_codings()
    assert selected and all(c.start <= pos < c.end for c in selected)
    assert {c.code_id for c in selected} == {starter_code_id("Themes/Fiscal devolution")}


def test_edit_memo_change_code_and_extent(qtbot, window, sample_path: Path, monkeypatch):
    from annotator.gui.coding import coding_actions
    from annotator.gui.coding.commands import UpdateCodingCommand

    select_phrase(window, "citizen-centred public services")
    coding = window.apply_code(PREVENTION)
    window.codings_panel.select_ids([coding.id])
    monkeypatch.setattr(
        coding_actions.QInputDialog, "getMultiLineText", lambda *a, **k: ("Ask coder B", True)
    )
    window.actions["edit_memo"].trigger()
    assert _stored(sample_path)[0].memo == "Ask coder B"
    after = coding.with_changes(code_id=CENTRAL, end=coding.end - 9)
    window.controller.run(
        UpdateCodingCommand(window.controller, _stored(sample_path)[0], after, "x")
    )
    stored = _stored(sample_path)[0]
    assert (stored.code_id, stored.quote) == (CENTRAL, "citizen-centred public")
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    stored = _stored(sample_path)[0]
    assert (stored.code_id, stored.quote, stored.memo) == (PREVENTION, coding.quote, "")
    window.codings_panel.select_ids([coding.id])
    window.actions["remove_coding"].trigger()
    assert _stored(sample_path) == []


def test_read_only_project_refuses_changes(qtbot, sample_path: Path):
    import os
    import stat

    os.chmod(sample_path, stat.S_IRUSR)
    try:
        window = open_window(qtbot, sample_path, coder="Sample coder A")
        assert "read-only" in window.windowTitle()
        assert not window.actions["add_code"].isEnabled()
        before = window.codings_panel.model.rowCount()
        select_phrase(window, "red tape")
        assert window.apply_code(PREVENTION) is None
        assert window.codings_panel.model.rowCount() == before
        window.close()
    finally:
        os.chmod(sample_path, stat.S_IRUSR | stat.S_IWUSR)
