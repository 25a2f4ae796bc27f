"""Links appear in the coded-set exports (CSV, XLSX, JSON Lines, HTML)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from annotator.cli import main
from annotator.domain.links import RESPONSE_TO, CodingLink
from annotator.domain.model import new_id
from annotator.exchange.csv_export import read_csv_table
from tests.recommendations.pair_helpers import make_pair


@pytest.fixture
def linked(tmp_path):
    pair = make_pair(tmp_path / "linked.annotator")
    rec = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    ans = pair.code(pair.response, "The government accepts this recommendation", pair.reply)
    other = pair.code(pair.report, "Councils lack money to build homes", pair.theme)
    pair.project.links.add(CodingLink(new_id(), ans.id, rec.id, RESPONSE_TO, "accepted"))
    path = pair.project.path
    pair.project.close()
    return path, rec, ans, other


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "html"])
def test_each_linked_coding_lists_its_links(linked, tmp_path, fmt):
    path, rec, ans, other = linked
    out = tmp_path / f"codings.{fmt}"
    assert main(["export", str(path), "--format", fmt, "--out", str(out)]) == 0
    if fmt == "csv":
        rows = {r["coding_id"]: r for r in read_csv_table(out)}
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(out)["Codings"]
        values = list(sheet.iter_rows(values_only=True))
        rows = {r[0]: dict(zip(values[0], r, strict=True)) for r in values[1:]}
    elif fmt == "jsonl":
        rows = {o["coding_id"]: o for o in map(json.loads, out.read_text("utf-8").splitlines())}
    else:
        html = out.read_text("utf-8")
        assert f"response to from {ans.id} [accepted]" in html
        assert f"response to to {rec.id} [accepted]" in html
        return
    assert rows[str(rec.id)]["links"] == f"response to from {ans.id} [accepted]"
    assert rows[str(ans.id)]["links"] == f"response to to {rec.id} [accepted]"
    assert rows[str(other.id)]["links"] in ("", None)
