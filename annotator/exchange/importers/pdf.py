"""PDF import with pypdfium2 (PDFium; Apache-2.0 / BSD-3-Clause).

PDFium gives, per page, the text as line *segments* with their boxes (it already splits a
line where a wide gap separates two columns). On top of that this module does its own,
documented layout work:

1. **Page furniture** (running headers and footers, also alternating or changing with the
   chapter, page numbers, rotated margin lines, line numbers) is found across the whole
   document and removed (:mod:`.pdf_furniture`); a page number becomes the page's
   ``label`` unless the PDF defines page labels.
2. **Reading order** by recursive XY-cut: a page region is split at its widest empty
   vertical or horizontal gap; a vertical gap (a column gutter) must be at least 0.8 times
   the body font size wide (segments are whole runs of a line, so only columns leave such
   gaps; the Federal Register's gutters are 1.1 times its 9 pt body). So a full-width
   title above two columns reads title, left column, right column.
3. **Paragraphs.** Consecutive lines are joined with a space (soft line breaks removed)
   unless the vertical gap is clearly larger than the document's usual gap between lines
   of that size (:func:`_line_gap_limits`), the font size changes, or a line starts with
   a bullet or a number ("3.", "(b)"), which starts a list item (a number at the start of
   a line that continues an unfinished sentence is only where the line wrapped). A
   paragraph that runs on from the bottom of a column or page to the next is joined when
   the first part does not end a sentence and the next starts in lower case, or when the
   page's last line is a full line of a justified column (:func:`_fills_its_line`).
4. **Hyphenation.** A line ending in a hyphen after a letter, followed by a line starting
   in lower case, is joined without the hyphen ("conti-" + "nuation" -> "continuation"),
   unless the document writes the hyphenated form elsewhere ("self-assessment"); a break
   before a capital or digit keeps its hyphen ("QDA-XML") (:mod:`.pdf_hyphens`).
5. **Headings** are short lines set at least 1.2 times the body font size; the largest size
   is level 1 (at most three levels).
6. **Tables** (two or more consecutive lines of at least three short segments) read row by
   row, cells joined by " | ", each cell a ``table_cell`` block (:mod:`.pdf_tables`).
7. **Boxes** (call-outs, pull quotes, sidebars drawn in a frame or on a tint) are read
   on their own and become their own paragraphs where they stand, or, when the text
   before them breaks off mid-sentence, after the paragraph open at the end of their
   page, so they never split a paragraph (:mod:`.pdf_boxes`).
8. **Contents** with dot leaders become a table of entries, title and page
   (:mod:`.pdf_contents`).
9. **Footnotes** at the foot of a page (smaller type below the body text, starting with a
   note mark) leave the text flow and become ``footnote`` blocks "[mark] text" after the
   paragraph open at the end of their page (:mod:`.pdf_notes`).

Pages become :class:`Page` spans that tile the text, so every character has a page.
Refused: files without a PDF header or whose end marker is missing (truncated), files
PDFium cannot open (damaged), password-protected files without their password
(:class:`PasswordRequired`), and PDFs with no text layer or a junk one (:class:`OcrNeeded`:
the caller can offer OCR, :mod:`.pdf_ocr`).
"""

from __future__ import annotations

import re
import threading
from itertools import pairwise
from operator import attrgetter
from pathlib import Path
from typing import Any

from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    ExtractedDocument,
)
from annotator.exchange.importers._common import (
    DEFAULT_LIMITS,
    ImportLimits,
    ImportProblem,
    check_text_length,
    first_heading_title,
    first_line_title,
    read_limited,
    shorten_title,
)
from annotator.exchange.importers.options import (
    DEFAULT_OPTIONS,
    ImportOptions,
    OcrNeeded,
    PasswordRequired,
)
from annotator.exchange.importers.pdf_blocks import Para, assemble, note_paras, pages_of
from annotator.exchange.importers.pdf_boxes import (
    BoxMarker,
    Rect,
    box_rectangles,
    place_box,
    split_boxes,
)
from annotator.exchange.importers.pdf_contents import contents_rows
from annotator.exchange.importers.pdf_furniture import strip_furniture
from annotator.exchange.importers.pdf_hyphens import HyphenBreaks
from annotator.exchange.importers.pdf_junk import junk_score
from annotator.exchange.importers.pdf_notes import PageNote, split_footnotes
from annotator.exchange.importers.pdf_ocr import ocr_pages
from annotator.exchange.importers.pdf_tables import TableRow, find_tables
from annotator.exchange.importers.pdf_text import (
    _join_line_fragments,
    _page_segments,
    _Segment,
    _xy_cut,
)

# PDFium is not thread-safe: one document at a time in this process.
_PDFIUM_LOCK = threading.Lock()

HEADING_RATIO = 1.2
GUTTER_RATIO = 0.8  # segments are whole line runs: only columns leave gaps this wide
BODY_SHARE = 0.15  # a font size with more of the text than this is body text
MAX_HEADING_LINES = 3
MAX_HEADING_CHARS = 250
HYPHENS = ("-", "\u00ad", "\x02", "\ufffe", "\u2010")
BULLETS = "•◦▪▫●○■□‣⁃–—*·➢►"
_ENUMERATOR = re.compile(r"^(\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")
_JUNK_TITLE = re.compile(
    r"^(microsoft word - |\(?untitled\)?$|\(?anonymous\)?$|document\d*$)|\.(docx?|odt|rtf|pdf)$",
    re.IGNORECASE,
)
_JUNK_AUTHORS = frozenset({"", "anonymous", "(anonymous)", "unknown", "user", "author", "admin"})
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?")
_SIZE = attrgetter("size")


def _too_little_text(text: str, needed: int) -> bool:
    """Whether ``text`` has fewer than ``needed`` non-whitespace characters.

    A prefix usually settles it, which spares splitting a book-length text.
    """
    head = text[: 8 * needed]
    if len("".join(head.split())) >= needed:
        return False
    return len("".join(text.split())) < needed


def _heading_levels(
    sizes: list[float], body: float, weights: dict[float, int] | None = None
) -> dict[float, int]:
    """Heading levels (1 = largest) for the font sizes clearly above the body size.

    A size that carries more than ``BODY_SHARE`` of all characters is running text, not
    headings, even when it is larger than the most common size (a report whose code
    listings or tables are set small has its prose in a "larger" size).
    """
    share: dict[int, int] = {}
    for size, chars in (weights or {}).items():
        share[round(size)] = share.get(round(size), 0) + chars
    total = sum(share.values()) or 1
    big = sorted(
        {
            round(s)
            for s in sizes
            if s >= body * HEADING_RATIO and share.get(round(s), 0) <= BODY_SHARE * total
        },
        reverse=True,
    )
    return {size: min(i + 1, 3) for i, size in enumerate(big)}


def _size_weights(pages: list[list[_Segment]]) -> dict[float, int]:
    """Characters per font size (segment height rounded to 0.1 pt), in first-seen order."""
    # Summed per exact size first: a document has a handful of sizes and thousands of
    # segments, so each size is rounded once. Rounding in first-seen order of the exact
    # sizes keeps the rounded sizes in their first-seen order too.
    exact: dict[float, int] = {}
    get = exact.get
    for segs in pages:
        for seg in segs:
            size = seg.size
            exact[size] = get(size, 0) + len(seg.text)
    weights: dict[float, int] = {}
    for size, chars in exact.items():
        key = round(size, 1)
        weights[key] = weights.get(key, 0) + chars
    return weights


def _body_size(pages: list[list[_Segment]], weights: dict[float, int]) -> float:
    """The font size of most characters; a tie goes to the size met first in ``pages``.

    ``weights`` (from :func:`_size_weights`) does not depend on the order of the segments,
    so it is counted once and shared by callers that see the same segments reordered;
    only a tie needs the order, as counting in that order would break it.
    """
    if not weights:
        return 10.0
    most = max(weights.values())
    tied = {size for size, n in weights.items() if n == most}
    if len(tied) > 1:
        for segs in pages:
            for seg in segs:
                if round(seg.size, 1) in tied:
                    return round(seg.size, 1)
    return next(iter(tied))


def _line_gap_limits(ordered_pages: list[list[_Segment]]) -> dict[int, float]:
    """Per font size (rounded), the largest gap between two lines of one paragraph.

    The gap between two lines of a paragraph is the document's usual line gap: the lower
    quartile of the gaps between consecutive lines of that size (most consecutive lines
    belong to one paragraph, and the quartile stays with them even when many paragraphs
    are short). A gap more than 0.3 × the font size above it starts a new paragraph, so
    paragraphs set apart by a little extra space stay apart; the limit never exceeds
    0.9 × the font size, the rule for a size with too few lines to tell.
    """
    samples: dict[int, list[float]] = {}
    # The line gap is a property of the whole document: 60 pages spread over it tell it
    # as well as all of them, at a fraction of the cost for a long report.
    for segs in ordered_pages[:: max(1, len(ordered_pages) // 60)]:
        for prev, seg in pairwise(segs):
            size = seg.size
            if abs(size - prev.size) <= 0.15 * max(size, 1):
                gap = prev.y0 - seg.y1
                if -0.5 * size <= gap <= 1.5 * size:
                    samples.setdefault(round(size), []).append(gap)
    limits: dict[int, float] = {}
    for size, gaps in samples.items():
        if len(gaps) >= 4:
            gaps.sort()
            limits[size] = min(0.9 * size, gaps[len(gaps) // 4] + 0.3 * size)
    return limits


def _fills_its_line(page: list[_Segment], line: _Segment) -> bool:
    """True when ``line`` is a full line of a justified column: a paragraph runs on.

    Only in justified text does a line's length tell: every line but a paragraph's last
    ends at the column's edge. Ragged lines end anywhere, so nothing is concluded there.
    """
    tolerance = 0.5 * line.size
    ends = [s.x1 for s in page if abs(s.x0 - line.x0) < tolerance]
    if len(ends) < 4:
        return False
    edge = max(ends)
    flush = sum(end >= edge - tolerance for end in ends)
    return flush >= 0.6 * len(ends) and line.x1 >= edge - tolerance


def _build_paragraphs(
    ordered_pages: list[list[_Segment]],
    weights: dict[float, int],
    notes: list[list[PageNote]] | None = None,
    asides: list[list[Para]] | None = None,
) -> list[Para]:
    body = _body_size(ordered_pages, weights)
    gap_limits = _line_gap_limits(ordered_pages)
    sizes: set[float] = set()
    for segs in ordered_pages:
        sizes.update(map(_SIZE, segs))
    levels = _heading_levels(list(sizes), body, weights)
    level_of = {size: levels.get(round(size)) for size in sizes}  # each size rounded once
    paras: list[Para] = []
    current: Para | None = None
    parts: list[str] = []  # current.parts
    prev: _Segment | None = None  # the last segment added to ``current``
    last_page = -1  # the page of that segment
    heading = BlockKind.HEADING
    sentence_end = _SENTENCE_END.search
    enumerator = _ENUMERATOR.match
    # Footnotes of the pages read so far, placed once the paragraph open at the end of
    # their page is finished (so that one running on to the next page stays whole).
    pending: list[Para] = []
    breaks = HyphenBreaks()
    # The loop runs once per line of the document: names are bound locally and the
    # costlier tests (regex searches) come last, only where they can change the outcome.
    for page_index, segs in enumerate(ordered_pages):
        if asides and page_index:
            pending.extend(asides[page_index - 1])
        if notes and page_index:
            pending.extend(note_paras(notes[page_index - 1]))
        for seg in segs:
            if type(seg) is BoxMarker:
                if pending:
                    paras.extend(pending)
                    pending = []
                box_paras = seg.paras  # type: ignore[attr-defined]
                if box_paras and page_index != last_page:
                    box_paras[0].page_starts = [(0, page_index)]
                    last_page = page_index
                paras.extend(box_paras)
                current = prev = None  # nothing runs on into or out of a box
                continue
            if type(seg) is TableRow:
                if pending:
                    paras.extend(pending)
                    pending = []
                row = Para(BlockKind.TABLE_CELL, size=seg.size, parts=[seg.text], cells=seg.cells)
                if page_index != last_page:
                    row.page_starts.append((0, page_index))
                    last_page = page_index
                paras.append(row)
                current = prev = None  # nothing runs on from a table row
                continue
            text = seg.text
            size = seg.size
            heading_level = level_of[size] if len(text) < 200 else None
            if heading_level:
                marker = None
            elif len(text) > 1 and text[1] == " " and text[0] in BULLETS:
                marker = text[0]  # a bullet, or else an enumerator ("3.", "(b)") below
            else:
                match = enumerator(text)
                marker = match.group(1) if match else None
                if (
                    marker is not None
                    and current is not None
                    and current.kind is BlockKind.PARAGRAPH
                    and prev is not None
                    and not sentence_end(prev.text)
                ):
                    # "3." or "a." at the start of a line that continues an unfinished
                    # sentence is where the line happened to wrap, not a list item.
                    marker = None
            if current is not None and prev is not None and marker is None:
                current_size = current.size
                if abs(size - current_size) <= 0.15 * max(current_size, 1) and (
                    current.kind is not heading or heading_level is not None
                ):
                    line_gap = prev.y0 - seg.y1  # positive when seg is below prev
                    x0 = seg.x0
                    if (
                        (
                            -0.5 * size <= line_gap <= gap_limits.get(round(size), 0.9 * size)
                            and (abs(x0 - prev.x0) < 3 * size or x0 >= prev.x0)
                            and last_page == page_index
                        )
                        or (
                            # Not a normal next line: it still runs on (across a column or
                            # page break) when the text flows mid-sentence into lower case,
                            text[:1].islower() and not sentence_end(prev.text)
                        )
                        or (
                            # or across a page break when the page's last line is a full
                            # line of a justified column (a paragraph's last line is not).
                            page_index != last_page
                            and current.kind is not heading
                            and _fills_its_line(ordered_pages[last_page], prev)
                        )
                    ):
                        previous_text = parts[-1]  # the previous line
                        if (
                            previous_text.endswith(HYPHENS)
                            and len(previous_text) > 1
                            and previous_text[-2].isalpha()
                            and text[:1].islower()
                        ):
                            parts[-1] = previous_text[:-1]
                            parts.append("")
                            breaks.removed(parts, len(parts) - 1, previous_text[-1])
                        else:
                            parts.append(" ")
                        if page_index != last_page:
                            current.page_starts.append((len(parts), page_index))
                            last_page = page_index
                        parts.append(text)
                        prev = seg
                        continue
            if pending:
                paras.extend(pending)
                pending = []
            if heading_level is not None:
                current = Para(heading, level=heading_level, size=size)
            elif marker is not None:
                label = "•" if marker in BULLETS else marker
                if marker in BULLETS:
                    text = text[1:].lstrip()
                current = Para(BlockKind.LIST_ITEM, level=1, label=label, size=size)
            else:
                current = Para(BlockKind.PARAGRAPH, size=size)
            parts = current.parts
            if page_index != last_page:
                current.page_starts.append((0, page_index))
                last_page = page_index
            parts.append(text)
            prev = seg
            paras.append(current)
    paras.extend(pending)
    if asides:
        paras.extend(asides[-1])
    if notes:
        paras.extend(note_paras(notes[-1]))
    breaks.resolve([para.parts for para in paras])
    for para in paras:
        # Headings are short. A "heading" that runs on is prose set larger than the most
        # common size, which happens when code listings in a small font dominate.
        if para.kind is heading and (
            (len(para.parts) + 1) // 2 > MAX_HEADING_LINES
            or sum(map(len, para.parts[0::2])) > MAX_HEADING_CHARS
        ):
            para.kind, para.level = BlockKind.PARAGRAPH, None
    return paras


def _iso_date(value: str) -> str | None:
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if not 1000 <= int(year) <= 2999:
        return None
    if month and day:
        return f"{year}-{month}-{day}"
    return f"{year}-{month}" if month else year


def _check_envelope(path: Path, data: bytes) -> None:
    if b"%PDF-" not in data[:1024]:
        raise ImportProblem(path, "this is not a PDF file (it has no PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise ImportProblem(
            path,
            "this PDF is truncated or damaged (its end marker is missing); "
            "download or export it again",
        )


def _open_error(path: Path, exc: Exception, password: str | None) -> ImportProblem:
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return PasswordRequired(path, wrong=bool(password))
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return ImportProblem(path, "this PDF uses an unsupported encryption scheme")
    return ImportProblem(path, "this PDF is damaged and cannot be opened")


_NO_TEXT = (
    "this PDF has no text layer (a scan, or pages printed as outlines); it needs OCR before "
    "it can be imported: import it again with OCR (Tesseract)"
)


def _read_layer(
    document: Any,
) -> tuple[list[list[_Segment]], list[float], list[float], list[list[Rect]]]:
    """Every page's text segments, each page's unrotated height and width, and the
    rectangles drawn on it that may frame a box (:mod:`.pdf_boxes`)."""
    raw_pages: list[list[_Segment]] = []
    heights: list[float] = []
    widths: list[float] = []
    boxes: list[list[Rect]] = []
    for index in range(len(document)):
        page = document[index]
        try:
            textpage = page.get_textpage()
            try:
                raw_pages.append(_page_segments(textpage))
            finally:
                textpage.close()
            # Text coordinates are the unrotated page's: a landscape page set as
            # /Rotate 90 still has its header at the portrait top.
            width, height = page.get_width(), page.get_height()
            if page.get_rotation() in (90, 270):
                width, height = height, width
            heights.append(height)
            widths.append(width)
            boxes.append(box_rectangles(page, raw_pages[-1], width, height))
        finally:
            page.close()
    return raw_pages, heights, widths, boxes


def _layout(
    path: Path,
    raw_pages: list[list[_Segment]],
    heights: list[float],
    widths: list[float],
    boxes: list[list[Rect]],
) -> tuple[str, list[Block], list[int | None], list[str | None]]:
    """The text layer laid out: text, blocks, each page's first offset, printed numbers."""
    page_count = len(raw_pages)
    if not any(raw_pages):  # segments are never empty: no segment means no text
        raise OcrNeeded(path, _NO_TEXT)
    kept, printed = strip_furniture(raw_pages, heights, widths)
    weights = _size_weights(kept)
    body = _body_size(kept, weights)

    def order(segs: list[_Segment]) -> list[_Segment]:
        cut = _xy_cut(find_tables(segs, body), GUTTER_RATIO * body)
        return contents_rows(_join_line_fragments(cut, body))

    ordered: list[list[_Segment]] = []
    groups: list[list[tuple[Rect, list[_Segment]]]] = []
    for segs, page_boxes in zip(kept, boxes, strict=True):
        flow, inside = split_boxes(segs, page_boxes)
        ordered.append(order(flow))
        groups.append([(rect, order(group)) for rect, group in inside])
    notes: list[list[PageNote]] = []
    asides: list[list[Para]] = []
    for index, segs in enumerate(ordered):
        ordered[index], page_notes = split_footnotes(segs, body, heights[index])
        notes.append(page_notes)
        page_asides: list[Para] = []
        for rect, group in groups[index]:
            paras = _build_paragraphs([group], weights)
            for para in paras:
                para.page_starts = []  # the page's own lines give its start
            if not place_box(ordered[index], rect, paras, _SENTENCE_END.search):
                page_asides.extend(paras)  # it would split a paragraph: after it
        asides.append(page_asides)
    paras = _build_paragraphs(ordered, weights, notes, asides)
    text, blocks, page_starts = assemble(paras, page_count)
    if _too_little_text(text, max(1, 2 * page_count if page_count >= 3 else 1)):
        raise OcrNeeded(path, _NO_TEXT)
    junk = junk_score(text)
    if junk.is_junk:
        raise OcrNeeded(
            path,
            f"this PDF's text layer is unreadable (junk score {junk.score:.2f}; its fonts "
            "have no usable Unicode map, so the text would be gibberish); import it again "
            "with OCR (Tesseract) to read the pages as images",
            junk_score=junk.score,
        )
    return text, blocks, page_starts, printed


def extract_pdf(
    path: Path, limits: ImportLimits = DEFAULT_LIMITS, options: ImportOptions = DEFAULT_OPTIONS
) -> ExtractedDocument:
    """Import a PDF's text layer in reading order, with pages, headings and list items.

    ``options.password`` opens a PDF with a user password (it is not kept anywhere);
    ``options.ocr`` reads the pages with Tesseract instead (:mod:`.pdf_ocr`). Without it,
    a PDF with no text layer or a junk one (:mod:`.pdf_junk`) raises :class:`OcrNeeded`.
    """
    import pypdfium2 as pdfium

    data = read_limited(path, limits.max_pdf_bytes, "PDF")
    _check_envelope(path, data)
    attributes: dict[str, str] = {}
    with _PDFIUM_LOCK:  # held during OCR too: pages are rendered by PDFium
        try:
            document = pdfium.PdfDocument(data, password=options.password or None)
        except pdfium.PdfiumError as exc:
            raise _open_error(path, exc, options.password) from None
        try:
            page_count = len(document)
            pdf_labels: list[str | None] = []
            for index in range(page_count):
                try:
                    pdf_labels.append(document.get_page_label(index) or None)
                except pdfium.PdfiumError:
                    pdf_labels.append(None)
            info = document.get_metadata_dict(skip_empty=True)
            if page_count == 0:
                raise ImportProblem(path, "this PDF has no pages")
            if options.ocr:
                text, blocks, page_starts, attributes = ocr_pages(path, document, options)
                printed: list[str | None] = [None] * page_count
            else:
                layer = _read_layer(document)
        except pdfium.PdfiumError as exc:
            raise ImportProblem(path, f"this PDF is damaged and cannot be read ({exc})") from None
        finally:
            document.close()

    if not options.ocr:
        text, blocks, page_starts, printed = _layout(path, *layer)
    elif not text.strip():
        raise ImportProblem(path, "OCR found no text on any page of this PDF")
    check_text_length(path, text, limits)
    labels = [pdf_labels[i] or printed[i] for i in range(page_count)]
    pages = pages_of(page_starts, len(text), labels)

    title = info.get("Title", "").strip()
    if not title or _JUNK_TITLE.search(title):
        title = first_heading_title(text, blocks) or first_line_title(text) or ""
    author = info.get("Author", "").strip()
    attributes = {"page_count": str(page_count), **attributes}
    for key in ("Producer", "Creator", "Subject", "Keywords"):
        if info.get(key, "").strip():
            attributes[key.lower()] = info[key].strip()
    metadata = DocumentMetadata(
        title=shorten_title(title) if title else None,
        author=author if author.lower() not in _JUNK_AUTHORS else None,
        date=_iso_date(info.get("CreationDate", "")),
        source=str(path),
        attributes=attributes,
    )
    return ExtractedDocument(
        text=text,
        blocks=tuple(blocks),
        pages=pages,
        metadata=metadata,
        source_format="pdf",
        original=data,
        original_name=path.name,
    )
