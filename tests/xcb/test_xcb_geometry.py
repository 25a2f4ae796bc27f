"""Every window and dialog fits a 1366x768 screen on a real X server, and is usable there."""

from __future__ import annotations

import pytest

SCRIPT = """
import os
from pathlib import Path
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from annotator.gui.controller import ShowMode
from tests.xcb.child import after, available, frame, open_sample, report, select_phrase

home = Path(os.environ["ANNOTATOR_HOME"])
w = open_sample(home)
w.controller.set_show_mode(ShowMode.ALL)
shots = os.environ.get("SHOTS")
seen = {}

def record(name):
    for top in QApplication.topLevelWidgets():
        if top.isVisible() and top.isWindow() and (top is not w or name == "main") and (
            top.windowType() not in (0x00000008, 0x0000000c, 0x00000010)):  # popups, tooltips
            hint = top.minimumSizeHint()
            key = f"{name}:{type(top).__name__}:{top.windowTitle()[:40]}"
            seen[key] = dict(frame=frame(top), min=[hint.width(), hint.height()],
                             size=[top.width(), top.height()])
            if shots:
                top.grab().save(str(Path(shots) / (name + "-" + type(top).__name__ + ".png")))

def modal(key, prepare=None):
    def close_it():
        QTest.qWait(150)
        record(key)
        for top in QApplication.topLevelWidgets():
            if isinstance(top, (QDialog, QMessageBox)) and top.isVisible():
                top.reject()
    if prepare:
        prepare()
    after(200, close_it)
    w.actions[key].trigger()
    QTest.qWait(50)

QTest.qWait(200)
record("main")
first_code = next(c for c in w._codes.values() if c.codable)
w.codebook_panel.select_code(first_code.id)
some = w.controller.codings(w.current_document)[0]
for key in ("export", "properties", "edit_code", "merge_code", "split_code", "versions",
            "switch_coder", "about"):
    modal(key)
modal("code_picker", lambda: select_phrase(w, w.view.text.split()[4]))
modal("adjust_extent", lambda: w.codings_panel.select_ids([some.id]))
modal("edit_memo", lambda: w.codings_panel.select_ids([some.id]))
for extra in ("user_guide", "shortcut_reference"):
    if extra in w.actions:
        modal(extra)
from annotator.gui.agreement.agreement_actions import show_agreement, show_disagreements
agreement = show_agreement(w)
QTest.qWaitForWindowExposed(agreement, 3000)
QTest.qWait(300)
record("agreement")
agreement.close()
viewer = show_disagreements(w)
coders = sorted(w.controller.coders(), key=lambda c: c.name)
a, b = [c for c in coders if c.name.startswith("Sample")][:2]
docs = w.controller.documents()
longest = max(docs, key=lambda d: len(d.title))
viewer.set_filter(a.id, b.id, None, document_id=longest.id)
QTest.qWaitForWindowExposed(viewer, 3000)
QTest.qWait(300)
record("disagreements")
report(seen=seen, screen=available())
"""


@pytest.fixture(scope="module")
def geometry(xserver, tmp_path_factory):
    home = tmp_path_factory.mktemp("geometry-home")
    return xserver.run(SCRIPT, home=home, timeout=240)


def test_screen_is_the_laptop_size(geometry):
    assert geometry["screen"][2:] == [1366, 768]


def test_every_window_and_dialog_fits_the_available_screen(geometry):
    sx, sy, sw, sh = geometry["screen"]
    outside = {
        name: g["frame"]
        for name, g in geometry["seen"].items()
        if not (
            sx <= g["frame"][0]
            and sy <= g["frame"][1]
            and g["frame"][0] + g["frame"][2] <= sx + sw
            and g["frame"][1] + g["frame"][3] <= sy + sh
        )
    }
    assert not outside, outside
    names = " ".join(geometry["seen"])
    for expected in ("main:", "export:", "agreement:", "disagreements:", "code_picker:"):
        assert expected in names


def test_no_window_is_squeezed_below_its_minimum(geometry):
    squeezed = {
        name: (g["size"], g["min"])
        for name, g in geometry["seen"].items()
        if g["size"][0] < g["min"][0] or g["size"][1] < g["min"][1]
    }
    assert not squeezed, squeezed
