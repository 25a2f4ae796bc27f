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

from sqlalchemy import String, case, func, select, type_coerce

from annotator.domain.links import LinkEnd
from annotator.domain.model import CodeKind, Coding
from annotator.domain.register import Register, RegisterLink, RegisterRow
from annotator.domain.response_wording import own_number
from annotator.services.project import Project
from annotator.services.register_fields import field_columns, field_values
from annotator.storage.models import (
    CodingRow,
    DocumentBlockRow,
    DocumentPageRow,
    DocumentRow,
)

NUMBER_LOOKBACK = 400
"""Characters before a recommendation searched for its number ("Recommendation 7:")."""


def _spans_by_document(project: Project, doc_ids: Collection[uuid.UUID]) -> tuple[dict, dict]:
    """Per document: sorted page starts with labels, and sorted heading starts with titles."""
    pages: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
    headings: dict[uuid.UUID, list[tuple[int, int, int]]] = defaultdict(list)
    ids = list(doc_ids)
    with project.db.reader() as s:
        p = DocumentPageRow
        for doc, start, number, label in s.execute(
            select(p.document_id, p.start, p.number, p.label)
            .where(p.document_id.in_(ids))
            .order_by(p.document_id, p.start)
        ):
            pages[doc].append((start, label or str(number)))
        b = DocumentBlockRow
        for doc, start, end in s.execute(
            select(b.document_id, b.start, b.end)
            .where(b.document_id.in_(ids), b.kind == "heading")
            .order_by(b.document_id, b.start)
        ):
            headings[doc].append((start, end, 0))
    return pages, headings


def _heading_texts(project: Project, headings: dict) -> dict[tuple[uuid.UUID, int], str]:
    """The text of every heading (read as substrings, never whole documents)."""
    wanted = [(doc, start, end) for doc, spans in headings.items() for start, end, _ in spans]
    out: dict[tuple[uuid.UUID, int], str] = {}
    if not wanted:
        return out
    by_doc: dict[uuid.UUID, list[tuple[int, int]]] = defaultdict(list)
    for doc, start, end in wanted:
        by_doc[doc].append((start, end))
    b = DocumentBlockRow
    with project.db.reader() as s:
        rows = s.execute(
            select(
                b.document_id,
                b.start,
                func.substr(
                    DocumentRow.text,
                    b.start + 1,
                    case((b.end - b.start > 200, 200), else_=b.end - b.start),
                ),
            )
            .join(DocumentRow, DocumentRow.id == b.document_id)
            .where(b.kind == "heading", b.document_id.in_(list(by_doc)))
        )
        for doc, start, text in rows:
            out[(doc, start)] = " ".join(str(text).split())
    return out


def _prefixes(project: Project, coding_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The ``NUMBER_LOOKBACK`` characters before each coding (one query)."""
    if not coding_ids:
        return {}
    c = CodingRow
    begin = case((c.start > NUMBER_LOOKBACK, c.start - NUMBER_LOOKBACK), else_=0)
    out: dict[uuid.UUID, str] = {}
    with project.db.reader() as s:
        for start in range(0, len(coding_ids), 5000):
            chunk = coding_ids[start : start + 5000]
            rows = s.execute(
                select(
                    type_coerce(c.id, String),
                    func.substr(DocumentRow.text, begin + 1, c.start - begin),
                )
                .join(DocumentRow, DocumentRow.id == c.document_id)
                .where(c.id.in_(chunk))
            )
            for raw, text in rows:
                out[uuid.UUID(str(raw))] = text or ""
    return out


def _themes(codings: list[Coding], theme_ids: set[uuid.UUID]) -> dict:
    """Theme codings per (document, coder), sorted by start, with their starts."""
    grouped: dict[tuple[uuid.UUID, uuid.UUID], list[Coding]] = defaultdict(list)
    for c in codings:
        if c.code_id in theme_ids:
            grouped[(c.document_id, c.coder_id)].append(c)
    out = {}
    for key, items in grouped.items():
        items.sort(key=lambda c: c.start)
        out[key] = ([c.start for c in items], items)
    return out


def _overlapping(themes: dict, rec: Coding, names: dict[uuid.UUID, str]) -> tuple[str, ...]:
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
    every = project.codings.all(coder_ids)
    recs = [c for c in every if c.code_id in rec_ids]
    coders = {c.id: c.name for c in project.coders.list()}
    titles = {d.id: d.title for d in project.documents.list()}
    doc_ids = {c.document_id for c in recs}
    pages, headings = _spans_by_document(project, doc_ids)
    heading_text = _heading_texts(project, headings)
    heading_starts = {d: [h[0] for h in spans] for d, spans in headings.items()}
    prefixes = _prefixes(project, [c.id for c in recs])
    themes = _themes(every, theme_ids)
    columns = field_columns(project, rec_ids)
    values = field_values(project, [c.id for c in recs], columns)
    links = _links(project, [c.id for c in recs], titles)
    rows = []
    for c in recs:
        prefix = prefixes.get(c.id, "")
        number = own_number(prefix + c.quote, len(prefix), len(prefix) + len(c.quote))
        starts = heading_starts.get(c.document_id, [])
        h = bisect.bisect_right(starts, c.start) - 1
        section = heading_text.get((c.document_id, starts[h]), "") if h >= 0 else ""
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
    project: Project, coding_ids: list[uuid.UUID], titles: dict[uuid.UUID, str]
) -> dict[uuid.UUID, tuple[RegisterLink, ...]]:
    """Every link of the recommendations, seen from each recommendation."""
    wanted = set(coding_ids)
    all_links = [
        lk for lk in project.links.all() if lk.source_id in wanted or lk.target_id in wanted
    ]
    others = {lk.target_id for lk in all_links} | {lk.source_id for lk in all_links}
    ends: dict[uuid.UUID, LinkEnd] = project.links.ends(others)
    out: dict[uuid.UUID, list[RegisterLink]] = defaultdict(list)
    for lk in all_links:
        for rec, other, outgoing in (
            (lk.source_id, lk.target_id, True),
            (lk.target_id, lk.source_id, False),
        ):
            if rec in wanted and other in ends:
                end = ends[other]
                out[rec].append(
                    RegisterLink(
                        lk.id,
                        lk.link_type,
                        lk.status,
                        outgoing,
                        other,
                        end.document_id,
                        titles.get(end.document_id, end.document_title),
                        end.start,
                        end.end,
                        end.quote,
                    )
                )
    return {k: tuple(v) for k, v in out.items()}
