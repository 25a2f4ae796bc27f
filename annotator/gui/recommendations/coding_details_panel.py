"""The Coding details panel: the fields of the selected (or just made) coding.

One row per field of the coding's code: its name (starred when required), an editor, and
a status line (who set the value and when; "suggested" until confirmed; "missing" for an
empty required field). Every change is an undo command attributed to the current coder.
Keyboard: a digit or a choice's key picks, Tab moves to the next field, Enter confirms a
suggestion, Escape hands the keyboard back to the document. In blind mode values set by
other coders are hidden, as their codings are. The footer counts codings that lack a
required value ("12 recommendations lack a strength") and lists them on a click.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.fields import FieldDef, FieldValue, FieldValueData
from annotator.domain.model import Coding
from annotator.gui.controller import CodingDelta, ProjectController
from annotator.gui.recommendations.field_commands import ConfirmValueCommand, SetFieldValueCommand
from annotator.gui.recommendations.field_editors import editor_for
from annotator.services.fields import MissingValue


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def missing_summary(missing: list[MissingValue], code_kinds: dict[uuid.UUID, str]) -> list[str]:
    """Lines like "12 recommendations lack a strength", one per field, largest first."""
    counts: dict[tuple[str, str], int] = {}
    for m in missing:
        kind = code_kinds.get(m.field.code_id, "coding")
        noun = kind if kind in ("recommendation", "theme") else "coding"
        key = (noun, m.field.name.lower())
        counts[key] = counts.get(key, 0) + 1
    lines = []
    for (noun, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        article = "an" if name[:1] in "aeiou" else "a"
        verb = "lacks" if n == 1 else "lack"
        lines.append(f"{n} {noun}{'' if n == 1 else 's'} {verb} {article} {name}")
    return lines


class _Row:
    """The widgets of one field."""

    def __init__(self, field: FieldDef, editor: QWidget, status: QLabel, confirm: QPushButton):
        self.field = field
        self.editor = editor
        self.status = status
        self.confirm = confirm


class CodingDetailsPanel(QWidget):
    """Shows and edits the field values of one coding."""

    missing_requested = Signal()  # the user clicked the "lack a value" summary
    done_editing = Signal()  # Escape: give the keyboard back to the document

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codingDetailsPanel")
        self.controller: ProjectController | None = None
        self.coding: Coding | None = None
        self.rows: dict[uuid.UUID, _Row] = {}
        self.values: dict[uuid.UUID, FieldValue] = {}
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumHeight(60)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.missing = QLabel(self)
        self.missing.setTextFormat(Qt.TextFormat.RichText)
        self.missing.setWordWrap(True)
        self.missing.linkActivated.connect(lambda _link: self.missing_requested.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.missing)
        self.show_coding(None)

    # -- wiring -----------------------------------------------------------------------------
    def attach(self, controller: ProjectController) -> None:
        """Follow ``controller``'s project."""
        self.controller = controller
        controller.field_values_changed.connect(self._values_changed)
        controller.codings_delta.connect(self._on_delta)
        controller.codebook_changed.connect(self._reload)
        controller.visibility_changed.connect(self._reload)
        controller.coder_changed.connect(self._reload)
        self.show_coding(None)

    def _on_delta(self, delta: CodingDelta) -> None:
        if self.coding is not None:
            for c in delta.removed:
                if c.id == self.coding.id:
                    added = next((a for a in delta.added if a.id == c.id), None)
                    self.show_coding(added)
                    break
        self.refresh_missing()

    def _values_changed(self, coding_ids: list[uuid.UUID]) -> None:
        if self.coding is not None and self.coding.id in coding_ids:
            self._load_values()
        self.refresh_missing()

    def _reload(self) -> None:
        self.show_coding(self.coding)

    # -- showing ----------------------------------------------------------------------------
    def show_coding(self, coding: Coding | None) -> None:
        """Show ``coding``'s fields (None: an empty panel with a hint)."""
        self.coding = coding
        self.message.clear()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows.clear()
        controller = self.controller
        if coding is None or controller is None:
            self.header.setText("<i>Select or make a coding to see its fields.</i>")
            self.refresh_missing()
            return
        if not controller.is_visible(coding):
            self.header.setText("<i>This coding is hidden (blind mode or coder filter).</i>")
            self.refresh_missing()
            return
        codes = {c.id: c for c in controller.codes()}
        code = codes.get(coding.code_id)
        name = code.name if code else "?"
        quote = coding.quote if len(coding.quote) <= 160 else coding.quote[:157] + "…"
        fields = controller.project.fields.fields_for_code(coding.code_id)
        hint = "" if fields else "<br><i>This code has no fields (Codebook → Fields…).</i>"
        self.header.setText(f"<b>{_esc(name)}</b>: “{_esc(quote)}”{hint}")
        previous: QWidget | None = None
        for f in fields:
            editor = editor_for(f, self.form_host)
            editor.setObjectName(f"field:{f.name}")
            editor.committed.connect(lambda value, f=f: self._commit(f, value))
            editor.confirm_requested.connect(lambda f=f: self._confirm(f))
            if hasattr(editor, "invalid"):
                editor.invalid.connect(self.message.setText)
            status = QLabel(self.form_host)
            status.setStyleSheet("color: #666; font-size: 11px")
            confirm = QPushButton("Confirm", self.form_host)
            confirm.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            confirm.clicked.connect(lambda _checked=False, f=f: self._confirm(f))
            line = QWidget(self.form_host)
            column = QVBoxLayout(line)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(0)
            box = QHBoxLayout()
            box.addWidget(editor, 1)
            box.addWidget(confirm, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(box)
            column.addWidget(status)
            status.setWordWrap(True)
            label = QLabel(f"{_esc(f.name)}{' *' if f.required else ''}", self.form_host)
            label.setToolTip(f.definition)
            label.setWordWrap(True)
            self.form.addRow(label, line)
            label.show()
            line.show()  # now, so that the form's size counts it at once
            self.rows[f.id] = _Row(f, editor, status, confirm)
            if previous is not None:
                QWidget.setTabOrder(previous, editor)
            previous = editor
        self._load_values()
        self.form.activate()
        self.form_host.setMinimumHeight(self.form.sizeHint().height())
        self.refresh_missing()

    def _load_values(self) -> None:
        controller, coding = self.controller, self.coding
        if controller is None or coding is None:
            return
        found = controller.project.fields.values_for_codings([coding.id]).get(coding.id, {})
        hide_others = controller.blind
        names = {c.id: c.name for c in controller.coders()}
        self.values = {}
        for field_id, row in self.rows.items():
            v = found.get(field_id)
            hidden = (
                v is not None
                and hide_others
                and v.coder_id is not None
                and v.coder_id != controller.coder.id
            )
            if v is not None and not hidden:
                self.values[field_id] = v
            row.editor.show_value(None if v is None or hidden else v.value)  # type: ignore[attr-defined]
            row.confirm.setVisible(bool(v and v.suggested and not hidden))
            row.status.setText(self._status(row.field, None if hidden else v, hidden, names))

    @staticmethod
    def _status(f: FieldDef, v: FieldValue | None, hidden: bool, names: dict) -> str:
        if hidden:
            return "set by another coder (hidden in blind mode)"
        if v is None:
            return "<span style='color:#b00020'>missing (required)</span>" if f.required else ""
        when = v.modified.strftime("%Y-%m-%d %H:%M")
        if v.suggested:
            return (
                "<span style='color:#8a5a00'>suggested from the passage's words — "
                "Enter or Confirm to accept</span>"
            )
        return f"{_esc(names.get(v.coder_id, 'unknown coder'))}, {when} UTC"

    def refresh_missing(self) -> None:
        """Recount the codings (of the visible coders) that lack a required value."""
        controller = self.controller
        if controller is None:
            self.missing.clear()
            return
        missing = controller.project.fields.missing_required(controller.visible_coder_ids())
        kinds = {c.id: c.kind for c in controller.codes()}
        lines = missing_summary(missing, kinds)
        if not lines:
            self.missing.setText("<span style='color:#2e7d32'>No required value is missing.</span>")
        else:
            self.missing.setText(
                "<a href='missing'>" + "<br>".join(_esc(line) for line in lines) + "</a>"
            )

    # -- editing ----------------------------------------------------------------------------
    def _commit(self, f: FieldDef, value: FieldValueData | None) -> None:
        controller, coding = self.controller, self.coding
        if controller is None or coding is None:
            return
        self.message.clear()
        current = self.values.get(f.id)
        if current is not None and current.value == value:
            if current.suggested:
                self._confirm(f)
            return
        if current is None and value is None:
            return
        controller.run(SetFieldValueCommand(controller, coding.id, f, value))
        self._load_values()

    def _confirm(self, f: FieldDef) -> None:
        controller, coding = self.controller, self.coding
        current = self.values.get(f.id)
        if controller is None or coding is None or current is None or not current.suggested:
            return
        controller.run(ConfirmValueCommand(controller, coding.id, f))
        self._load_values()

    def set_value(self, field_name: str, value: FieldValueData | None) -> None:
        """Set a value as the user would (for scripts and tests)."""
        row = next(r for r in self.rows.values() if r.field.name == field_name)
        self._commit(row.field, value)

    def focus_first(self) -> bool:
        """Give the keyboard to the first field; False when there is none."""
        first = next(iter(self.rows.values()), None)
        if first is None:
            return False
        first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape returns the keyboard to the document."""
        if event.key() == Qt.Key.Key_Escape:
            self.done_editing.emit()
            return
        super().keyPressEvent(event)
