"""Bringing a team server's changes into the window, and saying when it is away.

The listener runs on its own thread; its callbacks emit Qt signals, which Qt delivers on
the GUI thread. Changes are gathered for a moment and applied together, so ten coders
coding at once cause a few refreshes a second rather than one per coding. Others' codings
in the open document arrive as a delta (the view, the codings list and the counts are
patched, as for the user's own codings); other documents only update their counts.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from annotator.domain.errors import AnnotatorError
from annotator.gui.controller import CodingDelta
from annotator.services.team_live import Change, listen

if TYPE_CHECKING:
    from annotator.gui.controller import ProjectController
    from annotator.gui.main_window import MainWindow

BATCH_MS = 150


class LiveBridge(QObject):
    """Owns the listener of one team project shown in one window."""

    changed = Signal(object)  # Change, delivered on the GUI thread
    status = Signal(bool, str)

    def __init__(self, window: MainWindow, controller: ProjectController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.connected = False
        self._documents: set[uuid.UUID] = set()
        self._codebook = self._listing = self._everything = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BATCH_MS)
        self._timer.timeout.connect(self._apply)
        self.label = QLabel(window)
        window.statusBar().addPermanentWidget(self.label)
        self.changed.connect(self._gather)
        self.status.connect(self._show_status)
        self._show_status(False, "Connecting to the team server…")
        self.listener = listen(controller.project, self.changed.emit, self.status.emit)
        controller.destroyed.connect(self.stop)

    def stop(self) -> None:
        """Stop listening (the project is being closed or replaced)."""
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self._timer.stop()
        self.label.deleteLater()
        self.deleteLater()

    def _show_status(self, connected: bool, message: str) -> None:
        was = self.connected
        self.connected = connected
        if connected:
            self.label.setText("Team server: connected")
            self.label.setStyleSheet("")
        else:
            self.label.setText("Team server: NOT CONNECTED — changes are not saved")
            self.label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.label.setToolTip(message)
        if was and not connected:
            self.window.show_error(message)

    def _gather(self, change: Change) -> None:
        if change.table == "coding" and change.document:
            self._documents.add(uuid.UUID(change.document))
            self._listing = True  # per-document counts in the list
        elif change.table in ("code", "codebook_version"):
            self._codebook = True
        elif change.table in ("document", "coder", "document_group"):
            self._listing = True
            self._codebook = True  # coder names are shown beside codings
        else:  # resync after a reconnect: changes may have been missed
            self._everything = True
        if not self._timer.isActive():
            self._timer.start()

    def _apply(self) -> None:
        started = time.perf_counter()
        c = self.controller
        try:
            if self._everything:
                self.window.refresh_all()
                return
            if self._codebook:
                c.codebook_changed.emit()
            here = self.window.current_document
            elsewhere = self._documents - {here}
            if here in self._documents:
                self._patch(here)  # counts of the list and codebook are patched with it
            if elsewhere or (self._listing and here not in self._documents):
                c.documents_changed.emit()
                self.window._refresh_counts()
        except AnnotatorError as exc:  # the server went away meanwhile: the label says so
            self.window.show_error(str(exc))
        finally:
            self._documents.clear()
            self._codebook = self._listing = self._everything = False
            # A slow refresh (a document with many codings) spaces the next one out.
            spent_ms = int((time.perf_counter() - started) * 1000)
            self._timer.setInterval(max(BATCH_MS, 2 * spent_ms))

    def _patch(self, document_id: uuid.UUID) -> None:
        """Show others' changes to the open document as a delta: nothing is reloaded."""
        model = self.window.codings_panel.model
        shown = {model.coding(i).id: model.coding(i) for i in range(model.rowCount())}
        now = {c.id: c for c in self.controller.codings(document_id)}
        added = tuple(c for cid, c in now.items() if shown.get(cid) != c)
        removed = tuple(c for cid, c in shown.items() if now.get(cid) != c)
        if added or removed:
            self.controller.notify_delta(CodingDelta(added, removed))
