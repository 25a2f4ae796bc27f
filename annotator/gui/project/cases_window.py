"""Documents as cases: groups (create, rename, delete, assign the selected documents) and
an attribute table of every document edited like a spreadsheet. Every change is one undo
step on the window's project undo stack."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.gui.controller import ProjectController, UndoableCommand
from annotator.services.cases import (
    METADATA_FIELDS,
    Case,
    DocumentGroup,
    plan_attribute_import,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class SetFieldsCommand(UndoableCommand):
    """Set metadata fields or attributes of documents (one cell, or a pasted block)."""

    def __init__(self, controller: ProjectController, changes: dict, after=None) -> None:
        super().__init__(controller, "Edit document attributes")
        self.changes, self.before, self.after = changes, {}, after

    def apply(self) -> None:
        """Qt/undo override."""
        self.before = self.controller.project.cases.set_fields(self.changes)
        if self.after:
            self.after()

    def revert(self) -> None:
        """Qt/undo override."""
        self.controller.project.cases.set_fields(self.before)
        if self.after:
            self.after()


class GroupCommand(UndoableCommand):
    """Create, rename or delete a group, or add/remove members; ``after`` refreshes."""

    def __init__(self, controller, text: str, do, undo, after=None) -> None:
        super().__init__(controller, text)
        self._do, self._undo, self.after = do, undo, after

    def apply(self) -> None:
        """Qt/undo override."""
        self._do()
        if self.after:
            self.after()

    def revert(self) -> None:
        """Qt/undo override."""
        self._undo()
        if self.after:
            self.after()


ROWS_MIME = "application/x-qabstractitemmodeldatalist"
"""What an item view drags: here, cells of the attribute table."""


class GroupList(QListWidget):
    """The groups; documents dragged from the attribute table and dropped on a group join
    it (the rows selected in the table when the drop lands)."""

    def __init__(self, on_drop) -> None:
        super().__init__()
        self.on_drop = on_drop
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def dragEnterEvent(self, event) -> None:
        """Accept rows of the attribute table."""
        if event.mimeData().hasFormat(ROWS_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        """Only over a group."""
        if event.mimeData().hasFormat(ROWS_MIME) and self.itemAt(event.position().toPoint()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        """Add the dragged documents to the group under the pointer."""
        item = self.itemAt(event.position().toPoint())
        if item is None or not event.mimeData().hasFormat(ROWS_MIME):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.on_drop(item.data(Qt.ItemDataRole.UserRole))


class CaseTable(QTableWidget):
    """The attribute table, with spreadsheet keys: Ctrl+V pastes a block of tab-separated
    cells from the selected cell on, Delete clears the selected cells; each is one undo step."""

    def __init__(self, on_block) -> None:
        super().__init__()
        self.on_block = on_block  # called with {(row, column): text}

    def _ours(self, event) -> bool:
        return event.matches(QKeySequence.StandardKey.Paste) or (
            event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.editing()
        )

    def event(self, event) -> bool:
        """Claim Paste and Delete before any window shortcut does (as text editors do):
        the main window's Delete removes codings."""
        if event.type() == QEvent.Type.ShortcutOverride and self._ours(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        """Paste and Delete on blocks of cells; everything else as usual."""
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QGuiApplication.clipboard().text())
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not self.editing():
            self.on_block({(i.row(), i.column()): "" for i in self.selectedIndexes()})
        else:
            super().keyPressEvent(event)

    def editing(self) -> bool:
        """True while a cell's editor is open (its keys are its own)."""
        return self.state() == QTableWidget.State.EditingState

    def paste(self, text: str) -> None:
        """Write tab-separated ``text`` into the cells from the current one on."""
        top, left = max(self.currentRow(), 0), max(self.currentColumn(), 0)
        block = {}
        for r, line in enumerate(text.rstrip("\r\n").split("\n")):
            for c, cell in enumerate(line.rstrip("\r").split("\t")):
                if top + r < self.rowCount() and left + c < self.columnCount():
                    block[(top + r, left + c)] = cell
        self.on_block(block)


class CasesWindow(QWidget):
    """Groups on the left, the attribute table of all documents on the right."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.setWindowTitle("Documents as cases")
        self.setObjectName("casesWindow")
        self.main = main
        self.resize(1150, 620)
        self.groups_list = GroupList(lambda gid: self.add_selected(gid))
        buttons = QVBoxLayout()
        for text, slot in (
            ("New group…", self._new_group),
            ("Rename…", self._rename_group),
            ("Delete", self._delete_group),
            ("Add selected documents", self.add_selected),
            ("Remove selected documents", self.remove_selected),
            ("New attribute…", self._new_attribute),
            ("Import attributes from CSV…", self._import_attributes),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("Document groups"))
        left_layout.addWidget(self.groups_list, 1)
        left_layout.addLayout(buttons)
        self.table = CaseTable(self.set_cells)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
        self.table.setDragEnabled(True)  # drag documents onto a group
        self.table.setDragDropMode(QTableWidget.DragDropMode.DragOnly)
        self.table.horizontalHeader().setMaximumSectionSize(320)  # long titles stay readable
        self.table.itemChanged.connect(self._cell_edited)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.table)
        split.setSizes([260, 880])
        layout = QHBoxLayout(self)
        layout.addWidget(split)
        self.cases: list[Case] = []
        self.columns: list[str] = []
        self.groups: list[DocumentGroup] = []
        self.extra_keys: list[str] = []
        self.refresh()

    @property
    def _cases(self):
        return self.main.controller.project.cases

    def refresh(self) -> None:
        """Reload groups and the table from the project."""
        self.groups = self._cases.groups()
        current = self.groups_list.currentRow()
        self.groups_list.clear()
        for g in self.groups:
            item = QListWidgetItem(f"{g.name} ({len(g.members)})")
            item.setData(Qt.ItemDataRole.UserRole, g.id)
            self.groups_list.addItem(item)
        self.groups_list.setCurrentRow(min(max(current, 0), len(self.groups) - 1))
        self.cases = self._cases.cases()
        keys = sorted({k for c in self.cases for k in c.attributes} | set(self.extra_keys))
        self.columns = ["title", "groups", *METADATA_FIELDS, *keys]
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(self.columns))
        self.table.setRowCount(len(self.cases))
        self.table.setHorizontalHeaderLabels(self.columns)
        for r, case in enumerate(self.cases):
            for c, name in enumerate(self.columns):
                if name == "title":
                    value = case.title
                elif name == "groups":
                    value = "; ".join(case.groups)
                else:
                    value = case.value_of(name) or ""
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if name in ("title", "groups"):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        case, name = self.cases[item.row()], self.columns[item.column()]
        changes = {case.id: {name: item.text()}}
        ok = self.main.controller.run(
            SetFieldsCommand(self.main.controller, changes, after=self.refresh)
        )
        if not ok:
            self.refresh()

    def set_cells(self, block: dict[tuple[int, int], str]) -> bool:
        """Set many cells (a paste, a Delete) as one undo step; title and group columns are
        skipped, as they are not attributes."""
        changes: dict = {}
        for (row, column), text in block.items():
            name = self.columns[column]
            if name not in ("title", "groups"):
                changes.setdefault(self.cases[row].id, {})[name] = text
        if not changes:
            return False
        command = SetFieldsCommand(self.main.controller, changes, after=self.refresh)
        ok = self.main.controller.run(command)
        if not ok:
            self.refresh()
        return ok

    def selected_documents(self) -> list[uuid.UUID]:
        """The documents of the selected table rows."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.cases[r].id for r in rows]

    def _group_id(self) -> uuid.UUID | None:
        item = self.groups_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def run_group(self, text: str, do, undo) -> bool:
        """Run a group change as one undo step."""
        return self.main.controller.run(
            GroupCommand(self.main.controller, text, do, undo, self.refresh)
        )

    def create_group(self, name: str) -> bool:
        """A new group called ``name`` (undo removes it)."""
        gid = uuid.uuid4()
        return self.run_group(
            "Create group",
            lambda: self._cases.create_group(name, group_id=gid),
            lambda: self._cases.delete_group(gid),
        )

    def _new_group(self) -> None:
        name, ok = QInputDialog.getText(self, "New group", "Name of the group:")
        if ok and name.strip():
            self.create_group(name)

    def rename_group(self, group_id: uuid.UUID, name: str) -> bool:
        """Rename a group (undo gives the old name back)."""
        old = next(g.name for g in self.groups if g.id == group_id)
        return self.run_group(
            "Rename group",
            lambda: self._cases.rename_group(group_id, name),
            lambda: self._cases.rename_group(group_id, old),
        )

    def _rename_group(self) -> None:
        gid = self._group_id()
        if gid is not None:
            name, ok = QInputDialog.getText(self, "Rename group", "New name:")
            if ok and name.strip():
                self.rename_group(gid, name)

    def _delete_group(self) -> None:
        gid = self._group_id()
        if gid is None:
            return
        kept: list[DocumentGroup] = []
        self.run_group(
            "Delete group",
            lambda: kept.append(self._cases.delete_group(gid)),
            lambda: self._cases.restore_group(kept.pop()),
        )

    def add_selected(self, group_id: uuid.UUID | None = None) -> bool:
        """Put the selected documents in the current group."""
        gid, docs = group_id or self._group_id(), self.selected_documents()
        if gid is None or not docs:
            return False
        added: list[uuid.UUID] = []
        return self.run_group(
            "Add documents to group",
            lambda: added.extend(self._cases.add_members(gid, docs)),
            lambda: self._cases.remove_members(gid, added),
        )

    def remove_selected(self, group_id: uuid.UUID | None = None) -> bool:
        """Take the selected documents out of the current group."""
        gid, docs = group_id or self._group_id(), self.selected_documents()
        if gid is None or not docs:
            return False
        gone: list[uuid.UUID] = []
        return self.run_group(
            "Remove documents from group",
            lambda: gone.extend(self._cases.remove_members(gid, docs)),
            lambda: self._cases.add_members(gid, gone),
        )

    def import_attributes(self, path: Path) -> bool:
        """Set the fields a CSV table gives, as one undo step; False (reported) on a bad
        file, with nothing changed."""
        try:
            changes = plan_attribute_import(self._cases.cases(), path)
        except AnnotatorError as exc:
            self.main.show_error(str(exc))
            return False
        command = SetFieldsCommand(self.main.controller, changes, after=self.refresh)
        command.setText("Import document attributes")
        return self.main.controller.run(command)

    def _import_attributes(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import attributes", "", "CSV (*.csv)")
        if name:
            self.import_attributes(Path(name))

    def _new_attribute(self) -> None:
        name, ok = QInputDialog.getText(self, "New attribute", "Attribute name:")
        if ok and name.strip():
            self.extra_keys.append(name.strip())
            self.refresh()
