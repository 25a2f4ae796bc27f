"""Use cases for documents: add, list, read and describe them."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.model import Document, DocumentSummary, new_id, utcnow
from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    ExtractedDocument,
    Page,
)
from annotator.domain.text import is_canonical, text_sha256
from annotator.storage.database import Database
from annotator.storage.mapping import aware
from annotator.storage.models import (
    CodingRow,
    DocumentAttributeRow,
    DocumentBlockRow,
    DocumentFileRow,
    DocumentPageRow,
    DocumentRow,
)

_KINDS = {kind.value: kind for kind in BlockKind}


def read_structure(
    s: Session, document_id: uuid.UUID, *, kinds: Collection[BlockKind] | None = None
) -> tuple[tuple[Block, ...], tuple[Page, ...]]:
    """A document's blocks (only those of ``kinds`` when given) and pages, read in the
    caller's session (and snapshot).

    A long report has thousands of paragraphs: reading them is most of the cost of opening
    it for reading, where only headings and footnotes are styled.
    """
    # Plain rows, not ORM objects: a long report has thousands of blocks.
    b, p = DocumentBlockRow, DocumentPageRow
    query = select(b.kind, b.start, b.end, b.level, b.label).where(b.document_id == document_id)
    if kinds is not None:
        query = query.where(b.kind.in_([kind.value for kind in kinds]))
    blocks = s.execute(query.order_by(b.start, b.id)).all()
    pages = s.execute(
        select(p.number, p.start, p.end, p.label)
        .where(p.document_id == document_id)
        .order_by(p.number)
    ).all()
    return (
        tuple(Block(_KINDS[r.kind], r.start, r.end, r.level, r.label) for r in blocks),
        tuple(Page(r.number, r.start, r.end, r.label) for r in pages),
    )


def _metadata(row: DocumentRow, attributes: dict[str, str] | None = None) -> DocumentMetadata:
    """A row's metadata (``row`` may be a plain row of the same columns, with ``attributes``)."""
    return DocumentMetadata(
        title=row.title,
        author=row.author,
        publisher=row.publisher,
        date=row.date,
        source=row.source,
        attributes=({a.key: a.value for a in row.attributes} if attributes is None else attributes),
    )


# Everything the document list shows, and not the text: on SQLite these columns come from
# a covering index (``ix_document_listing``), so listing never walks the pages that hold
# the texts (a 40-report project listed in 200 ms when it loaded them; now in about 1 ms).
_LISTING = (
    DocumentRow.id,
    DocumentRow.title,
    DocumentRow.sha256,
    DocumentRow.length,
    DocumentRow.author,
    DocumentRow.publisher,
    DocumentRow.date,
    DocumentRow.source,
    DocumentRow.position,
)


def _fit(value: str | None, limit: int | None) -> str | None:
    """Descriptive metadata as every backend stores it: no NUL, at most ``limit`` characters.

    SQLite keeps whatever it is given; PostgreSQL refuses NUL and over-long VARCHARs, so
    both get the same clipped value and a project moves between them unchanged.
    """
    if value is None:
        return None
    value = value.replace("\x00", "")
    return value if limit is None else value[:limit]


class DocumentService:
    """Documents of one project. Every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def find_by_sha256(self, sha256: str) -> uuid.UUID | None:
        """The id of the document whose text has this SHA-256, if the project has one."""
        with self._db.reader() as s:
            return s.scalars(select(DocumentRow.id).where(DocumentRow.sha256 == sha256)).first()

    def add(self, extracted: ExtractedDocument, *, title: str | None = None) -> uuid.UUID | None:
        """Store an extracted document; return its id, or None when the same text exists.

        The text must already be canonical; it is checked, never silently changed, so the
        offsets of its blocks and pages stay valid.
        """
        text = extracted.text
        if not is_canonical(text):
            raise ValidationError("Document text must be canonical (LF line endings, no BOM).")
        if not text.strip():
            raise ValidationError("The document has no text.")
        if "\x00" in text:  # PostgreSQL cannot store NUL; refused alike on both backends
            raise ValidationError(
                "The document's text contains NUL characters (\\x00); it looks like a binary "
                "file and was not stored."
            )
        for span in (*extracted.blocks, *extracted.pages):
            if not 0 <= span.start <= span.end <= len(text):
                raise ValidationError(f"A structure span {span} lies outside the text.")
        sha = text_sha256(text)
        try:
            return self._insert(extracted, sha, title)
        except IntegrityError:
            # Another process stored the same text between our check and our insert; the
            # unique index on sha256 refused the second copy.
            if self._has_text(sha):
                return None
            raise

    def _has_text(self, sha: str) -> bool:
        with self._db.reader() as s:
            return (
                s.scalars(select(DocumentRow.id).where(DocumentRow.sha256 == sha)).first()
                is not None
            )

    def _insert(
        self, extracted: ExtractedDocument, sha: str, title: str | None
    ) -> uuid.UUID | None:
        text = extracted.text
        meta = extracted.metadata
        with self._db.transaction() as s:
            if s.scalars(select(DocumentRow.id).where(DocumentRow.sha256 == sha)).first():
                return None
            position = s.scalar(select(func.coalesce(func.max(DocumentRow.position), -1))) + 1
            doc_id = new_id()
            row = DocumentRow(
                id=doc_id,
                title=_fit(title or meta.title or extracted.original_name or "Untitled", 500),
                text=text,
                sha256=sha,
                length=len(text),
                author=_fit(meta.author, 500),
                publisher=_fit(meta.publisher, 500),
                date=_fit(meta.date, 40),
                source=_fit(meta.source, None),
                source_format=extracted.source_format,
                position=position,
                imported_at=utcnow(),
            )
            row.attributes = [
                DocumentAttributeRow(key=_fit(k, 200), value=_fit(v, None))
                for k, v in sorted(meta.attributes.items())
            ]
            s.add(row)
            s.flush()  # the blocks, pages and file rows below refer to this row
            # Core bulk inserts: a long report has thousands of blocks.
            if extracted.blocks:
                s.execute(
                    insert(DocumentBlockRow.__table__),  # plain executemany, no RETURNING
                    [
                        {
                            "document_id": doc_id,
                            "kind": b.kind.value,
                            "start": b.start,
                            "end": b.end,
                            "level": b.level,
                            "label": b.label,
                        }
                        for b in extracted.blocks
                    ],
                )
            if extracted.pages:
                s.execute(
                    insert(DocumentPageRow.__table__),
                    [
                        {
                            "document_id": doc_id,
                            "number": p.number,
                            "start": p.start,
                            "end": p.end,
                            "label": p.label,
                        }
                        for p in extracted.pages
                    ],
                )
            if extracted.original:
                s.add(
                    DocumentFileRow(
                        document_id=doc_id,
                        name=extracted.original_name or "original",
                        data=extracted.original,
                    )
                )
            return doc_id

    def list(self, coder_ids: Collection[uuid.UUID] | None = None) -> list[DocumentSummary]:
        """Every document in list order, with the number of codings by ``coder_ids``."""
        with self._db.reader() as s:
            counts = select(CodingRow.document_id, func.count().label("n"))
            if coder_ids is not None:
                counts = counts.where(CodingRow.coder_id.in_(list(coder_ids)))
            sub = counts.group_by(CodingRow.document_id).subquery()
            stmt = (
                select(*_LISTING, func.coalesce(sub.c.n, 0).label("n"))
                .outerjoin(sub, sub.c.document_id == DocumentRow.id)
                .order_by(DocumentRow.position, DocumentRow.title)
            )
            attributes: dict[uuid.UUID, dict[str, str]] = {}
            a = DocumentAttributeRow
            for doc_id, key, value in s.execute(
                select(a.document_id, a.key, a.value).order_by(a.document_id, a.key)
            ):
                attributes.setdefault(doc_id, {})[key] = value
            return [
                DocumentSummary(
                    id=row.id,
                    title=row.title,
                    sha256=row.sha256,
                    length=row.length,
                    coding_count=int(row.n),
                    metadata=_metadata(row, attributes.get(row.id, {})),  # type: ignore[arg-type]
                    position=row.position,
                )
                for row in s.execute(stmt).all()
            ]

    def get(
        self, document_id: uuid.UUID, *, kinds: Collection[BlockKind] | None = None
    ) -> Document:
        """A document with its text, blocks and pages.

        With ``kinds`` the document's ``blocks`` are only those kinds: the reading view asks
        for the headings and footnotes it styles. Exports, agreement units and anything
        else that walks paragraphs must ask for the whole structure.
        """
        with self._db.reader() as s:
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"Document {document_id} is not in this project.")
            blocks, pages = read_structure(s, document_id, kinds=kinds)
            return Document(
                id=row.id,
                title=row.title,
                text=row.text,
                sha256=row.sha256,
                metadata=_metadata(row),
                blocks=blocks,
                pages=pages,
                source_format=row.source_format,
                imported_at=aware(row.imported_at),
            )

    def original_file(self, document_id: uuid.UUID) -> tuple[str, bytes] | None:
        """The name and bytes of the file the document was imported from, if kept."""
        with self._db.reader() as s:
            row = s.get(DocumentFileRow, document_id)
            return (row.name, row.data) if row else None

    def update_metadata(self, document_id: uuid.UUID, metadata: DocumentMetadata) -> None:
        """Replace a document's descriptive metadata (its text never changes)."""
        title = (metadata.title or "").strip()
        if not title:
            raise ValidationError("A document needs a title.")
        with self._db.transaction() as s:
            row = s.get(DocumentRow, document_id)
            if row is None:
                raise NotFoundError(f"Document {document_id} is not in this project.")
            row.title = _fit(title, 500)
            row.author, row.publisher = _fit(metadata.author, 500), _fit(metadata.publisher, 500)
            row.date, row.source = _fit(metadata.date, 40), _fit(metadata.source, None)
            row.attributes = [
                DocumentAttributeRow(key=_fit(k.strip(), 200), value=_fit(v, None))
                for k, v in sorted(metadata.attributes.items())
                if k.strip()
            ]
