"""Conversions between field rows and domain fields and values, and helpers that other
services call inside their own transactions (deleting and restoring codes)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.fields import FieldChoice, FieldDef, FieldKind, FieldValue, field_to_dict
from annotator.storage.mapping import aware
from annotator.storage.models import CodeFieldRow, CodingFieldValueRow

# -- row conversions -------------------------------------------------------------------------


def field_from_row(row: CodeFieldRow) -> FieldDef:
    """The domain field of a row."""
    choices = tuple(
        FieldChoice(
            id=str(c["id"]),
            label=str(c["label"]),
            definition=str(c.get("definition") or ""),
            key=c.get("key") or None,
        )
        for c in json.loads(row.choices or "[]")
    )
    return FieldDef(
        id=row.id,
        code_id=row.code_id,
        name=row.name,
        kind=FieldKind(row.kind),
        choices=choices,
        required=bool(row.required),
        position=row.position,
        definition=row.definition or "",
    )


def field_to_row(f: FieldDef, row: CodeFieldRow | None = None) -> CodeFieldRow:
    """Write ``f`` into ``row`` (a new row when None) and return it."""
    row = row or CodeFieldRow(id=f.id)
    row.code_id = f.code_id
    row.name = f.name
    row.kind = str(f.kind)
    row.choices = json.dumps(field_to_dict(f)["choices"], ensure_ascii=False)
    row.required = f.required
    row.position = f.position
    row.definition = f.definition
    return row


def value_from_row(row: CodingFieldValueRow) -> FieldValue:
    """The domain value of a row."""
    return FieldValue(
        coding_id=row.coding_id,
        field_id=row.field_id,
        value=json.loads(row.value),
        coder_id=row.coder_id,
        modified=aware(row.modified_at),
        suggested=bool(row.suggested),
    )


def value_to_row(v: FieldValue, row: CodingFieldValueRow | None = None) -> CodingFieldValueRow:
    """Write ``v`` into ``row`` (a new row when None) and return it."""
    row = row or CodingFieldValueRow(coding_id=v.coding_id, field_id=v.field_id)
    row.value = json.dumps(v.value, ensure_ascii=False)
    row.coder_id = v.coder_id
    row.modified_at = v.modified
    row.suggested = v.suggested
    return row


# -- used inside other services' transactions ---------------------------------------------
def fields_and_values_in(
    s: Session, code_ids: Collection[uuid.UUID]
) -> tuple[list[FieldDef], list[FieldValue]]:
    """The fields of ``code_ids`` and all their values, read in ``s`` (for undo)."""
    fields = [
        field_from_row(r)
        for r in s.scalars(
            select(CodeFieldRow).where(CodeFieldRow.code_id.in_(list(code_ids)))
        ).all()
    ]
    if not fields:
        return [], []
    values = [
        value_from_row(r)
        for r in s.scalars(
            select(CodingFieldValueRow).where(
                CodingFieldValueRow.field_id.in_([f.id for f in fields])
            )
        ).all()
    ]
    return fields, values


def put_back(s: Session, fields: Iterable[FieldDef], values: Iterable[FieldValue]) -> None:
    """Re-add fields and values exactly as they were, in ``s`` (undo of a deletion)."""
    fields = list(fields)
    if fields:
        s.add_all(field_to_row(f) for f in fields)
        s.flush()
    values = list(values)
    if values:
        s.add_all(value_to_row(v) for v in values)
        s.flush()


def field_lookups(
    s: Session,
) -> tuple[dict[uuid.UUID, list[FieldDef]], dict[uuid.UUID, dict[uuid.UUID, FieldValue]]]:
    """Every field by code (in position order) and every value by coding, read in ``s``.

    Empty for a read-only file at a schema older than the field tables (0002).
    """
    from sqlalchemy import inspect

    names = set(inspect(s.connection()).get_table_names())
    if "code_field" not in names or "coding_field_value" not in names:
        return {}, {}
    defs: dict[uuid.UUID, list[FieldDef]] = {}
    for row in s.scalars(select(CodeFieldRow).order_by(CodeFieldRow.position, CodeFieldRow.name)):
        defs.setdefault(row.code_id, []).append(field_from_row(row))
    values: dict[uuid.UUID, dict[uuid.UUID, FieldValue]] = {}
    for row in s.scalars(select(CodingFieldValueRow)):
        values.setdefault(row.coding_id, {})[row.field_id] = value_from_row(row)
    return defs, values
