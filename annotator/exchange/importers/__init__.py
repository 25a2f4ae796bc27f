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
    except Exception as exc:  # last line of defence: never leak a library traceback
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        reason = f"the file could not be read ({type(exc).__name__}{': ' if detail else ''}"
        raise ImportProblem(path, f"{reason}{detail})") from exc


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
