"""JSON Lines: one coding per line, for pandas, jsonlite, jq and DuckDB.

Each line is a JSON object with the columns of the coded set (see ``docs/exports.md`` for
the schema) plus ``schema`` and ``schema_version``, so a reader can check the layout of any
single line. Files are UTF-8 without a BOM, with LF line ends; characters outside ASCII are
written as themselves (``ensure_ascii=False``) so the file stays readable. Line separators
U+2028 and U+2029 are escaped, because some line-oriented tools treat them as line breaks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.exchange.coded_set import SCHEMA_VERSION, CodedSetRow

SCHEMA_NAME = "annotator.coded-set"


def row_object(row: CodedSetRow) -> dict[str, object]:
    """The JSON object of one row, schema fields first."""
    out = {"schema": SCHEMA_NAME, "schema_version": SCHEMA_VERSION, **row.as_dict()}
    if row.field_values:  # issue 10: the coding's field values, nested, typed
        out["fields"] = dict(row.field_values)
        out["suggested_fields"] = list(row.suggested_fields)
    return out


def row_line(row: CodedSetRow) -> str:
    """One row as a single line of JSON (without the line end)."""
    line = json.dumps(row_object(row), ensure_ascii=False, separators=(",", ":"))
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def write_coded_set_jsonl(path: Path, rows: Iterable[CodedSetRow]) -> int:
    """Write one JSON object per line to ``path``; return the number of rows."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(row_line(row))
            handle.write("\n")
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    """Read a JSON Lines file back, one object per non-blank line."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
