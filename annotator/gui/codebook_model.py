"""Qt tree model over the codebook's plain ``Code`` objects, with counts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import IntEnum

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from annotator.domain.codebook import tree_order
from annotator.domain.model import Code
from annotator.gui.highlight_style import swatch_border
from annotator.services.codings import CodeCounts

CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns of the codebook tree."""

    NAME = 0
    HERE = 1
    TOTAL = 2
    KEY = 3


HEADERS = {Column.NAME: "Code", Column.HERE: "Here", Column.TOTAL: "All", Column.KEY: "Key"}


def swatch(color: str, size: int = 12) -> QIcon:
    """A small square of ``color`` with a darker edge."""
    pix = QPixmap(size, size)
    pix.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pix)
    painter.setBrush(QColor(color))
    painter.setPen(swatch_border(color))
    painter.drawRoundedRect(0, 0, size - 1, size - 1, 2, 2)
    painter.end()
    return QIcon(pix)


class CodebookModel(QAbstractItemModel):
    """Codes as a tree; each index's internal id is a row number into ``_codes``."""

    def __init__(self) -> None:
        super().__init__()
        self._codes: list[Code] = []
        self._row_of: dict[uuid.UUID, int] = {}
        self._children: dict[uuid.UUID | None, list[int]] = {}
        self._counts: Mapping[uuid.UUID, CodeCounts] = {}
        self._icons: dict[str, QIcon] = {}

    def set_codes(self, codes: list[Code]) -> None:
        """Replace the whole codebook."""
        self.beginResetModel()
        self._codes = tree_order(codes)
        self._row_of = {c.id: i for i, c in enumerate(self._codes)}
        self._children = {}
        for i, c in enumerate(self._codes):
            parent = c.parent_id if c.parent_id in self._row_of else None
            self._children.setdefault(parent, []).append(i)
        self.endResetModel()

    def set_counts(self, counts: Mapping[uuid.UUID, CodeCounts]) -> None:
        """Update the count columns without rebuilding the tree."""
        self._counts = counts
        for code in self._codes:
            idx = self.index_of(code.id)
            self.dataChanged.emit(
                idx.siblingAtColumn(Column.HERE), idx.siblingAtColumn(Column.TOTAL)
            )

    def codes(self) -> list[Code]:
        """Codes in display order."""
        return list(self._codes)

    def code(self, index: _Index) -> Code | None:
        """The code at ``index``."""
        return self._codes[index.internalId()] if index.isValid() else None

    def index_of(self, code_id: uuid.UUID, column: int = 0) -> QModelIndex:
        """The index showing ``code_id``."""
        row = self._row_of.get(code_id)
        if row is None:
            return QModelIndex()
        code = self._codes[row]
        siblings = self._children[code.parent_id if code.parent_id in self._row_of else None]
        return self.createIndex(siblings.index(row), column, row)

    # -- QAbstractItemModel -----------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:
        """Qt API."""
        key = self._codes[parent.internalId()].id if parent.isValid() else None
        rows = self._children.get(key, [])
        if not (0 <= row < len(rows)) or not (0 <= column < len(Column)):
            return QModelIndex()
        return self.createIndex(row, column, rows[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        """Qt API."""
        if not index.isValid():
            return QModelIndex()
        code = self._codes[index.internalId()]
        if code.parent_id is None or code.parent_id not in self._row_of:
            return QModelIndex()
        return self.index_of(code.parent_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        if parent.isValid() and parent.column() != 0:
            return 0
        key = self._codes[parent.internalId()].id if parent.isValid() else None
        return len(self._children.get(key, []))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt API."""
        return len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt API."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Qt API."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt API."""
        if not index.isValid():
            return None
        code = self._codes[index.internalId()]
        col = Column(index.column())
        counts = self._counts.get(code.id, CodeCounts(0, 0))
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Column.NAME:
                return code.name
            if col is Column.HERE:
                return counts.in_document if code.codable else ""
            if col is Column.TOTAL:
                return counts.total if code.codable else ""
            return code.shortcut or ""
        if role == Qt.ItemDataRole.DecorationRole and col is Column.NAME:
            if code.color not in self._icons:
                self._icons[code.color] = swatch(code.color)
            return self._icons[code.color]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(code)
        if role == Qt.ItemDataRole.TextAlignmentRole and col is not Column.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and not code.codable:
            font = QFont()
            font.setItalic(True)
            return font
        if role == CODE_ID_ROLE:
            return code.id
        return None


def _tooltip(code: Code) -> str:
    def esc(t: str) -> str:
        return t.replace("&", "&amp;").replace("<", "&lt;")

    parts = [f"<b>{esc(code.name)}</b> <i>({esc(code.kind)})</i>"]
    if not code.codable:
        parts.append("<i>A folder: code with one of the codes inside it.</i>")
    for label, value in (
        ("Definition", code.definition),
        ("Use when", code.inclusion),
        ("Do not use when", code.exclusion),
        ("Example", code.example_typical),
    ):
        if value:
            parts.append(f"<b>{label}:</b> {esc(value)}")
    return "<p style='white-space:pre-wrap; max-width:420px'>" + "<br>".join(parts) + "</p>"
