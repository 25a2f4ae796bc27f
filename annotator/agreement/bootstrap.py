"""Bootstrap confidence intervals for Krippendorff's alpha.

This is a documented *unit-resampling* (or document-resampling) bootstrap, not
Krippendorff's own algorithm (Hayes & Krippendorff 2007, which resamples pairable values
from the coincidence matrix): units (or, for character units, whole documents, because
neighbouring characters are not independent draws) are drawn with replacement, alpha is
recomputed on each resample, and the percentile interval and the shares of resamples
below .667 and .800 are reported. Everything is driven by one
``numpy.random.Generator`` seeded with ``seed``, so a seed reproduces the figures exactly.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from annotator.agreement import core
from annotator.agreement.coefficients import Matrix, krippendorff_alpha
from annotator.agreement.results import AgreementValue, BootstrapCI, UndefinedAgreementError

__all__ = ["bootstrap_alpha"]


def summarise(
    replicates: NDArray[np.float64],
    confidence: float,
    resampled: str,
    seed: int | None,
) -> BootstrapCI:
    """Percentile interval and failure probabilities; NaN replicates count as undefined."""
    ok = replicates[np.isfinite(replicates)]
    if ok.size == 0:
        raise UndefinedAgreementError("alpha was undefined on every bootstrap resample")
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(ok, [tail, 1.0 - tail])
    return BootstrapCI(
        low=float(low),
        high=float(high),
        confidence=confidence,
        n_resamples=int(replicates.size),
        n_undefined=int(replicates.size - ok.size),
        p_below_667=float((ok < 0.667).mean()),
        p_below_800=float((ok < 0.800).mean()),
        resampled=resampled,
        seed=seed,
    )


def _check(n_resamples: int, confidence: float) -> None:
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")


def bootstrap_alpha(
    matrix: Matrix,
    level: str = "nominal",
    n_resamples: int = 1000,
    seed: int | None = None,
    confidence: float = 0.95,
) -> AgreementValue:
    """Krippendorff's alpha with a unit-resampling bootstrap interval in ``ci``.

    Units (columns) are drawn with replacement ``n_resamples`` times. ``ci`` holds the
    percentile interval at ``confidence`` and the estimated probabilities that alpha is
    below .667 and .800. If alpha itself is undefined, no interval is computed.
    """
    _check(n_resamples, confidence)
    point = krippendorff_alpha(matrix, level)
    if not point.is_defined:
        return point
    profile = core.profile_from_matrix(matrix)
    rng = np.random.default_rng(seed)
    n_units = profile.weights.size
    draws = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_resamples)
    replicates = np.full(n_resamples, np.nan)
    for r in range(n_resamples):
        sample = core.CountProfile(profile.counts, draws[r].astype(np.float64), profile.values)
        # An undefined replicate stays NaN and is counted as undefined in the summary.
        with contextlib.suppress(UndefinedAgreementError):
            replicates[r] = core.alpha(sample, level)
    try:
        ci = summarise(replicates, confidence, "units", seed)
    except UndefinedAgreementError:
        return point
    return replace(point, ci=ci)


def bootstrap_binary(
    histograms: NDArray[np.float64],
    n_resamples: int,
    rng: np.random.Generator,
    confidence: float,
    resampled: str,
    seed: int | None,
) -> BootstrapCI:
    """Bootstrap nominal alpha of a binary code with complete data.

    ``histograms`` is ``(clusters, m + 1)``. With ``resampled="documents"`` the clusters
    (documents) are drawn with replacement; with ``"units"`` the rows are summed and the
    units themselves are redrawn (a multinomial over the m + 1 unit patterns).
    """
    _check(n_resamples, confidence)
    if resampled == "documents":
        k = histograms.shape[0]
        if k < 2:
            raise UndefinedAgreementError("a document bootstrap needs at least two documents")
        draws = rng.multinomial(k, np.full(k, 1.0 / k), size=n_resamples)
        samples = draws @ histograms
    elif resampled == "units":
        pooled = histograms.sum(axis=0)
        total = round(float(pooled.sum()))
        if total < 2:
            raise UndefinedAgreementError("too few units to bootstrap")
        samples = rng.multinomial(total, pooled / pooled.sum(), size=n_resamples).astype(float)
    else:
        raise ValueError("resampled must be 'documents' or 'units'")
    return summarise(core.binary_alpha_batch(samples), confidence, resampled, seed)
