"""Suggested field values for codings, under the project's editable rules.

The rules live in the project (``field_setting`` key ``suggestion_rules``); a project that
never changed them uses :data:`annotator.domain.suggestions.DEFAULT_RULES`. Suggestions
only fill fields that are empty, are stored with ``suggested=True`` and no coder, and
wait for a coder to confirm them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from annotator.domain.fields import FieldKind, FieldValue
from annotator.domain.suggestions import (
    SETTING_KEY,
    Suggestion,
    default_rules,
    suggest,
    validate_rules,
)
from annotator.services.fields import FieldService


class SuggestionService:
    """Suggestions for one project. Accepts a ``Project`` (or anything with ``db``)."""

    def __init__(self, project: Any) -> None:
        self._project = project
        self._fields = FieldService(project)

    def rules(self) -> list[dict[str, object]]:
        """The project's rules (the built-in ones until the user changes them)."""
        stored = self._fields.setting(SETTING_KEY)
        return validate_rules(stored) if stored is not None else default_rules()

    def set_rules(self, rules: object) -> list[dict[str, object]] | None:
        """Store new rules (None: back to the built-in ones); returns the previous stored."""
        cleaned = None if rules is None else validate_rules(rules)
        return self._fields.set_setting(SETTING_KEY, cleaned)

    def for_text(self, code_id: uuid.UUID, text: str) -> list[Suggestion]:
        """What the rules suggest for a passage coded with ``code_id`` (nothing is stored)."""
        return suggest(text, self._fields.fields_for_code(code_id), self.rules())

    def fill(
        self, coding_ids: Iterable[uuid.UUID]
    ) -> list[tuple[uuid.UUID, uuid.UUID, FieldValue | None]]:
        """Store suggestions in the empty fields of these codings.

        Returns ``(coding_id, field_id, before)`` for every value written (before is always
        None, as only empty fields are filled), so undo can clear them again.
        """
        codings = [self._project.codings.get(i) for i in coding_ids]
        rules = self.rules()
        existing = self._fields.values_for_codings([c.id for c in codings])
        fields_of: dict[uuid.UUID, list] = {}
        written = []
        for coding in codings:
            fields = fields_of.setdefault(
                coding.code_id, self._fields.fields_for_code(coding.code_id)
            )
            if not fields:
                continue
            have = existing.get(coding.id, {})
            by_id = {f.id: f for f in fields}
            for s in suggest(coding.quote, fields, rules):
                if s.field_id in have:
                    continue
                f = by_id[s.field_id]
                value = [s.choice_id] if f.kind is FieldKind.MULTIPLE_CHOICE else s.choice_id
                self._fields.set_value(coding.id, f.id, value, None, suggested=True)
                written.append((coding.id, f.id, None))
        return written
