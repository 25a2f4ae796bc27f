"""Export the recommendations register: CSV, XLSX, JSON Lines and a printable HTML report.

Tables (CSV, XLSX) have **one column per field**, named ``field:NAME``, never packed into
one cell; themes and linked responses, which are lists, are joined with ``"; "`` in their
own columns (``themes``, ``responses``, ``response_status``) and given in full, nested,
in the JSON Lines export (``links``: one object per link with its type, status, direction
and the other end's document, offsets and text).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.domain.register import Register, RegisterRow
from annotator.exchange.csv_export import write_csv_table
from annotator.exchange.html_report import escape
from annotator.exchange.xlsx_export import write_xlsx_table

BASE_COLUMNS = (
    "coding_id",
    "document",
    "page",
    "section",
    "number",
    "text",
    "coder",
    "code",
    "start",
    "end",
)
LIST_COLUMNS = ("themes", "responses", "response_status")
FORMATS = ("csv", "xlsx", "jsonl", "html")


def header(register: Register) -> tuple[str, ...]:
    """The table's columns: base columns, one per field, then the list columns."""
    return (*BASE_COLUMNS, *(f"field:{n}" for n in register.field_names), *LIST_COLUMNS)


def _responses(row: RegisterRow) -> str:
    return "; ".join(
        f"{lk.document_title} [{lk.start}-{lk.end}]" + (f" ({lk.status})" if lk.status else "")
        for lk in row.responses
    )


def table_rows(register: Register) -> Iterator[tuple]:
    """Each register row as a tuple of plain values in :func:`header` order."""
    for row in register.rows:
        yield (
            str(row.coding_id),
            row.document,
            row.page,
            row.section,
            row.number,
            row.text,
            row.coder,
            row.code,
            row.start,
            row.end,
            *row.fields,
            "; ".join(row.themes),
            _responses(row),
            row.status,
        )


def row_object(register: Register, row: RegisterRow) -> dict[str, object]:
    """One JSON Lines object: the row's values, fields as an object, links nested."""
    return {
        "coding_id": str(row.coding_id),
        "document_id": str(row.document_id),
        "document": row.document,
        "page": row.page,
        "section": row.section,
        "number": row.number,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "coder": row.coder,
        "code": row.code,
        "fields": dict(zip(register.field_names, row.fields, strict=True)),
        "themes": list(row.themes),
        "links": [lk.as_dict() for lk in row.links],
    }


def write_register(register: Register, path: Path, fmt: str, *, title: str = "") -> int:
    """Write the register to ``path`` in ``fmt``; return the number of rows written."""
    if fmt == "csv":
        return write_csv_table(path, header(register), table_rows(register))
    if fmt == "xlsx":
        widths = {"text": 70, "document": 30, "section": 30, "responses": 40}
        return write_xlsx_table(path, "Register", (header(register), table_rows(register)), widths)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for row in register.rows:
                out.write(json.dumps(row_object(register, row), ensure_ascii=False) + "\n")
        return len(register.rows)
    if fmt == "html":
        path.write_text(register_html(register, title or "Recommendations register"), "utf-8")
        return len(register.rows)
    raise ValueError(f"Unknown register format {fmt!r}; use one of {', '.join(FORMATS)}.")


_STYLE = """
body { font-family: Georgia, serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; }
h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin-top: 1.6em; }
.rec { break-inside: avoid; margin: 0.8em 0 1.1em; padding-left: 0.8em;
       border-left: 4px solid #4a6fa5; }
.meta { font-size: 0.85em; color: #555; }
.text { margin: 0.3em 0; }
table.fields { font-size: 0.85em; border-collapse: collapse; margin: 0.2em 0; }
table.fields td { padding: 0 0.8em 0 0; vertical-align: top; }
.resp { font-size: 0.9em; margin: 0.2em 0 0 1em; }
.status { font-weight: bold; }
@media print { body { margin: 0; } }
"""


def register_html(register: Register, title: str) -> str:
    """A printable report: recommendations grouped by document, in document order."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='meta'>{len(register.rows)} recommendations.</p>",
    ]
    current = None
    for row in register.rows:
        if row.document_id != current:
            current = row.document_id
            parts.append(f"<h2>{escape(row.document)}</h2>")
        where = ", ".join(
            x
            for x in (
                f"Recommendation {row.number}" if row.number else "",
                f"p. {row.page}" if row.page else "",
                row.section,
                f"coded by {row.coder}",
                row.code,
            )
            if x
        )
        parts.append(f"<div class='rec'><div class='meta'>{escape(where)}</div>")
        parts.append(f"<div class='text'>{escape(row.text)}</div>")
        cells = [
            f"<tr><td>{escape(n)}</td><td>{escape(v)}</td></tr>"
            for n, v in zip(register.field_names, row.fields, strict=True)
            if v
        ]
        if row.themes:
            cells.append(f"<tr><td>themes</td><td>{escape('; '.join(row.themes))}</td></tr>")
        if cells:
            parts.append("<table class='fields'>" + "".join(cells) + "</table>")
        for lk in row.links:
            status = f" <span class='status'>{escape(lk.status)}</span>" if lk.status else ""
            arrow = lk.link_type if lk.outgoing else f"{lk.link_type} (from)"
            parts.append(
                f"<div class='resp'>{escape(arrow)}{status}: <em>{escape(lk.document_title)}"
                f"</em> — {escape(lk.quote[:400])}</div>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
