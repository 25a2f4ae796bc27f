"""Gamma on a long document: seconds for the best alignment and for the whole estimate.

The issue's target: a document of 200,000 characters, 2 coders with 2,000 units each,
gamma with the default 30 samples in under 30 s. The ratio column compares with
pygamma-agreement (the independent implementation) on the same input when it is
installed in another environment (``--pygamma-python PYTHON`` runs the same input
there; it is slow, so use a smaller ``--units``); for scale, a dense Hungarian
assignment (scipy) of the observed units, which is what a naive exact alignment costs.

    python bench/gamma_bench.py [--units 2000] [--length 200000] [--samples 30]
                                [--pygamma-python PYTHON]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from annotator.agreement.gamma import best_alignment, gamma_agreement


def synthetic(
    n_units: int, length: int, seed: int = 7, coders: int = 2
) -> list[tuple[str, float, float, str]]:
    """Coders with ``n_units`` each who mostly agree with A: shifted boundaries, other
    categories, and one passage in ten that A saw and they did not (they code another)."""
    rnd = random.Random(seed)
    step = length / n_units
    units = []
    for k in range(n_units):
        s = k * step + rnd.uniform(0, step / 3)
        e = s + rnd.uniform(step / 4, step * 0.6)
        cat = rnd.choice("abcde")
        for coder in "ABCDEFGHIJ"[:coders]:
            if coder != "A" and rnd.random() < 0.1:
                # B misses this passage and codes one A did not: both keep n_units units.
                s2 = rnd.uniform(0, length - step)
                units.append((coder, s2, s2 + step / 3, rnd.choice("abcde")))
                continue
            ds, de = rnd.gauss(0, step / 20), rnd.gauss(0, step / 20)
            s2, e2 = s + ds, max(s + ds + 1, e + de)
            units.append((coder, s2, e2, cat if rnd.random() < 0.85 else rnd.choice("abcde")))
    return units


def dense_floor(units: list[tuple[str, float, float, str]]) -> float:
    """Seconds for a dense Hungarian assignment of the two coders' units (a baseline)."""
    a = np.array([(s, e) for c, s, e, _ in units if c == "A"])
    b = np.array([(s, e) for c, s, e, _ in units if c == "B"])
    t = time.perf_counter()
    gap = np.abs(a[:, None, 0] - b[None, :, 0]) + np.abs(a[:, None, 1] - b[None, :, 1])
    lens = (a[:, 1] - a[:, 0])[:, None] + (b[:, 1] - b[:, 0])[None, :]
    linear_sum_assignment((gap / lens) ** 2)
    return time.perf_counter() - t


PYGAMMA = """
import json, sys, time
import pygamma_agreement as pa
from pyannote.core import Segment
from pygamma_agreement.sampler import ShuffleContinuumSampler
units = json.load(open(sys.argv[1]))
cont = pa.Continuum()
for coder, s, e, cat in units:
    cont.add(coder, Segment(s, e), cat)
diss = pa.CombinedCategoricalDissimilarity(alpha=1, beta=1, delta_empty=1)
t = time.perf_counter()
res = cont.compute_gamma(diss, n_samples=int(sys.argv[2]), sampler=ShuffleContinuumSampler())
print(json.dumps({"seconds": time.perf_counter() - t, "gamma": float(res.gamma),
                  "observed": float(res.observed_disorder)}))
"""


def run_pygamma(python: str, units: list, samples: int) -> dict[str, float]:
    """Gamma by pygamma-agreement in another interpreter, on the same units."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "units.json"
        data.write_text(json.dumps(units))
        out = subprocess.run(
            [python, "-c", PYGAMMA, str(data), str(samples)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--length", type=int, default=200_000)
    ap.add_argument("--samples", type=int, default=30)
    ap.add_argument("--coders", type=int, default=2, help="2 to 10 coders")
    ap.add_argument("--pygamma-python", help="an interpreter with pygamma-agreement installed")
    args = ap.parse_args()
    units = synthetic(args.units, args.length, coders=args.coders)
    t0 = time.perf_counter()
    best = best_alignment(units)
    t1 = time.perf_counter()
    res = gamma_agreement(units, n_samples=args.samples, bounds=(0, args.length))
    t2 = time.perf_counter()
    floor = dense_floor(units) if args.coders == 2 else float("nan")
    print(f"| input | {len(units)} units, {args.coders} coders, {args.length:,} characters |")
    print("| --- | --- |")
    print(f"| best alignment (observed disorder {best.disorder:.4f}) | {t1 - t0:.2f} s |")
    if args.coders == 2:
        print(f"| for scale: dense Hungarian assignment of the same units | {floor:.2f} s |")
    print(
        f"| gamma, {args.samples} samples: {res.value:.4f} "
        f"(CI {res.ci.low:.4f}-{res.ci.high:.4f}) | {t2 - t1:.2f} s |"
        if res.ci and res.value is not None
        else f"| gamma | undefined: {res.undefined_reason} |"
    )
    print(f"| seconds per sampled alignment | {(t2 - t1) / (args.samples + 1):.3f} s |")
    if args.pygamma_python:
        ref = run_pygamma(args.pygamma_python, units, args.samples)
        print(
            f"| pygamma-agreement, same input: {ref['gamma']:.4f} "
            f"(observed disorder {ref['observed']:.4f}) | {ref['seconds']:.2f} s "
            f"(ours {ref['seconds'] / (t2 - t1):.0f}x faster) |"
        )


if __name__ == "__main__":
    main()
