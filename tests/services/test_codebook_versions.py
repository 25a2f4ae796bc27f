"""Codebook versions: freezing, stamping codings, and the change log between versions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotator.domain.codebook import tree_order
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coding, new_id
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

THEMES = starter_code_id("Themes")
PREVENTION = starter_code_id("Themes/Prevention")


def _code_something(p: Project, coder_id) -> Coding:
    doc = p.documents.list()[0]
    return p.codings.add(Coding(new_id(), doc.id, PREVENTION, coder_id, 0, 4, ""))


def test_freeze_stamps_later_codings_and_keeps_a_snapshot(sample: Project):
    me = sample.coders.ensure("Lead")
    early = _code_something(sample, me.id)
    assert early.codebook_version_id is None
    pilot = sample.codebook.versions.freeze(" pilot ", me.id, note="Before training")
    assert pilot.name == "pilot" and pilot.note == "Before training"
    assert sample.codebook.current_version_id() == pilot.id
    stamped = _code_something(sample, me.id)
    assert stamped.codebook_version_id == pilot.id
    assert sample.codings.get(stamped.id).codebook_version_id == pilot.id
    frozen = tree_order(sample.codebook.list())
    sample.codebook.update(sample.codebook.get(PREVENTION).with_changes(name="Early action"))
    assert sample.codebook.versions.snapshot(pilot.id) == frozen
    v1 = sample.codebook.versions.freeze("v1", me.id)
    assert _code_something(sample, me.id).codebook_version_id == v1.id
    assert [v.name for v in sample.codebook.versions.list()] == ["pilot", "v1"]
    counts = sample.codebook.versions.coding_counts()
    assert counts[pilot.id] == 1 and counts[v1.id] == 1
    assert sample.codebook.versions.find("PILOT") == pilot


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Pilot", "already a codebook version called 'pilot'"),
        ("   ", "needs a name"),
        ("x" * 201, "limited to 200"),
    ],
)
def test_bad_version_names_are_refused(project: Project, name, message):
    project.codebook.versions.freeze("pilot")
    log = len(project.codebook.change_log())
    with pytest.raises(ValidationError, match=message):
        project.codebook.versions.freeze(name)
    assert [v.name for v in project.codebook.versions.list()] == ["pilot"]
    assert len(project.codebook.change_log()) == log


def test_changes_between_versions(project: Project):
    me = project.coders.ensure("Lead")
    cb = project.codebook
    cb.add(Code(new_id(), "Before pilot", "#111111", THEMES, -1), me.id)
    pilot = cb.versions.freeze("pilot", me.id)
    cb.update(cb.get(PREVENTION).with_changes(name="Early action"), me.id)
    housing = cb.add(Code(new_id(), "Housing", "#222222", THEMES, -1), me.id)
    v1 = cb.versions.freeze("v1", me.id)
    cb.delete(housing.id, me.id)

    between = cb.versions.changes(pilot.id, v1.id)
    assert [e.action for e in between] == ["edit", "add", "freeze"]
    assert "renamed 'Prevention' to 'Early action'" in between[0].summary
    assert between[1].summary == "Added code 'Themes/Housing'"
    assert between[2].summary == "Froze the codebook as version 'v1'"
    assert all(e.coder_name == "Lead" for e in between)
    since = cb.versions.changes(v1.id)
    assert [e.action for e in since] == ["delete"]
    assert "Deleted 'Themes/Housing'" in since[0].summary
    everything = cb.versions.changes()
    assert everything[-len(between) - 1 :] == [*between, *since]
    with pytest.raises(ValidationError, match="newer than the first"):
        cb.versions.changes(v1.id, pilot.id)


def test_export_change_log_as_csv_and_markdown(project: Project, tmp_path: Path):
    me = project.coders.ensure("Lead")
    cb = project.codebook
    pilot = cb.versions.freeze("pilot", me.id)
    cb.update(cb.get(PREVENTION).with_changes(definition='Says "early", not late'), me.id)
    n = cb.versions.export_changes(tmp_path / "log.csv", pilot.id)
    assert n == 1
    rows = list(csv.reader(io.StringIO((tmp_path / "log.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["time", "coder", "action", "code_id", "summary", "details"]
    assert rows[1][1:4] == ["Lead", "edit", str(PREVENTION)]
    assert rows[1][4].endswith("→ 'Says \"early\", not late'")
    cb.versions.export_changes(tmp_path / "log.md", pilot.id)
    md = (tmp_path / "log.md").read_text(encoding="utf-8")
    assert md.startswith("# Codebook changes from version 'pilot' to now\n")
    assert "— Lead — **edit**: Edited 'Themes/Prevention'" in md
    with pytest.raises(ValidationError, match=r"\.csv, \.md or \.txt"):
        cb.versions.export_changes(tmp_path / "log.xlsx")


def test_delete_and_reinstate_version_keeps_stamps(sample: Project):
    me = sample.coders.ensure("Lead")
    pilot = sample.codebook.versions.freeze("pilot", me.id)
    coding = _code_something(sample, me.id)
    gone = sample.codebook.versions.delete(pilot.id, me.id)
    assert sample.codebook.versions.list() == []
    assert sample.codings.get(coding.id).codebook_version_id is None
    sample.codebook.versions.reinstate(gone, me.id)
    assert sample.codebook.versions.list() == [pilot]
    assert sample.codings.get(coding.id).codebook_version_id == pilot.id
