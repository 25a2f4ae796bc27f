"""Ctrl+F: find in the document, with every match highlighted and next/previous."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """A slim bar under the document: a query box, match count and next/previous."""

    query_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        prev_btn = QToolButton(self)
        prev_btn.setText("▲")
        prev_btn.setToolTip("Previous match (Shift+F3)")
        next_btn = QToolButton(self)
        next_btn.setText("▼")
        next_btn.setToolTip("Next match (F3 or Enter)")
        close_btn = QToolButton(self)
        close_btn.setText("✕")
        close_btn.setToolTip("Close (Esc)")
        self.edit.textChanged.connect(self.query_changed)
        self.edit.returnPressed.connect(self.next_requested)
        prev_btn.clicked.connect(self.previous_requested)
        next_btn.clicked.connect(self.next_requested)
        close_btn.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(prev_btn)
        layout.addWidget(next_btn)
        layout.addWidget(close_btn)
        # Esc closes the bar wherever the focus is in the window (the text, a panel), but
        # only while the bar is open, so Esc keeps its other meanings otherwise.
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), parent or self)
        self.escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self.escape.activated.connect(self.close_bar)
        self.escape.setEnabled(False)

    def showEvent(self, event: QShowEvent) -> None:
        """Esc closes the bar from now on."""
        self.escape.setEnabled(True)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Esc is free again."""
        self.escape.setEnabled(False)
        super().hideEvent(event)

    def open_bar(self) -> None:
        """Show and focus the bar."""
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and clear the highlights."""
        self.hide()
        self.closed.emit()
        self.count.setText("")

    def set_count(self, current: int, total: int) -> None:
        """Show "3 of 12" (or "no matches")."""
        if not self.edit.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no matches")
        else:
            self.count.setText(f"{current} of {total}")


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Case-insensitive matches of ``query`` in ``text`` as code-point spans."""
    if not query:
        return []
    hay, needle = text.casefold(), query.casefold()
    if len(hay) != len(text):  # casefold changed lengths (e.g. "ß"): fall back to lower()
        hay, needle = text.lower(), query.lower()
        if len(hay) != len(text):
            hay, needle = text, query
    out, pos = [], hay.find(needle)
    while pos >= 0 and needle:
        out.append((pos, pos + len(needle)))
        pos = hay.find(needle, pos + 1)
    return out
