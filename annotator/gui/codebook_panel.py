"""The codebook panel: the code tree with counts, a filter box and code actions."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from annotator.domain.model import Code
from annotator.gui.codebook_model import CODE_ID_ROLE, CodebookModel, Column
from annotator.services.codings import CodeCounts


class CodebookPanel(QWidget):
    """Tree of codes; clicking a code while text is selected codes the selection."""

    code_clicked = Signal(object)  # code id
    current_code_changed = Signal(object)  # code id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CodebookModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
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
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for col in (Column.HERE, Column.TOTAL, Column.KEY):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.clicked.connect(self._on_clicked)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
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

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.tree.expandAll()

    def _on_clicked(self, index: QModelIndex) -> None:
        code_id = index.data(CODE_ID_ROLE)
        if code_id is not None:
            self.code_clicked.emit(code_id)

    def _on_current(self, index: QModelIndex, _prev: QModelIndex) -> None:
        self.current_code_changed.emit(index.data(CODE_ID_ROLE) if index.isValid() else None)
