"""Opening one document after another: memory is released, headings stay styled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import BlockKind
from annotator.gui.coding.document_format import FOOTNOTE_COLOR
from annotator.gui.controller import ShowMode
from annotator.gui.main_window import PROGRESSIVE_OPEN_CODINGS
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


def test_a_heavily_coded_document_opens_with_its_first_screen_then_the_rest(
    qtbot, sample_path: Path, tmp_path: Path
):
    # Over PROGRESSIVE_OPEN_CODINGS codings: the first screen is drawn with the codings it
    # shows, and every other coding arrives on the next turn of the event loop.
    source = tmp_path / "long.txt"
    source.write_text(
        "\n\n".join(f"Paragraph {i} asks the council to act on local power." for i in range(3000)),
        encoding="utf-8",
    )
    project = Project.open(sample_path)
    doc_id = import_files(project.documents, [source]).results[0].document_id
    text = project.documents.get(doc_id).text
    code = next(c for c in project.codebook.list() if c.codable)
    coder = project.coders.ensure("Tester")
    n = PROGRESSIVE_OPEN_CODINGS + 100
    starts = [i * (len(text) - 31) // (n - 1) for i in range(n)]  # evenly, to the very end
    codings = [
        Coding(new_id(), doc_id, code.id, coder.id, s, s + 30, text[s : s + 30]) for s in starts
    ]
    project.codings.restore(codings)
    project.close()

    window = open_window(qtbot, sample_path)
    window.controller.set_show_mode(ShowMode.ALL)
    window.open_document(doc_id)
    view = window.view
    start, end = view.visible_span()
    on_screen = {c.id for c in codings if c.start < end and c.end > start}
    assert on_screen and on_screen <= {c.id for c in view.index.all()}
    assert len(view.index) < len(codings)  # only the first screen so far
    qtbot.waitUntil(lambda: window.codings_panel.model.rowCount() == len(codings))
    assert len(view.index) == len(codings)
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # to the end
    start, end = view.visible_span()
    assert end == len(text)
    shown = [c for c in codings if c.start < end and c.end > start]
    assert shown
    for c in shown:  # every coding on the last screen is drawn
        position = view.to_qt(max(c.start, start))
        assert any(a <= position < b for a, b, _color in view._runs)


def test_footnotes_are_set_smaller_and_grey(qtbot, sample_path: Path):
    # A real Word file with two footnotes (tests/data/real/SOURCES.md).
    source = Path(__file__).resolve().parents[1] / "data" / "real" / "mammoth-footnotes.docx"
    project = Project.open(sample_path)
    doc_id = import_files(project.documents, [source]).results[0].document_id
    document = project.documents.get(doc_id)
    project.close()
    notes = [b for b in document.blocks if b.kind is BlockKind.FOOTNOTE]
    body = next(b for b in document.blocks if b.kind is BlockKind.PARAGRAPH)
    assert len(notes) == 2
    window = open_window(qtbot, sample_path)
    window.documents_panel.select(doc_id)
    view = window.view

    def char_format_at(offset: int):  # type: ignore[no-untyped-def]
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.to_qt(offset) + 1)
        return cursor.charFormat()

    base = view.font().pointSizeF()
    for note in notes:
        fmt = char_format_at(note.start)
        assert fmt.fontPointSize() < base
        assert fmt.foreground().color() == FOOTNOTE_COLOR
    assert char_format_at(body.start).fontPointSize() in (0.0, base)  # unchanged
