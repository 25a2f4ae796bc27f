"""Reading a table of document attributes (CSV) for "documents as cases".

The first row names the columns. One column identifies the document: ``document_id`` (a
UUID), else ``title`` or ``document_title`` (matched exactly, then ignoring case); every
other column is a field: ``date``, ``author``, ``publisher`` and ``source`` set the
document's metadata, ``document_date`` and the other ``document_*`` columns of an export
are read as those fields too, ``attr_KEY`` columns (as exports write them) and any other
column set the attribute of that name. So an export's Documents sheet saved as CSV, edited
and read back round-trips.

Hostile input is bounded: at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows, text
must be UTF-8 (with or without a BOM); every problem raises :class:`ValidationError`
naming the file and the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.errors import ValidationError

MAX_BYTES = 20_000_000
MAX_ROWS = 100_000
KEY_COLUMNS = ("document_id", "title", "document_title")
IGNORED = frozenset(
    {
        "sha256",
        "length",
        "document_length",
        "codings_exported",
        "document_sha256",
        "groups",
        "document_groups",
    }
)
"""Columns an export writes that are not fields (groups have their own editor)."""
RENAMED = {
    "document_date": "date",
    "document_author": "author",
    "document_publisher": "publisher",
    "document_source": "source",
}


@dataclass(frozen=True)
class AttributeRow:
    """One row: how it names its document and the fields it sets (blank cells left out)."""

    line: int
    document_id: str | None
    title: str | None
    fields: dict[str, str]


def field_name(column: str) -> str | None:
    """The field a column sets (None for identifying or ignored columns)."""
    name = column.strip()
    if not name or name in KEY_COLUMNS or name in IGNORED:
        return None
    if name in RENAMED:
        return RENAMED[name]
    return name.removeprefix("attr_") or None


def read_attribute_table(path: Path) -> list[AttributeRow]:
    """The rows of the CSV file at ``path``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path.name}: cannot be read ({exc.strerror}).") from exc
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{path.name}: larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path.name}: not UTF-8 text (byte {exc.start}).") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationError(f"{path.name}: not a CSV table ({exc}).") from exc
    if not header:
        raise ValidationError(f"{path.name}: the file is empty.")
    names = [h.strip() for h in header]
    key = next((k for k in KEY_COLUMNS if k in names), None)
    if key is None:
        raise ValidationError(
            f"{path.name}: needs a column document_id or title to name each document."
        )
    rows: list[AttributeRow] = []
    try:
        for line, cells in enumerate(reader, start=2):
            if len(rows) >= MAX_ROWS:
                raise ValidationError(f"{path.name}: more than {MAX_ROWS} rows.")
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                raise ValidationError(f"{path.name}, row {line}: more cells than columns.")
            values = dict(zip(names, cells, strict=False))
            fields = {}
            for column, value in values.items():
                name = field_name(column)
                if name is not None and value.strip():
                    fields[name] = value.strip()
            ident = values.get(key, "").strip()
            if not ident:
                raise ValidationError(f"{path.name}, row {line}: the {key} cell is empty.")
            rows.append(
                AttributeRow(
                    line,
                    ident if key == "document_id" else None,
                    ident if key != "document_id" else None,
                    fields,
                )
            )
    except csv.Error as exc:
        raise ValidationError(f"{path.name}: not a CSV table ({exc}).") from exc
    return rows
