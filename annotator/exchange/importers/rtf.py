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
_CREATED = re.compile(rb"\\creatim\s*\\yr(\d{4})(?:\\mo(\d{1,2}))?(?:\\dy(\d{1,2}))?")
_ESCAPED_BRACES = re.compile(rb"\\[\\{}]")
_LONG_LINE = 400  # characters of one line striprtf is given before it is cut


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


def _group_text(source: str, name: str) -> str | None:
    """The content of the first ``{\\name ...}`` group that holds no nested group.

    A single forward scan (no regular expression): the pattern this replaces backtracked
    exponentially on ``{\\title \\ab12 \\ab12 ...``, 123 bytes took 82 s.
    """
    opening = "{\\" + name
    start = 0
    while (found := source.find(opening, start)) >= 0:
        begin = found + len(opening)
        if begin >= len(source) or not source[begin].isspace():  # {\\titlepg is another word
            start = begin
            continue
        end = begin
        while end < len(source) and source[end] not in "{}":
            end += 2 if source[end] == "\\" else 1
        if end < len(source) and source[end] == "}":
            return source[begin:end]
        start = end  # a nested group: no match here; the next candidate starts after it
    return None


def _info(source: str, name: str, encoding: str) -> str | None:
    from striprtf.striprtf import rtf_to_text

    content = _group_text(source, name)
    if content is None:
        return None
    value = rtf_to_text("{\\rtf1 " + content + "}", encoding=encoding, errors="replace")
    value = " ".join(value.split())
    return value or None


def _bounded_for_striprtf(source: str) -> str:
    """``source`` cut into short lines: a break before every group, after every ``;`` and,
    on a line that grows past :data:`_LONG_LINE`, before the next control word.

    RTF ignores raw line breaks, so the meaning is unchanged; but striprtf's hyperlink and
    font-table patterns use ``.*`` (which stops at a line break) and backtrack
    polynomially along a line (a 32 KB font table of ``\\f1\\fcharset0`` ran for minutes).
    With short lines their cost is linear. A break never separates a backslash from what it
    escapes, and ``\\binN`` data is copied untouched.
    """
    out: list[str] = []
    i, n, mark, line_start = 0, len(source), 0, 0

    def cut(at: int, keep_through: int) -> None:
        nonlocal mark, line_start
        out.append(source[mark:keep_through])
        out.append("\n")
        mark = keep_through
        line_start = at

    while i < n:
        ch = source[i]
        if ch == "\\":
            if i - line_start > _LONG_LINE:
                cut(i, i)
            j = i + 1
            k = j
            while k < n and k - j < 32 and source[k].isalpha():
                k += 1
            if k == j:  # a control symbol or an escaped character: two characters
                i += 2
                continue
            m = k + (k < n and source[k] == "-")
            while m < n and m - k < 11 and source[m].isdigit():
                m += 1
            if source[j:k] == "bin" and m > k:
                m += int(source[k:m].lstrip("-") or 0) + (m < n and source[m] == " ")
            i = m
            continue
        if ch == "{":
            cut(i, i)
        elif ch == ";":
            cut(i + 1, i + 1)
        i += 1
    out.append(source[mark:])
    return "".join(out)


_FONT_WORD = re.compile(r"(?<!\\)\\f\d")  # \\f0, \\f12 ... (not an escaped backslash + f)
_MAX_FONT_TABLE = 256 * 1024


def _tame_font_table(text: str) -> str:
    """Put ``;`` before every font of the font table, so striprtf's font pattern (whose
    ``[^;]+`` runs on to the next ``;``) never scans far; drop an absurdly large table.

    Font table text is never output, and an extra ``;`` only ends an (empty) font name.
    """
    start = text.find("\\fonttbl")
    if start < 0:
        return text
    begin = text.rfind("{", 0, start)
    if begin < 0:
        return text
    depth, i, n = 0, begin, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    end = min(i + 1, n)
    table = text[begin:end]
    if len(table) > _MAX_FONT_TABLE:
        table = "{\\fonttbl}"
    else:
        table = _FONT_WORD.sub(lambda m: ";\n" + m.group(0), table)
    return text[:begin] + table + text[end:]


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
        raw = rtf_to_text(
            _tame_font_table(_bounded_for_striprtf(source)), encoding=encoding, errors="replace"
        )
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
