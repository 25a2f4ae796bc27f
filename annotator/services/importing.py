"""Import files into a project, one transaction per file, with progress and cancel."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from annotator.domain.errors import AnnotatorError
from annotator.domain.structure import ExtractedDocument
from annotator.exchange.importers import (
    Cancelled,
    ImportOptions,
    ImportProblem,
    OcrNeeded,
    PasswordRequired,
    extract,
    iter_supported,
)
from annotator.services.documents import DocumentService


class Outcome(StrEnum):
    """What happened to one file."""

    IMPORTED = "imported"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """One line of the import summary."""

    path: Path
    outcome: Outcome
    reason: str = ""
    document_id: uuid.UUID | None = None
    warnings: tuple[str, ...] = ()  # imported, but the user should know (low extraction)
    needs_ocr: bool = False  # failed for want of a text layer: OCR could read it


@dataclass
class ImportReport:
    """The summary of a batch: every file with its outcome, and whether it was cancelled."""

    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: Outcome) -> int:
        """How many files had ``outcome``."""
        return sum(1 for r in self.results if r.outcome is outcome)

    def summary(self) -> str:
        """A one-line summary for a status bar or terminal."""
        text = (
            f"{self.count(Outcome.IMPORTED)} imported, {self.count(Outcome.SKIPPED)} skipped, "
            f"{self.count(Outcome.FAILED)} failed"
        )
        return text + (" (cancelled)" if self.cancelled else "")


Progress = Callable[[int, int, Path], None]
# Asked for a PDF's password: (file, whether the last one given was wrong) -> the password,
# or None to skip the file. The password is used for this file only and never stored.
AskPassword = Callable[[Path, bool], str | None]
PASSWORD_ATTEMPTS = 3
# Offered a whole-page import of a web page whose main content is a small part of it:
# (file, the warning) -> True to import the whole page instead.
AskWholePage = Callable[[Path, str], bool]


def _extract(
    path: Path,
    options: ImportOptions | None,
    ask_password: AskPassword | None,
    ask_whole_page: AskWholePage | None = None,
) -> ExtractedDocument:
    """``extract`` that asks for a password (when it can) while the file needs one, and
    offers a whole-page import when a web page's main content is a small part of it."""
    attempt = 0
    while True:
        try:
            extracted = extract(path, options=options)
            if (
                ask_whole_page is not None
                and extracted.warnings
                and extracted.source_format == "html"
                and not (options and options.html_whole_page)
                and ask_whole_page(path, extracted.warnings[0])
            ):
                options = replace(options or ImportOptions(), html_whole_page=True)
                continue
            return extracted
        except PasswordRequired as exc:
            attempt += 1
            if ask_password is None or attempt > PASSWORD_ATTEMPTS:
                raise
            password = ask_password(path, exc.wrong)
            if not password:
                raise
            options = replace(options or ImportOptions(), password=password)


def import_files(
    documents: DocumentService,
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    options: ImportOptions | None = None,
    ask_password: AskPassword | None = None,
    ask_whole_page: AskWholePage | None = None,
) -> ImportReport:
    """Import every file in ``paths`` (folders are expanded to their supported files).

    Each file is extracted and stored in its own transaction, so cancelling keeps the files
    already imported and nothing of the one in progress; a failure affects only its file.
    ``options`` apply to every file (OCR, whole-page HTML, a password); ``ask_password``
    is called when a PDF needs a password (up to three times, while it is wrong);
    ``ask_whole_page`` when a web page's main content is a small part of the page.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        # A folder contributes its supported files; a file named explicitly is always
        # attempted, so an unsupported one is reported rather than silently ignored.
        files.extend(iter_supported([path]) if path.is_dir() else [path])
    report = ImportReport()
    for index, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(index, len(files), path)
        try:
            extracted = _extract(path, options, ask_password, ask_whole_page)
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            doc_id = documents.add(extracted)
        except Cancelled:
            report.cancelled = True
            break
        except ImportProblem as exc:
            needs_ocr = isinstance(exc, OcrNeeded)
            report.results.append(FileResult(path, Outcome.FAILED, exc.reason, needs_ocr=needs_ocr))
            continue
        except AnnotatorError as exc:
            report.results.append(FileResult(path, Outcome.FAILED, str(exc)))
            continue
        if doc_id is None:
            report.results.append(
                FileResult(path, Outcome.SKIPPED, "the same text is already in the project")
            )
        else:
            report.results.append(
                FileResult(path, Outcome.IMPORTED, document_id=doc_id, warnings=extracted.warnings)
            )
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), Path())
    return report
