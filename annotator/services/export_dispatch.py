"""One entry point for every export, shared by the command line and the GUI.

Maps a format name to the service that writes it, says which filters apply to it, and
returns a one-line message describing what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.services.exporting import (
    ExportFilters,
    check_output_path,
    export_codings,
    export_unit_table,
)
from annotator.services.project import Project

CODED_SET_FORMATS = ("csv", "xlsx", "jsonl", "html")
REFI_FORMATS = ("qdpx", "qdc")
UNIT_FORMATS = ("units-csv", "units-xlsx")
CODEBOOK_TABLE_FORMATS = ("codebook-csv", "codebook-xlsx")
CODEBOOK_PRINT_FORMATS = ("codebook-html", "codebook-docx")

#: Every export format with a label for menus and dialogs, and its usual file suffix.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("Codings: CSV (Excel, LibreOffice, R, pandas)", ".csv"),
    "xlsx": ("Codings: Excel workbook (with codebook and documents sheets)", ".xlsx"),
    "jsonl": ("Codings: JSON Lines", ".jsonl"),
    "html": ("Codings: printable HTML report", ".html"),
    "qdpx": ("REFI-QDA project (.qdpx: NVivo, ATLAS.ti, MAXQDA...)", ".qdpx"),
    "qdc": ("REFI-QDA codebook (.qdc)", ".qdc"),
    "units-csv": ("Unit-by-coder table: CSV", ".csv"),
    "units-xlsx": ("Unit-by-coder table: Excel", ".xlsx"),
    "codebook-csv": ("Codebook table: CSV", ".csv"),
    "codebook-xlsx": ("Codebook table: Excel", ".xlsx"),
    "codebook-html": ("Printable codebook: HTML", ".html"),
    "codebook-docx": ("Printable codebook: Word (DOCX)", ".docx"),
}


def allowed_filters(fmt: str) -> set[str]:
    """Which filters (coder, document, code, codebook-version) a format can honour."""
    if fmt == "qdpx":
        return {"coder", "document", "code"}
    if fmt == "qdc" or fmt in CODEBOOK_TABLE_FORMATS or fmt in CODEBOOK_PRINT_FORMATS:
        return set()
    return {"coder", "document", "code", "codebook-version", "group", "attribute"}


@dataclass(frozen=True)
class ExportRequest:
    """What to export, where, and with which filters and options."""

    fmt: str
    out: Path
    filters: ExportFilters = field(default_factory=ExportFilters)
    unit: str = "sentence"
    context: int | None = None
    examples: int = 3
    #: CSV only: prefix formula-like text with an apostrophe (off for R/pandas users).
    csv_protect: bool = True
    uncoded_text: bool = False  # HTML report: print documents without codings in full


def run_export(
    project: Project,
    request: ExportRequest,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """Write the export; return a one-line description of what was written."""
    fmt, out, filters = request.fmt, Path(request.out), request.filters
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    check_output_path(out)
    if fmt in CODED_SET_FORMATS:
        extra: dict = {"context": request.context} if request.context is not None else {}
        extra["csv_protect"] = request.csv_protect
        if fmt == "html":
            extra["uncoded_text"] = request.uncoded_text
        summary = export_codings(project, out, fmt, filters, progress, cancelled, **extra)
        if summary.cancelled:
            return "Export cancelled; no file was written."
        return f"Wrote {summary.rows} codings from {summary.documents} documents to {out}."
    if fmt in UNIT_FORMATS:
        summary = export_unit_table(
            project,
            out,
            request.unit,
            filters,
            fmt.removeprefix("units-"),
            csv_protect=request.csv_protect,
        )
        return f"Wrote {summary.rows} {request.unit}s from {summary.documents} documents to {out}."
    if fmt in CODEBOOK_TABLE_FORMATS:
        from annotator.services.codebook_exchange import export_codebook_table

        n = export_codebook_table(
            project, out, fmt.removeprefix("codebook-"), csv_protect=request.csv_protect
        )
        return f"Wrote {n} codes to {out}."
    if fmt in CODEBOOK_PRINT_FORMATS:
        from annotator.services.codebook_exchange import print_codebook

        n = print_codebook(project, out, fmt.removeprefix("codebook-"), request.examples)
        return f"Wrote {n} codes to {out}."
    from annotator.services import refi

    if fmt == "qdc":
        refi.export_codebook(project, out)
        return f"Wrote the codebook to {out}."
    refi.export_project(
        project,
        out,
        coders=list(filters.coders) or None,
        documents=list(filters.documents) or None,
        codes=list(filters.codes) or None,
        progress=progress,
        cancelled=cancelled,
    )
    return f"Wrote {out}."
