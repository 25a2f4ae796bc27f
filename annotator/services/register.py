"""Build the recommendations register: every recommendation coding with where it is, what
it says, its field values, the themes coded over it and its links.

One read of each table, whatever the number of documents: codings, codes, coders,
document titles, page and heading spans, a short window of text before each recommendation
(for the document's own number), links and their other ends, and field values.

*Themes* are the theme codings **by the same coder** that overlap the recommendation (a
coder's themes describe that coder's recommendations; another coder's would mix two
readings). *Section* is the last heading at or before the recommendation's start; *page*
the printed label (or number) of the page it starts on.
"""

from __future__ import annotations

import bisect
import uuid
from collections import defaultdict
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce

from annotator.domain.model import CodeKind
from annotator.domain.register import Register, RegisterLink, RegisterRow
from annotator.domain.response_wording import own_number
from annotator.services.project import Project
from annotator.services.register_fields import field_columns, field_values
from annotator.storage.models import CodingRow, DocumentBlockRow, DocumentPageRow, DocumentRow

NUMBER_LOOKBACK = 400
"""Characters before a recommendation searched for its number ("Recommendation 7:")."""


def _uuid(cache: dict, raw: object) -> uuid.UUID:
    """A raw UUID column value (text on SQLite, UUID on PostgreSQL) as a UUID, cached."""
    value = cache.get(raw)
    if value is None:
        value = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        cache[raw] = value
    return value


def _structure(project: Project, doc_ids: Collection[uuid.UUID]) -> tuple[dict, dict, dict]:
    """Per document: its text, sorted (page start, label) and sorted heading spans.

    Each text is read once: slicing it here is far cheaper than asking the database for a
    substring per recommendation (which decodes the text from its start every time).
    """
    texts: dict[uuid.UUID, str] = {}
    pages: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
    headings: dict[uuid.UUID, list[tuple[int, int]]] = defaultdict(list)
    ids = list(doc_ids)
    cache: dict = {}
    p, b, d = DocumentPageRow, DocumentBlockRow, DocumentRow
    with project.db.reader() as s:
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for raw, text in s.execute(
                select(type_coerce(d.id, String), d.text).where(d.id.in_(part))
            ):
                texts[_uuid(cache, raw)] = text
            for raw, start, number, label in s.execute(
                select(type_coerce(p.document_id, String), p.start, p.number, p.label)
                .where(p.document_id.in_(part))
                .order_by(p.document_id, p.start)
            ):
                pages[_uuid(cache, raw)].append((start, label or str(number)))
            for raw, start, end in s.execute(
                select(type_coerce(b.document_id, String), b.start, b.end)
                .where(b.document_id.in_(part), b.kind == "heading")
                .order_by(b.document_id, b.start)
            ):
                headings[_uuid(cache, raw)].append((start, end))
    return texts, pages, headings


class _Slim(NamedTuple):
    """The columns of a coding the register needs (no times: faster to read)."""

    id: uuid.UUID
    document_id: uuid.UUID
    code_id: uuid.UUID
    coder_id: uuid.UUID
    start: int
    end: int
    quote: str


def _codings(project: Project, coder_ids: Collection[uuid.UUID] | None) -> list[_Slim]:
    """Every coding (by ``coder_ids``), by document and position, as :class:`_Slim`."""
    c = CodingRow
    stmt = select(
        type_coerce(c.id, String),
        type_coerce(c.document_id, String),
        type_coerce(c.code_id, String),
        type_coerce(c.coder_id, String),
        c.start,
        c.end,
        c.quote,
    )
    if coder_ids is not None:
        stmt = stmt.where(c.coder_id.in_(list(coder_ids)))
    stmt = stmt.order_by(c.document_id, c.start, c.end, c.id)
    cache: dict = {}
    with project.db.reader() as s:
        return [
            _Slim(
                _uuid({}, raw_id),
                _uuid(cache, doc),
                _uuid(cache, code),
                _uuid(cache, coder),
                start,
                end,
                quote,
            )
            for raw_id, doc, code, coder, start, end, quote in s.connection().execute(stmt)
        ]


def _themes(codings: list[_Slim], theme_ids: set[uuid.UUID]) -> dict:
    """Theme codings per (document, coder), sorted by start, with their starts."""
    grouped: dict[tuple[uuid.UUID, uuid.UUID], list[_Slim]] = defaultdict(list)
    for c in codings:
        if c.code_id in theme_ids:
            grouped[(c.document_id, c.coder_id)].append(c)
    out = {}
    for key, items in grouped.items():
        items.sort(key=lambda c: c.start)
        out[key] = ([c.start for c in items], items)
    return out


def _overlapping(themes: dict, rec: _Slim, names: dict[uuid.UUID, str]) -> tuple[str, ...]:
    entry = themes.get((rec.document_id, rec.coder_id))
    if entry is None:
        return ()
    starts, items = entry
    upto = bisect.bisect_left(starts, rec.end)
    found = {names[c.code_id] for c in items[:upto] if c.end > rec.start}
    return tuple(sorted(found))


def _page(pages: list[tuple[int, str]], offset: int) -> str:
    if not pages:
        return ""
    i = bisect.bisect_right([p[0] for p in pages], offset) - 1
    return pages[max(i, 0)][1]


def build_register(
    project: Project,
    *,
    coder_ids: Collection[uuid.UUID] | None = None,
    code_ids: Collection[uuid.UUID] | None = None,
) -> Register:
    """The register of every recommendation coding (by ``coder_ids`` when given).

    Recommendations are codings of codes of kind *recommendation*, or of ``code_ids``.
    """
    codes = project.codebook.list()
    names = {c.id: c.name for c in codes}
    if code_ids is None:
        rec_ids = {c.id for c in codes if c.kind == CodeKind.RECOMMENDATION.value}
    else:
        rec_ids = set(code_ids)
    theme_ids = {c.id for c in codes if c.kind == CodeKind.THEME.value}
    every = _codings(project, coder_ids)
    recs = [c for c in every if c.code_id in rec_ids]
    coders = {c.id: c.name for c in project.coders.list()}
    titles = {d.id: d.title for d in project.documents.list()}
    doc_ids = {c.document_id for c in recs}
    texts, pages, headings = _structure(project, doc_ids)
    heading_starts = {d: [h[0] for h in spans] for d, spans in headings.items()}
    themes = _themes(every, theme_ids)
    columns = field_columns(project, rec_ids)
    values = field_values(project, [c.id for c in recs], columns)
    links = _links(project, {c.id for c in recs}, every, titles, names)
    rows = []
    for c in recs:
        text = texts.get(c.document_id, "")
        number = own_number(text, c.start, c.end, lookback=NUMBER_LOOKBACK) if text else None
        starts = heading_starts.get(c.document_id, [])
        h = bisect.bisect_right(starts, c.start) - 1
        section = ""
        if h >= 0:
            h_start, h_end = headings[c.document_id][h]
            section = " ".join(text[h_start : min(h_end, h_start + 200)].split())
        rows.append(
            RegisterRow(
                coding_id=c.id,
                document_id=c.document_id,
                document=titles.get(c.document_id, ""),
                page=_page(pages.get(c.document_id, []), c.start),
                section=section,
                number=number or "",
                start=c.start,
                end=c.end,
                text=c.quote,
                coder=coders.get(c.coder_id, ""),
                code=names.get(c.code_id, ""),
                fields=values.get(c.id, ("",) * len(columns)),
                themes=_overlapping(themes, c, names),
                links=links.get(c.id, ()),
            )
        )
    return Register(tuple(name for _, name in columns), tuple(rows))


def _links(
    project: Project,
    wanted: set[uuid.UUID],
    every: list[_Slim],
    titles: dict[uuid.UUID, str],
    names: dict[uuid.UUID, str],
) -> dict[uuid.UUID, tuple[RegisterLink, ...]]:
    """Every link of the recommendations, seen from each recommendation (other ends from
    the codings already read, not another query)."""
    by_id = {c.id: c for c in every}
    out: dict[uuid.UUID, list[RegisterLink]] = defaultdict(list)
    for lk in project.links.all():
        for rec, other, outgoing in (
            (lk.source_id, lk.target_id, True),
            (lk.target_id, lk.source_id, False),
        ):
            end = by_id.get(other)
            if rec in wanted and end is not None:
                out[rec].append(
                    RegisterLink(
                        lk.id,
                        lk.link_type,
                        lk.status,
                        outgoing,
                        other,
                        end.document_id,
                        titles.get(end.document_id, ""),
                        end.start,
                        end.end,
                        end.quote,
                    )
                )
    return {k: tuple(v) for k, v in out.items()}
