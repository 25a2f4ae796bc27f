"""Tooltips that read as paragraphs: neither one screen-wide line nor a narrow column.

Qt shows plain text in a tooltip on one line (a long quote ran 1,100 px wide) and lets rich
text choose its own width. Long text is wrapped here at a fixed reading width instead.
"""

from __future__ import annotations

import html

WIDTH_PX = 440
SHORT = 60  # characters: shorter text stays on one line


def paragraph(text: str, width: int = WIDTH_PX) -> str:
    """``text`` (plain) as a tooltip that wraps at ``width`` pixels when it is long."""
    if len(text) <= SHORT and "\n" not in text:
        return text
    body = html.escape(text).replace("\n", "<br>")
    return f"<table width='{width}'><tr><td>{body}</td></tr></table>"


def rich(body_html: str, width: int = WIDTH_PX) -> str:
    """Rich-text ``body_html`` at a fixed reading width."""
    return f"<table width='{width}'><tr><td>{body_html}</td></tr></table>"
