"""Codebook paths and the plan of a tabular codebook import, as pure functions.

A code's path is its name prefixed by its ancestors' names, joined with ``/``
(``Recommendations/Addressee/Central government``). Paths are compared case-insensitively
(after trimming each part), as sibling names are.

:func:`plan_import` decides, without touching any store, what importing a table of codes
into an existing codebook would do. Each incoming row is matched to an existing code by UUID
first, then by path; unmatched rows become new codes. ``path`` identifies the code; ``name``
and the parent (``parent_id``, else ``parent_path``) say what it should become, so a row can
rename or move a code. Nothing is ever deleted: codes the table does not mention are left
alone. The plan is refused as a whole (:class:`ValidationError` naming the row) on an empty
name, a duplicate name under one parent, a cycle, a shortcut already in use, an unknown
parent or two rows describing the same code.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from annotator.domain.codebook import PATH_SEPARATOR, code_path, validate_code
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, new_id

DEFAULT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
"""Colours given, in turn, to imported codes that come without one."""

EDITABLE_FIELDS = (
    "kind",
    "color",
    "shortcut",
    "codable",
    "definition",
    "inclusion",
    "exclusion",
    "example_typical",
    "example_atypical",
    "memo",
    "position",
)
"""Fields of :class:`Code` a table row may set (besides name and parent)."""


def split_path(path: str) -> list[str]:
    """The names along ``path``, each trimmed; empty parts (``a//b``, edges) are dropped."""
    return [part.strip() for part in path.split(PATH_SEPARATOR) if part.strip()]


def join_path(parts: Iterable[str]) -> str:
    """Names joined into a path."""
    return PATH_SEPARATOR.join(parts)


def path_key(path: str) -> str:
    """The form in which two paths are compared: trimmed parts, case-folded."""
    return join_path(split_path(path)).casefold()


def parent_path(path: str) -> str:
    """The path of the parent (empty for a top-level path)."""
    return join_path(split_path(path)[:-1])


def code_paths(codes: Iterable[Code]) -> dict[uuid.UUID, str]:
    """Every code's path, by id."""
    by_id = {c.id: c for c in codes}
    return {c.id: code_path(c, by_id) for c in by_id.values()}


def descendants_by_path(
    codes: Iterable[Code], paths: Iterable[str]
) -> tuple[set[uuid.UUID], list[str]]:
    """Ids of the codes at ``paths`` (or UUID strings) and all their descendants.

    Returns the ids and the entries that matched nothing, so callers can name them.
    """
    codes = list(codes)
    keys = {path_key(p): i for i, p in code_paths(codes).items()}
    ids = {c.id for c in codes}
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    found: set[uuid.UUID] = set()
    unknown: list[str] = []
    for entry in paths:
        root = _as_uuid(entry)
        if root not in ids:
            root = keys.get(path_key(entry))
        if root is None:
            unknown.append(entry)
            continue
        stack = [root]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
    return found, unknown


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class IncomingCode:
    """One row of a codebook table, parsed but not yet matched.

    ``row`` is the row's line (CSV) or row (XLSX) number, for messages. ``fields`` holds
    only the :data:`EDITABLE_FIELDS` the table provides, so a missing column never blanks an
    existing value. ``parent_path`` None means "derive from ``path``".
    """

    row: int
    path: str
    name: str
    id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    parent_path: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How messages name the row."""
        return f"Row {self.row} ('{self.path or self.name}')"


@dataclass(frozen=True)
class ImportPlan:
    """What an import would change: added codes (parents first) and updated ones."""

    added: tuple[Code, ...]
    updated: tuple[tuple[Code, Code], ...]  # (before, after)
    left_alone: tuple[Code, ...]
    codes: tuple[Code, ...]  # the whole codebook after the import


def _resolve_targets(
    existing: Mapping[uuid.UUID, Code], rows: list[IncomingCode]
) -> dict[int, uuid.UUID]:
    """The id each row describes (by UUID, then path, else a new id), refusing duplicates."""
    keys = {path_key(p): i for i, p in code_paths(existing.values()).items()}
    target: dict[int, uuid.UUID] = {}
    claimed: dict[uuid.UUID, IncomingCode] = {}
    for index, row in enumerate(rows):
        if row.id is not None and row.id in existing:
            found = row.id
        elif row.path and path_key(row.path) in keys:
            found = keys[path_key(row.path)]
        else:
            found = row.id or new_id()
        if found in claimed:
            raise ValidationError(
                f"{row.label}: describes the same code as row {claimed[found].row}."
            )
        claimed[found] = row
        target[index] = found
    return target


def _resolve_parent(
    row: IncomingCode,
    known: set[uuid.UUID],
    file_paths: Mapping[str, uuid.UUID],
    current_paths: Mapping[str, uuid.UUID],
) -> uuid.UUID | None:
    """The row's parent: ``parent_path``, else ``parent_id``, else the prefix of ``path``.

    The readable ``parent_path`` comes first because it is what people edit in a spreadsheet
    (a stale ``parent_uuid`` beside it must not undo a move). Paths are looked up among the
    file's own ``path`` column first, then among the codebook's current paths.
    """

    def lookup(wanted: str) -> uuid.UUID | None:
        key = path_key(wanted)
        return file_paths.get(key) or current_paths.get(key)

    if row.parent_path and split_path(row.parent_path):
        found = lookup(row.parent_path)
        if found is not None:
            return found
    if row.parent_id is not None and row.parent_id in known:
        return row.parent_id
    wanted = row.parent_path if row.parent_path and split_path(row.parent_path) else None
    wanted = wanted or parent_path(row.path)
    if not split_path(wanted):
        return None
    found = lookup(wanted)
    if found is None:
        raise ValidationError(
            f"{row.label}: the parent '{wanted}' is neither in the file nor in the codebook."
        )
    return found


def _check_cycles(
    codes: Mapping[uuid.UUID, Code], rows_by_id: Mapping[uuid.UUID, IncomingCode]
) -> None:
    for code in codes.values():
        seen = {code.id}
        current = code.parent_id
        while current is not None:
            if current in seen:
                row = rows_by_id.get(code.id)
                where = row.label if row else f"'{code.name}'"
                raise ValidationError(f"{where}: the parents form a cycle (a code inside itself).")
            seen.add(current)
            parent = codes.get(current)
            current = parent.parent_id if parent else None


def plan_import(existing_codes: Iterable[Code], rows: Iterable[IncomingCode]) -> ImportPlan:
    """Decide what importing ``rows`` into ``existing_codes`` does, or refuse it."""
    existing = {c.id: c for c in existing_codes}
    rows = list(rows)
    for row in rows:
        if not row.name.strip():
            raise ValidationError(f"{row.label}: a code needs a name.")
    target = _resolve_targets(existing, rows)
    known = set(existing) | set(target.values())
    file_paths = {path_key(r.path): target[i] for i, r in enumerate(rows) if r.path}
    current_paths = {path_key(p): i for i, p in code_paths(existing.values()).items()}
    final = dict(existing)
    rows_by_id: dict[uuid.UUID, IncomingCode] = {}
    next_position: dict[uuid.UUID | None, int] = {}
    for c in existing.values():
        next_position[c.parent_id] = max(next_position.get(c.parent_id, 0), c.position + 1)
    for index, row in enumerate(rows):
        code_id = target[index]
        rows_by_id[code_id] = row
        parent = _resolve_parent(row, known, file_paths, current_paths)
        changes = {k: v for k, v in row.fields.items() if k in EDITABLE_FIELDS}
        before = existing.get(code_id)
        moved = before is None or before.parent_id != parent
        if "position" not in changes and moved:
            changes["position"] = next_position.get(parent, 0)
        if "position" in changes:
            next_position[parent] = max(next_position.get(parent, 0), int(changes["position"]) + 1)  # type: ignore[call-overload]
        if before is None:
            colour = DEFAULT_COLOURS[len(final) % len(DEFAULT_COLOURS)]
            before_fields = Code(id=code_id, name=row.name.strip(), color=colour)
        else:
            before_fields = before
        final[code_id] = before_fields.with_changes(
            name=row.name.strip(), parent_id=parent, **changes
        )
    _check_cycles(final, rows_by_id)
    _validate_rows(final, rows_by_id)
    return _summarise(existing, final, list(rows_by_id))


def _validate_rows(
    final: Mapping[uuid.UUID, Code], rows_by_id: Mapping[uuid.UUID, IncomingCode]
) -> None:
    """Check each row's code against the codes the file leaves alone and the earlier rows.

    Later rows are left out so that a clash is reported on the row that introduces it, while
    a swap of two names (both rows in the file) still passes: each row meets the other
    only in its new state.
    """
    accepted = [c for i, c in final.items() if i not in rows_by_id]
    for code_id, row in rows_by_id.items():
        code = final[code_id]
        siblings = [c for c in accepted if c.parent_id == code.parent_id]
        try:
            validate_code(code, siblings, accepted)
        except ValidationError as exc:
            raise ValidationError(f"{row.label}: {exc}") from exc
        accepted.append(code)


def _summarise(
    existing: Mapping[uuid.UUID, Code], final: Mapping[uuid.UUID, Code], touched: list[uuid.UUID]
) -> ImportPlan:
    added = [final[i] for i in touched if i not in existing]
    updated = [
        (existing[i], final[i]) for i in touched if i in existing and existing[i] != final[i]
    ]
    changed = {c.id for c in added} | {after.id for _, after in updated}
    left_alone = [c for c in existing.values() if c.id not in changed]
    return ImportPlan(
        added=tuple(_parents_first(added)),
        updated=tuple(updated),
        left_alone=tuple(left_alone),
        codes=tuple(final.values()),
    )


def _parents_first(codes: list[Code]) -> list[Code]:
    """``codes`` ordered so that a code comes after its parent when both are in the list."""
    pending = {c.id: c for c in codes}
    out: list[Code] = []
    placed: set[uuid.UUID] = set()

    def place(code: Code) -> None:
        if code.id in placed:
            return
        parent = pending.get(code.parent_id) if code.parent_id else None
        if parent is not None:
            place(parent)
        placed.add(code.id)
        out.append(code)

    for code in codes:
        place(code)
    return out
