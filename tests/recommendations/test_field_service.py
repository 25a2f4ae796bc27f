"""FieldService: definitions, values, undo data, versions, the change log, reopening."""

from __future__ import annotations

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.fields import FieldChoice, FieldDef, FieldKind
from annotator.domain.model import new_id
from annotator.services.project import Project
from tests.recommendations.helpers import make_code, make_coding, strength_field


def test_values_are_stored_typed_and_survive_reopening(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    who = coding.coder_id
    new, before = project.fields.set_value(coding.id, f.id, "c-must", who)
    assert before is None and new is not None and new.value == "c-must" and not new.suggested
    path = project.path
    project.close()
    again = Project.open(path)
    try:
        assert [x.name for x in again.fields.fields_for_code(code.id)] == ["Strength"]
        stored = again.fields.values_for_codings([coding.id])[coding.id][f.id]
        assert stored.value == "c-must" and stored.coder_id == who
        assert stored.modified.tzinfo is not None
    finally:
        again.close()


def test_a_value_that_does_not_fit_is_refused_naming_the_field(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    with pytest.raises(ValidationError, match="Strength"):
        project.fields.set_value(coding.id, f.id, "Shoud", coding.coder_id)
    assert project.fields.values_for_codings([coding.id]) == {}


def test_every_kind_checks_its_values(project: Project) -> None:
    code = make_code(project)
    coding = make_coding(project, code.id)
    cases = {
        FieldKind.NUMBER: (3, 3.0, "three"),
        FieldKind.DATE: ("2024-02-29", "2024-02-29", "29/02/2024"),
        FieldKind.YES_NO: (True, True, "yes"),
        FieldKind.SHORT_TEXT: ("  the  Treasury ", "the Treasury", 12),
    }
    for kind, (given, stored, wrong) in cases.items():
        f = project.fields.add_field(FieldDef(new_id(), code.id, kind.label, kind, position=-1))
        new, _ = project.fields.set_value(coding.id, f.id, given, coding.coder_id)
        assert new is not None and new.value == stored
        with pytest.raises(ValidationError):
            project.fields.set_value(coding.id, f.id, wrong, coding.coder_id)
    multi = project.fields.add_field(
        FieldDef(
            new_id(),
            code.id,
            "Themes",
            FieldKind.MULTIPLE_CHOICE,
            (FieldChoice("a", "Housing"), FieldChoice("b", "Health")),
        )
    )
    new, _ = project.fields.set_value(coding.id, multi.id, ["b", "a"], coding.coder_id)
    assert new is not None and new.value == ["a", "b"]  # the field's own order


def test_deleting_a_coding_removes_its_values_and_undo_puts_them_back(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    project.fields.set_value(coding.id, f.id, "c-should", coding.coder_id)
    saved = project.fields.values_for_codings([coding.id])[coding.id].values()
    gone = project.codings.remove([coding.id])
    assert project.fields.values_for_codings([coding.id]) == {}
    project.codings.restore(gone)
    assert project.fields.restore_values(saved) == 1
    assert project.fields.values_for_codings([coding.id])[coding.id][f.id].value == "c-should"


def test_deleting_a_code_takes_fields_and_values_and_restore_returns_them(
    project: Project,
) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    project.fields.set_value(coding.id, f.id, "c-could", coding.coder_id)
    deleted = project.codebook.delete(code.id)
    assert project.fields.fields_for_code(code.id) == []
    project.codebook.restore(deleted)
    assert project.fields.get_field(f.id) == f
    assert project.fields.values_for_codings([coding.id])[coding.id][f.id].value == "c-could"


def test_removing_a_used_choice_asks_and_undo_restores(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    project.fields.set_value(coding.id, f.id, "c-must", coding.coder_id)
    assert project.fields.value_count(f.id, ["c-must"]) == 1
    fewer = f.with_changes(choices=f.choices[:2])
    with pytest.raises(ValidationError, match="confirm"):
        project.fields.update_field(fewer)
    assert project.fields.get_field(f.id) == f  # nothing half-done
    update = project.fields.update_field(fewer, drop_values=True)
    assert update.dropped and project.fields.values_for_codings([coding.id]) == {}
    project.fields.undo_update(update)
    assert project.fields.get_field(f.id) == f
    assert project.fields.values_for_codings([coding.id])[coding.id][f.id].value == "c-must"


def test_delete_field_and_restore(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    project.fields.set_value(coding.id, f.id, "c-must", coding.coder_id)
    deleted = project.fields.delete_field(f.id)
    assert deleted.values and project.fields.fields_for_code(code.id) == []
    project.fields.restore_field(deleted)
    assert project.fields.values_for_codings([coding.id])[coding.id][f.id].value == "c-must"


def test_suggestions_are_marked_until_confirmed(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    coding = make_coding(project, code.id)
    project.fields.set_value(coding.id, f.id, "c-must", None, suggested=True)
    assert project.fields.values_for_codings([coding.id])[coding.id][f.id].suggested
    new, before = project.fields.confirm(coding.id, f.id, coding.coder_id)
    assert before.suggested and not new.suggested and new.coder_id == coding.coder_id


def test_missing_required_values_are_listed(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    a = make_coding(project, code.id)
    b = make_coding(project, code.id)
    project.fields.set_value(a.id, f.id, "c-must", a.coder_id)
    missing = project.fields.missing_required()
    assert [(m.coding_id, m.field.name) for m in missing] == [(b.id, "Strength")]


def test_fields_are_frozen_with_versions_and_logged(project: Project) -> None:
    code = make_code(project)
    f = project.fields.add_field(strength_field(code.id))
    v = project.codebook.versions.freeze("v1")
    project.fields.update_field(f.with_changes(name="Force"))
    frozen = project.codebook.versions.snapshot_fields(v.id)
    assert [x.name for x in frozen if x.code_id == code.id] == ["Strength"]
    actions = [e["action"] for e in project.codebook.change_log()]
    assert "add field" in actions and "edit field" in actions
    summaries = " ".join(e["details"]["summary"] for e in project.codebook.change_log())
    assert "Added field 'Strength'" in summaries


def test_field_names_are_unique_per_code_and_choices_need_labels(project: Project) -> None:
    code = make_code(project)
    project.fields.add_field(strength_field(code.id))
    with pytest.raises(ValidationError, match="already has a field"):
        project.fields.add_field(strength_field(code.id))
    with pytest.raises(ValidationError, match="at least one choice"):
        project.fields.add_field(FieldDef(new_id(), code.id, "Empty", FieldKind.SINGLE_CHOICE))


def test_a_code_with_fields_cannot_be_merged_away_silently(project: Project) -> None:
    a, b = make_code(project, "A"), make_code(project, "B")
    project.fields.add_field(strength_field(a.id))
    with pytest.raises(ValidationError, match="has fields"):
        project.codebook.merge(a.id, b.id)
