"""Code fields in the codebook table (CSV/XLSX): one ``fields`` cell per code, as JSON.

The cell holds a JSON list, one object per field::

    [{"name": "Strength", "kind": "ordinal", "required": true, "definition": "...",
      "choices": [{"label": "could", "key": "1", "definition": "..."}, ...]}]

``kind`` is one of single_choice, multiple_choice, ordinal, number, date, yes_no,
short_text. Ids are not written: on import a field is matched by name on its code and a
choice by label, so values already recorded keep their meaning. JSON is used because it
round-trips every part of a definition exactly; spreadsheets keep it as text.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from annotator.domain.errors import ValidationError
from annotator.domain.fields import (
    FieldChoice,
    FieldDef,
    FieldKind,
    new_choice_id,
    validate_field,
)

FIELDS_COLUMN = "fields"
_PLACEHOLDER = uuid.UUID(int=0)


@dataclass(frozen=True)
class FieldSpec:
    """A field definition read from a table row, not yet tied to a code."""

    row: int
    name: str
    kind: FieldKind
    required: bool
    definition: str
    choices: tuple[tuple[str, str | None, str], ...]  # (label, key, definition)


def fields_cell(fields: list[FieldDef]) -> str:
    """The ``fields`` cell of one code ("" when it has none)."""
    if not fields:
        return ""
    return json.dumps(
        [
            {
                "name": f.name,
                "kind": str(f.kind),
                "required": f.required,
                "definition": f.definition,
                "choices": [
                    {"label": c.label, "key": c.key, "definition": c.definition} for c in f.choices
                ],
            }
            for f in sorted(fields, key=lambda f: f.position)
        ],
        ensure_ascii=False,
    )


def parse_fields_cell(text: str, row: int, problems: list[str]) -> list[FieldSpec]:
    """The field specs of a cell; problems name the row and the field."""
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except ValueError as exc:
        problems.append(f"Row {row}: the fields cell is not valid JSON ({exc.msg}).")
        return []
    if not isinstance(data, list):
        problems.append(f"Row {row}: the fields cell must be a list of fields.")
        return []
    out: list[FieldSpec] = []
    for entry in data:
        name = str(entry.get("name", "")) if isinstance(entry, dict) else ""
        try:
            if not isinstance(entry, dict):
                raise ValidationError("each field must be an object with a name and a kind")
            choices = tuple(
                (str(c.get("label", "")), (str(c["key"]) if c.get("key") else None),
                 str(c.get("definition") or ""))
                for c in entry.get("choices") or []
            )  # fmt: skip
            probe = FieldDef(
                _PLACEHOLDER,
                _PLACEHOLDER,
                name,
                entry.get("kind", ""),
                tuple(FieldChoice(str(i), lb, d, k) for i, (lb, k, d) in enumerate(choices)),
                bool(entry.get("required", False)),
                0,
                str(entry.get("definition") or ""),
            )
            checked = validate_field(probe)
        except (ValidationError, AttributeError, TypeError) as exc:
            problems.append(f"Row {row}: field '{name or '?'}': {exc}")
            continue
        out.append(
            FieldSpec(
                row,
                checked.name,
                FieldKind(checked.kind),
                checked.required,
                checked.definition,
                tuple((c.label, c.key, c.definition) for c in checked.choices),
            )
        )
    return out


def apply_spec(spec: FieldSpec, code_id: uuid.UUID, existing: FieldDef | None, position: int):
    """The field a spec describes on ``code_id``: choices keep the ids of equal labels."""
    old = {c.label.casefold(): c.id for c in existing.choices} if existing else {}
    choices = tuple(
        FieldChoice(old.get(label.casefold()) or new_choice_id(), label, definition, key)
        for label, key, definition in spec.choices
    )
    return FieldDef(
        existing.id if existing else uuid.uuid4(),
        code_id,
        spec.name,
        spec.kind,
        choices,
        spec.required,
        existing.position if existing else position,
        spec.definition,
    )
