"""Rules of the codebook tree that need no database: validation, paths, ordering."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping

from annotator.domain.errors import ValidationError
from annotator.domain.model import Code

_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_NAME = 200
PATH_SEPARATOR = "/"


def validate_code(code: Code, siblings: Iterable[Code], all_codes: Iterable[Code]) -> None:
    """Raise :class:`ValidationError` if ``code`` may not be stored beside ``siblings``."""
    name = code.name.strip()
    if not name:
        raise ValidationError("A code needs a name.")
    if len(name) > MAX_NAME:
        raise ValidationError(f"A code's name is limited to {MAX_NAME} characters.")
    if PATH_SEPARATOR in name:
        raise ValidationError(f"A code's name cannot contain '{PATH_SEPARATOR}'.")
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
