"""RTF import (``.rtf``) with striprtf (BSD-3-Clause).

striprtf turns the RTF into plain text, decoding ``\\'xx`` escapes in the document's code
page (``\\ansicpg``, default Windows-1252) and ``\\uN`` Unicode escapes. Each non-blank line
of its output is a paragraph; a line that striprtf produced from a table row (cells
ending in "|") becomes one row, cells joined by " | ", each cell a ``table_cell`` block.
RTF carries no reliable heading or list structure for this purpose, so there are none.
Title, author and creation date come from the ``\\info`` group.

Refused: files that do not start with ``{\\rtf``, and files whose braces do not balance
(truncated or damaged).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from annotator.domain.structure import BlockKind, DocumentMetadata, ExtractedDocument
from annotator.exchange.importers._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportProblem,
    TextBuilder,
    check_text_length,
    first_line_title,
    read_limited,
    shorten_title,
)

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_INFO_FIELD = r"\{\\%s\s+((?:[^{}\\]|\\[^a-z]|\\[a-z]+-?\d* ?)*)\}"
_CREATED = re.compile(rb"\\creatim\s*\\yr(\d{4})(?:\\mo(\d{1,2}))?(?:\\dy(\d{1,2}))?")
_ESCAPED_BRACES = re.compile(rb"\\[\\{}]")


def _balanced(data: bytes) -> bool:
    """True when the unescaped braces of ``data`` balance and never go negative."""
    depth = 0
    for byte in _ESCAPED_BRACES.sub(b"", data):
        if byte == 0x7B:  # {
            depth += 1
        elif byte == 0x7D:  # }
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _info(source: str, name: str, encoding: str) -> str | None:
    from striprtf.striprtf import rtf_to_text

    match = re.search(_INFO_FIELD % name, source)
    if not match:
        return None
    value = rtf_to_text("{\\rtf1 " + match.group(1) + "}", encoding=encoding, errors="replace")
    value = " ".join(value.split())
    return value or None


def extract_rtf(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Import an RTF document as paragraphs (and table rows)."""
    from striprtf.striprtf import rtf_to_text

    data = read_limited(path, limits.max_rtf_bytes, "RTF")
    data_body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not data_body.lstrip().startswith(b"{\\rtf"):
        raise ImportProblem(path, "this is not an RTF file (it does not start with {\\rtf)")
    if not _balanced(data_body):
        raise ImportProblem(path, "this RTF file is truncated or damaged (its braces do not match)")
    match = _CODEPAGE.search(data_body[:4096])
    encoding = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    # RTF is 7-bit; Latin-1 maps any stray 8-bit byte to one character without loss.
    source = data_body.decode("latin-1")
    try:
        raw = rtf_to_text(source, encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf is a small regex machine; be safe
        raise ImportProblem(path, f"this RTF file cannot be read ({exc})") from None

    builder = TextBuilder()
    table_group: object | None = None
    for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            table_group = None
            continue
        if stripped.endswith("|"):
            if table_group is None:
                table_group = object()
            builder.add_row(stripped[:-1].split("|"), group=table_group)
        else:
            table_group = None
            builder.add(BlockKind.PARAGRAPH, stripped)
    text = builder.text()
    if not text.strip():
        raise ImportProblem(path, "this RTF file contains no text")
    check_text_length(path, text, limits)

    title = _info(source, "title", encoding)
    created = _CREATED.search(data_body)
    date = None
    if created:
        year, month, day = created.groups()
        date = year.decode()
        if month:
            date += f"-{int(month):02d}"
            if day:
                date += f"-{int(day):02d}"
    metadata = DocumentMetadata(
        title=shorten_title(title) if title else first_line_title(text),
        author=_info(source, "author", encoding),
        date=date,
        source=str(path),
        attributes={"encoding": encoding},
    )
    return ExtractedDocument(
        text=text,
        blocks=tuple(builder.blocks),
        pages=(),
        metadata=metadata,
        source_format="rtf",
        original=data,
        original_name=path.name,
    )
