"""A printable, self-contained HTML report of coded documents.

Each document is shown line by line (its canonical text split at LF). Coded passages are
highlighted in their codes' colours; where codings overlap, the highlight is striped with
one band per coding and gets a thicker underline, so overlaps stay visible on screen and on
paper. Beside each line a margin lists, once per coding, the code path and coder of every
coding that *starts* on that line, so every coding appears in the margin exactly once.

The file needs nothing else (no scripts, fonts or images), prints with its colours
(``print-color-adjust: exact``), and escapes every piece of text it contains.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from annotator.domain.model import Document
from annotator.exchange.coded_set import CodedSetRow

_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FALLBACK_COLOUR = "#999999"
HIGHLIGHT_ALPHA = 0.35

CSS = """
:root { --margin: 15em; }
* { box-sizing: border-box; }
body { font: 11pt/1.5 Georgia, "Times New Roman", serif; color: #111; margin: 2em auto;
       max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #888; margin-top: 2em; }
.meta, .margin, .legend { font: 9pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #333; }
.line { display: grid; grid-template-columns: 1fr var(--margin); column-gap: 1.2em; }
.line.blank { height: .6em; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.margin { border-left: 1px solid #ccc; padding-left: .5em; }
.margin ul, .legend ul { list-style: none; margin: 0; padding: 0; }
.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em;
          border: 1px solid #0004; vertical-align: baseline; }
.coder { color: #666; }
.memo { display: block; font-style: italic; color: #444; white-space: pre-wrap;
        overflow-wrap: anywhere; }
.uncoded { font-style: italic; color: #555; }
mark.hl { color: inherit; background-color: transparent; border-bottom: 1px solid #0006; }
mark.hl.overlap { border-bottom: 3px double #000a; }
.legend li { display: inline-block; margin-right: 1.2em; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  section.document { break-before: page; }
  section.document:first-of-type { break-before: auto; }
  .line { break-inside: avoid; }
}
"""


def escape(text: str) -> str:
    """``text`` escaped for HTML content or a quoted attribute, control characters replaced."""
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def rgba(colour: str, alpha: float = HIGHLIGHT_ALPHA) -> str:
    """A CSS ``rgba()`` of a ``#rrggbb`` colour; anything else becomes neutral grey.

    Colours reach a ``style`` attribute, so only a strictly valid hex value gets through.
    """
    match = _HEX.match(colour) or _HEX.match(FALLBACK_COLOUR)
    assert match is not None
    r, g, b = (int(part, 16) for part in match.groups())
    return f"rgba({r},{g},{b},{alpha})"


def solid(colour: str) -> str:
    """``colour`` when it is a valid ``#rrggbb``, else the fallback grey."""
    return colour if _HEX.match(colour) else FALLBACK_COLOUR


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A document and the rows of its codings to show (sorted or not)."""

    document: Document
    rows: list[CodedSetRow]


def _stripes(rows: list[CodedSetRow], colours: Mapping[str, str]) -> str:
    """A background of one horizontal band per active coding."""
    if len(rows) == 1:
        return f"background-color:{rgba(colours.get(rows[0].code_id, ''))}"
    step = 100 / len(rows)
    bands = ",".join(
        f"{rgba(colours.get(r.code_id, ''))} {i * step:.2f}% {(i + 1) * step:.2f}%"
        for i, r in enumerate(rows)
    )
    return f"background-image:linear-gradient(to bottom,{bands})"


def _mark(text: str, active: list[CodedSetRow], colours: Mapping[str, str]) -> str:
    if not active:
        return escape(text)
    ordered = sorted(active, key=lambda r: (r.start, -r.end, r.code_path, r.coding_id))
    ids = " ".join(r.coding_id for r in ordered)
    title = "; ".join(
        f"{r.code_path} ({r.coder})" + (f": {r.memo}" if r.memo else "") for r in ordered
    )
    cls = "hl overlap" if len(ordered) > 1 else "hl"
    return (
        f'<mark class="{cls}" data-codings="{escape(ids)}" title="{escape(title)}" '
        f'style="{_stripes(ordered, colours)}">{escape(text)}</mark>'
    )


def _breakable(path: str) -> str:
    """An escaped code path that may wrap after each ``/`` in a narrow margin."""
    return "/<wbr>".join(escape(part) for part in path.split("/"))


def _field_list(row: CodedSetRow) -> str:
    """The coding's field values under its code in the margin (suggestions marked)."""
    items = []
    for name, value in row.field_values:
        if value is None or value == []:
            continue
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        mark = " (suggested)" if name in row.suggested_fields else ""
        label = name.split(".", 1)[-1]
        items.append(f"<br><small>{escape(label)}: {escape(shown)}{mark}</small>")
    return "".join(items)


def _margin(starting: list[CodedSetRow], colours: Mapping[str, str]) -> str:
    if not starting:
        return '<aside class="margin"></aside>'
    items = "".join(
        f'<li class="margin-code" data-coding="{escape(r.coding_id)}">'
        f'<span class="swatch" style="background-color:{solid(colours.get(r.code_id, ""))}">'
        f'</span>{_breakable(r.code_path)} <span class="coder">({escape(r.coder)})</span>'
        + (f'<span class="memo">Memo: {escape(r.memo)}</span>' if r.memo else "")
        + f"{_field_list(r)}"
        + (f' <span class="links">links: {escape(r.links)}</span>' if r.links else "")
        + "</li>"
        for r in starting
    )
    return f'<aside class="margin"><ul>{items}</ul></aside>'


def _document_lines(item: ReportDocument, colours: Mapping[str, str]) -> Iterable[str]:
    """The HTML of each line of the document, highlights and margin included.

    A sweep over every boundary (coding starts and ends, line breaks) gives segments with a
    constant set of active codings, so the work grows with text length plus codings.
    """
    text = item.document.text
    rows = [r for r in item.rows if 0 <= r.start < r.end <= len(text)]
    starts: dict[int, list[CodedSetRow]] = {}
    ends: dict[int, list[CodedSetRow]] = {}
    points = {0, len(text)}
    for r in rows:
        starts.setdefault(r.start, []).append(r)
        ends.setdefault(r.end, []).append(r)
        points.update((r.start, r.end))
    pos = text.find("\n")
    while pos >= 0:
        points.update((pos, pos + 1))
        pos = text.find("\n", pos + 1)
    active: dict[str, CodedSetRow] = {}
    parts: list[str] = []
    starting: list[CodedSetRow] = []
    ordered = sorted(points)
    for a, b in pairwise(ordered):
        for r in ends.get(a, ()):
            active.pop(r.coding_id, None)
        for r in starts.get(a, ()):
            active[r.coding_id] = r
            starting.append(r)
        segment = text[a:b]
        if segment == "\n":
            yield _line(parts, starting, colours)
            parts, starting = [], []
        else:
            parts.append(_mark(segment, list(active.values()), colours))
    yield _line(parts, starting, colours)


def _line(parts: list[str], starting: list[CodedSetRow], colours: Mapping[str, str]) -> str:
    body = "".join(parts)
    if not body.strip() and not starting:
        return '<div class="line blank"></div>'
    return (
        f'<div class="line"><div class="text" dir="auto">{body}</div>'
        f"{_margin(starting, colours)}</div>"
    )


def _legend(rows: list[CodedSetRow], colours: Mapping[str, str]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        counts[(r.code_path, r.code_id)] = counts.get((r.code_path, r.code_id), 0) + 1
    items = "".join(
        f'<li><span class="swatch" style="background-color:{solid(colours.get(code_id, ""))}">'
        f"</span>{escape(path)} ({n})</li>"
        for (path, code_id), n in sorted(counts.items())
    )
    return f'<div class="legend"><ul>{items}</ul></div>'


def write_document_section(
    out: TextIO, item: ReportDocument, colours: Mapping[str, str], uncoded_text: bool = False
) -> None:
    """Write the section of one document (an uncoded one's text only with ``uncoded_text``)."""
    doc = item.document
    coders = sorted({r.coder for r in item.rows})
    out.write(f'<section class="document" id="doc-{escape(str(doc.id))}">\n')
    out.write(f'<h2 dir="auto">{escape(doc.title)}</h2>\n')
    out.write(
        f'<p class="meta">{len(item.rows)} codings by {len(coders)} coders'
        f"{': ' + escape(', '.join(coders)) if coders else ''}. "
        f"Document {escape(str(doc.id))}, SHA-256 {escape(doc.sha256[:16])}…</p>\n"
    )
    out.write(_legend(item.rows, colours) + "\n")
    if not item.rows and not uncoded_text:
        # A report of codings: pages of uncoded text would bury them (an export option).
        out.write(
            '<p class="uncoded">No codings in this selection; the text is left out.</p>\n'
            "</section>\n"
        )
        return
    for line in _document_lines(item, colours):
        out.write(line)
        out.write("\n")
    out.write("</section>\n")


def write_html_report(
    path: Path,
    title: str,
    documents: Iterable[ReportDocument],
    colours: Mapping[str, str],
    subtitle: str = "",
    uncoded_text: bool = False,
    preamble: str = "",
) -> int:
    """Write the report to ``path``; return the number of codings shown.

    Each coding's memo is printed under its code in the margin. The text of a document
    without codings is printed only with ``uncoded_text``.

    ``colours`` maps code UUID strings to ``#rrggbb``. Documents are written one at a time,
    so only one document's codings need to be in memory. ``preamble`` is HTML made by this
    package (charts as inline SVG, memos; every text in it already escaped), written
    before the documents.
    """
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<!DOCTYPE html>\n<html lang="und">\n<head>\n<meta charset="utf-8">\n')
        out.write(f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        out.write(f"<header><h1>{escape(title)}</h1>")
        if subtitle:
            out.write(f'<p class="meta">{escape(subtitle)}</p>')
        out.write("</header>\n")
        if preamble:
            out.write(preamble + "\n")
        for item in documents:
            write_document_section(out, item, colours, uncoded_text)
            count += len(item.rows)
        out.write("</body>\n</html>\n")
    return count
