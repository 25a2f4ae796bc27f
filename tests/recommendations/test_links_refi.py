"""Links in REFI-QDA: written as the standard's Link elements, read back and merged."""

from __future__ import annotations

import pytest
from lxml import etree

from annotator.domain.links import RESPONSE_TO, SAME_AS, CodingLink
from annotator.domain.model import new_id
from annotator.exchange.refi.model import derived_guid
from annotator.services.project import Project
from annotator.services.refi import export_project, import_qdpx, merge
from tests.exchange.refi.helpers import assert_valid, needs_shared, qde_bytes
from tests.recommendations.pair_helpers import make_pair

pytestmark = needs_shared
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def linked(tmp_path):
    pair = make_pair(tmp_path / "linked.annotator")
    r1 = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    r2 = pair.code(pair.report, "The Treasury must publish a ten-year funding settlement")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    pair.project.links.add_type("echoes")
    links = [
        pair.project.links.add(CodingLink(new_id(), ans.id, r1.id, RESPONSE_TO, "accepted")),
        pair.project.links.add(CodingLink(new_id(), r2.id, r1.id, SAME_AS)),
        pair.project.links.add(CodingLink(new_id(), r1.id, r2.id, "echoes")),
    ]
    yield pair, links
    pair.project.close()


def test_links_are_standard_link_elements_with_stable_guids(linked, tmp_path):
    pair, links = linked
    out = tmp_path / "a.qdpx"
    export_project(pair.project, out)
    qde = qde_bytes(out)
    assert_valid(qde, "Project.xsd")
    root = etree.fromstring(qde)
    found = {el.get("guid"): el for el in root.findall("q:Links/q:Link", NS)}
    assert set(found) == {str(lk.id) for lk in links}
    response = found[str(links[0].id)]
    assert response.get("name") == RESPONSE_TO
    assert response.get("originGUID") == str(derived_guid(links[0].source_id, "selection"))
    selections = {el.get("guid") for el in root.iterfind(".//q:PlainTextSelection", NS)}
    assert response.get("originGUID") in selections
    assert response.get("targetGUID") in selections
    note = response.find("q:NoteRef", NS).get("targetGUID")
    assert root.find(f"q:Notes/q:Note[@guid='{note}']/q:PlainTextContent", NS).text.endswith(
        "accepted"
    )
    export_project(pair.project, tmp_path / "b.qdpx")
    assert qde_bytes(tmp_path / "b.qdpx") == qde  # stable: same GUIDs, same bytes


def test_our_qdpx_round_trips_links_and_a_merge_brings_them(linked, tmp_path):
    pair, links = linked
    out = tmp_path / "a.qdpx"
    export_project(pair.project, out)
    fresh = Project.create(tmp_path / "fresh.annotator", starter=False)
    try:
        report = import_qdpx(fresh, out)
        assert report.links_added == 3
        got = {
            lk.id: (lk.source_id, lk.target_id, lk.link_type, lk.status) for lk in fresh.links.all()
        }
        assert got == {lk.id: (lk.source_id, lk.target_id, lk.link_type, lk.status) for lk in links}
        assert "echoes" in fresh.links.link_types()
        assert merge(fresh, out).links_added == 0  # merging again changes nothing
    finally:
        fresh.close()
    # A coder changes a status and adds a link; merging brings both.
    pair.project.links.update(links[0].with_changes(status="accepted in part"))
    lead = Project.create(tmp_path / "lead.annotator", starter=False)
    try:
        import_qdpx(lead, tmp_path / "a.qdpx")
        export_project(pair.project, tmp_path / "c.qdpx")
        merged = merge(lead, tmp_path / "c.qdpx")
        assert merged.links_updated == 1
        assert {lk.id: lk.status for lk in lead.links.all()}[links[0].id] == "accepted in part"
    finally:
        lead.close()
