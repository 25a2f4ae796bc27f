"""build_report and its renderers."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import krippendorff
import numpy as np
import pytest

import annotator
from annotator.agreement import (
    AgreementReport,
    CodedSpan,
    build_report,
    methods_paragraph,
    report_to_csv,
    report_to_html,
    report_to_json,
)
from annotator.agreement.report import AgreementCancelledError

CODERS = ["ann", "bo", "cy"]
DOCS = {"d1": 300, "d2": 200, "d3": 250}
CODES = ["econ", "<b>&env"]  # the second one checks escaping in HTML


def corpus(seed: int = 3) -> list[CodedSpan]:
    rng = np.random.default_rng(seed)
    spans = []
    for _ in range(40):  # shared passages, coded with jitter and occasional misses
        doc = str(rng.choice(list(DOCS)))
        start = int(rng.integers(0, DOCS[doc] - 40))
        end = start + int(rng.integers(5, 40))
        code = str(rng.choice(CODES))
        for coder in CODERS:
            if rng.random() < 0.8:
                s = max(0, start + int(rng.integers(-3, 4)))
                spans.append(
                    CodedSpan(
                        coder,
                        doc,
                        code,
                        s,
                        min(DOCS[doc], max(s + 1, end + int(rng.integers(-3, 4)))),
                    )
                )
    return spans


def char_matrix(
    spans: list[CodedSpan], coders: list[str], code: str, docs: dict[str, int]
) -> np.ndarray:
    blocks = []
    for doc, n in docs.items():
        block = np.zeros((len(coders), n))
        for s in spans:
            if s.document == doc and s.code == code and s.coder in coders:
                block[coders.index(s.coder), s.start : s.end] = 1
        blocks.append(block)
    return np.concatenate(blocks, axis=1)


@pytest.fixture(scope="module")
def report() -> AgreementReport:
    return build_report(corpus(), DOCS, CODERS, codes=CODES, bootstrap=200, seed=5)


def test_code_rows_match_the_character_matrix(report: AgreementReport) -> None:
    spans = corpus()
    for row in report.code_rows:
        assert row.code is not None
        matrix = char_matrix(spans, CODERS, row.code, DOCS)
        alpha = row.value("krippendorff_alpha")
        assert alpha is not None and alpha.value is not None
        assert alpha.value == pytest.approx(
            krippendorff.alpha(matrix, level_of_measurement="nominal"), abs=1e-9
        )
        assert row.n_units == sum(DOCS.values())
        assert dict(row.coded_by) == {c: int(matrix[i].sum()) for i, c in enumerate(CODERS)}
        assert alpha.unit == "character" and "binary" in alpha.variant


def test_pooled_row_sums_all_codes_and_documents(report: AgreementReport) -> None:
    spans = corpus()
    stacked = np.concatenate([char_matrix(spans, CODERS, c, DOCS) for c in CODES], axis=1)
    alpha = report.pooled.value("krippendorff_alpha")
    assert alpha is not None
    assert alpha.value == pytest.approx(
        krippendorff.alpha(stacked, level_of_measurement="nominal"), abs=1e-9
    )
    assert report.pooled.n_units == stacked.shape[1]
    assert alpha.ci is not None and alpha.ci.resampled == "documents" and alpha.ci.seed == 5


def test_document_and_pair_rows(report: AgreementReport) -> None:
    spans = corpus()
    doc_rows = {(r.document, r.code): r for r in report.document_rows}
    assert set(doc_rows) == {(d, c) for d in DOCS for c in [None, *CODES]}
    row = doc_rows[("d2", "econ")]
    matrix = char_matrix(spans, CODERS, "econ", {"d2": DOCS["d2"]})
    value = row.value("krippendorff_alpha")
    assert value is not None and value.value == pytest.approx(
        krippendorff.alpha(matrix, level_of_measurement="nominal"), abs=1e-9
    )
    pairs = {(r.coders, r.code) for r in report.pair_rows}
    assert (("ann", "cy"), None) in pairs and (("bo", "cy"), "econ") in pairs
    pair = next(r for r in report.pair_rows if r.coders == ("ann", "bo") and r.code == "econ")
    matrix = char_matrix(spans, ["ann", "bo"], "econ", DOCS)
    kappa = pair.value("cohen_kappa")
    alpha = pair.value("krippendorff_alpha")
    assert kappa is not None and kappa.is_defined and alpha is not None
    assert alpha.value == pytest.approx(
        krippendorff.alpha(matrix, level_of_measurement="nominal"), abs=1e-9
    )


def test_two_coder_rows_carry_cohen_and_scott(report: AgreementReport) -> None:
    two = build_report(corpus(), DOCS, ["ann", "bo"], codes=CODES)
    measures = {v.measure for v in two.code_rows[0].values}
    assert {"cohen_kappa", "scott_pi", "krippendorff_alpha", "gwet_ac1", "bennett_s"} <= measures
    assert "fleiss_kappa" in {v.measure for v in report.code_rows[0].values}


def test_unused_code_is_undefined_not_perfect() -> None:
    result = build_report(corpus(), DOCS, CODERS, codes=[*CODES, "never used"])
    row = next(r for r in result.code_rows if r.code == "never used")
    alpha = row.value("krippendorff_alpha")
    assert alpha is not None and alpha.value is None and alpha.undefined_reason


def test_sentence_and_segment_units() -> None:
    units = {d: [(i, min(i + 25, n)) for i in range(0, n, 25)] for d, n in DOCS.items()}
    sent = build_report(corpus(), DOCS, CODERS, codes=CODES, unit="sentence", unit_spans=units)
    assert sent.code_rows[0].n_units == sum(len(u) for u in units.values())
    assert sent.settings.resample == "units"
    seg = build_report(
        corpus(), DOCS, CODERS, codes=CODES, unit="segment", overlap=0.6, bootstrap=10
    )
    assert seg.settings.overlap == 0.6 and seg.settings.bootstrap == 0 and seg.settings.notes
    pair = next(r for r in seg.pair_rows if r.code is None)
    assert {v.measure for v in pair.values} == {"precision", "recall", "f1", "segment_agreement"}
    assert seg.pooled.n_units == sum(1 for s in corpus() if s.code in CODES)
    with pytest.raises(ValueError):
        build_report(corpus(), DOCS, CODERS, unit="sentence")
    with pytest.raises(ValueError):
        build_report(corpus(), DOCS, CODERS, unit="word")


def test_bootstrap_in_reports_is_reproducible() -> None:
    a = build_report(corpus(), DOCS, CODERS, codes=CODES, bootstrap=100, seed=9)
    b = build_report(corpus(), DOCS, CODERS, codes=CODES, bootstrap=100, seed=9)
    ci_a = [r.value("krippendorff_alpha").ci for r in a.code_rows]  # type: ignore[union-attr]
    ci_b = [r.value("krippendorff_alpha").ci for r in b.code_rows]  # type: ignore[union-attr]
    assert ci_a == ci_b and all(ci is not None for ci in ci_a)


def test_spans_outside_a_document_are_rejected() -> None:
    with pytest.raises(ValueError):
        build_report([CodedSpan("ann", "d1", "econ", 290, 301)], DOCS, CODERS)


def test_progress_is_reported_and_cancel_stops_the_build() -> None:
    calls: list[tuple[int, int]] = []
    build_report(corpus(), DOCS, CODERS, codes=CODES, progress=lambda d, t: calls.append((d, t)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    seen = []

    def cancel() -> bool:
        seen.append(1)
        return len(seen) > 3

    with pytest.raises(AgreementCancelledError):
        build_report(corpus(), DOCS, CODERS, codes=CODES, cancelled=cancel)


def test_csv_export(report: AgreementReport) -> None:
    text = report_to_csv(report)
    meta = [line for line in text.splitlines() if line.startswith("#")]
    assert annotator.__version__ in meta[0] and report.created.isoformat() in meta[0]
    assert any(line.startswith("# unit: character") for line in meta)
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))
        )
    )
    assert len(rows) == sum(len(r.values) for r in report.rows)
    alpha = next(r for r in rows if r["scope"] == "pooled" and r["measure"] == "krippendorff_alpha")
    pooled = report.pooled.value("krippendorff_alpha")
    assert pooled is not None and float(alpha["value"]) == pooled.value
    assert alpha["ci_low"] and alpha["unit"] == "character" and alpha["variant"]


def test_json_export(report: AgreementReport) -> None:
    doc = json.loads(report_to_json(report))
    assert doc["app_version"] == annotator.__version__
    assert doc["settings"]["coders"] == CODERS and doc["settings"]["seed"] == 5
    assert doc["methods"] == methods_paragraph(report)
    assert len(doc["rows"]) == len(report.rows)
    value = doc["rows"][0]["values"][0]
    assert {"measure", "variant", "unit", "value", "n_units"} <= value.keys()


def test_html_export_is_self_contained_coloured_and_escaped() -> None:
    fixed = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    result = build_report(corpus(), DOCS, CODERS, codes=CODES, bootstrap=50, seed=1, created=fixed)
    page = report_to_html(result)
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "<script" not in page and "src=" not in page and "http" not in page
    assert "&lt;b&gt;&amp;env" in page and "<b>&env" not in page
    assert "2024-05-01T12:00:00" in page and annotator.__version__ in page
    for cls in ("reliable", "tentative", "low"):
        assert f"class='{cls}'" in page  # the legend
    assert any(f'class="num {c}"' in page for c in ("reliable", "tentative", "low"))


def test_methods_paragraph_describes_the_settings(report: AgreementReport) -> None:
    text = methods_paragraph(report)
    assert "3 coders" in text and "3 documents" in text and "single characters" in text
    assert "bootstrap" in text and "seed 5" in text and ".800" in text


def test_document_bootstrap_with_one_document_says_why_there_is_no_interval() -> None:
    one = {"d1": DOCS["d1"]}
    result = build_report(corpus(), one, CODERS, codes=CODES, bootstrap=50, seed=2)
    assert any("two or more documents" in note for note in result.settings.notes)
    alpha = result.code_rows[0].value("krippendorff_alpha")
    assert alpha is not None and alpha.ci is None
    units = build_report(corpus(), one, CODERS, codes=CODES, bootstrap=50, seed=2, resample="units")
    alpha = units.code_rows[0].value("krippendorff_alpha")
    assert alpha is not None and alpha.ci is not None and alpha.ci.resampled == "units"
