"""The main window: assembles the panels, owns the menus, and routes user actions.

Panels are dock widgets with their own models; this class only wires them to the
:class:`~annotator.gui.controller.ProjectController` and turns user gestures into undo
commands. Window geometry and dock layout are kept in QSettings and restored next time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from annotator import __version__
from annotator.domain.model import Code, Coder, Coding, new_id
from annotator.gui import menus
from annotator.gui.agreement.agreement_actions import install_agreement_menu
from annotator.gui.analysis.analysis_actions import install_retrieval_menu
from annotator.gui.analysis.tables_actions import install_tables_menu
from annotator.gui.codebook.code_entry_panel import CodeEntryPanel
from annotator.gui.codebook.codebook_panel import CodebookPanel
from annotator.gui.coding import coding_actions
from annotator.gui.coding.codings_panel import CodingsPanel
from annotator.gui.coding.commands import ApplyCodingCommand
from annotator.gui.coding.document_view import DocumentView
from annotator.gui.coding.find_bar import FindBar, find_all
from annotator.gui.controller import CodingDelta, ProjectController
from annotator.gui.project.document_list import DocumentListPanel
from annotator.gui.recommendations.coding_details_panel import CodingDetailsPanel
from annotator.gui.recommendations.details_actions import coding_made, install_recommendations
from annotator.gui.recommendations.recommendation_actions import install_links, refresh_links
from annotator.gui.screen_fit import fit_size
from annotator.gui.session import remember_view
from annotator.services.codings import CodeCounts
from annotator.services.paths import config_dir
from annotator.services.settings import Settings, save_settings


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A blocking yes/no question (replaced in tests, which cannot click a modal box)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


PROGRESSIVE_OPEN_CODINGS = 2_000


class MainWindow(QMainWindow):
    """The coding workbench."""

    open_finished = Signal(object)  # the document's id, once every coding is loaded

    def __init__(self, controller: ProjectController, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.controller = controller
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no
        self.opener: Callable[[Path], ProjectController | None] | None = None
        self.last_message: QMessageBox | None = None
        self.current_document: uuid.UUID | None = None
        self._codes: dict[uuid.UUID, Code] = {}
        self._coders: dict[uuid.UUID, Coder] = {}
        self._counts: dict[uuid.UUID, CodeCounts] = {}
        self._find_matches: list[tuple[int, int]] = []
        self._find_index = -1
        self._open_token = 0
        self.setObjectName("mainWindow")
        fit_size(self, 1400, 860)

        self.view = DocumentView(self)
        self.view.snap_to_words = settings.snap_to_words
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

        self.documents_panel = DocumentListPanel(self)
        self.codebook_panel = CodebookPanel(self)
        self.codings_panel = CodingsPanel(self)
        left = self._dock(
            "Documents", "documentsDock", self.documents_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        right = self._dock(
            "Codebook", "codebookDock", self.codebook_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        bottom = self._dock(
            "Codings", "codingsDock", self.codings_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.entry_panel = CodeEntryPanel(self.view, self)
        entry = self._dock(
            "Code entry", "codeEntryDock", self.entry_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.splitDockWidget(bottom, entry, Qt.Orientation.Horizontal)
        self.details_panel = CodingDetailsPanel(self)  # issue 10: fields of a coding
        details = self._dock(
            "Coding details",
            "codingDetailsDock",
            self.details_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.splitDockWidget(right, details, Qt.Orientation.Vertical)
        # Docks in proportion to the window, so the text keeps most of a small screen.
        width, height = self.width(), self.height()
        self.resizeDocks(
            [right, details],
            [min(330, height * 2 // 5), min(250, height * 3 // 10)],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks(
            [left, right],
            [min(240, width * 17 // 100), min(470, width * 36 // 100)],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks([bottom], [min(210, height // 4)], Qt.Orientation.Vertical)

        self.position_label = QLabel(self)
        self.view.cursorPositionChanged.connect(self._show_position)
        self.coder_label = QLabel(self)
        self.mode_label = QLabel(self)
        self.readonly_label = QLabel(self)
        for w in (self.position_label, self.readonly_label, self.mode_label, self.coder_label):
            self.statusBar().addPermanentWidget(w)

        self.actions: dict[str, QAction] = {}
        self._code_shortcuts: list[QAction] = []
        menus.build(self)
        install_agreement_menu(self)
        install_recommendations(self)
        install_links(self)
        install_tables_menu(self)
        install_retrieval_menu(self)
        self._wire_panels()
        self.attach(controller)
        self.restore_layout()

    # -- construction -------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _wire_panels(self) -> None:
        self.documents_panel.document_selected.connect(self.open_document)
        self.documents_panel.files_dropped.connect(
            lambda paths: coding_actions.import_paths(self, paths)
        )
        self.codebook_panel.code_clicked.connect(self._code_clicked)
        self.codings_panel.codings_activated.connect(self._show_codings)
        self.view.codings_clicked.connect(self._highlight_clicked)
        self.view.code_requested.connect(self.apply_code)
        self.view.remove_requested.connect(lambda ids: coding_actions.remove_codings(self, ids))
        self.find_bar.query_changed.connect(self._find)
        self.find_bar.next_requested.connect(lambda: self._find_step(1))
        self.find_bar.previous_requested.connect(lambda: self._find_step(-1))
        self.find_bar.closed.connect(lambda: self._find(""))

    def attach(self, controller: ProjectController) -> None:
        """Show ``controller``'s project (on start, and after File → Open)."""
        if controller is not self.controller:
            self.controller.deleteLater()
        self.controller = controller
        controller.snap_to_words = self.settings.snap_to_words
        controller.codings_delta.connect(self._on_delta)
        controller.codings_changed.connect(self._on_codings_changed)
        controller.codebook_changed.connect(self._reload_codebook)
        controller.documents_changed.connect(self._reload_documents)
        controller.visibility_changed.connect(self._on_visibility)
        controller.coder_changed.connect(self._update_status)
        controller.error.connect(self.show_error)
        controller.links_changed.connect(lambda: refresh_links(self))
        self.entry_panel.attach(controller)
        self.details_panel.attach(controller)
        menus.attach_undo(self, controller.undo_stack)
        self.current_document = None
        self._reload_codebook()
        self._reload_documents()
        docs = self.documents_panel.model
        first = docs.index(0, 0).data(Qt.ItemDataRole.UserRole + 1) if docs.rowCount() else None
        self.open_document(first)
        self._update_status()

    # -- reading ------------------------------------------------------------------------
    def open_document(self, document_id: uuid.UUID | None) -> None:
        """Show a document with its visible codings.

        A document with many codings opens progressively: the first screen is drawn with
        just the codings it shows, and the rest (codings list, counts, the full index)
        arrive on the next turn of the event loop, so the text appears without waiting.
        """
        self.current_document = document_id
        self._open_token += 1
        doc = self.controller.reading_document(document_id) if document_id else None
        if doc is not None and self._coding_count(doc.id) > PROGRESSIVE_OPEN_CODINGS:
            first = self.controller.codings_between(doc.id, 0, self.view.screenful_chars())
            self.view.show_document(doc, first, self._codes, self._coders)
            self.codings_panel.model.set_codings([], self._codes, self._coders)
            QTimer.singleShot(0, partial(self._finish_open, self._open_token))
        else:
            codings = self.controller.codings(doc.id) if doc else []
            self.view.show_document(doc, codings, self._codes, self._coders)
            self._finish_open(self._open_token, codings)
        if document_id:
            self.documents_panel.select(document_id, announce=False)
        self._update_title()

    def _coding_count(self, document_id: uuid.UUID) -> int:
        # The document list already shows this count; asking the database again would
        # cost a scan of the document's codings on every open.
        count = self.documents_panel.model.coding_count(document_id)
        return self.controller.coding_count(document_id) if count is None else count

    def _finish_open(self, token: int, codings: list[Coding] | None = None) -> None:
        if token != self._open_token:
            return  # another document was opened in the meantime
        document_id = self.current_document
        if codings is None:  # a progressive open: the view has only the first screen's
            codings = self.controller.codings(document_id) if document_id else []
            self.view.set_codings(codings)
        self.codings_panel.model.set_codings(codings, self._codes, self._coders)
        self._refresh_counts()
        self._find(self.find_bar.edit.text() if self.find_bar.isVisible() else "")
        self.entry_panel.follow_cursor()  # never the code of the previous document
        self.open_finished.emit(document_id)

    def _reload_codebook(self) -> None:
        codes = self.controller.codes()
        self._codes = {c.id: c for c in codes}
        self._coders = self._load_coders()
        self.codebook_panel.set_codes(codes)
        self.view.set_codes(self._codes, self._coders)
        self.codings_panel.model.set_names(self._codes, self._coders)
        menus.rebuild_code_shortcuts(self, codes)
        self._refresh_counts()

    def refresh_all(self) -> None:
        """Reload everything shown (after an import or merge changed the project wholesale)."""
        self._reload_codebook()
        self._reload_documents()
        self.open_document(self.current_document)

    def _load_coders(self) -> dict[uuid.UUID, Coder]:
        # The current coder may have no row yet (a read-only project never stores one).
        coders = {c.id: c for c in self.controller.coders()}
        coders.setdefault(self.controller.coder.id, self.controller.coder)
        return coders

    def _reload_documents(self) -> None:
        self.documents_panel.set_documents(self.controller.documents(), self.current_document)

    def _refresh_counts(self) -> None:
        self._counts = dict(self.controller.counts(self.current_document))
        self.codebook_panel.set_counts(self._counts)

    def _on_codings_changed(self, document_id: uuid.UUID | None) -> None:
        if document_id is None or document_id == self.current_document:
            self.open_document(self.current_document)

    def _on_visibility(self) -> None:
        remember_view(self.controller, self.settings)
        save_settings(self.settings)
        self._coders = self._load_coders()
        self._reload_documents()
        self.open_document(self.current_document)
        self._update_status()

    def _on_delta(self, delta: CodingDelta) -> None:
        """Patch every panel with a change, without reloading the document."""
        visible_removed = [c for c in delta.removed if self.controller.is_visible(c)]
        visible_added = [c for c in delta.added if self.controller.is_visible(c)]
        here = self.current_document
        if here in delta.documents():
            self.view.apply_delta(
                [c for c in visible_added if c.document_id == here],
                [c for c in visible_removed if c.document_id == here],
            )
            for c in visible_removed:
                if c.document_id == here:
                    self.codings_panel.model.remove(c.id)
            for c in visible_added:
                if c.document_id == here:
                    self.codings_panel.model.insert(c)
        for sign, codings in ((-1, visible_removed), (1, visible_added)):
            for c in codings:
                old = self._counts.get(c.code_id, CodeCounts(0, 0))
                local = old.in_document + (sign if c.document_id == here else 0)
                self._counts[c.code_id] = CodeCounts(local, old.total + sign)
                self.documents_panel.model.adjust_count(c.document_id, sign)
        self.codebook_panel.set_counts(self._counts)

    # -- coding -------------------------------------------------------------------------
    def apply_code(self, code_id: uuid.UUID) -> Coding | None:
        """Code the selected passage with ``code_id``; the coding is committed at once."""
        code = self._codes.get(code_id)
        span = self.view.selected_span()
        if code is None or self.current_document is None:
            return None
        if span is None:
            self.statusBar().showMessage("Select a passage first, then choose a code.", 4000)
            return None
        if not code.codable:
            self.show_error(f"'{code.name}' is a folder; choose one of the codes inside it.")
            return None
        start, end = span
        coding = Coding(
            id=new_id(),
            document_id=self.current_document,
            code_id=code.id,
            coder_id=self.controller.coder.id,
            start=start,
            end=end,
            quote=self.view.text[start:end],
        )
        command = ApplyCodingCommand(self.controller, coding, code.name)
        if not self.controller.run(command):
            return None
        self.statusBar().showMessage(f"Coded as {code.name}.", 3000)
        coding_made(self, command.coding)
        return command.coding

    def _code_clicked(self, code_id: uuid.UUID) -> None:
        if self.view.textCursor().hasSelection():
            self.apply_code(code_id)

    def _show_codings(self, ids: list[uuid.UUID]) -> None:
        self.view.set_selected_codings(set(ids))
        first = next((self.view.index.get(i) for i in ids if self.view.index.get(i)), None)
        if first is not None:
            self.view.select_span(first.start, first.end)

    def _highlight_clicked(self, ids: list[uuid.UUID]) -> None:
        self.codings_panel.select_ids(ids)
        self.view.set_selected_codings(set(ids))

    def step_coding(self, direction: int) -> None:
        """Select the next (1) or previous (-1) coding after/before the cursor."""
        cursor = self.view.textCursor()
        here = self.view.from_qt(
            cursor.selectionEnd() if direction > 0 else cursor.selectionStart()
        )
        if direction > 0:
            target = self.view.index.next_after(self.view.from_qt(cursor.selectionStart()))
        else:
            target = self.view.index.previous_before(here)
        if target is None:
            self.statusBar().showMessage("No more codings in this direction.", 3000)
            return
        self.view.select_span(target.start, target.end)
        self.codings_panel.select_ids([target.id])
        self.view.set_selected_codings({target.id})

    def _show_position(self) -> None:
        if self.view.text:
            offset = self.view.from_qt(self.view.textCursor().position())
            self.position_label.setText(self.view.position_label(offset))
        else:
            self.position_label.setText("")

    # -- find ---------------------------------------------------------------------------
    def _find(self, query: str) -> None:
        self._find_matches = find_all(self.view.text, query)
        self._find_index = -1
        self.view.set_find_matches(self._find_matches)
        self.find_bar.set_count(0, len(self._find_matches))
        if self._find_matches:
            self._find_step(1)

    def _find_step(self, direction: int) -> None:
        if not self._find_matches:
            return
        self._find_index = (self._find_index + direction) % len(self._find_matches)
        a, b = self._find_matches[self._find_index]
        self.view.select_span(a, b)
        self.find_bar.set_count(self._find_index + 1, len(self._find_matches))

    # -- status and messages ------------------------------------------------------------
    def _update_status(self) -> None:
        c = self.controller
        self.coder_label.setText(f"Coder: {c.coder.name}")
        visible = c.visible_coder_ids()
        if c.blind:
            mode = "Blind mode: only your codings"
        elif visible is None:
            mode = "Showing all coders"
        elif visible == {c.coder.id}:
            mode = "Showing your codings"
        else:
            mode = f"Showing {len(visible)} chosen coders"
        self.mode_label.setText(mode)
        self.readonly_label.setText("READ-ONLY" if c.project.read_only else "")
        self.readonly_label.setStyleSheet("color:#b00020; font-weight:bold")
        menus.update_enabled(self)
        self._update_title()

    def _update_title(self) -> None:
        project = self.controller.project
        doc = (
            self.documents_panel.model.row_of(self.current_document)
            if self.current_document
            else -1
        )
        title = f"{project.path.name} — annotator {__version__}"
        if doc >= 0:
            title = f"{self.documents_panel.model.index(doc, 0).data()} — {title}"
        if project.read_only:
            title += " [read-only]"
        self.setWindowTitle(title)

    def show_error(self, message: str) -> None:
        """Show a problem without blocking (and in the status bar)."""
        self.statusBar().showMessage(message, 8000)
        box = QMessageBox(QMessageBox.Icon.Warning, "annotator", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    # -- layout persistence -------------------------------------------------------------
    @staticmethod
    def qsettings() -> QSettings:
        """Window geometry and dock layout only (everything else is in settings.json)."""
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def restore_layout(self) -> None:
        """Restore geometry and docks saved by an earlier run."""
        qs = self.qsettings()
        geometry = qs.value("geometry")
        state = qs.value("state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_layout(self) -> None:
        """Save geometry and docks."""
        qs = self.qsettings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("state", self.saveState())
        qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Everything is already committed; only the layout and settings are saved here."""
        self.save_layout()
        self.settings.snap_to_words = self.view.snap_to_words
        remember_view(self.controller, self.settings)
        save_settings(self.settings)
        self.controller.project.close()
        super().closeEvent(event)
