"""The register's field columns: one column per field declared on a recommendation code.

Fields and values come from ``services/fields.py`` (``FieldService``). A value is shown as
readable text (choice labels, "yes"/"no"); a suggestion the coder has not confirmed is
marked "(suggested)", so the register never passes a machine guess off as a coder's.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Sequence

from annotator.domain.fields import FieldDef, format_value
from annotator.services.project import Project

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
    """Per coding, its value of each column as text ("" when it has none)."""
    if not columns:
        return {}
    found = project.fields.values_for_codings(coding_ids)
    out: dict[uuid.UUID, tuple[str, ...]] = {}
    for coding_id, values in found.items():
        cells = []
        for f, _header in columns:
            v = values.get(f.id)
            if v is None:
                cells.append("")
            else:
                text = format_value(f, v.value)
                cells.append(f"{text} (suggested)" if v.suggested and text else text)
        out[coding_id] = tuple(cells)
    return out
