"""The disagreement viewer: walk through two coders' disagreements in a document and settle them.

Selecting a disagreement shows its passage in the main window's document view (selected
and scrolled to, with every coder's codings shown while the viewer is open). Each decision
(accept A, accept B, both, neither, edit) is an undoable command committed at once; see
:mod:`annotator.services.adjudication` for how decisions are stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import tree_order
from annotator.domain.codebook_paths import code_paths
from annotator.domain.locations import location_label
from annotator.domain.model import Coding
from annotator.gui.agreement.adjudication_commands import AdjudicateCommand
from annotator.gui.agreement.disagreement_model import Column, DisagreementModel
from annotator.gui.coding.span_dialog import SpanDialog
from annotator.gui.controller import CodingDelta, ShowMode
from annotator.gui.help.help_windows import close_on_escape
from annotator.gui.screen_fit import fit_size
from annotator.services.adjudication import (
    CONSENSUS_CODER,
    REJECTED_CODER,
    AdjudicationService,
    DecisionKind,
    DisagreementItem,
)

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

EditChoice = tuple[Coding, tuple[int, int]]


def _id(data: object) -> uuid.UUID | None:
    """Combo boxes hold UUIDs as text: Qt compares Python objects by identity in findData."""
    return uuid.UUID(data) if isinstance(data, str) and data else None


class DisagreementViewer(QWidget):
    """Disagreements of two coders in one document, with adjudication buttons."""

    shown = Signal(object)  # the DisagreementItem now shown in the document view

    def __init__(self, main: MainWindow) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.setObjectName("disagreementViewer")
        self.setWindowTitle("Disagreements")
        fit_size(self, 1000, 560)
        self.main = main
        self.controller = main.controller
        self.service = AdjudicationService(self.controller.project)
        self.ask_edit: Callable[[DisagreementItem], EditChoice | None] = self._ask_edit
        self._saved_view: tuple[ShowMode, set[uuid.UUID], bool] | None = None
        self._paths: dict[uuid.UUID, str] = {}
        self._names: dict[uuid.UUID, str] = {}

        self.document = QComboBox()
        self.coder_a = QComboBox()
        self.coder_b = QComboBox()
        self.code = QComboBox()
        for combo in (self.document, self.coder_a, self.coder_b, self.code):
            # Not as wide as the longest title (a long document title made the window
            # wider than a laptop screen): long entries are elided in the list instead.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14 if combo is not self.document else 28)
        self.model = DisagreementModel()
        self.table = QTableView()
        self.table.setObjectName("disagreementTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # Three lines a row, fixed: sizing rows to their contents before the columns have
        # their final widths made rows hundreds of pixels tall. The full passage is shown
        # below the table for the selected disagreement.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 3 + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Long code paths and decisions wrap in their share of the width instead of
        # pushing the Decision column and the buttons off a laptop screen.
        for col in (Column.CODES, Column.CODER_A, Column.CODER_B, Column.DECISION):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _old: self._show(cur))
        self.progress = QLabel()
        self.progress.setObjectName("adjudicationProgress")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)

        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.previous_button.setToolTip("Previous disagreement (Shift+F8)")
        self.next_button.setToolTip("Next disagreement (F8)")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        for key, direction in (("F8", 1), ("Shift+F8", -1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda d=direction: self.step(d))
        close_on_escape(self)
        self.decision_buttons: dict[DecisionKind, QPushButton] = {}
        decisions = QHBoxLayout()
        decisions.addWidget(QLabel("Decide:"))
        for kind, text in (
            (DecisionKind.ACCEPT_A, "Accept A"),
            (DecisionKind.ACCEPT_B, "Accept B"),
            (DecisionKind.BOTH, "Both"),
            (DecisionKind.NEITHER, "Neither"),
            (DecisionKind.EDIT, "Edit…"),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, k=kind: self.decide(k))
            decisions.addWidget(button)
            self.decision_buttons[kind] = button
        decisions.addStretch(1)
        decisions.addWidget(self.previous_button)
        decisions.addWidget(self.next_button)

        grid = QGridLayout()
        for col, (label, combo) in enumerate(
            (
                ("Document", self.document),
                ("Coder A", self.coder_a),
                ("Coder B", self.coder_b),
                ("Code", self.code),
            )
        ):
            grid.addWidget(QLabel(label), 0, col)
            grid.addWidget(combo, 1, col)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(3, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(decisions)
        layout.addWidget(self.progress)
        self._fill_choices()
        for combo in (self.document, self.coder_a, self.coder_b, self.code):
            combo.currentIndexChanged.connect(self.reload)
        self.controller.codings_delta.connect(self._on_delta)
        self.reload()

    # -- choices ------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        c = self.controller
        codes = c.codes()
        self._paths = code_paths(codes)
        coders = [x for x in c.coders() if x.name not in (CONSENSUS_CODER, REJECTED_CODER)]
        self._names = {x.id: x.name for x in coders}
        for combo in (self.document, self.coder_a, self.coder_b, self.code):
            combo.blockSignals(True)
            combo.clear()
        for doc in c.documents():
            self.document.addItem(doc.title, str(doc.id))
        # Start where the user is reading.
        self.document.setCurrentIndex(
            max(self.document.findData(str(self.main.current_document)), 0)
        )
        for combo in (self.coder_a, self.coder_b):
            for coder in coders:
                combo.addItem(coder.name, str(coder.id))
        self.coder_b.setCurrentIndex(min(1, self.coder_b.count() - 1))
        self.code.addItem("All codes", "")
        for code in tree_order(codes):
            if code.codable:
                self.code.addItem(self._paths[code.id], str(code.id))
        for combo in (self.document, self.coder_a, self.coder_b, self.code):
            combo.blockSignals(False)

    def set_filter(
        self,
        coder_a: uuid.UUID,
        coder_b: uuid.UUID,
        code_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
        documents: list[uuid.UUID] | None = None,
    ) -> None:
        """Show these coders' disagreements on ``code_id`` (None: all codes).

        Without ``document_id`` the first of ``documents`` (default: every document) that
        has such a disagreement is shown.
        """
        combos = (
            (self.coder_a, coder_a),
            (self.coder_b, coder_b),
            (self.code, code_id),
        )
        for combo, value in combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(str(value or "")), 0))
            combo.blockSignals(False)
        if document_id is None:
            candidates = documents or [
                _id(self.document.itemData(i)) for i in range(self.document.count())
            ]
            codes = None if code_id is None else {code_id}
            document_id = next(
                (d for d in candidates if self.service.disagreements(d, coder_a, coder_b, codes)),
                candidates[0] if candidates else None,
            )
        self.document.blockSignals(True)
        self.document.setCurrentIndex(max(self.document.findData(str(document_id)), 0))
        self.document.blockSignals(False)
        self.reload()

    def _pair(self) -> tuple[uuid.UUID | None, uuid.UUID | None]:
        return _id(self.coder_a.currentData()), _id(self.coder_b.currentData())

    def selected_code(self) -> uuid.UUID | None:
        """The code the list is filtered to (None: every code)."""
        return _id(self.code.currentData())

    def _code_filter(self) -> set[uuid.UUID] | None:
        code = self.selected_code()
        return None if code is None else {code}

    # -- listing ------------------------------------------------------------------------
    def reload(self) -> None:
        """Recompute the list (keeping the selected row) and the progress counts."""
        row = self.table.currentIndex().row()
        a, b = self._pair()
        doc = _id(self.document.currentData())
        items: list[DisagreementItem] = []
        if a is not None and b is not None and a != b and doc is not None:
            items = self.service.disagreements(doc, a, b, self._code_filter())
            document = self.controller.document(doc)
            self.model.locate = lambda offset, d=document: location_label(d, offset)
        names = (self._names.get(a, "Coder A"), self._names.get(b, "Coder B"))
        self.model.set_items(items, self._paths, names)
        self._update_progress()
        if items:
            self.select_row(min(max(row, 0), len(items) - 1), show=False)
        else:
            self.details.setText(
                "Choose two different coders." if a == b else "No disagreements here."
            )
        self._update_enabled()

    def _update_progress(self) -> None:
        a, b = self._pair()
        if a is None or b is None or a == b:
            self.progress.setText("")
            return
        here = self.model.items()
        docs = [_id(self.document.itemData(i)) for i in range(self.document.count())]
        settled, total = self.service.progress(docs, a, b, self._code_filter())
        self.progress.setText(
            f"This document: {sum(i.settled for i in here)} of {len(here)} settled · "
            f"all documents: {settled} of {total} settled"
        )

    def _update_enabled(self) -> None:
        has = self.current() is not None
        writable = not self.controller.project.read_only
        for button in self.decision_buttons.values():
            button.setEnabled(has and writable)
        self.previous_button.setEnabled(has)
        self.next_button.setEnabled(has)

    def current(self) -> DisagreementItem | None:
        """The selected disagreement."""
        row = self.table.currentIndex().row()
        return self.model.item(row) if 0 <= row < self.model.rowCount() else None

    def select_row(self, row: int, show: bool = True) -> None:
        """Select a disagreement (and show it in the document view unless ``show`` is False)."""
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        if not show:
            self.table.selectionModel().blockSignals(True)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.selectionModel().blockSignals(False)
        self.table.scrollTo(index)
        if show:
            self._show(index)
        else:
            self._describe(self.model.item(row))

    def step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) disagreement."""
        n = self.model.rowCount()
        if n:
            row = self.table.currentIndex().row()
            self.select_row(min(max(row + direction, 0), n - 1) if row >= 0 else 0)

    # -- showing ------------------------------------------------------------------------
    def _show(self, index) -> None:
        if not index.isValid():
            return
        item = self.model.item(index.row())
        main = self.main
        if main.current_document != item.document_id:
            main.open_document(item.document_id)
        main.view.select_span(item.start, item.end)
        main.view.set_selected_codings({c.id for c in (*item.codings_a, *item.codings_b)})
        self._describe(item)
        self._update_enabled()
        self.shown.emit(item)

    def _describe(self, item: DisagreementItem) -> None:
        text = self.main.view.text if self.main.current_document == item.document_id else ""
        quote = " ".join(text[item.start : item.end].split())[:300]
        decided = "; ".join(c.memo.split("\n", 1)[0] for c in item.decision[:1]) or "open"
        where = self.model.locate(item.start) if self.model.locate else f"{item.start}–{item.end}"
        self.details.setText(f"{item.kind} disagreement, {where}: “{quote}”\nDecision: {decided}")

    def showEvent(self, event: QShowEvent) -> None:
        """Show every coder's codings in the main window while the viewer is open."""
        if self._saved_view is None:
            c = self.controller
            self._saved_view = (c.show_mode, set(c.chosen_coders), c.blind)
            if c.blind:
                c.set_blind(False)
            c.set_show_mode(ShowMode.ALL)
            current = self.table.currentIndex()
            if current.isValid():
                self._show(current)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Put the main window's visibility back as it was."""
        if self._saved_view is not None:
            mode, chosen, blind = self._saved_view
            self._saved_view = None
            self.controller.set_show_mode(mode, chosen)
            if blind:
                self.controller.set_blind(True)
        super().closeEvent(event)

    # -- deciding -----------------------------------------------------------------------
    def decide(self, kind: DecisionKind) -> bool:
        """Record a decision on the selected disagreement (undoable, committed at once)."""
        item = self.current()
        if item is None:
            return False
        source = extent = None
        if kind is DecisionKind.EDIT:
            choice = self.ask_edit(item)
            if choice is None:
                return False
            source, extent = choice
        had_judges = set(self.service.adjudication_coders())
        ok = self.controller.run(
            AdjudicateCommand(self.controller, item, kind, source=source, extent=extent)
        )
        if ok and set(self.service.adjudication_coders()) != had_judges:
            # A new consensus coder: let the main window learn its name (and show it).
            self.controller.set_show_mode(ShowMode.ALL)
        if ok:
            self._show(self.table.currentIndex())
        return ok

    def _ask_edit(self, item: DisagreementItem) -> EditChoice | None:
        options = [*item.codings_a, *item.codings_b]
        names = [
            f"{self._names.get(c.coder_id, '?')}: {self._paths.get(c.code_id, '?')} "
            f"[{c.start}–{c.end}]"
            for c in options
        ]
        chosen = 0
        if len(options) > 1:
            name, ok = QInputDialog.getItem(
                self, "Edit decision", "Accept which coding?", names, 0, False
            )
            if not ok:
                return None
            chosen = names.index(name)
        source = options[chosen]
        text = self.controller.document(item.document_id).text
        dialog = SpanDialog(text, source.start, source.end, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return source, dialog.span()

    def _on_delta(self, delta: CodingDelta) -> None:
        if _id(self.document.currentData()) in delta.documents():
            self.reload()
