"""Gamma rows for the agreement report: pooled over codes, per code and per document.

A project's documents are laid end to end as one continuum (each document keeps its own
stretch, so no passage can be aligned across documents by accident of position: a unit
and one in another document are as far apart as their distance along the line) for the
pooled and per-code rows; each document is its own continuum for the per-document rows.
Categories are the codes: the pooled and per-document rows measure unitizing and
categorizing together, the per-code rows unitizing alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.agreement.gamma import GammaResult, GammaUnit, gamma_agreement
from annotator.agreement.results import AgreementValue, undefined
from annotator.agreement.spans import CodedSpan

__all__ = ["GAMMA_SCOPE", "GammaSettings", "gamma_rows"]

GAMMA_SCOPE = "gamma"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class GammaSettings:
    """How gamma was computed (reported with it)."""

    n_samples: int = 30
    seed: int = 0
    alpha: float = 1.0
    beta: float = 1.0
    delta_empty: float = 1.0


@dataclass(frozen=True, slots=True)
class GammaRowData:
    """One gamma figure and where it came from; ``code``/``document`` None = all."""

    code: str | None
    document: str | None
    coded_by: Mapping[str, int]
    result: GammaResult | None
    value: AgreementValue


def _run(
    units: list[GammaUnit],
    coders: Sequence[str],
    bounds: tuple[float, float],
    settings: GammaSettings,
    cancelled: Cancelled | None,
) -> tuple[GammaResult | None, AgreementValue]:
    present = {u.coder for u in units}
    variant = f"{settings.n_samples} samples, seed {settings.seed}"
    if len(present) < 2:
        reason = (
            "no coder coded here"
            if not present
            else f"only {next(iter(present))} coded here, so there is nothing to align"
        )
        return None, undefined(reason, "gamma", variant, len(units), "unit")
    result = gamma_agreement(
        units,
        coders=coders,
        alpha=settings.alpha,
        beta=settings.beta,
        delta_empty=settings.delta_empty,
        bounds=bounds,
        n_samples=settings.n_samples,
        seed=settings.seed,
        cancelled=cancelled,
    )
    return result, result.as_value()


def gamma_rows(
    spans: Iterable[CodedSpan],
    doc_lengths: Mapping[str, int],
    coders: Sequence[str],
    codes: Sequence[str],
    documents: Sequence[str],
    settings: GammaSettings | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[GammaRowData]:
    """Gamma pooled over every code, per code, and per document (codes as categories).

    Raises :class:`annotator.agreement.gamma.GammaCancelledError` when ``cancelled``
    returns True.
    """
    settings = settings or GammaSettings()
    wanted_coders, wanted_codes = set(coders), set(codes)
    offsets: dict[str, int] = {}
    pos = 0
    for d in documents:
        offsets[d] = pos
        pos += int(doc_lengths[d])
    kept = [
        s
        for s in spans
        if s.coder in wanted_coders and s.code in wanted_codes and s.document in offsets
    ]

    def units(chosen: Iterable[CodedSpan], shift: bool) -> list[GammaUnit]:
        return [
            GammaUnit(
                s.coder,
                s.start + (offsets[s.document] if shift else 0),
                s.end + (offsets[s.document] if shift else 0),
                s.code,
            )
            for s in chosen
        ]

    def counts(chosen: list[CodedSpan]) -> dict[str, int]:
        return {c: sum(1 for s in chosen if s.coder == c) for c in coders}

    jobs: list[tuple[str | None, str | None, list[CodedSpan]]] = [(None, None, kept)]
    jobs += [(c, None, [s for s in kept if s.code == c]) for c in codes]
    jobs += [(None, d, [s for s in kept if s.document == d]) for d in documents]
    out: list[GammaRowData] = []
    for k, (code, doc, chosen) in enumerate(jobs):
        if doc is None:
            bounds = (0.0, float(max(pos, 1)))
            result, value = _run(units(chosen, True), coders, bounds, settings, cancelled)
        else:
            bounds = (0.0, float(max(doc_lengths[doc], 1)))
            result, value = _run(units(chosen, False), coders, bounds, settings, cancelled)
        out.append(GammaRowData(code, doc, counts(chosen), result, value))
        if progress is not None:
            progress(k + 1, len(jobs))
    return out
