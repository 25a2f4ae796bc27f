"""The codebook table: writing, liberal parsing, and the pure import plan."""

from __future__ import annotations

import uuid

import pytest

from annotator.domain.codebook_paths import (
    IncomingCode,
    descendants_by_path,
    path_key,
    plan_import,
    split_path,
)
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coder
from annotator.exchange.codebook_table import (
    COLUMNS,
    codebook_table,
    parse_codebook_csv,
    parse_codebook_xlsx,
)
from annotator.exchange.csv_export import write_csv_table
from annotator.exchange.xlsx_export import write_xlsx_table

from .helpers import code

THEMES = code("Themes", kind="group", codable=False)
FISCAL = code("Fiscal", THEMES, shortcut="F", definition='Money,\n"quoted"')
PREVENTION = code("Prevention", THEMES, position=1)


def test_table_layout_rows_in_tree_order_with_counts():
    ann, bob = Coder(uuid.uuid4(), "Ann"), Coder(uuid.uuid4(), "Bob")
    counts = {FISCAL.id: {ann.id: 2, bob.id: 1}}
    header, rows = codebook_table([PREVENTION, FISCAL, THEMES], [ann, bob], counts)
    rows = list(rows)
    assert header == [*COLUMNS, "codings_total", "codings: Ann", "codings: Bob"]
    assert [r[0] for r in rows] == ["Themes", "Themes/Fiscal", "Themes/Prevention"]
    fiscal = dict(zip(header, rows[1], strict=True))
    assert fiscal["uuid"] == str(FISCAL.id)
    assert fiscal["parent_path"] == "Themes" and fiscal["parent_uuid"] == str(THEMES.id)
    assert fiscal["shortcut"] == "F" and fiscal["codable"] is True
    assert (fiscal["codings_total"], fiscal["codings: Ann"], fiscal["codings: Bob"]) == (3, 2, 1)


def test_csv_round_trip_parses_every_field(tmp_path):
    path = tmp_path / "cb.csv"
    write_csv_table(path, *codebook_table([THEMES, FISCAL, PREVENTION]))
    parsed = parse_codebook_csv(path.read_bytes())
    assert parsed.problems == []
    fiscal = parsed.rows[1]
    assert (fiscal.path, fiscal.name, fiscal.id) == ("Themes/Fiscal", "Fiscal", FISCAL.id)
    assert fiscal.parent_path == "Themes" and fiscal.parent_id == THEMES.id
    assert fiscal.fields["definition"] == 'Money,\n"quoted"'
    assert fiscal.fields["shortcut"] == "F" and fiscal.fields["codable"] is True
    assert parsed.rows[0].fields["codable"] is False
    assert parsed.rows[0].parent_path is None


def test_liberal_reading_bom_case_aliases_semicolons_and_missing_columns():
    data = "\ufeffPath;COLOR;Parent UUID;Kind\nThemes/New;#00ff00;;theme\n\n Other ;;;\n"
    parsed = parse_codebook_csv(data.encode("utf-8"))
    assert parsed.problems == []
    new, other = parsed.rows
    assert (new.path, new.name, new.fields["color"]) == ("Themes/New", "New", "#00ff00")
    assert "definition" not in new.fields  # a missing column never blanks a value
    assert (other.path, other.name, other.row) == ("Other", "Other", 4)
    assert "color" not in other.fields  # an empty colour keeps the current one


def test_windows_1252_is_accepted():
    parsed = parse_codebook_csv("name,definition\nCaf\xe9,na\xefve\n".encode("cp1252"))
    assert parsed.rows[0].name == "Café" and parsed.rows[0].fields["definition"] == "naïve"


def test_malformed_rows_are_reported_with_line_numbers():
    data = (
        "path,uuid,codable,position,definition\n"
        "A,not-a-uuid,true,1,x\n"
        'B,,perhaps,1,"two\nlines"\n'
        "C,,true,first,x\n"
        "D,,true,2,x,extra\n"
        "E,,yes,3,fine\n"
    )
    parsed = parse_codebook_csv(data.encode())
    assert [r.path for r in parsed.rows] == ["E"]
    assert parsed.rows[0].row == 7  # B's definition spans lines 3 and 4
    assert parsed.problems == [
        "Row 2: a UUID is malformed.",
        "Row 3: codable 'perhaps' is not true or false.",
        "Row 5: position 'first' is not a whole number.",
        "Row 6: 6 cells, but the header has 5 columns.",
    ]


def test_a_table_needs_a_path_or_name_column():
    parsed = parse_codebook_csv(b"colour,kind\n#ffffff,theme\n")
    assert parsed.rows == [] and "needs a 'path' or a 'name'" in parsed.problems[0]


def test_xlsx_is_read_like_csv(tmp_path):
    path = tmp_path / "cb.xlsx"
    write_xlsx_table(path, "Codebook", codebook_table([THEMES, FISCAL, PREVENTION]))
    parsed = parse_codebook_xlsx(path)
    assert parsed.problems == []
    assert [r.row for r in parsed.rows] == [2, 3, 4]
    assert parsed.rows[2].fields["position"] == 1
    assert parsed.rows[0].fields["codable"] is False


# -- the plan ------------------------------------------------------------------------------


def _row(n: int, path: str, name: str | None = None, **kw) -> IncomingCode:
    return IncomingCode(row=n, path=path, name=split_path(path)[-1] if name is None else name, **kw)


def test_paths_compare_trimmed_and_case_folded():
    assert path_key(" Themes / fiscal ") == path_key("themes/Fiscal")
    ids, unknown = descendants_by_path([THEMES, FISCAL, PREVENTION], ["THEMES", "nope"])
    assert ids == {THEMES.id, FISCAL.id, PREVENTION.id} and unknown == ["nope"]


def test_plan_matches_by_uuid_then_path_and_adds_the_rest():
    rows = [
        _row(2, "Themes/Fiscal", "Fiscal policy", id=FISCAL.id),  # rename by UUID
        _row(3, "themes/prevention", fields={"definition": "Upstream"}),  # by path, any case
        _row(4, "Themes/Prevention/Early years", fields={"color": "#123456"}),  # new
    ]
    plan = plan_import([THEMES, FISCAL, PREVENTION], rows)
    assert [c.name for c in plan.added] == ["Early years"]
    assert plan.added[0].parent_id == PREVENTION.id and plan.added[0].color == "#123456"
    # Matching ignores case; the file's spelling becomes the name.
    assert {after.name for _, after in plan.updated} == {"Fiscal policy", "prevention"}
    assert {after.id for _, after in plan.updated} == {FISCAL.id, PREVENTION.id}
    assert [c.name for c in plan.left_alone] == ["Themes"]


def test_plan_keeps_values_of_missing_columns_and_reports_identical_rows_as_left_alone():
    plan = plan_import([THEMES, FISCAL], [_row(2, "Themes/Fiscal", fields={"shortcut": "F"})])
    assert plan.added == () and plan.updated == ()
    assert len(plan.left_alone) == 2


def test_plan_orders_new_parents_before_children():
    rows = [_row(2, "New/Child/Grandchild"), _row(3, "New/Child"), _row(4, "New")]
    plan = plan_import([], rows)
    assert [c.name for c in plan.added] == ["New", "Child", "Grandchild"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_row(2, "", "")], "Row 2 (''): a code needs a name."),
        ([_row(5, "Themes/Other", "FISCAL ")], "Row 5 ('Themes/Other'): There is already"),
        ([_row(2, "X", fields={"shortcut": "F"})], "shortcut F is already used"),
        ([_row(3, "Nowhere/Child")], "the parent 'Nowhere' is neither"),
        ([_row(2, "Themes/Fiscal"), _row(9, "themes/fiscal")], "row 2"),
        ([_row(2, "A/B", id=THEMES.id, parent_path="Themes/Fiscal")], "cycle"),
        ([_row(4, "Themes/Fiscal", "Prevention", id=FISCAL.id)], "already a code called"),
        ([_row(4, "Bad", fields={"color": "red"})], "is not a colour"),
    ],
)
def test_plan_refusals_name_the_row(rows, message):
    with pytest.raises(ValidationError) as info:
        plan_import([THEMES, FISCAL, PREVENTION], rows)
    assert message in str(info.value)
