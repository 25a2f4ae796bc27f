"""The "Over time" tab of the agreement window: agreement by week, N codings or version.

A lead chooses how to bin the coding (week of coding, every N codings, codebook version)
and a warning threshold; the panel computes off the GUI thread (progress and Cancel),
draws one line per series (all coders, each coder against the others) and lists every
drop larger than the threshold. The chart exports as PNG or SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.agreement import AgreementCancelledError
from annotator.domain.errors import AnnotatorError
from annotator.gui.background import run_in_background
from annotator.gui.controller import ProjectController
from annotator.services.agreement_drift import DriftRequest, DriftResult, DriftService

BINS = (("Week of coding", "week"), ("Every N codings", "codings"), ("Codebook version", "version"))


class DriftPanel(QWidget):
    """Agreement over time for the coders checked in the agreement window."""

    def __init__(
        self,
        controller: Callable[[], ProjectController],
        coders: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDrift")
        self._controller = controller
        self._coders = coders
        self.result: DriftResult | None = None
        self.figure = None
        self.save_path: Callable[[str], Path | None] = self._ask_path
        self.by = QComboBox()
        for text, key in BINS:
            self.by.addItem(text, key)
        self.every = QSpinBox()
        self.every.setRange(1, 1_000_000)
        self.every.setValue(50)
        self.every.setPrefix("N = ")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 2.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.10)
        self.threshold.setPrefix("warn if alpha falls by > ")
        self.compute_button = QPushButton("Compute over time")
        self.compute_button.clicked.connect(self.compute)
        self.export_button = QPushButton("Export chart…")
        self.export_button.clicked.connect(self._export_clicked)
        self.export_button.setEnabled(False)
        self.by.currentIndexChanged.connect(
            lambda: self.every.setEnabled(self.by.currentData() == "codings")
        )
        self.every.setEnabled(False)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Bins"))
        controls.addWidget(self.by)
        controls.addWidget(self.every)
        controls.addWidget(self.threshold)
        controls.addStretch(1)
        controls.addWidget(self.compute_button)
        controls.addWidget(self.export_button)
        self.warnings = QLabel("")
        self.warnings.setObjectName("driftWarnings")
        self.warnings.setWordWrap(True)
        self.canvas_holder = QVBoxLayout()
        self.placeholder = QLabel(
            "Agreement (Krippendorff's alpha, character units) per bin of documents, for all "
            "checked coders and each coder against the others. Documents enter a bin only "
            "when two or more of the coders coded them."
        )
        self.placeholder.setWordWrap(True)
        self.canvas_holder.addWidget(self.placeholder)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(self.canvas_holder, 1)
        layout.addWidget(self.warnings)

    def request(self) -> DriftRequest:
        """The computation the controls describe."""
        return DriftRequest(
            coders=tuple(self._coders()),
            by=str(self.by.currentData()),
            every=self.every.value(),
            threshold=self.threshold.value(),
        )

    def compute(self) -> None:
        """Compute in a worker thread behind a progress dialog (Cancel stops it)."""
        request = self.request()
        project = self._controller().project
        try:
            result = run_in_background(
                self,
                "Agreement over time",
                "Computing agreement per bin…",
                lambda progress, cancelled: DriftService(project).compute(
                    request, progress, cancelled
                ),
            )
        except AgreementCancelledError:
            self.warnings.setText("Cancelled.")
            return
        except AnnotatorError as exc:
            self.warnings.setText(str(exc))
            return
        if result is not None:
            self.show_result(result)

    def show_result(self, result: DriftResult) -> None:
        """Draw the chart and list the warnings."""
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from annotator.exchange.agreement_charts import drift_chart

        self.result = result
        lines = [
            (s.name, s.coder is None, [(p.label, p.value.value) for p in s.points])
            for s in result.series
        ]
        falls = [(w.series, w.after, w.drop) for w in result.warnings]
        self.figure = drift_chart(lines, falls, result.by)
        while self.canvas_holder.count():
            widget = self.canvas_holder.takeAt(0).widget()
            if widget is not None and widget is not self.placeholder:
                widget.deleteLater()
        self.placeholder.hide()
        canvas = FigureCanvasQTAgg(self.figure)
        canvas.setObjectName("driftCanvas")
        canvas.setMinimumHeight(220)
        self.canvas_holder.addWidget(canvas)
        if result.warnings:
            lines = "<br>".join(f"⚠ {w}" for w in result.warnings)
            self.warnings.setText(f"<span style='color:#b00020'>{lines}</span>")
        elif not any(s.points for s in result.series):
            self.warnings.setText("No document was coded by two or more of these coders.")
        else:
            self.warnings.setText(f"No drop larger than {result.threshold:.2f}.")
        self.export_button.setEnabled(True)

    def export_to(self, path: Path) -> Path | None:
        """Write the chart as PNG or SVG (by the file's suffix)."""
        from annotator.exchange.agreement_charts import figure_bytes

        if self.figure is None:
            return None
        fmt = "svg" if path.suffix.lower() == ".svg" else "png"
        try:
            path.write_bytes(figure_bytes(self.figure, fmt))
        except OSError as exc:
            self.warnings.setText(f"Could not write {path}: {exc.strerror or exc}.")
            return None
        return path

    def _ask_path(self, fmt: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export chart", f"agreement-over-time.{fmt}", "PNG (*.png);;SVG (*.svg)"
        )
        return Path(name) if name else None

    def _export_clicked(self) -> None:
        path = self.save_path("png")
        if path is not None:
            self.export_to(path)
