"""Shared helpers for the fields tests: a code with fields and a coding to fill."""

from __future__ import annotations

import uuid

from annotator.domain.fields import FieldChoice, FieldDef, FieldKind
from annotator.domain.model import Code, Coding, new_id
from annotator.services.project import Project


def strength_field(code_id: uuid.UUID, *, required: bool = True) -> FieldDef:
    """An ordinal Strength field: could < should < must."""
    return FieldDef(
        id=new_id(),
        code_id=code_id,
        name="Strength",
        kind=FieldKind.ORDINAL,
        choices=(
            FieldChoice("c-could", "could", "Weak: could, may, consider", "1"),
            FieldChoice("c-should", "should", "Firm: should, ought to", "2"),
            FieldChoice("c-must", "must", "Binding: must, shall, will", "3"),
        ),
        required=required,
        position=-1,
    )


def make_code(project: Project, name: str = "Rec") -> Code:
    """A new top-level recommendation code."""
    return project.codebook.add(
        Code(id=new_id(), name=name, color="#336699", kind="recommendation", position=-1)
    )


def make_coding(project: Project, code_id: uuid.UUID, coder: str = "Ann") -> Coding:
    """A coding of the first 40 characters of a new document."""
    from annotator.domain.structure import DocumentMetadata, ExtractedDocument

    text = f"The Government must act now on housing. {uuid.uuid4()}"
    doc_id = project.documents.add(
        ExtractedDocument(
            text=text,
            blocks=(),
            pages=(),
            metadata=DocumentMetadata(title=f"Doc {uuid.uuid4().hex[:6]}"),
            source_format="text",
            original=text.encode(),
            original_name="doc.txt",
        )
    )
    assert doc_id is not None
    who = project.coders.ensure(coder)
    return project.codings.add(Coding(new_id(), doc_id, code_id, who.id, 0, 39, text[:39]))
