"""What a caller may tell an importer beyond the file: a password, OCR, whole-page HTML.

Also the two refusals a caller can act on by asking the user and trying again:
:class:`PasswordRequired` (ask for the PDF's password) and :class:`OcrNeeded` (offer to
read the pages with OCR). Both are :class:`ImportProblem`\\ s, so a caller that does not
know them reports them like any other refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.exchange.importers._common import ImportProblem

PageProgress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class ImportOptions:
    """Choices for one import. The password is used to open the file and never stored."""

    password: str | None = None
    ocr: bool = False  # read every page with OCR instead of the text layer (PDF)
    ocr_language: str = "eng"  # Tesseract language code(s), e.g. "eng+fra"
    html_whole_page: bool = False  # HTML: the whole page, not only its main content
    progress: PageProgress | None = None  # per page, while OCR runs
    cancelled: Callable[[], bool] | None = None  # polled between OCR pages

    def __repr__(self) -> str:  # never show the password in a log or traceback
        shown = "***" if self.password else None
        return (
            f"ImportOptions(password={shown}, ocr={self.ocr}, ocr_language="
            f"{self.ocr_language!r}, html_whole_page={self.html_whole_page})"
        )


DEFAULT_OPTIONS = ImportOptions()


class PasswordRequired(ImportProblem):
    """The PDF is encrypted with a user password: ask for it and import again.

    ``wrong`` is True when a password was given and did not open the file.
    """

    def __init__(self, path: Path | str, *, wrong: bool) -> None:
        self.wrong = wrong
        reason = (
            "the password does not open this PDF; try again"
            if wrong
            else "this PDF is protected by a password; give its password to import it"
        )
        super().__init__(path, reason)


class OcrNeeded(ImportProblem):
    """The PDF has no usable text layer (a scan, outlines, or a junk layer): OCR can read
    it. ``junk_score`` is the junk-layer score when a text layer was there but unreadable."""

    def __init__(self, path: Path | str, reason: str, *, junk_score: float | None = None) -> None:
        self.junk_score = junk_score
        super().__init__(path, reason)


class Cancelled(ImportProblem):
    """The user cancelled the import of this file (during OCR); nothing was stored."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(path, "cancelled")
