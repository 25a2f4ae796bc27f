"""Conversions between ORM rows and the plain domain entities services return."""

from __future__ import annotations

from datetime import UTC, datetime

from annotator.domain.model import Code, Coder, Coding
from annotator.storage.models import CodeRow, CoderRow, CodingRow


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC, so say so."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def coder_from_row(row: CoderRow) -> Coder:
    """The domain coder of a row."""
    return Coder(id=row.id, name=row.name)


CODE_FIELDS = (
    "name",
    "color",
    "parent_id",
    "position",
    "kind",
    "shortcut",
    "definition",
    "inclusion",
    "exclusion",
    "example_typical",
    "example_atypical",
    "memo",
    "codable",
)


def code_from_row(row: CodeRow) -> Code:
    """The domain code of a row."""
    return Code(id=row.id, **{name: getattr(row, name) for name in CODE_FIELDS})


def code_to_row(code: Code, row: CodeRow | None = None) -> CodeRow:
    """Write ``code`` into ``row`` (a new row when None) and return it."""
    row = row or CodeRow(id=code.id)
    for name in CODE_FIELDS:
        setattr(row, name, getattr(code, name))
    return row


CODING_FIELDS = (
    "document_id",
    "code_id",
    "coder_id",
    "start",
    "end",
    "quote",
    "memo",
    "created_at",
    "modified_at",
    "codebook_version_id",
)


def coding_from_row(row: CodingRow) -> Coding:
    """The domain coding of a row."""
    values = {name: getattr(row, name) for name in CODING_FIELDS}
    values["created_at"] = aware(values["created_at"])
    values["modified_at"] = aware(values["modified_at"])
    return Coding(id=row.id, **values)


def coding_to_row(coding: Coding, row: CodingRow | None = None) -> CodingRow:
    """Write ``coding`` into ``row`` (a new row when None) and return it."""
    row = row or CodingRow(id=coding.id)
    for name in CODING_FIELDS:
        setattr(row, name, getattr(coding, name))
    return row
