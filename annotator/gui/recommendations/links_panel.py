"""The Links panel: the links of the selected coding, both ways, with their statuses.

Double-click (or Enter) on a row goes to the other end; the status column is edited in
place (a combo box of the project's statuses); Del removes the selected links. Every
change is an undo command.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.links import RESPONSE_TO, LinkEnd, LinkView

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Link", "Status", "Document", "Passage")
STATUS_COLUMN = 1


class LinksModel(QAbstractTableModel):
    """Rows of :class:`LinkView` (plain data)."""

    def __init__(self) -> None:
        super().__init__()
        self.views: list[LinkView] = []

    def set_views(self, views: list[LinkView]) -> None:
        """Show these links."""
        self.beginResetModel()
        self.views = list(views)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of links."""
        return 0 if parent.isValid() else len(self.views)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Qt: the status of a response link is editable."""
        base = super().flags(index)
        view = self.views[index.row()]
        if index.column() == STATUS_COLUMN and view.link.link_type == RESPONSE_TO:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt: cell text and tooltips."""
        view = self.views[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            column = index.column()
            if column == 0:
                return view.label
            if column == 1:
                return view.link.status or ""
            if column == 2:
                return view.other.document_title
            return " ".join(view.other.quote.split())[:200]
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.other.quote[:1000]
        return None


class StatusDelegate(QStyledItemDelegate):
    """Edits a status with a combo box of the project's statuses."""

    def __init__(self, statuses: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._statuses = statuses

    def createEditor(self, parent: QWidget, option, index: _Index) -> QWidget:
        """Qt: a combo box."""
        combo = QComboBox(parent)
        combo.addItems(self._statuses())
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Qt: preselect the current status."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model, index: _Index) -> None:
        """Qt: hand the choice to the panel (which makes an undo command)."""
        assert isinstance(editor, QComboBox)
        panel = self.parent()
        if isinstance(panel, LinksPanel):
            panel.status_chosen.emit(index.row(), editor.currentText())


class LinksPanel(QWidget):
    """Links of one coding; asks the window to navigate, relink or change statuses."""

    end_activated = Signal(object)  # LinkEnd: go to the other end
    status_chosen = Signal(int, str)  # row, new status
    remove_requested = Signal(list)  # LinkViews to remove
    link_requested = Signal()  # "Link to..." for the current coding

    def __init__(self, statuses: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.coding_id: uuid.UUID | None = None
        self.model = LinksModel()
        self.caption = QLabel("Select a coding to see its links.", self)
        self.caption.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("linksTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(statuses, self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Double-click goes to the other end; a click on a selected status (or F2) edits it.
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        self.link_button = QPushButton("Link to…", self)
        self.link_button.clicked.connect(self.link_requested.emit)
        self.go_button = QPushButton("Go to", self)
        self.go_button.clicked.connect(lambda: self._activate(self.table.currentIndex()))
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self._remove)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self._remove)
        buttons = QHBoxLayout()
        for b in (self.link_button, self.go_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_links(self, coding_id: uuid.UUID | None, views: list[LinkView], caption: str) -> None:
        """Show ``views``, the links of ``coding_id``."""
        self.coding_id = coding_id
        self.model.set_views(views)
        self.caption.setText(caption)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.coding_id is not None
        self.link_button.setEnabled(has)
        self.go_button.setEnabled(bool(self.model.views))
        self.remove_button.setEnabled(bool(self.model.views))

    def _activate(self, index: _Index) -> None:
        if index.isValid():
            end: LinkEnd = self.model.views[index.row()].other
            self.end_activated.emit(end)

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        if rows:
            self.remove_requested.emit([self.model.views[r] for r in rows])
