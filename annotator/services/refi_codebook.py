"""Importing a ``.qdc`` codebook into a project that may already have codes.

Codes are matched by UUID, then by path; matched codes take the file's fields (name,
colour, parent, definitions...), new ones are added, and codes the file does not mention
are left alone. The whole resulting codebook is checked *before* anything is stored:
empty names, two codes with one name under one parent, a parent cycle, a repeated GUID
or a repeated shortcut refuse the file with a clear message, and nothing is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.domain.codebook import code_path, validate_code
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code
from annotator.exchange.refi.codebook_read import ReadCodebook
from annotator.services.refi_import import log_change, refusal
from annotator.storage.mapping import code_from_row, code_to_row
from annotator.storage.models import CodeRow


@dataclass
class CodebookImportReport:
    """What a codebook import added, updated and left alone (code paths)."""

    path: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a status bar or terminal."""
        return (
            f"Codebook {self.path.name}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} left alone; {self.not_in_file} code(s) of the project are "
            "not in the file and were left as they are."
        )

    def lines(self) -> list[str]:
        """The summary, then each added and updated code, then warnings."""
        return [
            self.summary(),
            *(f"added: {p}" for p in self.added),
            *(f"updated: {p}" for p in self.updated),
            *(f"warning: {w}" for w in self.warnings),
        ]


def _cycle(code_id: uuid.UUID, codes: dict[uuid.UUID, Code]) -> bool:
    seen: set[uuid.UUID] = set()
    current = codes[code_id].parent_id
    while current is not None and current in codes:
        if current == code_id or current in seen:
            return True
        seen.add(current)
        current = codes[current].parent_id
    return False


def _plan(
    book: ReadCodebook, existing: dict[uuid.UUID, Code], report: CodebookImportReport
) -> tuple[dict[uuid.UUID, Code], list[uuid.UUID], list[uuid.UUID], list[str]]:
    """The final codebook, the ids to add and to update, and the problems found."""
    problems = list(book.problems)
    final = dict(existing)
    paths = {code_path(c, existing).casefold(): c.id for c in existing.values()}
    mapping: dict[uuid.UUID, uuid.UUID] = {}
    file_paths: dict[uuid.UUID, str] = {}
    added: list[uuid.UUID] = []
    updated: list[uuid.UUID] = []
    next_pos: dict[uuid.UUID | None, int] = {}
    for rc in book.codes:
        parent_path = file_paths.get(rc.parent_id, "") if rc.parent_id else ""
        path = f"{parent_path}/{rc.name}" if parent_path else rc.name
        file_paths[rc.id] = path
        if not rc.name:
            problems.append(f"a code under '{parent_path or '(top level)'}' has no name.")
            continue
        parent = mapping.get(rc.parent_id) if rc.parent_id else None
        target = rc.id if rc.id in existing else paths.get(path.casefold(), rc.id)
        if target in mapping.values():
            problems.append(f"code '{path}' matches a code that the file already lists.")
            continue
        mapping[rc.id] = target
        values = {**asdict(rc.fields), "name": rc.name, "color": rc.color}
        values |= {"parent_id": parent, "codable": rc.codable}
        if target in existing:
            old = existing[target]
            new = old.with_changes(**values)
            if new.parent_id != old.parent_id:
                taken = [c.position for c in final.values() if c.parent_id == parent]
                new = new.with_changes(position=max(taken, default=-1) + 1)  # last sibling
            if new != old:
                final[target] = new
                updated.append(target)
        else:
            if parent not in next_pos:
                sibling_positions = [c.position for c in final.values() if c.parent_id == parent]
                next_pos[parent] = max(sibling_positions, default=-1) + 1
            final[target] = Code(id=target, position=next_pos[parent] + rc.position, **values)
            added.append(target)
    for code_id in [*added, *updated]:
        code = final[code_id]
        if _cycle(code_id, final):
            problems.append(f"code '{code.name}' would end up inside itself (a cycle).")
            continue
        siblings = [c for c in final.values() if c.parent_id == code.parent_id]
        try:
            validate_code(code, siblings, final.values())
        except ValidationError as exc:
            problems.append(f"code '{code_path(code, final)}': {exc}")
    report.not_in_file = len(set(existing) - set(mapping.values()))
    touched = set(added) | set(updated)
    report.unchanged = sorted(
        code_path(final[t], final) for t in mapping.values() if t not in touched and t in final
    )
    return final, added, updated, problems


def store_codebook(s: Session, book: ReadCodebook, report: CodebookImportReport) -> None:
    """Check the codebook in ``book`` against the project's and store it, or refuse it."""
    existing = {r.id: code_from_row(r) for r in s.scalars(select(CodeRow)).all()}
    final, added, updated, problems = _plan(book, existing, report)
    if problems:
        raise refusal(report.path, problems, "Fix the codebook file and import it again.")
    report.warnings += book.warnings
    try:
        for code_id in updated:
            row = s.get(CodeRow, code_id)
            before = existing[code_id]
            code_to_row(final[code_id], row)
            changed = {
                k: [v, getattr(final[code_id], k)]
                for k, v in asdict(before).items()
                if getattr(final[code_id], k) != v
            }
            log_change(s, "import-edit", final[code_id], changed)
            report.updated.append(code_path(final[code_id], final))
        for code_id in added:  # parents come before children in the file order
            s.add(code_to_row(final[code_id]))
            s.flush()
            log_change(s, "import-add", final[code_id], asdict(final[code_id]))
            report.added.append(code_path(final[code_id], final))
        s.flush()
    except IntegrityError as exc:
        raise ValidationError(
            f"{report.path.name} was not imported: the codebook could not be stored "
            f"({exc.orig}). Nothing was changed."
        ) from exc
