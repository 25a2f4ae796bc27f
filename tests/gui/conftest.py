"""GUI fixtures: a real main window on a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from annotator.gui.app import application, build_window
from annotator.gui.main_window import MainWindow
from annotator.services.project import create_sample_project
from annotator.services.settings import Settings, save_settings


def open_window(qtbot, path: Path, coder: str = "Tester") -> MainWindow:
    """Build the real main window on ``path`` as the app does, coding as ``coder``."""
    save_settings(Settings(coder_name=coder))
    application()
    window = build_window(path)
    assert window is not None
    window.confirm = lambda *_args: True  # modal questions cannot be clicked in a test
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def select_text(window: MainWindow, start_qt: int, end_qt: int) -> None:
    """Select like a user dragging with the mouse: a Qt cursor over UTF-16 positions."""
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(start_qt)
    cursor.setPosition(end_qt, QTextCursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)


def select_phrase(window: MainWindow, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Select a phrase of the current document; return its code-point span."""
    text = window.view.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    select_text(window, window.view.to_qt(start), window.view.to_qt(end))
    return start, end


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "sample.annotator"
    create_sample_project(path).close()
    return path


@pytest.fixture
def window(qtbot, sample_path: Path) -> MainWindow:
    return open_window(qtbot, sample_path)
