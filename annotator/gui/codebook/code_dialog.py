"""Create or edit a code: every field of the codebook entry in one form."""

from __future__ import annotations

from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from annotator.domain.model import Code, CodeKind
from annotator.domain.palette import PALETTE, ink_for, next_color
from annotator.gui.screen_fit import fit_size

# New codes take a colour unlike every colour in use, from a colour-blind-safe palette.
__all__ = ["PALETTE", "CodeDialog", "next_color"]


class CodeDialog(QDialog):
    """Edit a :class:`Code`; :meth:`result_code` returns the edited copy."""

    def __init__(self, code: Code, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_size(self, 520, 560)
        self._code = code
        self.name = QLineEdit(code.name, self)
        self.color_button = QPushButton(self)
        self._color = code.color
        self.color_button.clicked.connect(self._pick_color)
        self._show_color()
        self.kind = QComboBox(self)
        self.kind.setEditable(True)
        self.kind.addItems([k.value for k in CodeKind])
        self.kind.setCurrentText(code.kind)
        self.shortcut = QKeySequenceEdit(QKeySequence(code.shortcut or ""), self)
        self.shortcut.setMaximumSequenceLength(1)
        self.codable = QCheckBox("Can be applied to text (untick for a folder)", self)
        self.codable.setChecked(code.codable)
        self.fields: dict[str, QPlainTextEdit] = {}
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("Colour", self.color_button)
        form.addRow("&Kind", self.kind)
        form.addRow("&Shortcut", self.shortcut)
        form.addRow("", self.codable)
        for attr, label in (
            ("definition", "&Definition"),
            ("inclusion", "Use when"),
            ("exclusion", "Do not use when"),
            ("example_typical", "Typical example"),
            ("example_atypical", "Borderline example"),
            ("memo", "Memo"),
        ):
            edit = QPlainTextEdit(getattr(code, attr), self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(70 if attr == "definition" else 48)
            self.fields[attr] = edit
            form.addRow(label, edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_color(self) -> None:
        self.color_button.setText(self._color)
        ink = ink_for(self._color)  # by WCAG contrast: black on cyan, white on navy
        self.color_button.setStyleSheet(f"background:{self._color}; color:{ink}")

    def _pick_color(self) -> None:
        color = QColorDialog.getColor(QColor(self._color), self, "Code colour")
        if color.isValid():
            self._color = color.name()
            self._show_color()

    def result_code(self) -> Code:
        """The code as edited."""
        key = self.shortcut.keySequence().toString()
        return self._code.with_changes(
            name=self.name.text().strip(),
            color=self._color,
            kind=self.kind.currentText().strip() or CodeKind.THEME.value,
            shortcut=key or None,
            codable=self.codable.isChecked(),
            **{attr: edit.toPlainText().strip() for attr, edit in self.fields.items()},
        )
