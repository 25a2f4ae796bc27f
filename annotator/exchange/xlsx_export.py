"""XLSX workbooks written in openpyxl's write-only mode, safe to open in Excel.

Write-only mode streams each row to a temporary file, so memory stays flat however many
codings are exported. Every cell goes through :func:`SheetWriter.append`, which:

* writes text that starts with ``=``, ``+``, ``-`` or ``@`` as a *text* cell with Excel's
  quote prefix, so a quoted passage such as ``=HYPERLINK(...)`` can never run as a formula
  (formula injection) and Excel does not turn it into one when the cell is edited;
* replaces the control characters XML 1.0 cannot carry (``\\x00``-``\\x08``, ``\\x0b``,
  ``\\x0c``, ``\\x0e``-``\\x1f``; PDF page breaks are ``\\x0c``) by U+FFFD, because openpyxl
  refuses them and Excel would call the file corrupt;
* cuts text longer than Excel's cell limit (32,767 characters) and ends it with a marker,
  because Excel refuses to open a file with a longer cell. CSV and JSONL keep full text.

Times stay ISO 8601 text (as in the CSV) rather than Excel dates, which cannot hold a time
zone; numbers are numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl (with numpy and lxml) is imported when a workbook is written,
    # not when the app starts: the first window never needs it.
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from annotator.domain.model import DocumentSummary
from annotator.exchange.coded_set import (
    COLUMNS,
    SUGGESTED_COLUMN,
    CodedSetRow,
    DocumentColumns,
    tabular_values,
)
from annotator.exchange.partial_files import partial_path

EXCEL_CELL_LIMIT = 32_767
TRUNCATION_MARK = " […truncated]"
FORMULA_FIRST = frozenset("=+-@")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Table = tuple[Sequence[str], Iterable[Sequence[object]]]
"""A header and its rows, as plain values."""


def excel_text(text: str) -> str:
    """``text`` made storable in a cell: illegal control characters replaced, length capped."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


class SheetWriter:
    """Appends rows of plain values to a write-only sheet, neutralising hostile text."""

    def __init__(
        self,
        sheet: WriteOnlyWorksheet,
        header: Sequence[str],
        widths: dict | None,
        temp_folder: Path | None = None,
    ):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._cell_type = WriteOnlyCell
        self._sheet = sheet
        self._columns = len(header)
        self.rows = 0
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            width = (widths or {}).get(name, min(max(len(name) + 2, 10), 40))
            sheet.column_dimensions[get_column_letter(index)].width = width
        if temp_folder is not None:
            _write_beside(sheet, temp_folder)
        bold = Font(bold=True)
        cells = []
        for name in header:
            text = excel_text(str(name))
            cell = WriteOnlyCell(sheet, text)
            if text[:1] in FORMULA_FIRST:  # a coder's name may start with "=" too
                cell.data_type = "s"
                cell.quotePrefix = True
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def _cell(self, value: object) -> object:
        if value is None or isinstance(value, int | float):  # bool is an int
            return value
        text = excel_text(value if type(value) is str else str(value))
        if text[:1] in FORMULA_FIRST:
            cell = self._cell_type(self._sheet, text)
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            cell.quotePrefix = True
            return cell
        return text

    def append(self, values: Sequence[object]) -> None:
        """Append one row."""
        self._sheet.append([self._cell(v) for v in values])
        self.rows += 1

    def finish(self) -> None:
        """Add an auto-filter over the header and every row written."""
        if self._columns:
            from openpyxl.utils import get_column_letter

            last = get_column_letter(self._columns)
            self._sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def _write_beside(sheet: WriteOnlyWorksheet, folder: Path) -> None:
    """Stream ``sheet`` into a temporary file in ``folder`` instead of the system temp folder.

    openpyxl keeps each write-only sheet in a temporary file until the workbook is saved; a
    killed export left them (about 100 MB each) in the system temp folder, where nobody
    looks. Beside the export they carry the name :mod:`partial_files` cleans up. Uses
    openpyxl's sheet writer (``WorksheetWriter(ws, out)``); if that ever changes, openpyxl
    falls back to its own temporary file.
    """
    try:
        from openpyxl.worksheet import _writer
    except ImportError:  # pragma: no cover - openpyxl reorganised
        return
    out = str(partial_path(folder))
    writer = _writer.WorksheetWriter(sheet, out=out)
    _writer.ALL_TEMP_FILES.append(out)  # openpyxl removes it after saving, or at exit
    writer.write_top()
    sheet._writer = writer


def add_sheet(
    workbook: Workbook,
    title: str,
    table: Table,
    widths: dict | None = None,
    temp_folder: Path | None = None,
) -> int:
    """Write ``table`` to a new sheet called ``title``; return the number of data rows.

    With ``temp_folder`` the sheet's temporary file goes there (see :func:`_write_beside`).
    """
    header, rows = table
    writer = SheetWriter(workbook.create_sheet(title), header, widths, temp_folder)
    for row in rows:
        writer.append(row)
    writer.finish()
    return writer.rows


@contextmanager
def streaming_workbook() -> Iterator[Workbook]:
    """A write-only workbook whose unfinished sheets are closed if the block fails.

    Without this, a sheet abandoned half-way complains when it is garbage-collected; its
    temporary file is removed at once (openpyxl would remove it only when the process
    exits, which a killed process never does).
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    try:
        yield workbook
    except BaseException:
        for sheet in workbook.worksheets:
            with suppress(Exception):
                sheet.close()
            writer = getattr(sheet, "_writer", None)
            if writer is not None:
                with suppress(Exception):
                    writer.cleanup()
        raise


def write_xlsx_table(path: Path, title: str, table: Table, widths: dict | None = None) -> int:
    """A workbook with a single sheet holding ``table``; return the number of data rows."""
    with streaming_workbook() as workbook:
        count = add_sheet(workbook, title, table, widths, path.parent)
        workbook.save(path)
    return count


CODING_WIDTHS = {
    "document_title": 30,
    "code_path": 30,
    "quote": 60,
    "context_before": 40,
    "context_after": 40,
    "section_heading": 30,
    "memo": 30,
    "coding_id": 12,
    "document_id": 12,
    "coder_id": 12,
    "code_id": 12,
    "codebook_version_id": 12,
    "document_sha256": 12,
}

DOCUMENT_COLUMNS = ("document_id", "title", "sha256")
"""The Documents sheet starts with these, then the coded set's document columns."""


def documents_table(
    documents: Sequence[DocumentSummary],
    exported: dict[str, int],
    columns: DocumentColumns | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> Table:
    """The Documents sheet: one row per document, with how many of its codings were exported.

    Metadata, groups and every free attribute have a column each (the same columns, with
    the same names, as the Codings sheet), dates as ISO dates: never packed in one cell.
    """
    columns = columns or DocumentColumns(
        tuple(sorted({k for d in documents for k in d.metadata.attributes}, key=str.casefold))
    )
    groups = groups or {}
    header = (*DOCUMENT_COLUMNS, *columns.header(), "codings_exported")
    rows = (
        (
            str(d.id),
            d.title,
            d.sha256,
            *(v for _, v in columns.fields(d.length, d.metadata, groups.get(str(d.id), ()))),
            exported.get(str(d.id), 0),
        )
        for d in documents
    )
    return header, rows


def _counting(
    rows: Iterable[CodedSetRow], counts: dict[str, int], extra: tuple[str, ...] = ()
) -> Iterator[tuple]:
    for row in rows:
        counts[row.document_id] = counts.get(row.document_id, 0) + 1
        yield tabular_values(row, extra)


def write_coded_set_xlsx(
    path: Path,
    rows: Iterable[CodedSetRow],
    codebook: Table,
    documents: Sequence[DocumentSummary],
    field_columns: Sequence[str] = (),
    columns: DocumentColumns | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> int:
    """Write sheets Codings, Codebook and Documents to ``path``; return the coding count.

    With ``columns``, every coding row carries those document columns after COLUMNS;
    ``field_columns`` adds one column per code field (and ``suggested_fields``) after them.
    """
    counts: dict[str, int] = {}
    extra = tuple(field_columns)
    header = (
        *COLUMNS,
        *(columns.header() if columns else ()),
        *((*extra, SUGGESTED_COLUMN) if extra else ()),
    )
    with streaming_workbook() as workbook:
        folder = path.parent
        codings = (header, _counting(rows, counts, extra))
        count = add_sheet(workbook, "Codings", codings, CODING_WIDTHS, folder)
        add_sheet(workbook, "Codebook", codebook, {"path": 40, "definition": 60}, folder)
        table = documents_table(documents, counts, columns, groups)
        add_sheet(workbook, "Documents", table, {"title": 40}, folder)
        workbook.save(path)
    return count
