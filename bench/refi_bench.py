"""REFI-QDA benchmark: export and re-import a project of 100 documents and 20,000 codings.

Run with ``python3 bench/refi_bench.py [--documents N] [--codings N]``. Builds the project
through the services (documents, codebook, coders) and adds the codings in one bulk
transaction, then times the .qdpx and .qdc exports and their imports into empty projects.
Prints a Markdown table of wall time and peak Python memory (tracemalloc).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from annotator.domain.model import new_id, utcnow
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.services.refi import export_codebook, export_project, import_qdc, import_qdpx
from annotator.storage.models import CodingRow

WORDS = [
    "policy",
    "council",
    "fund",
    "devolve",
    "😀",
    "budget",
    "local",
    "central",
    "power",
    "levelling",
    "growth",
]


def build(path: Path, n_docs: int, n_codings: int) -> Project:
    """A project with ``n_docs`` documents of ~8,000 characters and ``n_codings`` codings."""
    rng = random.Random(7)
    project = Project.create(path)
    texts = {}
    for i in range(n_docs):
        paras = [" ".join(rng.choice(WORDS) for _ in range(120)) for _ in range(10)]
        text = f"Document {i}\n" + "\n".join(paras)
        meta = DocumentMetadata(title=f"Doc {i}", author="A", attributes={"type": "report"})
        doc_id = project.documents.add(
            ExtractedDocument(text, paragraph_blocks(text), (), meta, "text")
        )
        texts[doc_id] = text
    coders = [project.coders.ensure(n).id for n in ("Coder A", "Coder B")]
    codes = [c.id for c in project.codebook.list() if c.codable]
    rows = []
    docs = list(texts)
    now = utcnow()
    for _ in range(n_codings):
        doc = rng.choice(docs)
        start = rng.randrange(0, len(texts[doc]) - 200)
        end = start + rng.randrange(5, 200)
        rows.append(
            {
                "id": new_id(),
                "document_id": doc,
                "code_id": rng.choice(codes),
                "coder_id": rng.choice(coders),
                "start": start,
                "end": end,
                "quote": texts[doc][start:end],
                "memo": "",
                "created_at": now,
                "modified_at": now,
            }
        )
    with project.db.transaction() as s:
        s.execute(insert(CodingRow), rows)
    return project


def measure(label: str, prepare: Callable[[], Callable[[], object]], table: list[str]) -> None:
    """Time one run of the action ``prepare()`` returns, then trace the memory of another.

    tracemalloc slows Python down several times, so time and memory come from two runs.
    """
    action = prepare()
    began = time.perf_counter()
    action()
    elapsed = time.perf_counter() - began
    action = prepare()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    table.append(f"| {label} | {elapsed:.2f} | {peak / 1024 / 1024:.1f} |")


def main() -> None:
    """Build, export, re-import, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--codings", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        began = time.perf_counter()
        project = build(root / "bench.annotator", args.documents, args.codings)
        built = time.perf_counter() - began
        qdpx, qdc = root / "bench.qdpx", root / "bench.qdc"
        table = ["| step | seconds | peak MiB (tracemalloc) |", "| --- | ---: | ---: |"]
        table.append(f"| build ({args.documents} docs, {args.codings} codings) | {built:.2f} | - |")
        measure("export .qdpx", lambda: lambda: export_project(project, qdpx), table)
        measure("export .qdc", lambda: lambda: export_codebook(project, qdc), table)
        targets: list[Project] = []

        def empty_project() -> Project:
            targets.append(Project.create(root / f"empty{len(targets)}.annotator", starter=False))
            return targets[-1]

        def import_project() -> Callable[[], object]:
            target = empty_project()
            return lambda: import_qdpx(target, qdpx)

        def import_codebook() -> Callable[[], object]:
            target = empty_project()
            return lambda: import_qdc(target, qdc)

        measure("import .qdpx into an empty project", import_project, table)
        measure("import .qdc into an empty project", import_codebook, table)
        assert len(targets[0].codings.all()) == args.codings
        for p in (project, *targets):
            p.close()
        print(f".qdpx size: {qdpx.stat().st_size / 1024 / 1024:.1f} MiB\n")
        print("\n".join(table))


if __name__ == "__main__":
    main()
