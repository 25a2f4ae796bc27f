"""Matrices computed from a small project whose every number is worked out by hand."""

from __future__ import annotations

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.matrix import union_length
from annotator.services.matrices import MatrixFilters, MatrixRequest, build_matrix, passages
from tests.services.analysis_helpers import TEXTS, A, B, C, build


def _cell(matrix, row_key, col_key):
    r = [a.key for a in matrix.rows].index(row_key)
    c = [a.key for a in matrix.columns].index(col_key)
    return matrix.values[r][c], matrix.passages(r, c)


def test_union_length_counts_overlaps_once():
    assert union_length([(0, 13), (2, 8), (30, 35)]) == 18
    assert union_length([(0, 5), (5, 10)]) == 10
    assert union_length([]) == 0


def test_code_by_document_count_coverage_presence(project):
    (d1, d2, d3), _, codings = build(project)
    count = build_matrix(project, MatrixRequest(columns="documents"))
    assert [a.key for a in count.columns] == [d1, d2, d3]
    assert _cell(count, A, d1)[0] == 3 and _cell(count, A, d2)[0] == 1
    assert _cell(count, B, d3) == (0, ())
    assert set(_cell(count, A, d1)[1]) == {
        c.id for c in codings if c.code_id == A and c.document_id == d1
    }
    row = [a.key for a in count.rows].index(A)
    assert count.row_totals[row] == 4 and count.grand_total == 8
    assert count.column_totals == [5, 3, 0]
    coverage = build_matrix(project, MatrixRequest(columns="documents", measure="coverage"))
    assert _cell(coverage, A, d1)[0] == pytest.approx(18 / len(TEXTS[0]))
    assert coverage.row_totals[row] == pytest.approx((18 + 7) / sum(map(len, TEXTS)))
    # Column total: the union of A, B and C in document one is [0, 20) and [30, 35).
    assert coverage.column_totals[0] == pytest.approx(25 / len(TEXTS[0]))
    presence = build_matrix(project, MatrixRequest(columns="documents", measure="presence"))
    assert [_cell(presence, A, d)[0] for d in (d1, d2, d3)] == [1, 1, 0]
    assert presence.row_totals[row] == 2 and presence.grand_total == 2


def test_per_coder_rows_and_coder_filter(project):
    (d1, _, _), (ann, bob), _ = build(project)
    m = build_matrix(project, MatrixRequest(columns="documents", by_coder=True))
    assert _cell(m, (A, ann.id), d1)[0] == 2 and _cell(m, (A, bob.id), d1)[0] == 1
    only_bob = build_matrix(project, MatrixRequest(filters=MatrixFilters(coders=("Bob",))))
    assert _cell(only_bob, A, d1)[0] == 1 and only_bob.grand_total == 2


def test_crosstabs_by_group_attribute_and_year(project):
    build(project)
    groups = build_matrix(project, MatrixRequest(columns="groups"))
    assert [a.label for a in groups.columns] == ["Reports", "Responses"]
    assert _cell(groups, A, "Reports")[0] == 3 and _cell(groups, A, "Responses")[0] == 1
    presence = build_matrix(project, MatrixRequest(columns="groups", measure="presence"))
    assert _cell(presence, A, "Reports")[0] == 1
    by_type = build_matrix(project, MatrixRequest(columns="type"))
    assert [a.label for a in by_type.columns] == ["report", "response", "(none)"]
    assert _cell(by_type, C, "response")[0] == 1
    years = build_matrix(project, MatrixRequest(columns="year"))
    assert [a.label for a in years.columns] == ["2021", "2022"]
    assert _cell(years, A, "2022")[0] == 1
    with pytest.raises(ValidationError, match="colour"):
        build_matrix(project, MatrixRequest(columns="colour"))


def test_filters_by_group_attribute_and_date(project):
    (d1, d2, d3), _, _ = build(project)
    m = build_matrix(project, MatrixRequest(filters=MatrixFilters(groups=("Responses",))))
    assert [a.key for a in m.columns] == [d2]
    m = build_matrix(
        project, MatrixRequest(filters=MatrixFilters(attributes=(("type", "Report"),)))
    )
    assert [a.key for a in m.columns] == [d1]
    m = build_matrix(project, MatrixRequest(filters=MatrixFilters(date_from="2022")))
    assert [a.key for a in m.columns] == [d2, d3]
    m = build_matrix(project, MatrixRequest(filters=MatrixFilters(date_to="2021-12")))
    assert [a.key for a in m.columns] == [d1]
    with pytest.raises(ValidationError, match="Nobody"):
        build_matrix(project, MatrixRequest(filters=MatrixFilters(groups=("Nobody",))))


@pytest.mark.parametrize(
    ("mode", "ab", "ac", "diagonal_a"),
    [("overlap", 1, 1, 4), ("sentence", 1, 1, 4), ("paragraph", 1, 2, 4)],
)
def test_cooccurrence(project, mode, ab, ac, diagonal_a):
    build(project)
    m = build_matrix(project, MatrixRequest(columns="codes", mode=mode, hide_empty_codes=True))
    assert {a.key for a in m.rows} == {A, B, C}  # hide_empty_codes
    assert _cell(m, A, B)[0] == _cell(m, B, A)[0] == ab
    assert _cell(m, A, C)[0] == ac and _cell(m, B, C)[0] == 0
    assert _cell(m, A, A)[0] == diagonal_a


def test_cell_passages_open_the_codings(project):
    (d1, _, _), _, _ = build(project)
    m = build_matrix(project, MatrixRequest(columns="codes"))
    _, ids = _cell(m, A, B)
    found = passages(project, ids)
    assert [(p.start, p.end, p.coder) for p in found] == [(0, 13, "Ann"), (4, 20, "Ann")]
    assert found[0].quote == TEXTS[0][0:13] and found[0].document_id == d1
    assert found[1].code_path == "Themes/Community power"


@pytest.mark.parametrize("columns", ["documents", "codes", "groups", "year"])
def test_empty_projects_give_empty_matrices_and_charts(project, columns):
    from annotator.exchange import charts

    for mode in ("overlap", "paragraph"):
        m = build_matrix(project, MatrixRequest(columns=columns, mode=mode))
        assert m.grand_total == 0 and all(v == 0 for line in m.values for v in line)
        assert m.passages(0, 0) == () if m.columns else True
        hidden = build_matrix(project, MatrixRequest(columns=columns, hide_empty_codes=True))
        assert hidden.rows == []
        for fig in (charts.heatmap(hidden), charts.frequency_chart(hidden)):
            assert charts.render(fig, "png")[:4] == b"\x89PNG"
