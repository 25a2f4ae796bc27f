"""Field definitions from a codebook table: applied inside the table import's transaction.

A field is matched by name on its code and updated, or added; fields the table does not
mention are left alone, as codes are. A choice is matched by label, so recorded values
keep their meaning; removing a choice that codings use refuses the whole import (the
message names the row and the field), so nothing is half-imported.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.errors import ValidationError
from annotator.domain.fields import field_to_dict
from annotator.exchange.codebook_fields import apply_spec
from annotator.exchange.codebook_table import ParsedTable
from annotator.services.codebook_versions import log_change
from annotator.storage.field_mapping import field_from_row, field_to_row
from annotator.storage.models import CodeFieldRow, CodingFieldValueRow


def apply_field_specs(
    s: Session,
    path: Path,
    parsed: ParsedTable,
    paths: dict[uuid.UUID, str],
    coder_id: uuid.UUID | None,
) -> None:
    """Store the ``fields`` cells of ``parsed`` (codes already imported, ids in ``paths``)."""
    by_path = {p.casefold(): cid for cid, p in paths.items()}
    rows = {r.row: r for r in parsed.rows}
    problems: list[str] = []
    for number, specs in parsed.fields.items():
        incoming = rows[number]
        code_id = incoming.id if incoming.id in paths else by_path.get(incoming.path.casefold())
        if code_id is None:
            problems.append(f"Row {number}: its code could not be found after the import.")
            continue
        existing = {
            r.name.casefold(): field_from_row(r)
            for r in s.scalars(select(CodeFieldRow).where(CodeFieldRow.code_id == code_id))
        }
        for position, spec in enumerate(specs):
            old = existing.get(spec.name.casefold())
            new = apply_spec(spec, code_id, old, len(existing) + position)
            if old is None:
                s.add(field_to_row(new))
                log_change(
                    s, coder_id, "add field", code_id,
                    f"Added field '{new.name}' to '{paths[code_id]}' (imported from {path.name})",
                    field=field_to_dict(new),
                )  # fmt: skip
                continue
            gone = {c.id for c in old.choices} - {c.id for c in new.choices}
            if gone:
                used = sum(
                    1
                    for raw in s.scalars(
                        select(CodingFieldValueRow.value).where(
                            CodingFieldValueRow.field_id == old.id
                        )
                    )
                    if _uses(json.loads(raw), gone)
                )
                if used:
                    labels = ", ".join(c.label for c in old.choices if c.id in gone)
                    problems.append(
                        f"Row {number}: field '{old.name}': the choices {labels} are used by "
                        f"{used} codings; change those values first."
                    )
                    continue
            if new.kind != old.kind and s.scalar(
                select(CodingFieldValueRow.coding_id).where(CodingFieldValueRow.field_id == old.id)
            ):
                problems.append(
                    f"Row {number}: field '{old.name}': its kind cannot change from "
                    f"{old.kind.label} to {new.kind.label} while codings have values."
                )
                continue
            if new != old:
                field_to_row(new, s.get(CodeFieldRow, old.id))
                log_change(
                    s, coder_id, "edit field", code_id,
                    f"Edited field '{new.name}' of '{paths[code_id]}' (imported from {path.name})",
                    before=field_to_dict(old), after=field_to_dict(new),
                )  # fmt: skip
    if problems:
        raise ValidationError(f"{path.name} was not imported:\n" + "\n".join(problems))
    s.flush()


def _uses(value: object, ids: set[str]) -> bool:
    if isinstance(value, list):
        return any(v in ids for v in value)
    return value in ids
