import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")
RECS = starter_code_id("Recommendations")


def _code(name: str, parent=THEMES, **kw) -> Code:
    return Code(new_id(), name, kw.pop("color", "#123456"), parent_id=parent, position=-1, **kw)


def test_add_puts_code_last_and_logs(project: Project):
    me = project.coders.ensure("Lead")
    code = project.codebook.add(_code("Housing"), me.id)
    siblings = [c for c in project.codebook.list() if c.parent_id == THEMES]
    assert code.position == max(c.position for c in siblings)
    log = project.codebook.change_log()
    assert log[-1]["action"] == "add" and log[-1]["coder_id"] == me.id


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (_code("   "), "needs a name"),
        (_code("prevention"), "already a code"),
        (_code("New", shortcut="1"), "already used"),
        (_code("Bad colour", color="red"), "not a colour"),
        (_code("a/b"), "cannot contain"),
    ],
)
def test_invalid_codes_are_refused_and_nothing_changes(project: Project, code, message):
    before = project.codebook.list()
    with pytest.raises(ValidationError, match=message):
        project.codebook.add(code)
    assert sorted(map(str, before)) == sorted(map(str, project.codebook.list()))


def test_move_into_own_child_is_refused(project: Project):
    themes = project.codebook.get(THEMES)
    with pytest.raises(ValidationError, match="inside itself"):
        project.codebook.update(themes.with_changes(parent_id=PREVENTION))


def test_delete_with_codings_and_restore(sample: Project):
    before_codes = sample.codebook.list()
    before_codings = sample.codings.all()
    deleted = sample.codebook.delete(THEMES)
    assert len(deleted.codes) == 8  # the group and its seven themes
    assert all(c.code_id not in {d.id for d in deleted.codes} for c in sample.codings.all())
    assert len(deleted.codings) > 0
    sample.codebook.restore(deleted)
    assert sorted(map(str, sample.codebook.list())) == sorted(map(str, before_codes))
    assert sample.codings.all() == before_codings
    actions = [e["action"] for e in sample.codebook.change_log()]
    assert actions[-2:] == ["delete", "restore"]
