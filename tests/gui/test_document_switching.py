"""Opening one document after another: memory is released, headings stay styled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from annotator.domain.structure import BlockKind
from annotator.services.importing import import_files
from annotator.services.project import Project
from tests.gui.conftest import open_window


def _flush_deletions() -> None:
    # deleteLater() runs when control returns to the event loop; a test has to ask.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_switching_documents_keeps_one_document_in_memory(qtbot, sample_path: Path):
    window = open_window(qtbot, sample_path)
    summaries = window.controller.documents()
    assert len(summaries) >= 3
    for _round in range(2):
        for summary in summaries:
            window.documents_panel.select(summary.id)  # as a click in the list does
            assert window.view.document_id == summary.id
            _flush_deletions()
            assert len(window.view.findChildren(QTextDocument)) == 1


REPORT = """# Local power

Councils should hold the budgets.

## Findings

The inquiry heard from 70 organisations 🏛️ across the country.

Partnership working came up in every session.

## Recommendations

1. Government should devolve housing funding.
"""


def test_headings_are_styled_and_named_from_the_stored_structure(
    qtbot, sample_path: Path, tmp_path: Path
):
    source = tmp_path / "report.md"
    source.write_text(REPORT, encoding="utf-8")
    project = Project.open(sample_path)
    report = import_files(project.documents, [source])
    document = project.documents.get(report.results[0].document_id)
    project.close()
    headings = [b for b in document.blocks if b.kind is BlockKind.HEADING]
    assert len(headings) == 3
    paragraph = next(
        b for b in document.blocks if b.kind is BlockKind.PARAGRAPH and b.start > headings[1].end
    )
    window = open_window(qtbot, sample_path)
    window.documents_panel.select(document.id)
    view = window.view
    assert view.text == document.text

    def weight_at(offset: int) -> int:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.to_qt(offset) + 1)
        return cursor.charFormat().fontWeight()

    for heading in headings:
        assert weight_at(heading.start) == QFont.Weight.Bold
    assert weight_at(paragraph.start) != QFont.Weight.Bold
    assert view.position_label(paragraph.start) == "Findings"
    assert view.position_label(len(document.text) - 3) == "Recommendations"
