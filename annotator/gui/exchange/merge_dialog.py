"""Merge a code into another: choose the code that stays."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import code_path, subtree_ids, tree_order
from annotator.domain.model import Code
from annotator.gui.codebook.codebook_model import swatch
from annotator.gui.screen_fit import fit_size


class MergeDialog(QDialog):
    """Lists every code ``source`` may be merged into; :meth:`target_id` is the choice."""

    def __init__(
        self, source: Code, codes: list[Code], visible_codings: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Merge {source.name}")
        fit_size(self, 460, 440)
        by_id = {c.id: c for c in codes}
        inside = set(subtree_ids(source.id, codes))
        children = sum(1 for c in codes if c.parent_id == source.id)
        explain = QLabel(
            f"Merge <b>{_esc(code_path(source, by_id))}</b> into the code chosen below.<br>"
            f"Its {visible_codings} coding(s) you can see, and any by other coders, move to "
            "that code; where one coder coded the same passage with both codes, the two "
            f"codings become one. Its {children} sub-code(s) move too, then "
            f"'{_esc(source.name)}' is removed. Edit → Undo separates them again.",
            self,
        )
        explain.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to find a code")
        self.list = QListWidget(self)
        for code in tree_order(codes):
            if code.id in inside:
                continue  # a code cannot be merged into itself or its own sub-codes
            item = QListWidgetItem(swatch(code.color), code_path(code, by_id))
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            if not code.codable:
                item.setToolTip("A folder: only codes without codings can be merged into it.")
            self.list.addItem(item)
        self.filter.textChanged.connect(self._filter)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(not all(w in item.text().casefold() for w in words))

    def select(self, code_id: uuid.UUID) -> None:
        """Make ``code_id`` the chosen target."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == code_id:
                self.list.setCurrentRow(i)

    def target_id(self) -> uuid.UUID | None:
        """The chosen code."""
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")
