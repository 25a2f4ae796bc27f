"""The codebook panel: the code tree with counts, a filter box and code actions.

The tree can be driven entirely from the keyboard: arrows move, F2 renames in place,
Insert adds a code beside the current one (Shift+Insert: inside it), Del deletes, and
Ctrl+arrows move the current code (up/down among its siblings, left out of its parent,
right into the code above). Dragging a code onto another makes it a child; dropping it
between two codes puts it there.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Code
from annotator.gui.codebook.codebook_model import CODE_ID_ROLE, CodebookModel, Column
from annotator.services.codings import CodeCounts

_CTRL_MOVES = {
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "out",
    Qt.Key.Key_Right: "in",
}


class CodebookPanel(QWidget):
    """Tree of codes; clicking a code while text is selected codes the selection."""

    code_clicked = Signal(object)  # code id
    current_code_changed = Signal(object)  # code id or None
    # Requests the window turns into undo commands. They are queued so that the tree has
    # finished its edit or drop before the codebook is reloaded under it.
    rename_requested = Signal(object, str)  # code id, new name
    move_requested = Signal(object, object, int)  # code id, new parent id or None, index
    step_requested = Signal(str)  # "up", "down", "out" or "in"
    delete_requested = Signal()
    add_requested = Signal(bool)  # True: inside the current code; False: beside it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CodebookModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        # The filter looks at names only; counts changing must not re-run it.
        self.proxy.setDynamicSortFilter(False)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter codes")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter)
        self.tree = QTreeView(self)
        self.tree.setObjectName("codebookTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # F2 (and the Rename action) edit in place; a click stays free for coding.
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        # DragDrop, not InternalMove: the model accepts only its own code-id format anyway,
        # and InternalMove would also refuse drags whose source is not this very view.
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.installEventFilter(self)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: ResizeToContents would re-measure every row on each count change,
        # which made applying one coding cost ~17 ms (see docs/performance.md).
        # Narrow count columns and indentation leave the names room (they were cut to
        # "Communities a..." at 1366x768); a name that still does not fit has a tooltip.
        metrics = self.fontMetrics()
        for col, sample in ((Column.HERE, "Here"), (Column.TOTAL, "0000"), (Column.KEY, "Key")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, metrics.horizontalAdvance(sample) + 8)
        self.tree.setIndentation(12)
        self.tree.clicked.connect(self._on_clicked)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        queued = Qt.ConnectionType.QueuedConnection
        self.model.rename_requested.connect(self.rename_requested, queued)
        self.model.move_requested.connect(self.move_requested, queued)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)

    def set_codes(self, codes: list[Code]) -> None:
        """Show a new codebook, keeping the current code and the expansion."""
        current = self.current_code()
        self.model.set_codes(codes)
        self.tree.expandAll()
        if current is not None:
            self.select_code(current.id)

    def set_counts(self, counts: dict[uuid.UUID, CodeCounts]) -> None:
        """Show new counts."""
        self.model.set_counts(counts)

    def current_code(self) -> Code | None:
        """The highlighted code, if any."""
        return self.model.code(self.proxy.mapToSource(self.tree.currentIndex()))

    def select_code(self, code_id: uuid.UUID) -> None:
        """Make ``code_id`` the current code."""
        idx = self.proxy.mapFromSource(self.model.index_of(code_id))
        if idx.isValid():
            self.tree.setCurrentIndex(idx)

    def start_rename(self) -> bool:
        """Open the in-place editor on the current code's name; False if it cannot."""
        index = self.tree.currentIndex()
        if not index.isValid() or not self.tree.isVisible():
            return False
        index = index.siblingAtColumn(Column.NAME)
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.tree.scrollTo(index)
        self.tree.edit(index)
        return self.tree.state() == QAbstractItemView.State.EditingState

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Take the tree's own keys (Del, Insert, Ctrl+arrows) while it has focus.

        Del is a window shortcut that removes the selected codings; in the tree it must
        delete the code instead, so the tree claims the key before the shortcut fires.
        """
        if obj is not self.tree or not isinstance(event, QKeyEvent):
            return super().eventFilter(obj, event)
        request = self._key_request(event)
        if request is None:
            return super().eventFilter(obj, event)
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes to the tree instead of a window shortcut
            return True
        if event.type() == QEvent.Type.KeyPress:
            request()
            return True
        return super().eventFilter(obj, event)

    def _key_request(self, event: QKeyEvent):
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        none = Qt.KeyboardModifier.NoModifier
        if key == Qt.Key.Key_Delete and mods == none:
            return self.delete_requested.emit
        if key == Qt.Key.Key_Insert and mods in (none, Qt.KeyboardModifier.ShiftModifier):
            inside = mods == Qt.KeyboardModifier.ShiftModifier
            return lambda: self.add_requested.emit(inside)
        if key in _CTRL_MOVES and mods == Qt.KeyboardModifier.ControlModifier:
            step = _CTRL_MOVES[Qt.Key(key)]
            return lambda: self.step_requested.emit(step)
        return None

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.tree.expandAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        code_id = index.data(CODE_ID_ROLE)
        if code_id is not None:
            self.code_clicked.emit(code_id)

    def _on_current(self, index: QModelIndex, _prev: QModelIndex) -> None:
        self.current_code_changed.emit(index.data(CODE_ID_ROLE) if index.isValid() else None)
