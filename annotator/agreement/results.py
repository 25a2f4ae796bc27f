"""Result types shared by every agreement measure.

Design for degenerate data (one consistent rule for the whole package): the internal
computations raise :class:`UndefinedAgreementError` with a human-readable reason, and every
public function catches it and returns an :class:`AgreementValue` whose ``value`` is
``None`` and whose ``undefined_reason`` says why. Public functions therefore never return
``1.0`` or a bare ``NaN`` for data on which a coefficient has no meaning; they raise
``ValueError`` only for malformed input (a non-square table, a negative count, ...).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "MEASURE_LABELS",
    "AgreementValue",
    "BootstrapCI",
    "UndefinedAgreementError",
]

#: Stable measure ids (used in CSV/JSON and for filtering) and their display names.
MEASURE_LABELS: dict[str, str] = {
    "percent_agreement": "Percent agreement",
    "krippendorff_alpha": "Krippendorff's alpha",
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "fleiss_kappa": "Fleiss' kappa",
    "bennett_s": "Bennett's S (Brennan-Prediger)",
    "gwet_ac1": "Gwet's AC1",
    "weighted_kappa": "Cohen's weighted kappa",
    "free_marginal_kappa": "Randolph's free-marginal kappa",
    "gamma": "Gamma (Mathet et al. 2015)",
    "unitizing_alpha_2004": "Krippendorff's alpha-U (1995/2004)",
    "u_alpha": "u-alpha (Krippendorff et al. 2016)",
    "binary_u_alpha": "|u-alpha (Krippendorff et al. 2016)",
    "cu_alpha": "cu-alpha (Krippendorff et al. 2016)",
    "segment_agreement": "Segment agreement (matched share)",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
}

#: Measures corrected for chance, to which Krippendorff's .667/.800 thresholds apply.
CHANCE_CORRECTED = frozenset(
    {
        "krippendorff_alpha",
        "cohen_kappa",
        "scott_pi",
        "fleiss_kappa",
        "bennett_s",
        "gwet_ac1",
        "weighted_kappa",
        "free_marginal_kappa",
        "gamma",
        "unitizing_alpha_2004",
        "u_alpha",
        "binary_u_alpha",
        "cu_alpha",
    }
)


class UndefinedAgreementError(Exception):
    """Raised inside the package when a coefficient is undefined for the data.

    Public functions turn it into an undefined :class:`AgreementValue`; callers of the
    public API normally never see it.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class BootstrapCI:
    """A bootstrap confidence interval for a coefficient.

    ``p_below_667`` and ``p_below_800`` are the shares of defined bootstrap replicates
    whose coefficient is below Krippendorff's (2004) tentative and reliable thresholds,
    i.e. estimates of the probability of failing to reach them. Replicates on which the
    coefficient is undefined (for example a resample with one value only) are counted in
    ``n_undefined`` and left out of every figure.
    """

    low: float
    high: float
    confidence: float
    n_resamples: int
    n_undefined: int
    p_below_667: float
    p_below_800: float
    resampled: str
    seed: int | None


@dataclass(frozen=True, slots=True)
class AgreementValue:
    """One agreement figure, labelled with everything needed to report it.

    Attributes:
        value: the coefficient, or ``None`` when it is undefined for the data.
        measure: stable measure id, a key of :data:`MEASURE_LABELS`.
        variant: how it was computed (level of measurement, form, unit treatment).
        n_units: how many units entered the computation (pairable units for alpha,
            table total for two-coder tables, subjects for Fleiss' kappa, continuum
            positions for unitizing coefficients, codings for segment agreement).
        undefined_reason: why ``value`` is ``None``; ``None`` when it is defined.
        unit: what one unit is ("unit", "table count", "character", "sentence", ...).
        ci: a bootstrap interval when one was requested.
    """

    value: float | None
    measure: str
    variant: str
    n_units: int
    undefined_reason: str | None = None
    unit: str = "unit"
    ci: BootstrapCI | None = None

    def __post_init__(self) -> None:
        # Exactly one of value / undefined_reason is set, so consumers can rely on it.
        if (self.value is None) == (self.undefined_reason is None):
            raise ValueError("an AgreementValue has either a value or an undefined_reason")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError("agreement values must be finite; use undefined_reason instead")

    @property
    def is_defined(self) -> bool:
        """Whether the coefficient has a value."""
        return self.value is not None

    @property
    def label(self) -> str:
        """Display name of the measure."""
        return MEASURE_LABELS.get(self.measure, self.measure)

    @property
    def chance_corrected(self) -> bool:
        """Whether Krippendorff's .667/.800 reliability thresholds apply to it."""
        return self.measure in CHANCE_CORRECTED


def defined(
    value: float, measure: str, variant: str, n_units: int, unit: str = "unit"
) -> AgreementValue:
    """Build a defined value; internal shorthand."""
    return AgreementValue(float(value), measure, variant, int(n_units), None, unit)


def undefined(
    reason: str, measure: str, variant: str, n_units: int, unit: str = "unit"
) -> AgreementValue:
    """Build an undefined value; internal shorthand."""
    return AgreementValue(None, measure, variant, int(n_units), reason, unit)
