"""Match a report's recommendation codings to passages of a response document, and accept a
match as a coding of the response linked to the recommendation.

The ranking itself is :mod:`annotator.domain.response_matching` (pure); this module reads
the codings and texts, and writes what the user accepts.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain.codebook_paths import code_paths, path_key
from annotator.domain.errors import ValidationError
from annotator.domain.links import RESPONSE_TO, CodingLink
from annotator.domain.model import Code, CodeKind, Coding, DocumentSummary, new_id
from annotator.domain.response_matching import Candidate, Recommendation, match_responses
from annotator.domain.response_wording import own_number
from annotator.domain.structure import BlockKind
from annotator.services.project import Project

RESPONSE_KIND = "response"
"""The kind of code that marks a response passage (a project may use any code)."""

_PARAGRAPH_KINDS = (
    BlockKind.PARAGRAPH,
    BlockKind.LIST_ITEM,
    BlockKind.HEADING,
    BlockKind.TABLE_CELL,
)


@dataclass(frozen=True, slots=True)
class RecommendationMatch:
    """One recommendation coding of the report with its ranked response candidates."""

    coding: Coding
    number: str | None
    candidates: tuple[Candidate, ...]

    def as_json(self) -> dict:
        """The documented JSON shape (``docs/recommendations.md``)."""
        return {
            "recommendation": {
                "coding_id": str(self.coding.id),
                "start": self.coding.start,
                "end": self.coding.end,
                "text": self.coding.quote,
            },
            "candidates": [
                {
                    "start": c.start,
                    "end": c.end,
                    "text": c.text,
                    "score": c.score,
                    "status": c.status,
                }
                for c in self.candidates
            ],
        }


def find_document(project: Project, wanted: str) -> DocumentSummary:
    """The one document with this UUID or title (exact, then ignoring case)."""
    every = project.documents.list()
    key = wanted.strip()
    try:
        as_id = uuid.UUID(key)
    except ValueError:
        as_id = None
    hits = [d for d in every if d.id == as_id or d.title == key]
    hits = hits or [d for d in every if d.title.casefold() == key.casefold()]
    if not hits:
        raise ValidationError(f"There is no document '{wanted}' in this project.")
    if len(hits) > 1:
        raise ValidationError(f"Several documents are called '{wanted}': name one by its id.")
    return hits[0]


def recommendation_codes(project: Project, names: Sequence[str] = ()) -> list[Code]:
    """The codes named (by name, path or UUID), or every code of kind recommendation."""
    codes = project.codebook.list()
    if not names:
        found = [c for c in codes if c.kind == CodeKind.RECOMMENDATION.value and c.codable]
        if not found:
            raise ValidationError("The codebook has no code of kind 'recommendation'.")
        return found
    paths = {path_key(p): i for i, p in code_paths(codes).items()}
    picked: list[Code] = []
    for name in names:
        hits = [c for c in codes if str(c.id) == name.strip() or c.id == paths.get(path_key(name))]
        hits = hits or [c for c in codes if c.name.casefold() == name.strip().casefold()]
        if not hits:
            raise ValidationError(f"There is no code '{name}' in this codebook.")
        if len(hits) > 1:
            raise ValidationError(f"Several codes are called '{name}': give its path.")
        picked.append(hits[0])
    return picked


def match_document(
    project: Project,
    report_id: uuid.UUID,
    response_id: uuid.UUID,
    code_ids: Sequence[uuid.UUID] | None = None,
    *,
    coder_ids: Sequence[uuid.UUID] | None = None,
    top: int = 5,
) -> list[RecommendationMatch]:
    """Rank response passages for every recommendation coding of the report, by position."""
    if top < 1:
        raise ValidationError("--top must be at least 1.")
    codes = set(code_ids) if code_ids else {c.id for c in recommendation_codes(project)}
    report = project.documents.get(report_id, kinds=())
    response = project.documents.get(response_id, kinds=_PARAGRAPH_KINDS)
    codings = [c for c in project.codings.for_document(report_id, coder_ids) if c.code_id in codes]
    recs = [Recommendation(c.id, c.quote, own_number(report.text, c.start, c.end)) for c in codings]
    spans = [(b.start, b.end) for b in response.blocks]
    ranked = match_responses(recs, response.text, spans, top=top)
    return [
        RecommendationMatch(c, r.number, tuple(found))
        for c, r, found in zip(codings, recs, ranked, strict=True)
    ]


def accept(
    project: Project,
    recommendation: Coding,
    response_id: uuid.UUID,
    candidate: Candidate,
    *,
    response_code_id: uuid.UUID,
    coder_id: uuid.UUID,
    status: str | None = None,
) -> tuple[Coding, CodingLink]:
    """Code the candidate passage and link it to the recommendation as its response.

    Returns the new coding and link (undo removes the coding, which removes the link).
    """
    coding = project.codings.add(
        Coding(
            new_id(),
            response_id,
            response_code_id,
            coder_id,
            candidate.start,
            candidate.end,
            candidate.text,
        )
    )
    link = project.links.add(
        CodingLink(
            new_id(),
            coding.id,
            recommendation.id,
            RESPONSE_TO,
            status if status is not None else candidate.status,
            coder_id=coder_id,
        )
    )
    return coding, link
