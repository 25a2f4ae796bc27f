"""OpenDocument text import (``.odt``) with lxml directly on ``content.xml``/``meta.xml``.

The zip is checked for bombs before anything is inflated, and the XML is parsed with a
parser that resolves no entities and loads nothing from the network. Mapping:

* ``text:h`` -> ``heading`` (level from ``text:outline-level``, default 1); a heading
  numbered by the document's outline style ("2.3 Scope") keeps its number in the text,
  recomputed like a list number (``text:is-list-header`` headings are not numbered,
  ``text:restart-numbering``/``text:start-value`` restart), or taken from a cached
  ``text:number`` when the file has one;
* ``text:list`` items -> ``list_item`` with ``level`` = nesting depth; numbers are
  recomputed from the list style (``style:num-format`` 1/a/A/i/I, prefix, suffix,
  ``text:start-value``, ``text:display-levels``, ``text:continue-numbering``) and stay in
  the text ("3. Do X"); bullets get the label "•" and do not enter the text;
* ``table:table`` -> one line per row, cells joined by " | ", each cell a ``table_cell``;
* ``text:note`` (footnotes and endnotes) -> a "[1]" marker in the text and a ``footnote``
  block at the end;
* ``text:p`` and everything else with text -> ``paragraph``.

White space in the XML text collapses as ODF specifies; ``text:s``, ``text:tab`` and
``text:line-break`` are kept. Drawings and text boxes (``draw:``) and comments are not
imported.

Metadata from ``meta.xml``: ``dc:title``, ``dc:creator`` (or the initial creator) and the
creation date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from annotator.domain.structure import BlockKind, DocumentMetadata, ExtractedDocument
from annotator.exchange.importers._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportProblem,
    TextBuilder,
    check_text_length,
    first_heading_title,
    first_line_title,
    open_zip,
    parse_xml,
    read_limited,
    read_member,
    shorten_title,
)
from annotator.exchange.importers.docx import BULLET, format_number

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

_WHITESPACE = re.compile(r"[ \t\r\n]+")  # ODF collapses these in text (text:s, text:tab do not)
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman"}
_FORMATS["I"] = "upperRoman"


class _LevelStyle:
    """How one level of a list style is numbered."""

    def __init__(self, node: Any) -> None:
        self.bullet = node.tag == TEXT + "list-level-style-bullet"
        self.fmt = node.get(STYLE + "num-format", "")
        self.prefix = node.get(STYLE + "num-prefix", "")
        self.suffix = node.get(STYLE + "num-suffix", "")
        start = node.get(TEXT + "start-value", "1")
        self.start = int(start) if start.isdigit() else 1
        shown = node.get(TEXT + "display-levels", "1")
        self.display = int(shown) if shown.isdigit() else 1


def _outline_style(*roots: Any) -> dict[int, _LevelStyle]:
    """The levels of the document's outline (heading) numbering; empty when there is none."""
    for root in roots:
        if root is None:
            continue
        node = next(root.iter(TEXT + "outline-style"), None)
        if node is not None:
            levels: dict[int, _LevelStyle] = {}
            for child in node:
                level = child.get(TEXT + "level")
                if child.tag == TEXT + "outline-level-style" and level and level.isdigit():
                    levels[int(level)] = _LevelStyle(child)
            return levels
    return {}


def _list_styles(*roots: Any) -> dict[str, dict[int, _LevelStyle]]:
    styles: dict[str, dict[int, _LevelStyle]] = {}
    for root in roots:
        if root is None:
            continue
        for node in root.iter(TEXT + "list-style"):
            levels: dict[int, _LevelStyle] = {}
            for child in node:
                level = child.get(TEXT + "level")
                if level and level.isdigit():
                    levels[int(level)] = _LevelStyle(child)
            styles[node.get(STYLE + "name", "")] = levels
    return styles


class _Walker:
    def __init__(
        self,
        list_styles: dict[str, dict[int, _LevelStyle]],
        outline: dict[int, _LevelStyle] | None = None,
    ) -> None:
        self.list_styles = list_styles
        self.outline = outline or {}
        self.outline_counters = [0] * 11
        self.builder = TextBuilder()
        self.notes: list[tuple[str, Any]] = []  # (mark, note-body) in order
        self.last_counters: dict[str, list[int]] = {}

    def inline(self, element: Any, *, skip_notes: bool = False) -> str:
        """Text of a paragraph-like element: spaces, tabs and line breaks resolved."""
        parts: list[str] = []

        def visit(node: Any) -> None:
            if node.text:
                parts.append(_WHITESPACE.sub(" ", node.text))
            for child in node:
                tag = child.tag
                if tag == TEXT + "s":
                    count = child.get(TEXT + "c", "1")
                    parts.append(" " * (int(count) if count.isdigit() else 1))
                elif tag == TEXT + "tab":
                    parts.append("\t")
                elif tag == TEXT + "line-break":
                    parts.append("\n")
                elif tag == TEXT + "note":
                    if not skip_notes:
                        parts.append(self._note(child))
                elif tag in (
                    TEXT + "soft-page-break",
                    TEXT + "number",
                    OFFICE + "annotation",
                    OFFICE + "annotation-end",
                ):
                    # No text of the document itself: comments are not imported, and a
                    # text:number is a cached rendering of the label we add ourselves.
                    pass
                elif isinstance(tag, str) and not tag.startswith(DRAW):
                    visit(child)
                if child.tail:
                    parts.append(_WHITESPACE.sub(" ", child.tail))

        visit(element)
        return "".join(parts)

    def _note(self, note: Any) -> str:
        mark = str(len(self.notes) + 1)
        body = note.find(TEXT + "note-body")
        if body is not None:
            self.notes.append((mark, body))
        return f"[{mark}]"

    def walk(self, container: Any, depth: int = 0) -> None:
        """Walk block-level children: headings, paragraphs, lists, tables, sections."""
        for child in container:
            tag = child.tag
            if tag == TEXT + "h":
                self.heading(child)
            elif tag == TEXT + "p":
                self.builder.add(BlockKind.PARAGRAPH, self.inline(child))
            elif tag == TEXT + "list":
                self.list(child, child.get(TEXT + "style-name", ""), 1, None, object())
            elif tag == TABLE + "table":
                self.table(child)
            elif tag in (TEXT + "section", TEXT + "index-body", OFFICE + "text"):
                self.walk(child, depth)
            elif tag in (TEXT + "table-of-content", TEXT + "alphabetical-index"):
                body = child.find(TEXT + "index-body")
                if body is not None:
                    self.walk(body, depth)

    def heading(self, node: Any) -> None:
        """Add a heading, with its outline number in front when the document numbers it."""
        raw_level = node.get(TEXT + "outline-level", "1")
        level = int(raw_level) if raw_level.isdigit() and int(raw_level) > 0 else 1
        # Counted even when empty: an empty numbered heading still takes its number.
        label = self._outline_label(node, min(level, 10))
        content = self.inline(node).strip()
        if not content:
            return
        shown = f"{label} {content}" if label else content
        self.builder.add(BlockKind.HEADING, shown, level=level)

    def _outline_label(self, node: Any, level: int) -> str | None:
        label: str | None = None
        if node.get(TEXT + "is-list-header") != "true" and self.outline:
            counters = self.outline_counters
            if node.get(TEXT + "restart-numbering") == "true":
                counters[level] = 0  # _advance then starts again (at text:start-value if given)
            computed, numbered = self._advance(
                node, self.outline.get(level), self.outline, level, counters
            )
            label = computed if numbered else None  # bullets do not enter a heading's text
        cached = node.find(TEXT + "number")
        if cached is not None and (cached.text or "").strip():
            # The producer rendered the number itself: trust it over our recomputation
            # (the counters above still advance, so the next heading is numbered right).
            label = " ".join((cached.text or "").split())
        return label

    def list(
        self,
        node: Any,
        style_name: str,
        depth: int,
        counters: list[int] | None,
        group: object,
    ) -> None:
        """Add a (possibly nested) list; numbering follows the list style."""
        style_name = node.get(TEXT + "style-name", style_name)
        if counters is None:
            continue_numbering = node.get(TEXT + "continue-numbering") == "true" or (
                node.get(TEXT + "continue-list") is not None
            )
            counters = (
                self.last_counters.get(style_name, [0] * 11) if continue_numbering else [0] * 11
            )
            self.last_counters[style_name] = counters
        levels = self.list_styles.get(style_name, {})
        level_style = levels.get(depth)
        for item in node:
            if item.tag not in (TEXT + "list-item", TEXT + "list-header"):
                continue
            label: str | None = None
            numbered = False
            if item.tag == TEXT + "list-item":
                label, numbered = self._advance(item, level_style, levels, depth, counters)
            first = True
            for child in item:
                if child.tag in (TEXT + "p", TEXT + "h"):
                    content = self.inline(child)
                    if first and content.strip():
                        shown = f"{label} {content.strip()}" if numbered else content
                        self.builder.add(
                            BlockKind.LIST_ITEM, shown, level=depth, label=label, group=group
                        )
                        first = False
                    else:
                        self.builder.add(BlockKind.PARAGRAPH, content)
                elif child.tag == TEXT + "list":
                    self.list(child, style_name, depth + 1, counters, group)
                elif child.tag == TABLE + "table":
                    self.table(child)

    @staticmethod
    def _advance(
        item: Any,
        style: _LevelStyle | None,
        levels: dict[int, _LevelStyle],
        depth: int,
        counters: list[int],
    ) -> tuple[str | None, bool]:
        index = min(depth, 10)
        for deeper in range(index + 1, 11):
            counters[deeper] = 0
        start = item.get(TEXT + "start-value")
        if start and start.isdigit():
            counters[index] = int(start)
        elif counters[index] == 0:
            counters[index] = style.start if style else 1
        else:
            counters[index] += 1
        if style is None or style.bullet:
            return BULLET, False
        fmt = _FORMATS.get(style.fmt)
        if fmt is None:
            return None, False
        numbers = []
        for level in range(max(1, index - style.display + 1), index + 1):
            other = levels.get(level)
            value = counters[level] or (other.start if other else 1)
            other_fmt = _FORMATS.get(other.fmt, "decimal") if other else "decimal"
            numbers.append(format_number(value, other_fmt))
        label = f"{style.prefix}{'.'.join(numbers)}{style.suffix}".strip()
        return (label, True) if label else (None, False)

    def table(self, table: Any) -> None:
        """Add a table, one line per row (header rows and row groups included)."""
        group = object()
        for row in table.iter(TABLE + "table-row"):
            if next(row.iterancestors(TABLE + "table")) is not table:
                continue  # a nested table's row; its text is part of the outer cell
            cells = []
            for cell in row:
                if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                    continue
                texts = [self.inline(p).strip() for p in cell.iter(TEXT + "p", TEXT + "h")]
                cells.append(" ".join(t for t in texts if t))
            self.builder.add_row(cells, group=group)


def _meta_text(root: Any | None, *tags: str) -> str | None:
    if root is None:
        return None
    for tag in tags:
        node = next(root.iter(tag), None)
        if node is not None and (node.text or "").strip():
            return " ".join((node.text or "").split())
    return None


def extract_odt(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Import an OpenDocument text file with headings, lists, tables and notes."""
    data = read_limited(path, limits.max_odt_bytes, "an OpenDocument text")
    archive = open_zip(path, data, limits, "OpenDocument")
    with archive:
        mimetype = (read_member(path, archive, "mimetype", "OpenDocument") or b"").strip()
        if mimetype and mimetype != b"application/vnd.oasis.opendocument.text":
            raise ImportProblem(
                path,
                f"this is not an OpenDocument text ({mimetype.decode('ascii', 'replace')})",
            )
        content = read_member(path, archive, "content.xml", "OpenDocument")
        if content is None:
            raise ImportProblem(path, "this is not an OpenDocument text (no content.xml)")
        styles_xml = read_member(path, archive, "styles.xml", "OpenDocument")
        meta_xml = read_member(path, archive, "meta.xml", "OpenDocument")

    root = parse_xml(path, content, "OpenDocument")
    styles_root = parse_xml(path, styles_xml, "OpenDocument") if styles_xml else None
    meta_root = parse_xml(path, meta_xml, "OpenDocument") if meta_xml else None
    body = next(root.iter(OFFICE + "text"), None)  # type: ignore[attr-defined]
    if body is None:
        raise ImportProblem(path, "this OpenDocument file has no text body")
    walker = _Walker(_list_styles(root, styles_root), _outline_style(styles_root, root))
    walker.walk(body)
    note_group = object()
    for mark, note_body in walker.notes:
        texts = [walker.inline(p, skip_notes=True).strip() for p in note_body.iter(TEXT + "p")]
        content_text = " ".join(t for t in texts if t)
        if content_text:
            walker.builder.add(
                BlockKind.FOOTNOTE, f"[{mark}] {content_text}", label=mark, group=note_group
            )

    text = walker.builder.text()
    if not text.strip():
        raise ImportProblem(path, "this OpenDocument file contains no text")
    check_text_length(path, text, limits)
    blocks = tuple(walker.builder.blocks)
    title = _meta_text(meta_root, DC + "title")
    date = _meta_text(meta_root, META + "creation-date", DC + "date")
    metadata = DocumentMetadata(
        title=shorten_title(title)
        if title
        else first_heading_title(text, blocks) or first_line_title(text),
        author=_meta_text(meta_root, DC + "creator", META + "initial-creator"),
        date=date[:10] if date else None,
        source=str(path),
        attributes={},
    )
    return ExtractedDocument(
        text=text,
        blocks=blocks,
        pages=(),
        metadata=metadata,
        source_format="odt",
        original=data,
        original_name=path.name,
    )
