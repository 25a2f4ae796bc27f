"""Codebook exchange: export and import the codebook as a table, and print it for training.

The import is one transaction: the whole table is parsed, matched (UUID, then path) and
validated before anything is written, and a refused import stores nothing. Each added or
changed code is entered in the codebook change log as an ``add`` or ``edit``, like a change
made in the GUI, with the file name in its summary.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.domain.codebook import code_to_dict, describe_edit, tree_order
from annotator.domain.codebook_paths import code_paths, plan_import
from annotator.domain.errors import ValidationError
from annotator.exchange.codebook_print import (
    Example,
    PrintableCode,
    write_codebook_docx,
    write_codebook_html,
)
from annotator.exchange.codebook_table import codebook_table, parse_codebook_table
from annotator.exchange.csv_export import write_csv_table
from annotator.exchange.xlsx_export import write_xlsx_table
from annotator.services.codebook_versions import log_change
from annotator.services.exporting import atomic_path, code_coder_counts
from annotator.services.field_exchange import apply_field_specs
from annotator.storage.field_mapping import field_lookups
from annotator.storage.mapping import code_from_row, code_to_row, coder_from_row
from annotator.storage.models import (
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    ProjectRow,
)

if TYPE_CHECKING:
    from annotator.services.project import Project

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class CodebookImportReport:
    """What an import did, as code paths (after the import)."""

    source: Path
    added: tuple[str, ...]
    updated: tuple[str, ...]
    left_alone: tuple[str, ...]

    def summary(self) -> str:
        """One line for a status bar or terminal."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.left_alone)} left alone"
        )


def _table_format(path: Path, fmt: str | None) -> str:
    fmt = (fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")).lower()
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(f"The codebook table is written as csv or xlsx, not '{fmt}'.")
    return fmt


def export_codebook_table(project: Project, path: Path | str, fmt: str | None = None) -> int:
    """Write the codebook table (CSV or XLSX, else by extension); return the code count.

    Counts are over every coding of the project: a total and one column per coder.
    """
    path = Path(path)
    fmt = _table_format(path, fmt)
    with project.db.reader() as s:
        codes = [code_from_row(r) for r in s.scalars(select(CodeRow))]
        coders = [coder_from_row(r) for r in s.scalars(select(CoderRow).order_by(CoderRow.name))]
        table = codebook_table(codes, coders, code_coder_counts(s, None), field_lookups(s)[0])
    with atomic_path(path) as tmp:
        if fmt == "csv":
            return write_csv_table(tmp, *table)
        return write_xlsx_table(tmp, "Codebook", table, {"path": 40, "definition": 60})


def import_codebook_table(
    project: Project, path: Path | str, coder_id: uuid.UUID | None = None
) -> CodebookImportReport:
    """Merge a codebook table (CSV or XLSX) into the project's codebook.

    Rows match existing codes by UUID, then by path; the rest are added. Codes the table
    does not mention are left alone (never deleted). Any malformed row or broken rule
    refuses the whole import with a :class:`ValidationError` naming the row.
    """
    path = Path(path)
    parsed = parse_codebook_table(path)
    if parsed.problems:
        shown = parsed.problems[:MAX_PROBLEMS_SHOWN]
        more = len(parsed.problems) - len(shown)
        tail = f"\n(and {more} more)" if more else ""
        raise ValidationError(f"{path.name} was not imported:\n" + "\n".join(shown) + tail)
    with project.db.transaction() as s:
        rows = {r.id: r for r in s.scalars(select(CodeRow))}
        plan = plan_import([code_from_row(r) for r in rows.values()], parsed.rows)
        # Sibling names are unique in the table, checked statement by statement: park the
        # renamed or moved codes under names no one can use ('/' is forbidden in names), so
        # swaps and moves never collide with a state halfway through.
        for before, after in plan.updated:
            if (before.name, before.parent_id) != (after.name, after.parent_id):
                rows[after.id].name = f"/import/{after.id}"
        s.flush()
        paths = code_paths(plan.codes)
        by_id = {c.id: c for c in plan.codes}
        for code in plan.added:
            s.add(code_to_row(code))
            s.flush()  # parents first: each child's foreign key must find its parent
            summary = f"Added code '{paths[code.id]}' (imported from {path.name})"
            log_change(s, coder_id, "add", code.id, summary, code=code_to_dict(code))
        for before, after in plan.updated:
            code_to_row(after, rows[after.id])
            changed = {
                name: [str(old), str(getattr(after, name))]
                for name, old in code_to_dict(before).items()
                if name != "id" and code_to_dict(after)[name] != old
            }
            summary = f"{describe_edit(before, after, by_id)} (imported from {path.name})"
            log_change(s, coder_id, "edit", after.id, summary, changes=changed)
        s.flush()
        if parsed.fields:
            apply_field_specs(s, path, parsed, paths, coder_id)
    return CodebookImportReport(
        source=path,
        added=tuple(paths[c.id] for c in plan.added),
        updated=tuple(paths[after.id] for _, after in plan.updated),
        left_alone=tuple(paths[c.id] for c in plan.left_alone),
    )


def _examples(s: Session, code_id: uuid.UUID, limit: int) -> tuple[Example, ...]:
    """Up to ``limit`` distinct passages coded with the code, oldest first."""
    if limit <= 0:
        return ()
    stmt = (
        select(CodingRow.quote, DocumentRow.title, CoderRow.name)
        .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
        .join(CoderRow, CoderRow.id == CodingRow.coder_id)
        .where(CodingRow.code_id == code_id)
        .order_by(CodingRow.created_at, CodingRow.id)
        .limit(limit * 4)  # some passages are coded by several coders: room for duplicates
    )
    seen: set[str] = set()
    out: list[Example] = []
    for quote, title, coder in s.execute(stmt):
        key = " ".join(quote.split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(Example(quote, title, coder))
        if len(out) == limit:
            break
    return tuple(out)


def printable_codebook(project: Project, examples: int = 3) -> tuple[str, list[PrintableCode]]:
    """The project's name and its codes in tree order, with counts and examples."""
    with project.db.reader() as s:
        codes = [code_from_row(r) for r in s.scalars(select(CodeRow))]
        counts = code_coder_counts(s, None)
        defs = field_lookups(s)[0]
        paths = code_paths(codes)
        by_id = {c.id: c for c in codes}
        entries = []
        for code in tree_order(codes):
            depth, parent = 0, code.parent_id
            while parent is not None and parent in by_id:
                depth, parent = depth + 1, by_id[parent].parent_id
            entries.append(
                PrintableCode(
                    code=code,
                    path=paths[code.id],
                    depth=depth,
                    count=sum(counts.get(code.id, {}).values()),
                    examples=_examples(s, code.id, examples),
                    fields=tuple(defs.get(code.id, [])),
                )
            )
        name = s.scalars(select(ProjectRow.name)).first() or project.path.stem
    return name, entries


def print_codebook(
    project: Project, path: Path | str, fmt: str | None = None, examples: int = 3
) -> int:
    """Write the codebook for coder training as HTML or DOCX (else by extension).

    Returns the number of codes written.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "html").lower()
    if fmt not in ("html", "docx"):
        raise ValidationError(f"The printable codebook is written as html or docx, not '{fmt}'.")
    name, entries = printable_codebook(project, examples)
    title = f"Codebook: {name}"
    with atomic_path(path) as tmp:
        if fmt == "html":
            return write_codebook_html(tmp, title, entries)
        return write_codebook_docx(tmp, title, entries)
