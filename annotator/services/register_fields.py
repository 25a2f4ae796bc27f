"""The register's field columns: one column per field declared on a recommendation code.

Fields and values come from ``services/fields.py`` (``FieldService``). A value is shown as
readable text (choice labels, "yes"/"no"); a suggestion the coder has not confirmed is
marked "(suggested)", so the register never passes a machine guess off as a coder's.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Collection, Sequence

from sqlalchemy import String, select, type_coerce

from annotator.domain.fields import FieldDef, format_value
from annotator.services.project import Project
from annotator.storage.models import CodingFieldValueRow

FieldColumn = tuple[FieldDef, str]
"""A field column: the field and its header."""


def field_columns(project: Project, code_ids: Collection[uuid.UUID]) -> list[FieldColumn]:
    """One column per field declared on any of ``code_ids``, in codebook then field order.

    A header is the field's name, or "Code: name" when two codes have a field so named.
    """
    wanted = set(code_ids)
    order = {c.id: i for i, c in enumerate(project.codebook.list())}
    names = {c.id: c.name for c in project.codebook.list()}
    fields = [f for f in project.fields.all_fields() if f.code_id in wanted]
    fields.sort(key=lambda f: (order.get(f.code_id, 0), f.position, f.name))
    counts = Counter(f.name for f in fields)
    return [
        (f, f.name if counts[f.name] == 1 else f"{names.get(f.code_id, '?')}: {f.name}")
        for f in fields
    ]


def field_values(
    project: Project, coding_ids: Sequence[uuid.UUID], columns: Sequence[FieldColumn]
) -> dict[uuid.UUID, tuple[str, ...]]:
    """Per coding, its value of each column as text ("" when it has none).

    One plain query over the columns' fields (not one ORM object per value): a register
    of 5,000 recommendations with 10 fields reads 50,000 values.
    """
    if not columns:
        return {}
    # Keys stay raw column values (hex text on SQLite) until the end: 50,000 values would
    # otherwise cost 50,000 UUID objects and their (Python-level) hashing.
    wanted = {u.hex for u in coding_ids}
    position = {f.id.hex: i for i, (f, _header) in enumerate(columns)}
    by_hex = {f.id.hex: f for f, _header in columns}
    texts: dict[tuple[str, str, bool], str] = {}  # (field, raw value, suggested) -> text
    v = CodingFieldValueRow
    cells: dict[str, list[str]] = {}
    with project.db.reader() as s:
        rows = s.execute(
            select(
                type_coerce(v.coding_id, String),
                type_coerce(v.field_id, String),
                v.value,
                v.suggested,
            ).where(v.field_id.in_([f.id for f, _h in columns]))
        )
        for raw_coding, raw_field, raw_value, suggested in rows:
            coding = _hex(raw_coding)
            if coding not in wanted:
                continue
            field_hex = _hex(raw_field)
            key = (field_hex, raw_value, bool(suggested))
            text = texts.get(key)
            if text is None:
                text = format_value(by_hex[field_hex], json.loads(raw_value))
                text = f"{text} (suggested)" if suggested and text else text
                texts[key] = text
            row = cells.get(coding)
            if row is None:
                row = cells[coding] = [""] * len(columns)
            row[position[field_hex]] = text
    return {uuid.UUID(hex=k): tuple(r) for k, r in cells.items()}


def _hex(raw: object) -> str:
    """A raw UUID column value as 32 lower-case hex digits (SQLite text or PostgreSQL UUID)."""
    if isinstance(raw, uuid.UUID):
        return raw.hex
    text = str(raw)
    return text if len(text) == 32 else text.replace("-", "").lower()
