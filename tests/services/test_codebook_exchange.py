"""Codebook tables in and out of real projects, and the printable codebook."""

from __future__ import annotations

import csv
import uuid

import docx
import lxml.html
import pytest

from annotator.domain.codebook import code_path
from annotator.domain.errors import ValidationError
from annotator.exchange.codebook_table import COLUMNS
from annotator.services.codebook_exchange import (
    export_codebook_table,
    import_codebook_table,
    print_codebook,
)
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

FISCAL = starter_code_id("Themes/Fiscal devolution")
PREVENTION = starter_code_id("Themes/Prevention")
POWER = starter_code_id("Themes/Community power")


def _codes(project) -> dict:
    return {c.id: c for c in project.codebook.list()}


def _paths(project) -> dict[str, uuid.UUID]:
    codes = _codes(project)
    return {code_path(c, codes): i for i, c in codes.items()}


def _write(path, header, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_into_an_empty_project_is_lossless(sample, tmp_path, fmt):
    path = tmp_path / f"codebook.{fmt}"
    assert export_codebook_table(sample, path) == len(sample.codebook.list())
    empty = Project.create(tmp_path / "empty.annotator", starter=False)
    try:
        report = import_codebook_table(empty, path)
        assert len(report.added) == len(sample.codebook.list())
        assert report.updated == () and report.left_alone == ()
        assert _codes(empty) == _codes(sample)
        again = import_codebook_table(empty, path)
        assert again.added == () and again.updated == ()
        assert len(again.left_alone) == len(report.added)
    finally:
        empty.close()


def test_export_counts_total_and_per_coder(sample, tmp_path):
    path = tmp_path / "codebook.csv"
    export_codebook_table(sample, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[: len(COLUMNS)] == list(COLUMNS)
    stored = sample.codings.all()
    for row in rows:
        code_id = uuid.UUID(row["uuid"])
        mine = [c for c in stored if c.code_id == code_id]
        assert int(row["codings_total"]) == len(mine)
        for coder in sample.coders.list():
            n = sum(c.coder_id == coder.id for c in mine)
            assert int(row[f"codings: {coder.name}"]) == n
    assert sum(int(r["codings_total"]) for r in rows) == len(stored)


def test_import_matches_by_uuid_then_path_and_reports(project, tmp_path):
    before = _codes(project)
    log_before = len(project.codebook.change_log())
    path = tmp_path / "edit.csv"
    _write(
        path,
        ["Code Path", "UUID", "Name", "Definition", "Colour"],
        [
            ["Themes/Fiscal devolution", str(FISCAL), "Fiscal powers", "Renamed by UUID", ""],
            ["themes/prevention", "", "", "Changed by path", "#010203"],
            ["Themes/Prevention/Early years", "", "", "A new child", ""],
            ["Themes/Community power", "", "", before[POWER].definition, ""],  # unchanged
        ],
    )
    report = import_codebook_table(project, path)
    assert report.added == ("Themes/prevention/Early years",)
    assert set(report.updated) == {"Themes/Fiscal powers", "Themes/prevention"}
    assert "Themes/Community power" in report.left_alone
    assert len(report.left_alone) == len(before) - 2
    after = _codes(project)
    assert after[FISCAL].name == "Fiscal powers"
    assert after[FISCAL].definition == "Renamed by UUID"
    assert after[FISCAL].color == before[FISCAL].color  # an empty cell keeps the value
    assert after[PREVENTION].definition == "Changed by path"
    assert after[PREVENTION].color == "#010203"
    assert after[PREVENTION].example_typical == before[PREVENTION].example_typical
    child = next(c for c in after.values() if c.name == "Early years")
    assert child.parent_id == PREVENTION
    log = project.codebook.change_log()[log_before:]
    assert sorted(e["action"] for e in log) == ["add", "edit", "edit"]
    assert all("edit.csv" in e["details"]["summary"] for e in log)


def test_swapping_two_sibling_names_in_one_import(project, tmp_path):
    path = tmp_path / "swap.csv"
    _write(
        path,
        ["uuid", "name", "parent_path"],
        [[str(FISCAL), "Prevention", "Themes"], [str(PREVENTION), "Fiscal devolution", "Themes"]],
    )
    import_codebook_table(project, path)
    codes = _codes(project)
    assert (codes[FISCAL].name, codes[PREVENTION].name) == ("Prevention", "Fiscal devolution")


def test_moving_a_code_under_a_new_parent(project, tmp_path):
    path = tmp_path / "move.csv"
    _write(
        path,
        ["path", "uuid", "parent_path", "name"],
        [
            ["Themes/Fiscal devolution", str(FISCAL), "Finance", "Fiscal devolution"],
            ["Finance", "", "", "Finance"],
        ],
    )
    report = import_codebook_table(project, path)
    assert report.added == ("Finance",) and report.updated == ("Finance/Fiscal devolution",)
    assert _paths(project)["Finance/Fiscal devolution"] == FISCAL


REFUSALS = [
    ([["Themes/Fiscal devolution", "", "Prevention", ""]], "Row 2"),  # duplicate sibling name
    ([["Themes/A", "", "A", ""], ["Themes/a", "", "a", ""]], "Row 3"),  # duplicates in the file
    ([["Themes", str(starter_code_id("Themes")), "Themes", "Themes/Prevention"]], "cycle"),
    ([["Themes/New", "", "", ""], [" / ", "", " ", ""]], "Row 3"),  # empty name
    ([["Themes/Fast", "", "Fast", ""]], "shortcut"),  # set below: already in use
    ([["Themes/Fine", "", "Fine", ""], ["Themes/Bad", "not-a-uuid", "Bad", ""]], "Row 3"),
    ([["Nowhere/Lost", "", "Lost", ""]], "Nowhere"),
]


@pytest.mark.parametrize(("rows", "message"), REFUSALS)
def test_refused_imports_store_nothing(project, tmp_path, rows, message):
    header = ["path", "uuid", "name", "parent_path"]
    if message == "shortcut":
        header.append("shortcut")
        used = next(c.shortcut for c in project.codebook.list() if c.shortcut)
        rows = [[*rows[0], used]]
    path = tmp_path / "bad.csv"
    _write(path, header, rows)
    before = _codes(project)
    log_before = project.codebook.change_log()
    with pytest.raises(ValidationError) as info:
        import_codebook_table(project, path)
    assert message in str(info.value)
    assert _codes(project) == before
    assert project.codebook.change_log() == log_before


def test_print_codebook_html_has_examples_from_codings(sample, tmp_path):
    path = tmp_path / "codebook.html"
    assert print_codebook(sample, path, examples=2) == len(sample.codebook.list())
    tree = lxml.html.parse(str(path)).getroot()
    sections = tree.xpath("//section[@class='code']")
    assert len(sections) == len(sample.codebook.list())
    quotes = {" ".join(c.quote.split()) for c in sample.codings.all()}
    shown = [q.text for q in tree.xpath("//blockquote")]
    assert shown and all(q in quotes for q in shown)
    for section in sections:
        assert len(section.xpath(".//blockquote")) <= 2


def test_print_codebook_docx_contains_every_code_name(sample, tmp_path):
    path = tmp_path / "codebook.docx"
    print_codebook(sample, path, "docx")
    document = docx.Document(str(path))
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert {c.name for c in sample.codebook.list()} <= headings
    assert any(p.style.name == "Quote" for p in document.paragraphs)


def test_unsupported_formats_are_refused(sample, tmp_path):
    with pytest.raises(ValidationError):
        export_codebook_table(sample, tmp_path / "x.json", "json")
    with pytest.raises(ValidationError):
        print_codebook(sample, tmp_path / "x.pdf")
    assert list(tmp_path.glob("x.*")) == []


def test_a_list_of_names_can_be_imported_twice(project, tmp_path):
    path = tmp_path / "names.csv"
    _write(path, ["Name", "Parent"], [["Housing", ""], ["Social housing", "Housing"]])
    first = import_codebook_table(project, path)
    assert first.added == ("Housing", "Housing/Social housing")
    second = import_codebook_table(project, path)
    assert second.added == () and second.updated == ()
    assert _paths(project)["Housing/Social housing"]
