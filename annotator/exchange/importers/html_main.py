"""A web page's main content, and how much of the page it is (issue #13, item 3).

**readability-lxml** (Apache-2.0; a port of Arc90's Readability, the algorithm behind
Firefox's Reader View) picks the article: paragraphs score by their length and commas,
their containers by class and id words, and the best container with its related siblings
is the main content. Its cleaned HTML fragment is then read by the HTML importer's own
structure pass (headings, lists, tables, footnotes), so offsets and blocks come from one
place. On the three saved pages in ``../shared/real-docs`` the import now agrees with
Mozilla Readability's reference extractions at word recall >= 0.99 and precision >= 0.91
(BBC 1.00/0.91, Le Monde 1.00/0.96, New York Times 0.99/0.97; the heuristic alone had
precision 0.83 on the BBC page, whose page-wide wrapper it took).

The page's own markup is trusted where it is clear: readability's element is used when
the older heuristic (``<article>`` / ``<main>`` / content-like ids, in ``html.py``) finds
only ``<body>``, or when readability's element lies inside the heuristic's and the
heuristic's has more than ``NARROWER`` times its text (a page-wide wrapper). Otherwise,
and when readability-lxml fails or keeps less than ``MIN_SHARE_OF_HEURISTIC`` of the
heuristic's text, the heuristic's element is used. The page's own element is imported,
not readability's cleaned copy (:func:`main_element`), so headings, lists, tables and
footnotes are read as the page writes them.

**Low extraction**: when the main content is less than ``LOW_FRACTION`` of the page's
visible text (scripts, styles and hidden elements not counted), the import warns that
the article may be missing and suggests importing the whole page (``--html-whole-page``
on the command line; a choice in the GUI). A news page's article is typically 30-80 % of
its visible text; a teaser left from a page whose article was loaded by script is a few
per cent.
"""

from __future__ import annotations

import logging
import re
from typing import Any

LOW_FRACTION = 0.15
MIN_SHARE_OF_HEURISTIC = 0.25
NARROWER = 1.5
INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "title", "meta", "link")


def visible_chars(element: Any) -> int:
    """Non-blank characters of the text a browser would show inside ``element``."""
    total = 0
    for node in element.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        hidden = (
            tag.lower() in INVISIBLE_TAGS
            or node.get("hidden") is not None
            or "display:none" in (node.get("style") or "").replace(" ", "").lower()
        )
        if node.text and tag and not hidden:
            total += len("".join(node.text.split()))
        if node.tail and _shown(node.getparent()):
            total += len("".join(node.tail.split()))
    return total


def _shown(element: Any) -> bool:
    while element is not None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in INVISIBLE_TAGS or element.get("hidden") is not None:
            return False
        element = element.getparent()
    return True


def readability_root(source: str, parser: Any) -> Any | None:
    """The main content as readability-lxml finds it, parsed with ``parser``; or None."""
    import lxml.html

    try:
        from readability import Document
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    # readability-lxml logs every candidate at INFO and DEBUG: keep our logs readable.
    logging.getLogger("readability.readability").setLevel(logging.WARNING)
    try:
        fragment = Document(source).summary(html_partial=True)
    except Exception:  # any failure of the library falls back to our heuristic
        return None
    if not fragment or not fragment.strip():
        return None
    try:
        document = lxml.html.document_fromstring(fragment, parser=parser)
    except (ValueError, lxml.etree.ParserError, lxml.etree.XMLSyntaxError):
        return None
    body = document.find(".//body")
    return body if body is not None else document


_SCREEN_READER_ONLY = re.compile(
    r"(?:^|\s)(?:off-?screen|sr-only|visually-?hidden|screen-?reader-?(?:text|only)|"
    r"a11y-hidden|hidden-visually)(?:\s|$)",
    re.IGNORECASE,
)


def screen_reader_only(element: Any) -> bool:
    """Text for screen readers only ("Media caption", "Image copyright"), not shown on the
    page: the classes the common CSS frameworks use for it."""
    return bool(_SCREEN_READER_ONLY.search(element.get("class") or ""))


def _norm(text: str) -> str:
    return " ".join(text.split())


def main_element(root: Any, source: str, parser: Any) -> Any | None:
    """The element of ``root`` that holds the main content readability-lxml finds.

    readability-lxml returns a cleaned copy; the importer reads the page's own elements
    (headings, lists, tables, footnotes as written). So the paragraphs of its result
    (40 characters or more) are found in ``root`` and their lowest common ancestor is the
    main content, widened to an ancestor that adds at most a quarter (plus 200
    characters) to its text: the article's own title and standfirst, not the page.
    """
    found = readability_root(source, parser)
    if found is None:
        return None
    wanted = {_norm(p.text_content()) for p in found.iter("p")}
    wanted = {text for text in wanted if len(text) >= 40}
    if not wanted:
        return None
    matches = [p for p in root.iter("p") if _norm(p.text_content()) in wanted]
    if not matches:
        return None
    common = [matches[0], *matches[0].iterancestors()]
    for other in matches[1:]:
        mine = {id(e) for e in (other, *other.iterancestors())}
        common = [e for e in common if id(e) in mine]
    if not common:
        return None
    node = common[0]
    length = _text_chars(node)
    while True:
        parent = node.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag in ("body", "html"):
            break
        wider = _text_chars(parent)
        if wider > 1.25 * length + 200:
            break
        node, length = parent, wider
    return node


def _text_chars(element: Any) -> int:
    return sum(len(t.strip()) for t in element.itertext())


def low_extraction_warning(main_chars: int, page_chars: int) -> str | None:
    """The warning for a main content that is a small part of the page, or None."""
    if page_chars <= 0 or main_chars >= LOW_FRACTION * page_chars:
        return None
    share = 100 * main_chars / page_chars
    return (
        f"only {share:.0f}% of the page's visible text was recognised as its main content; "
        "the article may be missing (loaded by a script, or behind a paywall). Import the "
        "whole page instead (--html-whole-page, or 'Import whole page' in the app) if so"
    )
