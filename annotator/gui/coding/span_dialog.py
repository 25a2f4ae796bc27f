"""Adjust a coding's start and end: drag or Shift+arrow in the passage, or type offsets.

The passage is shown with some context around it, the coding selected. Selecting another
stretch with the mouse, or extending the selection with Shift+arrows (Ctrl+Shift+arrows
by word), sets the new extent, snapped to whole words; the offsets follow, and can still
be typed for exact work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from annotator.domain.snapping import snap_to_words
from annotator.domain.utf16 import Utf16Map
from annotator.gui.screen_fit import fit_size

PREVIEW_CHARS = 400
CONTEXT_CHARS = 600  # shown before and after the coding, to extend it into


class SpanDialog(QDialog):
    """The passage in context (select to change it), the offsets, and a preview."""

    def __init__(self, text: str, start: int, end: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adjust coding extent")
        fit_size(self, 640, 480)
        self._text = text
        self._base = max(0, start - CONTEXT_CHARS)
        window = text[self._base : min(len(text), end + CONTEXT_CHARS)]
        self._map = Utf16Map(window)
        self.passage = QPlainTextEdit(self)
        self.passage.setObjectName("spanPassage")
        self.passage.setPlainText(window)
        self.passage.setReadOnly(True)
        self.passage.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.passage.setToolTip(
            "Select the new extent with the mouse, or extend it with Shift+arrows "
            "(Ctrl+Shift+arrows by word); it snaps to whole words."
        )
        self.start = QSpinBox(self)
        self.end = QSpinBox(self)
        for box in (self.start, self.end):
            box.setRange(0, len(text))
        self.start.setValue(start)
        self.end.setValue(end)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.start.valueChanged.connect(self._offsets_changed)
        self.end.valueChanged.connect(self._offsets_changed)
        self.passage.selectionChanged.connect(self._selection_changed)
        form = QFormLayout(self)
        hint = QLabel("Select the passage to code (drag, or Shift+arrows); it snaps to words.")
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.passage)
        form.addRow("Start (character)", self.start)
        form.addRow("End (character, exclusive)", self.end)
        form.addRow("Passage", self.preview)
        form.addRow(self.buttons)
        self._syncing = False
        self._offsets_changed()
        self.passage.setFocus()

    def span(self) -> tuple[int, int]:
        """The chosen ``(start, end)``."""
        return self.start.value(), self.end.value()

    # -- the passage and the offsets follow each other --------------------------------
    def _selection_changed(self) -> None:
        if self._syncing:
            return
        cursor = self.passage.textCursor()
        if not cursor.hasSelection():
            return
        a = self._base + self._map.from_utf16(cursor.selectionStart())
        b = self._base + self._map.from_utf16(cursor.selectionEnd())
        a, b = snap_to_words(self._text, a, b)
        self._syncing = True
        self.start.setValue(a)
        self.end.setValue(b)
        self._syncing = False
        self._update_preview()
        self._mark(a, b)

    def _offsets_changed(self) -> None:
        if self._syncing:
            return
        a, b = self.span()
        lo, hi = self._base, self._base + len(self.passage.toPlainText())
        if lo <= a < b <= hi:
            self._syncing = True
            cursor = QTextCursor(self.passage.document())
            cursor.setPosition(self._map.to_utf16(a - lo))
            cursor.setPosition(self._map.to_utf16(b - lo), QTextCursor.MoveMode.KeepAnchor)
            self.passage.setTextCursor(cursor)
            self.passage.ensureCursorVisible()
            self._syncing = False
            self._mark(a, b)
        self._update_preview()

    def _mark(self, a: int, b: int) -> None:
        """Underline the extent as it will be stored (the selection may be wider)."""
        lo = self._base
        cursor = QTextCursor(self.passage.document())
        cursor.setPosition(self._map.to_utf16(max(a - lo, 0)))
        cursor.setPosition(
            self._map.to_utf16(min(b - lo, len(self.passage.toPlainText()))),
            QTextCursor.MoveMode.KeepAnchor,
        )
        fmt = QTextCharFormat()
        fmt.setFontUnderline(True)
        extra = QTextEdit.ExtraSelection()
        extra.cursor = cursor
        extra.format = fmt
        self.passage.setExtraSelections([extra])

    def _update_preview(self) -> None:
        a, b = self.span()
        ok = b > a
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        quote = self._text[a:b]
        if len(quote) > PREVIEW_CHARS:
            quote = quote[:PREVIEW_CHARS] + "…"
        self.preview.setText(quote if ok else "<i>The end must come after the start.</i>")
