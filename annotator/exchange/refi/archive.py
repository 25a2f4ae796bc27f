"""Safe reading of REFI-QDA files: hostile XML and hostile zip archives are refused.

XML is parsed by lxml with entity resolution, DTD loading and network access off, and a
document that declares a DOCTYPE at all is refused before parsing: REFI-QDA files never
need one, and refusing it stops external entities (XXE) and entity-expansion bombs alike.
Zip archives are checked from their central directory *before* anything is inflated:
entry count, total declared size, compression ratio and every entry's path.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from annotator.domain.errors import AnnotatorError

MiB = 1024 * 1024


class RefiFileError(AnnotatorError):
    """A REFI-QDA file that cannot be read at all; the message names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path.name}: {problem}")


@dataclass(frozen=True)
class RefiLimits:
    """Upper bounds for one exchange file.

    ``max_total_bytes`` is the sum of the sizes the zip directory declares; ``max_ratio``
    the largest declared uncompressed/compressed ratio of an entry bigger than
    ``ratio_floor_bytes`` (XML and text compress 3-20x, a zip bomb thousands of times).
    """

    max_total_bytes: int = 2048 * MiB
    max_entry_bytes: int = 512 * MiB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * MiB
    max_entries: int = 200_000
    #: Bytes that may be read in all, beyond reading each member (or file) once: a
    #: small archive whose one large member is referenced by thousands of sources would
    #: otherwise be inflated once per reference (13 KB reached 1.57 GB).
    reread_allowance_bytes: int = 64 * MiB


DEFAULT_LIMITS = RefiLimits()
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, path: Path | str, member: str | None = None) -> etree._Element:
    """Parse ``data`` safely and return its root element, or raise :class:`RefiFileError`."""
    where = f"{member} in the archive" if member else "the file"
    refused = RefiFileError(
        path,
        f"{where} declares a DTD or entities (<!DOCTYPE>/<!ENTITY>); REFI-QDA files never "
        "do, so it is refused for safety.",
    )
    # Only the prolog (before the first element) can hold a DOCTYPE.
    first = _FIRST_ELEMENT.search(data)
    if _DOCTYPE.search(data, 0, first.start() if first else len(data)):
        raise refused
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise RefiFileError(path, f"{where} is not well-formed XML ({exc}).") from exc
    if root is None:
        raise RefiFileError(path, f"{where} is empty.")
    if root.getroottree().docinfo.doctype:
        raise refused  # e.g. a UTF-16 file, which the byte scan above cannot read
    return root


def _unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return ".." in parts


class ReadBudget:
    """Counts the bytes an import reads; refuses once they exceed each source read once.

    ``distinct`` is the size of every member or file read at least once; a legitimate
    project reads each about once, so the total may exceed it by the allowance only.
    """

    def __init__(self, path: Path, limits: RefiLimits) -> None:
        self.path = path
        self.limits = limits
        self.total = 0
        self.distinct = 0
        self._seen: set[str] = set()

    def charge(self, name: str, size: int) -> None:
        """Count ``size`` bytes read from ``name``, or raise :class:`RefiFileError`."""
        if name not in self._seen:
            self._seen.add(name)
            self.distinct += size
        self.total += size
        over_distinct = self.total > self.distinct + self.limits.reread_allowance_bytes
        if over_distinct or self.total > self.limits.max_total_bytes:
            raise RefiFileError(
                self.path,
                f"its sources refer to the same text file again and again ({self.total:,} "
                "bytes read so far); the file is refused for safety.",
            )


class SafeArchive:
    """A checked zip archive; members are read with their declared size enforced."""

    def __init__(self, path: Path, limits: RefiLimits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            problem = f"this is not a readable .qdpx (zip) archive ({exc})."
            raise RefiFileError(path, problem) from exc
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise
        self._by_lower = {
            info.filename.casefold(): info for info in self._zip.infolist() if not info.is_dir()
        }
        self.budget = ReadBudget(path, limits)

    def _check(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise RefiFileError(
                self.path,
                f"the archive has {len(infos):,} entries; the limit is "
                f"{self.limits.max_entries:,}.",
            )
        total = 0
        for info in infos:
            if _unsafe_name(info.filename):
                raise RefiFileError(
                    self.path,
                    f"the archive entry '{info.filename}' points outside the archive "
                    "(absolute path or '..'); the file is refused for safety.",
                )
            total += info.file_size
            if info.file_size > self.limits.max_entry_bytes:
                raise RefiFileError(
                    self.path,
                    f"the archive entry '{info.filename}' would inflate to "
                    f"{info.file_size:,} bytes, more than the limit of "
                    f"{self.limits.max_entry_bytes:,}.",
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > self.limits.ratio_floor_bytes and ratio > self.limits.max_ratio:
                raise RefiFileError(
                    self.path,
                    f"the archive entry '{info.filename}' is compressed {ratio:,.0f} to 1, "
                    "which only a zip bomb does; the file is refused for safety.",
                )
        if total > self.limits.max_total_bytes:
            raise RefiFileError(
                self.path,
                f"the archive would inflate to {total:,} bytes, more than the limit of "
                f"{self.limits.max_total_bytes:,}.",
            )

    def names(self) -> list[str]:
        """Every file entry's name, in archive order."""
        return [info.filename for info in self._zip.infolist() if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The entry called ``name`` ignoring case (``Sources/`` or ``sources/``), if any."""
        info = self._by_lower.get(name.replace("\\", "/").lstrip("./").casefold())
        return info.filename if info else None

    def read(self, name: str) -> bytes:
        """The bytes of entry ``name``, never more than its directory entry declared."""
        info = self._zip.getinfo(name)
        self.budget.charge(info.filename, info.file_size)
        try:
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise RefiFileError(
                self.path, f"the archive entry '{name}' is damaged ({describe_error(exc)})."
            ) from exc
        except NotImplementedError as exc:
            raise RefiFileError(
                self.path,
                f"the archive entry '{name}' uses a compression method annotator "
                f"cannot read ({describe_error(exc)}).",
            ) from exc
        except RuntimeError as exc:  # zipfile: an encrypted entry
            raise RefiFileError(
                self.path, f"the archive entry '{name}' cannot be read ({describe_error(exc)})."
            ) from exc
        if len(data) > info.file_size:
            raise RefiFileError(
                self.path, f"the archive entry '{name}' is larger than its directory says."
            )
        return data

    def close(self) -> None:
        """Release the archive."""
        self._zip.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def describe_error(exc: BaseException) -> str:
    """``ExceptionType: first line of its message`` (for a message naming a damaged file)."""
    text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def decode_text(data: bytes) -> str:
    """Decode a source's plain text: UTF-8 (with or without BOM), or UTF-16 with a BOM.

    The BOM is dropped (it is never counted in positions). Raises ``UnicodeDecodeError``.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


@contextmanager
def mapped_errors(path: Path) -> Iterator[None]:
    """Turn any failure while reading ``path`` into a :class:`RefiFileError` naming it.

    Damaged archives raise whatever the zip, zlib or XML layers raise (BadZipFile,
    zlib.error, EOFError, IndexError, ...); a batch import must get a message and go on.
    """
    try:
        yield
    except RefiFileError:
        raise
    except MemoryError:
        raise RefiFileError(path, "the file is too large to read (out of memory).") from None
    except RecursionError:
        raise RefiFileError(path, "the file is nested too deeply to be read.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise RefiFileError(path, f"the archive is damaged ({describe_error(exc)}).") from exc
    except OSError as exc:
        raise RefiFileError(path, f"the file cannot be read ({exc.strerror or exc}).") from exc
    except Exception as exc:  # last line of defence: a damaged file, never a traceback
        problem = f"the file is damaged or malformed ({describe_error(exc)})."
        raise RefiFileError(path, problem) from exc
