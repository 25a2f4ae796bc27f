"""The Recommendations menu and the wiring of the Coding details panel (issue 10).

``install_recommendations(w)`` is called once by the main window after its menus exist.
Other recommendation features add their actions to the same menu with
:func:`recommendations_menu`.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import code_path, tree_order
from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions import validate_rules
from annotator.gui.recommendations.coding_details_panel import missing_summary
from annotator.gui.recommendations.field_commands import (
    ConvertChildCodesCommand,
    SetSuggestionRulesCommand,
    SuggestValuesCommand,
)
from annotator.gui.recommendations.field_dialog import FieldsDialog
from annotator.services.field_suggestions import SuggestionService

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

MENU_TITLE = "&Recommendations"


def recommendations_menu(w: MainWindow) -> QMenu:
    """The Recommendations menu of ``w`` (made once, placed before Help)."""
    bar = w.menuBar()
    for a in bar.actions():
        if a.menu() is not None and a.text() == MENU_TITLE:
            return a.menu()  # type: ignore[return-value]
    menu = QMenu(MENU_TITLE, w)
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, menu)
    else:
        bar.addMenu(menu)
    return menu


def _add(w: MainWindow, menu: QMenu, key: str, text: str, slot, shortcut: str | None = None):
    act = QAction(text, w)
    act.setObjectName(key)
    if shortcut:
        act.setShortcut(shortcut)
    act.triggered.connect(slot)
    menu.addAction(act)
    w.addAction(act)
    w.actions[key] = act
    return act


def install_recommendations(w: MainWindow) -> None:
    """Add the menu entries and connect the details panel to the rest of the window."""
    menu = recommendations_menu(w)
    dock = w.findChild(QWidget, "codingDetailsDock")
    if dock is not None:
        toggle = dock.toggleViewAction()  # type: ignore[attr-defined]
        toggle.setText("Coding &details panel")
        menu.addAction(toggle)
    _add(w, menu, "edit_fields", "&Fields of the selected code…", lambda: edit_fields(w))
    _add(w, menu, "convert_children", "Turn child codes into a &field…", lambda: convert(w))
    menu.addSeparator()
    _add(w, menu, "fill_fields", "Fill &in the coding details", lambda: focus_details(w), "F4")
    _add(w, menu, "suggest_values", "&Suggest values in this document", lambda: suggest(w))
    _add(w, menu, "suggestion_rules", "Suggestion &rules…", lambda: edit_rules(w))
    _add(w, menu, "missing_values", "Codings &lacking a required value…", lambda: missing(w))
    menu.addSeparator()
    _add(w, menu, "field_agreement", "&Agreement per field…", lambda: field_agreement(w))
    panel = w.details_panel
    panel.missing_requested.connect(lambda: missing(w))
    panel.done_editing.connect(lambda: w.view.setFocus(Qt.FocusReason.ShortcutFocusReason))
    table = w.codings_panel.table
    table.selectionModel().selectionChanged.connect(lambda *_: _follow_selection(w))


def _follow_selection(w: MainWindow) -> None:
    chosen = w.codings_panel.selected_codings()
    if chosen:
        w.details_panel.show_coding(chosen[0])


def coding_made(w: MainWindow, coding) -> None:
    """A coding was just made: show it, and if its code has fields, take the keyboard."""
    w.details_panel.show_coding(coding)
    if w.details_panel.rows:
        w.details_panel.focus_first()


def focus_details(w: MainWindow) -> bool:
    """F4: fill in the selected coding's fields from the keyboard."""
    return w.details_panel.focus_first()


def edit_fields(w: MainWindow) -> FieldsDialog | None:
    """Open the fields dialog of the code selected in the codebook."""
    code = w.codebook_panel.current_code()
    if code is None:
        w.statusBar().showMessage("Select a code in the codebook first.", 4000)
        return None
    dialog = FieldsDialog(w.controller, code, w.confirm, w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def suggest(w: MainWindow) -> int:
    """Fill the empty fields of this document's visible codings with suggestions."""
    if w.current_document is None:
        return 0
    ids = [c.id for c in w.controller.codings(w.current_document)]
    command = SuggestValuesCommand(w.controller, ids)
    if not w.controller.run(command):
        return 0
    n = len(command.written)
    w.statusBar().showMessage(f"Suggested {n} value{'s' if n != 1 else ''}; confirm each.", 5000)
    return n


class ConvertDialog(QDialog):
    """Choose the code whose child codes become a field, and the code that gets it."""

    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.setWindowTitle("Turn child codes into a field")
        codes = tree_order(w.controller.codes())
        by_id = {c.id: c for c in codes}
        self.source = QComboBox(self)
        self.target = QComboBox(self)
        for c in codes:
            if any(x.parent_id == c.id for x in codes):
                self.source.addItem(code_path(c, by_id), c.id)
            if c.codable:
                self.target.addItem(code_path(c, by_id), c.id)
        self.multiple = QCheckBox("A coding may take several of them (multiple choice)", self)
        note = QLabel(
            "Each coding of a child code becomes a value on the overlapping coding of the "
            "chosen code by the same coder (or a new coding of it); the child codes are then "
            "removed. Edit → Undo reverses it all.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Child codes of", self.source)
        form.addRow("become a field of", self.target)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.multiple)
        layout.addWidget(note)
        layout.addWidget(buttons)


def convert(w: MainWindow, dialog: ConvertDialog | None = None) -> bool:
    """Run the conversion chosen in ``dialog`` (shown modally when not given)."""
    if dialog is None:
        dialog = ConvertDialog(w)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    source, target = dialog.source.currentData(), dialog.target.currentData()
    if source is None or target is None:
        return False
    codes = {c.id: c for c in w.controller.codes()}
    text = f"Turn {codes[source].name}'s child codes into a field of {codes[target].name}"
    command = ConvertChildCodesCommand(
        w.controller, source, target, multiple=dialog.multiple.isChecked(), text=text
    )
    if not w.controller.run(command):
        return False
    done = command.done
    assert done is not None
    w.statusBar().showMessage(
        f"{text}: {done.mapped} codings mapped ({done.joined} onto existing codings).", 8000
    )
    return True


class RulesDialog(QDialog):
    """The suggestion rules as editable JSON, with the documented shape as a reminder."""

    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.setWindowTitle("Suggestion rules")
        self.w = w
        self.edit = QPlainTextEdit(self)
        rules = SuggestionService(w.controller.project).rules()
        self.edit.setPlainText(json.dumps(rules, indent=2, ensure_ascii=False))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020")
        help_text = QLabel(
            "Each rule names a field and, per choice label, the phrases that suggest it "
            "(whole words, any case, * ends a word). pick: first_listed (the first choice "
            "listed that matches) or earliest (the phrase found first in the passage).",
            self,
        )
        help_text.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.RestoreDefaults
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(lambda: self.save(defaults=True))
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def save(self, defaults: bool = False) -> bool:
        """Store the rules (or go back to the built-in ones)."""
        try:
            rules = None if defaults else validate_rules(json.loads(self.edit.toPlainText()))
        except (ValueError, AnnotatorError) as exc:
            self.error.setText(f"These rules cannot be used: {exc}")
            return False
        if self.w.controller.run(SetSuggestionRulesCommand(self.w.controller, rules)):
            self.accept()
            return True
        return False


def edit_rules(w: MainWindow) -> RulesDialog:
    """Open the suggestion rules editor."""
    dialog = RulesDialog(w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class MissingDialog(QDialog):
    """Codings (of the visible coders) that lack a required value; a double-click opens one."""

    def __init__(self, w: MainWindow) -> None:
        super().__init__(w)
        self.setWindowTitle("Codings lacking a required value")
        self.w = w
        found = w.controller.project.fields.missing_required(w.controller.visible_coder_ids())
        kinds = {c.id: c.kind for c in w.controller.codes()}
        titles = {d.id: d.title for d in w.controller.documents()}
        summary = QLabel("\n".join(missing_summary(found, kinds)) or "Nothing is missing.", self)
        self.list = QListWidget(self)
        for m in found:
            coding = w.controller.project.codings.get(m.coding_id)
            quote = coding.quote if len(coding.quote) < 90 else coding.quote[:87] + "…"
            item = QListWidgetItem(f"{m.field.name} — {titles.get(m.document_id, '?')}: {quote}")
            item.setData(Qt.ItemDataRole.UserRole, (m.document_id, m.coding_id))
            self.list.addItem(item)
        self.list.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list)
        self.resize(640, 420)

    def _open(self, item: QListWidgetItem) -> None:
        document_id, coding_id = item.data(Qt.ItemDataRole.UserRole)
        go_to_coding(self.w, document_id, coding_id)


def go_to_coding(w: MainWindow, document_id: uuid.UUID, coding_id: uuid.UUID) -> None:
    """Open the document, select the coding and show its details."""
    if w.current_document != document_id:
        w.open_document(document_id)
    w.codings_panel.select_ids([coding_id])
    w._show_codings([coding_id])
    w.details_panel.show_coding(w.controller.project.codings.get(coding_id))


def field_agreement(w: MainWindow):
    """Open the per-field agreement window (one per main window)."""
    from annotator.gui.recommendations.field_agreement_window import FieldAgreementWindow

    window = getattr(w, "_field_agreement", None)
    if window is None or window.property("controller_id") != id(w.controller):
        window = FieldAgreementWindow(w)
        window.setProperty("controller_id", id(w.controller))
        w._field_agreement = window  # type: ignore[attr-defined]
    if window.isVisible():
        window.raise_()  # already open: bring it forward rather than open a second one
    else:
        window.show()
    return window


def missing(w: MainWindow) -> MissingDialog:
    """Open the list of codings that lack a required value."""
    dialog = MissingDialog(w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
