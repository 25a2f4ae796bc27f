"""The Analysis menu entries of issue 11 part B: Matrices, Memos, Documents as cases.

Installed by one call from the main window; the "Analysis" menu is shared with the
retrieval and search entries (:func:`.analysis_actions.analysis_menu` finds or makes it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from annotator.gui.analysis.analysis_actions import analysis_menu

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def install_tables_menu(w: MainWindow) -> None:
    """Add Analysis → Matrices…, Memos…, Documents as cases… to ``w``."""
    menu = analysis_menu(w)
    for key, text, slot in (
        ("matrices", "&Matrices and charts…", lambda: show_matrices(w)),
        ("memos", "M&emos…", lambda: show_memos(w)),
        ("cases", "&Documents as cases (groups, attributes)…", lambda: show_cases(w)),
    ):
        act = QAction(text, w)
        act.setObjectName(key)
        act.triggered.connect(slot)
        menu.addAction(act)
        w.addAction(act)
        w.actions[key] = act


def _window(w: MainWindow, attr: str, make) -> QWidget:
    window = getattr(w, attr, None)
    if window is not None and window.property("controller_id") != id(w.controller):
        window.close()
        window.deleteLater()
        window = None
    if window is None:
        window = make(w)
        window.setProperty("controller_id", id(w.controller))
        setattr(w, attr, window)
    if window.isVisible():
        window.raise_()  # already open: bring it forward rather than open a second one
        window.activateWindow()
    else:
        window.show()
    return window


def show_matrices(w: MainWindow):
    """Open (or raise) the Matrices window."""
    from annotator.gui.analysis.matrix_view import MatrixWindow

    return _window(w, "_matrix_window", MatrixWindow)


def show_memos(w: MainWindow):
    """Open (or raise) the Memos window."""
    from annotator.gui.analysis.memos_view import MemosWindow

    return _window(w, "_memos_window", MemosWindow)


def show_cases(w: MainWindow):
    """Open (or raise) the Documents as cases window."""
    from annotator.gui.project.cases_window import CasesWindow

    return _window(w, "_cases_window", CasesWindow)
