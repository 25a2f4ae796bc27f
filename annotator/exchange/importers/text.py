"""Plain-text import (``.txt``): decoding rules, binary detection, paragraphs and title.

Decoding order, first match wins:

1. strict UTF-8 (a UTF-8 byte-order mark is allowed and dropped);
2. a UTF-32 or UTF-16 byte-order mark, decoded strictly in that encoding;
3. detection with charset-normalizer. Its guess between the Latin-script single-byte code
   pages (Windows-1250/1252, ISO 8859-x, Mac) is unreliable on short texts, so when it
   guesses one of those, Windows-1252 is used if it decodes the bytes, unless the language
   it recognised needs letters Windows-1252 lacks (Czech, Polish, Hungarian, Turkish, ...);
   then its guess stands. Cyrillic, Greek, CJK and other guesses are used as given.

A file is refused as binary when it has NUL bytes outside UTF-16/32, or when more than
1 % of the decoded characters are control characters or replacement characters.

Title: the first non-blank line, only when it looks like a title (:func:`title_line`):
saved web pages start with "Advertisement" or "Skip to content", and many texts start
straight with their first sentence. Otherwise the document has no title of its own (the
import names it after the file).
"""

from __future__ import annotations

import codecs
import contextlib
import unicodedata
from pathlib import Path

from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.domain.text import canonicalize
from annotator.exchange.importers._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportProblem,
    check_text_length,
    read_limited,
    shorten_title,
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Latin-script single-byte code pages that charset-normalizer confuses with one another.
_LATIN_SINGLE_BYTE = frozenset(
    {
        "latin_1", "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9",
        "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
        "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "windows_1252",
        "cp437", "cp775", "cp850", "cp852", "cp858", "cp865",
        "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish",
    }
)  # fmt: skip
# Languages written with letters that Windows-1252 does not have.
_NOT_CP1252_LANGUAGES = frozenset(
    {
        "Czech", "Slovak", "Polish", "Hungarian", "Croatian", "Slovene", "Romanian",
        "Bosnian", "Serbian", "Turkish", "Lithuanian", "Latvian", "Estonian",
    }
)  # fmt: skip

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Lines that saved web pages and feeds put before the text: never a title, skipped.
_BOILERPLATE_LINES = frozenset(
    {
        "advertisement", "advert", "sponsored", "sponsored content", "skip to content",
        "skip to main content", "menu", "home", "share", "share this", "print", "sign in",
        "log in", "subscribe", "close", "search", "cookies", "accept cookies", "back",
        "main menu", "navigation", "breadcrumb", "you are here:",
    }
)  # fmt: skip
TITLE_MAX_CHARS = 150
TITLE_MAX_WORDS = 20
TITLE_LOOKAHEAD = 3  # boilerplate lines skipped before the title at most
MAX_BAD_CHAR_RATIO = 0.01


def _bad_char_ratio(text: str) -> float:
    """Share of characters that are control characters (other than whitespace) or U+FFFD."""
    if not text:
        return 0.0
    bad = 0
    for ch in text:
        if ch == "\ufffd" or (
            ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs")
        ):
            bad += 1
    return bad / len(text)


def _refuse_binary(path: Path) -> ImportProblem:
    return ImportProblem(
        path, "this does not look like a text file (it contains binary data); it was not imported"
    )


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode ``data`` following the module's rules; return ``(text, encoding name)``.

    Raises :class:`ImportProblem` for binary data or bytes no encoding explains.
    """
    # 1. Strict UTF-8, with or without a BOM.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text or _bad_char_ratio(text) > MAX_BAD_CHAR_RATIO:
            raise _refuse_binary(path)
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"

    # 2. UTF-32 / UTF-16 byte-order marks.
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ImportProblem(
                    path,
                    f"the file starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} text",
                ) from None
            if "\x00" in text or _bad_char_ratio(text) > MAX_BAD_CHAR_RATIO:
                raise _refuse_binary(path)
            return text, encoding

    # 3. Anything else with NUL bytes is binary (UTF-16 without a BOM is not supported).
    if b"\x00" in data:
        raise _refuse_binary(path)

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportProblem(
            path,
            "the text's character encoding could not be recognised; save it as UTF-8 and "
            "import it again",
        )
    encoding = best.encoding
    text = str(best)
    if encoding in _LATIN_SINGLE_BYTE and best.language not in _NOT_CP1252_LANGUAGES:
        with contextlib.suppress(UnicodeDecodeError):
            text, encoding = data.decode("cp1252"), "cp1252"
    if _bad_char_ratio(text) > MAX_BAD_CHAR_RATIO:
        raise _refuse_binary(path)
    return text, encoding


def _looks_like_title(line: str) -> bool:
    """Short, starting with a capital or a digit, and not a sentence: no full stop, comma
    or semicolon at its end, at most ``TITLE_MAX_WORDS`` words, and two or more words
    (a lone word at the top of a saved page is a label: "Advertisement", "Menu")."""
    words = line.split()
    return (
        2 <= len(words) <= TITLE_MAX_WORDS
        and len(line) <= TITLE_MAX_CHARS
        and (line[0].isupper() or line[0].isdigit())
        and not line.rstrip("\"'”’)").endswith((".", ",", ";"))
    )


def title_line(text: str) -> str | None:
    """The text's title: its first non-blank line when that looks like a title, after at
    most ``TITLE_LOOKAHEAD`` boilerplate lines ("Advertisement"); else None."""
    skipped = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.casefold().rstrip(" :|>»›") in _BOILERPLATE_LINES and skipped < TITLE_LOOKAHEAD:
            skipped += 1
            continue
        return shorten_title(line) if _looks_like_title(line) else None
    return None


def extract_text(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Import a plain-text file: every non-blank line is a paragraph block."""
    data = read_limited(path, limits.max_text_bytes, "plain text")
    raw, encoding = decode_text(path, data)
    text = canonicalize(raw)
    if not text.strip():
        raise ImportProblem(path, "the file contains no text (only blank space)")
    check_text_length(path, text, limits)
    metadata = DocumentMetadata(
        title=title_line(text),
        source=str(path),
        attributes={"encoding": encoding},
    )
    return ExtractedDocument(
        text=text,
        blocks=paragraph_blocks(text),
        pages=(),
        metadata=metadata,
        source_format="text",
        original=data,
        original_name=path.name,
    )
