"""Benchmark the agreement report on a study-sized corpus.

3 coders, 100 documents (1.5 million characters), 30,000 codings over 20 codes. Times the
full report (every row, every measure, no bootstrap) for each unit, and the krippendorff
package computing nominal alpha on the equivalent character matrix of one code, and checks
that the two alphas agree to 1e-9. Run: ``python3 bench/agreement_bench.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.agreement import CodedSpan, build_report

CODERS = ("coder_a", "coder_b", "coder_c")
N_DOCS, DOC_LEN, N_CODES, N_CODINGS = 100, 15_000, 20, 30_000


def make_corpus(seed: int = 2024) -> tuple[list[CodedSpan], dict[str, int]]:
    """Reference passages that each coder codes with jittered boundaries and some errors."""
    rng = np.random.default_rng(seed)
    doc_lengths = {f"doc{d:03d}": DOC_LEN for d in range(N_DOCS)}
    codes = [f"code{c:02d}" for c in range(N_CODES)]
    popularity = 1.0 / np.arange(1, N_CODES + 1)  # a few codes are used much more often
    popularity /= popularity.sum()
    spans: list[CodedSpan] = []
    per_coder = N_CODINGS // len(CODERS)
    n_passages = int(per_coder / 0.9) + 1
    docs = rng.choice(list(doc_lengths), size=n_passages)
    starts = rng.integers(0, DOC_LEN - 400, size=n_passages)
    lengths = rng.integers(20, 400, size=n_passages)
    truth = rng.choice(codes, size=n_passages, p=popularity)
    for coder in CODERS:
        made = 0
        for i in rng.permutation(n_passages):
            if made == per_coder:
                break
            if rng.random() > 0.9:
                continue  # this coder missed the passage
            code = truth[i] if rng.random() > 0.05 else rng.choice(codes)
            s = max(0, int(starts[i] + rng.integers(-10, 11)))
            e = min(DOC_LEN, max(s + 1, int(starts[i] + lengths[i] + rng.integers(-10, 11))))
            spans.append(CodedSpan(coder, str(docs[i]), str(code), s, e))
            made += 1
    return spans, doc_lengths


def sentences(doc_lengths: dict[str, int]) -> dict[str, list[tuple[int, int]]]:
    """Fixed 150-character 'sentences' stand in for a real splitter."""
    return {d: [(i, min(i + 150, n)) for i in range(0, n, 150)] for d, n in doc_lengths.items()}


def char_matrix(spans: list[CodedSpan], doc_lengths: dict[str, int], code: str) -> np.ndarray:
    """The equivalent coders x characters 0/1 matrix of one code (for the reference run)."""
    offsets, total = {}, 0
    for d, n in doc_lengths.items():
        offsets[d] = total
        total += n
    mat = np.zeros((len(CODERS), total))
    for s in spans:
        if s.code == code:
            base = offsets[s.document]
            mat[CODERS.index(s.coder), base + s.start : base + s.end] = 1.0
    return mat


def timed(func, repeat: int = 3):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    import krippendorff  # test/bench-only dependency

    spans, doc_lengths = make_corpus()
    total_chars = sum(doc_lengths.values())
    print(
        f"{len(CODERS)} coders, {len(doc_lengths)} documents, {total_chars:,} characters, "
        f"{len(spans):,} codings, {len({s.code for s in spans})} codes\n"
    )

    t_char, report = timed(lambda: build_report(spans, doc_lengths, CODERS, unit="character"))
    units = sentences(doc_lengths)
    t_sent, _ = timed(
        lambda: build_report(spans, doc_lengths, CODERS, unit="sentence", unit_spans=units)
    )
    t_seg, _ = timed(lambda: build_report(spans, doc_lengths, CODERS, unit="segment"))
    t_boot, _ = timed(
        lambda: build_report(spans, doc_lengths, CODERS, unit="character", bootstrap=1000, seed=1),
        repeat=1,
    )

    code = report.code_rows[0].code
    assert code is not None
    ours = report.code_rows[0].value("krippendorff_alpha")
    assert ours is not None and ours.value is not None
    matrix = char_matrix(spans, doc_lengths, code)
    t_kripp, theirs = timed(
        lambda: krippendorff.alpha(matrix, level_of_measurement="nominal", value_domain=[0.0, 1.0]),
        repeat=1,
    )
    diff = abs(ours.value - theirs)
    n_rows = len(report.rows)

    print("| task | seconds | rows |")
    print("| --- | ---: | ---: |")
    print(f"| full report, character unit, all measures, no bootstrap | {t_char:.3f} | {n_rows} |")
    print(f"| full report, sentence unit (150-char units) | {t_sent:.3f} | {n_rows} |")
    print(f"| full report, segment unit (overlap 0.5) | {t_seg:.3f} | {n_rows} |")
    print(f"| same, plus 1,000 document-bootstrap resamples (info) | {t_boot:.3f} | {n_rows} |")
    task = f"krippendorff package, nominal alpha, one code, {total_chars:,} chars"
    print(f"| {task} | {t_kripp:.3f} | 1 |")
    print(
        f"\nkrippendorff.alpha for one code / our full {len(report.code_rows)}-code report: "
        f"{t_kripp / t_char:.1f}x"
    )
    print(f"alpha({code}): ours {ours.value:.12f}, krippendorff {theirs:.12f}, |diff| {diff:.1e}")
    if diff > 1e-9:
        raise SystemExit("MISMATCH: character-unit alpha differs from the krippendorff package")
    if t_char >= 2.0:
        print("WARNING: the character report missed the 2 s target")


if __name__ == "__main__":
    main()
