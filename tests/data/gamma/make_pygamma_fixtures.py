"""Write pygamma_fixtures.json: gamma values computed independently by pygamma-agreement.

Run once, by hand, in a separate environment (pygamma-agreement 0.5.9 pulls in cvxpy and
about 800 MB; it is not a dependency of annotator or of its tests):

    python -m venv /tmp/pygamma && /tmp/pygamma/bin/pip install pygamma-agreement==0.5.9
    /tmp/pygamma/bin/python tests/data/gamma/make_pygamma_fixtures.py

Each fixture holds a continuum (units as [coder, start, end, category]), the
dissimilarity parameters, pygamma's best-alignment (observed) disorder, which is exact and
deterministic, and pygamma's expected disorder and gamma with its shuffle sampler (the
sampler of Mathet et al. 2015, section 5.2) over many samples, which our sampler must
reproduce within sampling error.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import pygamma_agreement as pa
from pyannote.core import Segment
from pygamma_agreement.sampler import ShuffleContinuumSampler

OUT = Path(__file__).with_name("pygamma_fixtures.json")
SAMPLES = 300


def continuum(n_coders: int, n_units: int, cats: list[str], jitter: float, seed: int):
    rnd = random.Random(seed)
    base = []
    pos = 0.0
    for _ in range(n_units):
        pos += rnd.randint(2, 20)
        length = rnd.randint(3, 30)
        base.append((pos, pos + length, rnd.choice(cats)))
        pos += length
    units = []
    for c in range(n_coders):
        for s, e, cat in base:
            if rnd.random() < 0.15:
                continue  # a missed unit
            ds = round(rnd.uniform(-jitter, jitter))
            de = round(rnd.uniform(-jitter, jitter))
            s2, e2 = s + ds, e + de
            if e2 <= s2:
                e2 = s2 + 1
            cat2 = cat if rnd.random() < 0.8 else rnd.choice(cats)
            units.append([f"coder{c + 1}", float(s2), float(e2), cat2])
        if rnd.random() < 0.5:
            s = rnd.uniform(0, pos)
            units.append([f"coder{c + 1}", float(round(s)), float(round(s) + 5), rnd.choice(cats)])
    return units


CASES = [
    ("two_coders_small", 2, 8, ["a", "b"], 2.0, 1.0, 1.0, 11),
    ("two_coders_three_categories", 2, 25, ["a", "b", "c"], 4.0, 1.0, 1.0, 12),
    ("two_coders_weighted_alpha3_beta2", 2, 20, ["a", "b"], 3.0, 3.0, 2.0, 13),
    ("two_coders_loose", 2, 40, ["x", "y", "z"], 8.0, 1.0, 1.0, 14),
    ("three_coders", 3, 10, ["a", "b"], 2.0, 1.0, 1.0, 15),
    ("three_coders_positional_only", 3, 8, ["a"], 3.0, 1.0, 0.0, 16),
]


def main() -> None:
    np.random.seed(2026)
    out = {
        "about": "computed by tests/data/gamma/make_pygamma_fixtures.py with pygamma-agreement "
        f"{pa.__version__ if hasattr(pa, '__version__') else '0.5.9'} (MIT), Python "
        f"{sys.version.split()[0]}; ShuffleContinuumSampler, {SAMPLES} samples, numpy seed 2026",
        "fixtures": [],
    }
    for name, n, k, cats, jitter, alpha, beta, seed in CASES:
        units = continuum(n, k, cats, jitter, seed)
        cont = pa.Continuum()
        for coder, s, e, cat in units:
            cont.add(coder, Segment(s, e), cat)
        diss = pa.CombinedCategoricalDissimilarity(alpha=alpha, beta=beta, delta_empty=1.0)
        t0 = time.perf_counter()
        best = cont.get_best_alignment(diss)
        t1 = time.perf_counter()
        res = cont.compute_gamma(diss, n_samples=SAMPLES, sampler=ShuffleContinuumSampler())
        t2 = time.perf_counter()
        out["fixtures"].append(
            {
                "name": name,
                "params": {"alpha": alpha, "beta": beta, "delta_empty": 1.0},
                "units": units,
                "observed_disorder": float(best.disorder),
                "expected_disorder": float(res.expected_disorder),
                "gamma": float(res.gamma),
                "n_samples": SAMPLES,
                "seconds_best_alignment": round(t1 - t0, 3),
                "seconds_gamma": round(t2 - t1, 3),
            }
        )
        print(name, len(units), best.disorder, res.expected_disorder, res.gamma, round(t2 - t1, 1))
    OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
