"""One editor widget per field kind, all driven the same way from the keyboard.

Every editor emits ``committed(value)`` when the user has chosen (None clears) and
``confirm_requested()`` on Enter, and shows a value with :meth:`show_value`. A digit (or
a choice's own key) picks a choice; Tab moves on, as in any form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QVBoxLayout, QWidget

from annotator.domain.errors import ValidationError
from annotator.domain.fields import FieldDef, FieldKind, FieldValueData, format_value, parse_value

EMPTY = "—"


def _key_to_choice(field: FieldDef, text: str) -> str | None:
    """The choice a typed character picks: its own key, else its place (1-9)."""
    if not text:
        return None
    for c in field.choices:
        if c.key and c.key.casefold() == text.casefold():
            return c.id
    if text.isdigit() and 1 <= int(text) <= min(9, len(field.choices)):
        return field.choices[int(text) - 1].id
    return None


def _claims(field: FieldDef, event: QEvent) -> bool:
    """True for a key press the editor handles itself.

    Digits are also the window's code shortcuts; the editor must claim them (Qt asks with
    a ShortcutOverride event first), or typing "3" here would code the selected passage.
    """
    if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
        return False
    if event.modifiers() & ~(
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    ):
        return False
    text = event.text()
    if field.kind is FieldKind.YES_NO:
        return text.casefold() in ("y", "n", "1", "2")
    return _key_to_choice(field, text) is not None or event.key() in (
        Qt.Key.Key_Delete,
        Qt.Key.Key_Backspace,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
    )


class ChoiceEditor(QComboBox):
    """Single choice, ordinal scale and yes/no: a drop-down with keys."""

    committed = Signal(object)
    confirm_requested = Signal()

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.addItem(EMPTY, None)
        if field.kind is FieldKind.YES_NO:
            self.addItem("y  yes", True)
            self.addItem("n  no", False)
        else:
            for i, c in enumerate(field.choices):
                key = c.key or (str(i + 1) if i < 9 else " ")
                self.addItem(f"{key}  {c.label}", c.id)
                self.setItemData(i + 1, c.definition, Qt.ItemDataRole.ToolTipRole)
        self.activated.connect(lambda i: self.committed.emit(self.itemData(i)))

    def show_value(self, value: FieldValueData | None) -> None:
        """Show ``value`` without committing anything."""
        index = self.findData(value) if value is not None else 0
        self.blockSignals(True)
        self.setCurrentIndex(max(0, index))
        self.blockSignals(False)

    def event(self, event: QEvent) -> bool:
        """Claim the keys that pick a choice before the window's shortcuts see them."""
        if _claims(self.field, event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits and keys pick, Delete clears, Enter confirms; the rest as usual."""
        text = event.text()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.show_value(None)
            self.committed.emit(None)
            return
        if self.field.kind is FieldKind.YES_NO and text.casefold() in ("y", "n", "1", "2"):
            value = text.casefold() in ("y", "1")
            self.show_value(value)
            self.committed.emit(value)
            return
        choice = _key_to_choice(self.field, text)
        if choice is not None:
            self.show_value(choice)
            self.committed.emit(choice)
            return
        super().keyPressEvent(event)


class MultiChoiceEditor(QWidget):
    """Multiple choice: a row of check boxes; a digit or key toggles a choice."""

    committed = Signal(object)
    confirm_requested = Signal()

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)  # one per line: labels are long and the dock narrow
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, c in enumerate(field.choices):
            key = c.key or (str(i + 1) if i < 9 else "")
            box = QCheckBox(f"{key} {c.label}".strip(), self)
            box.setToolTip(c.definition)
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
            box.clicked.connect(self._emit)
            layout.addWidget(box)
            self.boxes[c.id] = box

    def chosen(self) -> list[str]:
        """The ticked choices, in the field's order."""
        return [cid for cid, box in self.boxes.items() if box.isChecked()]

    def _emit(self) -> None:
        self.committed.emit(self.chosen() or None)

    def show_value(self, value: FieldValueData | None) -> None:
        """Tick exactly the choices of ``value``."""
        picked = set(value) if isinstance(value, list) else set()
        for cid, box in self.boxes.items():
            box.setChecked(cid in picked)

    def event(self, event: QEvent) -> bool:
        """Claim the keys that pick a choice before the window's shortcuts see them."""
        if _claims(self.field, event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A digit or key toggles its choice; Delete clears; Enter confirms."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.show_value(None)
            self._emit()
            return
        choice = _key_to_choice(self.field, event.text())
        if choice is not None:
            box = self.boxes[choice]
            box.setChecked(not box.isChecked())
            self._emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Show that the row has the keyboard."""
        self.setStyleSheet("MultiChoiceEditor { border: 1px solid palette(highlight); }")
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Back to normal."""
        self.setStyleSheet("")
        super().focusOutEvent(event)


class TextEditor(QLineEdit):
    """Number, date and short text: typed, checked when the user leaves or presses Enter."""

    committed = Signal(object)
    confirm_requested = Signal()
    invalid = Signal(str)

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._shown = ""
        hints = {FieldKind.NUMBER: "a number", FieldKind.DATE: "YYYY-MM-DD"}
        self.setPlaceholderText(hints.get(field.kind, "text"))
        self.editingFinished.connect(self._finish)

    def show_value(self, value: FieldValueData | None) -> None:
        """Show ``value`` as text."""
        self._shown = format_value(self.field, value)
        self.setText(self._shown)

    def _finish(self) -> None:
        text = self.text()
        if text.strip() == self._shown.strip():
            return
        try:
            value = parse_value(self.field, text)
        except ValidationError as exc:
            self.invalid.emit(str(exc))
            return
        self._shown = text
        self.committed.emit(value)


def editor_for(field: FieldDef, parent: QWidget | None = None) -> QWidget:
    """The editor widget for a field's kind."""
    if field.kind is FieldKind.MULTIPLE_CHOICE:
        return MultiChoiceEditor(field, parent)
    if field.kind in (FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL, FieldKind.YES_NO):
        return ChoiceEditor(field, parent)
    return TextEditor(field, parent)
