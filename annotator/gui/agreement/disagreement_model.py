"""A table model of one document's disagreements between two coders."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.domain.model import Coding
from annotator.services.adjudication import MEMO_PREFIX, DisagreementItem

_Index = QModelIndex | QPersistentModelIndex
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
QUOTE_CHARS = 80
SETTLED_COLOR = QColor("#dff0d8")


class Column(IntEnum):
    """Columns of the disagreement list."""

    NUMBER = 0
    KIND = 1
    POSITION = 2
    CODES = 3
    CODER_A = 4
    CODER_B = 5
    DECISION = 6


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def decision_text(item: DisagreementItem) -> str:
    """The first line of the decision's memo ("accepted ... Decided by ..."), or "open"."""
    if not item.decision:
        return "open"
    line = item.decision[0].memo.split("\n", 1)[0]
    return line.removeprefix(MEMO_PREFIX) if line.startswith(MEMO_PREFIX) else "settled"


class DisagreementModel(QAbstractTableModel):
    """Disagreements (boundary / code / missing), each with both coders' codings."""

    HEADERS = ("#", "Kind", "Position", "Codes", "Coder A", "Coder B", "Decision")

    def __init__(self) -> None:
        super().__init__()
        self._items: list[DisagreementItem] = []
        self._paths: Mapping[uuid.UUID, str] = {}
        self._names = ("Coder A", "Coder B")
        # Offset -> "p. 3, ¶ 12" for the listed document (set by the viewer).
        self.locate: Callable[[int], str] | None = None

    def set_items(
        self,
        items: Sequence[DisagreementItem],
        paths: Mapping[uuid.UUID, str],
        names: tuple[str, str],
    ) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._items = list(items)
        self._paths = paths
        self._names = names
        self.endResetModel()

    def item(self, row: int) -> DisagreementItem:
        """The disagreement at ``row``."""
        return self._items[row]

    def items(self) -> list[DisagreementItem]:
        """Every disagreement shown."""
        return list(self._items)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """One row per disagreement."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """See :class:`Column`."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles; the coder columns carry the coders' names."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == Column.CODER_A:
            return self._names[0]
        if section == Column.CODER_B:
            return self._names[1]
        return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None

    def _codings(self, codings: tuple[Coding, ...]) -> str:
        if not codings:
            return "(not coded)"
        return "\n".join(
            f"{self._paths.get(c.code_id, '?')} [{c.start}–{c.end}]: {_short(c.quote)}"
            for c in codings
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text of each column; settled rows tinted; the item itself under :data:`ITEM_ROLE`."""
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.BackgroundRole and item.settled:
            return QBrush(SETTLED_COLOR)
        if role == Qt.ItemDataRole.ForegroundRole and item.settled:
            return QBrush(QColor("#222222"))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == Column.NUMBER:
            return str(index.row() + 1)
        if col == Column.KIND:
            return item.kind
        if col == Column.POSITION:
            # Page and paragraph a reader can find; the offsets stay in the tooltip.
            where = self.locate(item.start) if self.locate is not None else ""
            if role == Qt.ItemDataRole.ToolTipRole or not where:
                return f"{where} (characters {item.start}–{item.end})".strip()
            return where
        if col == Column.CODES:
            return "; ".join(self._paths.get(c, "?") for c in item.code_ids)
        if col == Column.CODER_A:
            return self._codings(item.codings_a)
        if col == Column.CODER_B:
            return self._codings(item.codings_b)
        if col == Column.DECISION:
            return decision_text(item)
        return None
