"""Shared pieces of the importers: the error type, limits, safe reading and a text builder.

Every importer builds its canonical text with :class:`TextBuilder`, which appends blocks of
already-clean text and records each block's span at the moment it is appended, so block
offsets index the final text exactly by construction.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.structure import Block, BlockKind, Page
from annotator.domain.text import canonicalize

MiB = 1024 * 1024


class ImportProblem(Exception):  # noqa: N818 - the name is the public API
    """A file that cannot be imported, with the reason in words a coder can act on.

    ``str(problem)`` reads like ``"report.pdf: this PDF has no text layer (a scan?); it needs
    OCR before it can be imported"``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


@dataclass(frozen=True)
class ImportLimits:
    """Upper bounds that protect the application from hostile or accidental huge inputs.

    Sizes are in bytes of the file on disk unless stated. Defaults:

    * ``max_pdf_bytes`` 200 MiB, ``max_docx_bytes`` / ``max_odt_bytes`` 100 MiB,
      ``max_html_bytes`` 20 MiB, ``max_text_bytes`` (``.txt``/``.md``) 50 MiB,
      ``max_rtf_bytes`` 100 MiB (RTF embeds pictures as hex, so real files get large);
    * ``max_zip_uncompressed_bytes`` 512 MiB: the sum of the sizes that a DOCX/ODT's zip
      directory declares for its entries;
    * ``max_zip_ratio`` 200: the largest declared uncompressed/compressed ratio allowed for
      any entry bigger than ``zip_ratio_floor_bytes`` (1 MiB); ordinary office XML compresses
      5-30x, a zip bomb thousands of times;
    * ``max_zip_entries`` 10 000 entries in one archive;
    * ``max_text_chars`` 20 million code points of extracted text (about 8 000 pages).
    """

    max_pdf_bytes: int = 200 * MiB
    max_docx_bytes: int = 100 * MiB
    max_odt_bytes: int = 100 * MiB
    max_html_bytes: int = 20 * MiB
    max_text_bytes: int = 50 * MiB
    max_rtf_bytes: int = 100 * MiB
    max_zip_uncompressed_bytes: int = 512 * MiB
    max_zip_ratio: float = 200.0
    zip_ratio_floor_bytes: int = 1 * MiB
    max_zip_entries: int = 10_000
    max_text_chars: int = 20_000_000


DEFAULT_LIMITS = ImportLimits()


def human_size(n: int) -> str:
    """``n`` bytes as a short human-readable size ("1.5 MiB")."""
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover - loop always returns


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    """Read ``path`` whole, refusing a missing, empty or over-large file with ImportProblem."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportProblem(path, "the file does not exist") from None
    except OSError as exc:
        raise ImportProblem(path, f"the file cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise ImportProblem(path, "this is a folder, not a file")
    if size == 0:
        raise ImportProblem(path, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise ImportProblem(
            path,
            f"the file is too large to import as {what} ({human_size(size)}; "
            f"the limit is {human_size(max_bytes)})",
        )
    try:
        with path.open("rb") as fh:
            # read() sized from the file, not read(max_bytes + 1): that would allocate the
            # whole limit up front for every file.
            data = fh.read()
    except OSError as exc:
        raise ImportProblem(path, f"the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we were looking
        raise ImportProblem(path, f"the file is too large to import as {what}")
    if not data:
        raise ImportProblem(path, "the file is empty (0 bytes)")
    return data


def check_zip(path: Path, archive: zipfile.ZipFile, limits: ImportLimits, what: str) -> None:
    """Refuse a zip whose *declared* sizes look like a zip bomb, before inflating anything.

    Python's :mod:`zipfile` stops inflating an entry at its declared size (and then fails
    the CRC check), so checking the central directory is enough to bound memory use.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_zip_entries:
        raise ImportProblem(
            path, f"this {what} file holds too many parts ({len(infos)}); it may be damaged"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.zip_ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_zip_ratio:
                raise ImportProblem(
                    path,
                    f"this {what} file looks like a zip bomb: its part {info.filename!r} "
                    f"would expand {ratio:,.0f} times to {human_size(info.file_size)}; "
                    "it was not opened",
                )
    if total > limits.max_zip_uncompressed_bytes:
        raise ImportProblem(
            path,
            f"this {what} file would expand to {human_size(total)}, more than the limit of "
            f"{human_size(limits.max_zip_uncompressed_bytes)}; it was not opened",
        )


def check_text_length(path: Path, text: str, limits: ImportLimits) -> None:
    """Refuse extracted text longer than ``limits.max_text_chars``."""
    if len(text) > limits.max_text_chars:
        raise ImportProblem(
            path,
            f"the extracted text is too long ({len(text):,} characters; the limit is "
            f"{limits.max_text_chars:,})",
        )


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace (including newlines) to single spaces and strip the ends."""
    return " ".join(text.split())


def shorten_title(line: str, max_chars: int = 120) -> str:
    """A title from a line: whitespace collapsed, cut at a word boundary near ``max_chars``."""
    title = collapse_spaces(line)
    if len(title) <= max_chars:
        return title
    cut = title.rfind(" ", 0, max_chars)
    if cut < max_chars // 2:
        cut = max_chars
    return title[:cut].rstrip(" ,;:-") + "…"


class TextBuilder:
    """Accumulates canonical text block by block, recording exact spans as it goes.

    Blocks are separated by a blank line, except consecutive list items and rows of one
    table, which are separated by a single newline (``tight=True``).
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self._last_tight_group: object | None = None

    @property
    def length(self) -> int:
        """Number of code points appended so far."""
        return self._length

    def _raw(self, piece: str) -> None:
        if piece:
            self._parts.append(piece)
            self._length += len(piece)

    def _separate(self, group: object | None) -> None:
        if self._length == 0:
            return
        if group is not None and group == self._last_tight_group:
            self._raw("\n")
        else:
            self._raw("\n\n")

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        level: int | None = None,
        label: str | None = None,
        group: object | None = None,
    ) -> Block | None:
        """Append one block of text (surrounding whitespace trimmed); empty text adds nothing.

        ``group`` marks blocks that belong together (one list, one table): consecutive blocks
        with the same non-None group are separated by one newline instead of a blank line.
        Returns the block added, or None when ``text`` was blank.
        """
        clean = canonicalize(text).strip()
        if not clean:
            return None
        self._separate(group)
        self._last_tight_group = group
        start = self._length
        self._raw(clean)
        block = Block(kind, start, self._length, level, label)
        self.blocks.append(block)
        return block

    def add_row(self, cells: list[str], *, group: object, sep: str = " | ") -> None:
        """Append one table row: the cells joined by ``sep``, each non-empty cell a block.

        Empty cells keep their place between filled ones (so columns line up with the
        header), but trailing empty cells are dropped: they would only leave a dangling
        separator at the end of the line.
        """
        cleaned = [collapse_spaces(c) for c in cells]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        if not cleaned:
            return
        self._separate(group)
        self._last_tight_group = group
        for i, cell in enumerate(cleaned):
            if i:
                self._raw(sep)
            if cell:
                start = self._length
                self._raw(cell)
                self.blocks.append(Block(BlockKind.TABLE_CELL, start, self._length))

    def mark(self) -> int:
        """The current length, for callers that track page starts."""
        return self._length

    def text(self) -> str:
        """The text built so far."""
        return "".join(self._parts)


def first_heading_title(text: str, blocks: list[Block] | tuple[Block, ...]) -> str | None:
    """The text of the first heading (preferring the highest level among early ones)."""
    headings = [b for b in blocks if b.kind is BlockKind.HEADING]
    if not headings:
        return None
    top = min(b.level or 1 for b in headings)
    for b in headings:
        if (b.level or 1) == top:
            return shorten_title(text[b.start : b.end])
    return None  # pragma: no cover


def first_line_title(text: str) -> str | None:
    """The first non-blank line of ``text``, shortened sensibly; None for blank text."""
    for line in text.split("\n"):
        if line.strip():
            return shorten_title(line)
    return None


def guard(path: Path, what: str) -> Callable[[Exception], ImportProblem]:
    """A helper turning an unexpected library exception into a readable ImportProblem."""

    def convert(exc: Exception) -> ImportProblem:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ImportProblem(path, f"this {what} file is damaged or unreadable ({detail[:200]})")

    return convert


def no_pages() -> tuple[Page, ...]:
    """The pages of a format that has none."""
    return ()


def safe_xml_parser() -> object:
    """An lxml XML parser that resolves no entities, fetches nothing and refuses huge trees."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse_xml(path: Path, data: bytes, what: str) -> object:
    """Parse ``data`` with :func:`safe_xml_parser`; a syntax error becomes ImportProblem."""
    from lxml import etree

    try:
        return etree.fromstring(data, parser=safe_xml_parser())  # type: ignore[arg-type]
    except etree.XMLSyntaxError as exc:
        raise ImportProblem(path, f"this {what} file is damaged (bad XML: {exc})") from None


def open_zip(path: Path, data: bytes, limits: ImportLimits, what: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive and check it with :func:`check_zip`."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ImportProblem(
            path, f"this {what} file is damaged or truncated (it is not a valid zip archive)"
        ) from None
    check_zip(path, archive, limits, what)
    return archive


def read_member(path: Path, archive: zipfile.ZipFile, name: str, what: str) -> bytes | None:
    """Read one zip member (None when absent); a damaged member becomes ImportProblem."""
    try:
        return archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportProblem(
            path, f"this {what} file is damaged or truncated ({name}: {exc})"
        ) from None
