"""Export the coded set (CSV, XLSX, JSONL, HTML report) and the unit-by-coder table.

An export is one read of the project: a single reader session, so every row comes from
the same snapshot even while someone keeps coding. Codings are streamed document by
document in chunks (``yield_per``), so memory holds one document's text and the rows in
flight, not the whole project (the HTML report holds one document's rows at a time). The
file is written under a temporary name beside the target and renamed into place only when
complete, so a failed or cancelled export never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, inspect, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import code_path
from annotator.domain.codebook_paths import descendants_by_path
from annotator.domain.errors import ValidationError
from annotator.domain.model import CodebookVersion, Coder, Coding, Document, DocumentSummary
from annotator.domain.structure import DocumentMetadata
from annotator.exchange.codebook_table import codebook_table
from annotator.exchange.coded_set import (
    DEFAULT_CONTEXT,
    DocumentColumns,
    Lookups,
    build_rows,
    confirmed_fields,
    field_columns,
    links_column,
)
from annotator.exchange.csv_export import write_coded_set_csv, write_csv_table
from annotator.exchange.html_report import ReportDocument, write_html_report
from annotator.exchange.jsonl_export import write_coded_set_jsonl
from annotator.exchange.partial_files import clean_stale_partials, partial_path
from annotator.exchange.unit_table import (
    FIXED_COLUMNS,
    UnitCoding,
    UnitKind,
    document_unit_rows,
    unit_header,
)
from annotator.exchange.xlsx_export import write_coded_set_xlsx, write_xlsx_table
from annotator.services.documents import read_structure
from annotator.storage.field_mapping import field_lookups
from annotator.storage.mapping import aware, code_from_row, coder_from_row
from annotator.storage.models import (
    CodebookVersionRow,
    CodeRow,
    CoderRow,
    CodingLinkRow,
    CodingRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
    ProjectRow,
)

if TYPE_CHECKING:
    from annotator.services.project import Project

CHUNK = 1000
"""Codings fetched per round trip, and how often progress and cancel are checked."""

Progress = Callable[[int, int], None]


class ExportFormat(StrEnum):
    """File formats of the coded set."""

    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    HTML = "html"


@dataclass(frozen=True)
class ExportFilters:
    """Which codings to export; an empty tuple means "all".

    ``coders`` are names or UUIDs, ``documents`` titles or UUIDs, ``codes`` paths or UUIDs
    (each with all its descendants), ``codebook_version`` a version's name or UUID.
    """

    coders: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    codebook_version: str | None = None
    # Documents as cases: only documents in any of these groups, and with all of these
    # (key, value) attributes or metadata fields (case-insensitive).
    groups: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    format: str
    rows: int
    documents: int
    cancelled: bool = False
    seconds: float = 0.0


class _CancelledError(Exception):
    """Raised inside the stream when the caller asks to stop."""


@dataclass(frozen=True)
class Selection:
    """Filters resolved to ids; None means "no restriction"."""

    coders: list[Coder]  # the coders in scope, in display order
    coder_ids: set[uuid.UUID] | None
    documents: list[DocumentSummary]
    code_ids: set[uuid.UUID] | None
    version_id: uuid.UUID | None
    every_document: bool = True

    def restrict(self, stmt: Select) -> Select:
        """``stmt`` (over codings) limited to this selection."""
        if self.coder_ids is not None:
            stmt = stmt.where(CodingRow.coder_id.in_(self.coder_ids))
        if self.code_ids is not None:
            stmt = stmt.where(CodingRow.code_id.in_(self.code_ids))
        if self.version_id is not None:
            stmt = stmt.where(CodingRow.codebook_version_id == self.version_id)
        if self.every_document:  # no long IN list when nothing was filtered out
            return stmt
        return stmt.where(CodingRow.document_id.in_([d.id for d in self.documents]))


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


def _resolve_coders(s: Session, wanted: tuple[str, ...]) -> tuple[list[Coder], set | None]:
    everyone = [coder_from_row(r) for r in s.scalars(select(CoderRow).order_by(CoderRow.name))]
    if not wanted:
        return everyone, None
    chosen: list[Coder] = []
    for entry in wanted:
        match = [c for c in everyone if c.name == entry.strip() or c.id == _as_uuid(entry)]
        if not match:
            raise ValidationError(f"There is no coder '{entry}' in this project.")
        chosen.extend(c for c in match if c not in chosen)
    return chosen, {c.id for c in chosen}


def _resolve_documents(project: Project, wanted: tuple[str, ...]) -> list[DocumentSummary]:
    every = project.documents.list()
    if not wanted:
        return every
    picked: set[uuid.UUID] = set()
    for entry in wanted:
        hits = {d.id for d in every if d.id == _as_uuid(entry) or d.title == entry.strip()}
        hits = hits or {d.id for d in every if d.title.casefold() == entry.strip().casefold()}
        if not hits:
            raise ValidationError(f"There is no document '{entry}' in this project.")
        picked |= hits
    return [d for d in every if d.id in picked]


def _resolve_version(s: Session, wanted: str | None) -> uuid.UUID | None:
    if wanted is None:
        return None
    for row in s.scalars(select(CodebookVersionRow)):
        if row.name.casefold() == wanted.strip().casefold() or row.id == _as_uuid(wanted):
            return row.id
    raise ValidationError(f"There is no codebook version '{wanted}' in this project.")


def resolve(project: Project, s: Session, filters: ExportFilters) -> Selection:
    """Turn names, titles and paths into ids, refusing any that match nothing."""
    coders, coder_ids = _resolve_coders(s, filters.coders)
    code_ids = None
    if filters.codes:
        codes = [code_from_row(r) for r in s.scalars(select(CodeRow))]
        code_ids, unknown = descendants_by_path(codes, filters.codes)
        if unknown:
            raise ValidationError(f"There is no code '{unknown[0]}' in this codebook.")
    documents = _resolve_documents(project, filters.documents)
    if filters.groups or filters.attributes:
        from annotator.services.matrices import MatrixFilters, cases_in_scope

        wanted = MatrixFilters(groups=filters.groups, attributes=filters.attributes)
        kept = {c.id for c in cases_in_scope(s, wanted)}
        documents = [d for d in documents if d.id in kept]
    return Selection(
        coders=coders,
        coder_ids=coder_ids,
        documents=documents,
        code_ids=code_ids,
        version_id=_resolve_version(s, filters.codebook_version),
        every_document=not (filters.documents or filters.groups or filters.attributes),
    )


def lookups(s: Session) -> Lookups:
    """Project name, coders, codes with their paths, and codebook versions, by id."""
    codes = {r.id: code_from_row(r) for r in s.scalars(select(CodeRow))}
    versions = {
        r.id: CodebookVersion(r.id, r.name, aware(r.created_at), r.coder_id, r.note)
        for r in s.scalars(select(CodebookVersionRow))
    }
    defs, values = field_lookups(s)
    return Lookups(
        project_name=s.scalars(select(ProjectRow.name)).first() or "",
        coders={r.id: coder_from_row(r) for r in s.scalars(select(CoderRow))},
        codes=codes,
        code_paths={i: code_path(c, codes) for i, c in codes.items()},
        versions=versions,
        links=_links_by_coding(s),
        field_defs=defs,
        field_values=values,
    )


def _links_by_coding(s: Session) -> dict[uuid.UUID, str]:
    """The links column of every linked coding (none in a read-only 0002 file)."""
    if not inspect(s.connection()).has_table("coding_link"):
        return {}
    t = CodingLinkRow
    found: dict[uuid.UUID, list[tuple[str, str | None, bool, uuid.UUID]]] = {}
    rows = s.execute(
        select(t.source_id, t.target_id, t.link_type, t.status).order_by(t.created_at, t.id)
    )
    for source, target, kind, status in rows:
        found.setdefault(source, []).append((kind, status, True, target))
        found.setdefault(target, []).append((kind, status, False, source))
    return {k: links_column(v) for k, v in found.items()}


def document_groups(s: Session) -> dict[str, list[str]]:
    """The names of each document's groups, by document id as text."""
    names = {g.id: g.name for g in s.scalars(select(DocumentGroupRow))}
    out: dict[str, list[str]] = {}
    m = DocumentGroupMemberRow
    for group_id, doc_id in s.execute(select(m.group_id, m.document_id)):
        out.setdefault(str(doc_id), []).append(names[group_id])
    return out


def document_columns(documents: list[DocumentSummary]) -> DocumentColumns:
    """The document columns of an export of ``documents``: one per attribute key in use."""
    keys = {k for d in documents for k in d.metadata.attributes}
    return DocumentColumns(tuple(sorted(keys, key=str.casefold)))


def load_document(s: Session, summary: DocumentSummary) -> Document:
    """The document with its text, blocks and pages, read in the export's session."""
    row = s.get(DocumentRow, summary.id)
    if row is None:  # removed after the list was read; the snapshot makes this rare
        raise ValidationError(f"The document '{summary.title}' was removed during the export.")
    blocks, pages = read_structure(s, row.id)
    return Document(
        id=row.id,
        title=row.title,
        text=row.text,
        sha256=row.sha256,
        metadata=summary.metadata or DocumentMetadata(),
        blocks=blocks,
        pages=pages,
        source_format=row.source_format,
        imported_at=aware(row.imported_at),
    )


_CODING_COLUMNS = (
    CodingRow.id,
    CodingRow.document_id,
    CodingRow.code_id,
    CodingRow.coder_id,
    CodingRow.start,
    CodingRow.end,
    CodingRow.memo,
    CodingRow.created_at,
    CodingRow.modified_at,
    CodingRow.codebook_version_id,
)


def stream_codings(s: Session, selection: Selection, document_id: uuid.UUID) -> Iterator[Coding]:
    """The selected codings of one document by position, fetched ``CHUNK`` at a time.

    Only columns are selected (no ORM objects, no stored quote): rows take the quote from
    the document text, which the coding service keeps identical to it.
    """
    stmt = selection.restrict(select(*_CODING_COLUMNS))
    stmt = stmt.where(CodingRow.document_id == document_id).order_by(
        CodingRow.start, CodingRow.end, CodingRow.id
    )
    for cid, did, code, coder, start, end, memo, created, modified, version in s.execute(
        stmt.execution_options(yield_per=CHUNK)
    ):
        yield Coding(
            cid, did, code, coder, start, end, "", memo, aware(created), aware(modified), version
        )


def count_codings(s: Session, selection: Selection) -> int:
    """How many codings the selection holds."""
    return s.scalar(selection.restrict(select(func.count(CodingRow.id)))) or 0


def code_coder_counts(s: Session, selection: Selection | None) -> dict[uuid.UUID, dict]:
    """Codings per code and coder: ``counts[code_id][coder_id]`` (all, or the selection's)."""
    stmt = select(CodingRow.code_id, CodingRow.coder_id, func.count()).group_by(
        CodingRow.code_id, CodingRow.coder_id
    )
    if selection is not None:
        stmt = selection.restrict(stmt)
    counts: dict[uuid.UUID, dict] = {}
    for code_id, coder_id, n in s.execute(stmt):
        counts.setdefault(code_id, {})[coder_id] = n
    return counts


MAX_NAME_BYTES = 255


def check_output_path(path: Path) -> None:
    """Refuse, with a clear message, an export target that cannot be written as a file."""
    path = Path(path)
    if len(os.fsencode(path.name)) > MAX_NAME_BYTES:
        raise ValidationError(f"{path.name[:40]}...: the file name is too long to be written.")
    if path.is_dir():
        raise ValidationError(f"{path}: this is a folder; give the name of a file to write.")
    if not path.parent.is_dir():
        raise ValidationError(f"{path.name}: the folder {path.parent} does not exist.")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block succeeds.

    On any error (or cancel) the temporary file is removed and ``path`` is untouched. The
    temporary name is short whatever ``path``'s is, and temporary files that killed
    exports left in the folder are removed first (see :mod:`annotator.exchange.partial_files`).
    A file-system error becomes a :class:`ValidationError` naming the file.
    """
    path = Path(path)
    check_output_path(path)
    clean_stale_partials(path.parent)
    tmp = partial_path(path.parent)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise ValidationError(
            f"{path.name}: the file cannot be written ({exc.strerror or exc})."
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _stream_rows(
    s: Session,
    selection: Selection,
    look: Lookups,
    context: int,
    tick: Callable[[], None],
    columns: DocumentColumns,
    groups: dict[str, list[str]],
) -> Iterator[tuple[Document, Iterator]]:
    for summary in selection.documents:
        document = load_document(s, summary)
        fields = columns.fields(summary.length, document.metadata, groups.get(str(summary.id), ()))

        def counted(doc_id: uuid.UUID = document.id) -> Iterator[Coding]:
            for coding in stream_codings(s, selection, doc_id):
                tick()
                yield coding

        yield document, build_rows(document, counted(), look, context, fields)


def export_codings(
    project: Project,
    path: Path | str,
    fmt: ExportFormat | str,
    filters: ExportFilters | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    context: int = DEFAULT_CONTEXT,
    csv_protect: bool = True,
    uncoded_text: bool = False,
) -> ExportSummary:
    """Export the selected codings to ``path`` as CSV, XLSX, JSONL or an HTML report.

    ``progress(done, total)`` is called every :data:`CHUNK` codings and at the end;
    ``cancelled()`` is polled as often, and a cancelled export leaves no file behind.
    ``csv_protect`` (CSV only) prefixes formula-like text with an apostrophe.
    """
    fmt = ExportFormat(fmt)
    path = Path(path)
    began = time.perf_counter()
    with project.db.reader() as s:
        selection = resolve(project, s, filters or ExportFilters())
        total = count_codings(s, selection)
        look = lookups(s)
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if done % CHUNK == 0:
                if cancelled is not None and cancelled():
                    raise _CancelledError
                if progress is not None:
                    progress(done, total)

        if cancelled is not None and cancelled():
            return ExportSummary(path, fmt.value, 0, 0, cancelled=True)
        columns, groups = document_columns(selection.documents), document_groups(s)
        stream = _stream_rows(s, selection, look, context, tick, columns, groups)
        try:
            with atomic_path(path) as tmp:
                rows = _write(
                    fmt,
                    tmp,
                    stream,
                    s,
                    selection,
                    look,
                    columns,
                    groups,
                    filters,
                    csv_protect,
                    uncoded_text,
                )
        except _CancelledError:
            return ExportSummary(
                path, fmt.value, done, len(selection.documents), True, time.perf_counter() - began
            )
    if progress is not None:
        progress(rows, total)
    return ExportSummary(
        path, fmt.value, rows, len(selection.documents), False, time.perf_counter() - began
    )


def _write(
    fmt: ExportFormat,
    tmp: Path,
    stream: Iterator[tuple[Document, Iterator]],
    s: Session,
    selection: Selection,
    look: Lookups,
    columns: DocumentColumns,
    groups: dict[str, list[str]],
    filters: ExportFilters | None = None,
    csv_protect: bool = True,
    uncoded_text: bool = False,
) -> int:
    flat = (row for _, rows in stream for row in rows)
    extra = field_columns(look, set(code_coder_counts(s, selection)))
    if fmt is ExportFormat.CSV:
        return write_coded_set_csv(
            tmp, flat, extra, protect=csv_protect, document_header=columns.header()
        )
    if fmt is ExportFormat.JSONL:
        return write_coded_set_jsonl(tmp, flat)
    if fmt is ExportFormat.XLSX:
        counts = code_coder_counts(s, selection)
        table = codebook_table(look.codes.values(), selection.coders, counts)
        return write_coded_set_xlsx(tmp, flat, table, selection.documents, extra, columns, groups)
    colours = {str(i): c.color for i, c in look.codes.items()}
    documents = (ReportDocument(doc, list(rows)) for doc, rows in stream)
    n_docs = len(selection.documents)
    subtitle = f"{look.project_name}: {n_docs} document{'s' * (n_docs != 1)}"
    preamble = report_preamble(s, selection, filters or ExportFilters())
    return write_html_report(
        tmp, "Coding report", documents, colours, subtitle, uncoded_text, preamble=preamble
    )


def report_preamble(s: Session, selection: Selection, filters: ExportFilters) -> str:
    """Charts (frequencies by document, co-occurrence heatmap, codes over time) and the
    memos of the selected documents, as HTML for the top of the report."""
    from annotator.exchange import charts
    from annotator.exchange.memo_export import memos_html_body
    from annotator.services.matrices import MatrixFilters, MatrixRequest, compute, gather
    from annotator.services.memos import read_memos

    scope = gather(
        s,
        MatrixFilters(
            coders=filters.coders,
            documents=filters.documents,
            codes=filters.codes,
            codebook_version=filters.codebook_version,
            groups=filters.groups,
            attributes=filters.attributes,
        ),
    )
    parts = []
    if len(scope.table):
        figures = [
            charts.frequency_chart(
                compute(scope, MatrixRequest(columns="documents", hide_empty_codes=True)),
                "Code frequencies by document",
            ),
            charts.heatmap(
                compute(scope, MatrixRequest(columns="codes", hide_empty_codes=True)),
                "Co-occurrence of codes (overlapping codings, same coder)",
            ),
        ]
        series = charts.series_from_matrix(
            compute(scope, MatrixRequest(columns="year", hide_empty_codes=True))
        )
        if len({p for v in series.values() for p in v}) > 1:
            figures.append(charts.over_time_chart(series, "Codes over time (document year)"))
        parts.append('<section class="charts"><h2>Charts</h2>')
        parts.extend(f'<figure class="chart">{charts.inline_svg(f)}</figure>' for f in figures)
        parts.append("</section>")
    documents = None if selection.every_document else [d.id for d in selection.documents]
    memos = read_memos(s, document_ids=documents)
    if memos:
        parts.append(memos_html_body(memos))
    return "\n".join(parts)


def export_unit_table(
    project: Project,
    path: Path | str,
    unit: UnitKind | str = UnitKind.SENTENCE,
    filters: ExportFilters | None = None,
    fmt: str | None = None,
    *,
    csv_protect: bool = True,
) -> ExportSummary:
    """Write the unit-by-coder table (see :mod:`annotator.exchange.unit_table`).

    The format is ``fmt`` ("csv" or "xlsx"), else the file's extension. Columns hold the
    coders of the filter, or every coder of the project.
    """
    unit = UnitKind(unit)
    path = Path(path)
    fmt = (fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")).lower()
    if fmt not in ("csv", "xlsx"):
        raise ValidationError(f"The unit table is written as csv or xlsx, not '{fmt}'.")
    began = time.perf_counter()
    with project.db.reader() as s:
        selection = resolve(project, s, filters or ExportFilters())
        look = lookups(s)
        extra = field_columns(look, set(code_coder_counts(s, selection)))
        columns, groups = document_columns(selection.documents), document_groups(s)
        header = unit_header(selection.coders, extra, columns.header())

        def rows() -> Iterator[list[object]]:
            for summary in selection.documents:
                document = load_document(s, summary)
                codings = (
                    UnitCoding(
                        c.start,
                        c.end,
                        str(c.coder_id),
                        look.code_paths[c.code_id],
                        confirmed_fields(c, look),
                    )
                    for c in stream_codings(s, selection, document.id)
                )
                fields = columns.fields(
                    summary.length, document.metadata, groups.get(str(summary.id), ())
                )
                doc_values = [v for _, v in fields]
                for row in document_unit_rows(document, codings, selection.coders, unit, extra):
                    yield [*row[: len(FIXED_COLUMNS)], *doc_values, *row[len(FIXED_COLUMNS) :]]

        with atomic_path(path) as tmp:
            if fmt == "csv":
                count = write_csv_table(tmp, header, rows(), protect=csv_protect)
            else:
                count = write_xlsx_table(tmp, "Units", (header, rows()), {"text": 80})
    return ExportSummary(
        path, fmt, count, len(selection.documents), False, time.perf_counter() - began
    )
