"""Qt table models over retrieval passages and keyword-in-context lines (plain data in)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from annotator.services.retrieval import Passage, PassageRef
from annotator.services.text_search import SearchHit, sort_kwic

_Index = QModelIndex | QPersistentModelIndex
PAGE = 50
"""Passages whose text is read at a time, as the table scrolls (bench/analysis_bench.py
times this first page)."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


class PassageModel(QAbstractTableModel):
    """Retrieved passages; texts are read a page at a time (``fetchMore``), so a result of
    10,000 passages shows its first rows at once."""

    HEADERS = ("Document", "Page", "Section", "Codes", "Coders", "Passage in context", "Memo")

    def __init__(self, load: Callable[[Sequence[PassageRef]], list[Passage]]) -> None:
        super().__init__()
        self._load = load
        self.refs: list[PassageRef] = []
        self.passages: list[Passage] = []

    def set_refs(self, refs: Sequence[PassageRef]) -> None:
        """Show a new result (only its first page is read now)."""
        self.beginResetModel()
        self.refs = list(refs)
        self.passages = self._load(self.refs[:PAGE]) if self.refs else []
        self.endResetModel()

    def load_all(self) -> None:
        """Read every passage's text (before sorting or exporting)."""
        self.fetchMore(QModelIndex(), everything=True)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        """More passages than rows so far."""
        return not parent.isValid() and len(self.passages) < len(self.refs)

    def fetchMore(self, parent: _Index = QModelIndex(), everything: bool = False) -> None:
        """Read the next page of passages."""
        if parent.isValid() or len(self.passages) >= len(self.refs):
            return
        first = len(self.passages)
        last = len(self.refs) if everything else min(len(self.refs), first + PAGE)
        more = self._load(self.refs[first:last])
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self.passages.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Rows read so far."""
        return 0 if parent.isValid() else len(self.passages)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """One column per header."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Column names."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _value(self, p: Passage, column: int) -> str:
        if column == 0:
            return p.document_title
        if column == 1:
            return p.page or ""
        if column == 2:
            return p.section or ""
        if column == 3:
            return "; ".join(p.codes)
        if column == 4:
            return "; ".join(p.coders)
        if column == 5:
            return _one_line(f"{p.context_before}[{p.text}]{p.context_after}")
        return "; ".join(p.memos)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; the tooltip of the passage column is the passage in full."""
        if not index.isValid():
            return None
        p = self.passages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._value(p, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return p.text
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by any column (reads every passage first; not when that was cancelled)."""
        self.load_all()
        if len(self.passages) < len(self.refs):
            return
        self.layoutAboutToBeChanged.emit()
        if column == 0:
            key = lambda p: (p.document_title.casefold(), p.start)  # noqa: E731
        elif column == 5:
            key = lambda p: p.text.casefold()  # noqa: E731
        else:
            key = lambda p: self._value(p, column).casefold()  # noqa: E731
        pairs = sorted(
            zip(self.passages, self.refs, strict=True),
            key=lambda pr: key(pr[0]),
            reverse=order is Qt.SortOrder.DescendingOrder,
        )
        self.passages = [p for p, _ in pairs]
        self.refs = [r for _, r in pairs]
        self.layoutChanged.emit()


class KwicModel(QAbstractTableModel):
    """Keyword-in-context lines: document, left context, hit, right context."""

    HEADERS = ("Document", "Left", "Hit", "Right")

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        """Show these lines."""
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """One row per hit."""
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Four columns."""
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Column names."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The left context right-aligned against the hit, the hit in bold."""
        if not index.isValid():
            return None
        h, column = self.hits[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (h.document_title, h.line.left, h.line.hit, h.line.right)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 2:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and column == 2:
            return self._bold
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by document, left context (nearest word first), hit or right context."""
        self.layoutAboutToBeChanged.emit()
        if column == 0:
            hits = sorted(self.hits, key=lambda h: (h.document_title.casefold(), h.start))
        else:
            hits = sort_kwic(self.hits, ("left", "hit", "right")[column - 1])
        if order is Qt.SortOrder.DescendingOrder:
            hits.reverse()
        self.hits = hits
        self.layoutChanged.emit()


class ElideLeftDelegate(QStyledItemDelegate):
    """Cuts long text on its left, so a left context keeps the words next to the hit."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        """Elide on the left."""
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft
