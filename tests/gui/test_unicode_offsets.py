"""Highlights land on exactly the selected characters, whatever the script."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.services.starter import starter_code_id
from tests.gui.conftest import open_window, select_text

TEXT = (
    "Heading with emoji 😀 and family 👩‍👩‍👧\n"
    "Combining: cafe\u0301 nai\u0308ve; CJK 地方分权 政策; astral 𠀀𠀁 and 𝒜𝒷𝒸 letters.\n"
    "Final line: levelling up 🚀 everywhere.\n"
)
TARGETS = ["😀 and family 👩‍👩‍👧", "cafe\u0301 nai\u0308ve", "地方分权", "𠀀𠀁 and 𝒜𝒷𝒸", "up 🚀"]


@pytest.fixture
def unicode_project(tmp_path: Path) -> Path:
    path = tmp_path / "unicode.annotator"
    p = Project.create(path)
    p.documents.add(
        ExtractedDocument(
            TEXT, paragraph_blocks(TEXT), (), DocumentMetadata(title="Unicode"), "text"
        )
    )
    p.close()
    return path


@pytest.mark.parametrize("target", TARGETS)
def test_selection_maps_to_code_points_and_back(qtbot, unicode_project: Path, target: str):
    window = open_window(qtbot, unicode_project)
    window.actions["snap"].trigger()  # exact characters, no snapping
    start = TEXT.index(target)
    end = start + len(target)
    # Select with Qt's own UTF-16 positions, found by Qt's own search.
    found = window.view.document().find(target)
    assert not found.isNull()
    select_text(window, found.selectionStart(), found.selectionEnd())
    coding = window.apply_code(starter_code_id("Themes/Prevention"))
    assert (coding.start, coding.end) == (start, end)
    assert coding.quote == target
    # The drawn highlight covers exactly the same Qt positions.
    runs = [(a, b) for a, b, _color in window.view._runs]
    assert runs == [(found.selectionStart(), found.selectionEnd())]
    window.close()
    project = Project.open(unicode_project)
    stored = project.codings.all()
    project.close()
    assert [(c.start, c.end, c.quote) for c in stored] == [(start, end, target)]


def test_qt_document_agrees_with_utf16_length(qtbot, unicode_project: Path):
    window = open_window(qtbot, unicode_project)
    qdoc = window.view.document()
    assert qdoc.characterCount() - 1 == len(TEXT.encode("utf-16-le")) // 2
    cursor = QTextCursor(qdoc)
    cursor.setPosition(window.view.to_qt(TEXT.index("𝒜")))
    cursor.setPosition(window.view.to_qt(TEXT.index("𝒜") + 1), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "𝒜"
