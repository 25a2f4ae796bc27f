"""Merge, split and versions through their dialogs, and the code entry panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.domain.model import Coding
from annotator.gui.codebook import codebook_actions
from annotator.gui.codebook.split_dialog import SplitDialog
from annotator.gui.codebook.versions_dialog import VersionsDialog
from annotator.gui.exchange.merge_dialog import MergeDialog
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_phrase

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")
PARTNERSHIP = starter_code_id("Themes/Partnership working")
FUNDING = starter_code_id("Recommendations/Recommendation")
OK = QDialogButtonBox.StandardButton.Ok


def _stored(path: Path) -> tuple[dict, list[Coding]]:
    p = Project.open(path)
    try:
        return {c.id: c for c in p.codebook.list()}, p.codings.all()
    finally:
        p.close()


def _click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(OK), Qt.MouseButton.LeftButton)


def test_merge_through_the_dialog_undo_redo_and_reopen(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    codes_before, codings_before = _stored(sample_path)
    moving = [c for c in codings_before if c.code_id == PREVENTION]
    assert moving
    window.codebook_panel.select_code(PREVENTION)
    window.actions["merge_code"].trigger()
    dialog = window.findChild(MergeDialog)
    assert dialog is not None and dialog.isVisible()
    listed = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Themes/Prevention" not in listed and "Themes/Partnership working" in listed
    qtbot.keyClicks(dialog.filter, "partnership")
    dialog.select(PARTNERSHIP)
    _click_ok(qtbot, dialog)

    def merged() -> None:
        codes, codings = _stored(sample_path)
        assert PREVENTION not in codes
        assert {c.id for c in codings if c.code_id == PARTNERSHIP} >= {c.id for c in moving}

    merged()
    stack = window.controller.undo_stack
    assert stack.count() == 1 and stack.text(0) == "Merge Prevention into Partnership working"
    assert window.codebook_panel.model.index_of(PREVENTION).isValid() is False
    window.actions["undo"].trigger()
    assert _stored(sample_path) == (codes_before, codings_before)
    assert window.codebook_panel.model.index_of(PREVENTION).isValid()
    window.actions["redo"].trigger()
    merged()
    window.close()
    again = open_window(qtbot, sample_path, coder="Sample coder A")
    assert not again.codebook_panel.model.index_of(PREVENTION).isValid()
    assert again._counts[PARTNERSHIP].total >= len(moving)


def test_merge_into_a_folder_with_codings_shows_why(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    before = _stored(sample_path)
    window.codebook_panel.select_code(PREVENTION)
    window.actions["merge_code"].trigger()
    dialog = window.findChild(MergeDialog)
    dialog.select(THEMES)
    _click_ok(qtbot, dialog)
    assert "is a folder" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _stored(sample_path) == before


def test_split_through_the_dialog(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    _, codings = _stored(sample_path)
    mine = window.controller.coder.id
    funding = [c for c in codings if c.code_id == FUNDING]
    window.codebook_panel.select_code(FUNDING)
    window.actions["split_code"].trigger()
    dialog = window.findChild(SplitDialog)
    # Only the coder's own codings are listed, so nobody else's work is revealed.
    assert dialog.list.count() == sum(1 for c in funding if c.coder_id == mine)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Funding settlements")
    chosen = dialog.list.item(0).data(Qt.ItemDataRole.UserRole)
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    _click_ok(qtbot, dialog)
    codes, after = _stored(sample_path)
    new = next(c for c in codes.values() if c.name == "Funding settlements")
    assert new.parent_id == codes[FUNDING].parent_id
    assert [c.id for c in after if c.code_id == new.id] == [chosen]
    assert window.codebook_panel.current_code().id == new.id
    window.actions["undo"].trigger()
    codes, restored = _stored(sample_path)
    assert new.id not in codes and restored == codings
    window.actions["redo"].trigger()
    codes, after = _stored(sample_path)
    assert [c.id for c in after if c.code_id == new.id] == [chosen]


def test_split_with_nothing_ticked_is_refused(qtbot, window, sample_path: Path):
    before = _stored(sample_path)
    window.codebook_panel.select_code(FUNDING)
    window.actions["split_code"].trigger()
    dialog = window.findChild(SplitDialog)
    _click_ok(qtbot, dialog)
    assert "at least one coding" in window.last_message.text()
    assert window.controller.undo_stack.count() == 0
    assert _stored(sample_path) == before


def test_versions_dialog_freezes_stamps_compares_and_exports(
    qtbot, window, sample_path: Path, tmp_path: Path
):
    c = window.controller
    window.actions["freeze_version"].trigger()
    dialog = window.findChild(VersionsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "pilot")
    qtbot.mouseClick(dialog.freeze_button, Qt.MouseButton.LeftButton)
    assert dialog.versions.rowCount() == 1
    assert dialog.versions.item(0, 0).text() == "pilot"
    # A coding made now records the version.
    select_phrase(window, "red tape")
    coding = window.apply_code(PREVENTION)
    p = Project.open(sample_path)
    pilot = p.codebook.versions.find("pilot")
    assert p.codings.get(coding.id).codebook_version_id == pilot.id
    p.close()
    # A second "Pilot" is refused with a message and does not reach the undo stack.
    depth = c.undo_stack.count()
    qtbot.keyClicks(dialog.name, "Pilot")
    qtbot.mouseClick(dialog.freeze_button, Qt.MouseButton.LeftButton)
    assert "already a codebook version called 'pilot'" in dialog.message.text()
    assert c.undo_stack.count() == depth
    assert dialog.versions.rowCount() == 1
    # Edit the codebook, freeze v1, and read the changes between the two.
    assert codebook_actions.rename_to(window, PREVENTION, "Early action")
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "v1")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert [dialog.versions.item(r, 0).text() for r in range(2)] == ["pilot", "v1"]
    dialog.versions.selectRow(0)
    assert "- Prevention (theme)" in dialog.snapshot.toPlainText()
    dialog.since.setCurrentIndex(dialog.since.findText("version pilot"))
    dialog.until.setCurrentIndex(dialog.until.findText("version v1"))
    rows = [dialog.changes.item(r, 3).text() for r in range(dialog.changes.rowCount())]
    assert len(rows) == 2
    assert "renamed 'Prevention' to 'Early action'" in rows[0]
    assert rows[1] == "Froze the codebook as version 'v1'"
    assert dialog.export_to(tmp_path / "changes.csv") == 2
    assert "Early action" in (tmp_path / "changes.csv").read_text(encoding="utf-8")
    assert dialog.export_to(tmp_path / "changes.md") == 2
    md = (tmp_path / "changes.md").read_text(encoding="utf-8")
    assert md.startswith("# Codebook changes from version 'pilot' to version 'v1'")
    # Freezing is undoable like any edit; the dialog follows.
    window.actions["undo"].trigger()
    assert dialog.versions.rowCount() == 1
    window.actions["redo"].trigger()
    assert dialog.versions.rowCount() == 2


def test_entry_panel_follows_cursor_and_the_code_just_applied(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path, coder="Sample coder A")
    panel = window.entry_panel
    codings = sorted(window.view.index.all(), key=lambda x: x.start)
    first = codings[0]
    window.view.select_span(first.start + 1, first.start + 1)
    code = window._codes[first.code_id]
    text = panel.body.toPlainText()
    assert code.name in text and code.definition[:40] in text
    for label in ("Definition", "Use when", "Do not use when", "Typical example", "Memo"):
        assert label in text
    assert panel.reason.text().startswith("Code")
    select_phrase(window, "red tape")
    window.apply_code(PARTNERSHIP)
    assert panel.reason.text() == "Code just applied:"
    assert window._codes[PARTNERSHIP].definition[:40] in panel.body.toPlainText()
