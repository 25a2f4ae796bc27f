"""A small report/response project for link, matching and register tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.domain.model import Code, Coder, Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project

REPORT = """Chapter 1: Housing

Councils lack money to build homes.

Recommendation 1: Councils should be allowed to borrow against rental income to build new homes.

Recommendation 2: The Treasury must publish a ten-year funding settlement for local government.

Chapter 2: Transport

Recommendation 3: Combined authorities should run their own bus networks.
"""

RESPONSE = """Government response

Recommendation 1: Councils should be allowed to borrow against rental income.

The government accepts this recommendation and will lift the borrowing cap next year.

Recommendation 2: A ten-year funding settlement.

The government does not accept this recommendation. Settlements follow spending reviews.

Recommendation 3: Bus networks.

The government notes the recommendation and will consider franchising powers.
"""


@dataclass
class Pair:
    """The project with a report, its response, codes and one coder."""

    project: Project
    report: object
    response: object
    recommendation: Code
    reply: Code
    theme: Code
    coder: Coder

    def code(self, document, quote: str, code: Code | None = None) -> Coding:
        """Code the first occurrence of ``quote`` in ``document``."""
        start = document.text.index(quote)
        return self.project.codings.add(
            Coding(
                new_id(),
                document.id,
                (code or self.recommendation).id,
                self.coder.id,
                start,
                start + len(quote),
                quote,
            )
        )


def make_pair(path: Path) -> Pair:
    """A project with the report and response above and no codings."""
    project = Project.create(path, starter=False)
    ids = []
    for title, text in (("Housing report", REPORT), ("Government response", RESPONSE)):
        ids.append(
            project.documents.add(
                ExtractedDocument(
                    text, paragraph_blocks(text), (), DocumentMetadata(title=title), "text"
                )
            )
        )
    rec = project.codebook.add(Code(new_id(), "Recommendation", "#1f77b4", kind="recommendation"))
    reply = project.codebook.add(Code(new_id(), "Response", "#2ca02c", kind="response"))
    theme = project.codebook.add(Code(new_id(), "Housing", "#ff7f0e", kind="theme"))
    coder = project.coders.ensure("Ada")
    return Pair(
        project,
        project.documents.get(ids[0]),
        project.documents.get(ids[1]),
        rec,
        reply,
        theme,
        coder,
    )
