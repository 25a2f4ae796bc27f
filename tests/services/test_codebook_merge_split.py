"""Merging and splitting codes: codings move, duplicates collapse, undo is exact."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.codebook import plan_merge
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")
PARTNERSHIP = starter_code_id("Themes/Partnership working")
FISCAL = starter_code_id("Themes/Fiscal devolution")
FUNDING = starter_code_id("Recommendations/Recommendation")


def _snapshot(p: Project) -> tuple[list[str], list[Coding]]:
    return sorted(map(repr, p.codebook.list())), p.codings.all()


def _code_on(p: Project, coding: Coding, code_id, coder_id=None, memo="") -> Coding:
    return p.codings.add(
        Coding(
            new_id(),
            coding.document_id,
            code_id,
            coder_id or coding.coder_id,
            coding.start,
            coding.end,
            "",
            memo=memo,
        )
    )


def test_merge_moves_codings_collapses_duplicates_and_undo_is_exact(sample: Project):
    a = sample.coders.find("Sample coder A")
    b = sample.coders.find("Sample coder B")
    prevention = [c for c in sample.codings.all() if c.code_id == PREVENTION]
    assert prevention and all(c.coder_id == a.id for c in prevention)
    # The same coder, document and span on the target: must become one coding.
    dup = _code_on(sample, prevention[0], PARTNERSHIP, memo="target note")
    sample.codings.update(prevention[0].with_changes(memo="source note"))
    # The same span by another coder is a different judgement: it must stay.
    other = _code_on(sample, prevention[0], PARTNERSHIP, coder_id=b.id)
    child = sample.codebook.add(Code(new_id(), "Early help", "#00aa00", PREVENTION, -1))
    coded_child = _code_on(sample, prevention[1], child.id)
    before = _snapshot(sample)
    partnership_before = sum(1 for c in sample.codings.all() if c.code_id == PARTNERSHIP)

    merged = sample.codebook.merge(PREVENTION, PARTNERSHIP)

    codings = sample.codings.all()
    assert all(c.code_id != PREVENTION for c in codings)
    on_target = [c for c in codings if c.code_id == PARTNERSHIP]
    assert len(on_target) == partnership_before + len(prevention) - 1
    keys = [(c.document_id, c.coder_id, c.start, c.end) for c in on_target]
    assert len(keys) == len(set(keys))
    survivor = next(c for c in on_target if c.id == dup.id)
    assert survivor.memo == "target note\n\nsource note"
    assert other.id in {c.id for c in on_target}
    codes = {c.id: c for c in sample.codebook.list()}
    assert PREVENTION not in codes
    assert codes[child.id].parent_id == PARTNERSHIP
    assert next(c for c in codings if c.id == coded_child.id).code_id == child.id
    entry = sample.codebook.versions.changes()[-1]
    assert entry.action == "merge"
    assert "1 coding moved, 1 duplicate combined, 1 sub-code moved" in entry.summary

    sample.codebook.unmerge(merged)
    assert _snapshot(sample) == before
    # Redo gives the very same result.
    again = sample.codebook.merge(PREVENTION, PARTNERSHIP)
    assert again == merged


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (PREVENTION, PREVENTION, "another code"),
        (THEMES, PREVENTION, "own sub-code"),
        (PREVENTION, THEMES, "is a folder"),
    ],
)
def test_bad_merges_are_refused_and_nothing_changes(sample: Project, source, target, message):
    before = _snapshot(sample)
    with pytest.raises(ValidationError, match=message):
        sample.codebook.merge(source, target)
    assert _snapshot(sample) == before


def test_merge_with_clashing_child_names_is_refused(project: Project):
    project.codebook.add(Code(new_id(), "Housing", "#111111", PREVENTION, -1))
    project.codebook.add(Code(new_id(), "housing", "#222222", FISCAL, -1))
    before = _snapshot(project)
    with pytest.raises(ValidationError, match="sub-code called 'housing'"):
        project.codebook.merge(FISCAL, PREVENTION)
    assert _snapshot(project) == before


def test_merge_folder_into_folder_moves_children(project: Project):
    recs = starter_code_id("Recommendations")
    n = sum(1 for c in project.codebook.list() if c.parent_id == THEMES)
    merged = project.codebook.merge(THEMES, recs)
    kids = [c for c in project.codebook.list() if c.parent_id == recs]
    assert len(kids) == n + 1
    assert sorted(c.position for c in kids) == list(range(len(kids)))
    assert THEMES not in {c.id for c in project.codebook.list()}
    project.codebook.unmerge(merged)
    assert sum(1 for c in project.codebook.list() if c.parent_id == THEMES) == n


def test_split_moves_chosen_codings_and_undo_restores(sample: Project):
    funding = [c for c in sample.codings.all() if c.code_id == FUNDING]
    assert len(funding) >= 3
    chosen = [funding[0].id, funding[2].id]
    before = _snapshot(sample)
    new = Code(new_id(), "Funding settlements", "#abcdef", FUNDING, -1)
    result = sample.codebook.split(FUNDING, new.with_changes(parent_id=None), chosen)
    codings = {c.id: c for c in sample.codings.all()}
    assert {i for i, c in codings.items() if c.code_id == new.id} == set(chosen)
    assert codings[funding[1].id].code_id == FUNDING
    assert codings[funding[0].id].memo == funding[0].memo  # only the code changes
    assert sample.codebook.get(new.id).name == "Funding settlements"
    entry = sample.codebook.versions.changes()[-1]
    assert entry.action == "split" and "Split 2 codings" in entry.summary
    sample.codebook.unsplit(result)
    assert _snapshot(sample) == before
    assert sample.codebook.split(FUNDING, new.with_changes(parent_id=None), chosen) == result


def test_bad_splits_are_refused(sample: Project):
    funding = [c.id for c in sample.codings.all() if c.code_id == FUNDING]
    prevention = [c.id for c in sample.codings.all() if c.code_id == PREVENTION]
    before = _snapshot(sample)
    cases = [
        (Code(new_id(), "New", "#abcdef", THEMES, -1), [], "at least one coding"),
        (Code(new_id(), "Prevention", "#abcdef", THEMES, -1), funding[:1], "already a code"),
        (Code(new_id(), "New", "#abcdef", THEMES, -1), prevention[:1], "no longer coded"),
        (Code(new_id(), "New", "#abcdef", THEMES, -1, codable=False), funding[:1], "applied"),
        (Code(new_id(), " ", "#abcdef", THEMES, -1), funding[:1], "needs a name"),
    ]
    for code, ids, message in cases:
        with pytest.raises(ValidationError, match=message):
            sample.codebook.split(FUNDING, code, ids)
    assert _snapshot(sample) == before


def test_delete_subtree_logs_and_restore_is_exact(sample: Project):
    before = _snapshot(sample)
    fields_before = (sample.fields.all_fields(), sorted(map(repr, sample.fields.all_values())))
    deleted = sample.codebook.delete(starter_code_id("Recommendations"))
    assert len(deleted.codes) == 2 and deleted.codings and deleted.fields and deleted.values
    assert sample.fields.all_fields() == [] and sample.fields.all_values() == []
    entry = sample.codebook.versions.changes()[-1]
    assert "with 1 sub-code" in entry.summary
    sample.codebook.restore(deleted)
    assert _snapshot(sample) == before
    assert (sample.fields.all_fields(), sorted(map(repr, sample.fields.all_values()))) == (
        fields_before
    )


# -- the duplicate rule, for any codings ----------------------------------------------------

_DOC, _SRC, _TGT = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
_CODERS = [uuid.uuid4(), uuid.uuid4()]
_coding = st.builds(
    lambda coder, start, length, memo: Coding(
        new_id(), _DOC, _SRC, _CODERS[coder], start, start + length, "", memo=memo
    ),
    st.integers(0, 1),
    st.integers(0, 4),
    st.integers(1, 3),
    st.sampled_from(["", "a", "b"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_coding, max_size=8), st.lists(_coding, max_size=8))
def test_plan_merge_leaves_one_coding_per_coder_and_span(source, target):
    target = [c.with_changes(code_id=_TGT) for c in target]
    plan = plan_merge(source, target, _TGT)
    changed = {before.id: after for before, after in plan.changed}
    dropped = {c.id for c in plan.dropped}
    final = [changed.get(c.id, c) for c in [*target, *source] if c.id not in dropped]
    assert all(c.code_id == _TGT for c in final)
    key = lambda c: (c.coder_id, c.start, c.end)  # noqa: E731
    # The source adds a coding only for a (coder, span) the target lacks, and just one.
    for k in {key(c) for c in source}:
        on_target = sum(1 for c in target if key(c) == k)
        assert sum(1 for c in final if key(c) == k) == max(1, on_target)
    # ...no target coding is ever dropped, and no memo text is lost.
    assert not dropped & {c.id for c in target}
    memos = " ".join(c.memo for c in final)
    assert all(c.memo in memos for c in source)
