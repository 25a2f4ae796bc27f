"""Shared checks for the importer tests."""

from __future__ import annotations

from annotator.domain.structure import ExtractedDocument


def assert_well_formed(doc: ExtractedDocument) -> None:
    """Blocks and pages index the canonical text exactly and are in order."""
    text = doc.text
    assert text, "no text"
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    previous_end = 0
    for block in doc.blocks:
        assert 0 <= block.start < block.end <= len(text), block
        assert block.start >= previous_end, f"blocks overlap or are out of order: {block}"
        piece = text[block.start : block.end]
        assert piece == piece.strip(), f"block has surrounding whitespace: {piece!r}"
        previous_end = block.end
    previous_page_end = 0
    for page in doc.pages:
        assert page.start == previous_page_end, "pages must tile the text"
        assert page.start <= page.end <= len(text)
        previous_page_end = page.end
    if doc.pages:
        assert doc.pages[-1].end == len(text)
        assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))


def block_texts(doc: ExtractedDocument, kind: str | None = None) -> list[str]:
    """The text of each block (of one kind, if given)."""
    return [doc.text[b.start : b.end] for b in doc.blocks if kind is None or b.kind == kind]
