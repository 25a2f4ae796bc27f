"""Coders over time: bins by week, by N codings and by codebook version, and drops flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.agreement import AgreementRequest, AgreementService
from annotator.services.agreement_drift import DriftRequest, DriftService
from annotator.services.starter import starter_code_id

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # ISO week 45
CODE = starter_code_id("Themes/Fiscal devolution")
TEXT = "word " * 200


def _doc(project, title: str):
    # Texts differ at the end (a text's SHA-256 is its identity); codings stay in TEXT.
    return project.documents.add(
        ExtractedDocument(TEXT + title, (), (), DocumentMetadata(title=title), "text")
    )


def _code(project, doc, coder, start, end, when):
    project.codings.add(
        Coding(
            new_id(), doc, CODE, coder.id, start, end, TEXT[start:end],
            created_at=when, modified_at=when,
        )
    )  # fmt: skip


@pytest.fixture
def drifting(project):
    """Weeks 45 and 46 agree exactly; week 48 disagrees; C codes only in week 48."""
    a, b, c = (project.coders.ensure(n) for n in ("A", "B", "C"))
    for k in range(2):
        doc = _doc(project, f"early {k}")
        for coder in (a, b):
            _code(project, doc, coder, 0, 50, MONDAY + timedelta(days=7 * k))
            _code(project, doc, coder, 100, 150, MONDAY + timedelta(days=7 * k, hours=1))
    late = _doc(project, "late")
    when = MONDAY + timedelta(days=21)
    _code(project, late, a, 0, 50, when)
    _code(project, late, b, 30, 120, when)
    _code(project, late, c, 0, 45, when)
    _doc(project, "nobody coded this")
    return project


def test_weekly_bins_follow_agreement_and_flag_the_drop(drifting):
    result = DriftService(drifting).compute(DriftRequest(coders=("A", "B", "C"), by="week"))
    everyone = result.series[0]
    assert everyone.name == "All coders"
    assert [p.label for p in everyone.points] == ["2026-W45", "2026-W46", "2026-W48"]
    values = [p.value.value for p in everyone.points]
    assert values[0] == pytest.approx(1.0) and values[1] == pytest.approx(1.0)
    assert values[2] < 0.8
    # The week-48 bin equals the main report restricted to that document and coders.
    report = (
        AgreementService(drifting)
        .compute(AgreementRequest(coders=("A", "B", "C"), documents=("late",)))
        .report
    )
    assert values[2] == pytest.approx(report.pooled.value("krippendorff_alpha").value)
    assert any(w.series == "All coders" and w.after == "2026-W48" for w in result.warnings)
    c_series = next(s for s in result.series if s.coder == "C")
    assert [p.label for p in c_series.points] == ["2026-W48"]  # only where C coded
    assert all("nobody" not in d for s in result.series for p in s.points for d in p.documents)


def test_bins_of_n_codings_and_codebook_versions(drifting):
    by_n = DriftService(drifting).compute(DriftRequest(coders=("A", "B"), by="codings", every=4))
    points = by_n.series[0].points
    assert [p.n_codings for p in points] == [4, 4, 2]
    assert points[0].label == "codings 1-4"
    drifting.codebook.versions.freeze("v1", None)
    doc = _doc(drifting, "after v1")
    a, b = (drifting.coders.ensure(n) for n in ("A", "B"))
    _code(drifting, doc, a, 0, 50, MONDAY + timedelta(days=30))
    _code(drifting, doc, b, 0, 50, MONDAY + timedelta(days=30))
    by_version = DriftService(drifting).compute(DriftRequest(coders=("A", "B"), by="version"))
    assert [p.label for p in by_version.series[0].points] == ["unversioned", "v1"]
    assert by_version.series[0].points[1].value.value == pytest.approx(1.0)


def test_threshold_and_bad_requests(drifting):
    lax = DriftService(drifting).compute(DriftRequest(coders=("A", "B"), threshold=2.0))
    assert lax.warnings == ()
    with pytest.raises(ValidationError, match="Bin by"):
        DriftService(drifting).compute(DriftRequest(coders=("A", "B"), by="month"))
    with pytest.raises(ValidationError, match="two different coders"):
        DriftService(drifting).compute(DriftRequest(coders=("A",)))
