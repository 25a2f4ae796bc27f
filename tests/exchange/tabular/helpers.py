"""Plain objects for exchange tests: documents, codes, coders and codings built by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from annotator.domain.model import Code, Coder, Coding, Document
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, Page
from annotator.domain.text import text_sha256
from annotator.exchange.coded_set import Lookups

WHEN = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)


def document(text: str, blocks=(), pages=(), title: str = "Doc") -> Document:
    return Document(
        id=uuid.uuid4(),
        title=title,
        text=text,
        sha256=text_sha256(text),
        metadata=DocumentMetadata(title=title),
        blocks=tuple(blocks),
        pages=tuple(pages),
    )


def heading(start: int, end: int) -> Block:
    return Block(BlockKind.HEADING, start, end, level=1)


def paragraph(start: int, end: int) -> Block:
    return Block(BlockKind.PARAGRAPH, start, end)


def page(number: int, start: int, end: int, label: str | None = None) -> Page:
    return Page(number, start, end, label)


def code(name: str, parent: Code | None = None, color: str = "#1f77b4", **kw) -> Code:
    return Code(
        id=uuid.uuid4(), name=name, color=color, parent_id=parent.id if parent else None, **kw
    )


def coding(doc: Document, c: Code, coder: Coder, start: int, end: int, memo: str = "") -> Coding:
    return Coding(
        id=uuid.uuid4(),
        document_id=doc.id,
        code_id=c.id,
        coder_id=coder.id,
        start=start,
        end=end,
        quote=doc.text[start:end],
        memo=memo,
        created_at=WHEN,
        modified_at=WHEN,
    )


def lookups(codes: list[Code], coders: list[Coder], project: str = "P") -> Lookups:
    from annotator.domain.codebook import code_path

    by_id = {c.id: c for c in codes}
    return Lookups(
        project_name=project,
        coders={c.id: c for c in coders},
        codes=by_id,
        code_paths={i: code_path(c, by_id) for i, c in by_id.items()},
        versions={},
    )
