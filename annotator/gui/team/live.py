"""Bringing a team server's changes into the window, and saying when it is away.

The listener runs on its own thread; its callbacks emit Qt signals, which Qt delivers on
the GUI thread. Changes are gathered for a moment and applied together, so ten coders
coding at once cause a few refreshes a second rather than one per coding.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

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
        c = self.controller
        if self._everything:
            self.window.refresh_all()
        else:
            if self._codebook:
                c.codebook_changed.emit()
            if self._listing:
                c.documents_changed.emit()
            for doc in self._documents:
                c.codings_changed.emit(doc)
        self._documents.clear()
        self._codebook = self._listing = self._everything = False
