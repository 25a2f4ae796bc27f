"""Every entry of tests/data/agreement_reference.json through the public API.

Each entry's published value must be reproduced within its tolerance. An entry whose
provenance is "computed only" is a regression anchor and is checked the same way. An entry
the dispatcher does not understand fails, so new reference data cannot be skipped silently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.agreement import (
    AgreementValue,
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    free_marginal_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    unitizing_alpha,
)

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "agreement_reference.json"
ENTRIES: list[dict[str, Any]] = json.loads(REFERENCE.read_text(encoding="utf-8"))["entries"]


def _compute(entry: dict[str, Any]) -> AgreementValue:
    data, measure = entry["data"], entry["measure"].lower()
    fmt = data["format"]
    if fmt == "reliability_matrix":
        if "alpha" in measure and "distance" in data:
            return krippendorff_alpha(
                data["matrix"], distance=data["distance"], categories=data["categories"]
            )
        if "alpha" in measure:
            level = entry["level"].split()[0]  # "nominal (binary)" -> "nominal"
            return krippendorff_alpha(data["matrix"], level=level)
        if "percent" in measure:
            return percent_agreement(data["matrix"])
    if fmt == "contingency_table":
        table = data["table"]
        if measure.startswith("cohen"):
            return cohen_kappa(table)
        if measure.startswith("scott"):
            return scott_pi(table)
        if measure.startswith(("bennett", "brennan")):
            return bennett_s(table)
        if "ac1" in measure:
            return gwet_ac1(table)
    if fmt == "subject_by_rater_labels" and "free-marginal" in measure:
        return free_marginal_kappa(data["matrix"])
    if fmt == "subject_by_rater_labels" and "fleiss" in measure:
        return fleiss_kappa(data["matrix"])
    if fmt == "unitizing" and "1995/2004" in measure:
        result = unitizing_alpha(data["units"], data["continuum"], form="2004")
        which = entry["name"].rsplit("_", 1)[-1]
        return result.overall if which == "overall" else result.by_category[which]
    pytest.fail(f"no dispatcher for reference entry {entry['name']!r} ({entry['measure']})")


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_reference_value(entry: dict[str, Any]) -> None:
    result = _compute(entry)
    assert result.is_defined, result.undefined_reason
    assert result.value == pytest.approx(entry["expected_value"], abs=entry["tolerance"])


def test_reference_file_is_not_empty() -> None:
    # Guards the parametrisation above: an unreadable file must not pass as "0 tests".
    assert len(ENTRIES) >= 15
    assert all(
        {"name", "data", "measure", "expected_value", "tolerance"} <= e.keys() for e in ENTRIES
    )


def test_ordinal_alpha_is_krippendorffs_not_gwets_rank_weights() -> None:
    # The reference notes warn that irrCAC's "ordinal" weights give 0.83364 on these data;
    # Krippendorff's frequency-based ordinal metric must not produce that number.
    entry = next(e for e in ENTRIES if e["name"] == "krippendorff2011_C_ordinal")
    value = krippendorff_alpha(entry["data"]["matrix"], level="ordinal").value
    assert value is not None
    assert abs(value - 0.83364) > 0.01
