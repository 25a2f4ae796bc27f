"""HTML import (``.html``, ``.htm``) with lxml: the article's text, not the page around it.

The approach, in order:

1. **Decoding**: a byte-order mark, else a ``<meta charset>`` / ``http-equiv`` declaration
   in the first 4 KiB, else strict UTF-8, else Windows-1252 (the HTML default).
2. **Parsing** with lxml's HTML parser with network access off; comments and processing
   instructions are dropped; nothing is fetched, no entity is resolved beyond HTML's own.
3. **Main content** by readability-lxml (:mod:`.html_main`); as a fallback, the
   ``<article>`` with the most text, else ``<main>`` / ``role="main"``, else the element
   whose id or class says ``content``, ``article``, ``post``, ``entry`` or ``story`` with
   the most text, else ``<body>``. Whole-page import takes ``<body>`` instead.
4. **Noise removal** inside it: scripts, styles, forms, embedded media, ``<nav>``,
   ``<aside>``, ``<footer>``, page-level ``<header>``, hidden elements, ARIA navigation /
   banner / dialog roles, and elements whose id or class has a word such as ``cookie``,
   ``consent``, ``banner``, ``nav``, ``menu``, ``sidebar``, ``footer``, ``share``,
   ``newsletter``, ``related``, ``comments``, ``ad``; and in-page links whose whole text
   is a symbol (the "¶" permalinks of Sphinx and MkDocs, "#" anchors, "↩" back-links).
5. **Structure**: ``h1``-``h6`` -> headings; ``li`` -> list items (numbers from ``start``,
   ``value`` and ``type`` kept in the text, bullets as label "•"); tables -> one line per
   row, cells joined by " | "; other blocks -> paragraphs. White space collapses as a
   browser would, except in ``<pre>``; ``<br>`` is a line break.
6. **Footnotes**: a footnote area (``role="doc-footnote"``/``doc-endnotes``, or an
   ``aside``/``div``/``section``/``ol``/``dl``/``table`` whose class says ``footnote(s)``
   or ``endnote(s)``, as Sphinx/docutils, pandoc and Python-Markdown write them) is kept
   although it may be an ``<aside>``: each note becomes a ``footnote`` block "[1] text"
   labelled with its number, where the page has it.

Metadata: title from ``og:title``, else ``<title>`` (without a trailing " | Site name",
and without any site-name part when the rest equals the page's first heading), else the
first heading; author, publisher (``og:site_name``) and date from the usual meta tags or
``<time datetime>``.
"""

from __future__ import annotations

import codecs
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
    read_limited,
    shorten_title,
)
from annotator.exchange.importers.docx import BULLET, format_number
from annotator.exchange.importers.html_main import (
    MIN_SHARE_OF_HEURISTIC,
    NARROWER,
    low_extraction_warning,
    main_element,
    screen_reader_only,
    visible_chars,
)
from annotator.exchange.importers.options import DEFAULT_OPTIONS, ImportOptions

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_WS = re.compile(r"[ \t\r\n\f]+")
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")

DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "video", "audio", "map", "form", "button", "input", "select", "textarea", "label", "nav",
        "aside", "footer", "dialog", "menu"
    }
)  # fmt: skip
NOISE_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog",
        "menu"
    }
)  # fmt: skip
NOISE_WORDS = frozenset(
    {
        "cookie", "cookies", "consent", "gdpr", "banner", "newsletter", "subscribe", "subscription",
        "share", "sharing", "social", "breadcrumb", "breadcrumbs", "sidebar", "menu", "nav",
        "navbar", "navigation", "footer", "advert", "adverts", "advertisement", "ad", "ads",
        "promo", "related", "comments", "comment", "popup", "modal", "skip", "toolbar", "masthead",
        "signup", "paywall"
    }
)  # fmt: skip
CONTENT_WORDS = frozenset({"content", "article", "post", "entry", "story", "main"})
BLOCK_TAGS = frozenset(
    {
        "address", "article", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul", "caption"
    }
)  # fmt: skip
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
# Whole text of an in-page link that is an icon, not words: permalinks and back-links.
SYMBOL_LINKS = frozenset({"", "¶", "§", "#", "🔗", "⚓", "↩", "↑", "^", "⇧", "⤴"})
FOOTNOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "doc-endnotes", "doc-footnotes"})
# Whole-page import keeps navigation and asides, but not what a browser does not show.
WHOLE_PAGE_DROP = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
FOOTNOTE_WORDS = frozenset({"footnote", "footnotes", "endnote", "endnotes"})
# Only containers: inline references ("footnote-reference", "footnote-ref") share the words.
FOOTNOTE_TAGS = frozenset({"aside", "div", "section", "ol", "ul", "dl", "table", "li"})
SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
            name = "cp1252"  # as browsers do
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _tokens(element: Any) -> set[str]:
    words = f"{element.get('id', '')} {element.get('class', '')}".lower()
    return {t for t in _TOKEN_SPLIT.split(words) if t}


def _text_length(element: Any) -> int:
    return sum(len(t.strip()) for t in element.itertext())


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _main_root(root: Any) -> Any:
    body = root.find(".//body")
    if body is None:
        body = root
    articles = [e for e in body.iter("article")]
    if articles:
        return max(articles, key=_text_length)
    mains = [e for e in body.iter("main")] + body.xpath(".//*[@role='main']")
    if mains:
        return max(mains, key=_text_length)
    candidates = [e for e in body.iter() if _tag(e) in BLOCK_TAGS and _tokens(e) & CONTENT_WORDS]
    if candidates:
        best = max(candidates, key=_text_length)
        if _text_length(best) >= 0.3 * _text_length(body):
            return best
    return body


def _is_footnote(element: Any) -> bool:
    """True for a footnote area or one footnote (not for an inline reference to one)."""
    if _tag(element) not in FOOTNOTE_TAGS:
        return False
    if (element.get("role") or "").lower() in FOOTNOTE_ROLES:
        return True
    classes = {t for t in _TOKEN_SPLIT.split((element.get("class") or "").lower()) if t}
    return bool(classes & FOOTNOTE_WORDS)


def _is_symbol_link(element: Any) -> bool:
    """An in-page link whose text is only an icon (a "¶" permalink, a "↩" back-link)."""
    if _tag(element) != "a" or not (element.get("href") or "").startswith("#"):
        return False
    if any(_tag(child) == "img" and child.get("alt") for child in element.iter()):
        return False
    # U+FE0E/U+FE0F only choose text or emoji rendering ("↩︎").
    shown = element.text_content().replace("\ufe0e", "").replace("\ufe0f", "")
    return shown.strip() in SYMBOL_LINKS


def _is_noise(element: Any, root: Any) -> bool:
    tag = _tag(element)
    if element is root or tag in ("html", "body", "main", "article"):
        return False
    if _is_footnote(element):
        return False  # kept although footnotes often sit in an <aside>
    if _is_symbol_link(element) or screen_reader_only(element):
        return True
    if tag in DROP_TAGS:
        return True
    if tag == "header" and not any(_tag(a) == "article" for a in element.iterancestors()):
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    if (element.get("role") or "").lower() in NOISE_ROLES:
        return True
    return bool(_tokens(element) & NOISE_WORDS)


def _drop(element: Any) -> None:
    """Remove ``element`` from its tree, keeping its tail text (which is its parent's)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _remove_noise(root: Any) -> None:
    doomed = [e for e in root.iter() if isinstance(e.tag, str) and _is_noise(e, root)]
    for element in doomed:
        _drop(element)


def _note_label(text: str) -> str:
    """A footnote label as printed ("[1]", "1.", "(a)") without its brackets."""
    return text.strip().strip("[]().:").strip()


class _Walker:
    def __init__(self) -> None:
        self.builder = TextBuilder()

    def inline(self, element: Any, *, skip: frozenset[str] = frozenset()) -> str:
        """Inline text of ``element`` with browser-like white space; blocks add spaces."""
        parts: list[str] = []

        def visit(node: Any, pre: bool) -> None:
            if node.text:
                parts.append(node.text if pre else _WS.sub(" ", node.text))
            for child in node:
                tag = _tag(child)
                if tag == "br":
                    parts.append("\n")
                elif tag in skip:
                    pass
                elif tag:
                    block = tag in BLOCK_TAGS
                    if block:
                        parts.append(" ")
                    if tag == "img":
                        parts.append(child.get("alt") or "")
                    visit(child, pre or tag == "pre")
                    if block:
                        parts.append(" ")
                if child.tail:
                    parts.append(child.tail if pre else _WS.sub(" ", child.tail))

        visit(element, _tag(element) == "pre")
        text = "".join(parts)
        # tidy spaces around the line breaks produced by <br>
        return "\n".join(" ".join(line.split()) for line in text.split("\n"))

    def walk(self, element: Any, list_depth: int = 0) -> None:
        """Walk block-level content, collecting loose inline runs into paragraphs."""
        pending: list[Any] = []  # inline nodes or text waiting to become a paragraph
        if element.text and element.text.strip():
            pending.append(element.text)
        for child in element:
            tag = _tag(child)
            if (tag in BLOCK_TAGS and tag != "br") or _is_footnote(child):
                self._flush(pending)
                pending = []
                self.block(child, tag, list_depth)
            elif tag:
                pending.append(child)
            if child.tail and child.tail.strip():
                pending.append(child.tail)
        self._flush(pending)

    def _flush(self, pending: list[Any]) -> None:
        if not pending:
            return
        parts: list[str] = []
        for item in pending:
            if isinstance(item, str):
                parts.append(_WS.sub(" ", item))
            else:
                parts.append(self.inline(item))
        self.builder.add(BlockKind.PARAGRAPH, "".join(parts))

    def block(self, element: Any, tag: str, list_depth: int) -> None:
        """Add one block element."""
        if _is_footnote(element):
            self.footnotes(element, object())
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.builder.add(BlockKind.HEADING, self.inline(element), level=int(tag[1]))
        elif tag in ("p", "pre", "dt", "dd", "figcaption", "caption", "summary", "address"):
            if any(_tag(c) in BLOCK_TAGS - {"p"} for c in element.iter() if c is not element):
                self.walk(element, list_depth)
            else:
                self.builder.add(BlockKind.PARAGRAPH, self.inline(element))
        elif tag in ("ul", "ol"):
            self.list(element, tag == "ol", list_depth + 1, object())
        elif tag == "li":  # a stray <li> outside a list
            self.builder.add(BlockKind.LIST_ITEM, self.inline(element), level=1, label=BULLET)
        elif tag == "table":
            self.table(element)
        elif tag == "hr":
            return
        else:
            self.walk(element, list_depth)

    def list(self, element: Any, ordered: bool, depth: int, group: object) -> None:
        """Add list items; nested lists follow their parent item with ``depth + 1``."""
        start = element.get("start", "1")
        number = int(start) - 1 if start.lstrip("-").isdigit() else 0
        fmt = _OL_TYPES.get(element.get("type", ""), "decimal")
        nested_tags = frozenset({"ul", "ol", "table"})
        for item in element:
            tag = _tag(item)
            if tag in ("ul", "ol"):
                self.list(item, tag == "ol", depth + 1, group)
                continue
            if tag != "li":
                continue
            value = item.get("value", "")
            number = int(value) if value.lstrip("-").isdigit() else number + 1
            content = self.inline(item, skip=nested_tags)
            if ordered:
                label = f"{format_number(number, fmt)}."
                shown = f"{label} {content.strip()}"
            else:
                label, shown = BULLET, content
            if content.strip():
                self.builder.add(BlockKind.LIST_ITEM, shown, level=depth, label=label, group=group)
            for child in item.iter():
                child_tag = _tag(child)
                if child is item or child_tag not in nested_tags:
                    continue
                if any(_tag(a) in nested_tags for a in self._ancestors_until(child, item)):
                    continue
                if child_tag == "table":
                    self.table(child)
                else:
                    self.list(child, child_tag == "ol", depth + 1, group)

    def footnotes(self, element: Any, group: object) -> None:
        """Add a footnote area (a list of notes, or one note) as ``footnote`` blocks."""
        tag = _tag(element)
        if tag in ("ol", "ul"):  # pandoc, Python-Markdown: <li id="fn1">
            start = element.get("start", "1")
            number = int(start) - 1 if start.isdigit() else 0
            for item in element:
                if _tag(item) == "li":
                    value = item.get("value", "")
                    number = int(value) if value.isdigit() else number + 1
                    self.footnote(item, str(number) if tag == "ol" else None, group)
        elif tag == "dl":  # docutils before 0.18: <dt class="label">1</dt><dd>text</dd>
            label: str | None = None
            for child in element:
                if _tag(child) == "dt":
                    label = _note_label(self.inline(child))
                elif _tag(child) == "dd":
                    self.footnote(child, label or None, group)
                    label = None
        elif tag == "table":  # older docutils: <td class="label">[1]</td><td>text</td>
            for row in element.iter("tr"):
                cells = [c for c in row if _tag(c) in ("td", "th")]
                if len(cells) >= 2:
                    self.footnote(cells[-1], _note_label(self.inline(cells[0])) or None, group)
                elif cells:
                    self.footnote(cells[0], None, group)
        elif any(_is_footnote(c) or _tag(c) in ("ol", "dl") for c in element):
            for child in element:  # an area: notes, and maybe a rule or a "Notes" heading
                child_tag = _tag(child)
                if _is_footnote(child) or child_tag in ("ol", "dl"):
                    self.footnotes(child, group)
                elif child_tag in BLOCK_TAGS and child_tag != "hr":
                    self.block(child, child_tag, 0)
        else:  # one note; docutils 0.18+ marks its number with class "label"
            marker = next((e for e in element.iterdescendants() if "label" in _tokens(e)), None)
            label = None
            if marker is not None:
                label = _note_label(marker.text_content()) or None
                _drop(marker)
            self.footnote(element, label, group)

    def footnote(self, element: Any, label: str | None, group: object) -> None:
        """Add one note: "[label] text", labelled like a Word footnote."""
        content = " ".join(self.inline(element).split())
        if content:
            shown = f"[{label}] {content}" if label else content
            self.builder.add(BlockKind.FOOTNOTE, shown, label=label, group=group)

    @staticmethod
    def _ancestors_until(element: Any, stop: Any) -> list[Any]:
        found = []
        for ancestor in element.iterancestors():
            if ancestor is stop:
                break
            found.append(ancestor)
        return found

    def table(self, table: Any) -> None:
        """Add a table: one line per row of this table (nested tables flattened)."""
        group = object()
        caption = table.find("caption")
        if caption is not None:
            self.builder.add(BlockKind.PARAGRAPH, self.inline(caption))
        for row in table.iter("tr"):
            if next(row.iterancestors("table")) is not table:
                continue
            cells = [self.inline(c) for c in row if _tag(c) in ("td", "th")]
            self.builder.add_row(cells, group=group)


def _meta(root: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = " ".join((meta.get("content") or "").split())
        if key and value and key not in found:
            found[key] = value
    return found


def _first(values: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


MAX_HTML_DEPTH = 250


def tree_depth(root: Any) -> int:
    """The deepest nesting of elements under ``root`` (one linear walk, no recursion)."""
    from lxml import etree

    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _choose_main(root: Any, source: str, parser: Any, whole_page: bool) -> Any:
    """The element to import: the whole body, or the main content (:mod:`.html_main`)."""
    if whole_page:
        body = root.find(".//body")
        main = body if body is not None else root
        for element in [e for e in main.iter() if _tag(e) in WHOLE_PAGE_DROP]:
            _drop(element)
        return main
    found = main_element(root, source, parser)
    heuristic = _main_root(root)
    chosen = heuristic
    if found is not None and _text_length(found) >= MIN_SHARE_OF_HEURISTIC * _text_length(
        heuristic
    ):
        inside = any(e is heuristic for e in (found, *found.iterancestors()))
        if _tag(heuristic) in ("body", "html") or (
            inside and _text_length(heuristic) > NARROWER * _text_length(found)
        ):
            chosen = found
    _remove_noise(chosen)
    return chosen


def extract_html(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS, options: ImportOptions = DEFAULT_OPTIONS
) -> ExtractedDocument:
    """Import the main article of an HTML page with headings, lists and tables.

    ``options.html_whole_page`` imports the whole page's visible text instead; a main
    content that is a small part of the page comes with a warning (:mod:`.html_main`).
    """
    import lxml.html
    from lxml import etree

    data = read_limited(path, limits.max_html_bytes, "HTML")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportProblem(path, "this does not look like an HTML file (it contains binary data)")
    source = _XML_DECL.sub("", _decode(data), count=1)
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ImportProblem(path, f"this HTML file cannot be read ({exc})") from None
    if tree_depth(root) >= MAX_HTML_DEPTH:
        # libxml2 silently drops everything below about 255 levels (and all that follows).
        raise ImportProblem(
            path,
            f"this HTML page is nested too deeply (more than {MAX_HTML_DEPTH} levels of "
            "elements); it cannot be read without losing text",
        )

    values = _meta(root)
    title_node = root.find(".//title")
    page_title = " ".join(title_node.text_content().split()) if title_node is not None else ""
    time_node = next(iter(root.xpath(".//time[@datetime]")), None)

    page_chars = visible_chars(root)
    main = _choose_main(root, source, parser, options.html_whole_page)
    walker = _Walker()
    walker.walk(main)
    text = walker.builder.text()
    if not text.strip():
        raise ImportProblem(path, "this HTML page contains no readable text")
    check_text_length(path, text, limits)
    blocks = tuple(walker.builder.blocks)

    title = _first(values, "og:title", "dc.title", "twitter:title") or page_title
    publisher = _first(values, "og:site_name", "publisher", "dc.publisher")
    if title and publisher:
        for separator in SEPARATORS:
            if title.endswith(separator + publisher):
                title = title[: -len(separator + publisher)]
    heading = first_heading_title(text, blocks)
    if title and heading:
        # "Page — Site documentation": the part that is the page's own heading is its title.
        for separator in SEPARATORS:
            if title.startswith(heading + separator) or title.endswith(separator + heading):
                title = heading
                break
    date = _first(
        values,
        "article:published_time",
        "datepublished",
        "dc.date",
        "dc.date.issued",
        "date",
        "pubdate",
    )
    if not date and time_node is not None:
        date = time_node.get("datetime")
    lang = root.get("lang")
    metadata = DocumentMetadata(
        title=shorten_title(title) if title else heading or first_line_title(text),
        author=_first(values, "author", "article:author", "dc.creator", "citation_author"),
        publisher=publisher,
        date=date.strip()[:10] if date else None,
        source=_first(values, "og:url") or str(path),
        attributes={"language": lang} if lang else {},
    )
    warning = None if options.html_whole_page else low_extraction_warning(len(text), page_chars)
    return ExtractedDocument(
        text=text,
        blocks=blocks,
        pages=(),
        metadata=metadata,
        source_format="html",
        original=data,
        original_name=path.name,
        warnings=(warning,) if warning else (),
    )
