"""Document metadata editing, filtering the list by attributes, and page/section display."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    ExtractedDocument,
    Page,
)
from annotator.gui.project.properties_dialog import PropertiesDialog
from annotator.services.project import Project
from tests.gui.conftest import open_window


def _accept_with(edit) -> None:
    def run() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PropertiesDialog))
        edit(dialog)
        dialog.accept()

    QTimer.singleShot(0, run)


def test_properties_edit_is_stored_undoable_and_filters_the_list(qtbot, window, sample_path: Path):
    doc_id = window.current_document

    def edit(dialog: PropertiesDialog) -> None:
        dialog.title.setText("LGIU: hand power to communities")
        dialog.add_attribute("sector", "think tank")

    _accept_with(edit)
    window.actions["properties"].trigger()
    p = Project.open(sample_path)
    stored = p.documents.get(doc_id).metadata
    p.close()
    assert stored.title == "LGIU: hand power to communities"
    assert stored.attributes["sector"] == "think tank"
    assert stored.publisher == "Local Government Information Unit (LGIU)"  # untouched
    window.documents_panel.filter.setText("think tank")
    assert window.documents_panel.proxy.rowCount() == 1
    window.documents_panel.filter.setText("")
    window.actions["undo"].trigger()
    p = Project.open(sample_path)
    assert "sector" not in p.documents.get(doc_id).metadata.attributes
    p.close()


def test_page_markers_and_position_label(qtbot, tmp_path: Path):
    heading = "2 Findings"
    body = "Councils should act. " * 40
    text = f"{heading}\n{body}\n{body}\n"
    second = len(heading) + 1 + len(body) + 1
    path = tmp_path / "paged.annotator"
    project = Project.create(path)
    project.documents.add(
        ExtractedDocument(
            text,
            (
                Block(BlockKind.HEADING, 0, len(heading), level=1),
                Block(BlockKind.PARAGRAPH, len(heading) + 1, second - 1),
                Block(BlockKind.PARAGRAPH, second, len(text) - 1),
            ),
            (Page(1, 0, second), Page(2, second, len(text), label="ii")),
            DocumentMetadata(title="Paged"),
            "pdf",
        )
    )
    project.close()
    window = open_window(qtbot, path)
    window.view.select_span(second + 5, second + 10)
    assert window.position_label.text() == "p. ii · 2 Findings"
    image = window.view.viewport().grab().toImage()
    top, _ = window.view.line_extent(window.view.to_qt(second))
    row = [image.pixelColor(x, top - 3).name() for x in range(0, window.view.viewport().width(), 3)]
    assert "#9a9890" in row  # the dashed page rule is drawn above page ii
    # The text wraps short of the right edge, so "p. ii" never sits on a full line.
    view = window.view
    layout = view.document().documentLayout()
    block = view.document().firstBlock()
    text_right = 0.0
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        for i in range(block.layout().lineCount()):
            line = block.layout().lineAt(i)
            text_right = max(text_right, rect.left() + line.x() + line.naturalTextWidth())
        block = block.next()
    label_left = view.viewport().width() - view.fontMetrics().horizontalAdvance("p. ii") - 6
    assert text_right < label_left
