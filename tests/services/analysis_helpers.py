"""A small project with groups, attributes and hand-placed codings, for matrix tests."""

from __future__ import annotations

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.starter import starter_code_id

A = starter_code_id("Themes/Fiscal devolution")
B = starter_code_id("Themes/Community power")
C = starter_code_id("Themes/Prevention")

TEXTS = (
    "One two three. Four five six.\nSeven eight nine ten.\n",
    "Alpha beta gamma delta.\nEpsilon zeta. Eta theta iota kappa.\n",
    "Nothing is coded in this third document at all.\n",
)
META = (
    DocumentMetadata(
        title="Doc one", date="March 2021", author="Ann", attributes={"type": "report"}
    ),
    DocumentMetadata(
        title="Doc two", date="2022-05-01", publisher="Gov", attributes={"type": "response"}
    ),
    DocumentMetadata(title="Doc three", date="2022"),
)


def add_documents(project) -> list:
    """The three documents above, as paragraphs; returns their ids."""
    ids = []
    for text, meta in zip(TEXTS, META, strict=True):
        doc = ExtractedDocument(text, paragraph_blocks(text), (), meta, "text")
        ids.append(project.documents.add(doc))
    return ids


def coding(project, doc_id, code_id, coder, start, end, memo="") -> Coding:
    text = project.documents.get(doc_id).text
    return Coding(new_id(), doc_id, code_id, coder.id, start, end, text[start:end], memo)


def build(project):
    """Documents, two coders, groups and eight codings with known overlaps."""
    d1, d2, d3 = add_documents(project)
    ann, bob = project.coders.ensure("Ann"), project.coders.ensure("Bob")
    g = project.cases.create_group("Reports")
    project.cases.add_members(g.id, [d1, d3])
    h = project.cases.create_group("Responses")
    project.cases.add_members(h.id, [d2])
    codings = [
        coding(project, d1, A, ann, 0, 13),  # "One two three"
        coding(project, d1, B, ann, 4, 20),  # overlaps the A above (ann)
        coding(project, d1, A, ann, 30, 35),  # "Seven" (2nd paragraph)
        coding(project, d1, C, bob, 0, 5),  # bob: overlaps ann's A but other coder
        coding(project, d1, A, bob, 2, 8),  # bob: overlaps bob's C
        coding(project, d2, B, ann, 0, 5),  # "Alpha"
        coding(project, d2, C, ann, 38, 47),  # "Eta theta": 2nd paragraph, 2nd sentence
        coding(project, d2, A, ann, 24, 31),  # "Epsilon": 2nd paragraph, 1st sentence
    ]
    project.codings.restore(codings)
    return (d1, d2, d3), (ann, bob), codings
