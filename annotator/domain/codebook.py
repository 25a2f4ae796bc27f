"""Rules of the codebook that need no database: validation, paths, ordering, merging,
snapshots and the readable change log."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coding

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_NAME = 200
PATH_SEPARATOR = "/"


def _texts(code: Code) -> tuple[str, ...]:
    return (
        code.definition,
        code.inclusion,
        code.exclusion,
        code.example_typical,
        code.example_atypical,
        code.memo,
    )


def validate_code(code: Code, siblings: Iterable[Code], all_codes: Iterable[Code]) -> None:
    """Raise :class:`ValidationError` if ``code`` may not be stored beside ``siblings``."""
    name = code.name.strip()
    if not name:
        raise ValidationError("A code needs a name.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"A code's name is limited to {MAX_NAME} characters.")
    if PATH_SEPARATOR in name:
        raise ValidationError(f"A code's name cannot contain '{PATH_SEPARATOR}'.")
    if any("\x00" in (v or "") for v in (code.name, code.kind, code.shortcut, *_texts(code))):
        raise ValidationError(f"'{name}' contains NUL characters (\\x00), which cannot be stored.")
    if len(code.kind) > 40 or len(code.shortcut or "") > 40:
        raise ValidationError("A code's kind and shortcut are limited to 40 characters.")
    if not _HEX_COLOR.match(code.color):
        raise ValidationError(f"'{code.color}' is not a colour of the form #rrggbb.")
    for other in siblings:
        if other.id != code.id and other.name.casefold() == name.casefold():
            raise ValidationError(f"There is already a code called '{other.name}' here.")
    if code.shortcut:
        for other in all_codes:
            if other.id != code.id and other.shortcut == code.shortcut:
                raise ValidationError(
                    f"The shortcut {code.shortcut} is already used by '{other.name}'."
                )


def would_cycle(code_id: uuid.UUID, new_parent: uuid.UUID | None, by_id: Mapping) -> bool:
    """True when making ``new_parent`` the parent of ``code_id`` would create a cycle."""
    current = new_parent
    while current is not None:
        if current == code_id:
            return True
        parent = by_id.get(current)
        current = parent.parent_id if parent else None
    return False


def code_path(code: Code, by_id: Mapping[uuid.UUID, Code]) -> str:
    """The code's path from the root, e.g. ``Themes/Fiscal devolution``."""
    parts = [code.name]
    current = code.parent_id
    while current is not None and current in by_id:
        parts.append(by_id[current].name)
        current = by_id[current].parent_id
    return PATH_SEPARATOR.join(reversed(parts))


def subtree_ids(root: uuid.UUID, codes: Iterable[Code]) -> list[uuid.UUID]:
    """``root`` and every descendant, parents before children."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    out, stack = [], [root]
    while stack:
        current = stack.pop(0)
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def tree_order(codes: Iterable[Code]) -> list[Code]:
    """Codes in depth-first display order (siblings by position, then name)."""
    children: dict[uuid.UUID | None, list[Code]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.position, c.name.casefold()))
    out: list[Code] = []

    def walk(parent: uuid.UUID | None) -> None:
        for child in children.get(parent, []):
            out.append(child)
            walk(child.id)

    walk(None)
    return out


# -- fields, snapshots and readable descriptions ------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "color": "colour",
    "parent_id": "parent",
    "position": "position",
    "kind": "kind",
    "shortcut": "shortcut",
    "definition": "definition",
    "inclusion": "use when",
    "exclusion": "do not use when",
    "example_typical": "typical example",
    "example_atypical": "borderline example",
    "memo": "memo",
    "codable": "codable",
}
_UUID_FIELDS = ("id", "parent_id")


def code_to_dict(code: Code) -> dict[str, object]:
    """A JSON-ready dictionary of every field of ``code`` (UUIDs as strings)."""
    out: dict[str, object] = {"id": str(code.id)}
    for name in FIELD_LABELS:
        value = getattr(code, name)
        out[name] = str(value) if isinstance(value, uuid.UUID) else value
    return out


def code_from_dict(data: Mapping[str, object]) -> Code:
    """The code written by :func:`code_to_dict`."""
    values = dict(data)
    for name in _UUID_FIELDS:
        raw = values.get(name)
        values[name] = uuid.UUID(str(raw)) if raw else None
    return Code(**values)  # type: ignore[arg-type]


def _short(value: object, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_edit(before: Code, after: Code, by_id: Mapping[uuid.UUID, Code]) -> str:
    """A sentence saying what an edit changed, e.g. ``Renamed 'A' to 'B'; colour #1 → #2``."""
    parts: list[str] = []
    for name, label in FIELD_LABELS.items():
        old, new = getattr(before, name), getattr(after, name)
        if old == new or name == "position":
            continue
        if name == "name":
            parts.append(f"renamed '{old}' to '{new}'")
        elif name == "parent_id":
            old_path = code_path(by_id[old], by_id) if old in by_id else "top level"
            new_path = code_path(by_id[new], by_id) if new in by_id else "top level"
            parts.append(f"moved from {old_path} to {new_path}")
        elif name == "codable":
            parts.append("made codable" if new else "made a folder (not codable)")
        elif old and new:
            parts.append(f"{label} '{_short(old)}' → '{_short(new)}'")
        elif new:
            parts.append(f"{label} set to '{_short(new)}'")
        else:
            parts.append(f"{label} cleared")
    what = "; ".join(parts) if parts else "no visible change"
    return f"Edited '{code_path(before, by_id)}': {what}"


# -- moving among siblings ------------------------------------------------------------------


def siblings_of(parent_id: uuid.UUID | None, codes: Iterable[Code]) -> list[Code]:
    """The children of ``parent_id`` in display order."""
    out = [c for c in codes if c.parent_id == parent_id]
    out.sort(key=lambda c: (c.position, c.name.casefold()))
    return out


def placed(
    code_id: uuid.UUID, parent_id: uuid.UUID | None, index: int, codes: Iterable[Code]
) -> list[Code]:
    """The codes to rewrite (with new parent/position) to put ``code_id`` at ``index``.

    ``index`` counts among the children of ``parent_id`` without the moved code. Both the
    new and the old sibling lists are renumbered 0..n-1, so positions never collide and a
    later move has clean numbers to work with.
    """
    codes = list(codes)
    by_id = {c.id: c for c in codes}
    moving = by_id[code_id]
    new_siblings = [c for c in siblings_of(parent_id, codes) if c.id != code_id]
    index = max(0, min(index, len(new_siblings)))
    new_siblings.insert(index, moving.with_changes(parent_id=parent_id))
    wanted = {c.id: c.with_changes(position=i) for i, c in enumerate(new_siblings)}
    if moving.parent_id != parent_id:
        for i, c in enumerate(s for s in siblings_of(moving.parent_id, codes) if s.id != code_id):
            wanted[c.id] = c.with_changes(position=i)
    return [c for c in wanted.values() if c != by_id[c.id]]


# -- merging codings --------------------------------------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    """What merging a code's codings into another code does to them.

    ``changed`` pairs each coding that is rewritten (recoded, or given the memo of a
    duplicate it absorbed) with its new state; ``dropped`` codings are exact duplicates
    (same coder, document and span) of a coding that stays, so they are removed.
    """

    changed: tuple[tuple[Coding, Coding], ...]
    dropped: tuple[Coding, ...]


def _join_memos(kept: str, extra: str) -> str:
    if not extra or extra in kept:
        return kept
    return f"{kept}\n\n{extra}" if kept else extra


def plan_merge(
    source: Iterable[Coding], target: Iterable[Coding], target_id: uuid.UUID
) -> MergePlan:
    """Move ``source`` codings to ``target_id``, collapsing duplicates into one coding.

    A coding of the target always survives over a moved one (it already means what the
    merged code means); among moved duplicates the earliest made survives. A dropped
    duplicate's memo is appended to the survivor's so no note is lost.
    """
    originals: dict[uuid.UUID, Coding] = {}
    current: dict[uuid.UUID, Coding] = {}
    keeper: dict[tuple[uuid.UUID, uuid.UUID, int, int], uuid.UUID] = {}
    for c in target:
        keeper.setdefault((c.document_id, c.coder_id, c.start, c.end), c.id)
        originals[c.id] = current[c.id] = c
    dropped: list[Coding] = []
    for c in sorted(source, key=lambda c: (c.created_at, str(c.id))):
        key = (c.document_id, c.coder_id, c.start, c.end)
        if key in keeper:
            survivor = current[keeper[key]]
            current[survivor.id] = survivor.with_changes(memo=_join_memos(survivor.memo, c.memo))
            dropped.append(c)
        else:
            keeper[key] = c.id
            originals[c.id] = c
            current[c.id] = c.with_changes(code_id=target_id)
    changed = tuple((originals[i], new) for i, new in current.items() if new != originals[i])
    return MergePlan(changed, tuple(dropped))


# -- the change log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeEntry:
    """One entry of the codebook change log, with the coder's name resolved."""

    at: datetime
    coder_id: uuid.UUID | None
    coder_name: str
    action: str
    code_id: uuid.UUID | None
    details: Mapping[str, object] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The readable sentence stored with the change (or the bare action)."""
        text = self.details.get("summary")
        return str(text) if text else self.action


def validate_version_name(name: str, existing: Iterable[str]) -> str:
    """The trimmed version name, or :class:`ValidationError` when empty or taken."""
    name = name.strip()
    if not name:
        raise ValidationError("A codebook version needs a name, such as 'pilot' or 'v1'.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"A version name is limited to {MAX_NAME} characters.")
    for other in existing:
        if other.casefold() == name.casefold():
            raise ValidationError(
                f"There is already a codebook version called '{other}'; choose another name."
            )
    return name
