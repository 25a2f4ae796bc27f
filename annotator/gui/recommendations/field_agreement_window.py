"""Agreement per field, and settling value disagreements (issue 10, item 9).

Opened from Tools → Agreement per field… (and the agreement window's button). Choose two
coders, Compute: a table with one row per field (level, matched codings, compared pairs,
percent agreement, alpha, MASI for multiple choice) and the list of value disagreements.
A double-click opens the passage; *Accept A* / *Accept B* write that value into the
"Adjudicated" consensus coder (undoable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.gui.controller import CodingDelta, UndoableCommand
from annotator.services.field_adjudication import FieldAdjudicationService, ValueDecision
from annotator.services.field_agreement import (
    FieldAgreementReport,
    FieldAgreementService,
    ValueDisagreement,
    report_rows,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

HEADERS = ("Code", "Field", "Level", "Matched", "Compared", "Agreement", "Alpha", "MASI")


class AdjudicateValueCommand(UndoableCommand):
    """Take one coder's value into the consensus."""

    def __init__(self, controller, item: ValueDisagreement, side: str) -> None:
        super().__init__(controller, f"Adjudicate {item.field.name}")
        self.item = item
        self.side = side
        self.decision: ValueDecision | None = None

    def apply(self) -> None:
        """Decide (first time) or write the same decision again (redo)."""
        service = FieldAdjudicationService(self.controller.project)
        if self.decision is None:
            self.decision = service.decide(self.item, self.side, self.controller.coder.id)
        else:
            service.reapply(self.decision)
        self._notify(added=True)

    def revert(self) -> None:
        """Undo the decision."""
        assert self.decision is not None
        FieldAdjudicationService(self.controller.project).revert(self.decision)
        self._notify(added=False)

    def _notify(self, added: bool) -> None:
        d = self.decision
        if d is not None and d.created is not None:
            delta = CodingDelta(added=(d.created,)) if added else CodingDelta(removed=(d.created,))
            self.controller.notify_delta(delta)
        if d is not None:
            self.controller.notify_values([d.coding_id])


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class FieldAgreementWindow(QWidget):
    """Per-field agreement of two coders with their value disagreements."""

    def __init__(self, w: MainWindow) -> None:
        super().__init__(w, Qt.WindowType.Window)
        self.setObjectName("fieldAgreementWindow")
        self.setWindowTitle("Agreement per field")
        self.w = w
        self.report: FieldAgreementReport | None = None
        self.coder_a, self.coder_b = QComboBox(self), QComboBox(self)
        for combo in (self.coder_a, self.coder_b):
            for c in w.controller.coders():
                combo.addItem(c.name, c.id)
        if self.coder_b.count() > 1:
            self.coder_b.setCurrentIndex(1)
        self.compute_button = QPushButton("&Compute", self)
        self.compute_button.clicked.connect(self.compute)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list = QListWidget(self)
        self.list.itemActivated.connect(self._open)
        self.accept_a = QPushButton("Accept &A's value", self)
        self.accept_b = QPushButton("Accept &B's value", self)
        self.accept_a.clicked.connect(lambda: self.decide("a"))
        self.accept_b.clicked.connect(lambda: self.decide("b"))
        self.note = QLabel(
            "Codings are matched when they share at least half of the shorter span; "
            "suggested (unconfirmed) values are not counted.",
            self,
        )
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        for widget in (QLabel("Coder A"), self.coder_a, QLabel("Coder B"), self.coder_b):
            top.addWidget(widget)
        top.addWidget(self.compute_button)
        decide = QHBoxLayout()
        decide.addWidget(self.accept_a)
        decide.addWidget(self.accept_b)
        decide.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("<b>Value disagreements</b> (double-click opens the passage)"))
        layout.addWidget(self.list, 1)
        layout.addLayout(decide)
        self.resize(900, 600)

    def compute(self) -> FieldAgreementReport | None:
        """Compute for the chosen coders and show the result."""
        try:
            self.report = FieldAgreementService(self.w.controller.project).compute(
                self.coder_a.currentData(), self.coder_b.currentData()
            )
        except AnnotatorError as exc:
            self.note.setText(str(exc))
            return None
        rows = report_rows(self.report)
        self.table.setRowCount(len(rows))
        keys = ("code", "field", "level", "matched_codings", "compared", "percent_agreement",
                "alpha", "mean_masi")  # fmt: skip
        for i, row in enumerate(rows):
            for j, key in enumerate(keys):
                item = QTableWidgetItem(_cell(row[key]))
                if key == "alpha" and row[key] is None:
                    item.setToolTip(str(row["alpha_undefined_reason"]))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.list.clear()
        titles = {d.id: d.title for d in self.w.controller.documents()}
        for d in self.report.disagreements:
            quote = d.coding_a.quote[:80] + ("…" if len(d.coding_a.quote) > 80 else "")
            item = QListWidgetItem(
                f"{d.describe()} — {titles.get(d.coding_a.document_id, '?')}: {quote}"
            )
            item.setData(Qt.ItemDataRole.UserRole, d)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        return self.report

    def _open(self, item: QListWidgetItem) -> None:
        from annotator.gui.recommendations.details_actions import go_to_coding

        d: ValueDisagreement = item.data(Qt.ItemDataRole.UserRole)
        go_to_coding(self.w, d.coding_a.document_id, d.coding_a.id)

    def decide(self, side: str) -> bool:
        """Settle the selected disagreement with coder A's or B's value."""
        item = self.list.currentItem()
        if item is None:
            return False
        d: ValueDisagreement = item.data(Qt.ItemDataRole.UserRole)
        if not self.w.controller.run(AdjudicateValueCommand(self.w.controller, d, side)):
            return False
        item.setText("✓ " + item.text())
        return True
