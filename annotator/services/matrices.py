"""Matrices of the coding: code x document, code x group or attribute, co-occurrence.

One read of the project (one reader session, one snapshot) gathers the codings in scope as
a columnar :class:`~annotator.domain.matrix.SpanTable`, the documents as cases and the
codebook; :mod:`annotator.domain.matrix` does the arithmetic. Every cell keeps the ids of
its codings, and :func:`passages` turns them into rows a view can list and open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from annotator.domain.codebook import tree_order
from annotator.domain.codebook_paths import code_paths, descendants_by_path
from annotator.domain.dates import iso_date
from annotator.domain.errors import ValidationError
from annotator.domain.matrix import (
    Axis,
    CoMode,
    Matrix,
    Measure,
    SpanTable,
    code_by_columns,
    cooccurrence_overlap,
    cooccurrence_units,
)
from annotator.domain.model import Code, Coder, Document
from annotator.domain.structure import DocumentMetadata
from annotator.exchange.unit_table import UnitKind, units_of
from annotator.services.cases import Case, read_cases
from annotator.services.documents import read_structure
from annotator.storage.mapping import code_from_row, coder_from_row
from annotator.storage.models import (
    CodebookVersionRow,
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentGroupRow,
    DocumentRow,
)

if TYPE_CHECKING:
    from annotator.services.project import Project

NO_VALUE = "(none)"
"""The column of documents without a value for the attribute of a crosstab."""

SPECIAL_COLUMNS = ("documents", "codes", "groups", "year", "date", "author", "publisher", "source")
"""Column kinds besides free attribute keys."""


@dataclass(frozen=True)
class MatrixFilters:
    """Which codings a matrix counts; empty means "all".

    ``coders`` are names or UUIDs; ``documents`` titles or UUIDs; ``groups`` group names
    (a document in any of them is in scope); ``attributes`` ``(key, value)`` pairs that must
    all hold (keys may be date, author, publisher, source or free attributes);
    ``date_from``/``date_to`` bound the document's ISO date (inclusive, compared as text, so
    ``2021`` covers every date in 2021 when used as both ends); ``codes`` paths or UUIDs
    (with their descendants); ``codebook_version`` a version's name or UUID.
    """

    coders: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    codes: tuple[str, ...] = ()
    codebook_version: str | None = None


@dataclass(frozen=True)
class MatrixRequest:
    """A matrix to compute: rows are codes, ``columns`` one of :data:`SPECIAL_COLUMNS` or a
    free attribute key; ``measure`` for code x documents/sets; ``mode`` for codes x codes."""

    columns: str = "documents"
    measure: str = Measure.COUNT.value
    mode: str = CoMode.OVERLAP.value
    by_coder: bool = False
    filters: MatrixFilters = MatrixFilters()
    hide_empty_codes: bool = False


@dataclass(frozen=True, slots=True)
class Passage:
    """One coding behind a cell, ready to list and to open in the document view."""

    coding_id: uuid.UUID
    document_id: uuid.UUID
    document_title: str
    code_id: uuid.UUID
    code_path: str
    coder: str
    start: int
    end: int
    quote: str
    memo: str


@dataclass
class Scope:
    """What one read gathered: spans in scope, cases, codes and coders."""

    table: SpanTable  # every coding in scope; ``row`` is set per matrix
    cases: list[Case]
    codes: list[Code]
    paths: dict[uuid.UUID, str]
    coders: list[Coder]


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text).strip())
    except ValueError:
        return None


def _in_scope(case: Case, f: MatrixFilters, wanted_docs: set[uuid.UUID] | None) -> bool:
    if wanted_docs is not None and case.id not in wanted_docs:
        return False
    if f.groups and not {g.casefold() for g in case.groups} & {g.casefold() for g in f.groups}:
        return False
    for key, value in f.attributes:
        have = case.value_of(key)
        if key == "date":  # "March 2021" and "2021-03" are the same date
            have, value = iso_date(have), iso_date(value) or ""
        if have is None or have.strip().casefold() != value.strip().casefold():
            return False
    if f.date_from or f.date_to:
        iso = iso_date(case.date)
        if not iso or not iso[:1].isdigit():
            return False
        if f.date_from and iso[: len(f.date_from)] < f.date_from:
            return False
        if f.date_to and iso[: len(f.date_to)] > f.date_to:
            return False
    return True


def _wanted_documents(cases: Sequence[Case], wanted: tuple[str, ...]) -> set[uuid.UUID] | None:
    if not wanted:
        return None
    picked: set[uuid.UUID] = set()
    for entry in wanted:
        hits = {c.id for c in cases if c.id == _as_uuid(entry) or c.title == entry.strip()}
        hits = hits or {c.id for c in cases if c.title.casefold() == entry.strip().casefold()}
        if not hits:
            raise ValidationError(f"There is no document '{entry}' in this project.")
        picked |= hits
    return picked


def gather(s: Session, filters: MatrixFilters) -> Scope:
    """Read the codings, documents, codes and coders a matrix with ``filters`` needs."""
    f = filters
    coders = [coder_from_row(r) for r in s.scalars(select(CoderRow).order_by(CoderRow.name))]
    coder_ids = None
    if f.coders:
        coder_ids = set()
        for entry in f.coders:
            match = [c.id for c in coders if c.name == entry.strip() or c.id == _as_uuid(entry)]
            if not match:
                raise ValidationError(f"There is no coder '{entry}' in this project.")
            coder_ids.update(match)
        coders = [c for c in coders if c.id in coder_ids]
    codes = tree_order(code_from_row(r) for r in s.scalars(select(CodeRow)))
    paths = code_paths(codes)
    code_ids = None
    if f.codes:
        code_ids, unknown = descendants_by_path(codes, f.codes)
        if unknown:
            raise ValidationError(f"There is no code '{unknown[0]}' in this codebook.")
        codes = [c for c in codes if c.id in code_ids]
    cases = cases_in_scope(s, f)
    c = CodingRow
    # The ids are read as the database stores them (no UUID object per value: building
    # 400,000 of them was most of the time of a matrix); the few distinct document, code
    # and coder values are mapped to indices through small caches.
    stmt = select(
        type_coerce(c.id, String),
        type_coerce(c.document_id, String),
        type_coerce(c.code_id, String),
        type_coerce(c.coder_id, String),
        c.start,
        c.end,
    )
    if coder_ids is not None:
        stmt = stmt.where(c.coder_id.in_(coder_ids))
    if code_ids is not None:
        stmt = stmt.where(c.code_id.in_(code_ids))
    if f.codebook_version is not None:
        stmt = stmt.where(c.codebook_version_id == _version(s, f.codebook_version))
    doc_index = _Index({case.id: i for i, case in enumerate(cases)})
    code_index = _Index({code.id: i for i, code in enumerate(codes)})
    coder_index = _Index({coder.id: i for i, coder in enumerate(coders)})
    # Core rows through the session's connection (same transaction, same snapshot), read
    # column by column: the ORM's per-row wrapping cost more than the query.
    fetched = s.connection().execute(stmt).all()
    ids, raw_docs, raw_codes, raw_coders, starts, ends = (
        list(col) for col in (zip(*fetched, strict=True) if fetched else ([],) * 6)
    )
    docs = list(map(doc_index.__getitem__, raw_docs))
    code_col = list(map(code_index.__getitem__, raw_codes))
    coder_col = list(map(coder_index.__getitem__, raw_coders))
    if any(d < 0 for d in docs):  # documents filtered out of scope
        keep = [i for i, d in enumerate(docs) if d >= 0]
        ids, docs, code_col, coder_col, starts, ends = (
            [col[i] for i in keep] for col in (ids, docs, code_col, coder_col, starts, ends)
        )
    table = SpanTable.build(ids, code_col, docs, code_col, coder_col, starts, ends)
    return Scope(table, cases, codes, paths, coders)


class _Index(dict):
    """Raw database ids (text or UUID) to positions, -1 for ids not in scope."""

    def __init__(self, positions: dict[uuid.UUID, int]) -> None:
        super().__init__()
        self._positions = positions

    def __missing__(self, raw: object) -> int:
        value = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        self[raw] = position = self._positions.get(value, -1)
        return position


def cases_in_scope(s: Session, filters: MatrixFilters) -> list[Case]:
    """The documents (as cases) the document filters keep: titles or ids, groups,
    attributes and the date range; an unknown document or group is refused by name."""
    every = read_cases(s)
    wanted = _wanted_documents(every, filters.documents)
    known_groups = {g.casefold() for c in every for g in c.groups}
    for group in filters.groups:
        if group.casefold() not in known_groups and not _group_exists(s, group):
            raise ValidationError(f"There is no document group '{group}' in this project.")
    return [c for c in every if _in_scope(c, filters, wanted)]


def _group_exists(s: Session, name: str) -> bool:
    names = s.scalars(select(DocumentGroupRow.name)).all()
    return any(n.casefold() == name.casefold() for n in names)


def _version(s: Session, wanted: str) -> uuid.UUID:
    for row in s.scalars(select(CodebookVersionRow)):
        if row.name.casefold() == wanted.strip().casefold() or row.id == _as_uuid(wanted):
            return row.id
    raise ValidationError(f"There is no codebook version '{wanted}' in this project.")


def _code_rows(scope: Scope, by_coder: bool, hide_empty: bool) -> tuple[list[Axis], np.ndarray]:
    """The row axes and each coding's row index (-1: not a row) for ``scope``."""
    t = scope.table
    n_coders = max(len(scope.coders), 1)
    combined = t.code * n_coders + t.coder if by_coder else t.code
    used = set(np.unique(combined[combined >= 0]).tolist())
    rows: list[Axis] = []
    position: dict[int, int] = {}
    for i, code in enumerate(scope.codes):
        if by_coder:
            for j, coder in enumerate(scope.coders):
                key = i * n_coders + j
                if not hide_empty or key in used:
                    position[key] = len(rows)
                    rows.append(Axis((code.id, coder.id), f"{scope.paths[code.id]} [{coder.name}]"))
        elif not hide_empty or i in used:
            position[i] = len(rows)
            rows.append(Axis(code.id, scope.paths[code.id]))
    size = max(int(combined.max()) + 1 if len(combined) else 0, len(scope.codes) * n_coders, 1)
    lookup = np.full(size, -1, dtype=np.int64)
    for key, row in position.items():
        lookup[key] = row
    # Negative keys (a code or coder out of scope) are clipped for the look-up, then -1.
    return rows, np.where(combined >= 0, lookup[np.clip(combined, 0, None)], -1)


def _columns(scope: Scope, columns: str) -> tuple[list[Axis], list[list[int]]]:
    """The columns of a code x document(s) matrix and the document indices in each."""
    if columns == "documents":
        axes = [Axis(c.id, c.title) for c in scope.cases]
        return axes, [[i] for i in range(len(scope.cases))]
    members: dict[Hashable, list[int]] = {}
    for i, case in enumerate(scope.cases):
        if columns == "groups":
            values: Sequence[str] = case.groups or (NO_VALUE,)
        elif columns == "year":
            iso = iso_date(case.date)
            values = (iso[:4] if iso and iso[:4].isdigit() else NO_VALUE,)
        elif columns == "date":
            values = (iso_date(case.date) or NO_VALUE,)
        else:
            value = case.value_of(columns)
            values = (value.strip() if value and value.strip() else NO_VALUE,)
        for value in values:
            members.setdefault(value, []).append(i)
    keys = sorted(members, key=lambda k: (k == NO_VALUE, str(k).casefold()))
    return [Axis(k, str(k)) for k in keys], [members[k] for k in keys]


def compute(scope: Scope, request: MatrixRequest, units: dict | None = None) -> Matrix:
    """The matrix ``request`` asks for, over an already gathered ``scope``."""
    t = scope.table
    if request.columns == "codes":
        # Co-occurrence is per code, never per coder (pairs are within one coder anyway).
        axes, row = _code_rows(scope, False, request.hide_empty_codes)
        table = replace(t, row=row)
        mode = CoMode(request.mode)
        if mode is CoMode.OVERLAP:
            return cooccurrence_overlap(table, axes)
        return cooccurrence_units(table, axes, units or {}, mode)
    axes, row = _code_rows(scope, request.by_coder, request.hide_empty_codes)
    columns, members = _columns(scope, request.columns)
    return code_by_columns(
        replace(t, row=row),
        axes,
        columns,
        members,
        [c.length for c in scope.cases],
        request.measure,
        kind=f"codes x {request.columns}",
    )


def _units(
    s: Session, scope: Scope, mode: CoMode, cancelled: Callable[[], bool] | None
) -> dict[int, list[tuple[int, int]]]:
    """Sentences or paragraphs of the documents that have codings in scope."""
    wanted = set(scope.table.doc.tolist())
    units: dict[int, list[tuple[int, int]]] = {}
    for i, case in enumerate(scope.cases):
        if i not in wanted:
            continue
        if cancelled is not None and cancelled():
            raise CancelledError
        text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == case.id)) or ""
        blocks, _ = read_structure(s, case.id)
        doc = Document(case.id, case.title, text, "", DocumentMetadata(), blocks)
        units[i] = units_of(doc, UnitKind(mode.value))
    return units


class CancelledError(Exception):
    """The caller asked a long matrix to stop."""


def build_matrix(
    project: Project,
    request: MatrixRequest,
    cancelled: Callable[[], bool] | None = None,
) -> Matrix:
    """Compute the matrix ``request`` describes from one snapshot of the project."""
    with project.db.reader() as s:
        scope = gather(s, request.filters)
        if request.columns not in SPECIAL_COLUMNS and not any(
            request.columns in c.attributes for c in read_cases(s)
        ):
            raise ValidationError(
                f"Columns must be one of {', '.join(SPECIAL_COLUMNS)} or a document "
                f"attribute; no document has the attribute '{request.columns}'."
            )
        units = None
        if request.columns == "codes" and CoMode(request.mode) is not CoMode.OVERLAP:
            units = _units(s, scope, CoMode(request.mode), cancelled)
    return compute(scope, request, units)


def passages(project: Project, coding_ids: Sequence[uuid.UUID]) -> list[Passage]:
    """The codings behind a cell, by document order and position, with their quotes."""
    wanted = list(dict.fromkeys(coding_ids))
    out: list[Passage] = []
    with project.db.reader() as s:
        codes = {r.id: code_from_row(r) for r in s.scalars(select(CodeRow))}
        paths = code_paths(codes.values())
        coders = {r.id: r.name for r in s.scalars(select(CoderRow))}
        titles = dict(s.execute(select(DocumentRow.id, DocumentRow.title)).all())
        order = dict(s.execute(select(DocumentRow.id, DocumentRow.position)).all())
        c = CodingRow
        for start in range(0, len(wanted), 500):  # bounded IN lists
            chunk = wanted[start : start + 500]
            for row in s.execute(
                select(
                    c.id, c.document_id, c.code_id, c.coder_id, c.start, c.end, c.quote, c.memo
                ).where(c.id.in_(chunk))
            ):
                out.append(
                    Passage(
                        row.id,
                        row.document_id,
                        titles.get(row.document_id, ""),
                        row.code_id,
                        paths.get(row.code_id, ""),
                        coders.get(row.coder_id, ""),
                        row.start,
                        row.end,
                        row.quote,
                        row.memo,
                    )
                )
    out.sort(key=lambda p: (order.get(p.document_id, 0), p.document_title, p.start, p.end))
    return out
