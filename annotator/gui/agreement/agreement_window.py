"""The agreement window: choose coders, documents, codes and unit; compute; read; export.

Non-modal. Computing runs in a worker thread (:mod:`.agreement_worker`) with a
progress bar and Cancel; results fill one table per view (by code, by document, by coder
pair, gamma), coloured by Krippendorff's thresholds, and an "Over time" tab follows
agreement by week, N codings or codebook version. Double-clicking a code asks for its
disagreements (:attr:`AgreementWindow.code_activated`).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement import ReportRow, methods_paragraph
from annotator.domain.codebook import tree_order
from annotator.domain.codebook_paths import code_paths
from annotator.domain.errors import AnnotatorError
from annotator.gui.agreement.agreement_model import AgreementModel
from annotator.gui.agreement.agreement_worker import AgreementRun
from annotator.gui.agreement.drift_panel import DriftPanel
from annotator.gui.controller import ProjectController
from annotator.gui.help.help_windows import close_on_escape
from annotator.gui.screen_fit import fit_size
from annotator.services.adjudication import CONSENSUS_CODER, REJECTED_CODER
from annotator.services.agreement import (
    UNITS,
    AgreementRequest,
    AgreementResult,
    AgreementService,
    write_report,
)

FRAME_CHOICES = (
    ("coded-by-all", "documents every coder coded"),
    ("coded-by-any", "documents any coder coded"),
    ("all", "all checked documents"),
)
EXPORT_FILTERS = {"html": "HTML (*.html)", "csv": "CSV (*.csv)", "json": "JSON (*.json)"}
LEGEND = (
    "<span style='background:#b7e1b0'>&nbsp;≥ .800 reliable&nbsp;</span> "
    "<span style='background:#f6e7a1'>&nbsp;≥ .667 tentative&nbsp;</span> "
    "<span style='background:#f2b8b5'>&nbsp;&lt; .667 unreliable&nbsp;</span> "
    "<span style='background:#e4e4e4'>&nbsp;undefined (hover for why)&nbsp;</span> "
    "— Krippendorff (2004). Double-click a code to see its disagreements."
)


def _checklist(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return widget


def _add_item(widget: QListWidget, text: str, key: str, checked: bool) -> None:
    item = QListWidgetItem(text, widget)
    item.setData(Qt.ItemDataRole.UserRole, key)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def checked_keys(widget: QListWidget) -> list[str]:
    """The keys (UUID strings) of the checked items, in list order."""
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def _table(model: AgreementModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The label (code path) column takes what is left and elides at the left, so the
    # figures fit without sideways scrolling; the full path is in the row's tooltip.
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # Sections are re-created when the model resets: set the label column's mode again.
    model.modelReset.connect(
        lambda: header.count() and header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    )
    view.setTextElideMode(Qt.TextElideMode.ElideLeft)  # keep the code name, elide its path
    view.setWordWrap(False)
    return view


def _code_label(row: ReportRow) -> str:
    return row.code if row.code is not None else "All codes (pooled)"


def _gamma_label(row: ReportRow) -> str:
    if row.document is not None:
        return f"Document: {row.document}"
    return _code_label(row)


class AgreementWindow(QWidget):
    """Inter-coder agreement of the open project."""

    code_activated = Signal(object, str)  # the AgreementResult and a code's path
    computed = Signal()  # a report is shown (after a successful computation)

    def __init__(self, controller: Callable[[], ProjectController], parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("agreementWindow")
        self.setWindowTitle("Inter-coder agreement")
        fit_size(self, 1320, 720)
        self._controller = controller
        self.result: AgreementResult | None = None
        self.run: AgreementRun | None = None
        self.save_path: Callable[[str], Path | None] = self._ask_path

        self.coders = _checklist("agreementCoders")
        self.documents = _checklist("agreementDocuments")
        self.codes = _checklist("agreementCodes")
        self.descendants = QCheckBox("Include sub-codes of checked codes")
        self.descendants.setChecked(True)
        self.unit = QComboBox()
        self.unit.addItems(list(UNITS))
        self.overlap = QDoubleSpinBox()
        self.overlap.setRange(0.0, 1.0)
        self.overlap.setSingleStep(0.05)
        self.overlap.setValue(0.5)
        self.bootstrap = QSpinBox()
        self.bootstrap.setRange(0, 100_000)
        self.bootstrap.setSingleStep(500)
        self.bootstrap.setSpecialValueText("none")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setValue(1)
        self.frame = QComboBox()
        self.frame.setObjectName("agreementFrame")
        for key, text in FRAME_CHOICES:
            self.frame.addItem(text, key)
        self.frame.setToolTip(
            "Which of the checked documents are compared. A document nobody coded adds only "
            "'both absent' units, which inflate agreement; by default only documents that "
            "every compared coder coded are compared. The methods paragraph states the rule."
        )
        self.gamma = QCheckBox("Also gamma (unitizing and codes together)")
        self.gamma.setObjectName("agreementGamma")
        self.gamma.setToolTip(
            "Gamma (Mathet, Widlöcher & Métivier 2015) aligns the coders' passages and "
            "compares their disorder with random continua: one figure for where coders cut "
            "the text and which codes they gave."
        )
        self.gamma_samples = QSpinBox()
        self.gamma_samples.setRange(2, 10_000)
        self.gamma_samples.setValue(30)
        self.gamma_samples.setSuffix(" random continua")
        self.gamma.toggled.connect(self.gamma_samples.setEnabled)
        self.gamma_samples.setEnabled(False)
        self.unit.currentTextChanged.connect(self._unit_changed)
        self.compute_button = QPushButton("&Compute")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.status = QLabel("Choose two or more coders, then Compute.")
        self.status.setWordWrap(True)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.coders.itemChanged.connect(self._update_enabled)

        form = QFormLayout()
        form.addRow("Unit", self.unit)
        form.addRow("Compare", self.frame)
        form.addRow("Minimum overlap", self.overlap)
        form.addRow("Bootstrap resamples", self.bootstrap)
        form.addRow("Seed", self.seed)
        form.addRow(self.gamma)
        form.addRow("Gamma samples", self.gamma_samples)
        left = QWidget()
        lv = QVBoxLayout(left)
        for title, widget in (
            ("Coders (two or more)", self.coders),
            ("Documents", self.documents),
            ("Codes (none checked: every code used)", self.codes),
        ):
            lv.addWidget(QLabel(f"<b>{title}</b>"))
            lv.addWidget(widget)
        lv.addWidget(self.descendants)
        lv.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        self.fields_button = QPushButton("Per &field…")  # issue 10: recommendation fields
        self.fields_button.setToolTip("Agreement on the fields of codings both coders made")
        self.fields_button.clicked.connect(self._show_fields)
        buttons.addWidget(self.fields_button)
        lv.addLayout(buttons)
        lv.addWidget(self.progress)
        lv.addWidget(self.status)

        self.code_model = AgreementModel(_code_label, "Code")
        self.document_model = AgreementModel(self._document_label, "Document / code")
        self.pair_model = AgreementModel(_code_label, "Code")
        self.code_table = _table(self.code_model, "agreementByCode")
        self.code_table.doubleClicked.connect(self._code_double_clicked)
        self.document_choice = QComboBox()
        self.document_choice.currentIndexChanged.connect(self._show_document_rows)
        self.pair_choice = QComboBox()
        self.pair_choice.currentIndexChanged.connect(self._show_pair_rows)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.code_table, "By code")
        self.tabs.addTab(
            self._with_selector("Document", self.document_choice, self.document_model),
            "By document",
        )
        self.tabs.addTab(
            self._with_selector("Coder pair", self.pair_choice, self.pair_model), "By coder pair"
        )
        self.gamma_model = AgreementModel(_gamma_label, "Scope")
        self.gamma_table = _table(self.gamma_model, "agreementGammaTable")
        self.tabs.addTab(self.gamma_table, "Gamma")
        self.drift = DriftPanel(controller, lambda: checked_keys(self.coders), self)
        self.tabs.addTab(self.drift, "Over time")
        self.methods = QPlainTextEdit()
        self.methods.setReadOnly(True)
        self.methods.setObjectName("agreementMethods")
        self.copy_button = QPushButton("Copy methods paragraph")
        self.copy_button.clicked.connect(self.copy_methods)
        self.export_buttons: dict[str, QPushButton] = {}
        exports = QHBoxLayout()
        exports.addWidget(self.copy_button)
        exports.addStretch(1)
        for fmt in ("html", "csv", "json"):
            button = QPushButton(f"Export {fmt.upper()}…")
            button.clicked.connect(lambda _=False, f=fmt: self._export_clicked(f))
            exports.addWidget(button)
            self.export_buttons[fmt] = button
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Close this window (Esc)")
        self.close_button.clicked.connect(self.close)
        exports.addWidget(self.close_button)
        close_on_escape(self)
        right = QWidget()
        rv = QVBoxLayout(right)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        rv.addWidget(legend)
        rv.addWidget(self.tabs, 3)
        rv.addWidget(QLabel("<b>Methods</b>"))
        rv.addWidget(self.methods, 1)
        rv.addLayout(exports)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([290, 1030])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.reload_choices()
        self._unit_changed(self.unit.currentText())
        self._set_report(None)

    # -- choices ------------------------------------------------------------------------
    def reload_choices(self) -> None:
        """Fill the coder, document and code lists from the project."""
        c = self._controller()
        usage = c.project.codebook.usage(None)
        active = {coder for per in usage.values() for coder in per}
        self.coders.clear()
        for coder in c.coders():
            judge = coder.name in (CONSENSUS_CODER, REJECTED_CODER)
            _add_item(self.coders, coder.name, str(coder.id), coder.id in active and not judge)
        self.documents.clear()
        for doc in c.documents():
            _add_item(self.documents, doc.title, str(doc.id), True)
        self.codes.clear()
        codes = c.codes()
        paths = code_paths(codes)
        for code in tree_order(codes):
            _add_item(self.codes, paths[code.id], str(code.id), False)
        self._update_enabled()

    def set_checked(self, widget: QListWidget, labels: set[str]) -> None:
        """Check exactly the items whose text is in ``labels``."""
        for i in range(widget.count()):
            item = widget.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.text() in labels else Qt.CheckState.Unchecked
            )

    def request(self) -> AgreementRequest:
        """The computation the form describes."""
        return AgreementRequest(
            coders=tuple(checked_keys(self.coders)),
            documents=tuple(checked_keys(self.documents)),
            codes=tuple(checked_keys(self.codes)),
            descendants=self.descendants.isChecked(),
            unit=self.unit.currentText(),
            overlap=self.overlap.value(),
            bootstrap=self.bootstrap.value(),
            seed=self.seed.value(),
            frame=self.frame.currentData(),
            gamma_samples=self.gamma_samples.value() if self.gamma.isChecked() else 0,
        )

    def _unit_changed(self, unit: str) -> None:
        self.overlap.setEnabled(unit == "segment")
        self.bootstrap.setEnabled(unit != "segment")

    def _update_enabled(self) -> None:
        running = self.run is not None
        enough = len(checked_keys(self.coders)) >= 2
        self.compute_button.setEnabled(enough and not running)
        self.cancel_button.setEnabled(running)
        for button in self.export_buttons.values():
            button.setEnabled(self.result is not None and not running)
        self.copy_button.setEnabled(self.result is not None)

    # -- computing ----------------------------------------------------------------------
    def compute(self) -> None:
        """Start computing in a worker thread (nothing happens while one is running)."""
        if self.run is not None:
            return
        request = self.request()
        if not request.documents:
            self.status.setText("Check at least one document.")
            return
        self.run = AgreementRun(AgreementService(self._controller().project), request, self)
        self.run.progress.connect(self._on_progress)
        self.run.finished.connect(self._on_finished)
        self.run.failed.connect(lambda msg: self.status.setText(f"Could not compute: {msg}"))
        self.run.cancelled.connect(lambda: self.status.setText("Cancelled."))
        self.run.done.connect(self._on_done)
        self.progress.setRange(0, 0)  # busy until the first rows report progress
        self.status.setText("Computing…")
        self.run.start()
        self._update_enabled()

    def cancel(self) -> None:
        """Stop the running computation at its next row."""
        if self.run is not None:
            self.run.cancel()
            self.status.setText("Cancelling…")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_finished(self, result: AgreementResult) -> None:
        self._set_report(result)
        s = result.report.settings
        self.status.setText(
            f"Computed on {len(s.documents)} documents and {len(s.codes)} codes ({s.unit} units)."
        )
        self.computed.emit()

    def _on_done(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.result is not None else 0)
        if self.run is not None:
            self.run.deleteLater()
        self.run = None
        self._update_enabled()

    # -- showing ------------------------------------------------------------------------
    def _with_selector(self, label: str, combo: QComboBox, model: AgreementModel) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(label))
        row.addWidget(combo, 1)
        v.addLayout(row)
        name = "agreementByDocument" if model is self.document_model else "agreementByPair"
        v.addWidget(_table(model, name))
        return page

    def _document_label(self, row: ReportRow) -> str:
        if self.document_choice.currentIndex() <= 0:
            return row.document or ""
        return _code_label(row)

    def _set_report(self, result: AgreementResult | None) -> None:
        self.result = result
        report = result.report if result is not None else None
        self.code_model.set_rows([*report.code_rows, report.pooled] if report else [])
        self.gamma_model.set_rows(list(report.gamma_rows) if report else [])
        self.document_choice.blockSignals(True)
        self.document_choice.clear()
        self.document_choice.addItem("Every document (all codes pooled)")
        self.document_choice.addItems(list(report.settings.documents) if report else [])
        self.document_choice.blockSignals(False)
        self.pair_choice.blockSignals(True)
        self.pair_choice.clear()
        if report:
            self.pair_choice.addItems(
                [f"{a} vs {b}" for a, b in combinations(report.settings.coders, 2)]
            )
        self.pair_choice.blockSignals(False)
        self._show_document_rows()
        self._show_pair_rows()
        self.methods.setPlainText(methods_paragraph(report) if report else "")
        self._update_enabled()

    def _show_document_rows(self) -> None:
        if self.result is None:
            self.document_model.set_rows([])
            return
        rows = self.result.report.document_rows
        i = self.document_choice.currentIndex()
        if i <= 0:
            self.document_model.set_rows([r for r in rows if r.code is None])
        else:
            doc = self.document_choice.itemText(i)
            self.document_model.set_rows([r for r in rows if r.document == doc])

    def _show_pair_rows(self) -> None:
        if self.result is None or self.pair_choice.currentIndex() < 0:
            self.pair_model.set_rows([])
            return
        pair = tuple(self.pair_choice.currentText().split(" vs "))
        self.pair_model.set_rows([r for r in self.result.report.pair_rows if r.coders == pair])

    def _code_double_clicked(self, index) -> None:
        row = self.code_model.row(index.row())
        if self.result is not None and row.code is not None:
            self.code_activated.emit(self.result, row.code)

    # -- methods and exports ----------------------------------------------------------------
    def copy_methods(self) -> None:
        """Put the methods paragraph on the clipboard."""
        QGuiApplication.clipboard().setText(self.methods.toPlainText())
        self.status.setText("Methods paragraph copied.")

    def export_to(self, path: Path, fmt: str) -> Path | None:
        """Write the shown report as ``fmt`` (html, csv, json) to ``path``."""
        if self.result is None:
            return None
        try:
            written = write_report(self.result.report, path, fmt)
        except AnnotatorError as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(f"Exported {written.name}.")
        return written

    def _ask_path(self, fmt: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            f"Export agreement report ({fmt.upper()})",
            f"agreement.{fmt}",
            EXPORT_FILTERS[fmt],
        )
        return Path(name) if name else None

    def _export_clicked(self, fmt: str) -> None:
        path = self.save_path(fmt)
        if path is not None:
            self.export_to(path, fmt)

    def _show_fields(self) -> None:
        from annotator.gui.recommendations.details_actions import field_agreement

        window = self.parent()
        if window is not None and hasattr(window, "details_panel"):
            field_agreement(window)  # type: ignore[arg-type]

    def closeEvent(self, event: QCloseEvent) -> None:
        """A running computation is cancelled and its thread waited for."""
        if self.run is not None:
            self.run.wait()
        super().closeEvent(event)
