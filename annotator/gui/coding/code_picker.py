"""Ctrl+E: a type-ahead list of codes; Enter codes the selection with the chosen one."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.domain.codebook import code_path, tree_order
from annotator.domain.model import Code
from annotator.gui.codebook.codebook_model import swatch


class CodePicker(QDialog):
    """Filter codable codes by any part of their path; arrows move, Enter chooses."""

    def __init__(self, codes: list[Code], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code selection as…")
        by_id = {c.id: c for c in codes}
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Type to find a code")
        self.list = QListWidget(self)
        for code in tree_order(codes):
            if not code.codable:
                continue
            item = QListWidgetItem(swatch(code.color), code_path(code, by_id))
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            item.setToolTip(code.definition)
            self.list.addItem(item)
        self.edit.textChanged.connect(self._filter)
        self.edit.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        # Focus stays in the filter box (arrows are forwarded to the list), so Enter
        # arrives there: it chooses the current code.
        self.edit.returnPressed.connect(self._choose)
        # Whole paths, no sideways scrolling: as wide as the longest path (within the
        # screen); anything still too long is elided in the middle, with a tooltip.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        self._filter("")
        self._size_to_contents()

    def _size_to_contents(self) -> None:
        metrics = self.list.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.list.item(i).text()) for i in range(self.list.count())),
            default=300,
        )
        width = widest + self.list.iconSize().width() + 80  # icon, scrollbar, margins
        screen = (self.parentWidget() or self).screen().availableGeometry()
        self.resize(max(420, min(width, screen.width() - 40)), min(420, screen.height() - 80))

    def _choose(self) -> None:
        if self.chosen() is not None:
            self.accept()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = item.text().casefold()
            hidden = not all(w in hay for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Up/Down in the filter box move through the list."""
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._step(1 if key == Qt.Key.Key_Down else -1)
                return True
        return super().eventFilter(obj, event)

    def _step(self, delta: int) -> None:
        rows = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        pos = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, pos + delta))])

    def chosen(self) -> uuid.UUID | None:
        """The chosen code's id."""
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)
