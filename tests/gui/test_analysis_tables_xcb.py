"""Under a real X server (Xvfb, Qt's xcb platform): the analysis windows fit a 1366x768
screen, and Delete in the attribute table clears cells instead of triggering the main
window's Delete (remove codings). Offscreen hides both; skipped when Xvfb is absent."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = r"""
import json, sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from annotator.gui.app import application, build_window
from annotator.services.project import create_sample_project
from annotator.services.settings import Settings, save_settings

path = Path(sys.argv[1])
create_sample_project(path).close()
save_settings(Settings(coder_name="Tester"))
app = application()
window = build_window(path)
window.show()
QTest.qWaitForWindowExposed(window)
out = {"platform": app.platformName()}
for key in ("matrices", "memos", "cases"):
    window.actions[key].trigger()
sizes = {}
for name in ("_matrix_window", "_memos_window", "_cases_window"):
    w = getattr(window, name)
    QTest.qWaitForWindowExposed(w)
    frame = w.frameGeometry()
    sizes[name] = [frame.width(), frame.height()]
out["sizes"] = sizes
cases = window._cases_window
cases.activateWindow()
cases.raise_()
QTest.qWait(300)
project = window.controller.project
before = len(project.codings.all())
column = cases.columns.index("author")
first = cases.cases[0].id
cases.table.setFocus()
cases.table.setCurrentCell(0, column)
QTest.keyClick(cases.table, Qt.Key.Key_Delete)
app.processEvents()
out["author"] = next(c for c in project.cases.cases() if c.id == first).author
out["codings_before"], out["codings_after"] = before, len(project.codings.all())
print(json.dumps(out))
window.close()
"""


def _free_display() -> int:
    for number in range(90, 140):
        if not Path(f"/tmp/.X{number}-lock").exists():
            return number
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    number = _free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_windows_fit_and_delete_stays_in_the_attribute_table(xvfb, tmp_path):
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    script = tmp_path / "drive.py"
    script.write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "p.annotator")],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    if done.returncode != 0 and "platform plugin" in done.stderr:
        pytest.skip("Qt's xcb platform cannot load here (libxcb-* packages missing)")
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["platform"] == "xcb"
    for width, height in out["sizes"].values():
        assert width <= 1366 and height <= 768
    assert out["author"] is None
    assert out["codings_before"] == out["codings_after"] > 0
