"""OCR with Tesseract: page images in, words with confidences out (issue #13, item 5).

Tesseract (Apache-2.0) is run as the ``tesseract`` program that Debian's ``tesseract-ocr``
package (and Homebrew's, and the UB Mannheim Windows installer) provides, one process per
page with a time limit; no Python binding is needed. Language data comes from the
system's packs (``tesseract-ocr-eng``, ``tesseract-ocr-fra``, ...).

A page image is a grey-scale bitmap, written as a binary PGM (which Tesseract's image
library reads) into a private temporary folder that is removed afterwards. The text is read
from Tesseract's TSV output: words with their block, paragraph and line numbers, and a
confidence per word (0-100, -1 for non-words).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

PAGE_TIMEOUT_SECONDS = 300
INSTALL_HINT = (
    "OCR needs Tesseract, which is not installed. Install it and its English language pack "
    "(Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-eng; macOS: brew install "
    "tesseract; Windows: the UB Mannheim Tesseract installer), then import the file again"
)
_VERSION = re.compile(r"tesseract\s+v?(\d+(?:\.\d+)*)", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[A-Za-z_]{3,20}(\+[A-Za-z_]{3,20})*$")


class OcrUnavailable(Exception):  # noqa: N818 - reads as the condition it reports
    """Tesseract (or the language asked for) is not installed; the message says how to fix it."""


@dataclass(frozen=True)
class OcrEngine:
    """The installed Tesseract: its program, version and languages."""

    program: str
    version: str
    languages: frozenset[str]

    @property
    def name(self) -> str:
        """The engine's name as recorded in a document's provenance."""
        return "Tesseract"


@functools.cache
def _probe(program: str) -> OcrEngine:
    version_out = subprocess.run(
        [program, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    text = version_out.stdout + version_out.stderr
    match = _VERSION.search(text)
    langs_out = subprocess.run(
        [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
    )
    lines = (langs_out.stdout + langs_out.stderr).splitlines()
    languages = frozenset(
        line.strip() for line in lines[1:] if line.strip() and " " not in line.strip()
    )
    return OcrEngine(program, match.group(1) if match else "unknown", languages)


def find_engine(language: str = "eng") -> OcrEngine:
    """The installed Tesseract, checked to read ``language`` ("eng", "eng+fra").

    Raises :class:`OcrUnavailable` with installation advice otherwise.
    """
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable(INSTALL_HINT)
    if not _LANGUAGE.match(language):
        raise OcrUnavailable(f"'{language}' is not a Tesseract language code (e.g. eng, fra)")
    engine = _probe(program)
    missing = [code for code in language.split("+") if code not in engine.languages]
    if missing:
        packs = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise OcrUnavailable(
            f"Tesseract has no language data for {', '.join(missing)}; install it (Debian/"
            f"Ubuntu: sudo apt install {packs}) or choose one of: "
            f"{', '.join(sorted(engine.languages - {'osd'})) or 'none installed'}"
        )
    return engine


@dataclass
class OcrLine:
    """One line of recognised words."""

    words: list[str] = field(default_factory=list)


@dataclass
class OcrParagraph:
    """A paragraph as Tesseract found it (its block and paragraph numbers)."""

    lines: list[OcrLine] = field(default_factory=list)


@dataclass
class OcrPage:
    """The words of one page in reading order, grouped into paragraphs and lines."""

    paragraphs: list[OcrParagraph] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)  # one per word


def write_pgm(path: Path, width: int, height: int, stride: int, pixels: bytes) -> None:
    """Write an 8-bit grey-scale bitmap (rows ``stride`` bytes apart) as a binary PGM."""
    with path.open("wb") as handle:
        handle.write(f"P5\n{width} {height}\n255\n".encode("ascii"))
        if stride == width:
            handle.write(pixels[: width * height])
        else:
            for row in range(height):
                handle.write(pixels[row * stride : row * stride + width])


def read_image(engine: OcrEngine, image: Path, language: str) -> OcrPage:
    """Recognise one page image; raise :class:`OcrUnavailable` if Tesseract fails."""
    try:
        done = subprocess.run(
            [engine.program, str(image), "stdout", "-l", language, "--psm", "3", "tsv"],
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            check=False,
            # Tesseract's OpenMP threads fight each other (and the GUI) for the cores;
            # one thread per page is as fast on a busy machine and never starves it.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(
            f"Tesseract took more than {PAGE_TIMEOUT_SECONDS} s on one page and was stopped"
        ) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise OcrUnavailable(f"Tesseract failed ({detail[-1] if detail else done.returncode})")
    return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> OcrPage:
    """Words of Tesseract's TSV output, grouped by block/paragraph and line."""
    page = OcrPage()
    current_par: tuple[str, str] | None = None
    current_line: tuple[str, str, str] | None = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":  # level 5: a word
            continue
        text = cols[11].strip()
        if not text:
            continue
        par = (cols[2], cols[3])
        line = (cols[2], cols[3], cols[4])
        if par != current_par:
            page.paragraphs.append(OcrParagraph())
            current_par, current_line = par, None
        if line != current_line:
            page.paragraphs[-1].lines.append(OcrLine())
            current_line = line
        page.paragraphs[-1].lines[-1].words.append(text)
        try:
            confidence = float(cols[10])
        except ValueError:
            continue
        if confidence >= 0:
            page.confidences.append(confidence)
    return page


def paragraph_text(paragraph: OcrParagraph) -> str:
    """A paragraph's lines joined, a hyphen at a line end before a lower-case word removed."""
    out = ""
    for line in paragraph.lines:
        text = " ".join(line.words)
        if not out:
            out = text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
            out = out[:-1] + text
        else:
            out += " " + text
    return out


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A private folder for page images, removed when the context ends."""
    return tempfile.TemporaryDirectory(prefix="annotator-ocr-")
