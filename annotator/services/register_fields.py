"""The seam between the register and the fields on codes (issue 10, items 1 and 2).

The register shows one column per field of the recommendation codes. Fields are built in
``services/fields.py`` (``FieldService``); until that module is present this seam reports
no field columns, and the register, its view and its exports work without them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from annotator.services.project import Project

FieldColumn = tuple[object, str]
"""A field column: the field's key (its id) and its header."""


def field_columns(project: Project, code_ids: Collection[uuid.UUID]) -> list[FieldColumn]:
    """One column per field declared on any of ``code_ids`` (none without fields support)."""
    del project, code_ids
    return []


def field_values(
    project: Project, coding_ids: Sequence[uuid.UUID], columns: Sequence[FieldColumn]
) -> dict[uuid.UUID, tuple[str, ...]]:
    """Per coding, its value of each column as text ("" when it has none)."""
    del project, coding_ids, columns
    return {}
