"""The codebook as a document for coder training: HTML (printable) and Word (DOCX).

Both show the tree in display order with every field of every code, under headings whose
level follows the code's depth, and up to N real passages coded with each code in the
project, so new coders see the rule and its application side by side. Empty fields are
shown as a dash rather than left out, so a trainer can see what is still undefined.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.domain.fields import FieldDef
from annotator.domain.model import Code
from annotator.exchange.html_report import escape, solid

EXAMPLE_LIMIT = 600
"""Characters of an example quote shown before it is shortened with an ellipsis."""

FIELDS: tuple[tuple[str, str], ...] = (
    ("definition", "Definition"),
    ("inclusion", "Include when"),
    ("exclusion", "Exclude when"),
    ("example_typical", "Typical example"),
    ("example_atypical", "Borderline example"),
    ("memo", "Memo"),
)
"""Text fields of a code with their printed labels, in printed order."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Example:
    """A coded passage shown under its code."""

    quote: str
    document_title: str
    coder: str


@dataclass(frozen=True, slots=True)
class PrintableCode:
    """A code with its path, depth (0 = top level), coding count and examples."""

    code: Code
    path: str
    depth: int
    count: int = 0
    examples: tuple[Example, ...] = ()
    fields: tuple[FieldDef, ...] = ()  # issue 10: what each coding of the code records


def field_lines(entry: PrintableCode) -> list[tuple[str, list[str]]]:
    """Per field: a heading ("Strength — ordinal scale, required: ...") and choice lines."""
    out = []
    for f in entry.fields:
        head = f"{f.name} — {f.kind.label}{', required' if f.required else ''}"
        if f.definition:
            head += f": {f.definition}"
        choices = [
            f"{c.key + ' ' if c.key else ''}{c.label}{': ' + c.definition if c.definition else ''}"
            for c in f.choices
        ]
        out.append((head, choices))
    return out


def shorten(text: str, limit: int = EXAMPLE_LIMIT) -> str:
    """``text`` with white space runs collapsed, cut at a word boundary near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip() + " …"


def _facts(entry: PrintableCode) -> str:
    code = entry.code
    parts = [f"kind: {code.kind}"]
    parts.append("codable" if code.codable else "folder (not codable)")
    if code.shortcut:
        parts.append(f"shortcut: {code.shortcut}")
    parts.append(f"{entry.count} coding{'s' * (entry.count != 1)} in the project")
    return " · ".join(parts)


CSS = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; max-width: 48em; margin: 2em auto;
       padding: 0 1em; color: #111; }
.code { margin: 0 0 1.2em 0; break-inside: avoid-page; }
.code h2, .code h3, .code h4, .code h5, .code h6 { margin: 1.2em 0 .2em; }
.path, .facts { font: 9pt "Helvetica Neue", Arial, sans-serif; color: #555; margin: 0; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .35em;
          border: 1px solid #0005; }
dl { margin: .5em 0; display: grid; grid-template-columns: 10em 1fr; gap: .25em 1em; }
dt { font: bold 9.5pt/1.6 "Helvetica Neue", Arial, sans-serif; }
dd { margin: 0; white-space: pre-wrap; }
dd.empty { color: #999; }
blockquote { margin: .4em 0 .4em 1.2em; padding-left: .8em; border-left: 3px solid #bbb;
             font-style: italic; }
blockquote cite { display: block; font: normal 9pt Arial, sans-serif; color: #555; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; } }
"""


def _html_code(entry: PrintableCode) -> str:
    code = entry.code
    level = min(entry.depth + 2, 6)
    fields = "".join(
        f"<dt>{label}</dt>"
        + (
            f'<dd dir="auto">{escape(value)}</dd>'
            if (value := getattr(code, name)).strip()
            else '<dd class="empty">—</dd>'
        )
        for name, label in FIELDS
    )
    examples = "".join(
        f'<blockquote dir="auto">{escape(shorten(e.quote))}'
        f"<cite>{escape(e.document_title)} ({escape(e.coder)})</cite></blockquote>"
        for e in entry.examples
    )
    if examples:
        examples = f'<p class="facts">Coded in the project:</p>{examples}'
    fields_html = "".join(
        f'<p class="field" dir="auto"><b>Field {escape(head)}</b></p>'
        + ("<ol>" + "".join(f'<li dir="auto">{escape(c)}</li>' for c in choices) + "</ol>"
           if choices else "")
        for head, choices in field_lines(entry)
    )  # fmt: skip
    examples = fields_html + examples
    return (
        f'<section class="code" id="code-{escape(str(code.id))}">'
        f'<h{level} dir="auto"><span class="swatch" '
        f'style="background-color:{solid(code.color)}"></span>{escape(code.name)}</h{level}>'
        f'<p class="path">{escape(entry.path)}</p><p class="facts">{escape(_facts(entry))}</p>'
        f"<dl>{fields}</dl>{examples}</section>\n"
    )


def write_codebook_html(path: Path, title: str, entries: Sequence[PrintableCode]) -> int:
    """Write the printable codebook as one self-contained HTML file; return the code count."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<!DOCTYPE html>\n<html lang="und">\n<head>\n<meta charset="utf-8">\n')
        out.write(f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        out.write(f"<h1>{escape(title)}</h1>\n")
        out.write(f'<p class="facts">{len(entries)} codes</p>\n')
        for entry in entries:
            out.write(_html_code(entry))
        out.write("</body>\n</html>\n")
    return len(entries)


def _clean(text: str) -> str:
    """Text Word can hold: XML 1.0 forbids most control characters."""
    return _CONTROL.sub("\ufffd", text)


def write_codebook_docx(path: Path, title: str, entries: Sequence[PrintableCode]) -> int:
    """Write the codebook as a Word document; return the code count.

    Headings follow depth (Heading 1 for top-level codes, at most Heading 9); fields are
    paragraphs starting with a bold label; examples use the built-in Quote style.
    """
    from docx import Document as WordDocument  # only needed for this format

    doc = WordDocument()
    doc.core_properties.title = _clean(title)[:255]
    doc.add_heading(_clean(title), level=0)
    doc.add_paragraph(f"{len(entries)} codes")
    for entry in entries:
        code = entry.code
        doc.add_heading(_clean(code.name), level=min(entry.depth + 1, 9))
        meta = doc.add_paragraph()
        meta.add_run(_clean(entry.path)).italic = True
        meta.add_run(f"\n{_clean(_facts(entry))} · colour {code.color}")
        for name, label in FIELDS:
            para = doc.add_paragraph()
            para.add_run(f"{label}: ").bold = True
            para.add_run(_clean(getattr(code, name)).strip() or "—")
        for head, choices in field_lines(entry):
            para = doc.add_paragraph()
            para.add_run(f"Field {_clean(head)}").bold = True
            for choice in choices:
                doc.add_paragraph(_clean(choice), style="List Number")
        for example in entry.examples:
            quote = doc.add_paragraph(_clean(shorten(example.quote)), style="Quote")
            cite = quote.add_run(f"\n— {_clean(example.document_title)} ({_clean(example.coder)})")
            cite.italic = False
    doc.save(str(path))
    return len(entries)
