"""The coded set: one flat, self-describing row per coding, shared by every export format.

A row carries everything an analyst needs without the project file: who applied which code
to which characters of which document, the quoted text with some context on each side, the
section and page it sits in, and stable UUIDs so rows can be joined back to the project,
to a REFI-QDA export or to another coder's export. Rows are built from plain domain
objects only, so this module knows nothing of storage.

Offsets are Python code points, half-open ``[start, end)``: ``quote == text[start:end]``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

from annotator.domain.dates import iso_date
from annotator.domain.fields import FieldDef, FieldKind, FieldValue, format_value
from annotator.domain.model import Code, CodebookVersion, Coder, Coding, Document
from annotator.domain.source_names import shareable_source
from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    page_at,
    section_heading_at,
)

DEFAULT_CONTEXT = 100
"""Characters of context on each side of a quote, before trimming to a word boundary."""

SCHEMA_VERSION = 1
"""Version of the row layout; bumped whenever a column is renamed, removed or retyped."""


@dataclass(frozen=True, slots=True)
class CodedSetRow:
    """One coding, flattened for analysis. Field order is the column order of every export.

    Times are ISO 8601 in UTC with a ``Z`` suffix; UUIDs are lower-case hyphenated strings;
    absent values (no section heading, no page, no codebook version) are None.
    """

    coding_id: str
    project: str
    document_title: str
    document_id: str
    document_sha256: str
    coder: str
    coder_id: str
    code_path: str
    code_id: str
    code_kind: str
    codebook_version: str | None
    codebook_version_id: str | None
    start: int
    end: int
    quote: str
    context_before: str
    context_after: str
    section_heading: str | None
    page: int | None
    page_label: str | None
    memo: str
    created_at: str
    modified_at: str
    # Links to and from other codings (issue 10): "TYPE to|from CODING_ID [STATUS]", "; "-joined.
    links: str = ""
    # Field values (issue 10), not a column: (column name, readable value) per field of the
    # coding's code, and the names of the columns holding unconfirmed suggestions.
    field_values: tuple[tuple[str, object], ...] = ()
    suggested_fields: tuple[str, ...] = ()
    # The document's metadata, groups and attributes as (column, value) pairs, the same
    # columns in every row of one export (see :class:`DocumentColumns`); after COLUMNS.
    document_fields: tuple[tuple[str, object], ...] = ()

    def values(self) -> tuple[object, ...]:
        """The row's values in column order (the document columns last)."""
        core = tuple(getattr(self, name) for name in COLUMNS)
        return core + tuple(v for _, v in self.document_fields) if self.document_fields else core

    def as_dict(self) -> dict[str, object]:
        """The row as a column-name to value mapping, in column order."""
        out = {name: getattr(self, name) for name in COLUMNS}
        out.update(self.document_fields)
        return out


COLUMNS: tuple[str, ...] = tuple(
    f.name
    for f in fields(CodedSetRow)
    if f.name not in ("field_values", "suggested_fields", "document_fields")
)
"""Column names of the coded set, in order (without the per-export document columns)."""

DOCUMENT_FIXED = (
    "document_length",
    "document_date",
    "document_author",
    "document_publisher",
    "document_source",
    "document_groups",
)
"""Document columns every export carries after :data:`COLUMNS`."""

ATTRIBUTE_PREFIX = "attr_"
"""Prefix of the column of a free document attribute (``attr_type``, ``attr_country``)."""

GROUP_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class DocumentColumns:
    """The document columns of one export: the fixed ones, then one per attribute key.

    Dates are written as ISO dates (:func:`annotator.domain.dates.iso_date`); groups are the
    document's group names, sorted, joined with ``"; "``; an attribute a document lacks is
    empty (None).
    """

    attribute_keys: tuple[str, ...] = ()

    def header(self) -> tuple[str, ...]:
        """Column names, in order."""
        return (*DOCUMENT_FIXED, *(ATTRIBUTE_PREFIX + k for k in self.attribute_keys))

    def fields(
        self, length: int, metadata: DocumentMetadata, groups: Iterable[str]
    ) -> tuple[tuple[str, object], ...]:
        """The (column, value) pairs of one document."""
        values: tuple[object, ...] = (
            length,
            iso_date(metadata.date),
            metadata.author or None,
            metadata.publisher or None,
            shareable_source(metadata.source) or None,  # no home-folder paths
            GROUP_SEPARATOR.join(sorted(groups, key=str.casefold)) or None,
            *(metadata.attributes.get(k) for k in self.attribute_keys),
        )
        return tuple(zip(self.header(), values, strict=True))


INTEGER_COLUMNS = frozenset({"start", "end", "page"})
"""Columns holding whole numbers (or None); every other column holds text (or None)."""


def iso_utc(moment: datetime) -> str:
    """``moment`` as ISO 8601 in UTC with microseconds and a ``Z`` suffix.

    Naive datetimes are taken to be UTC already, as everything the project stores is.
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def context_before(text: str, start: int, size: int) -> str:
    """Up to ``size`` characters before ``start``, starting at a word boundary.

    When the window begins inside a word, the partial word is dropped (up to the first white
    space in the window); a window with no white space at all (CJK, long URLs) is kept whole,
    because cutting it would leave nothing. The result is always ``text[k:start]``.
    """
    if size <= 0 or start <= 0:
        return ""
    begin = max(0, start - size)
    window = text[begin:start]
    if begin == 0 or text[begin - 1].isspace() or window[:1].isspace():
        return window
    for i, ch in enumerate(window):
        if ch.isspace():
            return window[i + 1 :]
    return window


def context_after(text: str, end: int, size: int) -> str:
    """Up to ``size`` characters after ``end``, ending at a word boundary (mirror rule)."""
    if size <= 0 or end >= len(text):
        return ""
    stop = min(len(text), end + size)
    window = text[end:stop]
    if stop == len(text) or text[stop].isspace() or window[-1:].isspace():
        return window
    for i in range(len(window) - 1, -1, -1):
        if window[i].isspace():
            return window[:i]
    return window


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """A document prepared for building rows: its text, headings and pages, looked up once."""

    document: Document
    headings: tuple[Block, ...]

    @classmethod
    def of(cls, document: Document) -> DocumentFacts:
        """Prepare ``document`` (headings sorted by start, as section lookup needs)."""
        headings = tuple(
            sorted(
                (b for b in document.blocks if b.kind is BlockKind.HEADING),
                key=lambda b: (b.start, b.end),
            )
        )
        return cls(document, headings)

    def section_heading(self, offset: int) -> str | None:
        """The text of the last heading starting at or before ``offset``, if any."""
        block = section_heading_at(self.headings, offset)
        if block is None:
            return None
        return " ".join(self.document.text[block.start : block.end].split()) or None

    def page(self, offset: int) -> tuple[int | None, str | None]:
        """The page number and printed label at ``offset`` (None, None without pages)."""
        if not self.document.pages:
            return None, None
        page = page_at(self.document.pages, offset)
        return (page.number, page.label) if page else (None, None)


@dataclass(frozen=True, slots=True)
class Lookups:
    """Everything a row refers to besides its document, by UUID: built once per export."""

    project_name: str
    coders: dict[uuid.UUID, Coder]
    codes: dict[uuid.UUID, Code]
    code_paths: dict[uuid.UUID, str]
    versions: dict[uuid.UUID, CodebookVersion]
    links: dict[uuid.UUID, str] = field(default_factory=dict)  # coding id -> links column
    field_defs: dict[uuid.UUID, list[FieldDef]] = field(default_factory=dict)  # by code
    field_values: dict[uuid.UUID, dict[uuid.UUID, FieldValue]] = field(default_factory=dict)


def links_column(links: Iterable[tuple[str, str | None, bool, uuid.UUID]]) -> str:
    """The links column: ``TYPE to|from CODING_ID [STATUS]`` for each link, ``; ``-joined."""
    return "; ".join(
        f"{kind} {'to' if outgoing else 'from'} {other}" + (f" [{status}]" if status else "")
        for kind, status, outgoing, other in links
    )


def field_column(code: Code | None, f: FieldDef) -> str:
    """The column of a field in tabular exports: ``Recommendation.Strength``."""
    return f"{code.name if code else '?'}.{f.name}"


def field_columns(lookups: Lookups, code_ids: set[uuid.UUID] | None = None) -> list[str]:
    """The field columns of an export, by code then field position (no duplicates).

    With ``code_ids`` (the codes the exported codings use), only their fields, so an
    export without recommendation codings gets no empty field columns.
    """
    out: list[str] = []
    for code_id, defs in lookups.field_defs.items():
        if code_ids is not None and code_id not in code_ids:
            continue
        for f in defs:
            name = field_column(lookups.codes.get(code_id), f)
            if name not in out:
                out.append(name)
    return out


def export_value(f: FieldDef, value: object) -> object:
    """A value as exports write it: choice labels (a list for multiple choice), numbers,
    booleans and dates as themselves."""
    if f.kind is FieldKind.MULTIPLE_CHOICE and isinstance(value, list):
        return [c.label for c in f.choices if c.id in value]
    if f.kind in (FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL):
        return format_value(f, value)  # type: ignore[arg-type]
    return value


def confirmed_fields(coding: Coding, lookups: Lookups) -> tuple[tuple[str, object], ...]:
    """(column, value) of the coding's confirmed field values (suggestions left out)."""
    values, suggested = _row_fields(coding, lookups)
    return tuple((n, v) for n, v in values if n not in suggested)


def _row_fields(
    coding: Coding, lookups: Lookups
) -> tuple[tuple[tuple[str, object], ...], tuple[str, ...]]:
    defs = lookups.field_defs.get(coding.code_id)
    if not defs:
        return (), ()
    code = lookups.codes.get(coding.code_id)
    have = lookups.field_values.get(coding.id, {})
    out, suggested = [], []
    for f in defs:
        name = field_column(code, f)
        v = have.get(f.id)
        out.append((name, export_value(f, v.value) if v is not None else None))
        if v is not None and v.suggested:
            suggested.append(name)
    return tuple(out), tuple(suggested)


def build_row(
    facts: DocumentFacts,
    coding: Coding,
    lookups: Lookups,
    context: int = DEFAULT_CONTEXT,
    document_fields: tuple[tuple[str, object], ...] = (),
) -> CodedSetRow:
    """The coded-set row of ``coding`` (which must belong to ``facts.document``)."""
    doc = facts.document
    coder = lookups.coders.get(coding.coder_id)
    code = lookups.codes.get(coding.code_id)
    version = (
        lookups.versions.get(coding.codebook_version_id) if coding.codebook_version_id else None
    )
    page, page_label = facts.page(coding.start)
    values, suggested = _row_fields(coding, lookups)
    return CodedSetRow(
        coding_id=str(coding.id),
        project=lookups.project_name,
        document_title=doc.title,
        document_id=str(doc.id),
        document_sha256=doc.sha256,
        coder=coder.name if coder else "",
        coder_id=str(coding.coder_id),
        code_path=lookups.code_paths.get(coding.code_id, ""),
        code_id=str(coding.code_id),
        code_kind=code.kind if code else "",
        codebook_version=version.name if version else None,
        codebook_version_id=str(coding.codebook_version_id) if coding.codebook_version_id else None,
        start=coding.start,
        end=coding.end,
        # The stored quote is checked against the text on every write; the text is the truth.
        quote=doc.text[coding.start : coding.end],
        context_before=context_before(doc.text, coding.start, context),
        context_after=context_after(doc.text, coding.end, context),
        section_heading=facts.section_heading(coding.start),
        page=page,
        page_label=page_label,
        memo=coding.memo,
        created_at=iso_utc(coding.created_at),
        modified_at=iso_utc(coding.modified_at),
        links=lookups.links.get(coding.id, ""),
        field_values=values,
        suggested_fields=suggested,
        document_fields=document_fields,
    )


def flat_value(value: object) -> object:
    """A field value for one table cell: a list of choices joined with ``"; "``."""
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def tabular_values(row: CodedSetRow, extra: list[str] | tuple[str, ...]) -> tuple[object, ...]:
    """The row's columns, then one cell per field column in ``extra`` and the names of
    the fields holding unconfirmed suggestions (when ``extra`` is not empty)."""
    if not extra:
        return row.values()
    have = dict(row.field_values)
    cells = tuple(flat_value(have.get(name)) for name in extra)
    return (*row.values(), *cells, "; ".join(row.suggested_fields) or None)


SUGGESTED_COLUMN = "suggested_fields"


def build_rows(
    document: Document,
    codings: Iterable[Coding],
    lookups: Lookups,
    context: int = DEFAULT_CONTEXT,
    document_fields: tuple[tuple[str, object], ...] = (),
) -> Iterator[CodedSetRow]:
    """Rows for ``codings`` of one ``document``, lazily, in the order given."""
    facts = DocumentFacts.of(document)
    for coding in codings:
        yield build_row(facts, coding, lookups, context, document_fields)
