"""Write a result table (retrieved passages, keyword-in-context lines) as CSV, XLSX, HTML,
Word or JSON Lines.

The table is plain: a header and rows of text, whole numbers and None, one column per
field, so every format reads back into pandas or R as the same columns. HTML and Word
show the hit in bold between its context, for reading; the tabular formats keep the
context in its own columns.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from annotator.exchange.csv_export import write_csv_table
from annotator.exchange.xlsx_export import write_xlsx_table


class TableFormat(StrEnum):
    """Formats of a result table."""

    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    HTML = "html"
    DOCX = "docx"


Row = Sequence[object]


def write_table(
    path: Path,
    fmt: TableFormat,
    title: str,
    header: Sequence[str],
    rows: Sequence[Row],
    *,
    emphasis: tuple[str, str, str] | None = None,
) -> int:
    """Write ``rows`` under ``header`` to ``path``; return the row count.

    ``emphasis`` names the (before, hit, after) columns that HTML and Word set as one
    line with the hit in bold.
    """
    if fmt is TableFormat.CSV:
        return write_csv_table(path, header, rows)
    if fmt is TableFormat.XLSX:
        return write_xlsx_table(path, "Results", (list(header), rows))
    if fmt is TableFormat.JSONL:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            for row in rows:
                line = json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False)
                handle.write(line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
                handle.write("\n")
        return len(rows)
    if fmt is TableFormat.HTML:
        path.write_text(_html(title, header, rows, emphasis), encoding="utf-8")
        return len(rows)
    _docx(path, title, header, rows, emphasis)
    return len(rows)


def _split(header: Sequence[str], emphasis: tuple[str, str, str] | None) -> tuple[list, list]:
    """Indexes of the emphasis columns and of the others."""
    marked = [header.index(name) for name in emphasis] if emphasis else []
    return marked, [i for i in range(len(header)) if i not in marked]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _html(title: str, header: Sequence[str], rows: Sequence[Row], emphasis) -> str:
    marked, others = _split(header, emphasis)
    head = "".join(f"<th>{html.escape(header[i])}</th>" for i in others)
    if marked:
        head = "<th>passage</th>" + head
    body = []
    for row in rows:
        cells = "".join(f"<td>{html.escape(_text(row[i]))}</td>" for i in others)
        if marked:
            before, hit, after = (html.escape(_text(row[i])) for i in marked)
            cells = f"<td>{before}<b>{hit}</b>{after}</td>" + cells
        body.append(f"<tr>{cells}</tr>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}"
        "b{background:#fff3b0}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(rows)} rows</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</body></html>\n"
    )


def _docx(path: Path, title: str, header: Sequence[str], rows: Sequence[Row], emphasis) -> None:
    from docx import Document  # python-docx: loaded only for Word exports

    marked, others = _split(header, emphasis)
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(f"{len(rows)} rows")
    for row in rows:
        details = "; ".join(f"{header[i]}: {_text(row[i])}" for i in others if _text(row[i]))
        document.add_paragraph(details, style="Heading 3" if marked else None)
        if marked:
            before, hit, after = (_text(row[i]) for i in marked)
            paragraph = document.add_paragraph(before)
            paragraph.add_run(hit).bold = True
            paragraph.add_run(after)
    document.save(str(path))
