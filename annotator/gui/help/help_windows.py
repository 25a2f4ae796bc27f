"""Help → User guide (an HTML file shipped with the app) and Help → Keyboard shortcuts.

The shortcut reference is generated from the window's actual actions, so it cannot drift
from what the keys do: every action with a key, its menu, and the code keys of the codebook.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.gui.screen_fit import fit_size
from annotator.services.resources import resource

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# Keys handled by a panel rather than a window action (see CodebookPanel, FindBar, picker).
PANEL_KEYS = (
    ("Codebook tree", "Del", "Delete the code"),
    ("Codebook tree", "Shift+Ins", "Add a child code"),
    ("Codebook tree", "Ctrl+Up / Ctrl+Down", "Move the code up / down"),
    ("Codebook tree", "Ctrl+Left / Ctrl+Right", "Move the code out of / into a parent"),
    ("Find bar", "Enter / Shift+F3", "Next / previous match"),
    ("Find bar", "Esc", "Close the find bar"),
    ("Ctrl+E picker", "Up / Down, Enter", "Move through the codes; code the selection"),
    ("Disagreements", "F8 / Shift+F8", "Next / previous disagreement"),
    ("Agreement, Disagreements", "Esc", "Close the window"),
)


class HelpDialog(QDialog):
    """A non-modal window showing HTML in a browser pane, with a Close button."""

    def __init__(self, title: str, page: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        fit_size(self, 760, 680)


def user_guide_html() -> str:
    """The user guide shipped in ``resources/help``."""
    return resource("help", "user-guide.html").read_text(encoding="utf-8")


def _menu_of(w: MainWindow) -> dict[QAction, str]:
    where: dict[QAction, str] = {}
    for top in w.menuBar().actions():
        menu = top.menu()
        if menu is None:
            continue
        for act in menu.actions():
            where.setdefault(act, top.text().replace("&", ""))
    return where


def shortcut_rows(w: MainWindow) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every keyboard shortcut of ``w``."""
    menus = _menu_of(w)
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for act in [*w.actions.values(), *w._code_shortcuts]:
        if id(act) in seen:
            continue
        seen.add(id(act))
        keys = [
            s.toString(QKeySequence.SequenceFormat.NativeText)
            for s in act.shortcuts()
            if not s.isEmpty()
        ]
        text = act.text().split("\t")[0].replace("&", "").rstrip("…").strip()
        if not keys:
            continue
        where = menus.get(act, "Codebook keys" if act in w._code_shortcuts else "Window")
        rows.append((where, " or ".join(dict.fromkeys(keys)), text))
    rows.extend(PANEL_KEYS)
    return rows


def shortcuts_html(w: MainWindow) -> str:
    """The shortcut reference as an HTML table."""
    body = "".join(
        f"<tr><td>{html.escape(where)}</td><td><b>{html.escape(keys)}</b></td>"
        f"<td>{html.escape(what)}</td></tr>"
        for where, keys, what in shortcut_rows(w)
    )
    return (
        "<h2>Keyboard shortcuts</h2><p>Generated from this window's actions.</p>"
        "<table cellspacing='0' cellpadding='4' border='1'>"
        "<tr><th>Where</th><th>Keys</th><th>What</th></tr>" + body + "</table>"
    )


def show_user_guide(w: MainWindow) -> HelpDialog:
    """Help → User guide."""
    return _show(w, "_user_guide", "annotator user guide", user_guide_html())


def show_shortcuts(w: MainWindow) -> HelpDialog:
    """Help → Keyboard shortcuts."""
    return _show(w, "_shortcut_reference", "Keyboard shortcuts", shortcuts_html(w))


def _show(w: MainWindow, attr: str, title: str, page: str) -> HelpDialog:
    dialog = getattr(w, attr, None)
    if dialog is None:
        dialog = HelpDialog(title, page, w)
        setattr(w, attr, dialog)
    else:
        dialog.browser.setHtml(page)
    dialog.show()
    dialog.raise_()
    return dialog


def close_on_escape(window: QWidget) -> QShortcut:
    """Esc closes ``window`` (a plain QWidget window has no such key by default)."""
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(window.close)
    return shortcut
