"""A PDF read with OCR: each page rendered by PDFium and recognised by Tesseract.

Used when the user asks for OCR (a scan, pages printed as outlines, a junk text layer).
Pages are kept (one :class:`Page` span each, with the PDF's page labels); each paragraph
Tesseract finds is a paragraph block. The document records where its text came from, in
its attributes (shown in its properties and written by every export that writes
attributes): ``text_source`` = ``ocr``, ``ocr_engine``, ``ocr_engine_version``,
``ocr_language``, ``ocr_mean_confidence`` (mean word confidence, 0-100, over all pages)
and ``ocr_dpi``.

Progress is reported after every page and Cancel is polled before each (through
:class:`ImportOptions`); the caller runs this off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.domain.structure import Block, BlockKind
from annotator.exchange.importers._common import ImportProblem
from annotator.exchange.importers.options import Cancelled, ImportOptions
from annotator.exchange.ocr import (
    OcrUnavailable,
    find_engine,
    paragraph_text,
    read_image,
    temporary_folder,
    write_pgm,
)

DPI = 300
MAX_PIXELS_PER_SIDE = 7000  # a poster-sized page is rendered smaller, not at 300 dpi


def ocr_pages(
    path: Path, document: Any, options: ImportOptions
) -> tuple[str, list[Block], list[int | None], dict[str, str]]:
    """Recognise every page of an open pypdfium2 ``document``.

    Returns the text, its paragraph blocks, each page's first offset (None for a page
    without text) and the provenance attributes. Raises :class:`ImportProblem` when
    Tesseract is missing (with how to install it) or fails, :class:`Cancelled` on Cancel.
    """
    try:
        engine = find_engine(options.ocr_language)
    except OcrUnavailable as exc:
        raise ImportProblem(path, str(exc)) from None
    count = len(document)
    parts: list[str] = []
    blocks: list[Block] = []
    starts: list[int | None] = []
    confidences: list[float] = []
    length = 0
    if options.progress is not None:
        options.progress(0, count)
    with temporary_folder() as folder:
        image = Path(folder) / "page.pgm"
        for index in range(count):
            if options.cancelled is not None and options.cancelled():
                raise Cancelled(path)
            _render(document, index, image)
            try:
                page = read_image(engine, image, options.ocr_language)
            except OcrUnavailable as exc:
                raise ImportProblem(path, f"OCR of page {index + 1} failed: {exc}") from None
            confidences.extend(page.confidences)
            starts.append(None)
            for paragraph in page.paragraphs:
                text = paragraph_text(paragraph)
                if not text:
                    continue
                if length:
                    parts.append("\n\n")
                    length += 2
                if starts[-1] is None:
                    starts[-1] = length
                parts.append(text)
                blocks.append(Block(BlockKind.PARAGRAPH, length, length + len(text)))
                length += len(text)
            if options.progress is not None:
                options.progress(index + 1, count)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    provenance = {
        "text_source": "ocr",
        "ocr_engine": engine.name,
        "ocr_engine_version": engine.version,
        "ocr_language": options.ocr_language,
        "ocr_mean_confidence": f"{mean:.1f}",
        "ocr_dpi": str(DPI),
    }
    return "".join(parts), blocks, starts, provenance


def _render(document: Any, index: int, image: Path) -> None:
    """Render page ``index`` grey-scale at ``DPI`` (capped in size) into ``image`` (PGM)."""
    page = document[index]
    try:
        width, height = page.get_width(), page.get_height()
        scale = min(DPI / 72, MAX_PIXELS_PER_SIDE / max(width, height, 1.0))
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
        try:
            write_pgm(
                image,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                bytes(bitmap.buffer),
            )
        finally:
            bitmap.close()
    finally:
        page.close()
