"""Fields and values through our own ``.qdpx`` member (see exchange/refi/fields_member.py).

Export writes the fields of the exported codes and the values of the exported codings.
Import and merge apply them after the codes and codings, inside the same transaction:

- a field is matched by UUID, else by name on the (matched) code; an unmatched field is
  added to the code; choices are matched by id, else by label, and missing ones added;
- a value is stored when the coding is in the project and has no value for the field, or
  replaces ours when theirs was modified later (the same rule as codings); merging the
  same file twice changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.fields import FieldChoice, FieldDef, FieldValue
from annotator.exchange.refi.fields_member import append_fields, read_fields
from annotator.storage.field_mapping import (
    field_from_row,
    field_lookups,
    field_to_row,
    value_from_row,
    value_to_row,
)
from annotator.storage.mapping import aware
from annotator.storage.models import CodeFieldRow, CodingFieldValueRow, CodingRow


def export_fields(
    s: Session, path: Path, code_ids: set[uuid.UUID], coding_ids: set[uuid.UUID]
) -> int:
    """Append the member for these codes and codings to the archive at ``path``."""
    defs, values = field_lookups(s)
    fields = [f for cid in code_ids for f in defs.get(cid, [])]
    wanted = {f.id for f in fields}
    chosen = [v for cid in coding_ids for fid, v in values.get(cid, {}).items() if fid in wanted]
    return append_fields(path, fields, chosen)


def _merge_choices(ours: FieldDef, theirs: FieldDef) -> tuple[FieldDef, dict[str, str]]:
    """Our field with any of their choices it lacks; their choice id -> ours."""
    mapping: dict[str, str] = {}
    choices = list(ours.choices)
    for c in theirs.choices:
        same = ours.choice(c.id) or ours.choice_by_label(c.label)
        if same is None:
            choices.append(FieldChoice(c.id, c.label, c.definition, None))
            mapping[c.id] = c.id
        else:
            mapping[c.id] = same.id
    return ours.with_changes(choices=tuple(choices)), mapping


def _map_value(value: object, mapping: dict[str, str]) -> object:
    if isinstance(value, list):
        return [mapping.get(v, v) for v in value]
    if isinstance(value, str) and value in mapping:
        return mapping[value]
    return value


def import_fields(
    s: Session,
    path: Path,
    code_map: dict[uuid.UUID, uuid.UUID],
    coder_map: dict[uuid.UUID | None, uuid.UUID],
) -> tuple[int, int]:
    """Apply the member of ``path``; returns (fields added, values added or updated)."""
    fields, values = read_fields(path)
    if not fields:
        return 0, 0
    ours = {r.id: field_from_row(r) for r in s.scalars(select(CodeFieldRow)).all()}
    by_name = {(f.code_id, f.name.casefold()): f for f in ours.values()}
    field_map: dict[uuid.UUID, tuple[uuid.UUID, dict[str, str]]] = {}
    added = 0
    for theirs in fields:
        code_id = code_map.get(theirs.code_id)
        if code_id is None:
            continue  # its code was not imported (reported with the codes)
        mine = ours.get(theirs.id) or by_name.get((code_id, theirs.name.casefold()))
        if mine is None:
            new = replace(theirs, code_id=code_id)
            s.add(field_to_row(new))
            ours[new.id] = new
            field_map[theirs.id] = (new.id, {c.id: c.id for c in theirs.choices})
            added += 1
            continue
        merged, mapping = _merge_choices(mine, theirs)
        if merged != mine:
            field_to_row(merged, s.get(CodeFieldRow, mine.id))
        field_map[theirs.id] = (mine.id, mapping)
    s.flush()
    present = set(s.scalars(select(CodingRow.id)).all())
    changed = 0
    for v in values:
        if v.field_id not in field_map or v.coding_id not in present:
            continue
        field_id, mapping = field_map[v.field_id]
        value = FieldValue(
            v.coding_id,
            field_id,
            _map_value(v.value, mapping),  # type: ignore[arg-type]
            coder_map.get(v.coder_id) if v.coder_id is not None else None,
            v.modified,
            v.suggested,
        )
        row = s.get(CodingFieldValueRow, (v.coding_id, field_id))
        if row is None:
            s.add(value_to_row(value))
            changed += 1
        elif value.modified > aware(row.modified_at) and value_from_row(row).value != value.value:
            value_to_row(value, row)
            changed += 1
    s.flush()
    return added, changed
