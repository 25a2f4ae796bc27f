"""The codings list of the current document: code, coder, quoted text and memo."""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections.abc import Mapping
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from annotator.domain.model import Code, Coder, Coding
from annotator.gui import tooltips
from annotator.gui.codebook.codebook_model import swatch

CODING_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
QUOTE_CHARS = 160


class Column(IntEnum):
    """Columns of the codings list."""

    CODE = 0
    CODER = 1
    TEXT = 2
    MEMO = 3


def _key(c: Coding) -> tuple[int, int, str]:
    return (c.start, c.end, str(c.id))


class CodingsModel(QAbstractTableModel):
    """The current document's visible codings, ordered by position."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Coding] = []
        self._keys: list[tuple[int, int, str]] = []
        self._codes: Mapping[uuid.UUID, Code] = {}
        self._coders: Mapping[uuid.UUID, Coder] = {}
        self._icons: dict[str, QIcon] = {}

    def set_codings(
        self,
        codings: list[Coding],
        codes: Mapping[uuid.UUID, Code],
        coders: Mapping[uuid.UUID, Coder],
    ) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = sorted(codings, key=_key)
        self._keys = [_key(c) for c in self._rows]
        self._codes, self._coders = codes, coders
        self.endResetModel()

    def set_names(self, codes: Mapping[uuid.UUID, Code], coders: Mapping[uuid.UUID, Coder]) -> None:
        """New code and coder names or colours."""
        self._codes, self._coders = codes, coders
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(Column) - 1)
            )

    def insert(self, coding: Coding) -> None:
        """Add one row at its place."""
        key = _key(coding)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, coding)
        self._keys.insert(row, key)
        self.endInsertRows()

    def remove(self, coding_id: uuid.UUID) -> None:
        """Drop one row, if shown."""
        row = self.row_of(coding_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._keys[row]
            self.endRemoveRows()

    def row_of(self, coding_id: uuid.UUID) -> int:
        """Row of a coding, or -1."""
        return next((i for i, c in enumerate(self._rows) if c.id == coding_id), -1)

    def coding(self, row: int) -> Coding:
        """The coding shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt API."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Code", "Coder", "Text", "Memo")[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt API."""
        if not index.isValid():
            return None
        c = self._rows[index.row()]
        col = Column(index.column())
        code = self._codes.get(c.code_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Column.CODE:
                return code.name if code else "(deleted code)"
            if col is Column.CODER:
                coder = self._coders.get(c.coder_id)
                return coder.name if coder else "?"
            if col is Column.TEXT:
                q = " ".join(c.quote.split())
                return q if len(q) <= QUOTE_CHARS else q[: QUOTE_CHARS - 1] + "…"
            return c.memo
        if role == Qt.ItemDataRole.ToolTipRole and col in (Column.TEXT, Column.MEMO):
            return tooltips.paragraph(c.quote if col is Column.TEXT else c.memo)
        if role == Qt.ItemDataRole.DecorationRole and col is Column.CODE and code:
            if code.color not in self._icons:
                self._icons[code.color] = swatch(code.color)
            return self._icons[code.color]
        if role == CODING_ID_ROLE:
            return c.id
        return None


class CodingsPanel(QWidget):
    """The codings list; selecting rows shows those codings in the document."""

    codings_activated = Signal(list)  # coding ids chosen by the user (scroll to the first)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CodingsModel()
        self.table = QTableView(self)
        self.table.setObjectName("codingsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.CODER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.MEMO, QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(lambda _idx: self.codings_activated.emit(self.selected_ids()))
        self.table.activated.connect(lambda _idx: self.codings_activated.emit(self.selected_ids()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)

    def selected_ids(self) -> list[uuid.UUID]:
        """Codings selected in the list, by position."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.coding(r).id for r in rows]

    def selected_codings(self) -> list[Coding]:
        """The selected codings themselves."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.coding(r) for r in rows]

    def select_ids(self, ids: list[uuid.UUID]) -> None:
        """Select these codings' rows (e.g. after a click on a highlight)."""
        selection = QItemSelection()
        for cid in ids:
            row = self.model.row_of(cid)
            if row >= 0:
                selection.select(self.model.index(row, 0), self.model.index(row, len(Column) - 1))
        sm = self.table.selectionModel()
        sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if not selection.isEmpty():
            self.table.scrollTo(selection.indexes()[0])
