"""The Search window: full-text search of every document as keyword-in-context lines.

Words, phrases, prefixes (``recommend*``) or a regular expression, with case and accent
options; lines sort by document, left context, hit or right context; a table beside them
counts hits per document. Auto-coding previews the codings first (match, sentence or
paragraph) and stores them as one undoable step. Searches run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import tree_order
from annotator.domain.errors import AnnotatorError
from annotator.domain.model import Coding
from annotator.domain.text_search import SearchOptions
from annotator.exchange.analysis_tables import TableFormat
from annotator.gui.analysis.commands import AddCodingsCommand
from annotator.gui.analysis.result_models import ElideLeftDelegate, KwicModel
from annotator.gui.background import run_in_background
from annotator.gui.controller import ProjectController
from annotator.services.analysis_export import write_kwic
from annotator.services.saved_queries import QueryKind, SavedQuery
from annotator.services.text_search import Unit

MAX_LINES = 20_000
"""Keyword-in-context lines shown at most (the counts per document are always complete)."""


class SearchWindow(QWidget):
    """Search all documents; keyword in context; auto-code."""

    hit_activated = Signal(object, int, int)  # document id, start, end

    def __init__(
        self, controller: Callable[[], ProjectController], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._controller = controller
        self.setWindowTitle("Search all documents")
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('words, "a phrase", prefix*  (commas or OR between)')
        self.query.returnPressed.connect(self.run_search)
        run = QPushButton("&Search", self)
        run.clicked.connect(self.run_search)
        self.saved = QComboBox(self)
        self.saved.activated.connect(self._load_saved)
        save = QPushButton("Sa&ve search…", self)
        save.clicked.connect(self.save_search)
        self.regex = QCheckBox("Regular expression", self)
        self.case = QCheckBox("Match case", self)
        self.accents = QCheckBox("Match accents", self)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(run)
        top.addWidget(self.saved)
        top.addWidget(save)
        options = QHBoxLayout()
        for box in (self.regex, self.case, self.accents):
            options.addWidget(box)
        options.addStretch(1)

        self.model = KwicModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((170, 300, 120, 300)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(self._activate)
        self._elide_left = ElideLeftDelegate(self.table)
        self.table.setItemDelegateForColumn(1, self._elide_left)
        self.table.verticalHeader().hide()
        self.counts = QTableWidget(0, 2, self)
        self.counts.setHorizontalHeaderLabels(["Document", "Hits"])
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.setSortingEnabled(True)
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.counts)
        split.setSizes([800, 260])

        self.summary = QLabel("", self)
        self.code = QComboBox(self)
        self.unit = QComboBox(self)
        self.unit.addItems([u.value for u in Unit])
        autocode = QPushButton("&Auto-code…", self)
        autocode.clicked.connect(lambda: self.autocode())
        export = QPushButton("&Export…", self)
        export.clicked.connect(lambda: self.export())
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(QLabel("Code each"))
        bottom.addWidget(self.unit)
        bottom.addWidget(QLabel("as"))
        bottom.addWidget(self.code)
        bottom.addWidget(autocode)
        bottom.addWidget(export)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.resize(1100, 660)
        self.reload_choices()

    @property
    def controller(self) -> ProjectController:
        """The main window's current controller."""
        return self._controller()

    def reload_choices(self) -> None:
        """Fill the code and saved-search choices from the project."""
        self.code.clear()
        for code in tree_order(self.controller.codes()):
            if code.codable:
                self.code.addItem(code.name, code.id)
        self.saved.clear()
        self.saved.addItem("Saved searches…")
        for search in self.controller.project.saved_queries.list(QueryKind.SEARCH):
            self.saved.addItem(search.name, search)

    def _load_saved(self, index: int) -> None:
        search = self.saved.itemData(index)
        if isinstance(search, SavedQuery):
            self.query.setText(search.query)
            self.regex.setChecked(bool(search.options.get("regex")))
            self.case.setChecked(bool(search.options.get("case_sensitive")))
            self.accents.setChecked(bool(search.options.get("accent_sensitive")))

    def options(self) -> SearchOptions:
        """The options ticked."""
        return SearchOptions(
            regex=self.regex.isChecked(),
            case_sensitive=self.case.isChecked(),
            accent_sensitive=self.accents.isChecked(),
        )

    def run_search(self) -> bool:
        """Search off the GUI thread; False (after saying why) when the query is refused."""
        query, options = self.query.text(), self.options()
        search = self.controller.project.search

        def work(_progress, cancelled):
            hits = list(search.hits(query, options, limit=MAX_LINES, cancelled=cancelled))
            return hits, search.counts(query, options)

        try:
            hits, counts = run_in_background(self, "Search", "Searching documents…", work)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Search", str(exc))
            return False
        self.model.set_hits(hits)
        titles = {d.id: d.title for d in self.controller.documents()}
        self.counts.setSortingEnabled(False)
        self.counts.setRowCount(len(counts))
        for row, (doc_id, n) in enumerate(counts.items()):
            self.counts.setItem(row, 0, QTableWidgetItem(titles.get(doc_id, str(doc_id))))
            cell = QTableWidgetItem()
            cell.setData(Qt.ItemDataRole.DisplayRole, n)
            self.counts.setItem(row, 1, cell)
        self.counts.setSortingEnabled(True)
        total = sum(counts.values())
        shown = "" if total <= len(hits) else f" (first {len(hits):,} shown)"
        self.summary.setText(f"{total:,} hits in {len(counts):,} documents{shown}")
        return True

    def save_search(self) -> None:
        """Save the query and its options under a name."""
        name, ok = QInputDialog.getText(self, "Save search", "Name:")
        if not ok or not name.strip():
            return
        o = self.options()
        search = SavedQuery(
            QueryKind.SEARCH, name, self.query.text(),
            {"regex": o.regex, "case_sensitive": o.case_sensitive,
             "accent_sensitive": o.accent_sensitive},
        )  # fmt: skip
        try:
            self.controller.project.saved_queries.save(search)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Save search", str(exc))
            return
        self.reload_choices()

    def _activate(self, index: QModelIndex) -> None:
        hit = self.model.hits[index.row()]
        self.hit_activated.emit(hit.document_id, hit.start, hit.end)

    def preview(self) -> list[Coding]:
        """The codings auto-coding would make now (nothing stored)."""
        controller = self.controller
        query, options = self.query.text(), self.options()
        unit, code_id = Unit(self.unit.currentText()), self.code.currentData()
        return run_in_background(
            self, "Auto-code", "Preparing the preview…",
            lambda _p, cancelled: controller.project.search.autocode_preview(
                query, options, unit, code_id, controller.coder.id, cancelled=cancelled
            ),
        )  # fmt: skip

    def autocode(self, confirm: Callable[[list[Coding]], bool] | None = None) -> bool:
        """Preview, then (when confirmed) store the codings as one undoable step."""
        try:
            codings = self.preview()
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Auto-code", str(exc))
            return False
        if not codings:
            QMessageBox.information(self, "Auto-code", "Nothing new to code.")
            return False
        if not (confirm or self._confirm)(codings):
            return False
        controller = self.controller
        command = AddCodingsCommand(
            controller,
            f"Auto-code {len(codings)} passages as {self.code.currentText()}",
            lambda: controller.project.search.autocode(codings),
        )
        return controller.run(command)

    def _confirm(self, codings: list[Coding]) -> bool:
        dialog = QDialog(self)
        dialog.setWindowTitle("Auto-code: preview")
        listing = QListWidget(dialog)
        titles = {d.id: d.title for d in self.controller.documents()}
        for c in codings[:2000]:
            listing.addItem(f"{titles.get(c.document_id, '')}: {' '.join(c.quote.split())}")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(f"Code {len(codings):,} passages as {self.code.currentText()}?"))
        layout.addWidget(listing, 1)
        layout.addWidget(buttons)
        dialog.resize(760, 480)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def export(self, path: Path | None = None) -> int:
        """Export the lines shown (asks for the file unless given)."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self,
                "Export lines",
                "",
                "CSV (*.csv);;Excel (*.xlsx);;HTML (*.html);;Word (*.docx)",
            )
            if not name:
                return 0
            path = Path(name)
        fmt = TableFormat(path.suffix.lstrip(".").lower() or "csv")
        hits, title = list(self.model.hits), f"Search: {self.query.text()}"
        return run_in_background(
            self, "Export", "Writing lines…", lambda _p, _c: write_kwic(path, fmt, title, hits)
        )
