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
        self.resize(420, 360)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        self._filter("")

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
