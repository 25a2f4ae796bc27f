"""Benchmark response matching: recall on the real pairs, and speed at scale.

1. The two real report/response pairs in ``../shared/real-docs`` (skipped when absent):
   imported with the project's importer, recommendations coded from the alignment
   spreadsheets, matched; prints recall at 1 and 5 and status agreement per pair.
2. 300 recommendations against a synthetic 100-page response (300 sections of a quoted
   recommendation and three answer paragraphs, about 3,000 characters a page), matched
   through the service (reading codings and texts from the project included).

Run: ``python3 bench/response_matching_bench.py``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.model import Code, Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.services.response_matching import match_document

N_RECS, PAGE_CHARS, PAGES = 300, 3_000, 100


def real_pairs(folder: Path) -> None:
    from tests.recommendations.real_pairs import PAIRS, REAL, evaluate

    if not REAL.is_dir():
        print("real pairs: ../shared/real-docs is absent, skipped")
        return
    print(f"{'pair':18} {'recs':>5} {'recall@1':>9} {'recall@5':>9} {'status':>7} {'match s':>8}")
    for name in PAIRS:
        project = Project.create(folder / f"{name}.annotator", starter=False)
        try:
            r = evaluate(project, name)
        finally:
            project.close()
        print(
            f"{name:18} {len(r.rank):5} {r.recall(1):9.2f} {r.recall(5):9.2f} "
            f"{r.status_accuracy:7.2f} {r.seconds:8.3f}"
        )


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def synthetic(folder: Path) -> None:
    rng = random.Random(7)
    words = [f"w{i}" for i in range(4000)] + ["government", "council", "funding", "should"]
    recs = [" ".join(_sentence(rng, words, 18) for _ in range(2)) for _ in range(N_RECS)]
    report = "\n\n".join(f"Recommendation {i + 1}: {t}" for i, t in enumerate(recs))
    sections = []
    for i, t in enumerate(recs):
        answer = "\n\n".join(
            " ".join(_sentence(rng, words, 20) for _ in range(3)) for _ in range(2)
        )
        sections.append(f"Recommendation {i + 1}\n\n{t}\n\nThe government agrees. {answer}")
    rng.shuffle(sections)
    response = "\n\n".join(sections)
    project = Project.create(folder / "synthetic.annotator", starter=False)
    try:
        ids = [
            project.documents.add(
                ExtractedDocument(
                    text, paragraph_blocks(text), (), DocumentMetadata(title=t), "text"
                )
            )
            for t, text in (("Report", report), ("Response", response))
        ]
        code = project.codebook.add(Code(new_id(), "Rec", "#1f77b4", kind="recommendation"))
        coder = project.coders.ensure("bench")
        for t in recs:
            start = report.index(t)
            project.codings.add(
                Coding(new_id(), ids[0], code.id, coder.id, start, start + len(t), t)
            )
        times = []
        for _ in range(3):
            started = time.perf_counter()
            matches = match_document(project, ids[0], ids[1], top=5)
            times.append(time.perf_counter() - started)
        hits = sum(
            1
            for m in matches
            if response[m.candidates[0].start : m.candidates[0].end].startswith("The government")
            and m.candidates[0].text.count("Recommendation") == 0
        )
    finally:
        project.close()
    pages = len(response) / PAGE_CHARS
    print(
        f"synthetic: {N_RECS} recommendations x {pages:.0f}-page response: "
        f"best of 3 {min(times):.3f} s (target < 2 s); {hits}/{N_RECS} best candidates are answers"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        real_pairs(Path(tmp))
        synthetic(Path(tmp))


if __name__ == "__main__":
    main()
