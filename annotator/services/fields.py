"""Use cases for fields on codes and values on codings.

Field definitions belong to the codebook: every change is logged in the codebook change
log and frozen with a codebook version. Values belong to codings: each records the coder
who set it, when, and whether it is still an unconfirmed suggestion. Every method is one
transaction and returns plain objects; changes return what they replaced, for undo.

A read-only project file at an older schema (see ``READABLE_AS_IS``) has no field tables:
the reading methods then answer "no fields" instead of failing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import code_path
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.fields import (
    FieldDef,
    FieldKind,
    FieldValue,
    FieldValueData,
    check_value,
    field_to_dict,
    fields_by_code,
    format_value,
    validate_field,
)
from annotator.domain.model import utcnow
from annotator.services.codebook_versions import log_change
from annotator.storage.database import Database
from annotator.storage.field_mapping import (
    field_from_row,
    field_to_row,
    fields_and_values_in,
    put_back,
    value_from_row,
    value_to_row,
)
from annotator.storage.mapping import code_from_row
from annotator.storage.models import (
    CodeFieldRow,
    CodeRow,
    CodingFieldValueRow,
    CodingRow,
    FieldSettingRow,
)

_TABLES = ("code_field", "coding_field_value", "field_setting")


@dataclass(frozen=True)
class DeletedField:
    """A deleted field and the values it took with it, so that undo can put them back."""

    field: FieldDef
    values: tuple[FieldValue, ...]


@dataclass(frozen=True)
class FieldUpdate:
    """An edit of a field: the definition before, and any values dropped with choices."""

    before: FieldDef
    after: FieldDef
    dropped: tuple[FieldValue, ...]


@dataclass(frozen=True)
class MissingValue:
    """A coding that lacks a value its code's field requires."""

    coding_id: uuid.UUID
    document_id: uuid.UUID
    coder_id: uuid.UUID
    field: FieldDef


def _describe(f: FieldDef) -> str:
    if f.kind in (FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE, FieldKind.ORDINAL):
        return f"{f.kind.label}: " + " / ".join(c.label for c in f.choices)
    return f.kind.label


class FieldService:
    """Fields and values of one project. Accepts a :class:`Database` or a ``Project``."""

    # For other services' transactions (deleting and restoring codes keeps their fields).
    fields_and_values_in = staticmethod(fields_and_values_in)
    put_back = staticmethod(put_back)

    def __init__(self, source: Any) -> None:
        self._db: Database = getattr(source, "db", source)
        self._present: bool | None = None

    # -- availability ------------------------------------------------------------------------
    def _available(self, s: Session) -> bool:
        if self._present is None:
            names = set(inspect(s.connection()).get_table_names())
            self._present = all(t in names for t in _TABLES)
        return self._present

    def _writable(self, s: Session) -> None:
        if not self._available(s):  # pragma: no cover - a writable file is always migrated
            raise ValidationError("This project's file predates fields; reopen it to upgrade.")

    # -- definitions: reading -----------------------------------------------------------------
    def all_fields(self) -> list[FieldDef]:
        """Every field of the codebook, by code then position."""
        with self._db.reader() as s:
            if not self._available(s):
                return []
            rows = s.scalars(
                select(CodeFieldRow).order_by(CodeFieldRow.code_id, CodeFieldRow.position)
            ).all()
            return [field_from_row(r) for r in rows]

    def fields_for_code(self, code_id: uuid.UUID) -> list[FieldDef]:
        """The fields of one code, in position order."""
        with self._db.reader() as s:
            if not self._available(s):
                return []
            rows = s.scalars(
                select(CodeFieldRow)
                .where(CodeFieldRow.code_id == code_id)
                .order_by(CodeFieldRow.position, CodeFieldRow.name)
            ).all()
            return [field_from_row(r) for r in rows]

    def fields_by_code(self) -> dict[uuid.UUID, list[FieldDef]]:
        """Every field grouped by code, each group in position order."""
        return fields_by_code(self.all_fields())

    def get_field(self, field_id: uuid.UUID) -> FieldDef:
        """One field."""
        with self._db.reader() as s:
            row = s.get(CodeFieldRow, field_id) if self._available(s) else None
            if row is None:
                raise NotFoundError("This field is no longer in the codebook.")
            return field_from_row(row)

    def value_count(self, field_id: uuid.UUID, choice_ids: Collection[str] = ()) -> int:
        """How many codings carry a value for the field (using one of ``choice_ids``)."""
        with self._db.reader() as s:
            if not self._available(s):
                return 0
            if not choice_ids:
                stmt = select(func.count()).where(CodingFieldValueRow.field_id == field_id)
                return int(s.scalar(stmt) or 0)
            rows = s.scalars(
                select(CodingFieldValueRow.value).where(CodingFieldValueRow.field_id == field_id)
            ).all()
            wanted = set(choice_ids)
            return sum(1 for raw in rows if _uses(json.loads(raw), wanted))

    # -- definitions: changing ----------------------------------------------------------------
    def add_field(self, f: FieldDef, coder_id: uuid.UUID | None = None) -> FieldDef:
        """Declare a new field on its code; a negative position appends it."""
        with self._db.transaction() as s:
            self._writable(s)
            code, by_id = self._code(s, f.code_id)
            siblings = [field_from_row(r) for r in self._field_rows(s, f.code_id)]
            f = validate_field(f, siblings)
            if f.position < 0:
                f = f.with_changes(position=max((x.position for x in siblings), default=-1) + 1)
            s.add(field_to_row(f))
            log_change(
                s,
                coder_id,
                "add field",
                f.code_id,
                f"Added field '{f.name}' ({_describe(f)}) to '{code_path(code, by_id)}'",
                field=field_to_dict(f),
            )
            return f

    def update_field(
        self, f: FieldDef, coder_id: uuid.UUID | None = None, *, drop_values: bool = False
    ) -> FieldUpdate:
        """Change a field's name, choices, required flag, position or definition.

        The kind cannot change while values exist. Removing a choice that codings use is
        refused unless ``drop_values`` (the GUI asks first); the dropped values are returned.
        """
        with self._db.transaction() as s:
            self._writable(s)
            row = s.get(CodeFieldRow, f.id)
            if row is None:
                raise NotFoundError(f"The field '{f.name}' is no longer in the codebook.")
            before = field_from_row(row)
            if f.code_id != before.code_id:
                raise ValidationError("A field cannot move to another code.")
            siblings = [field_from_row(r) for r in self._field_rows(s, f.code_id)]
            f = validate_field(f, siblings)
            value_rows = s.scalars(
                select(CodingFieldValueRow).where(CodingFieldValueRow.field_id == f.id)
            ).all()
            if f.kind != before.kind and value_rows:
                raise ValidationError(
                    f"'{before.name}' has values on {len(value_rows)} codings; its kind "
                    "cannot change. Make a new field instead."
                )
            gone = {c.id for c in before.choices} - {c.id for c in f.choices}
            dropped: list[FieldValue] = []
            for vr in value_rows:
                value = json.loads(vr.value)
                if gone and _uses(value, gone):
                    dropped.append(value_from_row(vr))
                    kept = [v for v in value if v not in gone] if isinstance(value, list) else []
                    if kept:
                        vr.value = json.dumps(kept)
                    else:
                        s.delete(vr)
            if dropped and not drop_values:
                raise ValidationError(
                    f"{len(dropped)} codings use the choices removed from '{before.name}'; "
                    "confirm to remove those values too."
                )
            field_to_row(f, row)
            code, by_id = self._code(s, f.code_id)
            log_change(
                s,
                coder_id,
                "edit field",
                f.code_id,
                f"Edited field '{f.name}' of '{code_path(code, by_id)}' ({_describe(f)})"
                + (f"; removed {len(dropped)} values" if dropped else ""),
                before=field_to_dict(before),
                after=field_to_dict(f),
            )
            return FieldUpdate(before, f, tuple(dropped))

    def undo_update(self, update: FieldUpdate, coder_id: uuid.UUID | None = None) -> None:
        """Put a field and the values its edit removed back as they were."""
        with self._db.transaction() as s:
            row = s.get(CodeFieldRow, update.before.id)
            if row is None:
                raise NotFoundError(f"The field '{update.before.name}' was deleted meanwhile.")
            field_to_row(update.before, row)
            s.flush()
            for v in update.dropped:
                existing = s.get(CodingFieldValueRow, (v.coding_id, v.field_id))
                if existing is not None:
                    value_to_row(v, existing)
                elif s.get(CodingRow, v.coding_id) is not None:
                    s.add(value_to_row(v))
            log_change(
                s,
                coder_id,
                "edit field",
                update.before.code_id,
                f"Put field '{update.before.name}' back as it was (edit undone)",
                field=field_to_dict(update.before),
            )

    def delete_field(self, field_id: uuid.UUID, coder_id: uuid.UUID | None = None) -> DeletedField:
        """Delete a field and every value of it; return both for undo."""
        with self._db.transaction() as s:
            self._writable(s)
            row = s.get(CodeFieldRow, field_id)
            if row is None:
                raise NotFoundError("This field is no longer in the codebook.")
            f = field_from_row(row)
            values = tuple(
                value_from_row(r)
                for r in s.scalars(
                    select(CodingFieldValueRow).where(CodingFieldValueRow.field_id == field_id)
                ).all()
            )
            for r in s.scalars(
                select(CodingFieldValueRow).where(CodingFieldValueRow.field_id == field_id)
            ).all():
                s.delete(r)
            s.flush()
            s.delete(row)
            code, by_id = self._code(s, f.code_id)
            log_change(
                s,
                coder_id,
                "delete field",
                f.code_id,
                f"Deleted field '{f.name}' of '{code_path(code, by_id)}' and its "
                f"{len(values)} values",
                field=field_to_dict(f),
                values=len(values),
            )
            return DeletedField(f, values)

    def restore_field(self, deleted: DeletedField, coder_id: uuid.UUID | None = None) -> None:
        """Put back a deleted field with its values (undo of :meth:`delete_field`)."""
        with self._db.transaction() as s:
            code, by_id = self._code(s, deleted.field.code_id)
            siblings = [field_from_row(r) for r in self._field_rows(s, deleted.field.code_id)]
            validate_field(deleted.field, siblings)
            s.add(field_to_row(deleted.field))
            s.flush()
            alive = self._existing_codings(s, {v.coding_id for v in deleted.values})
            s.add_all(value_to_row(v) for v in deleted.values if v.coding_id in alive)
            log_change(
                s,
                coder_id,
                "restore field",
                deleted.field.code_id,
                f"Restored field '{deleted.field.name}' of '{code_path(code, by_id)}' with "
                f"{len(deleted.values)} values",
                field=field_to_dict(deleted.field),
            )

    # -- values -------------------------------------------------------------------------------
    def values_for_codings(
        self, coding_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, dict[uuid.UUID, FieldValue]]:
        """Values by coding id, then by field id (codings without values are absent)."""
        ids = list(dict.fromkeys(coding_ids))
        out: dict[uuid.UUID, dict[uuid.UUID, FieldValue]] = {}
        with self._db.reader() as s:
            if not self._available(s) or not ids:
                return out
            for chunk_start in range(0, len(ids), 500):  # bounded IN lists
                chunk = ids[chunk_start : chunk_start + 500]
                rows = s.scalars(
                    select(CodingFieldValueRow).where(CodingFieldValueRow.coding_id.in_(chunk))
                ).all()
                for r in rows:
                    out.setdefault(r.coding_id, {})[r.field_id] = value_from_row(r)
        return out

    def all_values(self) -> list[FieldValue]:
        """Every value of the project."""
        with self._db.reader() as s:
            if not self._available(s):
                return []
            return [value_from_row(r) for r in s.scalars(select(CodingFieldValueRow)).all()]

    def set_value(
        self,
        coding_id: uuid.UUID,
        field_id: uuid.UUID,
        value: FieldValueData | None,
        coder_id: uuid.UUID | None,
        *,
        suggested: bool = False,
    ) -> tuple[FieldValue | None, FieldValue | None]:
        """Set (or with None clear) a coding's value; returns ``(new, before)`` for undo."""
        with self._db.transaction() as s:
            self._writable(s)
            f, _coding = self._field_and_coding(s, field_id, coding_id)
            row = s.get(CodingFieldValueRow, (coding_id, field_id))
            before = value_from_row(row) if row is not None else None
            if value is None or value == "" or value == []:
                if row is not None:
                    s.delete(row)
                return None, before
            new = FieldValue(
                coding_id=coding_id,
                field_id=field_id,
                value=check_value(f, value),
                coder_id=coder_id,
                modified=utcnow(),
                suggested=suggested,
            )
            if row is None:
                s.add(value_to_row(new))
            else:
                value_to_row(new, row)
            return new, before

    def confirm(
        self, coding_id: uuid.UUID, field_id: uuid.UUID, coder_id: uuid.UUID | None
    ) -> tuple[FieldValue, FieldValue]:
        """Make a suggested value the coder's own; returns ``(new, before)``."""
        with self._db.transaction() as s:
            row = s.get(CodingFieldValueRow, (coding_id, field_id))
            if row is None:
                raise NotFoundError("This coding has no value for the field to confirm.")
            before = value_from_row(row)
            new = FieldValue(coding_id, field_id, before.value, coder_id, utcnow(), False)
            value_to_row(new, row)
            return new, before

    def replace_value(
        self, coding_id: uuid.UUID, field_id: uuid.UUID, value: FieldValue | None
    ) -> None:
        """Write a value exactly as given, or remove it when None (undo of a change)."""
        with self._db.transaction() as s:
            row = s.get(CodingFieldValueRow, (coding_id, field_id))
            if value is None:
                if row is not None:
                    s.delete(row)
                return
            self._field_and_coding(s, field_id, coding_id)
            if row is None:
                s.add(value_to_row(value))
            else:
                value_to_row(value, row)

    def restore_values(self, values: Iterable[FieldValue]) -> int:
        """Put values back exactly (after undoing a coding's removal); returns how many.

        Values whose coding or field no longer exists are skipped.
        """
        values = list(values)
        if not values:
            return 0
        with self._db.transaction() as s:
            alive = self._existing_codings(s, {v.coding_id for v in values})
            fields = set(s.scalars(select(CodeFieldRow.id)).all())
            n = 0
            for v in values:
                if v.coding_id not in alive or v.field_id not in fields:
                    continue
                row = s.get(CodingFieldValueRow, (v.coding_id, v.field_id))
                if row is None:
                    s.add(value_to_row(v))
                else:
                    value_to_row(v, row)
                n += 1
            return n

    def missing_required(
        self,
        coder_ids: Collection[uuid.UUID] | None = None,
        code_ids: Collection[uuid.UUID] | None = None,
    ) -> list[MissingValue]:
        """Every coding (of ``coder_ids``/``code_ids`` when given) lacking a required value.

        A suggested value counts as present: it is shown and waits for confirmation.
        """
        with self._db.reader() as s:
            if not self._available(s):
                return []
            required = [
                field_from_row(r)
                for r in s.scalars(select(CodeFieldRow).where(CodeFieldRow.required)).all()
            ]
            if code_ids is not None:
                required = [f for f in required if f.code_id in set(code_ids)]
            if not required:
                return []
            by_code = fields_by_code(required)
            stmt = select(
                CodingRow.id, CodingRow.document_id, CodingRow.coder_id, CodingRow.code_id
            ).where(CodingRow.code_id.in_(list(by_code)))
            if coder_ids is not None:
                stmt = stmt.where(CodingRow.coder_id.in_(list(coder_ids)))
            have = set(
                s.execute(
                    select(CodingFieldValueRow.coding_id, CodingFieldValueRow.field_id).where(
                        CodingFieldValueRow.field_id.in_([f.id for f in required])
                    )
                ).all()
            )
            out = []
            for coding_id, doc_id, coder, code_id in s.execute(stmt).all():
                for f in by_code[code_id]:
                    if (coding_id, f.id) not in have:
                        out.append(MissingValue(coding_id, doc_id, coder, f))
            return out

    # -- settings (suggestion rules) ---------------------------------------------------------
    def setting(self, key: str) -> Any | None:
        """A project-wide field setting (JSON), or None when it was never set."""
        with self._db.reader() as s:
            if not self._available(s):
                return None
            row = s.get(FieldSettingRow, key)
            return json.loads(row.value) if row is not None else None

    def set_setting(self, key: str, value: Any) -> Any | None:
        """Store a setting (None removes it); returns the previous value, for undo."""
        with self._db.transaction() as s:
            self._writable(s)
            row = s.get(FieldSettingRow, key)
            before = json.loads(row.value) if row is not None else None
            if value is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(FieldSettingRow(key=key, value=json.dumps(value, ensure_ascii=False)))
            else:
                row.value = json.dumps(value, ensure_ascii=False)
            return before

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _field_rows(s: Session, code_id: uuid.UUID) -> list[CodeFieldRow]:
        return list(s.scalars(select(CodeFieldRow).where(CodeFieldRow.code_id == code_id)).all())

    @staticmethod
    def _code(s: Session, code_id: uuid.UUID) -> tuple[Any, dict]:
        rows = s.scalars(select(CodeRow)).all()
        by_id = {r.id: code_from_row(r) for r in rows}
        if code_id not in by_id:
            raise NotFoundError("The code of this field is no longer in the codebook.")
        return by_id[code_id], by_id

    @staticmethod
    def _existing_codings(s: Session, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        ordered = list(ids)
        for i in range(0, len(ordered), 500):
            found.update(
                s.scalars(select(CodingRow.id).where(CodingRow.id.in_(ordered[i : i + 500])))
            )
        return found

    @staticmethod
    def _field_and_coding(
        s: Session, field_id: uuid.UUID, coding_id: uuid.UUID
    ) -> tuple[FieldDef, CodingRow]:
        frow = s.get(CodeFieldRow, field_id)
        if frow is None:
            raise NotFoundError("This field is no longer in the codebook.")
        coding = s.get(CodingRow, coding_id)
        if coding is None:
            raise NotFoundError("This coding is no longer in the project.")
        if coding.code_id != frow.code_id:
            raise ValidationError(f"The field '{frow.name}' does not belong to this coding's code.")
        return field_from_row(frow), coding


def _uses(value: object, choice_ids: set[str]) -> bool:
    if isinstance(value, list):
        return any(v in choice_ids for v in value)
    return isinstance(value, str) and value in choice_ids


def readable_values(
    fields: Iterable[FieldDef], values: Mapping[uuid.UUID, FieldValue]
) -> dict[str, str]:
    """Field name -> readable value for one coding (empty string when unset)."""
    return {f.name: format_value(f, values[f.id].value) if f.id in values else "" for f in fields}
