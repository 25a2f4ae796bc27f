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
from functools import cached_property

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from annotator.domain.codebook_paths import code_paths
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id, utcnow
from annotator.domain.passage_context import DocumentPlaces, LazySentences
from annotator.domain.retrieval import (
    CodeRef,
    DocumentScope,
    Node,
    can_match_uncoded,
    code_refs,
    evaluate,
    parse_query,
    positive_refs,
)
from annotator.domain.spanset import SpanSet
from annotator.domain.structure import Block, paragraph_blocks
from annotator.services.analysis_scope import (
    NO_FILTERS,
    AnalysisFilters,
    Scope,
    code_tree,
    resolve_code_refs,
    resolve_scope,
)
from annotator.services.codings import CodingService
from annotator.services.documents import read_structure
from annotator.storage.database import Database
from annotator.storage.models import CodeRow, CodingRow, DocumentGroupRow, DocumentRow

FIRST_PAGE_BATCH = 8
"""Documents whose codings are read at a time while looking for a first page."""


class Context(StrEnum):
    """How much text around a passage a result shows."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True, slots=True)
class CodingInfo:
    """A coding behind a passage (its id as stored: converted only for passages shown)."""

    raw_id: str | uuid.UUID
    code_id: uuid.UUID
    coder_id: uuid.UUID
    start: int
    end: int

    @property
    def id(self) -> uuid.UUID:
        """The coding's UUID."""
        raw = self.raw_id
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)


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
    complete: bool = True

    def counts(self) -> dict[uuid.UUID, int]:
        """Passages per document (documents without any are left out)."""
        out: dict[uuid.UUID, int] = {}
        for ref in self.refs:
            out[ref.document_id] = out.get(ref.document_id, 0) + 1
        return out


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


class _StoredDocument:
    """One document's text and blocks, read from the session only if a query asks."""

    def __init__(self, s: Session, document_id: uuid.UUID) -> None:
        self._s = s
        self._id = document_id

    @cached_property
    def text(self) -> str:
        """The document's text."""
        row = select(DocumentRow.text).where(DocumentRow.id == self._id)
        return self._s.scalar(row) or ""

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """The document's blocks."""
        return read_structure(self._s, self._id)[0]

    def sentences(self) -> LazySentences:
        """Its sentences, split where asked."""
        return LazySentences(self.text, self.blocks)

    def paragraphs(self) -> list[tuple[int, int]]:
        """Its paragraphs: the blocks (no text read), or the lines of a text without any."""
        blocks = self.blocks or paragraph_blocks(self.text)
        return sorted({(b.start, b.end) for b in blocks if b.end > b.start})

    def scope(self, length: int, per_ref: list[list], slot: dict[CodeRef, int]) -> DocumentScope:
        """What the query evaluator needs, over ``per_ref`` (each reference's spans)."""
        cache: dict[CodeRef, SpanSet] = {}

        def spans_of(ref: CodeRef) -> SpanSet:
            if ref not in cache:
                cache[ref] = SpanSet.of(per_ref[slot[ref]])
            return cache[ref]

        return DocumentScope(
            length, spans_of, self.sentences, self.paragraphs, lambda ref: per_ref[slot[ref]]
        )


class RetrievalService:
    """Queries over the codings of one project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def run(
        self,
        query: str | Node,
        filters: AnalysisFilters = NO_FILTERS,
        cancelled: Callable[[], bool] = lambda: False,
        stop_after: int | None = None,
    ) -> RetrievalResult:
        """Evaluate ``query`` over every document in scope; raises ValidationError.

        With ``stop_after`` evaluation stops at the first document after which that many
        passages were found (a first page, shown while the whole result is computed);
        the result then says it is not ``complete``, as it does when cancelled.
        """
        node = parse_query(query) if isinstance(query, str) else query
        complete = True
        with self._db.reader() as s:
            scope = resolve_scope(s, filters)
            refs = code_refs(node)
            ids = resolve_code_refs(s, refs)
            shown = {cid for ref in positive_refs(node) for cid in ids[ref]}
            slot = {ref: k for k, ref in enumerate(refs)}
            uncoded_too = can_match_uncoded(node)
            out: list[PassageRef] = []
            docs = scope.documents
            # A first page reads the codings of a few documents at a time; a whole result
            # reads them all at once.
            batch = FIRST_PAGE_BATCH if stop_after is not None else max(1, len(docs))
            loaded: dict = {}
            for k, doc in enumerate(docs):
                if cancelled() or (stop_after is not None and len(out) >= stop_after):
                    complete = False
                    break
                if k % batch == 0:
                    wanted = None if batch >= len(docs) else [d.id for d in docs[k : k + batch]]
                    loaded = self._codings(s, refs, ids, shown, scope, wanted)
                per_ref, behind = loaded.get(doc.id, (None, []))
                if per_ref is None and not uncoded_too:
                    continue
                per_ref = per_ref or [[] for _ in refs]
                scope_doc = _StoredDocument(s, doc.id).scope(doc.length, per_ref, slot)
                result = evaluate(node, scope_doc)
                for (start, end), attached in _attach(result, behind):
                    out.append(PassageRef(doc.id, start, end, tuple(attached)))
            paths = code_paths(code_tree(s))
        titles = {d.id: d.title for d in scope.documents}
        return RetrievalResult(node, out, titles, paths, scope.coder_names, complete)

    @staticmethod
    def _codings(
        s: Session,
        refs: list[CodeRef],
        ids: dict[CodeRef, set[uuid.UUID]],
        shown: set[uuid.UUID],
        scope: Scope,
        documents: list[uuid.UUID] | None = None,
    ) -> dict[uuid.UUID, tuple[list[list], list[CodingInfo]]]:
        """Per document: the spans of each of ``refs`` (by position, sorted), and the
        codings a passage shows.

        One pass over rows read from ``ix_coding_code_span`` alone. Rows carry ids as
        stored (hex on SQLite, hyphenated on PostgreSQL): they are looked up as text, and
        turned into UUIDs once per distinct value, since hashing UUIDs is slow.
        """
        if not ids:
            return {}
        slots_of: dict[str, list[int]] = {}
        as_uuid: dict[str, uuid.UUID] = {}
        for k, ref in enumerate(refs):
            for cid in ids[ref]:
                for form in (cid.hex, str(cid), cid):  # SQLite text, text, PostgreSQL UUID
                    slots_of.setdefault(form, []).append(k)  # type: ignore[arg-type]
                    as_uuid[form] = cid  # type: ignore[index]
        shown_raw = {form for cid in shown for form in (cid.hex, str(cid), cid)}
        c = CodingRow
        raw = [type_coerce(col, String) for col in (c.id, c.document_id, c.code_id, c.coder_id)]
        stmt = select(*raw, c.start, c.end).where(
            c.code_id.in_({cid for code_ids in ids.values() for cid in code_ids})
        )
        if scope.coder_ids is not None:
            stmt = stmt.where(c.coder_id.in_(list(scope.coder_ids)))
        if scope.version_id is not None:
            stmt = stmt.where(c.codebook_version_id == scope.version_id)
        if documents is not None:
            stmt = stmt.where(c.document_id.in_(documents))
        out: dict[uuid.UUID, tuple[list[list], list[CodingInfo]]] = {}
        current, per_ref, behind = None, [], []
        rows = s.connection().execute(stmt.order_by(c.document_id, c.start, c.end)).all()
        for id_, doc, code, coder, start, end in rows:
            if doc != current:
                if doc not in as_uuid:
                    as_uuid[doc] = doc if isinstance(doc, uuid.UUID) else uuid.UUID(doc)
                current, per_ref, behind = doc, [[] for _ in refs], []
                out[as_uuid[doc]] = (per_ref, behind)
            for k in slots_of[code]:
                per_ref[k].append((start, end))
            if code in shown_raw:
                if coder not in as_uuid:
                    as_uuid[coder] = coder if isinstance(coder, uuid.UUID) else uuid.UUID(coder)
                behind.append(CodingInfo(id_, as_uuid[code], as_uuid[coder], start, end))
        return out

    def passages(
        self,
        result: RetrievalResult,
        refs: Sequence[PassageRef],
        context: Context = Context.SENTENCE,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> list[Passage]:
        """The text, context and place of ``refs`` (a page of ``result``, or all of it);
        when ``cancelled`` says so, the passages read so far."""
        places: dict[uuid.UUID, DocumentPlaces] = {}
        out: list[Passage] = []
        with self._db.reader() as s:
            memos = self._memos(s, [c.id for ref in refs for c in ref.codings])
            for ref in refs:
                if cancelled():
                    break
                if ref.document_id not in places:
                    text = s.scalar(
                        select(DocumentRow.text).where(DocumentRow.id == ref.document_id)
                    )
                    blocks, pages = read_structure(s, ref.document_id)
                    places[ref.document_id] = DocumentPlaces(text or "", blocks, pages)
                out.append(self._passage(result, ref, places[ref.document_id], context, memos))
        return out

    @staticmethod
    def _memos(s: Session, coding_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The non-empty memos of these codings."""
        out: dict[uuid.UUID, str] = {}
        for k in range(0, len(coding_ids), 500):  # bounded IN lists
            chunk = coding_ids[k : k + 500]
            for cid, memo in s.execute(
                select(CodingRow.id, CodingRow.memo).where(
                    CodingRow.id.in_(chunk), CodingRow.memo != ""
                )
            ):
                out[cid] = memo
        return out

    @staticmethod
    def _passage(
        result: RetrievalResult,
        ref: PassageRef,
        places: DocumentPlaces,
        context: Context,
        memos: dict[uuid.UUID, str],
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
            memos=unique(memos.get(c.id, "") for c in codings),
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
