"""Fields on codes and values on codings: the plain rules, no database.

A code may declare *fields* (who is addressed, which instrument, how strongly...). Every
coding of that code may then carry one *value* per field. Values are typed by the field's
kind and stored as JSON:

====================  ===============================================================
kind                  value
====================  ===============================================================
``single_choice``     a choice id (``str``)
``multiple_choice``   a list of choice ids, in the field's choice order
``ordinal``           a choice id; the order of the field's choices is the scale
``number``            a ``float``
``date``              an ISO date ``"YYYY-MM-DD"``
``yes_no``            a ``bool``
``short_text``        a ``str`` (at most 500 characters, one line)
====================  ===============================================================

Choice ids are UUID strings, so renaming a choice never changes what codings say.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from annotator.domain.errors import ValidationError
from annotator.domain.model import utcnow

MAX_FIELD_NAME = 100
MAX_SHORT_TEXT = 500

FieldValueData = str | list[str] | float | bool


class FieldKind(StrEnum):
    """What kind of value a field holds."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    ORDINAL = "ordinal"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"
    SHORT_TEXT = "short_text"

    @property
    def has_choices(self) -> bool:
        """True for the kinds whose values are picked from a list of choices."""
        return self in CHOICE_KINDS

    @property
    def label(self) -> str:
        """A readable name ("single choice")."""
        return KIND_LABELS[self]


CHOICE_KINDS = frozenset({FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE, FieldKind.ORDINAL})
KIND_LABELS = {
    FieldKind.SINGLE_CHOICE: "single choice",
    FieldKind.MULTIPLE_CHOICE: "multiple choice",
    FieldKind.ORDINAL: "ordinal scale",
    FieldKind.NUMBER: "number",
    FieldKind.DATE: "date",
    FieldKind.YES_NO: "yes/no",
    FieldKind.SHORT_TEXT: "short text",
}
_YES = {"yes", "y", "true", "1", "ja", "oui"}
_NO = {"no", "n", "false", "0", "nein", "non"}


def new_choice_id() -> str:
    """A fresh choice id."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class FieldChoice:
    """One choice (or one level of an ordinal scale) of a field."""

    id: str
    label: str
    definition: str = ""
    key: str | None = None  # a single character that picks it from the keyboard


@dataclass(frozen=True, slots=True)
class FieldDef:
    """A field declared on a code: what each coding of the code may record."""

    id: uuid.UUID
    code_id: uuid.UUID
    name: str
    kind: FieldKind
    choices: tuple[FieldChoice, ...] = ()
    required: bool = False
    position: int = 0
    definition: str = ""

    def with_changes(self, **changes: object) -> FieldDef:
        """A copy with the given attributes changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def choice(self, choice_id: str) -> FieldChoice | None:
        """The choice with this id, if the field has it."""
        return next((c for c in self.choices if c.id == choice_id), None)

    def choice_by_label(self, label: str) -> FieldChoice | None:
        """The choice whose label is ``label`` (ignoring case and outer spaces)."""
        wanted = label.strip().casefold()
        return next((c for c in self.choices if c.label.casefold() == wanted), None)

    def rank(self, choice_id: str) -> int:
        """The position of a choice on the field's scale (0-based); -1 if unknown."""
        return next((i for i, c in enumerate(self.choices) if c.id == choice_id), -1)


@dataclass(frozen=True, slots=True)
class FieldValue:
    """The value a coding carries for one field, with who set it and when.

    ``suggested`` is True while the value is a machine suggestion the coder has not yet
    confirmed; agreement statistics ignore such values.
    """

    coding_id: uuid.UUID
    field_id: uuid.UUID
    value: FieldValueData
    coder_id: uuid.UUID | None
    modified: datetime = field(default_factory=utcnow)
    suggested: bool = False


# -- validation ---------------------------------------------------------------------------


def validate_field(f: FieldDef, siblings: Iterable[FieldDef] = ()) -> FieldDef:
    """Check a field definition; return it with its name and labels trimmed."""
    name = f.name.strip()
    if not name:
        raise ValidationError("A field needs a name.")
    if len(name) > MAX_FIELD_NAME:
        raise ValidationError(f"A field's name is limited to {MAX_FIELD_NAME} characters.")
    try:
        kind = FieldKind(f.kind)
    except ValueError:
        raise ValidationError(f"'{f.kind}' is not a kind of field.") from None
    for other in siblings:
        if (
            other.id != f.id
            and other.code_id == f.code_id
            and other.name.casefold() == name.casefold()
        ):
            raise ValidationError(f"This code already has a field called '{other.name}'.")
    choices = tuple(
        replace(c, label=c.label.strip(), key=(c.key or "").strip() or None) for c in f.choices
    )
    if kind.has_choices:
        if not choices:
            raise ValidationError(f"The field '{name}' needs at least one choice.")
        seen_labels: set[str] = set()
        seen_keys: set[str] = set()
        seen_ids: set[str] = set()
        for c in choices:
            if not c.label:
                raise ValidationError(f"Every choice of '{name}' needs a label.")
            if c.label.casefold() in seen_labels:
                raise ValidationError(f"The field '{name}' has the choice '{c.label}' twice.")
            if c.id in seen_ids:
                raise ValidationError(f"The field '{name}' has two choices with one id.")
            if c.key is not None:
                if len(c.key) != 1:
                    raise ValidationError(f"The key of '{c.label}' must be a single character.")
                if c.key.casefold() in seen_keys:
                    raise ValidationError(f"The key '{c.key}' is used twice in '{name}'.")
                seen_keys.add(c.key.casefold())
            seen_labels.add(c.label.casefold())
            seen_ids.add(c.id)
    elif choices:
        raise ValidationError(f"A {kind.label} field has no choices; remove them from '{name}'.")
    return f.with_changes(name=name, kind=kind, choices=choices)


def check_value(f: FieldDef, value: object) -> FieldValueData:
    """Return ``value`` in its canonical form for field ``f``, or raise ValidationError.

    The message names the field and the value, so an import can add the row.
    """
    kind = FieldKind(f.kind)
    shown = repr(value) if not isinstance(value, str) else f"'{value}'"
    if kind in (FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL):
        if not isinstance(value, str) or f.choice(value) is None:
            raise ValidationError(f"{shown} is not one of the choices of '{f.name}'.")
        return value
    if kind is FieldKind.MULTIPLE_CHOICE:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise ValidationError(f"'{f.name}' takes a list of choices, not {shown}.")
        picked = set()
        for v in value:
            if not isinstance(v, str) or f.choice(v) is None:
                raise ValidationError(f"{v!r} is not one of the choices of '{f.name}'.")
            picked.add(v)
        return [c.id for c in f.choices if c.id in picked]
    if kind is FieldKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(f"'{f.name}' takes a number, not {shown}.")
        number = float(value)
        if not math.isfinite(number):
            raise ValidationError(f"'{f.name}' takes a finite number, not {shown}.")
        return number
    if kind is FieldKind.DATE:
        if not isinstance(value, str):
            raise ValidationError(f"'{f.name}' takes a date (YYYY-MM-DD), not {shown}.")
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValidationError(f"'{f.name}' takes a date (YYYY-MM-DD), not {shown}.") from None
    if kind is FieldKind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(f"'{f.name}' takes yes or no, not {shown}.")
        return value
    if not isinstance(value, str):
        raise ValidationError(f"'{f.name}' takes text, not {shown}.")
    text = " ".join(value.split())
    if len(text) > MAX_SHORT_TEXT:
        raise ValidationError(f"'{f.name}' takes at most {MAX_SHORT_TEXT} characters.")
    return text


def parse_value(f: FieldDef, text: str) -> FieldValueData | None:
    """Read a value typed by a person or found in a table cell; None for an empty cell.

    Choices are given by label (or key); several choices are separated by ``;``. Raises
    ValidationError naming the field when the text does not fit ("Shoud").
    """
    text = text.strip()
    if not text:
        return None
    kind = FieldKind(f.kind)
    if kind in (FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL):
        return _choice_id(f, text)
    if kind is FieldKind.MULTIPLE_CHOICE:
        ids = [_choice_id(f, part) for part in text.split(";") if part.strip()]
        return check_value(f, ids)
    if kind is FieldKind.NUMBER:
        try:
            return check_value(f, float(text.replace(",", "")))
        except ValueError:
            raise ValidationError(f"'{f.name}' takes a number, not '{text}'.") from None
    if kind is FieldKind.YES_NO:
        low = text.casefold()
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise ValidationError(f"'{f.name}' takes yes or no, not '{text}'.")
    return check_value(f, text)


def _choice_id(f: FieldDef, text: str) -> str:
    text = text.strip()
    found = f.choice_by_label(text) or next(
        (c for c in f.choices if c.key and c.key.casefold() == text.casefold()), None
    )
    if found is None and f.choice(text) is not None:
        return text
    if found is None:
        labels = ", ".join(c.label for c in f.choices)
        raise ValidationError(f"'{text}' is not one of the choices of '{f.name}' ({labels}).")
    return found.id


def format_value(f: FieldDef, value: FieldValueData | None) -> str:
    """A value as readable text (choice labels, ``yes``/``no``, numbers without ``.0``)."""
    if value is None:
        return ""
    kind = FieldKind(f.kind)
    if kind in (FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL):
        c = f.choice(str(value))
        return c.label if c else "?"
    if kind is FieldKind.MULTIPLE_CHOICE:
        ids = value if isinstance(value, list) else []
        return "; ".join(c.label for c in f.choices if c.id in ids)
    if kind is FieldKind.NUMBER and isinstance(value, float | int):
        return f"{value:g}" if float(value).is_integer() else str(value)
    if kind is FieldKind.YES_NO:
        return "yes" if value else "no"
    return str(value)


def missing_required(
    fields: Sequence[FieldDef], values: Mapping[uuid.UUID, FieldValue]
) -> list[FieldDef]:
    """The required fields of ``fields`` that ``values`` (by field id) leave empty."""
    return [
        f for f in fields if f.required and (f.id not in values or values[f.id].value in ("", []))
    ]


# -- JSON forms (snapshots, exchange, our own REFI-QDA extension) ------------------------


def field_to_dict(f: FieldDef) -> dict[str, object]:
    """A JSON-ready dictionary of a field definition."""
    return {
        "id": str(f.id),
        "code_id": str(f.code_id),
        "name": f.name,
        "kind": str(f.kind),
        "required": f.required,
        "position": f.position,
        "definition": f.definition,
        "choices": [
            {"id": c.id, "label": c.label, "definition": c.definition, "key": c.key}
            for c in f.choices
        ],
    }


def field_from_dict(d: Mapping[str, object]) -> FieldDef:
    """The field of :func:`field_to_dict`'s output; raises ValidationError if malformed."""
    try:
        choices = tuple(
            FieldChoice(
                id=str(c["id"]),
                label=str(c["label"]),
                definition=str(c.get("definition") or ""),
                key=(str(c["key"]) if c.get("key") else None),
            )
            for c in d.get("choices") or []  # type: ignore[union-attr]
        )
        return FieldDef(
            id=uuid.UUID(str(d["id"])),
            code_id=uuid.UUID(str(d["code_id"])),
            name=str(d["name"]),
            kind=FieldKind(str(d["kind"])),
            choices=choices,
            required=bool(d.get("required", False)),
            position=int(d.get("position", 0)),  # type: ignore[call-overload]
            definition=str(d.get("definition") or ""),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(f"A field definition is malformed ({exc}).") from None


def value_to_dict(v: FieldValue) -> dict[str, object]:
    """A JSON-ready dictionary of a value."""
    return {
        "coding_id": str(v.coding_id),
        "field_id": str(v.field_id),
        "value": v.value,
        "coder_id": str(v.coder_id) if v.coder_id else None,
        "modified": v.modified.isoformat(),
        "suggested": v.suggested,
    }


def value_from_dict(d: Mapping[str, object]) -> FieldValue:
    """The value of :func:`value_to_dict`'s output; raises ValidationError if malformed."""
    try:
        return FieldValue(
            coding_id=uuid.UUID(str(d["coding_id"])),
            field_id=uuid.UUID(str(d["field_id"])),
            value=d["value"],  # type: ignore[arg-type]
            coder_id=uuid.UUID(str(d["coder_id"])) if d.get("coder_id") else None,
            modified=datetime.fromisoformat(str(d["modified"])),
            suggested=bool(d.get("suggested", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"A field value is malformed ({exc}).") from None


def fields_by_code(fields: Iterable[FieldDef]) -> dict[uuid.UUID, list[FieldDef]]:
    """Fields grouped by code, each group in position order."""
    out: dict[uuid.UUID, list[FieldDef]] = {}
    for f in sorted(fields, key=lambda f: (f.position, f.name.casefold())):
        out.setdefault(f.code_id, []).append(f)
    return out
