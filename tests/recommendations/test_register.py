import json

import openpyxl
import pytest

from annotator.cli import main
from annotator.domain.links import RESPONSE_TO, SAME_AS, CodingLink
from annotator.domain.model import new_id
from annotator.exchange.csv_export import read_csv_table
from annotator.services.register import build_register
from tests.recommendations.pair_helpers import make_pair


@pytest.fixture
def pair(tmp_path):
    p = make_pair(tmp_path / "pair.annotator")
    yield p
    p.project.close()


def _populate(pair):
    r1 = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    r2 = pair.code(pair.report, "The Treasury must publish a ten-year funding settlement")
    pair.code(pair.report, "borrow against rental income to build new homes", pair.theme)
    other = pair.project.coders.ensure("Bo")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    pair.project.links.add(CodingLink(new_id(), ans.id, r1.id, RESPONSE_TO, "accepted"))
    pair.project.links.add(CodingLink(new_id(), r2.id, r1.id, SAME_AS))
    return r1, r2, ans, other


def test_register_rows_have_place_number_themes_and_links(pair):
    r1, r2, ans, _ = _populate(pair)
    reg = build_register(pair.project)
    assert [r.coding_id for r in reg.rows] == [r1.id, r2.id]
    first, second = reg.rows
    assert (first.document, first.number, first.coder, first.code) == (
        "Housing report",
        "1",
        "Ada",
        "Recommendation",
    )
    assert first.themes == ("Housing",)
    assert second.themes == ()
    assert second.number == "2"
    assert first.status == "accepted"
    assert [lk.coding_id for lk in first.responses] == [ans.id]
    assert {lk.link_type for lk in first.links} == {RESPONSE_TO, SAME_AS}
    assert [lk.link_type for lk in second.links] == [SAME_AS]


def test_theme_of_another_coder_is_not_counted(pair):
    _populate(pair)
    from annotator.domain.model import Code

    other_theme = pair.project.codebook.add(Code(new_id(), "Money", "#888888", kind="theme"))
    pair.coder = pair.project.coders.ensure("Bo")
    pair.code(pair.report, "Councils should be allowed", other_theme)
    assert build_register(pair.project).rows[0].themes == ("Housing",)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "html"])
def test_cli_register_exports(pair, tmp_path, fmt, capsys):
    r1, _r2, ans, _ = _populate(pair)
    out = tmp_path / f"register.{fmt}"
    assert main(["register", str(pair.project.path), "--format", fmt, "--out", str(out)]) == 0
    assert "Wrote 2 recommendations" in capsys.readouterr().out
    if fmt == "csv":
        rows = read_csv_table(out)
        assert rows[0]["number"] == "1"
        assert rows[0]["themes"] == "Housing"
        assert rows[0]["response_status"] == "accepted"
        assert "Government response" in rows[0]["responses"]
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][:3] == ("coding_id", "document", "page")
        assert values[1][values[0].index("response_status")] == "accepted"
    elif fmt == "jsonl":
        lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
        assert lines[0]["coding_id"] == str(r1.id)
        kinds = {lk["type"]: lk for lk in lines[0]["links"]}
        assert kinds[RESPONSE_TO]["status"] == "accepted"
        assert kinds[RESPONSE_TO]["coding_id"] == str(ans.id)
        assert kinds[RESPONSE_TO]["direction"] == "from"
        assert lines[0]["fields"] == {}
    else:
        html = out.read_text("utf-8")
        assert "Recommendation 1" in html and "accepted" in html and "Housing report" in html


def test_cli_register_refuses_an_unknown_coder(pair, tmp_path, capsys):
    out = tmp_path / "r.csv"
    args = ["register", str(pair.project.path), "--format", "csv", "--out", str(out)]
    assert main([*args, "--coder", "Nobody"]) == 2
    assert "Nobody" in capsys.readouterr().err
    assert not out.exists()


def test_one_column_per_field_with_readable_values_and_suggestions_marked(pair, tmp_path):
    from annotator.domain.fields import FieldChoice, FieldDef, FieldKind

    r1, r2, _ans, _ = _populate(pair)
    fields = pair.project.fields
    strength = fields.add_field(
        FieldDef(
            new_id(),
            pair.recommendation.id,
            "Strength",
            FieldKind.ORDINAL,
            (FieldChoice("c", "could"), FieldChoice("s", "should"), FieldChoice("m", "must")),
            position=-1,
        )
    )
    addressee = fields.add_field(
        FieldDef(new_id(), pair.recommendation.id, "Addressee", FieldKind.SHORT_TEXT, position=-1)
    )
    fields.set_value(r1.id, strength.id, "s", pair.coder.id)
    fields.set_value(r2.id, strength.id, "m", None, suggested=True)
    fields.set_value(r2.id, addressee.id, "the Treasury", pair.coder.id)
    reg = build_register(pair.project)
    assert reg.field_names == ("Strength", "Addressee")
    assert reg.rows[0].fields == ("should", "")
    assert reg.rows[1].fields == ("must (suggested)", "the Treasury")
    out = tmp_path / "fields.csv"
    assert main(["register", str(pair.project.path), "--format", "csv", "--out", str(out)]) == 0
    rows = read_csv_table(out)
    assert rows[1]["field:Strength"] == "must (suggested)"
    assert rows[1]["field:Addressee"] == "the Treasury"
    out = tmp_path / "fields.jsonl"
    assert main(["register", str(pair.project.path), "--format", "jsonl", "--out", str(out)]) == 0
    first = json.loads(out.read_text("utf-8").splitlines()[0])
    assert first["fields"] == {"Strength": "should", "Addressee": ""}
