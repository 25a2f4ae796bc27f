"""Retrieve coded passages across documents with a query (``domain/retrieval.py``).

Two steps, so a large result shows its first page at once: :meth:`RetrievalService.run`
reads only the codings of the codes the query names (no document text) and evaluates the
query per document into passages (:class:`PassageRef`: document, span, the codings behind
it); :meth:`RetrievalService.passages` then reads the texts and structure of just the
passages asked for (a page, or all of them for an export) and adds the passage text, its
sentence or paragraph as context, page, section, codes, coders and memos.
"""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from annotator.domain.codebook_paths import code_paths
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id, utcnow
from annotator.domain.passage_context import DocumentPlaces
from annotator.domain.retrieval import (
    CodeRef,
    DocumentScope,
    Node,
    can_match_uncoded,
    code_refs,
    evaluate,
    needs_units,
    parse_query,
    positive_refs,
)
from annotator.domain.sentences import sentence_spans
from annotator.domain.spanset import SpanSet
from annotator.domain.structure import Block, paragraph_blocks
from annotator.services.analysis_scope import (
    NO_FILTERS,
    AnalysisFilters,
    code_tree,
    resolve_code_refs,
    resolve_scope,
)
from annotator.services.codings import CodingService
from annotator.services.documents import read_structure
from annotator.storage.database import Database
from annotator.storage.models import CodeRow, CodingRow, DocumentGroupRow, DocumentRow


class Context(StrEnum):
    """How much text around a passage a result shows."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True, slots=True)
class CodingInfo:
    """A coding behind a passage."""

    id: uuid.UUID
    code_id: uuid.UUID
    coder_id: uuid.UUID
    start: int
    end: int
    memo: str


@dataclass(frozen=True, slots=True)
class PassageRef:
    """A retrieved passage before its text is read."""

    document_id: uuid.UUID
    start: int
    end: int
    codings: tuple[CodingInfo, ...]


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved passage, ready to show or export."""

    document_id: uuid.UUID
    document_title: str
    start: int
    end: int
    text: str
    context_before: str
    context_after: str
    page: str | None
    section: str | None
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    memos: tuple[str, ...]
    coding_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class RetrievalResult:
    """The passages of one query, in document order."""

    query: Node
    refs: list[PassageRef]
    titles: dict[uuid.UUID, str]
    code_paths: dict[uuid.UUID, str]
    coder_names: dict[uuid.UUID, str]

    def counts(self) -> dict[uuid.UUID, int]:
        """Passages per document (documents without any are left out)."""
        out: dict[uuid.UUID, int] = {}
        for ref in self.refs:
            out[ref.document_id] = out.get(ref.document_id, 0) + 1
        return out


def _units(text: str, blocks: Sequence[Block]) -> tuple[list, list]:
    paragraphs = sorted(
        {(b.start, b.end) for b in (blocks or paragraph_blocks(text)) if b.end > b.start}
    )
    return sentence_spans(text, blocks), paragraphs


def _attach(runs: SpanSet, codings: list[CodingInfo]) -> list[tuple[tuple[int, int], list]]:
    """Each run with the codings (sorted by start) that overlap it."""
    ends = [e for _, e in runs.runs]
    attached: list[list[CodingInfo]] = [[] for _ in runs.runs]
    for c in codings:
        k = bisect_right(ends, c.start)
        while k < len(ends) and runs.runs[k][0] < c.end:
            attached[k].append(c)
            k += 1
    return list(zip(runs.runs, attached, strict=True))


class RetrievalService:
    """Queries over the codings of one project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def run(
        self,
        query: str | Node,
        filters: AnalysisFilters = NO_FILTERS,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> RetrievalResult:
        """Evaluate ``query`` over every document in scope; raises ValidationError."""
        node = parse_query(query) if isinstance(query, str) else query
        with self._db.reader() as s:
            scope = resolve_scope(s, filters)
            refs = code_refs(node)
            ids = resolve_code_refs(s, refs)
            shown = {cid for ref in positive_refs(node) for cid in ids[ref]}
            codings = self._codings(s, set().union(*ids.values()), scope)
            uncoded_too = can_match_uncoded(node)
            units_needed = needs_units(node)
            out: list[PassageRef] = []
            for doc in scope.documents:
                if cancelled():
                    break
                mine = codings.get(doc.id, [])
                if not mine and not uncoded_too:
                    continue
                by_code: dict[uuid.UUID, list[tuple[int, int]]] = {}
                for c in mine:
                    by_code.setdefault(c.code_id, []).append((c.start, c.end))
                spans: dict[CodeRef, SpanSet] = {}

                def spans_of(ref: CodeRef, spans: dict = spans, by_code: dict = by_code) -> SpanSet:
                    if ref not in spans:
                        spans[ref] = SpanSet.of(
                            span for cid in ids[ref] for span in by_code.get(cid, ())
                        )
                    return spans[ref]

                units: dict[str, list] = {}

                def unit(kind: int, doc_id: uuid.UUID = doc.id, units: dict = units) -> list:
                    if "u" not in units:
                        text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == doc_id))
                        blocks, _ = read_structure(s, doc_id)
                        units["u"] = _units(text or "", blocks)
                    return units["u"][kind]

                scope_doc = DocumentScope(
                    doc.length,
                    spans_of,
                    (lambda u=unit: u(0)) if units_needed else list,
                    (lambda u=unit: u(1)) if units_needed else list,
                )
                result = evaluate(node, scope_doc)
                behind = [c for c in mine if c.code_id in shown]
                for (start, end), attached in _attach(result, behind):
                    out.append(PassageRef(doc.id, start, end, tuple(attached)))
            paths = code_paths(code_tree(s))
        titles = {d.id: d.title for d in scope.documents}
        return RetrievalResult(node, out, titles, paths, scope.coder_names)

    @staticmethod
    def _codings(s: Session, code_ids: set[uuid.UUID], scope) -> dict[uuid.UUID, list]:
        """The codings of ``code_ids`` in scope, per document, sorted by start."""
        if not code_ids:
            return {}
        c = CodingRow
        raw = [type_coerce(col, String) for col in (c.id, c.document_id, c.code_id, c.coder_id)]
        stmt = select(*raw, c.start, c.end, c.memo).where(c.code_id.in_(list(code_ids)))
        if scope.coder_ids is not None:
            stmt = stmt.where(c.coder_id.in_(list(scope.coder_ids)))
        if scope.version_id is not None:
            stmt = stmt.where(c.codebook_version_id == scope.version_id)
        uuids: dict[str, uuid.UUID] = {}

        def as_id(raw_value: object) -> uuid.UUID:
            key = str(raw_value)
            if key not in uuids:
                uuids[key] = uuid.UUID(key)
            return uuids[key]

        out: dict[uuid.UUID, list[CodingInfo]] = {}
        for id_, doc, code, coder, start, end, memo in s.connection().execute(
            stmt.order_by(c.document_id, c.start, c.end)
        ):
            out.setdefault(as_id(doc), []).append(
                CodingInfo(uuid.UUID(str(id_)), as_id(code), as_id(coder), start, end, memo or "")
            )
        return out

    def passages(
        self,
        result: RetrievalResult,
        refs: Sequence[PassageRef],
        context: Context = Context.SENTENCE,
    ) -> list[Passage]:
        """The text, context and place of ``refs`` (a page of ``result``, or all of it)."""
        places: dict[uuid.UUID, DocumentPlaces] = {}
        out: list[Passage] = []
        with self._db.reader() as s:
            for ref in refs:
                if ref.document_id not in places:
                    text = s.scalar(
                        select(DocumentRow.text).where(DocumentRow.id == ref.document_id)
                    )
                    blocks, pages = read_structure(s, ref.document_id)
                    places[ref.document_id] = DocumentPlaces(text or "", blocks, pages)
                out.append(self._passage(result, ref, places[ref.document_id], context))
        return out

    @staticmethod
    def _passage(
        result: RetrievalResult, ref: PassageRef, places: DocumentPlaces, context: Context
    ) -> Passage:
        around = places.sentence if context is Context.SENTENCE else places.paragraph
        ctx_start, ctx_end = around(ref.start, ref.end)
        text = places.text
        codings = ref.codings

        def unique(values) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v for v in values if v))

        return Passage(
            document_id=ref.document_id,
            document_title=result.titles.get(ref.document_id, ""),
            start=ref.start,
            end=ref.end,
            text=text[ref.start : ref.end],
            context_before=text[min(ctx_start, ref.start) : ref.start],
            context_after=text[ref.end : max(ctx_end, ref.end)],
            page=places.page(ref.start),
            section=places.section(ref.start),
            codes=unique(result.code_paths.get(c.code_id, "") for c in codings),
            coders=unique(result.coder_names.get(c.coder_id, "") for c in codings),
            memos=unique(c.memo for c in codings),
            coding_ids=tuple(c.id for c in codings),
        )

    def document_groups(self) -> list[str]:
        """Names of the project's document groups (for the group filter)."""
        with self._db.reader() as s:
            return list(s.scalars(select(DocumentGroupRow.name).order_by(DocumentGroupRow.name)))

    def retrieve(
        self,
        query: str,
        filters: AnalysisFilters = NO_FILTERS,
        context: Context = Context.SENTENCE,
    ) -> list[Passage]:
        """Every passage of ``query``, with text and context (for exports and the CLI)."""
        result = self.run(query, filters)
        return self.passages(result, result.refs, context)

    def code_passages(
        self, refs: Sequence[PassageRef], code_id: uuid.UUID, coder_id: uuid.UUID
    ) -> list[Coding]:
        """Code every passage with ``code_id`` as ``coder_id`` in one transaction.

        Passages the coder already coded with exactly this code and span are skipped.
        Returns the codings made (undo removes them by id).
        """
        with self._db.reader() as s:
            code = s.get(CodeRow, code_id)
            if code is None or not code.codable:
                raise ValidationError("Choose a code (not a folder) to code the passages with.")
            c = CodingRow
            docs = list({ref.document_id for ref in refs})
            existing = {
                (doc, start, end)
                for doc, start, end in s.execute(
                    select(c.document_id, c.start, c.end).where(
                        c.code_id == code_id, c.coder_id == coder_id, c.document_id.in_(docs)
                    )
                )
            }
        made: list[Coding] = []
        for ref in refs:
            key = (ref.document_id, ref.start, ref.end)
            if key in existing:
                continue
            existing.add(key)
            now = utcnow()
            made.append(
                Coding(new_id(), ref.document_id, code_id, coder_id, ref.start, ref.end, "",
                       "", now, now)
            )  # fmt: skip
        return CodingService(self._db).add_many(made)


__all__ = ["CodeRef", "Context", "Passage", "PassageRef", "RetrievalResult", "RetrievalService"]
