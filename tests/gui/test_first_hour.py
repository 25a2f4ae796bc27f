"""Issue 14, offscreen parts: what a new user meets in the first hour."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.gui.app import application, build_window
from annotator.gui.controller import ShowMode
from annotator.gui.project.coder_dialog import CoderDialog
from annotator.services.settings import Settings, save_settings


def _first_start(qtbot):
    application()

    def answer() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, CoderDialog) and w.isVisible()
        )
        dialog.combo.setCurrentText("New Coder")
        dialog.accept()

    QTimer.singleShot(0, answer)
    window = build_window(None)
    qtbot.addWidget(window)
    window.show()
    return window


def test_sample_project_opens_showing_both_sample_coders(qtbot):
    window = _first_start(qtbot)
    assert window.controller.show_mode is ShowMode.ALL
    assert window.actions["show_all"].isChecked()
    assert "all coders" in window.mode_label.text()
    counts = sum(c.total for c in window._counts.values())
    assert counts > 0
    coders = {window._coders[c.coder_id].name for c in window.view.index.all()}
    assert {"Sample coder A", "Sample coder B"} <= coders
    window.close()


def test_view_choice_is_remembered_across_restarts(qtbot):
    window = _first_start(qtbot)
    window.actions["show_mine"].trigger()
    assert window.controller.show_mode is ShowMode.MINE
    window.close()
    again = build_window(None)
    qtbot.addWidget(again)
    assert again.controller.show_mode is ShowMode.MINE
    assert again.actions["show_mine"].isChecked()
    again.actions["blind"].trigger()
    again.close()
    third = build_window(None)
    qtbot.addWidget(third)
    assert third.controller.blind


def test_other_projects_still_open_on_my_codings(qtbot, sample_path):
    save_settings(Settings(coder_name="Tester"))
    application()
    window = build_window(sample_path)
    qtbot.addWidget(window)
    assert window.controller.show_mode is ShowMode.MINE


# -- 6. the Code entry panel never goes stale ---------------------------------------------
def _cursor_on_first_coding(window):
    first = min(window.view.index.all(), key=lambda c: c.start)
    window.view.select_span(first.start + 1, first.start + 1)
    assert window.entry_panel.code_id == first.code_id
    assert window.entry_panel.body.toPlainText()
    return first


def _entry_is_empty(window) -> bool:
    return window.entry_panel.code_id is None and not window.entry_panel.body.toPlainText()


def test_entry_panel_clears_on_another_document(qtbot, window):
    window.controller.set_show_mode(ShowMode.ALL)
    _cursor_on_first_coding(window)
    docs = window.controller.documents()
    uncoded = next(d for d in docs if d.id != window.current_document)
    window.open_document(uncoded.id)
    codes_there = {c.code_id for c in window.view.index.at(0)}
    if not codes_there:
        assert _entry_is_empty(window)
    else:
        assert window.entry_panel.code_id in codes_there


def test_entry_panel_clears_in_blind_mode(qtbot, window):
    window.controller.set_show_mode(ShowMode.ALL)
    first = _cursor_on_first_coding(window)
    assert first.coder_id != window.controller.coder.id  # a sample coder's coding
    window.actions["blind"].trigger()
    assert _entry_is_empty(window)  # no leak of the other coder's code


def test_entry_panel_clears_on_uncoded_text(qtbot, window):
    window.controller.set_show_mode(ShowMode.ALL)
    _cursor_on_first_coding(window)
    covered = set()
    for c in window.view.index.all():
        covered.update(range(c.start, c.end + 1))
    free = next(
        i for i in range(len(window.view.text)) if i not in covered and i - 1 not in covered
    )
    window.view.select_span(free, free)
    assert _entry_is_empty(window)


def test_entry_panel_clears_when_the_coding_is_deleted(qtbot, window):
    window.controller.set_show_mode(ShowMode.ALL)
    window.view.select_span(*_free_words(window))
    code_id = next(c.id for c in window._codes.values() if c.codable)
    coding = window.apply_code(code_id)
    assert window.entry_panel.code_id == code_id
    window.codings_panel.select_ids([coding.id])
    window.actions["remove_coding"].trigger()
    assert _entry_is_empty(window)


def _free_words(window) -> tuple[int, int]:
    text = window.view.text
    covered = set()
    for c in window.view.index.all():
        covered.update(range(c.start - 1, c.end + 2))
    start = next(
        i
        for i in range(1, len(text) - 20)
        if text[i - 1] == " " and i not in covered and i + 12 not in covered
    )
    end = text.index(" ", start + 3)
    return start, end


# -- 7. the export dialog -------------------------------------------------------------------
def test_export_dialog_label_default_folder_and_memory(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QFormLayout, QLabel

    from annotator.gui.exchange import exchange_actions
    from annotator.services.paths import data_dir
    from annotator.services.settings import load_settings

    dialog = exchange_actions.export_dialog(window)
    qtbot.addWidget(dialog)
    form = dialog.findChild(QFormLayout)
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog) and w.text()]
    shown = [t.replace("&", "") for t in labels]
    assert "Save to" in shown, labels  # no literal ampersand
    assert all("&&" not in t for t in labels)
    assert form is not None
    start = Path(dialog.path.text()).parent
    assert data_dir() not in (start, *start.parents)  # not the hidden data folder
    assert window.controller.project.path.parent != start
    chosen = tmp_path / "exports"
    chosen.mkdir()
    dialog.set_format("csv")
    dialog.path.setText(str(chosen / "codings.csv"))
    assert exchange_actions.export(window, dialog)
    assert load_settings().export_folder == str(chosen)
    again = exchange_actions.export_dialog(window)
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == chosen


# -- 11. editing dialogs ----------------------------------------------------------------------
def test_memo_dialog_says_which_passage_code_and_coder(qtbot, window):
    from annotator.gui.coding import coding_actions

    window.controller.set_show_mode(ShowMode.ALL)
    coding = min(window.view.index.all(), key=lambda c: c.start)
    dialog = coding_actions.memo_dialog(window, coding)
    qtbot.addWidget(dialog)
    about = dialog.about.text()
    assert window._codes[coding.code_id].name in about
    assert window._coders[coding.coder_id].name in about
    assert " ".join(coding.quote.split())[:40] in about


def test_adjust_extent_by_dragging_and_shift_arrows_snaps_to_words(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from annotator.gui.coding.span_dialog import SpanDialog

    text = "Councils should pool budgets with health partners to fund prevention."
    start = text.index("pool")
    dialog = SpanDialog(text, start, start + len("pool budgets"), None)
    qtbot.addWidget(dialog)
    dialog.show()
    # A drag from inside "should" to inside "health" snaps to "should ... health".
    cursor = QTextCursor(dialog.passage.document())
    cursor.setPosition(text.index("should") + 2)
    cursor.setPosition(text.index("health") + 3, QTextCursor.MoveMode.KeepAnchor)
    dialog.passage.setTextCursor(cursor)
    a, b = dialog.span()
    assert text[a:b] == "should pool budgets with health"
    # Ctrl+Shift+Right extends the end by a word, still whole words.
    dialog.passage.setFocus()
    qtbot.keyClick(
        dialog.passage,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.keyClick(
        dialog.passage,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    a, b = dialog.span()
    assert text[a:b] == "should pool budgets with health partners"
    # Typed offsets still work and move the selection.
    dialog.start.setValue(text.index("to fund"))
    dialog.end.setValue(text.index("prevention") + len("prevention"))
    assert dialog.passage.textCursor().selectedText() == "to fund prevention"
