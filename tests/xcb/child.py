"""Helpers for the scripts ``tests/xcb`` runs in a child process on the xcb platform."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication, QWidget

from annotator.gui.app import application, build_window
from annotator.gui.main_window import MainWindow
from annotator.services.project import create_sample_project
from annotator.services.settings import Settings, save_settings


def open_sample(folder: Path, coder: str = "Tester") -> MainWindow:
    """The real main window on a fresh sample project, shown and exposed."""
    save_settings(Settings(coder_name=coder))
    application()
    path = folder / "sample.annotator"
    if not path.exists():
        create_sample_project(path).close()
    window = build_window(path)
    assert window is not None
    window.confirm = lambda *_args: True
    window.show()
    wait_exposed(window)
    return window


def wait_exposed(widget: QWidget, ms: int = 5000) -> None:
    """Wait until ``widget`` is exposed and active (xcb maps windows asynchronously)."""
    from PySide6.QtTest import QTest

    QTest.qWaitForWindowExposed(widget, ms)
    # No window manager gives focus on Xvfb: take it, or window shortcuts never fire.
    widget.activateWindow()
    widget.raise_()
    QTest.qWaitForWindowActive(widget, ms)
    QTest.qWait(50)


def select_phrase(window: MainWindow, phrase: str) -> tuple[int, int]:
    """Select a phrase of the current document like a user would."""
    start = window.view.text.index(phrase)
    end = start + len(phrase)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.to_qt(start))
    cursor.setPosition(window.view.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    return start, end


def available() -> tuple[int, int, int, int]:
    """The primary screen's available geometry as (x, y, width, height)."""
    g = QGuiApplication.primaryScreen().availableGeometry()
    return g.x(), g.y(), g.width(), g.height()


def frame(widget: QWidget) -> tuple[int, int, int, int]:
    """A top-level widget's geometry (x, y, width, height)."""
    g = widget.frameGeometry()
    return g.x(), g.y(), g.width(), g.height()


def after(ms: int, fn) -> None:
    """Run ``fn`` once the event loop has run for ``ms`` (for modal dialogs)."""
    QTimer.singleShot(ms, fn)


def report(**data) -> None:
    """Print the result for the parent test as one JSON line, and leave."""
    print(json.dumps(data, default=str), flush=True)
    app = QApplication.instance()
    if app is not None:
        for w in QApplication.topLevelWidgets():
            # A popup (a tooltip, a combo box's list) may be gone by now: skip it.
            with contextlib.suppress(RuntimeError):
                w.close()
    sys.stdout.flush()
