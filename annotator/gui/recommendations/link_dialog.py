"""*Link to...*: choose the other coding by searching all codings, the link type and status.

Typing filters the codings by document, code and text (every word must occur); Enter
links to the selected row. A link type that is not in the list (typed into the editable
type box) is added to the project's types. The status applies to *response to* links.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.links import RESPONSE_TO, LinkEnd

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Document", "Code", "Passage")


class EndsModel(QAbstractTableModel):
    """Codings to choose from, filtered by words."""

    def __init__(self, ends: list[LinkEnd]) -> None:
        super().__init__()
        self.all = ends
        self._hay = [f"{e.document_title}\n{e.code_name}\n{e.quote}".lower() for e in ends]
        self.shown: list[int] = list(range(len(ends)))

    def set_filter(self, text: str) -> None:
        """Keep the codings containing every word of ``text``."""
        words = text.lower().split()
        self.beginResetModel()
        self.shown = [i for i, h in enumerate(self._hay) if all(w in h for w in words)]
        self.endResetModel()

    def end(self, row: int) -> LinkEnd:
        """The coding shown at ``row``."""
        return self.all[self.shown[row]]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of codings shown."""
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt: cell text."""
        e = self.end(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return (e.document_title, e.code_name, " ".join(e.quote.split())[:300])[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return e.quote[:1000]
        return None


class LinkDialog(QDialog):
    """Choose the other end, type and status of a new link from ``source``."""

    def __init__(
        self,
        source: LinkEnd,
        ends: list[LinkEnd],
        link_types: list[str],
        statuses: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link to…")
        self.resize(760, 520)
        self.source = source
        self.model = EndsModel([e for e in ends if e.coding_id != source.coding_id])
        quote = " ".join(source.quote.split())
        about = QLabel(
            f"From <b>{source.code_name}</b> in <i>{source.document_title}</i>: "
            f"“{quote[:160]}{'…' if len(quote) > 160 else ''}”",
            self,
        )
        about.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search codings: document, code or words of the passage")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.table = QTableView(self)
        self.table.setObjectName("linkTargets")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 180)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.type_box = QComboBox(self)
        self.type_box.setEditable(True)
        self.type_box.addItems(link_types)
        self.type_box.currentTextChanged.connect(self._type_changed)
        self.status_box = QComboBox(self)
        self.status_box.addItems(statuses)
        self.reverse = QCheckBox("The chosen coding is the source (it links to this one)", self)
        form = QFormLayout()
        form.addRow("Link type:", self.type_box)
        form.addRow("Status:", self.status_box)
        form.addRow("", self.reverse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._type_changed(self.type_box.currentText())
        self._select_first()
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.model.rowCount() > 0
        )

    def _type_changed(self, text: str) -> None:
        self.status_box.setEnabled(text.strip() == RESPONSE_TO)

    def keyPressEvent(self, event) -> None:
        """Up and Down in the search box move through the list."""
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.search.hasFocus():
            row = self.table.currentIndex().row() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.model.rowCount():
                self.table.selectRow(row)
            return
        super().keyPressEvent(event)

    def chosen(self) -> tuple[uuid.UUID, uuid.UUID, str, str | None] | None:
        """(source id, target id, type, status) of the link to make, or None."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        other = self.model.end(index.row()).coding_id
        link_type = self.type_box.currentText().strip()
        status = self.status_box.currentText() if link_type == RESPONSE_TO else None
        if self.reverse.isChecked():
            return other, self.source.coding_id, link_type, status
        return self.source.coding_id, other, link_type, status
