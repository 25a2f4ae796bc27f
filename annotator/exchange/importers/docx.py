"""Word import (``.docx``) with python-docx (MIT) for the package, styles and properties.

The zip is checked for bombs *before* python-docx opens it. The body is then walked in
document order (paragraphs, tables, content controls):

* **Headings** come from the paragraph's outline level (direct or through its style chain,
  which also covers localised style names such as "Überschrift 1"), else from a style
  named "Heading N"; "Title" is level 1.
* **List items** are paragraphs with numbering (direct ``numPr`` or from the style). The
  number is recomputed from ``numbering.xml`` (start values, overrides, formats decimal,
  letters, roman; multi-level texts like "%1.%2."); it is the block ``label`` and stays in
  the text ("3. Do X"); bullets get the label "•" and do not enter the text. ``level`` is
  ``ilvl + 1``.
* **Tables** become one line per row, cells joined by " | ", each cell a ``table_cell``.
  A cell merged across columns (``gridSpan``) is followed by empty cells and a cell merged
  down a column (``vMerge``) is empty after its first row, so every row has one cell per
  grid column and the columns line up as in Word.
* **Footnotes and endnotes** referenced in the text get a marker ("[1]"; endnotes "[i]")
  where the reference is, and are appended at the end as ``footnote`` blocks starting
  with the same marker.

Deleted tracked changes and field codes are left out. Core properties give title, author
(creator) and date (created); ``docProps/app.xml``'s Company is the publisher.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
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

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_APP_COMPANY = re.compile(rb"<(?:\w+:)?Company>([^<]*)</(?:\w+:)?Company>")
BULLET = "•"


def _roman(n: int) -> str:
    values = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    values += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for value, letters in values:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (Word repeats the letter)."""
    if n <= 0:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    """A list counter in a Word ``numFmt`` (unknown formats fall back to decimal)."""
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value)
    if fmt == "upperRoman":
        return _roman(value).upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


def _val(element: Any | None, tag: str) -> str | None:
    if element is None:
        return None
    child = element.find(W + tag)
    return None if child is None else child.get(W + "val")


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class _Numbering:
    """Numbering definitions and the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> levels
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # overrides
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_xml(cls, root: Any | None) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iter(W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in node.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                start = _val(lvl, "start")
                levels[ilvl] = _Level(
                    start=int(start) if start and start.lstrip("-").isdigit() else 1,
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                )
            abstract[node.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            num_id = num.get(W + "numId", "")
            numbering.levels[num_id] = abstract.get(_val(num, "abstractNumId") or "", {})
            for override in num.findall(W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start and start.isdigit():
                    ilvl = int(override.get(W + "ilvl", "0"))
                    numbering.starts[(num_id, ilvl)] = int(start)
        return numbering

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """Advance list ``num_id`` at ``ilvl``; return (label, is_bullet) or None."""
        levels = self.levels.get(num_id)
        if not levels:
            return None
        level = levels.get(ilvl, _Level())
        counters = self.counters.setdefault(num_id, [0] * 10)
        ilvl = max(0, min(ilvl, 9))
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0
        if counters[ilvl] == 0:
            counters[ilvl] = self.starts.get((num_id, ilvl), level.start)
        else:
            counters[ilvl] += 1
        if level.fmt == "bullet":
            return BULLET, True
        if level.fmt == "none":
            return None

        def substitute(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            if not 0 <= index <= 9:
                return ""
            other = levels.get(index, _Level())
            value = counters[index] or self.starts.get((num_id, index), other.start)
            return format_number(value, other.fmt)

        label = re.sub(r"%(\d)", substitute, level.text).strip()
        return (label, False) if label else None


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None


def _read_styles(root: Any) -> tuple[dict[str, _Style], str | None]:
    styles: dict[str, _Style] = {}
    default: str | None = None
    for node in root.iter(W + "style"):
        if node.get(W + "type") != "paragraph":
            continue
        style_id = node.get(W + "styleId", "")
        ppr = node.find(W + "pPr")
        outline = _val(ppr, "outlineLvl")
        styles[style_id] = _Style(
            name=_val(node, "name") or style_id,
            based_on=_val(node, "basedOn"),
            outline=int(outline) if outline and outline.isdigit() else None,
            num=_num_pr(ppr),
        )
        if node.get(W + "default") in ("1", "true", "on"):
            default = style_id
    return styles, default


def _num_pr(ppr: Any | None) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num_pr = ppr.find(W + "numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId")
    ilvl = _val(num_pr, "ilvl")
    if num_id is None:
        return None
    return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0


def _t_text(node: Any) -> str:
    """The text of a ``w:t``, including what follows an unexpanded entity reference.

    Entities are never expanded (they could name files), so ``a &x; b`` parses as the text
    ``a ``, an entity node and its tail `` b``; reading only ``node.text`` lost the tail.
    """
    parts = [node.text or ""]
    for child in node:
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    """Walks the body XML and feeds a :class:`TextBuilder`."""

    def __init__(self, styles: dict[str, _Style], default_style: str | None) -> None:
        self.styles = styles
        self.default_style = default_style
        self.numbering = _Numbering()
        self.builder = TextBuilder()
        self.footnote_order: list[tuple[str, str]] = []  # (kind, id) in reference order
        self.footnote_marks: dict[tuple[str, str], str] = {}
        self.list_group = object()

    # -- text of runs -------------------------------------------------------------
    def run_text(self, element: Any) -> str:
        """Visible text of a paragraph (or any element), with note markers."""
        parts: list[str] = []
        for node in element.iter():
            tag = node.tag
            if not isinstance(tag, str):
                continue
            if tag == W + "t":
                if not self._inside(node, ("del", "instrText")):
                    parts.append(_t_text(node))
            elif tag == W + "tab":
                if node.getparent() is not None and node.getparent().tag == W + "r":
                    parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                if node.get(W + "type") != "page":
                    parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":
                char = node.get(W + "char", "")
                if re.fullmatch(r"[0-9A-Fa-f]{4}", char) and int(char, 16) < 0xF000:
                    parts.append(chr(int(char, 16)))
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                parts.append(self._note_mark(kind, node.get(W + "id", "")))
        return "".join(parts)

    @staticmethod
    def _inside(node: Any, tags: tuple[str, ...]) -> bool:
        parent = node.getparent()
        while parent is not None:
            if parent.tag in {W + t for t in tags}:
                return True
            if parent.tag == W + "p":
                return False
            parent = parent.getparent()
        return False

    def _note_mark(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self.footnote_marks:
            count = sum(1 for k, _ in self.footnote_order if k == kind) + 1
            self.footnote_order.append(key)
            self.footnote_marks[key] = str(count) if kind == "footnote" else _roman(count)
        return f"[{self.footnote_marks[key]}]"

    # -- styles --------------------------------------------------------------------
    def _style_chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default_style
        while current and current not in seen and current in self.styles:
            seen.add(current)
            chain.append(self.styles[current])
            current = self.styles[current].based_on
        return chain

    def heading_level(self, ppr: Any | None, chain: list[_Style]) -> int | None:
        """Heading level of a paragraph, or None for body text."""
        direct = _val(ppr, "outlineLvl")
        if direct is not None and direct.isdigit():
            level = int(direct)
            return level + 1 if level < 9 else None
        for style in chain:
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
            match = _HEADING_NAME.match(style.name)
            if match:
                return max(1, int(match.group(1)))
            if style.name.lower() == "title":
                return 1
        return None

    # -- body ----------------------------------------------------------------------
    def walk(self, container: Any) -> None:
        """Walk a body-like container: paragraphs, tables and content controls."""
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif tag in (W + "customXml", W + "ins", W + "smartTag"):
                self.walk(child)

    def paragraph(self, p: Any) -> None:
        """Add one paragraph as a heading, list item or paragraph block."""
        ppr = p.find(W + "pPr")
        text = self.run_text(p)
        if not text.strip():
            return
        chain = self._style_chain(_val(ppr, "pStyle"))
        level = self.heading_level(ppr, chain)
        num = _num_pr(ppr)
        if num is None:
            num = next((s.num for s in chain if s.num is not None), None)
        label: tuple[str, bool] | None = None
        if num is not None and num[0] != "0":
            label = self.numbering.next_label(*num)
        if level is not None:
            shown = f"{label[0]} {text.strip()}" if label and not label[1] else text
            self.builder.add(BlockKind.HEADING, shown, level=level)
        elif label is not None and num is not None:
            mark, is_bullet = label
            shown = text if is_bullet else f"{mark} {text.strip()}"
            self.builder.add(
                BlockKind.LIST_ITEM, shown, level=num[1] + 1, label=mark, group=self.list_group
            )
        else:
            self.builder.add(BlockKind.PARAGRAPH, text)

    def table(self, tbl: Any) -> None:
        """Add a table: one line per row, each cell a block."""
        group = object()
        for row in tbl.findall(W + "tr"):  # nested tables are read as part of their cell
            cells = []
            for cell in row.findall(W + "tc"):
                texts = [self.run_text(p).strip() for p in cell.iter(W + "p")]
                cells.append(" ".join(t for t in texts if t))
                span = _val(cell.find(W + "tcPr"), "gridSpan")
                if span and span.isdigit():
                    # Keep the row's columns under the header's: the text once, then gaps.
                    cells.extend([""] * (min(int(span), 64) - 1))
            self.builder.add_row(cells, group=group)


def _notes(path: Path, root: Any | None, kind: str) -> dict[str, Any]:
    if root is None:
        return {}
    notes: dict[str, Any] = {}
    for note in root.iter(W + kind):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes[note.get(W + "id", "")] = note
    return notes


def _part_xml(path: Path, document: Any, reltype_suffix: str) -> Any | None:
    for rel in document.part.rels.values():
        if rel.reltype.endswith(reltype_suffix) and not rel.is_external:
            return parse_xml(path, rel.target_part.blob, "Word")
    return None


def extract_docx(path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Import a Word document with headings, numbered lists, tables and footnotes."""
    data = read_limited(path, limits.max_docx_bytes, "a Word document")
    archive = open_zip(path, data, limits, "Word")
    with archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise ImportProblem(path, "this is not a Word document (.docx); it may be damaged")
        app_xml = read_member(path, archive, "docProps/app.xml", "Word") or b""
        # Inflate every member once (bounded by the checks above) to find corrupt parts.
        try:
            bad = archive.testzip()
        except (OSError, EOFError, ValueError) as exc:
            raise ImportProblem(path, f"this Word file is damaged or truncated ({exc})") from None
        if bad is not None:
            raise ImportProblem(path, f"this Word file is damaged (part {bad!r} is corrupt)")

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise ImportProblem(path, "this is not a Word document (.docx)") from None
    except (KeyError, ValueError, OSError) as exc:
        raise ImportProblem(path, f"this Word file is damaged ({exc})") from None
    except Exception as exc:
        if type(exc).__name__ == "XMLSyntaxError":
            raise ImportProblem(path, f"this Word file is damaged (bad XML: {exc})") from None
        raise
    if "wordprocessingml.document" not in document.part.content_type:
        raise ImportProblem(path, "this is not a Word text document (.docx)")

    styles, default_style = _read_styles(document.styles.element)
    walker = _Walker(styles, default_style)
    walker.numbering = _Numbering.from_xml(_part_xml(path, document, "/numbering"))
    body = document.element.body
    walker.walk(body)

    footnotes = _notes(path, _part_xml(path, document, "/footnotes"), "footnote")
    endnotes = _notes(path, _part_xml(path, document, "/endnotes"), "endnote")
    note_group = object()
    for kind, note_id in list(walker.footnote_order):
        note = (footnotes if kind == "footnote" else endnotes).get(note_id)
        if note is None:
            continue
        mark = walker.footnote_marks[(kind, note_id)]
        texts = [walker.run_text(p).strip() for p in note.iter(W + "p")]
        content = " ".join(t for t in texts if t)
        if content:
            walker.builder.add(
                BlockKind.FOOTNOTE, f"[{mark}] {content}", label=mark, group=note_group
            )

    text = walker.builder.text()
    if not text.strip():
        raise ImportProblem(path, "this Word document contains no text")
    check_text_length(path, text, limits)
    blocks = tuple(walker.builder.blocks)

    core = document.core_properties
    title = (core.title or "").strip()
    company = _APP_COMPANY.search(app_xml)
    attributes: dict[str, str] = {}
    for key in ("subject", "keywords", "category", "language"):
        value = (getattr(core, key, "") or "").strip()
        if value:
            attributes[key] = value
    date = core.created.date().isoformat() if core.created else None
    if title:
        title = shorten_title(title)
    else:
        title = first_heading_title(text, blocks) or first_line_title(text) or ""
        # The note markers ("[1]") are ours, not the author's: keep them out of the title.
        for mark in walker.footnote_marks.values():
            title = title.replace(f"[{mark}]", "")
    publisher = company.group(1).decode("utf-8", "replace").strip() if company else ""
    metadata = DocumentMetadata(
        title=title or None,
        author=(core.author or "").strip() or None,
        publisher=publisher or None,
        date=date,
        source=str(path),
        attributes=attributes,
    )
    return ExtractedDocument(
        text=text,
        blocks=blocks,
        pages=(),
        metadata=metadata,
        source_format="docx",
        original=data,
        original_name=path.name,
    )
