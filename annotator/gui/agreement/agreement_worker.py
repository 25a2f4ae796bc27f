"""Compute an agreement report in a worker thread, with progress and Cancel.

The worker reads through :class:`~annotator.services.agreement.AgreementService` (every
service call opens its own session, so this is safe off the GUI thread); its signals reach
an :class:`AgreementRun` living in the GUI thread through Qt's queued connections.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from annotator.agreement import AgreementCancelledError
from annotator.domain.errors import AnnotatorError
from annotator.services.agreement import AgreementRequest, AgreementResult, AgreementService


class AgreementWorker(QObject):
    """Runs one :meth:`AgreementService.compute` call."""

    progress = Signal(int, int)
    finished = Signal(object)  # AgreementResult
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, service: AgreementService, request: AgreementRequest, stop: threading.Event
    ) -> None:
        super().__init__()
        self._service = service
        self._request = request
        self._stop = stop

    @Slot()
    def run(self) -> None:
        """Compute, reporting progress; emits exactly one of finished, failed, cancelled."""
        try:
            result = self._service.compute(
                self._request,
                progress=lambda done, total: self.progress.emit(done, total),
                cancelled=self._stop.is_set,
            )
        except AgreementCancelledError:
            self.cancelled.emit()
        except (AnnotatorError, ValueError) as exc:
            # ValueError: input the statistics refuse (e.g. more coders than supported).
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)


class AgreementRun(QObject):
    """One computation: owns the thread and the worker, relays their signals (GUI thread)."""

    progress = Signal(int, int)
    finished = Signal(object)  # AgreementResult
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any outcome, once the thread has stopped

    def __init__(
        self, service: AgreementService, request: AgreementRequest, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.result: AgreementResult | None = None
        self._stop = threading.Event()  # owned here, so cancelling never touches the worker
        self._thread = QThread()
        self._worker = AgreementWorker(service, request, self._stop)
        self._worker.moveToThread(self._thread)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self._worker.deleteLater)  # Qt's documented pattern
        self._thread.finished.connect(self._on_thread_finished)

    def start(self) -> None:
        """Start computing in the worker thread."""
        self._thread.start()

    def cancel(self) -> None:
        """Stop at the next row; ``cancelled`` follows."""
        self._stop.set()

    def is_running(self) -> bool:
        """True until the thread has stopped."""
        return self._thread.isRunning()

    def wait(self) -> None:
        """Cancel and block until the thread has stopped (on closing the window)."""
        self._stop.set()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    @Slot(object)
    def _on_finished(self, result: AgreementResult) -> None:
        self.result = result
        self._thread.quit()
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._thread.quit()
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._thread.quit()
        self.cancelled.emit()

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()
        self.done.emit()
