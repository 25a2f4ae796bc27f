"""The document list: titles and coding counts, a filter box, and files dropped to import."""

from __future__ import annotations

import uuid
from dataclasses import replace
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.domain.model import DocumentSummary

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns of the document list."""

    TITLE = 0
    CODINGS = 1


class DocumentListModel(QAbstractTableModel):
    """Rows of :class:`DocumentSummary`."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DocumentSummary] = []

    def set_documents(self, rows: list[DocumentSummary]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def adjust_count(self, document_id: uuid.UUID, delta: int) -> None:
        """Change one document's coding count in place."""
        for i, row in enumerate(self._rows):
            if row.id == document_id:
                self._rows[i] = _with_count(row, row.coding_count + delta)
                idx = self.index(i, Column.CODINGS)
                self.dataChanged.emit(idx, idx)
                return

    def coding_count(self, document_id: uuid.UUID) -> int | None:
        """The visible codings of a listed document, or None when it is not listed."""
        row = self.row_of(document_id)
        return self._rows[row].coding_count if row >= 0 else None

    def row_of(self, document_id: uuid.UUID) -> int:
        """Row number of a document, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == document_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt API."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Document", "Codings")[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt API."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title if col is Column.TITLE else row.coding_count
        if role == Qt.ItemDataRole.ToolTipRole:
            meta = row.metadata
            bits = [row.title, meta.publisher or "", meta.date or "", f"{row.length:,} characters"]
            return "\n".join(b for b in bits if b)
        if role == Qt.ItemDataRole.TextAlignmentRole and col is Column.CODINGS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DOCUMENT_ID_ROLE:
            return row.id
        if role == FILTER_ROLE:
            meta = row.metadata
            values = [row.title, meta.author, meta.publisher, meta.date, *meta.attributes.values()]
            values += [f"{k}: {v}" for k, v in meta.attributes.items()]
            return " ".join(v for v in values if v)
        return None


def _with_count(row: DocumentSummary, count: int) -> DocumentSummary:
    return replace(row, coding_count=count)


class _DropTable(QTableView):
    files_dropped = Signal(list)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            super().dropEvent(event)


class DocumentListPanel(QWidget):
    """The document list with its filter box (title, publisher, date and attributes)."""

    document_selected = Signal(object)  # document id
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(FILTER_ROLE)
        self.proxy.setFilterKeyColumn(Column.TITLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter documents")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = _DropTable(self)
        self.table.setObjectName("documentTable")
        self.table.setModel(self.proxy)
        self.table.setAcceptDrops(True)
        self.table.viewport().setAcceptDrops(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.CODINGS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.files_dropped.connect(self.files_dropped)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def set_documents(self, rows: list[DocumentSummary], current: uuid.UUID | None) -> None:
        """Show ``rows``, keeping ``current`` selected without re-announcing it."""
        self.table.selectionModel().blockSignals(True)
        self.model.set_documents(rows)
        if current is not None:
            self.select(current, announce=False)
        self.table.selectionModel().blockSignals(False)

    def select(self, document_id: uuid.UUID, *, announce: bool = True) -> None:
        """Select ``document_id``'s row."""
        row = self.model.row_of(document_id)
        if row < 0:
            return
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if not announce:
            self.table.selectionModel().blockSignals(True)
        self.table.setCurrentIndex(idx)
        if not announce:
            self.table.selectionModel().blockSignals(False)

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        doc_id = current.data(DOCUMENT_ID_ROLE)
        if doc_id is not None:
            self.document_selected.emit(doc_id)
