"""The Analysis menu's retrieval and search entries, one window of each per main window."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from annotator.gui.analysis.retrieval_view import RetrievalWindow
from annotator.gui.analysis.search_view import SearchWindow

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

_RETRIEVAL = "_retrieval_window"
_SEARCH = "_search_window"


def analysis_menu(w: MainWindow) -> QMenu:
    """The window's Analysis menu, made (before Help) if it does not exist yet.

    Every analysis feature adds its entries to this one menu.
    """
    menu = w.findChild(QMenu, "analysisMenu")  # recursive: under the bar or the window
    if menu is not None:
        return menu
    bar = w.menuBar()
    menu = QMenu("&Analysis", bar)
    menu.setObjectName("analysisMenu")
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    return menu


def install_retrieval_menu(w: MainWindow) -> None:
    """Add Analysis → Retrieve coded passages… and Search all documents… to ``w``."""
    menu = analysis_menu(w)
    for key, text, shortcut, slot in (
        ("retrieval", "&Retrieve coded passages…", "Ctrl+Shift+R", lambda: show_retrieval(w)),
        ("search_all", "&Search all documents…", "Ctrl+Shift+F", lambda: show_search(w)),
    ):
        act = QAction(text, w)
        act.setObjectName(key)
        act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        w.addAction(act)
        w.actions[key] = act


def _alive(w: MainWindow, attr: str):
    window = getattr(w, attr, None)
    # A window made for an earlier project (File → Open since) is not reused.
    if window is not None and window.property("controller_id") != id(w.controller):
        window.close()
        window.deleteLater()
        window = None
    return window


def show_retrieval(w: MainWindow) -> RetrievalWindow:
    """Open (or raise) the retrieval window."""
    window = _alive(w, _RETRIEVAL)
    if window is None:
        window = RetrievalWindow(lambda: w.controller, w)
        window.setProperty("controller_id", id(w.controller))
        window.passage_activated.connect(lambda d, s, e: open_passage(w, d, s, e))
        setattr(w, _RETRIEVAL, window)
    else:
        window.reload_choices()
    _present(window)
    return window


def show_search(w: MainWindow) -> SearchWindow:
    """Open (or raise) the search window."""
    window = _alive(w, _SEARCH)
    if window is None:
        window = SearchWindow(lambda: w.controller, w)
        window.setProperty("controller_id", id(w.controller))
        window.hit_activated.connect(lambda d, s, e: open_passage(w, d, s, e))
        setattr(w, _SEARCH, window)
    else:
        window.reload_choices()
    _present(window)
    return window


def open_passage(w: MainWindow, document_id: uuid.UUID, start: int, end: int) -> None:
    """Show ``[start, end)`` of a document in the main window's document view."""
    if w.current_document != document_id:
        w.open_document(document_id)
    w.view.select_span(start, end)
    w.activateWindow()  # the result window stays open beside it


def _present(window: QWidget) -> None:
    if window.isVisible():
        window.raise_()
        window.activateWindow()
    else:
        window.show()
