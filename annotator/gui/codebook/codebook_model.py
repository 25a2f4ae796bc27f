"""Qt tree model over the codebook's plain ``Code`` objects, with counts.

The model never changes the codebook itself: an inline rename or a drop only *asks* for
the change (``rename_requested``, ``move_requested``); the panel turns that into an undo
command, and the model is refilled from the committed codebook afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from annotator.domain.codebook import tree_order
from annotator.domain.model import Code
from annotator.gui.coding.highlight_style import swatch_border
from annotator.services.codings import CodeCounts

CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_MIME = "application/x-annotator-code-ids"
_Index = QModelIndex | QPersistentModelIndex
# Per coder: (name, codings in this document, codings in all documents).
Breakdown = Sequence[tuple[str, int, int]]


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

    rename_requested = Signal(object, str)  # code id, new name
    move_requested = Signal(object, object, int)  # code id, new parent id or None, index

    def __init__(self) -> None:
        super().__init__()
        self._codes: list[Code] = []
        self._row_of: dict[uuid.UUID, int] = {}
        self._children: dict[uuid.UUID | None, list[int]] = {}
        self._counts: Mapping[uuid.UUID, CodeCounts] = {}
        self._icons: dict[str, QIcon] = {}
        # Asked on hover only, so per-coder counts are always current and never stored.
        self.breakdown: Callable[[uuid.UUID], tuple[Breakdown, bool]] | None = None

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
        # Only rows whose numbers changed are announced: each dataChanged makes views and
        # the filter proxy re-read the row, and a coding action changes one code's counts.
        old, self._counts = self._counts, dict(counts)
        zero = CodeCounts(0, 0)
        for code in self._codes:
            if old.get(code.id, zero) != self._counts.get(code.id, zero):
                idx = self.index_of(code.id)
                self.dataChanged.emit(
                    idx.siblingAtColumn(Column.HERE),
                    idx.siblingAtColumn(Column.TOTAL),
                    [Qt.ItemDataRole.DisplayRole],
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
        """Qt API: names are editable in place; any code can be dragged and dropped onto."""
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # the empty area: move to the top level
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )
        if index.column() == Column.NAME:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Qt API: an inline rename asks for the change; the committed codebook follows."""
        code = self.code(index)
        if code is None or role != Qt.ItemDataRole.EditRole or index.column() != Column.NAME:
            return False
        name = str(value).strip()
        if name == code.name:
            return False
        self.rename_requested.emit(code.id, name)
        return True

    # -- drag and drop ------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        """Qt API."""
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Qt API."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Qt API."""
        return [CODE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Qt API: the dragged codes' ids, one per line."""
        ids: list[str] = []
        for index in indexes:
            code = self.code(index)
            if code is not None and str(code.id) not in ids:
                ids.append(str(code.id))
        data = QMimeData()
        data.setData(CODE_MIME, QByteArray("\n".join(ids).encode("ascii")))
        return data

    def _dragged(self, data: QMimeData) -> Code | None:
        if not data.hasFormat(CODE_MIME):
            return None
        lines = bytes(data.data(CODE_MIME).data()).decode("ascii").split()
        if len(lines) != 1:  # the tree drags one code at a time
            return None
        try:
            row = self._row_of.get(uuid.UUID(lines[0]))
        except ValueError:
            return None
        return self._codes[row] if row is not None else None

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        """Qt API: any code may be dropped anywhere but on itself.

        A drop into one of its own sub-codes is let through on purpose: the codebook
        service refuses it with a message saying why, rather than a silent no-entry sign.
        """
        code = self._dragged(data)
        if code is None or action != Qt.DropAction.MoveAction:
            return False
        target = self.code(parent)
        return target is None or target.id != code.id

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        """Qt API: ask for the move the drop means.

        Dropped *on* a code it becomes that code's last child; dropped *between* codes it
        takes that place among them.
        """
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        code = self._dragged(data)
        assert code is not None
        target = self.code(parent)
        parent_id = target.id if target else None
        siblings = [self._codes[i].id for i in self._children.get(parent_id, [])]
        if row < 0 or row > len(siblings):
            row = len(siblings)
        if code.id in siblings and siblings.index(code.id) < row:
            row -= 1  # the list closes up where the code was taken out
        if code.id in siblings and siblings.index(code.id) == row:
            return False  # dropped where it already is
        self.move_requested.emit(code.id, parent_id, row)
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt API."""
        if not index.isValid():
            return None
        code = self._codes[index.internalId()]
        col = Column(index.column())
        counts = self._counts.get(code.id, CodeCounts(0, 0))
        if role == Qt.ItemDataRole.EditRole and col is Column.NAME:
            return code.name
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
            if col in (Column.HERE, Column.TOTAL) and code.codable and self.breakdown:
                return _count_tooltip(code, *self.breakdown(code.id))
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
    esc = _esc
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


def _count_tooltip(code: Code, rows: Breakdown, blind: bool) -> str:
    lines = [f"<b>{_esc(code.name)}</b>: codings by coder (this document / all)"]
    lines += [f"{_esc(name)}: {here} / {total}" for name, here, total in rows]
    if not rows:
        lines.append("<i>No visible codings.</i>")
    if blind:
        lines.append("<i>Blind mode: other coders' counts are hidden.</i>")
    return "<br>".join(lines)


def _esc(t: str) -> str:
    return t.replace("&", "&amp;").replace("<", "&lt;")
