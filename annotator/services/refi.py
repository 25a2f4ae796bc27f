"""REFI-QDA use cases: export, import, codebook exchange and merging a coder's work.

* :func:`export_project` / :func:`export_codebook` write ``.qdpx`` / ``.qdc`` files.
* :func:`import_qdpx` brings a whole REFI-QDA project into this one.
* :func:`import_qdc` brings a codebook in, matching codes by UUID and then by path.
* :func:`merge` brings a coder's ``.qdpx`` into the lead's project: only codings on
  documents, codes and coders the project already has, unless ``add_unmatched``.

Every import is one transaction: a refusal, a failure or a cancel leaves the project as it
was. Reports are plain dataclasses with ``summary()`` and ``lines()`` for the CLI and GUI.
"""

from __future__ import annotations

from pathlib import Path

from annotator.exchange.refi.codebook_read import read_codebook_file
from annotator.exchange.refi.reader import read_project_file
from annotator.services.project import Project
from annotator.services.refi_codebook import CodebookImportReport, store_codebook
from annotator.services.refi_export import (
    Cancelled,
    ExportCancelledError,
    ExportSummary,
    Progress,
    export_codebook,
    export_project,
)
from annotator.services.refi_fields import import_fields
from annotator.services.refi_import import (
    ImportCancelledError,
    MergeReport,
    ProjectStore,
    RefiImportReport,
    refusal,
)

PARTIAL_HINT = (
    "To import what is valid and leave the rest out, accept a partial import "
    "(annotator import --accept-partial)."
)


def _apply(
    project: Project,
    path: Path,
    report: RefiImportReport,
    *,
    add_unmatched: bool,
    accept_partial: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> RefiImportReport:
    data = read_project_file(path)
    report.warnings += data.warnings
    report.skipped += data.skipped
    if data.problems and not accept_partial:
        raise refusal(path, data.problems, PARTIAL_HINT)
    report.problems += data.problems
    try:
        with project.db.transaction() as s:
            store = ProjectStore(
                s,
                data,
                report,
                add_unmatched=add_unmatched,
                progress=progress,
                cancelled=cancelled,
            )
            store.run()
            # Our own member (issue 10): code fields and coding values, if the file has it.
            fields_added, values_changed = import_fields(s, path, store.code_map, store.coder_map)
            report.fields_added += fields_added
            report.values_changed += values_changed
            late = report.problems[len(data.problems) :]
            if late and not accept_partial:
                raise refusal(path, late, PARTIAL_HINT)  # rolls the transaction back
    except ImportCancelledError:
        cancelled_report = type(report)(path)
        cancelled_report.cancelled = True
        return cancelled_report
    return report


def import_qdpx(
    project: Project,
    path: Path | str,
    *,
    accept_partial: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RefiImportReport:
    """Import a REFI-QDA project (``.qdpx``, or a ``.qde`` with a ``sources`` folder).

    Documents whose text the project already has are reused, codes and coders already
    present are matched, codings already present (same UUID) are not duplicated. A file
    with problems (a missing source file, a position past the end, an end before its
    start...) is refused with a message listing them, unless ``accept_partial``: then what
    is valid is imported and the report lists the rest.
    """
    path = Path(path)
    report = RefiImportReport(path)
    return _apply(
        project,
        path,
        report,
        add_unmatched=True,
        accept_partial=accept_partial,
        progress=progress,
        cancelled=cancelled,
    )


def merge(
    project: Project,
    path: Path | str,
    *,
    add_unmatched: bool = False,
    accept_partial: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MergeReport:
    """Merge a coder's ``.qdpx`` into this (the lead's) project.

    Documents are matched by the SHA-256 of their text (never by name), codes by UUID then
    path, coders by UUID then name, codings by UUID, so merging the same file twice
    changes nothing. Codings on unmatched documents, codes or coders are reported, and
    those items (with their codings) are added only with ``add_unmatched``.
    """
    path = Path(path)
    report = MergeReport(path)
    result = _apply(
        project,
        path,
        report,
        add_unmatched=add_unmatched,
        accept_partial=accept_partial,
        progress=progress,
        cancelled=cancelled,
    )
    assert isinstance(result, MergeReport)
    return result


def import_qdc(project: Project, path: Path | str) -> CodebookImportReport:
    """Import a ``.qdc`` codebook: codes matched by UUID then path are updated, others added.

    Empty names, duplicate names under one parent, cycles and repeated GUIDs refuse the
    whole file with a clear message; nothing is stored then.
    """
    path = Path(path)
    book = read_codebook_file(path)
    report = CodebookImportReport(path)
    with project.db.transaction() as s:
        store_codebook(s, book, report)
    return report


__all__ = [
    "CodebookImportReport",
    "ExportCancelledError",
    "ExportSummary",
    "MergeReport",
    "RefiImportReport",
    "export_codebook",
    "export_project",
    "import_qdc",
    "import_qdpx",
    "merge",
]
