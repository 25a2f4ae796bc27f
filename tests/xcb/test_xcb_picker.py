"""The Ctrl+E picker on a real X server: Enter codes, and the picker fits the screen."""

from __future__ import annotations

PICK = """
import os
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.gui.coding.code_picker import CodePicker
from tests.xcb.child import after, available, frame, open_sample, report, select_phrase
w = open_sample(Path(os.environ["ANNOTATOR_HOME"]))
select_phrase(w, w.view.text.split()[5])
w.view.setFocus()
before = len(w.controller.codings(w.current_document))
seen = {}

def answer():
    picker = next(x for x in QApplication.topLevelWidgets()
                  if isinstance(x, CodePicker) and x.isVisible())
    QTest.qWaitForWindowActive(picker, 3000)
    focus = QApplication.focusWidget() or picker.edit
    QTest.keyClicks(focus, TYPED)
    for _ in range(DOWNS):
        QTest.keyClick(QApplication.focusWidget() or picker.edit, Qt.Key.Key_Down)
    seen["chosen"] = str(picker.chosen())
    seen["frame"] = frame(picker)
    seen["hscroll"] = picker.list.horizontalScrollBar().isVisible()
    QTest.keyClick(QApplication.focusWidget() or picker.edit, Qt.Key.Key_Return)
    QTest.qWait(50)
    if picker.isVisible():  # Enter did nothing: close it so the test ends
        seen["still_open"] = True
        picker.reject()

after(300, answer)
QTest.keyClick(w.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
QTest.qWait(100)
codings = w.controller.codings(w.current_document)
report(before=before, after=len(codings), seen=seen, screen=available(),
       new_codes=[str(c.code_id) for c in codings][-1:])
"""


def _pick(xcb, typed: str, downs: int) -> dict:
    return xcb(f"TYPED = {typed!r}\nDOWNS = {downs}\n" + PICK)


def test_enter_in_picker_codes_the_selection(xcb):
    data = _pick(xcb, "prev", 0)
    assert "still_open" not in data["seen"]
    assert data["after"] == data["before"] + 1
    assert data["new_codes"] == [data["seen"]["chosen"]]


def test_down_then_enter_codes_with_the_next_code(xcb):
    data = _pick(xcb, "prev", 1)
    assert "still_open" not in data["seen"]
    assert data["after"] == data["before"] + 1
    assert data["new_codes"] == [data["seen"]["chosen"]]


def test_picker_shows_whole_paths_without_sideways_scrolling(xcb):
    data = _pick(xcb, "", 0)
    x, y, width, height = data["seen"]["frame"]
    sx, sy, sw, sh = data["screen"]
    assert not data["seen"]["hscroll"]
    assert sx <= x and x + width <= sx + sw and sy <= y and y + height <= sy + sh
