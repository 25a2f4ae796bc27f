"""The codebook as a table (CSV or XLSX): one row per code, and reading it back.

Columns, in order: ``path``, ``uuid``, ``parent_path``, ``parent_uuid``, ``name``, ``kind``,
``colour``, ``shortcut``, ``codable``, ``position``, ``definition``, ``inclusion``,
``exclusion``, ``typical_example``, ``borderline_example``, ``memo``, then the read-only
counts ``codings_total`` and one ``codings: <coder>`` column per coder. Rows come in tree
order (parents before children, siblings by position).

Reading is liberal, because the table has usually been through a spreadsheet: a BOM or
none, UTF-8 or Windows-1252, comma, semicolon or tab separators, any header case and
spacing, a few aliases (``id``, ``color``, ``parent``...), and any optional column
missing; only ``path`` or ``name`` is required. Count columns and unknown columns are
ignored. A malformed row is reported with its line number (CSV) or row number (XLSX).
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.codebook import code_path, tree_order
from annotator.domain.codebook_paths import IncomingCode, join_path, split_path
from annotator.domain.fields import FieldDef
from annotator.domain.model import Code, Coder
from annotator.exchange.codebook_fields import (
    FIELDS_COLUMN,
    FieldSpec,
    fields_cell,
    parse_fields_cell,
)
from annotator.exchange.xlsx_export import Table

FIELD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kind", "kind"),
    ("colour", "color"),
    ("shortcut", "shortcut"),
    ("codable", "codable"),
    ("position", "position"),
    ("definition", "definition"),
    ("inclusion", "inclusion"),
    ("exclusion", "exclusion"),
    ("typical_example", "example_typical"),
    ("borderline_example", "example_atypical"),
    ("memo", "memo"),
)
"""Table column and :class:`Code` field of every editable field, in column order."""

ID_COLUMNS = ("path", "uuid", "parent_path", "parent_uuid", "name")
TOTAL_COLUMN = "codings_total"
CODER_PREFIX = "codings: "
COLUMNS = (*ID_COLUMNS, *(column for column, _ in FIELD_COLUMNS))
"""Every column that is read back (the count columns are written only)."""

ALIASES = {
    "id": "uuid",
    "code_uuid": "uuid",
    "code_id": "uuid",
    "code_path": "path",
    "parent": "parent_path",
    "parent_id": "parent_uuid",
    "color": "colour",
    "key": "shortcut",
    "folder": "not_codable",
    "example_typical": "typical_example",
    "typical": "typical_example",
    "example_atypical": "borderline_example",
    "atypical_example": "borderline_example",
    "borderline": "borderline_example",
    "code": "name",
    "code_name": "name",
}
TRUE = frozenset({"true", "yes", "y", "1", "x", "wahr", "vrai"})
FALSE = frozenset({"false", "no", "n", "0", "", "falsch", "faux"})


def codebook_table(
    codes: Iterable[Code],
    coders: Sequence[Coder] = (),
    counts: Mapping[uuid.UUID, Mapping[uuid.UUID, int]] | None = None,
    fields: Mapping[uuid.UUID, list[FieldDef]] | None = None,
) -> Table:
    """The codebook as a header and rows; ``counts[code_id][coder_id]`` gives the counts.

    With ``fields`` (by code), a last column ``fields`` holds each code's field
    definitions (see :mod:`annotator.exchange.codebook_fields`).
    """
    codes = list(codes)
    by_id = {c.id: c for c in codes}
    counts = counts or {}
    header = [*COLUMNS, TOTAL_COLUMN, *(CODER_PREFIX + c.name for c in coders)]
    if fields is not None:
        header.append(FIELDS_COLUMN)

    def rows() -> Iterator[list[object]]:
        for code in tree_order(codes):
            parent = by_id.get(code.parent_id) if code.parent_id else None
            per_coder = counts.get(code.id, {})
            yield [
                code_path(code, by_id),
                str(code.id),
                code_path(parent, by_id) if parent else "",
                str(parent.id) if parent else "",
                code.name,
                *(getattr(code, name) for _, name in FIELD_COLUMNS),
                sum(per_coder.values()),
                *(per_coder.get(c.id, 0) for c in coders),
                *([fields_cell(fields.get(code.id, []))] if fields is not None else []),
            ]

    return header, rows()


def normalise_header(name: object) -> str:
    """A header cell in canonical form: trimmed, lower case, underscores, aliases applied."""
    text = re.sub(r"[\s\-]+", "_", str(name or "").strip().lstrip("\ufeff").lower())
    return ALIASES.get(text, text)


@dataclass
class ParsedTable:
    """Rows read from a codebook table, and what was wrong with the others."""

    rows: list[IncomingCode] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fields: dict[int, list[FieldSpec]] = field(default_factory=dict)  # by row number


def _parse_bool(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    return None


def _parse_uuid(text: str) -> uuid.UUID | None:
    return uuid.UUID(text.strip()) if text.strip() else None


def _fields(values: Mapping[str, str], number: int, problems: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for column, name in FIELD_COLUMNS:
        if column not in values:
            continue
        raw = values[column]
        if name == "codable":
            flag = _parse_bool(raw)
            if flag is None:
                problems.append(f"Row {number}: codable '{raw}' is not true or false.")
            elif raw.strip():
                out[name] = flag
        elif name == "position":
            if raw.strip():
                try:
                    out[name] = int(float(raw))
                except ValueError:
                    problems.append(f"Row {number}: position '{raw}' is not a whole number.")
        elif name == "shortcut":
            out[name] = raw.strip() or None
        elif name in ("kind", "color"):
            if raw.strip():
                out[name] = raw.strip()
        else:
            out[name] = raw
    if "not_codable" in values and "codable" not in out:
        flag = _parse_bool(values["not_codable"])
        if flag is not None:
            out["codable"] = not flag
    return out


def _incoming(values: Mapping[str, str], number: int, problems: list[str]) -> IncomingCode | None:
    parts = split_path(values.get("path", ""))
    name = values.get("name", "").strip() or (parts[-1] if parts else "")
    if not parts and name:
        # A table of names without paths: the path follows from the parent and the name, so
        # importing the same list twice matches the codes made the first time.
        parts = [*split_path(values.get("parent_path", "")), name]
    try:
        code_id = _parse_uuid(values.get("uuid", ""))
        parent_id = _parse_uuid(values.get("parent_uuid", ""))
    except ValueError:
        problems.append(f"Row {number}: a UUID is malformed.")
        return None
    before = len(problems)
    fields_ = _fields(values, number, problems)
    if len(problems) > before:
        return None
    return IncomingCode(
        row=number,
        path=join_path(parts),
        name=name,
        id=code_id,
        parent_id=parent_id,
        parent_path=values.get("parent_path", "").strip() or None,
        fields=fields_,
    )


def parse_records(
    header: Sequence[object], records: Iterable[tuple[int, Sequence[object]]]
) -> ParsedTable:
    """Parse ``(row number, cells)`` records under ``header`` into a :class:`ParsedTable`."""
    columns = [normalise_header(h) for h in header]
    result = ParsedTable()
    if "path" not in columns and "name" not in columns:
        result.problems.append("Row 1: the table needs a 'path' or a 'name' column.")
        return result
    for number, cells in records:
        texts = ["" if c is None else str(c) for c in cells]
        if not any(t.strip() for t in texts):
            continue
        if len(texts) > len(columns) and any(t.strip() for t in texts[len(columns) :]):
            result.problems.append(
                f"Row {number}: {len(texts)} cells, but the header has {len(columns)} columns."
            )
            continue
        values = {c: t for c, t in zip(columns, texts, strict=False) if c}
        for column in columns[len(texts) :]:
            values.setdefault(column, "")
        row = _incoming(values, number, result.problems)
        if row is not None:
            result.rows.append(row)
            specs = parse_fields_cell(values.get(FIELDS_COLUMN, ""), number, result.problems)
            if specs:
                result.fields[number] = specs
    return result


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" (not "CSV UTF-8") on Windows writes the ANSI code page.
        return data.decode("cp1252", errors="replace")


def parse_codebook_csv(data: bytes) -> ParsedTable:
    """Parse a codebook CSV (as bytes); row numbers are the line a record starts on."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return ParsedTable(problems=["Row 1: the file is empty."])

    def records() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        for cells in reader:
            yield line + 1, cells
            line = reader.line_num

    try:
        return parse_records(header, records())
    except csv.Error as exc:
        return ParsedTable(problems=[f"Row {reader.line_num}: {exc}."])


def parse_codebook_xlsx(path: Path) -> ParsedTable:
    """Parse the ``Codebook`` sheet (or the first sheet) of a workbook."""
    from openpyxl import load_workbook  # only needed for this format

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = (
            workbook["Codebook"] if "Codebook" in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return ParsedTable(problems=["Row 1: the sheet is empty."])
        records = ((number, list(cells)) for number, cells in enumerate(rows, start=2))
        return parse_records(list(header), _xlsx_texts(records))
    finally:
        workbook.close()


def _xlsx_texts(
    records: Iterable[tuple[int, list[object]]],
) -> Iterator[tuple[int, list[object]]]:
    """Cells as the text a CSV would hold: whole floats as integers, booleans as words."""
    for number, cells in records:
        out: list[object] = []
        for cell in cells:
            if isinstance(cell, bool):
                out.append("true" if cell else "false")
            elif isinstance(cell, float) and cell.is_integer():
                out.append(str(int(cell)))
            else:
                out.append(cell)
        yield number, out


def parse_codebook_table(path: Path) -> ParsedTable:
    """Parse a codebook table file, CSV or XLSX by its extension."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_codebook_xlsx(path)
    return parse_codebook_csv(path.read_bytes())
