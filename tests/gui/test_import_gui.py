"""Import from the window: drag-and-drop onto the document list, off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import open_window


def test_drop_files_on_document_list_imports_them(qtbot, sample_path: Path, tmp_path: Path):
    window = open_window(qtbot, sample_path)
    good = tmp_path / "Housing policy.txt"
    good.write_text("Housing policy\n\nCouncils should build homes.\n", encoding="utf-8")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(bad))])
    viewport = window.documents_panel.table.viewport()
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(10, 10), *args)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(QPointF(10, 10), *args))
    assert window.documents_panel.model.rowCount() == 6
    assert "Councils should build homes." in window.view.text
    box = window.last_message
    assert "1 imported" in box.text() and "1 failed" in box.text()
    assert "broken.txt" in box.detailedText()
