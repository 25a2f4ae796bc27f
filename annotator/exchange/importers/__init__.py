"""Importers: turn a file into an :class:`~annotator.domain.structure.ExtractedDocument`.

Use :func:`extract` for one file and :func:`iter_supported` to expand a selection of files
and folders. Every failure is an :class:`ImportProblem` naming the file and the reason in
words a coder can act on; no library traceback escapes. Limits against huge or hostile
files are set with :class:`ImportLimits` (see its defaults).

One module per format; each is imported only when a file of its format is opened, so the
PDF and office libraries are not loaded until needed.
"""

from __future__ import annotations

import importlib
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.domain.structure import ExtractedDocument
from annotator.exchange.importers._common import DEFAULT_LIMITS, ImportLimits, ImportProblem
from annotator.exchange.importers.options import (
    Cancelled,
    ImportOptions,
    OcrNeeded,
    PasswordRequired,
)

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "Cancelled",
    "ImportLimits",
    "ImportOptions",
    "ImportProblem",
    "OcrNeeded",
    "PasswordRequired",
    "extract",
    "iter_supported",
]

# suffix -> (module, function)
_DISPATCH: dict[str, tuple[str, str]] = {
    ".txt": ("text", "extract_text"),
    ".md": ("markdown", "extract_markdown"),
    ".markdown": ("markdown", "extract_markdown"),
    ".pdf": ("pdf", "extract_pdf"),
    ".docx": ("docx", "extract_docx"),
    ".odt": ("odt", "extract_odt"),
    ".html": ("html", "extract_html"),
    ".htm": ("html", "extract_html"),
    ".rtf": ("rtf", "extract_rtf"),
}

# Importers that take ImportOptions as a third argument.
_TAKES_OPTIONS = frozenset({"pdf", "html"})

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_DISPATCH)
"""File name suffixes (lower case, with the dot) that :func:`extract` can import."""


def _importer(
    suffix: str, options: ImportOptions | None
) -> Callable[[Path, ImportLimits], ExtractedDocument]:
    module_name, function_name = _DISPATCH[suffix]
    module = importlib.import_module(f"{__name__}.{module_name}")
    function = getattr(module, function_name)
    if options is not None and module_name in _TAKES_OPTIONS:
        return lambda path, limits: function(path, limits, options)  # type: ignore[no-any-return]
    return function  # type: ignore[no-any-return]


def extract(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS, options: ImportOptions | None = None
) -> ExtractedDocument:
    """Import the file at ``path``, choosing the importer by its suffix (case-insensitive).

    Raises :class:`ImportProblem` for an unsupported suffix and for every file that cannot
    be imported (empty, too large, damaged, encrypted, a scan without text, ...); its
    subclasses :class:`PasswordRequired` and :class:`OcrNeeded` say what the user can do.
    ``options`` carry a PDF password, an OCR request or whole-page HTML (see
    :class:`ImportOptions`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _DISPATCH:
        shown = suffix or "(no extension)"
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ImportProblem(
            path, f"files of type {shown} cannot be imported (supported: {supported})"
        )
    function = _importer(suffix, options)
    try:
        return function(path, limits)
    except ImportProblem:
        raise
    except MemoryError:
        raise ImportProblem(path, "the file is too large to import (out of memory)") from None
    except RecursionError:
        raise ImportProblem(path, "the file is nested too deeply to be read") from None
    except Exception as exc:  # never leak a library traceback: say what is wrong
        raise ImportProblem(path, library_failure(suffix, exc)) from exc


_FORMAT_NAMES = {
    ".docx": "Word (DOCX)",
    ".odt": "OpenDocument (ODT)",
    ".pdf": "PDF",
    ".html": "HTML",
    ".htm": "HTML",
    ".rtf": "RTF",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".txt": "text",
}
_ZIP_FORMATS = {".docx", ".odt"}


def library_failure(suffix: str, exc: BaseException) -> str:
    """Words for a failure the format library raised on a damaged or unusual file."""
    what = _FORMAT_NAMES.get(suffix, suffix.lstrip(".").upper() or "this")
    text = str(exc).strip()
    detail = text.splitlines()[0][:200] if text else ""
    shown = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    kind = type(exc).__name__
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)) or kind == "BadZipFile":
        if suffix in _ZIP_FORMATS:
            return (
                f"this {what} file is damaged: its zip container cannot be read ({shown}); "
                "open it in its program and save it again"
            )
        return f"this {what} file is damaged: compressed data in it cannot be read ({shown})"
    if isinstance(exc, KeyError) and suffix in _ZIP_FORMATS:
        return (
            f"this {what} file is damaged or incomplete: a part it must have is missing ({shown})"
        )
    if kind in ("XMLSyntaxError", "ParseError", "ExpatError"):
        return f"this {what} file is damaged: its XML is not well-formed ({shown})"
    if isinstance(exc, UnicodeError):
        return f"this {what} file holds text in an encoding that cannot be read ({shown})"
    if isinstance(exc, OSError):
        return f"the file cannot be read ({exc.strerror or shown})"
    return f"this {what} file is damaged or in a form annotator cannot read ({shown})"


def iter_supported(paths: Iterable[Path]) -> list[Path]:
    """Expand ``paths`` into the files :func:`extract` can import.

    A file is kept when its suffix is supported; a folder contributes its supported files
    (directly inside it, *not* recursively, hidden files skipped), sorted by name. The
    result keeps the order of ``paths`` and lists each file once.
    """
    result: list[Path] = []
    seen: set[Path] = set()

    def keep(candidate: Path) -> None:
        key = candidate.resolve()
        if key not in seen:
            seen.add(key)
            result.append(candidate)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            children = sorted(
                (
                    child
                    for child in path.iterdir()
                    if child.is_file()
                    and not child.name.startswith(".")
                    and child.suffix.lower() in SUPPORTED_SUFFIXES
                ),
                key=lambda p: (p.name.lower(), p.name),
            )
            for child in children:
                keep(child)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            keep(path)
    return result
