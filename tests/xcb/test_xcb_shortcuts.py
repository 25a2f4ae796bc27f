"""Shortcuts on a real X server (xcb): the keys README promises really act."""

from __future__ import annotations


def test_smoke_main_window_opens_under_xcb(xcb):
    data = xcb(
        """
        from pathlib import Path
        from PySide6.QtGui import QGuiApplication
        from tests.xcb.child import open_sample, report
        import os
        w = open_sample(Path(os.environ["ANNOTATOR_HOME"]))
        report(platform=QGuiApplication.platformName(), docs=w.documents_panel.model.rowCount(),
               visible=w.isVisible())
        """
    )
    assert data["platform"] == "xcb"
    assert data["docs"] == 5 and data["visible"]


def test_ctrl_shift_z_redoes_and_no_shortcut_is_ambiguous(xcb):
    data = xcb(
        """
        import os
        from pathlib import Path
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence
        from PySide6.QtTest import QTest
        from tests.xcb.child import open_sample, report, select_phrase
        w = open_sample(Path(os.environ["ANNOTATOR_HOME"]))
        # every key sequence of every window-wide action, to find clashes
        seen = {}
        clashes = []
        for act in w.findChildren(type(w.actions["undo"])):
            if act.parent() is not w:
                continue
            for seq in act.shortcuts():
                key = seq.toString()
                if key in seen and seen[key] is not act:
                    clashes.append([key, seen[key].text(), act.text()])
                seen[key] = act
        code = next(iter(w._codes.values()))
        code_id = next(c.id for c in w._codes.values() if c.codable)
        select_phrase(w, w.view.text.split()[3])
        before = len(w.controller.codings(w.current_document))
        w.view.setFocus()
        w.apply_code(code_id)
        after_apply = len(w.controller.codings(w.current_document))
        QTest.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        after_undo = len(w.controller.codings(w.current_document))
        QTest.keyClick(
            w.view, Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        after_redo = len(w.controller.codings(w.current_document))
        report(before=before, applied=after_apply, undone=after_undo, redone=after_redo,
               clashes=clashes,
               redo_keys=[s.toString() for s in w.actions["redo"].shortcuts()])
        """
    )
    assert "Ambiguous shortcut" not in data["_stderr"], data["_stderr"]
    assert data["clashes"] == []
    assert data["applied"] == data["before"] + 1
    assert data["undone"] == data["before"]
    assert data["redone"] == data["before"] + 1, data
