"""The Retrieval window: a query over codes, filters, passages in context, and actions.

The query runs off the GUI thread (progress and Cancel); the table reads passage texts a
page at a time. Double-clicking a passage opens it in the document view. The passages can
be exported (CSV, XLSX, HTML, Word) or all coded with one code in one undoable step, and
the query saved by name in the project.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import tree_order
from annotator.domain.errors import AnnotatorError
from annotator.exchange.analysis_tables import TableFormat
from annotator.gui.analysis.commands import AddCodingsCommand
from annotator.gui.analysis.result_models import PAGE, PassageModel
from annotator.gui.background import run_in_background
from annotator.gui.controller import ProjectController
from annotator.services.analysis_export import write_passages
from annotator.services.analysis_scope import AnalysisFilters, AttributeFilter
from annotator.services.retrieval import Context, RetrievalResult
from annotator.services.saved_queries import QueryKind, SavedQuery

EXPORT_FILTER = "CSV (*.csv);;Excel (*.xlsx);;HTML (*.html);;Word (*.docx)"
HELP = (
    'Codes by name or "full/path"; AND, OR, NOT, brackets; X OVERLAPS Y; '
    "X SAME SENTENCE Y; X SAME PARAGRAPH Y; X FOLLOWED BY Y WITHIN 2 SENTENCES"
)


class RetrievalWindow(QWidget):
    """Retrieve coded passages across documents."""

    passage_activated = Signal(object, int, int)  # document id, start, end

    def __init__(
        self, controller: Callable[[], ProjectController], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._controller = controller
        self.setWindowTitle("Retrieve coded passages")
        self.result: RetrievalResult | None = None

        self.query = QLineEdit(self)
        self.query.setPlaceholderText("e.g. Funding AND NOT Housing")
        self.query.setToolTip(HELP)
        self.query.returnPressed.connect(self.run_query)
        self.saved = QComboBox(self)
        self.saved.setMinimumContentsLength(16)
        self.saved.activated.connect(self._load_saved)
        run = QPushButton("&Retrieve", self)
        run.clicked.connect(self.run_query)
        save = QPushButton("&Save query…", self)
        save.clicked.connect(self.save_query)
        top = QHBoxLayout()
        top.addWidget(QLabel("Query:"))
        top.addWidget(self.query, 1)
        top.addWidget(run)
        top.addWidget(self.saved)
        top.addWidget(save)

        self.coders = QListWidget(self)
        self.coders.setMaximumHeight(64)
        self.group = QComboBox(self)
        self.date_from = QLineEdit(self)
        self.date_from.setPlaceholderText("from (e.g. 2019)")
        self.date_to = QLineEdit(self)
        self.date_to.setPlaceholderText("to (e.g. 2021-06)")
        self.version = QComboBox(self)
        self.context = QComboBox(self)
        self.context.addItems([c.value for c in Context])
        filters = QFormLayout()
        filters.addRow("Coders (none ticked = all):", self.coders)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        filters.addRow("Document date:", dates)
        self.document = QComboBox(self)
        self.document.setMinimumContentsLength(24)
        self.attribute = QLineEdit(self)
        self.attribute.setPlaceholderText("attribute=value (e.g. type=report)")
        which = QHBoxLayout()
        which.addWidget(self.group)
        which.addWidget(QLabel("Document:"))
        which.addWidget(self.document, 1)
        which.addWidget(self.attribute, 1)
        filters.addRow("Documents:", which)
        filters.addRow("Codebook version:", self.version)
        filters.addRow("Context:", self.context)

        self.model = PassageModel(self._load_passages)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((180, 45, 140, 160, 110, 420, 120)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._activate)
        self.table.verticalHeader().hide()
        self.summary = QLabel("", self)

        self.code = QComboBox(self)
        code_all = QPushButton("Code &all results as", self)
        code_all.clicked.connect(self.code_all)
        export = QPushButton("&Export…", self)
        export.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(code_all)
        bottom.addWidget(self.code)
        bottom.addWidget(export)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1100, 660)
        self.reload_choices()

    @property
    def controller(self) -> ProjectController:
        """The main window's current controller."""
        return self._controller()

    def reload_choices(self) -> None:
        """Fill the coder, group, version, code and saved-query choices from the project."""
        project = self.controller.project
        self.coders.clear()
        for coder in self.controller.coders():
            item = QListWidgetItem(coder.name, self.coders)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.group.clear()
        self.group.addItem("All groups")
        self.group.addItems(project.retrieval.document_groups())
        self.document.clear()
        self.document.addItem("All documents")
        for doc in self.controller.documents():
            self.document.addItem(doc.title, str(doc.id))
        self.version.clear()
        self.version.addItem("Any version")
        self.version.addItems([v.name for v in project.codebook.versions.list()])
        self.code.clear()
        for code in tree_order(self.controller.codes()):
            if code.codable:
                self.code.addItem(code.name, code.id)
        self._fill_saved()

    def _fill_saved(self) -> None:
        self.saved.clear()
        self.saved.addItem("Saved queries…")
        for query in self.controller.project.saved_queries.list(QueryKind.RETRIEVAL):
            self.saved.addItem(query.name, query)

    def _load_saved(self, index: int) -> None:
        query = self.saved.itemData(index)
        if isinstance(query, SavedQuery):
            self.query.setText(query.query)
            wanted = set(query.options.get("coders", []))
            for row in range(self.coders.count()):
                item = self.coders.item(row)
                on = item.text() in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def filters(self) -> AnalysisFilters:
        """The filters as set in the window."""
        coders = tuple(
            self.coders.item(r).text()
            for r in range(self.coders.count())
            if self.coders.item(r).checkState() == Qt.CheckState.Checked
        )
        attributes: list[AttributeFilter] = []
        low, high = self.date_from.text().strip() or None, self.date_to.text().strip() or None
        if low or high:
            attributes.append(AttributeFilter("date", low=low, high=high))
        key, sep, value = self.attribute.text().partition("=")
        if sep and key.strip():
            attributes.append(AttributeFilter(key.strip(), equals=value.strip()))
        document = self.document.currentData() if self.document.currentIndex() > 0 else None
        group = self.group.currentText() if self.group.currentIndex() > 0 else None
        version = self.version.currentText() if self.version.currentIndex() > 0 else None
        return AnalysisFilters(
            coders=coders,
            documents=(document,) if document else (),
            groups=(group,) if group else (),
            attributes=tuple(attributes),
            codebook_version=version,
        )

    def _load_passages(self, refs):
        """Passage texts: a page at once, more (sorting, exporting) off the GUI thread."""
        if self.result is None:
            return []
        retrieval, result = self.controller.project.retrieval, self.result
        context = Context(self.context.currentText())
        if len(refs) <= PAGE:
            return retrieval.passages(result, refs, context)
        return run_in_background(
            self, "Retrieve", f"Reading {len(refs):,} passages…",
            lambda _p, cancelled: retrieval.passages(result, refs, context, cancelled),
        )  # fmt: skip

    def run_query(self) -> bool:
        """Run the query off the GUI thread; False (after saying why) when it is refused.

        The first page is found and shown first (the documents up to its 50th passage),
        then every passage is found behind a progress dialog with Cancel; a cancelled
        count keeps what was found and says so.
        """
        text, filters = self.query.text(), self.filters()
        retrieval = self.controller.project.retrieval
        try:
            first = run_in_background(
                self, "Retrieve", "Retrieving passages…",
                lambda _p, cancelled: retrieval.run(text, filters, cancelled, stop_after=PAGE),
            )  # fmt: skip
            self._show(first)
            if first.complete:
                return True
            self.repaint()  # the first page is on screen while the rest is counted
            result = run_in_background(
                self, "Retrieve", "Counting every passage…",
                lambda _p, cancelled: retrieval.run(text, filters, cancelled),
            )  # fmt: skip
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Retrieve", str(exc))
            return False
        self._show(result if len(result.refs) >= len(first.refs) else first)
        return True

    def _show(self, result: RetrievalResult) -> None:
        self.result = result
        self.model.set_refs(result.refs)
        docs = len(result.counts())
        more = "" if result.complete else " so far (not all documents were searched)"
        self.summary.setText(f"{len(result.refs):,} passages in {docs:,} documents{more}")

    def save_query(self) -> None:
        """Save the query (with its coders) under a name."""
        name, ok = QInputDialog.getText(self, "Save query", "Name:")
        if not ok or not name.strip():
            return
        query = SavedQuery(
            QueryKind.RETRIEVAL, name, self.query.text(), {"coders": list(self.filters().coders)}
        )
        try:
            self.controller.project.saved_queries.save(query)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Save query", str(exc))
            return
        self._fill_saved()

    def _activate(self, index: QModelIndex) -> None:
        p = self.model.passages[index.row()]
        self.passage_activated.emit(p.document_id, p.start, p.end)

    def code_all(self) -> bool:
        """Code every passage with the chosen code: one undoable step."""
        if self.result is None or not self.model.refs:
            return False
        code_id = self.code.currentData()
        refs = list(self.model.refs)
        controller = self.controller
        command = AddCodingsCommand(
            controller,
            f"Code {len(refs)} retrieved passages as {self.code.currentText()}",
            lambda: controller.project.retrieval.code_passages(refs, code_id, controller.coder.id),
        )
        return controller.run(command)

    def export(self, path: Path | None = None, fmt: TableFormat | None = None) -> int:
        """Export every passage (asks for the file unless given)."""
        if self.result is None:
            return 0
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export passages", "", EXPORT_FILTER)
            if not name:
                return 0
            path = Path(name)
        fmt = fmt or TableFormat(path.suffix.lstrip(".").lower() or "csv")
        self.model.load_all()
        if len(self.model.passages) < len(self.model.refs):
            return 0  # reading them was cancelled
        passages = list(self.model.passages)
        title = f"Query: {self.query.text()}"
        return run_in_background(
            self, "Export", "Writing passages…",
            lambda _p, _c: write_passages(path, fmt, title, passages),
        )  # fmt: skip
