"""Showing names from files on a terminal without letting them forge output.

A file name or a coder's name can hold line breaks (which would forge lines of a summary
that scripts parse) and ANSI escape sequences (which a terminal would obey). Every name
the CLI prints goes through :func:`shown`.
"""

from __future__ import annotations

import unicodedata


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(value: object) -> str:
    """``value`` as text with control and format characters escaped (``\\n``, ``\\x1b``)."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(
        ch
        if ch == " " or unicodedata.category(ch)[0] not in "CZ" or ch.isprintable()
        else _escape(ch)
        for ch in text
    )


def shown_lines(value: object) -> str:
    """Like :func:`shown`, but line breaks stay (for messages of several lines)."""
    return "\n".join(shown(line) for line in str(value).split("\n"))
