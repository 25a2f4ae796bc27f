"""Adjust a coding's start and end, previewing the passage it will cover."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from annotator.gui.screen_fit import fit_size

PREVIEW_CHARS = 400


class SpanDialog(QDialog):
    """Two spin boxes (code-point offsets) and a live preview of the quoted text."""

    def __init__(self, text: str, start: int, end: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adjust coding extent")
        fit_size(self, 520, 260)
        self._text = text
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
        self.start.valueChanged.connect(self._update)
        self.end.valueChanged.connect(self._update)
        form = QFormLayout(self)
        form.addRow("Start (character)", self.start)
        form.addRow("End (character, exclusive)", self.end)
        form.addRow("Passage", self.preview)
        form.addRow(self.buttons)
        self._update()

    def span(self) -> tuple[int, int]:
        """The chosen ``(start, end)``."""
        return self.start.value(), self.end.value()

    def _update(self) -> None:
        a, b = self.span()
        ok = b > a
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        quote = self._text[a:b]
        if len(quote) > PREVIEW_CHARS:
            quote = quote[:PREVIEW_CHARS] + "…"
        self.preview.setText(quote if ok else "<i>The end must come after the start.</i>")
