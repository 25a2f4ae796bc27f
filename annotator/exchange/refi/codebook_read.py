"""Liberal reading of REFI-QDA values and codebooks: GUIDs, dates, colours, ``Code`` trees.

Files come from many tools, so every value is read leniently: namespaces are ignored (we
match local names), GUIDs may be upper or lower case and carry braces, colours may be
``#rgb``, ``#rrggbb``, ``#aarrggbb``, bare hex, ``rgb(r, g, b)`` or a decimal integer.
What cannot be read becomes a warning or a problem, never a crash.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from annotator.exchange.refi.archive import (
    DEFAULT_LIMITS,
    RefiFileError,
    RefiLimits,
    SafeArchive,
    mapped_errors,
    parse_xml,
)
from annotator.exchange.refi.description import parse_code_description
from annotator.exchange.refi.model import ReadCode, derived_guid

KNOWN_NAMESPACES = {
    None,
    "urn:QDA-XML:project:1.0",
    "urn:QDA-XML:project:0:10",
    "urn:QDA-XML:codebook:1.0",
    "urn:QDA-XML:codebook:0:4",
}
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f")
_NAMED_COLOURS = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ff0000",
    "green": "#008000",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "orange": "#ffa500",
    "purple": "#800080",
    "grey": "#808080",
    "gray": "#808080",
}
_RGB_FUNC = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,[^)]*)?\)$")
_FRACTION = re.compile(r"(\.\d{6})\d+")


def local(el: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def kids(el: etree._Element, name: str) -> list[etree._Element]:
    """Children called ``name`` (any namespace)."""
    return [child for child in el if local(child) == name]


def kid(el: etree._Element, name: str) -> etree._Element | None:
    """The first child called ``name``, if any."""
    return next((child for child in el if local(child) == name), None)


def kid_text(el: etree._Element, name: str) -> str:
    """The text of the first child called ``name`` ("" when absent)."""
    child = kid(el, name)
    return (child.text or "") if child is not None else ""


def parse_guid(value: str | None) -> uuid.UUID | None:
    """A GUID in any common spelling, or None when ``value`` is not one."""
    if not value:
        return None
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


def parse_time(value: str | None) -> datetime | None:
    """An ``xsd:dateTime`` as an aware UTC datetime (no zone means UTC), or None."""
    if not value:
        return None
    text = _FRACTION.sub(r"\1", value.strip())  # .NET writes 7 fraction digits
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_color(value: str | None) -> str | None:
    """A colour in any common notation as ``#rrggbb``, or None when it is not one."""
    if not value:
        return None
    text = value.strip().lower()
    if text in _NAMED_COLOURS:
        return _NAMED_COLOURS[text]
    if match := _RGB_FUNC.match(text):
        channels = [int(g) for g in match.groups()]
        return "#" + "".join(f"{min(c, 255):02x}" for c in channels) if channels else None
    if text.isdigit():  # a packed integer colour (0xRRGGBB)
        number = int(text)
        return f"#{number & 0xFFFFFF:06x}" if number <= 0xFFFFFFFF else None
    hexpart = text.removeprefix("#").removeprefix("0x")
    if not re.fullmatch(r"[0-9a-f]+", hexpart):
        return None
    if len(hexpart) == 3:
        return "#" + "".join(c * 2 for c in hexpart)
    if len(hexpart) == 6:
        return "#" + hexpart
    if len(hexpart) == 8:  # #aarrggbb: drop the alpha channel
        return "#" + hexpart[2:]
    return None


def default_color(guid: uuid.UUID) -> str:
    """A stable palette colour for a code that came without one."""
    return PALETTE[guid.int % len(PALETTE)]


def element_guid(el: etree._Element, what: str, warnings: list[str]) -> uuid.UUID:
    """The element's ``guid``; a stable derived one (with a warning) when it has none."""
    raw = el.get("guid")
    guid = parse_guid(raw)
    if guid is None:
        guid = derived_guid("missing-guid", what, raw, el.sourceline)
        warnings.append(f"{what} has no valid GUID ({raw!r}); a stable one was made up.")
    return guid


@dataclass
class ReadCodebook:
    """Codes found in a file (parents first) and what could not be read."""

    origin: str = ""
    codes: list[ReadCode] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_codes(codes_el: etree._Element | None, book: ReadCodebook) -> None:
    """Append every ``Code`` under a ``Codes`` element to ``book.codes``, parents first."""
    if codes_el is None:
        return
    seen: set[uuid.UUID] = set()

    def walk(
        el: etree._Element, parent: uuid.UUID | None, position: int, ancestors: frozenset
    ) -> None:
        raw_name = (el.get("name") or "").strip()
        what = f"code '{raw_name}'"
        guid = element_guid(el, what, book.warnings)
        if guid in ancestors:
            book.problems.append(
                f"{what} is nested inside itself (a cycle): its GUID {guid} is also an ancestor's."
            )
            guid = derived_guid("duplicate-code", guid, el.sourceline)
        elif guid in seen:
            book.problems.append(f"{what}: its GUID {guid} is used by more than one code.")
            guid = derived_guid("duplicate-code", guid, el.sourceline)
        seen.add(guid)
        name = raw_name.replace("/", "∕")
        if name != raw_name:
            book.warnings.append(
                f"{what}: '/' separates code paths here, so it became '∕' in the name."
            )
        color = parse_color(el.get("color"))
        if el.get("color") and color is None:
            book.warnings.append(f"{what}: colour {el.get('color')!r} is not understood.")
        codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
        fields = parse_code_description(kid_text(el, "Description") or None)
        book.codes.append(
            ReadCode(guid, name, color or default_color(guid), parent, position, codable, fields)
        )
        for index, child in enumerate(kids(el, "Code")):
            walk(child, guid, index, ancestors | {guid})

    for index, el in enumerate(kids(codes_el, "Code")):
        walk(el, None, index, frozenset())


def read_codebook_file(path: Path, limits: RefiLimits = DEFAULT_LIMITS) -> ReadCodebook:
    """Read the codebook of a ``.qdc`` (or of a ``.qde``/``.qdpx`` project)."""
    path = Path(path)
    if not path.is_file():
        raise RefiFileError(path, "the file does not exist.")
    with mapped_errors(path):
        return _read_codebook_file(path, limits)


def _read_codebook_file(path: Path, limits: RefiLimits) -> ReadCodebook:
    if path.suffix.lower() == ".qdpx":
        with SafeArchive(path, limits) as archive:
            qde = next((n for n in archive.names() if n.lower().endswith(".qde")), None)
            if qde is None:
                raise RefiFileError(path, "the archive has no .qde project file.")
            root = parse_xml(archive.read(qde), path, qde)
    else:
        if path.stat().st_size > limits.max_entry_bytes:
            raise RefiFileError(path, "the file is larger than the limit for a codebook.")
        root = parse_xml(path.read_bytes(), path)
    book = ReadCodebook(origin=root.get("origin") or "")
    if local(root) == "Project":
        holder = kid(root, "CodeBook")
    elif local(root) == "CodeBook":
        holder = root
    else:
        raise RefiFileError(path, f"this is not a REFI-QDA codebook (root <{local(root)}>).")
    if etree.QName(root).namespace not in KNOWN_NAMESPACES:
        book.warnings.append(f"Unknown namespace {etree.QName(root).namespace}; read anyway.")
    read_codes(kid(holder, "Codes") if holder is not None else None, book)
    return book
