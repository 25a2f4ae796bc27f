"""Benchmark retrieval and full-text search on a synthetic project.

Full size (``--scale 1``): 200 documents, 50 million characters, 300 codes, 100,000
codings. The default ``--scale 0.1`` (20 documents, 5 million characters, 10,000 codings,
300 codes) runs in about a minute on a busy machine. Each timing is printed beside a
baseline measured in the same run on the same file:

- retrieval: ``RetrievalService.run`` of a query returning about 10,000 passages (at full
  scale); its first page (``run(stop_after=50)`` plus the text and context of those 50
  passages, what the Retrieval window shows before the rest is counted); and the text of
  every passage (an export); each against a bare sqlite3 SELECT of the same codings;
- search, first results: the first 100 hits of a phrase, against a plain Python scan
  (read every text with sqlite3, ``re.finditer`` over it);
- 10,000 KWIC lines: a common word's first 10,000 hits with context, against the same
  plain scan to its 10,000th hit.

Times are wall-clock (best of three) with the process CPU time beside them: on a shared
machine the wall time includes waiting for a core. Run:
``python3 bench/analysis_bench.py [--scale 0.1] [--keep PATH]``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from annotator.domain.model import Code, new_id, utcnow
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.storage.models import CodingRow

WORDS = [
    "the",
    "council",
    "policy",
    "local",
    "funding",
    "government",
    "should",
    "must",
    "we",
    "recommend",
    "review",
    "housing",
    "health",
    "services",
    "community",
    "support",
    "national",
    "plan",
    "report",
    "evidence",
    "data",
    "public",
    "transport",
    "ministers",
    "department",
    "schools",
    "care",
    "workforce",
    "budget",
    "strategy",
    "reform",
    "outcomes",
]


def make_text(rng: random.Random, length: int, pool: list[str]) -> str:
    """About ``length`` characters of paragraphs made of sentences from ``pool``."""
    parts: list[str] = []
    size = 0
    while size < length:
        paragraph = " ".join(rng.choices(pool, k=rng.randint(3, 8)))
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)[:length].rsplit(" ", 1)[0] + ".\n"


def build(path: Path, scale: float, seed: int = 7) -> tuple[Project, list[uuid.UUID]]:
    """The synthetic project at ``path``."""
    rng = random.Random(seed)
    n_docs = max(2, round(200 * scale))
    doc_len = 250_000
    n_codings = round(100_000 * scale)
    pool = []
    for _ in range(4000):
        words = rng.choices(WORDS, k=rng.randint(6, 20))
        words[0] = words[0].capitalize()
        pool.append(" ".join(words) + ".")
    project = Project.create(path, starter=False)
    codes = [project.codebook.add(Code(new_id(), f"code{i:03d}", "#4477aa")) for i in range(300)]
    coders = [project.coders.ensure(f"coder{i}") for i in range(3)]
    docs = []
    for d in range(n_docs):
        text = make_text(rng, doc_len, pool) + f"Document {d}.\n"
        extracted = ExtractedDocument(
            text, paragraph_blocks(text), (), DocumentMetadata(f"Report {d:03d}"), "text"
        )
        docs.append((project.documents.add(extracted), text))
    now = utcnow()
    rows = []
    for _ in range(n_codings):
        doc_id, text = rng.choice(docs)
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randint(20, 400)
        rows.append(
            {
                "id": new_id(), "document_id": doc_id, "code_id": rng.choice(codes).id,
                "coder_id": rng.choice(coders).id, "start": start, "end": end,
                "quote": text[start:end], "memo": "", "created_at": now, "modified_at": now,
                "codebook_version_id": None,
            }
        )  # fmt: skip
    with project.db.transaction() as s:
        s.execute(insert(CodingRow.__table__), rows)
    return project, [d for d, _ in docs]


CPU: dict[str, float] = {}


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs, in milliseconds, and the last result; the
    process (CPU) time of that best run goes to ``CPU["last"]`` (on a shared machine the
    wall time includes waiting for a core)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = (time.perf_counter() - began) * 1000
        if wall < best:
            best, CPU["last"] = wall, (time.process_time() - cpu) * 1000
    return best, result


def plain_scan(path: Path, pattern: re.Pattern[str], stop: int) -> int:
    """Baseline: read each text with sqlite3 and scan it with ``re`` until ``stop`` hits."""
    con = sqlite3.connect(path)
    found = 0
    try:
        for (text,) in con.execute("SELECT text FROM document ORDER BY position"):
            for _ in pattern.finditer(text):
                found += 1
                if found >= stop:
                    return found
    finally:
        con.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project here")
    args = parser.parse_args()
    # a fresh project goes to a temporary folder, removed at the end
    folder = None if args.keep else Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    path = args.keep or folder / "bench.annotator"
    began = time.perf_counter()
    if path.exists():
        project = Project.open(path)
    else:
        project, _ = build(path, args.scale)
    chars = sum(d.length for d in project.documents.list())
    n_codings = len(project.codings.all())
    print(
        f"project: {len(project.documents.list())} documents, {chars:,} characters, "
        f"{len(project.codebook.list())} codes, {n_codings:,} codings "
        f"(ready in {time.perf_counter() - began:.1f} s)\n"
    )
    # about 10,000 passages at full scale: 30 of the 300 codes hold ~10% of the codings
    n_or = 30
    query = " OR ".join(f"code{i:03d}" for i in range(n_or))
    code_ids = [c.id.hex for c in project.codebook.list() if c.name < f"code{n_or:03d}"]

    def first_page():
        result = project.retrieval.run(query, stop_after=50)
        return result, project.retrieval.passages(result, result.refs[:50])

    def bare_select():
        con = sqlite3.connect(path)
        try:
            marks = ",".join("?" * len(code_ids))
            return con.execute(
                f"SELECT document_id, start, end FROM coding WHERE code_id IN ({marks})"
                " ORDER BY document_id, start",
                code_ids,
            ).fetchall()
        finally:
            con.close()

    rows: list[tuple] = []
    b, _ = timed(bare_select)
    t, result = timed(lambda: project.retrieval.run(query))
    rows.append(
        ("retrieval: all passages found", f"{len(result.refs):,} passages", t, CPU["last"], b, None)
    )
    t, (_partial, page) = timed(first_page)
    rows.append(
        ("retrieval: first page (50) shown", f"{len(page)} passages", t, CPU["last"], b, 200)
    )
    t, _ = timed(lambda: project.retrieval.passages(result, result.refs), repeat=1)
    rows.append(
        (
            "retrieval: every passage's text",
            f"{len(result.refs):,} passages",
            t,
            CPU["last"],
            b,
            None,
        )
    )
    for positional in ("code001 SAME SENTENCE code002", "code001 SAME PARAGRAPH code002"):
        t, found = timed(lambda q=positional: project.retrieval.run(q), repeat=1)
        rows.append(
            (f"retrieval: {positional[8:22]}", f"{len(found.refs):,} passages", t, CPU["last"],
             b, None)
        )  # fmt: skip
    phrase = re.compile(r"(?<!\w)we[\W_]+recommend(?!\w)", re.IGNORECASE)
    b, _ = timed(lambda: plain_scan(path, phrase, 100))
    b_all, total = timed(lambda: plain_scan(path, phrase, 10**12), repeat=1)
    t, hits = timed(lambda: list(project.search.hits("we recommend", limit=100)))
    rows.append(("search: first 100 hits", f"{len(hits)} hits", t, CPU["last"], b, 200))
    word = re.compile(r"(?<!\w)policy(?!\w)", re.IGNORECASE)
    b, _ = timed(lambda: plain_scan(path, word, 10_000))
    t, hits = timed(lambda: list(project.search.hits("policy", limit=10_000)))
    rows.append(("search: 10,000 KWIC lines", f"{len(hits):,} lines", t, CPU["last"], b, 500))
    t, counts = timed(lambda: project.search.counts("we recommend"), repeat=1)
    rows.append(
        ("search: hits per document", f"{sum(counts.values()):,} hits", t, CPU["last"], b_all, None)
    )
    rare = re.compile(r"(?<!\w)document[\W_]+7(?!\w)", re.IGNORECASE)
    b, _ = timed(lambda: plain_scan(path, rare, 10**12))
    t, hits = timed(lambda: list(project.search.hits('"Document 7"')))
    rows.append(
        ("search: a rare phrase (index narrows)", f"{len(hits)} hits", t, CPU["last"], b, None)
    )
    print(
        f"{'measure':38} {'result':>16} {'ms':>8} {'cpu ms':>8} {'baseline ms':>12}"
        f" {'ratio':>6} {'target':>7}"
    )
    for name, what, ms, cpu, base, target in rows:
        goal = f"<{target}" if target else ""
        print(f"{name:38} {what:>16} {ms:8.1f} {cpu:8.1f} {base:12.1f} {ms / base:6.2f} {goal:>7}")
    print(f"\n(whole-corpus phrase scan, for reference: {total:,} hits in {b_all:.0f} ms)")
    project.close()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
