"""Groups, attributes, memos, and exports that carry them, read back with pandas."""

from __future__ import annotations

from uuid import uuid4

import pandas as pd
import pytest
from docx import Document as WordDocument

from annotator.cli import main
from annotator.domain.errors import ValidationError
from annotator.domain.memos import MemoKind
from annotator.services.exporting import export_codings, export_unit_table
from annotator.services.project import Project
from tests.services.analysis_helpers import A, build


def test_groups_create_rename_members_and_undo_data(project):
    (d1, d2, d3), _, _ = build(project)
    groups = {g.name: g for g in project.cases.groups()}
    assert set(groups["Reports"].members) == {d1, d3}
    with pytest.raises(ValidationError, match="already"):
        project.cases.create_group("reports")
    project.cases.rename_group(groups["Reports"].id, "Think-tank reports")
    assert project.cases.add_members(groups["Responses"].id, [d1, d2]) == [d1]
    assert project.cases.remove_members(groups["Responses"].id, [d1]) == [d1]
    gone = project.cases.delete_group(groups["Responses"].id)
    assert [g.name for g in project.cases.groups()] == ["Think-tank reports"]
    project.cases.restore_group(gone)
    assert {g.name: g.members for g in project.cases.groups()}["Responses"] == (d2,)
    case = next(c for c in project.cases.cases() if c.id == d1)
    assert case.groups == ("Think-tank reports",)


def test_attribute_fields_set_and_return_old_values(project):
    (d1, _, _), _, _ = build(project)
    assert project.cases.set_field(d1, "type", "briefing") == "report"
    assert project.cases.set_field(d1, "date", "2020") == "March 2021"
    before = project.cases.set_fields({d1: {"country": "UK", "type": None}})
    assert before == {d1: {"country": None, "type": "briefing"}}
    case = next(c for c in project.cases.cases() if c.id == d1)
    assert case.attributes == {"country": "UK"} and case.date == "2020"
    with pytest.raises(ValidationError):
        project.cases.set_field(d1, "title", "x")


def test_memos_of_every_kind_listed_filtered_and_exported(project, tmp_path):
    (d1, d2, _), _, codings = build(project)
    assert project.memos.set_project_memo("Why we code *localism*.") == ""
    project.memos.set_document_memo(d2, "The response dodges recommendation 3.")
    project.codings.update(codings[0].with_changes(memo="Strong fiscal claim"))
    project.codebook.update(project.codebook.get(A).with_changes(memo="Use for tax powers."))
    memos = project.memos.all()
    kinds = [m.kind for m in memos]
    assert kinds == [MemoKind.PROJECT, MemoKind.DOCUMENT, MemoKind.CODE, MemoKind.CODING]
    assert [m.text for m in project.memos.all(search="DODGES")] == [
        "The response dodges recommendation 3."
    ]
    only = project.memos.all(document_ids=[d1])
    assert [m.kind for m in only] == [MemoKind.CODING] and only[0].quote == "One two three"
    assert project.memos.set_project_memo("v2") == "Why we code *localism*."
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"memos.{fmt}"
        assert main(["memos", str(project.path), "--format", fmt, "--out", str(out)]) == 0
        if fmt == "docx":
            text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
        else:
            text = out.read_text(encoding="utf-8")
        assert "dodges recommendation 3" in text and "Strong fiscal claim" in text


def test_exports_carry_metadata_groups_and_attributes_as_columns(project, tmp_path):
    build(project)
    project.cases.set_field(project.cases.cases()[1].id, "country", "UK")
    csv_path, xlsx_path, jsonl_path = (tmp_path / f"c.{x}" for x in ("csv", "xlsx", "jsonl"))
    export_codings(project, csv_path, "csv")
    export_codings(project, xlsx_path, "xlsx")
    export_codings(project, jsonl_path, "jsonl")
    frames = [
        pd.read_csv(csv_path, encoding="utf-8-sig"),
        pd.read_excel(xlsx_path, sheet_name="Codings"),
        pd.read_json(jsonl_path, lines=True),
    ]
    for frame in frames:
        assert len(frame) == 8
        one = frame[frame.document_title == "Doc one"].iloc[0]
        two = frame[frame.document_title == "Doc two"].iloc[0]
        assert str(one.document_date) == "2021-03" and str(two.document_date) == "2022-05-01"
        assert one.document_author == "Ann" and two.document_publisher == "Gov"
        assert one.document_groups == "Reports" and two.document_groups == "Responses"
        assert one.attr_type == "report" and two.attr_country == "UK"
        assert pd.isna(one.attr_country)
        assert int(one.document_length) > 0
    documents = pd.read_excel(xlsx_path, sheet_name="Documents")
    assert "attributes" not in documents.columns
    assert list(documents.attr_type.fillna("")) == ["report", "response", ""]
    assert list(documents.document_date) == ["2021-03", "2022-05-01", "2022"]
    assert list(documents.codings_exported) == [5, 3, 0]
    units = tmp_path / "units.csv"
    export_unit_table(project, units, "paragraph")
    table = pd.read_csv(units, encoding="utf-8-sig")
    assert {"document_date", "document_groups", "attr_type", "Ann", "Bob"} <= set(table.columns)
    assert set(table.attr_type.dropna()) == {"report", "response"}


def test_matrix_command_writes_tidy_and_wide_tables(project, tmp_path):
    build(project)
    path = project.path
    wide = tmp_path / "wide.csv"
    assert main(["matrix", str(path), "--cols", "documents", "--out", str(wide)]) == 0
    frame = pd.read_csv(wide, encoding="utf-8-sig")
    assert list(frame.columns) == ["code", "Doc one", "Doc two", "Doc three", "total"]
    fiscal = frame[frame.code == "Themes/Fiscal devolution"].iloc[0]
    assert (fiscal["Doc one"], fiscal["Doc two"], fiscal["total"]) == (3, 1, 4)
    assert frame.iloc[-1]["total"] == 8
    tidy = tmp_path / "tidy.xlsx"
    args = ["matrix", str(path), "--cols", "codes", "--format", "xlsx", "--layout", "tidy"]
    assert main([*args, "--cooccurrence", "paragraph", "--hide-empty", "--out", str(tidy)]) == 0
    cells = pd.read_excel(tidy)
    assert list(cells.columns) == [
        "row_key",
        "row",
        "column_key",
        "column",
        "measure",
        "value",
        "codings",
    ]
    assert len(cells) == 9
    pair = cells[(cells.row == "Themes/Fiscal devolution") & (cells.column == "Themes/Prevention")]
    assert int(pair.value.iloc[0]) == 2
    cov = tmp_path / "cov.csv"
    args = ["matrix", str(path), "--cols", "type", "--measure", "coverage"]
    assert main([*args, "--group", "Reports", "--out", str(cov)]) == 0
    assert list(pd.read_csv(cov, encoding="utf-8-sig").columns) == [
        "code",
        "report",
        "(none)",
        "total",
    ]
    assert main(["matrix", str(path), "--cols", "nothing", "--out", str(cov)]) == 2


def test_a_read_only_0002_project_reads_without_the_memo_table(tmp_path):
    import os
    import stat

    from alembic import command
    from sqlalchemy import create_engine

    from annotator.storage.database import _alembic_config

    path = tmp_path / "old.annotator"
    project = Project.create(path)
    build(project)
    project.close()
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")  # also runs 0008's downgrade: no memo table
    engine.dispose()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        old = Project.open(path)
        try:
            assert old.read_only
            assert old.memos.project_memo() == "" and old.memos.document_memo(uuid4()) == ""
            assert [m.kind for m in old.memos.all()] == []
        finally:
            old.close()
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_attribute_table_round_trips_through_the_documents_sheet(project, tmp_path):
    (d1, d2, _), _, _ = build(project)
    export_codings(project, tmp_path / "c.xlsx", "xlsx")
    sheet = pd.read_excel(tmp_path / "c.xlsx", sheet_name="Documents")
    sheet.loc[sheet.title == "Doc two", "attr_type"] = "formal response"
    sheet["attr_region"] = ["North", "", "South"]
    sheet.to_csv(tmp_path / "docs.csv", index=False)
    before = project.cases.import_attributes(tmp_path / "docs.csv")
    cases = {c.id: c for c in project.cases.cases()}
    assert cases[d2].attributes == {"type": "formal response"}
    assert cases[d1].attributes == {"type": "report", "region": "North"}
    assert cases[d1].date == "2021-03"  # the export's ISO date, read back as the date
    assert before[d2]["type"] == "response"
    project.cases.set_fields(before)
    assert next(c for c in project.cases.cases() if c.id == d2).attributes == {"type": "response"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name,type\nx,y\n", "document_id or title"),
        (b"title,type\nDoc one,a,b\n", "row 2: more cells"),
        (b"title,type\nNope,a\n", "row 2: no document 'Nope'"),
        (b"document_id,type\nnot-a-uuid,a\n", "row 2: no document"),
        (b"title,type\n\xff\xfe,a\n", "not UTF-8"),
        (b"title,type\n,a\n", "row 2: the title cell is empty"),
    ],
)
def test_bad_attribute_tables_are_refused_naming_file_and_row(project, tmp_path, content, message):
    build(project)
    path = tmp_path / "attrs.csv"
    path.write_bytes(content)
    before = project.cases.cases()
    with pytest.raises(ValidationError, match=message) as info:
        project.cases.import_attributes(path)
    assert "attrs.csv" in str(info.value)
    assert project.cases.cases() == before


def test_exports_filter_by_group_and_attribute(project, tmp_path, capsys):
    build(project)
    out = tmp_path / "reports.csv"
    args = ["export", str(project.path), "--format", "csv", "--out", str(out)]
    assert main([*args, "--group", "Reports"]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert set(frame.document_title) == {"Doc one"} and len(frame) == 5
    assert main([*args, "--attribute", "type=Response"]) == 0
    assert set(pd.read_csv(out, encoding="utf-8-sig").document_title) == {"Doc two"}
    assert main([*args, "--attribute", "date=2022-05-01", "--group", "Responses"]) == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 3
    assert main([*args, "--attribute", "date=2021-03"]) == 0  # stored as "March 2021"
    assert set(pd.read_csv(out, encoding="utf-8-sig").document_title) == {"Doc one"}
    assert main([*args, "--group", "Nobody"]) == 2
    assert "Nobody" in capsys.readouterr().err
    qdpx = ["export", str(project.path), "--format", "qdpx", "--out", str(tmp_path / "x.qdpx")]
    assert main([*qdpx, "--group", "Reports"]) == 2
