"""Full-text search over every document, keyword-in-context lines, and auto-coding.

The search itself is always a scan of document texts with the compiled query
(``domain/text_search.py``), so hits carry exact code point offsets. A :class:`TextIndex`
only narrows which documents are scanned: on SQLite the FTS5 index of migration 0007
(kept current by triggers on insert and delete), elsewhere (PostgreSQL, or a read-only
file older than 0007) :class:`ScanAll`, which scans every document in scope and is
correct everywhere. A PostgreSQL ``tsvector`` index can be one more :class:`TextIndex`.
Documents are scanned in list order and hits are yielded as found, so the first page of
results shows before the last document is read.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id, utcnow
from annotator.domain.sentences import sentence_spans
from annotator.domain.spanset import unit_index
from annotator.domain.structure import paragraph_blocks
from annotator.domain.text_search import (
    PLAIN,
    Kwic,
    Matcher,
    SearchOptions,
    fts5_expression,
    kwic,
)
from annotator.services.analysis_scope import (
    NO_FILTERS,
    AnalysisFilters,
    DocumentInScope,
    resolve_scope,
)
from annotator.services.codings import CodingService
from annotator.services.documents import read_structure
from annotator.storage.database import Database
from annotator.storage.models import CodeRow, CodingRow, DocumentRow


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One hit: where it is and its keyword-in-context line."""

    document_id: uuid.UUID
    document_title: str
    start: int
    end: int
    line: Kwic


class Unit(StrEnum):
    """What auto-coding codes around each hit."""

    MATCH = "match"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


class TextIndex(Protocol):
    """Narrows a search to the documents that may hold a hit."""

    def candidates(self, s: Session, query: str, options: SearchOptions) -> set[uuid.UUID] | None:
        """A superset of the documents with a hit, or None for "every document"."""


class ScanAll:
    """No index: every document is scanned (correct on any backend)."""

    def candidates(self, s: Session, query: str, options: SearchOptions) -> None:
        """Every document."""
        return None


class Fts5Index:
    """SQLite FTS5 (migration 0007): documents holding every word of some alternative."""

    def candidates(self, s: Session, query: str, options: SearchOptions) -> set[uuid.UUID] | None:
        """The documents the index says may match (None for a regular expression)."""
        if options.regex:
            return None
        expression = fts5_expression(query)
        if expression is None:
            return None
        rows = s.execute(
            text(
                "SELECT m.document_id FROM document_fts JOIN document_fts_map m"
                " ON m.rowid = document_fts.rowid WHERE document_fts MATCH :q"
            ),
            {"q": expression},
        )
        return {uuid.UUID(str(r[0])) for r in rows}


def text_index(s: Session) -> TextIndex:
    """The best index this database has."""
    bind = s.get_bind()
    if bind.dialect.name == "sqlite" and inspect(s.connection()).has_table("document_fts"):
        return Fts5Index()
    return ScanAll()


def _units(s: Session, doc_id: uuid.UUID, body: str, unit: Unit) -> list[tuple[int, int]]:
    blocks, _ = read_structure(s, doc_id)
    if unit is Unit.SENTENCE:
        return sentence_spans(body, blocks)
    return sorted({(b.start, b.end) for b in (blocks or paragraph_blocks(body)) if b.end > b.start})


class SearchService:
    """Text search over one project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def hits(
        self,
        query: str,
        options: SearchOptions = PLAIN,
        filters: AnalysisFilters = NO_FILTERS,
        *,
        width: int = 60,
        limit: int | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[SearchHit]:
        """Hits in document order, then text order; stops after ``limit`` hits."""
        matcher = Matcher(query, options)
        count = 0
        for doc, body in self._texts(query, options, filters, cancelled):
            for start, end in matcher.spans(body):
                yield SearchHit(doc.id, doc.title, start, end, kwic(body, start, end, width))
                count += 1
                if limit is not None and count >= limit:
                    return

    def _texts(
        self,
        query: str,
        options: SearchOptions,
        filters: AnalysisFilters,
        cancelled: Callable[[], bool],
    ) -> Iterator[tuple[DocumentInScope, str]]:
        with self._db.reader() as s:
            scope = resolve_scope(s, filters)
            wanted = text_index(s).candidates(s, query, options)
            for doc in scope.documents:
                if cancelled():
                    return
                if wanted is not None and doc.id not in wanted:
                    continue
                body = s.scalar(select(DocumentRow.text).where(DocumentRow.id == doc.id))
                yield doc, body or ""

    def counts(
        self,
        query: str,
        options: SearchOptions = PLAIN,
        filters: AnalysisFilters = NO_FILTERS,
    ) -> dict[uuid.UUID, int]:
        """Hits per document (documents without a hit are left out)."""
        matcher = Matcher(query, options)
        out: dict[uuid.UUID, int] = {}
        for doc, body in self._texts(query, options, filters, lambda: False):
            n = sum(1 for _ in matcher.spans(body))
            if n:
                out[doc.id] = n
        return out

    def autocode_preview(
        self,
        query: str,
        options: SearchOptions,
        unit: Unit,
        code_id: uuid.UUID,
        coder_id: uuid.UUID,
        filters: AnalysisFilters = NO_FILTERS,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[Coding]:
        """The codings auto-coding would make (nothing is stored): one per hit's match,
        sentence or paragraph, each span once, leaving out spans the coder already coded
        with this code. A hit outside every sentence or paragraph is coded as the match."""
        matcher = Matcher(query, options)
        made: list[Coding] = []
        with self._db.reader() as s:
            code = s.get(CodeRow, code_id)
            if code is None or not code.codable:
                raise ValidationError("Choose a code (not a folder) to auto-code with.")
        for doc, body in self._texts(query, options, filters, cancelled):
            with self._db.reader() as s:
                units = [] if unit is Unit.MATCH else _units(s, doc.id, body, unit)
                existing = {
                    (start, end)
                    for start, end in s.execute(
                        select(CodingRow.start, CodingRow.end).where(
                            CodingRow.document_id == doc.id,
                            CodingRow.code_id == code_id,
                            CodingRow.coder_id == coder_id,
                        )
                    )
                }
            starts = [u[0] for u in units]
            for start, end in matcher.spans(body):
                span = (start, end)
                k = unit_index(starts, start)
                if k >= 0 and units[k][0] <= start < units[k][1]:
                    span = (units[k][0], max(units[k][1], end))
                if span in existing:
                    continue
                existing.add(span)
                now = utcnow()
                made.append(
                    Coding(new_id(), doc.id, code_id, coder_id, span[0], span[1],
                           body[span[0] : span[1]], "", now, now)
                )  # fmt: skip
        return made

    def autocode(self, codings: Sequence[Coding]) -> list[Coding]:
        """Store previewed codings in one transaction (undo: remove them by id)."""
        return CodingService(self._db).add_many(codings)


def sort_kwic(hits: list[SearchHit], by: str) -> list[SearchHit]:
    """Hits sorted by ``"left"`` context (nearest word first), ``"hit"`` or ``"right"``."""
    if by == "left":
        return sorted(
            hits, key=lambda h: [w.casefold() for w in re.findall(r"\w+", h.line.left)][::-1]
        )
    if by == "right":
        return sorted(hits, key=lambda h: h.line.right.casefold())
    return sorted(hits, key=lambda h: h.line.hit.casefold())
