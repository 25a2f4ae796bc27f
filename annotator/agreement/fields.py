"""Agreement on what a recommendation says: field values of codings two coders share.

Two coders' codings of one code are first **matched by overlap** (the rule, documented in
docs/recommendations.md): in each document, every pair of codings (one per coder) whose
spans share at least ``min_overlap`` of the *shorter* span's characters is a candidate;
candidates are taken greedily, largest share first (then larger overlap, then earlier
start), each coding in at most one pair. Unmatched codings are not compared: whether both
coders coded a recommendation at all is what the span agreement measures.

For each field, the matched pairs where **both** coders gave a confirmed value are the
units. The level follows the field's kind:

- single choice, yes/no, date: nominal Krippendorff's alpha and percent agreement;
- ordinal scale: ordinal alpha on the choices' ranks (the field's order is the scale),
  and Cohen's weighted kappa (linear and quadratic weights) on the two coders' table;
- number: interval alpha;
- multiple choice: alpha with the MASI distance (Passonneau 2006) between the two sets,
  plus the mean Jaccard similarity and the share of identical sets;
- short text: exact agreement only (no chance correction).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from annotator.agreement.coefficients import krippendorff_alpha, percent_agreement
from annotator.agreement.results import AgreementValue, defined, undefined
from annotator.agreement.weighted import weighted_kappa

DEFAULT_MIN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class SpanRef:
    """A coding as matching needs it."""

    id: Hashable
    document: Hashable
    start: int
    end: int


def match_by_overlap(
    a: Sequence[SpanRef], b: Sequence[SpanRef], min_overlap: float = DEFAULT_MIN_OVERLAP
) -> list[tuple[Hashable, Hashable]]:
    """Pairs ``(a.id, b.id)`` of codings matched one-to-one by overlap (see module doc)."""
    if not 0 < min_overlap <= 1:
        raise ValueError("min_overlap must be in (0, 1]")
    candidates = []
    by_doc: dict[Hashable, list[SpanRef]] = {}
    for s in b:
        by_doc.setdefault(s.document, []).append(s)
    for x in a:
        for y in by_doc.get(x.document, []):
            common = min(x.end, y.end) - max(x.start, y.start)
            shorter = min(x.end - x.start, y.end - y.start)
            if common <= 0 or shorter <= 0:
                continue
            share = common / shorter
            if share >= min_overlap:
                candidates.append((-share, -common, min(x.start, y.start), x.id, y.id))
    candidates.sort(key=lambda c: (c[0], c[1], c[2], str(c[3]), str(c[4])))
    used_a: set[Hashable] = set()
    used_b: set[Hashable] = set()
    pairs = []
    for _share, _common, _start, xa, yb in candidates:
        if xa in used_a or yb in used_b:
            continue
        used_a.add(xa)
        used_b.add(yb)
        pairs.append((xa, yb))
    return pairs


def jaccard(x: frozenset, y: frozenset) -> float:
    """|x ∩ y| / |x ∪ y| (1 for two empty sets)."""
    union = x | y
    return 1.0 if not union else len(x & y) / len(union)


def masi(x: frozenset, y: frozenset) -> float:
    """MASI similarity (Passonneau 2006): Jaccard times monotonicity (1, 2/3, 1/3, 0)."""
    if x == y:
        return 1.0
    if x <= y or y <= x:
        m = 2 / 3
    elif x & y:
        m = 1 / 3
    else:
        m = 0.0
    return jaccard(x, y) * m


def set_alpha(
    pairs: Sequence[tuple[frozenset, frozenset]],
    similarity: Callable[[frozenset, frozenset], float] | None = None,
) -> AgreementValue:
    """Krippendorff's alpha for two coders with the distance ``1 - similarity`` (MASI).

    ``alpha = 1 - D_o / D_e``: ``D_o`` the mean distance within units, ``D_e`` the mean
    distance between all pairs of the 2n values regardless of unit (Krippendorff 2011).
    """
    n = len(pairs)
    sim = similarity or masi
    variant = "MASI distance" if similarity is None else f"{sim.__name__} distance"
    if n < 1:
        return undefined("no unit was coded by both coders", "krippendorff_alpha", variant, 0)
    d_o = sum(1 - sim(x, y) for x, y in pairs) / n
    values = [v for pair in pairs for v in pair]
    total = sum(1 - sim(p, q) for p, q in itertools.combinations(values, 2))
    d_e = total / (len(values) * (len(values) - 1) / 2)
    if d_e == 0:
        return undefined(
            "every value is the same, so agreement by chance is total",
            "krippendorff_alpha",
            variant,
            n,
        )
    return defined(1 - d_o / d_e, "krippendorff_alpha", variant, n)


@dataclass(frozen=True)
class FieldAgreement:
    """Agreement on one field over matched codings."""

    field: str
    level: str  # nominal, ordinal, interval, set, exact
    matched: int  # matched pairs of codings
    compared: int  # of those, pairs where both coders gave a confirmed value
    alpha: AgreementValue | None
    percent: AgreementValue
    mean_jaccard: float | None = None  # multiple choice only
    mean_masi: float | None = None  # multiple choice only
    # Ordinal scales: Cohen's weighted kappa, linear and quadratic (issue 15), from the
    # two coders' table of scale levels; near misses count as smaller disagreements.
    weighted: tuple[AgreementValue, ...] = ()


def field_agreement(
    field: str,
    kind: str,
    matched: int,
    pairs: Sequence[tuple[object, object]],
    scale: Sequence[str] = (),
) -> FieldAgreement:
    """Agreement of the value pairs of one field (``kind`` as in annotator.domain.fields).

    ``scale`` is the ordered choice ids of an ordinal field.
    """
    n = len(pairs)
    if kind == "multiple_choice":
        sets = [(frozenset(a), frozenset(b)) for a, b in pairs]  # type: ignore[arg-type]
        same = sum(1 for a, b in sets if a == b)
        percent = (
            defined(same / n, "percent_agreement", "identical sets", n)
            if n
            else undefined("no unit was coded by both coders", "percent_agreement", "", 0)
        )
        return FieldAgreement(
            field,
            "set",
            matched,
            n,
            set_alpha(sets),
            percent,
            sum(jaccard(a, b) for a, b in sets) / n if n else None,
            sum(masi(a, b) for a, b in sets) / n if n else None,
        )
    if kind == "ordinal":
        rank = {c: i for i, c in enumerate(scale)}
        row_a = [rank.get(str(a)) for a, _ in pairs]
        row_b = [rank.get(str(b)) for _, b in pairs]
        level = "ordinal"
    elif kind == "number":
        row_a = [a for a, _ in pairs]  # type: ignore[misc]
        row_b = [b for _, b in pairs]  # type: ignore[misc]
        level = "interval"
    else:
        row_a = [str(a) for a, _ in pairs]  # type: ignore[misc]
        row_b = [str(b) for _, b in pairs]  # type: ignore[misc]
        level = "exact" if kind == "short_text" else "nominal"
    matrix = [row_a, row_b]
    weighted: tuple[AgreementValue, ...] = ()
    if n:
        percent = percent_agreement(matrix)
        alpha = None if level == "exact" else krippendorff_alpha(matrix, level=level)
        if level == "ordinal" and len(scale) >= 2:
            table = [[0] * len(scale) for _ in scale]
            for a, b in zip(row_a, row_b, strict=True):
                if a is not None and b is not None:
                    table[a][b] += 1  # type: ignore[index]
            weighted = tuple(weighted_kappa(table, w) for w in ("linear", "quadratic"))
    else:
        percent = undefined("no unit was coded by both coders", "percent_agreement", "", 0)
        alpha = None
    return FieldAgreement(field, level, matched, n, alpha, percent, weighted=weighted)
