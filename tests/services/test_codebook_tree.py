"""Codebook tree operations: depth, folders, moves, reorders and the refusals around them."""

from __future__ import annotations

import pytest

from annotator.domain.codebook import code_path, siblings_of, tree_order
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")
FISCAL = starter_code_id("Themes/Fiscal devolution")
RECS = starter_code_id("Recommendations")
ADDRESSEE = starter_code_id("Recommendations")  # a folder


def _code(name: str, parent=THEMES, **kw) -> Code:
    return Code(new_id(), name, kw.pop("color", "#123456"), parent_id=parent, position=-1, **kw)


def _names(project: Project, parent) -> list[str]:
    return [c.name for c in siblings_of(parent, project.codebook.list())]


def _state(project: Project) -> list[str]:
    return sorted(map(repr, project.codebook.list()))


def test_tree_of_any_depth_with_a_folder_and_any_kind(project: Project):
    parent = THEMES
    made = []
    for depth in range(6):
        code = project.codebook.add(_code(f"Level {depth}", parent, kind="mechanism"))
        made.append(code)
        parent = code.id
    folder = project.codebook.add(_code("Folder", parent, codable=False, kind="group"))
    by_id = {c.id: c for c in project.codebook.list()}
    assert code_path(by_id[folder.id], by_id) == (
        "Themes/Level 0/Level 1/Level 2/Level 3/Level 4/Level 5/Folder"
    )
    assert by_id[made[3].id].kind == "mechanism"
    assert [c.id for c in tree_order(by_id.values()) if c.id in {m.id for m in made}] == [
        m.id for m in made
    ]


def test_folder_cannot_be_applied(sample: Project):
    doc = sample.documents.list()[0]
    coder = sample.coders.ensure("Tester")
    with pytest.raises(ValidationError, match="folder"):
        sample.codings.add(Coding(new_id(), doc.id, THEMES, coder.id, 0, 5, ""))


def test_reorder_among_siblings_and_put_back(project: Project):
    before = _names(project, THEMES)
    changed = project.codebook.move(PREVENTION, THEMES, 0)
    after = _names(project, THEMES)
    assert after[0] == "Prevention"
    assert sorted(after) == sorted(before)
    positions = [c.position for c in siblings_of(THEMES, project.codebook.list())]
    assert positions == list(range(len(after)))
    project.codebook.restore_positions(changed)
    assert _names(project, THEMES) == before
    log = project.codebook.change_log()
    assert log[-2]["action"] == "move"
    assert "Reordered 'Themes/Prevention' to place 1" in log[-2]["details"]["summary"]


def test_move_to_another_parent_renumbers_both_sides(project: Project):
    old = _names(project, THEMES)
    codes_before = _state(project)
    changed = project.codebook.move(PREVENTION, ADDRESSEE, 1)
    assert _names(project, ADDRESSEE)[1] == "Prevention"
    assert "Prevention" not in _names(project, THEMES)
    themes = siblings_of(THEMES, project.codebook.list())
    assert [c.position for c in themes] == list(range(len(themes)))
    summary = project.codebook.change_log()[-1]["details"]["summary"]
    assert "Moved 'Themes/Prevention' into Recommendations" in summary
    project.codebook.restore_positions(changed)
    assert _names(project, THEMES) == old
    assert _state(project) == codes_before


def test_move_to_top_level_and_past_the_end(project: Project):
    project.codebook.move(PREVENTION, None, 99)
    assert _names(project, None)[-1] == "Prevention"


@pytest.mark.parametrize(
    ("code_id", "parent", "message"),
    [
        (THEMES, PREVENTION, "inside itself"),
        (THEMES, THEMES, "inside itself"),
        (RECS, starter_code_id("Recommendations/Recommendation"), "inside itself"),
        (starter_code_id("Recommendations/Recommendation"), None, None),
    ],
)
def test_cycles_are_refused_and_nothing_changes(project: Project, code_id, parent, message):
    before = _state(project)
    if message is None:  # a control: a legal move goes through
        project.codebook.move(code_id, parent, 0)
        assert _state(project) != before
        return
    with pytest.raises(ValidationError, match=message):
        project.codebook.move(code_id, parent, 0)
    assert _state(project) == before


def test_move_beside_a_code_of_the_same_name_is_refused(project: Project):
    project.codebook.add(_code("Prevention", ADDRESSEE))
    before = _state(project)
    log = len(project.codebook.change_log())
    with pytest.raises(ValidationError, match="already a code called 'Prevention'"):
        project.codebook.move(PREVENTION, ADDRESSEE, 0)
    assert _state(project) == before
    assert len(project.codebook.change_log()) == log


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "needs a name"),
        ({"name": "fiscal DEVOLUTION"}, "already a code"),
        ({"shortcut": "1"}, "shortcut 1 is already used by 'Recommendation'"),
        ({"parent_id": PREVENTION}, "inside itself"),
    ],
)
def test_bad_edits_are_refused_with_clear_messages(project: Project, changes, message):
    before = _state(project)
    target = project.codebook.get(PREVENTION if "parent_id" not in changes else THEMES)
    with pytest.raises(ValidationError, match=message):
        project.codebook.update(target.with_changes(**changes))
    assert _state(project) == before


def test_edit_is_logged_in_words(project: Project):
    me = project.coders.ensure("Lead")
    code = project.codebook.get(PREVENTION)
    project.codebook.update(code.with_changes(name="Early action", definition="New"), me.id)
    entry = project.codebook.versions.changes()[-1]
    assert entry.action == "edit" and entry.coder_name == "Lead"
    assert "renamed 'Prevention' to 'Early action'" in entry.summary
    assert entry.details["changes"]["name"] == ["Prevention", "Early action"]


def test_usage_counts_per_coder(sample: Project):
    a = sample.coders.find("Sample coder A")
    b = sample.coders.find("Sample coder B")
    doc = sample.documents.list()[0].id
    usage = sample.codebook.usage(doc)
    totals = sample.codings.counts(doc)
    for code_id, per_coder in usage.items():
        assert sum(c.total for c in per_coder.values()) == totals[code_id].total
        assert sum(c.in_document for c in per_coder.values()) == totals[code_id].in_document
    only_a = sample.codebook.usage(doc, {a.id})
    assert all(set(per) == {a.id} for per in only_a.values())
    assert any(b.id in per for per in usage.values())


def test_a_move_to_where_the_code_already_is_changes_and_logs_nothing(project: Project):
    place = [c.id for c in siblings_of(THEMES, project.codebook.list())].index(PREVENTION)
    log = len(project.codebook.change_log())
    assert project.codebook.move(PREVENTION, THEMES, place) == ()
    assert len(project.codebook.change_log()) == log
