"""Codebook edits with undo, whose codings are shown, find, layout, and the item models."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from annotator.domain.model import Code, new_id
from annotator.gui.coding.commands import AddCodeCommand, UpdateCodeCommand
from annotator.gui.controller import ShowMode
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_phrase

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")


def _codes(path: Path) -> dict:
    p = Project.open(path)
    try:
        return {c.id: c for c in p.codebook.list()}
    finally:
        p.close()


def test_add_child_rename_recolour_delete_with_undo(qtbot, window, sample_path: Path):
    c = window.controller
    child = Code(new_id(), "Housing", "#336699", parent_id=THEMES, position=-1)
    assert c.run(AddCodeCommand(c, child))
    assert _codes(sample_path)[child.id].name == "Housing"
    renamed = child.with_changes(name="Housing supply", color="#aa0000", shortcut="F6")
    stored = _codes(sample_path)[child.id]
    assert c.run(
        UpdateCodeCommand(c, stored, renamed.with_changes(position=stored.position), "Rename")
    )
    assert _codes(sample_path)[child.id].name == "Housing supply"
    # The new shortcut codes the selection at once.
    select_phrase(window, "citizen-centred")
    qtbot.keyClick(window.view, Qt.Key.Key_F6)
    p = Project.open(sample_path)
    assert [x.code_id for x in p.codings.all({c.coder.id})] == [child.id]
    p.close()
    c.undo_stack.undo()  # the coding
    c.undo_stack.undo()  # the rename
    assert _codes(sample_path)[child.id].name == "Housing"
    c.undo_stack.undo()  # the add
    assert child.id not in _codes(sample_path)


def test_duplicate_name_is_refused_with_a_message(qtbot, window, sample_path: Path):
    c = window.controller
    before = _codes(sample_path)
    dup = Code(new_id(), "Prevention", "#336699", parent_id=THEMES, position=-1)
    assert not c.run(AddCodeCommand(c, dup))
    assert "already a code" in window.last_message.text()
    assert _codes(sample_path) == before
    assert c.undo_stack.count() == 0


def test_delete_code_with_codings_asks_and_undo_restores(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    asked = []
    window.confirm = lambda _w, _t, text: asked.append(text) or True
    fiscal = starter_code_id("Themes/Fiscal devolution")
    p = Project.open(sample_path)
    before = p.codings.all()
    p.close()
    window.codebook_panel.select_code(fiscal)
    window.actions["delete_code"].trigger()
    assert asked and "coding" in asked[0]
    p = Project.open(sample_path)
    assert all(x.code_id != fiscal for x in p.codings.all())
    p.close()
    window.actions["undo"].trigger()
    p = Project.open(sample_path)
    assert p.codings.all() == before
    p.close()


def test_show_mine_all_chosen_and_blind(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    c = window.controller
    p = Project.open(sample_path)
    a = p.coders.find("Sample coder A")
    b = p.coders.find("Sample coder B")
    doc = window.current_document
    mine = len(p.codings.for_document(doc, {a.id}))
    everyone = len(p.codings.for_document(doc))
    p.close()
    assert window.codings_panel.model.rowCount() == mine
    c.set_show_mode(ShowMode.ALL)
    assert window.codings_panel.model.rowCount() == everyone
    assert window.documents_panel.model.index(0, 1).data() == everyone
    c.set_show_mode(ShowMode.CHOSEN, {b.id})
    assert window.codings_panel.model.rowCount() == everyone - mine
    c.set_show_mode(ShowMode.ALL)
    window.actions["blind"].trigger()
    assert c.blind
    assert window.codings_panel.model.rowCount() == mine
    assert window.documents_panel.model.index(0, 1).data() == mine
    totals = {k: v.total for k, v in window._counts.items()}
    p = Project.open(sample_path)
    assert totals == {k: v.total for k, v in p.codings.counts(None, {a.id}).items()}
    p.close()
    assert not window.actions["show_all"].isEnabled()
    assert "Blind" in window.mode_label.text()


def test_switch_coder_attributes_new_codings(qtbot, window, sample_path: Path):
    c = window.controller
    c.set_coder(window.controller.project.coders.ensure("Second coder"))
    assert "Second coder" in window.coder_label.text()
    select_phrase(window, "red tape")
    window.apply_code(PREVENTION)
    p = Project.open(sample_path)
    coder = p.coders.find("Second coder")
    assert [x.quote for x in p.codings.all({coder.id})] == ["red tape"]
    p.close()


def test_find_highlights_and_steps(qtbot, window):
    window.actions["find"].trigger()
    qtbot.keyClicks(window.find_bar.edit, "local")
    text = window.view.text
    n = text.lower().count("local")
    assert n > 3
    assert window.find_bar.count.text() == f"1 of {n}"
    window.actions["find_next"].trigger()
    cursor = window.view.textCursor()
    second = [i for i in range(len(text)) if text.lower().startswith("local", i)][1]
    assert window.view.from_qt(cursor.selectionStart()) == second
    window.actions["find_previous"].trigger()
    assert window.find_bar.count.text() == f"1 of {n}"
    window.find_bar.close_bar()
    assert window.find_bar.count.text() == ""
    assert not any(
        s.format.background().color().name() == "#ffe066" for s in window.view.extraSelections()
    )


def test_next_and_previous_coding(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    codings = sorted(window.view.index.all(), key=lambda x: (x.start, x.end))
    window.view.select_span(0, 0)
    window.actions["next_coding"].trigger()
    first = window.codings_panel.selected_codings()[0]
    assert first.start > 0 or first == codings[0]
    window.actions["next_coding"].trigger()
    second = window.codings_panel.selected_codings()[0]
    assert second.start > first.start
    window.actions["previous_coding"].trigger()
    assert window.codings_panel.selected_codings()[0].start < second.start


def test_layout_is_restored(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path)
    window.resize(900, 620)  # above the docks' minimum height (the Coding details dock)
    dock = window.findChild(QDockWidget, "codingsDock")
    dock.hide()
    window.close()
    again = open_window(qtbot, sample_path)
    assert (again.width(), again.height()) == (900, 620)
    assert again.findChild(QDockWidget, "codingsDock").isHidden()


def test_models_pass_qt_model_tester(qtmodeltester, window):
    qtmodeltester.check(window.codebook_panel.model)
    qtmodeltester.check(window.documents_panel.model)
    window.controller.set_show_mode(ShowMode.ALL)
    qtmodeltester.check(window.codings_panel.model)
