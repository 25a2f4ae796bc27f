"""Undo commands for fields and values: every change is one of these (issue 10)."""

from __future__ import annotations

import uuid

from annotator.domain.fields import FieldDef, FieldValue, FieldValueData, format_value
from annotator.gui.controller import ProjectController, UndoableCommand
from annotator.services.field_conversion import Conversion, FieldConversionService
from annotator.services.field_suggestions import SuggestionService
from annotator.services.fields import DeletedField, FieldUpdate


class SetFieldValueCommand(UndoableCommand):
    """Set or clear one value of one coding, attributed to the current coder."""

    def __init__(
        self,
        controller: ProjectController,
        coding_id: uuid.UUID,
        field: FieldDef,
        value: FieldValueData | None,
    ) -> None:
        shown = format_value(field, value) if value not in (None, "", []) else "nothing"
        super().__init__(controller, f"Set {field.name} to {shown}")
        self.coding_id = coding_id
        self.field = field
        self.value = value
        self.new: FieldValue | None = None
        self.before: FieldValue | None = None

    def apply(self) -> None:
        """Store the value (first time) or the stored one again (redo)."""
        fields = self.controller.project.fields
        if self.new is None and self.before is None:
            self.new, self.before = fields.set_value(
                self.coding_id, self.field.id, self.value, self.controller.coder.id
            )
        else:
            fields.replace_value(self.coding_id, self.field.id, self.new)
        self.controller.notify_values([self.coding_id])

    def revert(self) -> None:
        """Put the earlier value (or its absence) back exactly."""
        self.controller.project.fields.replace_value(self.coding_id, self.field.id, self.before)
        self.controller.notify_values([self.coding_id])


class ConfirmValueCommand(UndoableCommand):
    """Make a suggested value the current coder's own."""

    def __init__(self, controller: ProjectController, coding_id: uuid.UUID, field: FieldDef):
        super().__init__(controller, f"Confirm {field.name}")
        self.coding_id = coding_id
        self.field = field
        self.new: FieldValue | None = None
        self.before: FieldValue | None = None

    def apply(self) -> None:
        """Confirm (first time) or write the confirmed value again (redo)."""
        fields = self.controller.project.fields
        if self.new is None:
            self.new, self.before = fields.confirm(
                self.coding_id, self.field.id, self.controller.coder.id
            )
        else:
            fields.replace_value(self.coding_id, self.field.id, self.new)
        self.controller.notify_values([self.coding_id])

    def revert(self) -> None:
        """Back to the suggestion."""
        self.controller.project.fields.replace_value(self.coding_id, self.field.id, self.before)
        self.controller.notify_values([self.coding_id])


class SuggestValuesCommand(UndoableCommand):
    """Fill empty fields of codings with suggestions (Tools → Suggest field values)."""

    def __init__(self, controller: ProjectController, coding_ids: list[uuid.UUID]) -> None:
        super().__init__(controller, "Suggest field values")
        self.coding_ids = coding_ids
        self.written: list[tuple[uuid.UUID, uuid.UUID, FieldValue | None]] = []
        self.values: list[FieldValue] = []

    def apply(self) -> None:
        """Fill (first time) or put the same suggestions back (redo)."""
        fields = self.controller.project.fields
        if not self.values:
            self.written = SuggestionService(self.controller.project).fill(self.coding_ids)
            found = fields.values_for_codings({c for c, _f, _b in self.written})
            self.values = [found[c][f] for c, f, _b in self.written]
        else:
            fields.restore_values(self.values)
        self.controller.notify_values({c for c, _f, _b in self.written})

    def revert(self) -> None:
        """Clear what was filled."""
        for coding_id, field_id, before in self.written:
            self.controller.project.fields.replace_value(coding_id, field_id, before)
        self.controller.notify_values({c for c, _f, _b in self.written})


class SetSuggestionRulesCommand(UndoableCommand):
    """Change the project's suggestion rules."""

    def __init__(self, controller: ProjectController, rules: list | None) -> None:
        super().__init__(controller, "Change suggestion rules")
        self.rules = rules
        self.before: object = None

    def apply(self) -> None:
        """Store the new rules."""
        self.before = SuggestionService(self.controller.project).set_rules(self.rules)

    def revert(self) -> None:
        """Store the old ones."""
        SuggestionService(self.controller.project).set_rules(self.before)


class AddFieldCommand(UndoableCommand):
    """Declare a field on a code."""

    def __init__(self, controller: ProjectController, field: FieldDef) -> None:
        super().__init__(controller, f"Add field {field.name}")
        self.field = field

    def apply(self) -> None:
        """Store it."""
        self.field = self.controller.project.fields.add_field(self.field, self.controller.coder.id)
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Remove it (a fresh field has no values)."""
        self.controller.project.fields.delete_field(self.field.id, self.controller.coder.id)
        self.controller.notify_codebook()


class UpdateFieldCommand(UndoableCommand):
    """Edit a field; ``drop_values`` after the user agreed to lose values of removed choices."""

    def __init__(
        self, controller: ProjectController, field: FieldDef, *, drop_values: bool = False
    ) -> None:
        super().__init__(controller, f"Edit field {field.name}")
        self.field = field
        self.drop_values = drop_values
        self.update: FieldUpdate | None = None

    def apply(self) -> None:
        """Store the new definition."""
        self.update = self.controller.project.fields.update_field(
            self.field, self.controller.coder.id, drop_values=self.drop_values
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Put the old definition and any dropped values back."""
        assert self.update is not None
        self.controller.project.fields.undo_update(self.update, self.controller.coder.id)
        self.controller.notify_codebook()


class DeleteFieldCommand(UndoableCommand):
    """Delete a field with its values; undo restores both."""

    def __init__(self, controller: ProjectController, field: FieldDef) -> None:
        super().__init__(controller, f"Delete field {field.name}")
        self.field = field
        self.deleted: DeletedField | None = None

    def apply(self) -> None:
        """Delete, remembering the values."""
        self.deleted = self.controller.project.fields.delete_field(
            self.field.id, self.controller.coder.id
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Restore."""
        assert self.deleted is not None
        self.controller.project.fields.restore_field(self.deleted, self.controller.coder.id)
        self.controller.notify_codebook()


class ConvertChildCodesCommand(UndoableCommand):
    """Turn a code's child codes into a choice field of another code, mapping every coding."""

    def __init__(
        self,
        controller: ProjectController,
        source_id: uuid.UUID,
        target_id: uuid.UUID,
        *,
        multiple: bool = False,
        text: str = "Turn child codes into a field",
    ) -> None:
        super().__init__(controller, text)
        self.source_id = source_id
        self.target_id = target_id
        self.multiple = multiple
        self.done: Conversion | None = None

    def apply(self) -> None:
        """Convert."""
        self.done = FieldConversionService(self.controller.project).convert(
            self.source_id, self.target_id, self.controller.coder.id, multiple=self.multiple
        )
        self.controller.notify_codebook()

    def revert(self) -> None:
        """Put the child codes and their codings back."""
        assert self.done is not None
        FieldConversionService(self.controller.project).undo(self.done, self.controller.coder.id)
        self.controller.notify_codebook()
