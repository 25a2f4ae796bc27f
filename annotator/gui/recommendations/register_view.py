"""The recommendations register: one row per recommendation coding across all documents.

Columns: document, page, section, the document's own number, text, coder, code, one
column per field, the themes coded over it, and its linked responses with their status.
Type to filter (every word must occur somewhere in the row), click a header to sort,
choose a column to group by; a click on a row opens the passage in the main window.
Exports (CSV, XLSX, JSON Lines, HTML) write the rows shown, in the order shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.links import LinkEnd
from annotator.domain.register import Register, RegisterRow
from annotator.exchange.register_export import write_register
from annotator.gui.controller import ProjectController
from annotator.services.register import build_register

_Index = QModelIndex | QPersistentModelIndex
BASE = ("Document", "Page", "Section", "No.", "Text", "Coder", "Code")
TAIL = ("Themes", "Responses", "Status")


def _responses(row: RegisterRow) -> str:
    return "; ".join(lk.document_title for lk in row.responses)


def _number_key(text: str) -> tuple:
    """ "8.10" after "8.9"; text without a number last."""
    parts = text.split(".")
    try:
        return (0, *(int(p) for p in parts))
    except ValueError:
        return (1, text)


@dataclass(frozen=True, slots=True)
class _Group:
    label: str
    count: int


class RegisterModel(QAbstractTableModel):
    """The register's rows, filtered, sorted and grouped in Python over plain data."""

    def __init__(self) -> None:
        super().__init__()
        self.register = Register()
        self._hay: list[str] = []
        self._matching: list[int] = []
        self.entries: list[int | _Group] = []  # a row index, or a group header
        self.words: list[str] = []
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.group_column = -1

    # -- content ----------------------------------------------------------------------
    @property
    def headers(self) -> tuple[str, ...]:
        """Column titles."""
        return (*BASE, *self.register.field_names, *TAIL)

    def set_register(self, register: Register) -> None:
        """Show ``register`` (keeping the filter, sort and grouping)."""
        self.register = register
        self._hay = [row.haystack() for row in register.rows]
        self._rebuild()

    def set_filter(self, text: str) -> None:
        """Keep rows that contain every word of ``text``."""
        self.words = text.lower().split()
        self._rebuild()

    def set_group(self, column: int) -> None:
        """Group rows by the value of ``column`` (-1: no groups)."""
        self.group_column = column
        self._rebuild()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt: sort by ``column``."""
        self.sort_column = column
        self.sort_order = order
        self._rebuild()

    def cell(self, row: RegisterRow, column: int) -> str:
        """The text of ``row`` in ``column``."""
        n_fields = len(self.register.field_names)
        if column < len(BASE):
            return (
                row.document,
                row.page,
                row.section,
                row.number,
                " ".join(row.text.split()),
                row.coder,
                row.code,
            )[column]
        column -= len(BASE)
        if column < n_fields:
            return row.fields[column] if column < len(row.fields) else ""
        column -= n_fields
        return ("; ".join(row.themes), _responses(row), row.status)[column]

    def _rebuild(self) -> None:
        rows = self.register.rows
        words = self.words
        matching = [i for i, h in enumerate(self._hay) if all(w in h for w in words)]
        if self.sort_column >= 0:
            col = self.sort_column
            if self.headers[col] == "No.":
                key = lambda i: _number_key(rows[i].number)  # noqa: E731
            elif self.headers[col] == "Page":
                key = lambda i: _number_key(rows[i].page)  # noqa: E731
            else:
                key = lambda i: self.cell(rows[i], col).casefold()  # noqa: E731
            matching.sort(key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self._matching = matching
        if self.group_column < 0:
            self.entries = list(matching)
        else:
            groups: dict[str, list[int]] = {}
            for i in matching:
                groups.setdefault(self.cell(rows[i], self.group_column) or "(none)", []).append(i)
            self.entries = []
            for label, members in groups.items():
                self.entries.append(_Group(label, len(members)))
                self.entries.extend(members)
        self.endResetModel()

    @property
    def shown(self) -> Register:
        """The rows shown, in order, as a register (what exports write)."""
        rows = self.register.rows
        return replace(
            self.register, rows=tuple(rows[e] for e in self.entries if isinstance(e, int))
        )

    def row_at(self, entry: int) -> RegisterRow | None:
        """The register row shown at ``entry`` (None for a group header)."""
        item = self.entries[entry]
        return self.register.rows[item] if isinstance(item, int) else None

    # -- Qt ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: rows shown (with group headers)."""
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt: cell text; group headers in bold."""
        item = self.entries[index.row()]
        if isinstance(item, _Group):
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                title = self.headers[self.group_column]
                return f"{title}: {item.label}  ({item.count})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        row = self.register.rows[item]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.cell(row, index.column())
            return text if len(text) <= 300 else text[:299] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and self.headers[index.column()] in (
            "Text",
            "Responses",
        ):
            if self.headers[index.column()] == "Text":
                return row.text[:2000]
            return "\n\n".join(
                f"{lk.document_title} ({lk.status or lk.link_type}): {lk.quote[:500]}"
                for lk in row.responses
            )
        return None


class RegisterWindow(QWidget):
    """A window with the register of the controller's project."""

    passage_activated = Signal(object)  # LinkEnd of the recommendation to open

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.setWindowTitle("Recommendations register")
        self.setObjectName("registerWindow")
        self.resize(1240, 680)  # fits a 1366x768 screen with its frame and task bar
        self.model = RegisterModel()
        self.filter = QLineEdit(self)
        self.filter.setObjectName("registerFilter")
        self.filter.setPlaceholderText("Filter: words in any column (document, text, status…)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.group = QComboBox(self)
        self.group.setObjectName("registerGroup")
        self.group.currentIndexChanged.connect(self._group)
        self.count = QLabel(self)
        self.export_button = QPushButton("Export…", self)
        menu = QMenu(self.export_button)
        for fmt, label in (
            ("csv", "CSV…"),
            ("xlsx", "Excel (XLSX)…"),
            ("jsonl", "JSON Lines…"),
            ("html", "Printable HTML…"),
        ):
            menu.addAction(label, lambda f=fmt: self.export_dialog(f))
        self.export_button.setMenu(menu)
        reload_button = QPushButton("Reload", self)
        reload_button.clicked.connect(self.reload)
        self.table = QTableView(self)
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.clicked.connect(self._open)
        self.table.activated.connect(self._open)
        self.model.modelReset.connect(self._after_reset)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(QLabel("Group by:", self))
        top.addWidget(self.group)
        top.addWidget(self.count)
        top.addWidget(reload_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        """Read the register again from the project."""
        try:
            register = build_register(self.controller.project)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Register", str(exc))
            return
        self.model.set_register(register)
        chosen = self.group.currentText()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("(nothing)")
        self.group.addItems(list(self.model.headers))
        self.group.setCurrentText(chosen if chosen else "(nothing)")
        self.group.blockSignals(False)
        self._size_columns()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {
            "Document": 150,
            "Page": 44,
            "Section": 120,
            "No.": 44,
            "Text": 320,
            "Coder": 80,
            "Code": 100,
            "Themes": 100,
            "Responses": 120,
        }
        for column, title in enumerate(self.model.headers):
            self.table.setColumnWidth(column, widths.get(title, 100))

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)

    def _group(self, index: int) -> None:
        self.model.set_group(index - 1)

    def _after_reset(self) -> None:
        self.table.clearSpans()
        columns = self.model.columnCount()
        for entry, item in enumerate(self.model.entries):
            if not isinstance(item, int):
                self.table.setSpan(entry, 0, 1, columns)
        shown = sum(1 for e in self.model.entries if isinstance(e, int))
        total = len(self.model.register.rows)
        self.count.setText(f"{shown} of {total}" if shown != total else f"{total} rows")

    def _open(self, index: _Index) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.passage_activated.emit(
                LinkEnd(
                    row.coding_id,
                    row.document_id,
                    row.document,
                    row.code,
                    row.start,
                    row.end,
                    row.text,
                )
            )

    def export_dialog(self, fmt: str) -> Path | None:
        """Ask for a file and export the rows shown."""
        suffix = {"csv": "csv", "xlsx": "xlsx", "jsonl": "jsonl", "html": "html"}[fmt]
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the register", f"register.{suffix}", f"*.{suffix}"
        )
        if not name:
            return None
        return self.export(Path(name), fmt)

    def export(self, path: Path, fmt: str) -> Path | None:
        """Write the rows shown to ``path``."""
        try:
            write_register(self.model.shown, path, fmt, title="Recommendations register")
        except OSError as exc:
            QMessageBox.warning(self, "Export", f"Cannot write {path}: {exc.strerror or exc}")
            return None
        return path
