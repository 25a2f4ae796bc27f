"""SQLAlchemy 2.0 typed ORM models: the project schema.

The schema is portable: no SQLite-only SQL, UUID primary keys (``Uuid`` is CHAR(32) on
SQLite and native UUID on PostgreSQL), timezone-aware timestamps, and foreign keys with
explicit ``ondelete`` so SQLite (with ``foreign_keys=ON``) and PostgreSQL behave alike.
Changes to this file need a new numbered Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for every table of a project."""


class ProjectRow(Base):
    """The single row describing the project itself."""

    __tablename__ = "project"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    app_name: Mapped[str] = mapped_column(String(40), default="annotator")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoderRow(Base):
    """A coder: everyone whose codings are stored, plus any adjudication consensus."""

    __tablename__ = "coder"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DocumentRow(Base):
    """A document: immutable canonical text, its SHA-256 and descriptive metadata."""

    __tablename__ = "document"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True, unique=True)  # 0004
    length: Mapped[int] = mapped_column(Integer)
    author: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(500))
    date: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(20), default="text")
    position: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    attributes: Mapped[list[DocumentAttributeRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="DocumentAttributeRow.key"
    )

    # SQLite only (migration 0003): the document list's columns without the text, which
    # SQLite would otherwise read page by page to reach the columns stored after it.
    __table_args__ = (
        Index(
            "ix_document_listing",
            "position",
            "title",
            "id",
            "sha256",
            "length",
            "author",
            "publisher",
            "date",
            "source",
        ).ddl_if(dialect="sqlite"),
    )


class DocumentFileRow(Base):
    """The original file's bytes, kept for provenance and re-export."""

    __tablename__ = "document_file"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(500))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentAttributeRow(Base):
    """A free key/value attribute of a document ("type: think-tank report")."""

    __tablename__ = "document_attribute"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DocumentBlockRow(Base):
    """A structural block (heading, paragraph, list item, table cell, footnote)."""

    __tablename__ = "document_block"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(100))


class DocumentPageRow(Base):
    """A page of the original file as a span of the canonical text."""

    __tablename__ = "document_page"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(40))


class CodeRow(Base):
    """A codebook entry; ``parent_id`` builds the tree."""

    __tablename__ = "code"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_code_sibling_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(9))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(40), default="theme")
    shortcut: Mapped[str | None] = mapped_column(String(40))
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example_typical: Mapped[str] = mapped_column(Text, default="")
    example_atypical: Mapped[str] = mapped_column(Text, default="")
    memo: Mapped[str] = mapped_column(Text, default="")
    codable: Mapped[bool] = mapped_column(Boolean, default=True)


class CodebookVersionRow(Base):
    """A named, frozen state of the codebook; ``snapshot`` is its JSON form."""

    __tablename__ = "codebook_version"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    coder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text)


class CodebookChangeRow(Base):
    """One entry of the codebook change log: who changed what, when."""

    __tablename__ = "codebook_change"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    coder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    code_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # no FK: survives deletion
    details: Mapped[str] = mapped_column(Text, default="{}")


class CodingRow(Base):
    """A code applied by a coder to ``[start, end)`` of a document's text."""

    __tablename__ = "coding"
    __table_args__ = (
        Index("ix_coding_document_start", "document_id", "start"),
        # migration 0007: retrieval reads codes' spans from the index alone
        Index("ix_coding_code_span", "code_id", "document_id", "start", "end", "coder_id", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), index=True
    )
    coder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coder.id", ondelete="RESTRICT"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    codebook_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("codebook_version.id", ondelete="SET NULL")
    )


class DocumentGroupRow(Base):
    """A named set of documents (REFI-QDA "Set"; e.g. "think-tank reports")."""

    __tablename__ = "document_group"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class DocumentGroupMemberRow(Base):
    """Membership of a document in a group."""

    __tablename__ = "document_group_member"

    group_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document_group.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )


class CodeFieldRow(Base):
    """A field declared on a code (migration 0005); ``choices`` is a JSON list."""

    __tablename__ = "code_field"
    __table_args__ = (UniqueConstraint("code_id", "name", name="uq_code_field_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    code_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("code.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    choices: Mapped[str] = mapped_column(Text, default="[]")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    definition: Mapped[str] = mapped_column(Text, default="")


class CodingFieldValueRow(Base):
    """The value one coding carries for one field (migration 0005); ``value`` is JSON."""

    __tablename__ = "coding_field_value"

    coding_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("code_field.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[str] = mapped_column(Text)
    coder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    modified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    suggested: Mapped[bool] = mapped_column(Boolean, default=False)


class FieldSettingRow(Base):
    """Project-wide field settings as JSON (migration 0005): the suggestion rules."""

    __tablename__ = "field_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CodingLinkRow(Base):
    """A typed link between two codings (migration 0006); gone with either coding."""

    __tablename__ = "coding_link"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), index=True
    )
    link_type: Mapped[str] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(200))
    memo: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    modified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LinkVocabularyRow(Base):
    """The project's editable lists (migration 0006): link types and response statuses."""

    __tablename__ = "link_vocabulary"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # "type" or "status"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class MemoRow(Base):
    """The project memo (``scope`` "project", no document) or a document's memo.

    Code and coding memos stay on their own rows; one memo per project and per document
    (the memo service keeps it so).
    """

    __tablename__ = "memo"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    modified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SavedQueryRow(Base):
    """A named retrieval query or text search (migration 0007).

    ``kind`` is "retrieval" or "search"; ``options`` is JSON (filters, search options).
    """

    __tablename__ = "saved_query"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_saved_query_kind_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text)
    options: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
