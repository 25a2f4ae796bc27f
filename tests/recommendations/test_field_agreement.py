"""Agreement per field: matching by overlap, MASI/Jaccard, levels, service, CLI."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from annotator.agreement import krippendorff_alpha
from annotator.agreement.fields import (
    SpanRef,
    field_agreement,
    jaccard,
    masi,
    match_by_overlap,
    set_alpha,
)
from annotator.cli import main
from annotator.services.field_agreement import FieldAgreementService
from annotator.services.project import Project
from annotator.services.starter import starter_code_id

REC = starter_code_id("Recommendations/Recommendation")


def test_masi_follows_passonneau_2006() -> None:
    a, ab, abcd, c = frozenset("a"), frozenset("ab"), frozenset("abcd"), frozenset("c")
    assert masi(ab, ab) == 1
    assert masi(a, ab) == pytest.approx(float(Fraction(1, 2) * Fraction(2, 3)))  # subset
    assert masi(ab, frozenset("bc")) == pytest.approx(float(Fraction(1, 3) * Fraction(1, 3)))
    assert masi(a, c) == 0 and jaccard(ab, abcd) == 0.5
    assert masi(ab, abcd) == pytest.approx(1 / 3)  # NLTK's doctest: distance 0.665 (m=0.67)


def test_set_alpha_on_single_choices_equals_nominal_alpha() -> None:
    a = ["x", "y", "y", "z", "x", "x", "z", "y"]
    b = ["x", "y", "z", "z", "x", "y", "z", "y"]
    sets = [(frozenset([p]), frozenset([q])) for p, q in zip(a, b, strict=True)]
    assert set_alpha(sets).value == pytest.approx(krippendorff_alpha([a, b]).value)


def test_set_alpha_matches_nltk_annotation_task() -> None:
    """Differential check of the set alpha against NLTK's AnnotationTask (test-only dep)."""
    metrics = pytest.importorskip("nltk.metrics")
    from nltk.metrics.agreement import AnnotationTask

    a = [frozenset("ab"), frozenset("a"), frozenset("bc"), frozenset("c"), frozenset("abc"),
         frozenset("b")]  # fmt: skip
    b = [frozenset("ab"), frozenset("ab"), frozenset("c"), frozenset("c"), frozenset("ac"),
         frozenset("a")]  # fmt: skip
    data = [("A", i, x) for i, x in enumerate(a)] + [("B", i, y) for i, y in enumerate(b)]
    theirs = AnnotationTask(data=data, distance=metrics.jaccard_distance).alpha()
    ours = set_alpha(list(zip(a, b, strict=True)), similarity=jaccard).value
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_ordinal_fields_use_the_choice_order_as_the_scale() -> None:
    scale = ["c-could", "c-should", "c-must"]
    pairs = [("c-must", "c-must"), ("c-must", "c-should"), ("c-could", "c-could"),
             ("c-should", "c-should"), ("c-could", "c-must")]  # fmt: skip
    result = field_agreement("Strength", "ordinal", 6, pairs, scale)
    ranks = [[scale.index(x) for x, _ in pairs], [scale.index(y) for _, y in pairs]]
    assert result.level == "ordinal" and result.matched == 6 and result.compared == 5
    assert result.alpha.value == pytest.approx(krippendorff_alpha(ranks, "ordinal").value)
    assert result.alpha.value != pytest.approx(krippendorff_alpha(ranks, "nominal").value)
    assert result.percent.value == pytest.approx(3 / 5)


def test_ordinal_fields_report_weighted_kappa_against_statsmodels() -> None:
    from statsmodels.stats.inter_rater import cohens_kappa

    scale = ["c-could", "c-should", "c-must"]
    pairs = [("c-must", "c-must"), ("c-must", "c-should"), ("c-could", "c-could"),
             ("c-should", "c-should"), ("c-could", "c-must"), ("c-should", "c-must")]  # fmt: skip
    result = field_agreement("Strength", "ordinal", 6, pairs, scale)
    table = [[0, 0, 0], [0, 0, 0], [0, 0, 0]]
    for a, b in pairs:
        table[scale.index(a)][scale.index(b)] += 1
    linear, quadratic = result.weighted
    assert linear.measure == "weighted_kappa" and "linear" in linear.variant
    assert linear.value == pytest.approx(cohens_kappa(table, wt="linear").kappa)
    assert quadratic.value == pytest.approx(cohens_kappa(table, wt="quadratic").kappa)
    assert field_agreement("S", "single_choice", 6, pairs).weighted == ()  # not a scale


def test_matching_is_one_to_one_by_largest_shared_share() -> None:
    a = [SpanRef("a1", "d", 0, 100), SpanRef("a2", "d", 100, 140), SpanRef("a3", "e", 0, 10)]
    b = [SpanRef("b1", "d", 10, 100), SpanRef("b2", "d", 90, 150), SpanRef("b3", "d", 0, 5)]
    assert match_by_overlap(a, b) == [("a1", "b1"), ("a2", "b2")]
    # b3 shares all of its 5 characters with a1, but a1 is taken by its better match;
    # a3 is in another document. A stricter rule drops the weaker pair.
    assert match_by_overlap(a, b, min_overlap=0.9) == [("a1", "b1"), ("a2", "b2")]
    assert match_by_overlap([SpanRef("x", "d", 0, 10)], [SpanRef("y", "d", 6, 20)]) == []


def test_sample_agreement_counts_only_confirmed_values(sample: Project) -> None:
    service = FieldAgreementService(sample)
    report = service.compute("Sample coder A", "Sample coder B")
    rows = {r.field: r for _path, r in report.rows}
    assert rows["Addressee"].compared == 4 and rows["Addressee"].percent.value == 1.0
    assert rows["Instrument"].level == "set" and rows["Strength"].level == "ordinal"
    before = rows["Strength"].compared
    # Turning one of A's strengths into an unconfirmed suggestion removes that pair.
    a = sample.coders.find("Sample coder A")
    strength = next(f for f in sample.fields.fields_for_code(REC) if f.name == "Strength")
    values = sample.fields.values_for_codings(c.id for c in sample.codings.all({a.id}))
    coding_id = next(cid for cid, v in values.items() if strength.id in v)
    value = values[coding_id][strength.id]
    sample.fields.set_value(coding_id, strength.id, value.value, None, suggested=True)
    again = {r.field: r for _p, r in service.compute("Sample coder A", "Sample coder B").rows}
    assert again["Strength"].compared == before - 1
    assert any(d.field.name == "Strength" for d in report.disagreements)


def test_cli_prints_json(sample: Project, capsys) -> None:
    path = sample.path
    sample.close()
    args = ["field-agreement", str(path), "--coders", "Sample coder A", "Sample coder B"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["field"] for f in data["fields"]} == {
        "Addressee", "Instrument", "Instrument type (Hood)", "Strength"
    }  # fmt: skip
    assert main([*args, "--code", "Themes/Prevention"]) == 0
    assert main(args) == 0
    assert "Strength" in capsys.readouterr().out


def test_span_adjudication_copies_field_values_and_undo_is_exact(sample: Project) -> None:
    from annotator.services.adjudication import AdjudicationService, DecisionKind

    service = AdjudicationService(sample)
    a, b = sample.coders.find("Sample coder A"), sample.coders.find("Sample coder B")
    item = next(
        i
        for d in sample.documents.list()
        for i in service.disagreements(d.id, a.id, b.id, [REC])
        if i.codings_a and i.codings_b
    )
    theirs = sample.fields.values_for_codings([item.codings_a[0].id])[item.codings_a[0].id]
    result = service.decide(item, DecisionKind.ACCEPT_A, sample.coders.ensure("Lead"))
    [copy] = [c for c in result.added if c.code_id == REC]
    copied = sample.fields.values_for_codings([copy.id])[copy.id]
    assert {f: v.value for f, v in copied.items()} == {f: v.value for f, v in theirs.items()}
    service.revert(result)
    assert sample.fields.values_for_codings([copy.id]) == {}
    service.reapply(result)
    again = sample.fields.values_for_codings([copy.id])[copy.id]
    assert {f: v.value for f, v in again.items()} == {f: v.value for f, v in theirs.items()}


def test_sample_report_names_its_methods_and_weighted_kappa(sample: Project) -> None:
    import json

    from annotator.services.field_agreement import report_text

    report = FieldAgreementService(sample).compute("Sample coder A", "Sample coder B")
    data = json.loads(report_text(report, "json"))
    assert "Cohen's (1968) weighted kappa" in data["methods"]
    strength = next(f for f in data["fields"] if f["field"] == "Strength")
    row = next(r for _path, r in report.rows if r.field == "Strength")
    assert strength["weighted_kappa_quadratic"] == row.weighted[1].value
    table = report_text(report, "table")
    assert "Ordinal fields:" in table and "References:" in table
