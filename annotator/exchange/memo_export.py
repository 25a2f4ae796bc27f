"""Memos written out as Markdown, Word (python-docx) or self-contained HTML.

One section per memo kind (project, documents, codes, codings), in the order the memo
service lists them; a coding memo shows its code, coder, document and the quoted passage.
Memo text is written as plain text: Markdown special characters in a memo are escaped so a
memo reads the same everywhere, and HTML is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from annotator.domain.memos import MemoEntry, MemoKind
from annotator.exchange.html_report import escape

HEADINGS = {
    MemoKind.PROJECT: "Project memo",
    MemoKind.DOCUMENT: "Document memos",
    MemoKind.CODE: "Code memos",
    MemoKind.CODING: "Coding memos",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _sections(memos: Sequence[MemoEntry]) -> list[tuple[str, list[MemoEntry]]]:
    return [
        (HEADINGS[kind], [m for m in memos if m.kind is kind])
        for kind in MemoKind
        if any(m.kind is kind for m in memos)
    ]


def _details(memo: MemoEntry) -> list[str]:
    parts = []
    if memo.kind is MemoKind.CODING:
        parts.append(f"{memo.code_path} by {memo.coder or 'unknown coder'}")
    if memo.modified_at is not None:
        parts.append(f"last changed {memo.modified_at.strftime('%Y-%m-%d %H:%M')} UTC")
    return parts


def memos_markdown(memos: Sequence[MemoEntry], title: str = "Memos") -> str:
    """The memos as one Markdown document."""
    lines = [f"# {_md(title)}", ""]
    for heading, items in _sections(memos):
        lines += [f"## {heading}", ""]
        for memo in items:
            lines += [f"### {_md(memo.label)}", ""]
            details = _details(memo)
            if details:
                lines += [f"*{_md('; '.join(details))}*", ""]
            if memo.quote:
                lines += ["> " + _md(line) for line in memo.quote.splitlines()] + [""]
            lines += [_md(line) if line.strip() else "" for line in memo.text.splitlines()]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def memos_html_body(memos: Sequence[MemoEntry]) -> str:
    """The memos as HTML sections (no page around them), for the report and the file."""
    out = []
    for heading, items in _sections(memos):
        out.append(f"<section class='memos'><h2>{escape(heading)}</h2>")
        for memo in items:
            out.append(f"<article class='memo'><h3>{escape(memo.label)}</h3>")
            details = _details(memo)
            if details:
                out.append(f"<p class='meta'>{escape('; '.join(details))}</p>")
            if memo.quote:
                out.append(f"<blockquote>{escape(memo.quote)}</blockquote>")
            for para in re.split(r"\n\s*\n", memo.text.strip()):
                out.append(f"<p style='white-space:pre-wrap'>{escape(para)}</p>")
            out.append("</article>")
        out.append("</section>")
    return "\n".join(out)


def memos_html(memos: Sequence[MemoEntry], title: str = "Memos") -> str:
    """The memos as a self-contained HTML page."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>body{{font:11pt/1.5 Georgia,serif;"
        "max-width:50em;margin:2em auto;padding:0 1em}.meta{color:#555;font-size:9pt}"
        "blockquote{border-left:3px solid #aaa;margin-left:0;padding-left:1em;color:#333}"
        f"</style></head><body><h1>{escape(title)}</h1>\n{memos_html_body(memos)}\n"
        "</body></html>\n"
    )


def write_memos_docx(path: Path, memos: Sequence[MemoEntry], title: str = "Memos") -> None:
    """The memos as a Word document (headings, details in italics, quotes indented)."""
    from docx import Document as WordDocument  # python-docx; loaded only when needed
    from docx.shared import Pt

    from annotator.exchange.xlsx_export import excel_text  # drops XML-illegal characters

    word = WordDocument()
    word.add_heading(excel_text(title), level=0)
    for heading, items in _sections(memos):
        word.add_heading(heading, level=1)
        for memo in items:
            word.add_heading(excel_text(memo.label)[:500], level=2)
            details = _details(memo)
            if details:
                word.add_paragraph().add_run("; ".join(details)).italic = True
            if memo.quote:
                quote = word.add_paragraph(excel_text(memo.quote), style="Quote")
                quote.paragraph_format.left_indent = Pt(18)
            for para in re.split(r"\n\s*\n", memo.text.strip()):
                word.add_paragraph(_xml_safe(para))
    word.save(str(path))


def _xml_safe(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "\ufffd", text)


def write_memos(path: Path, memos: Sequence[MemoEntry], fmt: str, title: str = "Memos") -> None:
    """Write ``memos`` to ``path`` as ``md``, ``docx`` or ``html``."""
    path = Path(path)
    if fmt == "md":
        path.write_text(memos_markdown(memos, title), encoding="utf-8", newline="\n")
    elif fmt == "html":
        path.write_text(memos_html(memos, title), encoding="utf-8", newline="\n")
    elif fmt == "docx":
        write_memos_docx(path, memos, title)
    else:
        raise ValueError(f"unknown memo format {fmt!r}")
