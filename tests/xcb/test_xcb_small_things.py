"""Issue 14, item 13 on a real X server: Esc closes, Help works offline, Alt+Down reveals."""

from __future__ import annotations

import pytest

SCRIPT = """
import os
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.gui.agreement.agreement_actions import show_agreement, show_disagreements
from annotator.gui.controller import ShowMode
from tests.xcb.child import open_sample, report, wait_exposed

w = open_sample(Path(os.environ["ANNOTATOR_HOME"]))
out = {}

# Esc closes the Agreement window, which also has a Close button.
agreement = show_agreement(w)
wait_exposed(agreement)
out["agreement_close_button"] = any(
    b.text() == "Close" for b in agreement.findChildren(type(agreement.compute_button)))
QTest.keyClick(agreement.focusWidget() or agreement, Qt.Key.Key_Escape)
QTest.qWait(100)
out["agreement_open_after_esc"] = agreement.isVisible()
viewer = show_disagreements(w)
wait_exposed(viewer)
QTest.keyClick(viewer.focusWidget() or viewer, Qt.Key.Key_Escape)
QTest.qWait(100)
out["disagreements_open_after_esc"] = viewer.isVisible()

# Esc closes the find bar with the focus in the document, not only in the find box.
wait_exposed(w)
QTest.keyClick(w.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
QTest.keyClicks(w.find_bar.edit, "local")
out["find_open"] = w.find_bar.isVisible()
w.view.setFocus()
QTest.qWait(50)
QTest.keyClick(w.view, Qt.Key.Key_Escape)
QTest.qWait(50)
out["find_open_after_esc"] = w.find_bar.isVisible()

# Help: a user guide and a shortcut reference, from the Help menu.
help_menu = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "Help")
out["help_items"] = [a.text().replace("&", "") for a in help_menu.actions() if a.text()]
if "user_guide" in w.actions:
    w.actions["user_guide"].trigger()
    guide = w._user_guide
    wait_exposed(guide)
    out["guide_text"] = guide.browser.toPlainText()[:4000]
    guide.close()
    w.actions["shortcut_reference"].trigger()
    ref = w._shortcut_reference
    wait_exposed(ref)
    out["shortcut_text"] = ref.browser.toPlainText()
    ref.close()

# Alt+Down brings the next coding wholly into view.
w.controller.set_show_mode(ShowMode.ALL)
wait_exposed(w)
codings = sorted(w.view.index.all(), key=lambda c: c.start)
reveals = []
cursor = QTextCursor(w.view.document())
w.view.setTextCursor(cursor)
w.view.setFocus()
for _ in range(len(codings)):
    QTest.keyClick(w.view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QTest.qWait(20)
    c = w.view.textCursor()
    a = QTextCursor(w.view.document()); a.setPosition(c.selectionStart())
    b = QTextCursor(w.view.document()); b.setPosition(c.selectionEnd())
    top, bottom = w.view.cursorRect(a).top(), w.view.cursorRect(b).bottom()
    reveals.append([top, bottom, w.view.viewport().height(), c.selectionEnd() - c.selectionStart()])
out["reveals"] = reveals
report(**out)
"""


@pytest.fixture(scope="module")
def small(xserver, tmp_path_factory):
    return xserver.run(SCRIPT, home=tmp_path_factory.mktemp("small-home"), timeout=240)


def test_escape_closes_agreement_and_disagreements(small):
    assert small["agreement_close_button"]
    assert small["agreement_open_after_esc"] is False
    assert small["disagreements_open_after_esc"] is False


def test_escape_closes_find_bar_from_the_document(small):
    assert small["find_open"]
    assert small["find_open_after_esc"] is False


def test_help_has_user_guide_and_generated_shortcut_reference(small):
    assert "User guide" in small["help_items"]
    assert "Keyboard shortcuts" in small["help_items"]
    assert "Coding a passage" in small["guide_text"]
    ref = small["shortcut_text"]
    for keys in ("Ctrl+Shift+Z", "Ctrl+E", "Ctrl+Shift+B", "Alt+Down", "F2"):
        assert keys in ref, keys


def test_alt_down_leaves_the_coding_wholly_visible(small):
    assert len(small["reveals"]) > 3
    for top, bottom, height, length in small["reveals"]:
        if bottom - top < height:  # a passage that fits on screen must be shown whole
            assert top >= 0 and bottom <= height, (top, bottom, height, length)
