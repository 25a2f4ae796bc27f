"""The Matrices window: code x documents/groups/attributes and co-occurrence, with charts.

A table of numbers (shaded by size, totals in the last row and column, sortable by any
column) above the list of codings behind the clicked cell; a double click on a coding opens
it in the document view. The matrix is computed off the GUI thread (Cancel stops the unit
split of long documents); the Chart tab draws the same matrix with matplotlib.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.matrix import Matrix
from annotator.exchange import charts
from annotator.exchange.matrix_table import clipboard_text, write_matrix
from annotator.gui.background import run_in_background
from annotator.services.matrices import (
    CancelledError,
    MatrixFilters,
    MatrixRequest,
    Passage,
    build_matrix,
    passages,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

CHART_KINDS = ("automatic", "frequencies", "heatmap", "codes over time")
ALL_CODERS = "(all coders)"
ALL_GROUPS = "(all documents)"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TOTAL_ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class MatrixModel(QAbstractTableModel):
    """A :class:`Matrix` with a total column and a total row."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None
        self._top = 1.0

    def set_matrix(self, matrix: Matrix | None) -> None:
        """Show ``matrix``."""
        self.beginResetModel()
        self.matrix = matrix
        self._top = (matrix.maximum() if matrix else 0) or 1.0
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        """Qt/undo override."""
        return 0 if self.matrix is None or parent.isValid() else len(self.matrix.rows) + 1

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        """Qt/undo override."""
        return 0 if self.matrix is None or parent.isValid() else len(self.matrix.columns) + 1

    def _number(self, row: int, column: int) -> float:
        m = self.matrix
        assert m is not None
        last_row, last_col = row == len(m.rows), column == len(m.columns)
        if last_row and last_col:
            return m.grand_total
        if last_row:
            return m.column_totals[column]
        if last_col:
            return m.row_totals[row]
        return m.values[row][column]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        """Qt/undo override."""
        m = self.matrix
        if m is None or not index.isValid():
            return None
        value = self._number(index.row(), index.column())
        total = index.row() == len(m.rows) or index.column() == len(m.columns)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:.1%}" if m.measure == "coverage" else f"{value:g}"
        if role == SORT_ROLE:
            return value
        if role == TOTAL_ROW_ROLE:
            return index.row() == len(m.rows)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and not total and value:
            share = min(1.0, value / self._top)
            return QColor(30, 100, 200, int(25 + 180 * share))
        if role == Qt.ItemDataRole.ForegroundRole and not total and value / self._top > 0.6:
            return QColor("white")
        if role == Qt.ItemDataRole.FontRole and total:
            font = QGuiApplication.font()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        """Qt/undo override."""
        m = self.matrix
        if m is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        axes = m.columns if orientation == Qt.Orientation.Horizontal else m.rows
        return "Total" if section == len(axes) else axes[section].label

    def coding_ids(self, row: int, column: int) -> tuple[uuid.UUID, ...]:
        """The codings behind a cell, a row total or a column total."""
        m = self.matrix
        if m is None:
            return ()
        if row == len(m.rows) and column == len(m.columns):
            return m.all_passages()
        if row == len(m.rows):
            return m.column_passages(column)
        if column == len(m.columns):
            return m.row_passages(row)
        return m.passages(row, column)


class _TotalsLast(QSortFilterProxyModel):
    """Sorts by value, keeping the total row at the bottom in either direction."""

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        lt, rt = left.data(TOTAL_ROW_ROLE), right.data(TOTAL_ROW_ROLE)
        if lt != rt:
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return rt if ascending else lt
        return (left.data(SORT_ROLE) or 0) < (right.data(SORT_ROLE) or 0)


class MatrixWindow(QWidget):
    """Choose a matrix, see it as a table or a chart, open the passages behind a cell."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.setWindowTitle("Matrices")
        self.setObjectName("matrixWindow")
        self.main = main
        self.resize(1100, 680)  # fits 1366x768
        self.columns = QComboBox()
        self.measure = QComboBox()
        self.measure.addItems(["count", "coverage", "presence"])
        self.mode = QComboBox()
        self.mode.addItems(["overlap", "sentence", "paragraph"])
        self.by_coder = QCheckBox("Rows per coder")
        self.hide_empty = QCheckBox("Hide unused codes")
        self.hide_empty.setChecked(True)
        compute = QPushButton("Compute")
        compute.clicked.connect(self.compute)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy)
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self.export)
        bar = QHBoxLayout()
        for label, widget in (("Columns", self.columns), ("Measure", self.measure)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(QLabel("Co-occurrence"))
        bar.addWidget(self.mode)
        for widget in (self.by_coder, self.hide_empty, compute, self.copy_button):
            bar.addWidget(widget)
        bar.addWidget(self.export_button)
        bar.addStretch(1)
        # Filters: which codings count (coder, document group, attribute, date range).
        self.coder_filter = QComboBox()
        self.group_filter = QComboBox()
        self.attribute_filter = QLineEdit()
        self.attribute_filter.setPlaceholderText("attribute=value; …")
        self.date_from = QLineEdit()
        self.date_from.setPlaceholderText("YYYY[-MM[-DD]]")
        self.date_to = QLineEdit()
        self.date_to.setPlaceholderText("YYYY[-MM[-DD]]")
        filters = QHBoxLayout()
        for label, widget in (
            ("Coder", self.coder_filter),
            ("Group", self.group_filter),
            ("Attributes", self.attribute_filter),
            ("Dated from", self.date_from),
            ("to", self.date_to),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.model = MatrixModel()
        self.proxy = _TotalsLast()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # Long titles and paths stay readable without pushing the numbers off screen.
        self.table.horizontalHeader().setMaximumSectionSize(220)
        self.table.verticalHeader().setMaximumSectionSize(360)
        self.table.clicked.connect(self._cell_clicked)
        self.passage_list = QTableWidget(0, 5)
        self.passage_list.setHorizontalHeaderLabels(["Document", "Code", "Coder", "At", "Passage"])
        self.passage_list.horizontalHeader().setStretchLastSection(True)
        self.passage_list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.passage_list.cellDoubleClicked.connect(self._open_passage)
        self.shown: list[Passage] = []
        self.chart_host = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_host)
        chart_buttons = QHBoxLayout()
        self.chart_kind = QComboBox()
        self.chart_kind.addItems(list(CHART_KINDS))
        self.chart_kind.currentTextChanged.connect(self._redraw)
        chart_buttons.addWidget(QLabel("Chart"))
        chart_buttons.addWidget(self.chart_kind)
        for fmt in ("png", "svg"):
            button = QPushButton(f"Save chart as {fmt.upper()}…")
            button.clicked.connect(lambda _=False, f=fmt: self.save_chart(f))
            chart_buttons.addWidget(button)
        chart_buttons.addStretch(1)
        self.chart_layout.addLayout(chart_buttons)
        self.canvas: QWidget | None = None
        self.tabs = QTabWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.passage_list)
        split.setSizes([420, 200])
        self.tabs.addTab(split, "Table")
        self.tabs.addTab(self.chart_host, "Chart")
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.reload_choices()

    def reload_choices(self) -> None:
        """Offer documents, codes, groups, dates and every attribute key as columns; every
        coder and group as filters."""
        project = self.main.controller.project
        keep = self.columns.currentText()
        self.columns.clear()
        keys = project.cases.attribute_keys()
        options = ["documents", "codes", "groups", "year", "date", "author", "publisher"]
        self.columns.addItems(options + [k for k in keys if k not in options])
        if keep:
            self.columns.setCurrentText(keep)
        for combo, everyone, names in (
            (self.coder_filter, ALL_CODERS, [c.name for c in project.coders.list()]),
            (self.group_filter, ALL_GROUPS, [g.name for g in project.cases.groups()]),
        ):
            keep = combo.currentText()
            combo.clear()
            combo.addItems([everyone, *names])
            if keep:
                combo.setCurrentText(keep)

    def filters(self) -> MatrixFilters:
        """The filters the controls ask for (``key=value`` pairs split at ``;``)."""
        pairs = []
        for part in self.attribute_filter.text().split(";"):
            key, sep, value = part.partition("=")
            if sep and key.strip():
                pairs.append((key.strip(), value.strip()))
        coder, group = self.coder_filter.currentText(), self.group_filter.currentText()
        return MatrixFilters(
            coders=() if coder in ("", ALL_CODERS) else (coder,),
            groups=() if group in ("", ALL_GROUPS) else (group,),
            attributes=tuple(pairs),
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
        )

    def request(self) -> MatrixRequest:
        """The matrix the controls ask for."""
        return MatrixRequest(
            columns=self.columns.currentText(),
            measure=self.measure.currentText(),
            mode=self.mode.currentText(),
            by_coder=self.by_coder.isChecked(),
            hide_empty_codes=self.hide_empty.isChecked(),
            filters=self.filters(),
        )

    def compute(self) -> Matrix | None:
        """Compute the matrix in a worker thread and show it."""
        project, request = self.main.controller.project, self.request()
        try:
            matrix = run_in_background(
                self,
                "Matrices",
                "Computing the matrix…",
                lambda _progress, cancelled: build_matrix(project, request, cancelled),
            )
        except AnnotatorError as exc:
            self.status.setText(str(exc))
            return None
        except CancelledError:
            self.status.setText("Cancelled; the table shows the previous matrix.")
            return None
        self.show_matrix(matrix)
        return matrix

    def show_matrix(self, matrix: Matrix) -> None:
        """Show ``matrix`` in the table and the chart."""
        self.model.set_matrix(matrix)
        self.table.resizeColumnsToContents()
        self.status.setText(
            f"{matrix.kind}, {matrix.measure}: {len(matrix.rows)} x {len(matrix.columns)}. "
            "Click a cell to list its codings; double-click a coding to open it."
        )
        self._draw_chart(matrix)

    def figure(self, matrix: Matrix):
        """The chart chosen for ``matrix``; "automatic" picks codes over time for years and
        dates, a heatmap for co-occurrence and coverage, else frequencies."""
        kind = self.chart_kind.currentText()
        if kind == "automatic":
            if matrix.kind in ("codes x year", "codes x date"):
                kind = "codes over time"
            elif matrix.kind.startswith("codes x codes") or matrix.measure == "coverage":
                kind = "heatmap"
            else:
                kind = "frequencies"
        if kind == "heatmap":
            return charts.heatmap(matrix)
        if kind == "codes over time":
            return charts.over_time_chart(charts.series_from_matrix(matrix))
        return charts.frequency_chart(matrix)

    def _redraw(self) -> None:
        if self.model.matrix is not None:
            self._draw_chart(self.model.matrix)

    def _draw_chart(self, matrix: Matrix) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        if self.canvas is not None:
            self.chart_layout.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.canvas = FigureCanvasQTAgg(self.figure(matrix))
        self.chart_layout.insertWidget(0, self.canvas, 1)

    def save_chart(self, fmt: str, path: Path | None = None) -> Path | None:
        """Write the chart of the current matrix as PNG or SVG."""
        if self.model.matrix is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Save chart", f"chart.{fmt}")
            if not name:
                return None
            path = Path(name)
        path.write_bytes(charts.render(self.figure(self.model.matrix), fmt))
        return path

    def _cell_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        ids = self.model.coding_ids(source.row(), source.column())
        self.show_passages(list(ids))

    def show_passages(self, ids: list[uuid.UUID]) -> None:
        """List the codings ``ids`` below the table."""
        self.shown = passages(self.main.controller.project, ids)
        self.passage_list.setRowCount(len(self.shown))
        for r, p in enumerate(self.shown):
            quote = " ".join(p.quote.split())
            for c, text in enumerate((p.document_title, p.code_path, p.coder, str(p.start), quote)):
                self.passage_list.setItem(r, c, QTableWidgetItem(text))
        self.passage_list.resizeColumnsToContents()

    def _open_passage(self, row: int, _column: int = 0) -> None:
        passage = self.shown[row]
        self.main.open_document(passage.document_id)
        self.main.view.select_span(passage.start, passage.end)
        self.main.activateWindow()  # bring the document view forward

    def copy(self) -> None:
        """Put the matrix on the clipboard as tab-separated text (pastes into a sheet)."""
        if self.model.matrix is not None:
            QGuiApplication.clipboard().setText(clipboard_text(self.model.matrix))

    def export(self, path: Path | None = None, layout: str | None = None) -> Path | None:
        """Write the matrix as CSV or XLSX (by the file's suffix), wide or tidy."""
        if self.model.matrix is None:
            return None
        if path is None:
            name, chosen = QFileDialog.getSaveFileName(
                self,
                "Export matrix",
                "matrix.csv",
                "Wide CSV (*.csv);;Tidy CSV (*.csv);;Wide Excel (*.xlsx);;Tidy Excel (*.xlsx)",
            )
            if not name:
                return None
            path, layout = Path(name), "tidy" if chosen.startswith("Tidy") else "wide"
        fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        write_matrix(path, self.model.matrix, fmt, layout or "wide")
        return path
