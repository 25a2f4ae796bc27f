import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.links import RESPONSE_TO, SAME_AS, CodingLink
from annotator.domain.model import new_id
from annotator.services.project import Project
from tests.recommendations.pair_helpers import make_pair


@pytest.fixture
def pair(tmp_path):
    p = make_pair(tmp_path / "pair.annotator")
    yield p
    p.project.close()


def _link(source, target, kind=RESPONSE_TO, status="accepted", coder=None):
    return CodingLink(new_id(), source.id, target.id, kind, status, coder_id=coder)


def test_a_response_link_is_stored_listed_on_both_ends_and_survives_reopening(pair, tmp_path):
    rec = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    link = pair.project.links.add(_link(ans, rec, coder=pair.coder.id))
    from_rec = pair.project.links.views(rec.id)
    from_ans = pair.project.links.views(ans.id)
    assert [v.link.id for v in from_rec] == [v.link.id for v in from_ans] == [link.id]
    assert from_ans[0].outgoing and not from_rec[0].outgoing
    assert from_rec[0].other.document_title == "Government response"
    assert from_ans[0].other.quote.startswith("Councils should")
    path = pair.project.path
    pair.project.close()
    again = Project.open(path)
    try:
        assert again.links.all() == [link]
    finally:
        again.close()
    pair.project = Project.open(path)


def test_status_must_come_from_the_list_and_only_on_response_links(pair):
    rec = pair.code(pair.report, "Combined authorities should run their own bus networks")
    other = pair.code(pair.report, "Councils lack money to build homes")
    with pytest.raises(ValidationError, match="status"):
        pair.project.links.add(_link(other, rec, status="Acepted"))
    with pytest.raises(ValidationError, match="status"):
        pair.project.links.add(_link(other, rec, kind=SAME_AS, status="accepted"))
    with pytest.raises(ValidationError, match="link type"):
        pair.project.links.add(_link(other, rec, kind="echoes", status=None))
    with pytest.raises(ValidationError, match="itself"):
        pair.project.links.add(_link(rec, rec))
    assert pair.project.links.all() == []
    pair.project.links.add_type("echoes")
    assert "echoes" in pair.project.links.link_types()
    pair.project.links.add(_link(other, rec, kind="echoes", status=None))
    assert [lk.link_type for lk in pair.project.links.all()] == ["echoes"]


def test_the_status_list_is_editable_but_not_under_links_that_use_it(pair):
    rec = pair.code(pair.report, "Combined authorities should run their own bus networks")
    ans = pair.code(pair.response, "The government notes the recommendation", pair.reply)
    pair.project.links.add(_link(ans, rec, status="noted"))
    old = pair.project.links.set_statuses([*pair.project.links.statuses(), "implemented"])
    assert "implemented" in pair.project.links.statuses()
    with pytest.raises(ValidationError, match="noted"):
        pair.project.links.set_statuses(["accepted"])
    pair.project.links.set_statuses(old)
    assert pair.project.links.statuses() == old


def test_removing_a_coding_removes_its_links_and_restoring_brings_them_back(pair):
    rec = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    link = pair.project.links.add(_link(ans, rec))
    removed = pair.project.links.remove_codings([rec.id])
    assert removed.links == (link,)
    assert pair.project.links.all() == []
    assert pair.project.codings.for_document(pair.report.id) == []
    pair.project.links.restore_codings(removed)
    assert pair.project.links.all() == [link]
    assert pair.project.codings.get(rec.id) == rec


def test_update_and_replace_change_the_status(pair):
    rec = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    link = pair.project.links.add(_link(ans, rec))
    changed = pair.project.links.update(link.with_changes(status="accepted in part"))
    assert pair.project.links.get(link.id).status == "accepted in part"
    assert changed.modified_at >= link.modified_at
    pair.project.links.replace(link)
    assert pair.project.links.get(link.id) == link
