"""A matrix as a table: tidy (one row per cell, for R and pandas) or wide (as shown).

Tidy columns: ``row_key``, ``row``, ``column_key``, ``column``, ``measure``, ``value``,
``codings`` (how many codings are behind the cell). Every cell is written, zeros included,
so a pivot in R or pandas gives back the whole matrix. Keys are UUIDs (a code, a document,
or ``code_uuid/coder_uuid`` for per-coder rows) or the attribute value itself.

Wide: a first column naming the rows, one column per matrix column, then ``total``; a last
row ``total`` holds the column totals and the grand total. Labels are made distinct
(``Name``, ``Name (2)``) because two documents may share a title.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path

from annotator.domain.matrix import Matrix
from annotator.exchange.csv_export import write_csv_table
from annotator.exchange.xlsx_export import write_xlsx_table

TIDY_COLUMNS = ("row_key", "row", "column_key", "column", "measure", "value", "codings")
TOTAL = "total"


def key_text(key: Hashable) -> str:
    """A row or column key as text (tuples joined with ``/``)."""
    if isinstance(key, tuple):
        return "/".join(str(k) for k in key)
    return str(key)


def distinct(labels: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """``labels`` with repeats numbered, none equal to one of ``taken``."""
    seen = set(taken)
    out = []
    for label in labels:
        name, n = label, 1
        while name in seen:
            n += 1
            name = f"{label} ({n})"
        seen.add(name)
        out.append(name)
    return out


def tidy_rows(matrix: Matrix) -> Iterator[tuple[object, ...]]:
    """One row per cell, in row then column order."""
    for r, row in enumerate(matrix.rows):
        for c, column in enumerate(matrix.columns):
            yield (
                key_text(row.key),
                row.label,
                key_text(column.key),
                column.label,
                matrix.measure,
                matrix.values[r][c],
                len(matrix.passages(r, c)),
            )


def wide_table(matrix: Matrix, corner: str = "code") -> tuple[list[str], list[list[object]]]:
    """The header and rows of the wide form, with totals."""
    header = [corner, *distinct([c.label for c in matrix.columns], (corner, TOTAL)), TOTAL]
    rows: list[list[object]] = [
        [row.label, *matrix.values[r], matrix.row_totals[r] if matrix.row_totals else None]
        for r, row in enumerate(matrix.rows)
    ]
    rows.append([TOTAL, *matrix.column_totals, matrix.grand_total])
    return header, rows


def write_matrix(path: Path, matrix: Matrix, fmt: str = "csv", layout: str = "wide") -> int:
    """Write ``matrix`` as csv or xlsx, tidy or wide; return the number of data rows."""
    if layout == "tidy":
        header, rows = list(TIDY_COLUMNS), list(tidy_rows(matrix))
    elif layout == "wide":
        header, rows = wide_table(matrix)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    if fmt == "csv":
        return write_csv_table(Path(path), header, rows)
    if fmt == "xlsx":
        return write_xlsx_table(Path(path), "Matrix", (header, rows), {header[0]: 40})
    raise ValueError(f"unknown format {fmt!r}")


def clipboard_text(matrix: Matrix) -> str:
    """The wide form as tab-separated text, for pasting into a spreadsheet."""
    header, rows = wide_table(matrix)

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return " ".join(text.split())  # tabs and line breaks would break the grid

    lines = ["\t".join(cell(h) for h in header)]
    lines.extend("\t".join(cell(v) for v in row) for row in rows)
    return "\n".join(lines) + "\n"
