"""Codebook → Fields of a code: declare, edit and delete the fields a code's codings carry.

The dialog lists the code's fields; the form below edits the selected one (name, kind,
required, definition, and for choice kinds one line per choice: ``key | label |
definition``). Every change is an undo command; deleting a field or a choice that codings
use asks first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import ValidationError
from annotator.domain.fields import FieldChoice, FieldDef, FieldKind, new_choice_id
from annotator.domain.model import Code, new_id
from annotator.gui.controller import ProjectController
from annotator.gui.recommendations.field_commands import (
    AddFieldCommand,
    DeleteFieldCommand,
    UpdateFieldCommand,
)


def choices_to_text(choices: tuple[FieldChoice, ...]) -> str:
    """One line per choice: ``key | label | definition``."""
    return "\n".join(f"{c.key or ''} | {c.label} | {c.definition}" for c in choices)


def choices_from_text(text: str, old: tuple[FieldChoice, ...]) -> tuple[FieldChoice, ...]:
    """Parse the choice lines; a label already present keeps its id (its values stay)."""
    by_label = {c.label.casefold(): c for c in old}
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            key, label, definition = "", parts[0], ""
        else:
            key, label = parts[0], parts[1]
            definition = "|".join(parts[2:]).strip()
        kept = by_label.get(label.casefold())
        out.append(
            FieldChoice(kept.id if kept else new_choice_id(), label, definition, key or None)
        )
    return tuple(out)


class FieldsDialog(QDialog):
    """The fields of one code."""

    def __init__(
        self,
        controller: ProjectController,
        code: Code,
        confirm: Callable[[QWidget, str, str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Fields of {code.name}")
        self.controller = controller
        self.code = code
        self.confirm = confirm
        self.fields: list[FieldDef] = []
        self.list = QListWidget(self)
        self.list.currentRowChanged.connect(self._show)
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        for k in FieldKind:
            self.kind.addItem(k.label, k)
        self.required = QCheckBox("Required (codings without a value are listed)", self)
        self.definition = QLineEdit(self)
        self.choices = QPlainTextEdit(self)
        self.choices.setPlaceholderText("key | label | definition — one choice per line")
        self.choices.setTabChangesFocus(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("", self.required)
        form.addRow("Definition", self.definition)
        form.addRow("Choices", self.choices)
        buttons = QHBoxLayout()
        for text, slot in (
            ("New field", self._new),
            ("Save field", self.save),
            ("Delete field", self.delete),
        ):
            b = QPushButton(text, self)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(620, 560)
        self.reload()

    def reload(self, select: int = 0) -> None:
        """Read the code's fields again."""
        self.fields = self.controller.project.fields.fields_for_code(self.code.id)
        self.list.blockSignals(True)
        self.list.clear()
        for f in self.fields:
            self.list.addItem(f"{f.name} ({f.kind.label}{', required' if f.required else ''})")
        self.list.blockSignals(False)
        if self.fields:
            self.list.setCurrentRow(min(select, len(self.fields) - 1))
            self._show(self.list.currentRow())
        else:
            self._new()

    def _show(self, row: int) -> None:
        f = self.fields[row] if 0 <= row < len(self.fields) else None
        self.name.setText(f.name if f else "")
        self.kind.setCurrentIndex(list(FieldKind).index(f.kind) if f else 0)
        self.required.setChecked(bool(f and f.required))
        self.definition.setText(f.definition if f else "")
        self.choices.setPlainText(choices_to_text(f.choices) if f else "")
        self.error.clear()

    def _new(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self._show(-1)
        self.name.setFocus()

    def current(self) -> FieldDef | None:
        """The field selected in the list (None while a new one is being made)."""
        row = self.list.currentRow()
        return self.fields[row] if 0 <= row < len(self.fields) else None

    def edited(self) -> FieldDef:
        """The field as the form describes it."""
        old = self.current()
        kind = FieldKind(self.kind.currentData())
        choices = (
            choices_from_text(self.choices.toPlainText(), old.choices if old else ())
            if kind.has_choices
            else ()
        )
        return FieldDef(
            id=old.id if old else new_id(),
            code_id=self.code.id,
            name=self.name.text(),
            kind=kind,
            choices=choices,
            required=self.required.isChecked(),
            position=old.position if old else -1,
            definition=self.definition.text().strip(),
        )

    def save(self) -> bool:
        """Store the form as a new or changed field (asking before values would go)."""
        old = self.current()
        try:
            f = self.edited()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return False
        drop = False
        if old is not None:
            gone = {c.id for c in old.choices} - {c.id for c in f.choices}
            used = self.controller.project.fields.value_count(old.id, gone) if gone else 0
            if used:
                if not self.confirm(
                    self,
                    "Remove choices",
                    f"{used} codings use the choices you removed. Remove those values "
                    "too? (Undo puts them back.)",
                ):
                    return False
                drop = True
            command = UpdateFieldCommand(self.controller, f, drop_values=drop)
        else:
            command = AddFieldCommand(self.controller, f)
        self.error.clear()
        self.controller.error.connect(self.error.setText)
        try:
            ok = self.controller.run(command)
        finally:
            self.controller.error.disconnect(self.error.setText)
        if ok:
            names = [x.name for x in self.controller.project.fields.fields_for_code(self.code.id)]
            self.reload(names.index(command.field.name) if command.field.name in names else 0)
        return ok

    def delete(self) -> bool:
        """Delete the selected field (asking first when codings have values for it)."""
        f = self.current()
        if f is None:
            return False
        used = self.controller.project.fields.value_count(f.id)
        if used and not self.confirm(
            self,
            "Delete field",
            f"{used} codings have a value for '{f.name}'. Delete the field and those "
            "values? (Undo puts them back.)",
        ):
            return False
        ok = self.controller.run(DeleteFieldCommand(self.controller, f))
        if ok:
            self.reload()
        return ok
