"""Run long work off the GUI thread with a progress dialog and Cancel.

The work is a callable taking ``progress(done, total, note="")`` and ``cancelled()``; it runs in a
``QThread`` while a modal progress dialog keeps the GUI responsive. Its signals reach a
receiver object that lives in the GUI thread, so Qt widgets are only touched there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[..., None]  # progress(done, total, note="")
Work = Callable[[Progress, Callable[[], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object, object)  # result, exception

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def run(self) -> None:
        try:
            result = self._work(
                lambda done, total, note="": self.progress.emit(done, total, note),
                lambda: self._cancelled,
            )
        except Exception as exc:  # handed to the GUI thread, which re-raises it
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)


class _Receiver(QObject):
    """Lives in the GUI thread, so the worker's signals reach the dialog through the queue."""

    def __init__(self, dialog: QProgressDialog, thread: QThread) -> None:
        super().__init__()
        self.dialog = dialog
        self.thread = thread
        self.result: Any = None
        self.error: BaseException | None = None

    @Slot(int, int, str)
    def on_progress(self, done: int, total: int, note: str) -> None:
        self.dialog.setMaximum(max(1, total))
        self.dialog.setValue(min(done, max(1, total)))
        if note:
            self.dialog.setLabelText(note)

    @Slot(object, object)
    def on_finished(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error = result, error
        self.thread.quit()


def run_in_background(parent: QWidget, title: str, label: str, work: Work) -> Any:
    """Run ``work`` in a worker thread behind a progress dialog; return its result.

    An exception raised by ``work`` is re-raised here, in the GUI thread.
    """
    dialog = QProgressDialog(label, "Cancel", 0, 1, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    thread = QThread(parent)
    worker = _Worker(work)
    worker.moveToThread(thread)
    receiver = _Receiver(dialog, thread)
    loop = QEventLoop()
    worker.progress.connect(receiver.on_progress)
    worker.finished.connect(receiver.on_finished)
    dialog.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
    thread.started.connect(worker.run)
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    worker.deleteLater()
    if receiver.error is not None:
        raise receiver.error
    return receiver.result
