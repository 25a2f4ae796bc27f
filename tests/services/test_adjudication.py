"""Adjudication: decisions stored as consensus codings, settled counts, undo and redo."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.adjudication import (
    CONSENSUS_CODER,
    REJECTED_CODER,
    AdjudicationService,
    DecisionKind,
)
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

TEXT = "Councils need money. Whitehall must let go. Communities should decide. The end."
X = starter_code_id("Themes/Fiscal devolution")
Y = starter_code_id("Themes/Community power")


@pytest.fixture
def pair(project: Project):
    """A document where Ann and Bo disagree once of each kind."""
    doc_id = project.documents.add(
        ExtractedDocument(TEXT, (), (), DocumentMetadata(title="Doc"), "text")
    )
    ann, bo = project.coders.ensure("Ann"), project.coders.ensure("Bo")

    def code(coder, code_id, phrase, cut=0):
        start = TEXT.index(phrase)
        end = start + len(phrase) - cut
        project.codings.add(
            Coding(new_id(), doc_id, code_id, coder.id, start, end, TEXT[start:end], memo="m")
        )

    code(ann, X, "Councils need money.")  # boundary: Bo stops earlier
    code(bo, X, "Councils need money.", cut=1)
    code(ann, X, "Whitehall must let go.")  # code: same extent, other code
    code(bo, Y, "Whitehall must let go.")
    code(ann, Y, "Communities should decide.")  # missing: Bo did not code it
    code(ann, X, "The end.")  # agreement: not listed
    code(bo, X, "The end.")
    return project, doc_id, ann, bo


def _stored(path: Path, name: str) -> list[Coding]:
    p = Project.open(path)
    try:
        coder = p.coders.find(name)
        return [] if coder is None else p.codings.all({coder.id})
    finally:
        p.close()


def test_lists_each_kind_with_both_coders_codings(pair):
    project, doc, ann, bo = pair
    items = AdjudicationService(project).disagreements(doc, ann.id, bo.id)
    assert [i.kind for i in items] == ["boundary", "code", "missing"]
    boundary, code, missing = items
    assert (len(boundary.codings_a), len(boundary.codings_b)) == (1, 1)
    assert set(code.code_ids) == {X, Y} and code.codings_a[0].code_id == X
    assert missing.codings_b == () and missing.codings_a[0].quote == "Communities should decide."
    assert not any(i.settled for i in items)
    only_y = AdjudicationService(project).disagreements(doc, ann.id, bo.id, {Y})
    assert [i.kind for i in only_y] == ["missing", "missing"]  # the code pair splits by code


@pytest.mark.parametrize(
    ("kind", "row", "owner", "quotes"),
    [
        (DecisionKind.ACCEPT_A, 0, CONSENSUS_CODER, ["Councils need money."]),
        (DecisionKind.ACCEPT_B, 0, CONSENSUS_CODER, ["Councils need money"]),
        (DecisionKind.BOTH, 0, CONSENSUS_CODER, ["Councils need money.", "Councils need money"]),
        (DecisionKind.NEITHER, 0, REJECTED_CODER, ["Councils need money.", "Councils need money"]),
        (DecisionKind.ACCEPT_B, 2, REJECTED_CODER, ["Communities should decide."]),
    ],
)
def test_each_decision_is_stored_and_survives_reopening(
    pair, project_path, kind, row, owner, quotes
):
    project, doc, ann, bo = pair
    service = AdjudicationService(project)
    eve = project.coders.ensure("Eve")
    item = service.disagreements(doc, ann.id, bo.id)[row]
    result = service.decide(item, kind, eve)
    assert sorted(c.quote for c in result.added) == sorted(quotes)
    project.close()
    stored = _stored(project_path, owner)
    assert sorted(c.quote for c in stored) == sorted(quotes)
    assert all("Decided by Eve" in c.memo and c.memo.endswith("\nm") for c in stored)
    reopened = Project.open(project_path)
    try:
        again = AdjudicationService(reopened)
        assert again.disagreements(doc, ann.id, bo.id)[row].settled
        assert again.progress([doc], ann.id, bo.id) == (1, 3)
    finally:
        reopened.close()


def test_code_disagreement_accept_a_keeps_as_code(pair):
    project, doc, ann, bo = pair
    service = AdjudicationService(project)
    item = service.disagreements(doc, ann.id, bo.id)[1]
    result = service.decide(item, DecisionKind.ACCEPT_A, ann)
    assert [(c.code_id, c.quote) for c in result.added] == [(X, "Whitehall must let go.")]
    assert "accepted Ann's coding over Bo's (code disagreement)" in result.added[0].memo


def test_edit_accepts_one_coding_with_a_new_extent(pair):
    project, doc, ann, bo = pair
    service = AdjudicationService(project)
    item = service.disagreements(doc, ann.id, bo.id)[0]
    result = service.decide(item, DecisionKind.EDIT, bo, source=item.codings_b[0], extent=(0, 8))
    assert [c.quote for c in result.added] == ["Councils"]
    assert service.disagreements(doc, ann.id, bo.id)[0].settled
    with pytest.raises(ValidationError):
        service.decide(item, DecisionKind.EDIT, bo)
    with pytest.raises(ValidationError):
        service.decide(item, DecisionKind.EDIT, bo, source=item.codings_b[0], extent=(5, 5))


def test_deciding_again_replaces_and_undo_redo_are_exact(pair, project_path):
    project, doc, ann, bo = pair
    service = AdjudicationService(project)
    item = service.disagreements(doc, ann.id, bo.id)[0]
    first = service.decide(item, DecisionKind.ACCEPT_A, ann)
    item = service.disagreements(doc, ann.id, bo.id)[0]
    assert item.decision == first.added
    second = service.decide(item, DecisionKind.NEITHER, ann)
    assert second.removed == first.added
    assert project.codings.all({project.coders.find(CONSENSUS_CODER).id}) == []
    service.revert(second)
    assert project.codings.all({project.coders.find(CONSENSUS_CODER).id}) == list(first.added)
    assert project.codings.all({project.coders.find(REJECTED_CODER).id}) == []
    service.reapply(second)
    assert project.codings.all({project.coders.find(REJECTED_CODER).id}) == sorted(
        second.added, key=lambda c: (c.start, c.end, str(c.id))
    )
    service.revert(second)
    service.revert(first)
    assert service.progress([doc], ann.id, bo.id) == (0, 3)
    project.close()
    assert _stored(project_path, CONSENSUS_CODER) == []


def test_progress_counts_over_documents(sample):
    a, b = (sample.coders.find(n) for n in ("Sample coder A", "Sample coder B"))
    service = AdjudicationService(sample)
    docs = [d.id for d in sample.documents.list()]
    settled, total = service.progress(docs, a.id, b.id)
    assert settled == 0 and total == sum(len(service.disagreements(d, a.id, b.id)) for d in docs)
    for item in service.disagreements(docs[0], a.id, b.id)[:2]:
        service.decide(item, DecisionKind.BOTH, a)
    assert service.progress(docs, a.id, b.id) == (2, total)
