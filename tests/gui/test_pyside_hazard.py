"""Regression guard: PySide6 6.12.0 on CPython 3.11 aborts after thousands of void Qt calls."""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(100_000):
    label.setText("x")
print("survived")
"""


def test_one_hundred_thousand_void_calls_do_not_kill_the_process():
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "survived" in result.stdout
