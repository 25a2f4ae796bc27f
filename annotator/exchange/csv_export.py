"""CSV that opens correctly in Excel and LibreOffice and reads cleanly in R and pandas.

The dialect, and why:

* **UTF-8 with a byte-order mark.** Without the BOM, Excel on Windows reads the file in the
  local ANSI code page and mangles every accent, emoji and right-to-left script; with it,
  Excel, LibreOffice, readr (``read_csv`` drops it) and pandas (``encoding="utf-8-sig"``)
  all read UTF-8.
* **Comma separator, double-quote quoting, quotes doubled inside fields** (RFC 4180). A field
  is quoted only when it contains a comma, a quote, a CR or an LF, so the file stays
  readable; leading and trailing spaces are kept (no reader we target strips them).
* **CRLF at the end of each row**, LF inside quoted fields. RFC 4180 and Excel expect CRLF;
  the line breaks of quoted text stay exactly as they are in the document (canonical LF),
  so a quote read back is identical to the stored text.
* **Formula protection, on by default.** A spreadsheet runs a cell that starts with ``=``,
  ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula, and quoted
  passages, memos and coder names from a colleague's file can start that way. Such text
  cells get a leading apostrophe (``'=SUM(...)``), the usual defence (OWASP "CSV
  injection"). Numbers are not changed. For R and pandas, where the apostrophe would be
  part of the text, turn it off (``protect=False``; ``annotator export --csv-raw``).
  Reading a codebook table back removes the apostrophe again.
* ``None`` is an empty field; whole numbers are bare digits; booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.exchange.coded_set import COLUMNS, SUGGESTED_COLUMN, CodedSetRow, tabular_values


class ExcelFriendlyDialect(csv.Dialect):
    """RFC 4180 with CRLF row ends: what Excel and LibreOffice expect by default."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


ENCODING = "utf-8-sig"
"""Write with a BOM; read with the same codec to drop it again."""


def csv_value(value: object) -> str:
    """The text of one CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""


def protected(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run."""
    if type(value) is str and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unprotected(text: str) -> str:
    """Undo :func:`protected` (for reading our own tables back)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def write_csv_table(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    plain: bool = False,
    protect: bool = True,
) -> int:
    """Write ``header`` and ``rows`` to ``path`` in the dialect above; return the row count.

    ``plain`` promises that the rows hold only text, whole numbers and None, which the csv
    module already writes as wanted, so the per-value conversion is skipped. ``protect``
    neutralises formula-like text (see the module docstring).
    """
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, dialect=ExcelFriendlyDialect)
        writer.writerow([protected(h) for h in header] if protect else header)
        for row in rows:
            values = row if plain else [csv_value(v) for v in row]
            writer.writerow([protected(v) for v in values] if protect else values)
            count += 1
    return count


def write_coded_set_csv(
    path: Path,
    rows: Iterable[CodedSetRow],
    field_columns: Sequence[str] = (),
    *,
    protect: bool = True,
    document_header: Sequence[str] = (),
) -> int:
    """Write the coded set to ``path`` (one row per coding); return the number of rows.

    ``document_header`` names the document columns every row carries after :data:`COLUMNS`;
    ``field_columns`` adds one column per code field (and ``suggested_fields``) after them.
    """
    if not field_columns:
        header = (*COLUMNS, *document_header)
        return write_csv_table(
            path, header, (row.values() for row in rows), plain=True, protect=protect
        )
    header = (*COLUMNS, *document_header, *field_columns, SUGGESTED_COLUMN)
    extra = tuple(field_columns)
    return write_csv_table(
        path, header, (tabular_values(row, extra) for row in rows), protect=protect
    )


def read_csv_table(path: Path) -> list[dict[str, str]]:
    """Read a table written by :func:`write_csv_table` back as dictionaries (for checks)."""
    with path.open(encoding=ENCODING, newline="") as handle:
        return list(csv.DictReader(handle, dialect=ExcelFriendlyDialect))
