"""A report and its response side by side: link passages from the keyboard, and accept the
response passages that matching proposes.

Keys (all in this window):

* **Alt+Down / Alt+Up**: the next / previous recommendation of the report; its ranked
  response candidates are listed below and the best one is shown on the right.
* **Ctrl+1 ... Ctrl+5**, or **Enter** in the candidate list: accept that candidate: the
  passage is coded with the response code and linked to the recommendation as *response
  to*, with the status shown (proposed from the response's wording; change it first if
  you disagree).
* **Ctrl+L**: link what is selected on the left to what is selected on the right (an
  existing coding under the selection is used; otherwise the selection is coded first).

Every action is one undoable command of the main window's undo stack.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.domain.links import RESPONSE_TO, CodingLink
from annotator.domain.model import Code, CodeKind, Coding, new_id
from annotator.domain.response_matching import Candidate
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.controller import ProjectController
from annotator.gui.recommendations.link_commands import CodeAndLinkCommand
from annotator.services.response_matching import RESPONSE_KIND, RecommendationMatch, match_document

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("#", "Score", "Status", "Passage")


class CandidatesModel(QAbstractTableModel):
    """The ranked candidates of the current recommendation."""

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list[Candidate] = []

    def set_candidates(self, candidates: list[Candidate]) -> None:
        """Show these candidates."""
        self.beginResetModel()
        self.candidates = list(candidates)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of candidates."""
        return 0 if parent.isValid() else len(self.candidates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Qt: number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        """Qt: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt: cell text."""
        c = self.candidates[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"Ctrl+{index.row() + 1}" if index.row() < 9 else str(index.row() + 1),
                f"{c.score:.2f}",
                c.status or "",
                " ".join(c.text.split())[:300],
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.text[:1500]
        return None


class SideBySideWindow(QWidget):
    """Two documents, the matching candidates, and keyboard linking."""

    def __init__(self, controller: ProjectController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.setWindowTitle("Report and response")
        self.setObjectName("sideBySideWindow")
        self.resize(1300, 700)  # fits a 1366x768 screen
        self.matches: list[RecommendationMatch] = []
        self.current: int = -1
        self.left = DocumentView(self)
        self.left.setObjectName("reportView")
        self.right = DocumentView(self)
        self.right.setObjectName("responseView")
        self.left_doc = QComboBox(self)
        self.right_doc = QComboBox(self)
        self.rec_code = QComboBox(self)
        self.reply_code = QComboBox(self)
        self.status = QComboBox(self)
        self.status.setObjectName("statusBox")
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.model = CandidatesModel()
        self.table = QTableView(self)
        self.table.setObjectName("candidatesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda index: self.accept_candidate(index.row()))
        match_button = QPushButton("Match", self)
        match_button.setToolTip("Rank the response's passages for every recommendation")
        match_button.clicked.connect(self.rematch)
        link_button = QPushButton("Link selections (Ctrl+L)", self)
        link_button.clicked.connect(self.link_selections)

        grid = QGridLayout()
        grid.addWidget(QLabel("Report:", self), 0, 0)
        grid.addWidget(self.left_doc, 0, 1)
        grid.addWidget(QLabel("Recommendations coded as:", self), 0, 2)
        grid.addWidget(self.rec_code, 0, 3)
        grid.addWidget(match_button, 0, 4)
        grid.addWidget(QLabel("Response:", self), 1, 0)
        grid.addWidget(self.right_doc, 1, 1)
        grid.addWidget(QLabel("Code responses as:", self), 1, 2)
        grid.addWidget(self.reply_code, 1, 3)
        grid.addWidget(link_button, 1, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        views = QSplitter(Qt.Orientation.Horizontal, self)
        views.addWidget(self.left)
        views.addWidget(self.right)
        bottom = QWidget(self)
        bottom_layout = QGridLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.info, 0, 0, 1, 3)
        bottom_layout.addWidget(QLabel("Status of an accepted link:", self), 1, 0)
        bottom_layout.addWidget(self.status, 1, 1)
        bottom_layout.setColumnStretch(2, 1)
        bottom_layout.addWidget(self.table, 2, 0, 1, 3)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(views)
        split.addWidget(bottom)
        split.setSizes([430, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(split, 1)

        for keys, slot in (
            ("Alt+Down", lambda: self.step(1)),
            ("Alt+Up", lambda: self.step(-1)),
            ("Ctrl+L", self.link_selections),
            *((f"Ctrl+{n}", lambda n=n: self.accept_candidate(n - 1)) for n in range(1, 6)),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.table.selectionModel().currentRowChanged.connect(self._candidate_changed)
        self._fill_choices()
        self.left_doc.currentIndexChanged.connect(self._documents_changed)
        self.right_doc.currentIndexChanged.connect(self._documents_changed)
        self.rec_code.currentIndexChanged.connect(self._documents_changed)
        controller.codings_delta.connect(lambda _delta: self._reload_codings())
        controller.links_changed.connect(self._show_current_links)
        self._documents_changed()

    # -- choices ------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        docs = self.controller.documents()
        for box in (self.left_doc, self.right_doc):
            box.blockSignals(True)
            box.clear()
            for d in docs:
                box.addItem(d.title, d.id)
            box.blockSignals(False)
        if len(docs) > 1:
            self.right_doc.setCurrentIndex(1)
        codes = [c for c in self.controller.codes() if c.codable]
        self._codes: dict[uuid.UUID, Code] = {c.id: c for c in self.controller.codes()}
        self._coders = {c.id: c for c in self.controller.coders()}
        recs = [c for c in codes if c.kind == CodeKind.RECOMMENDATION.value]
        self.rec_code.blockSignals(True)
        self.rec_code.addItem("every recommendation code", None)
        for c in recs:
            self.rec_code.addItem(c.name, c.id)
        self.rec_code.blockSignals(False)
        replies = sorted(codes, key=lambda c: c.kind != RESPONSE_KIND)
        for c in replies:
            self.reply_code.addItem(c.name, c.id)
        self.status.addItems(self.controller.project.links.statuses())

    def _doc_id(self, box: QComboBox) -> uuid.UUID | None:
        return box.currentData()

    def _documents_changed(self) -> None:
        for view, box in ((self.left, self.left_doc), (self.right, self.right_doc)):
            doc_id = self._doc_id(box)
            doc = self.controller.reading_document(doc_id) if doc_id else None
            codings = self.controller.codings(doc_id) if doc_id else []
            view.show_document(doc, codings, self._codes, self._coders)
        self.rematch()

    def _reload_codings(self) -> None:
        for view in (self.left, self.right):
            if view.document_id is not None:
                view.set_codings(self.controller.codings(view.document_id))

    # -- matching -----------------------------------------------------------------------
    def rematch(self) -> None:
        """Rank response candidates for every recommendation of the report."""
        report, response = self._doc_id(self.left_doc), self._doc_id(self.right_doc)
        self.matches = []
        self.current = -1
        if report and response and report != response:
            code = self.rec_code.currentData()
            try:
                self.matches = match_document(
                    self.controller.project, report, response, [code] if code else None
                )
            except AnnotatorError as exc:
                self.info.setText(str(exc))
                self.model.set_candidates([])
                return
        if self.matches:
            self.show_match(0)
        else:
            self.model.set_candidates([])
            self.info.setText(
                "No recommendation codings in the report: code some, or link selections "
                "with Ctrl+L."
                if report != response
                else "Choose two different documents."
            )

    def step(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) recommendation."""
        if self.matches:
            self.show_match(max(0, min(len(self.matches) - 1, self.current + direction)))

    def show_match(self, index: int) -> None:
        """Select recommendation ``index`` on the left and list its candidates."""
        self.current = index
        match = self.matches[index]
        self.left.select_span(match.coding.start, match.coding.end)
        self.left.set_selected_codings({match.coding.id})
        self.model.set_candidates(list(match.candidates))
        self._show_current_links()
        if match.candidates:
            self.table.selectRow(0)

    def _show_current_links(self) -> None:
        if not (0 <= self.current < len(self.matches)):
            return
        match = self.matches[self.current]
        label = f"Recommendation {match.number}" if match.number else "Recommendation"
        views = self.controller.project.links.views(match.coding.id)
        linked = "; ".join(
            f"{v.link.link_type}{' ' + v.link.status if v.link.status else ''} "
            f"({v.other.document_title})"
            for v in views
        )
        self.info.setText(
            f"<b>{label}</b> ({self.current + 1} of {len(self.matches)}; Alt+Down/Up to move). "
            + (f"Linked: {linked}." if linked else "Not linked yet.")
        )

    def _candidate_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            c = self.model.candidates[current.row()]
            self.right.select_span(c.start, c.end)
            if c.status:
                self.status.setCurrentText(c.status)

    # -- linking ------------------------------------------------------------------------
    def accept_candidate(self, row: int) -> bool:
        """Code candidate ``row`` as a response and link it to the current recommendation."""
        if not (0 <= self.current < len(self.matches)) or not (
            0 <= row < len(self.model.candidates)
        ):
            return False
        self.table.selectRow(row)
        c = self.model.candidates[row]
        rec = self.matches[self.current].coding
        return self._link(rec.id, [], c.start, c.end, c.text)

    def link_selections(self) -> bool:
        """Link the left selection (or current recommendation) to the right selection."""
        right = self.right.selected_span()
        if right is None:
            self.info.setText("Select the response passage on the right first.")
            return False
        new: list[Coding] = []
        left_span = self.left.selected_span()
        rec_id = self._coding_at(self.left, left_span, self.rec_code.currentData())
        if rec_id is None and left_span is not None:
            code = self.rec_code.currentData() or next(
                (c.id for c in self._codes.values() if c.kind == CodeKind.RECOMMENDATION.value),
                None,
            )
            if code is None:
                self.info.setText("The codebook has no recommendation code to code the left side.")
                return False
            coding = self._new_coding(self.left, code, *left_span)
            new.append(coding)
            rec_id = coding.id
        if rec_id is None:
            self.info.setText("Select the recommendation on the left first.")
            return False
        start, end = right
        return self._link(rec_id, new, start, end, self.right.text[start:end])

    def _coding_at(
        self, view: DocumentView, span: tuple[int, int] | None, code_id: uuid.UUID | None
    ) -> uuid.UUID | None:
        """A coding of the view that the selection covers or lies in (of ``code_id``)."""
        if span is None:
            return None
        start, end = span
        for c in view.index.overlapping(start, end):
            if (code_id is None or c.code_id == code_id) and c.start <= start and end <= c.end:
                return c.id
        for m in self.matches:
            if view is self.left and m.coding.start <= start and end <= m.coding.end:
                return m.coding.id
        return None

    def _new_coding(self, view: DocumentView, code_id: uuid.UUID, start: int, end: int) -> Coding:
        assert view.document_id is not None
        return Coding(
            new_id(),
            view.document_id,
            code_id,
            self.controller.coder.id,
            start,
            end,
            view.text[start:end],
        )

    def _link(self, rec_id: uuid.UUID, new: list[Coding], start: int, end: int, text: str) -> bool:
        del text
        reply_code = self.reply_code.currentData()
        existing = self._coding_at(self.right, (start, end), reply_code)
        if existing is None:
            if reply_code is None:
                self.info.setText("Choose the code for response passages first.")
                return False
            response = self._new_coding(self.right, reply_code, start, end)
            new = [*new, response]
            source = response.id
        else:
            source = existing
        link = CodingLink(
            new_id(),
            source,
            rec_id,
            RESPONSE_TO,
            self.status.currentText() or None,
            coder_id=self.controller.coder.id,
        )
        done = self.controller.run(
            CodeAndLinkCommand(self.controller, new, link, "Link response to recommendation")
        )
        if done:
            self._show_current_links()
        return done
