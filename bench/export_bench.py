"""Export benchmark: 100 documents and 20,000 codings in every tabular and report format.

Run with ``python3 bench/export_bench.py [--documents 100] [--codings 20000]``. The project
is built in a temporary folder (documents through the service, with headings and pages so
section and page lookups do real work; codings inserted in one bulk statement). Each export
runs twice: once for wall time, once under tracemalloc for the peak of Python allocations.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from annotator.domain.model import new_id
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, ExtractedDocument, Page
from annotator.services.codebook_exchange import export_codebook_table, print_codebook
from annotator.services.exporting import export_codings, export_unit_table
from annotator.services.project import Project
from annotator.storage.models import CodingRow

WORDS = [
    "policy",
    "council",
    "funding",
    "devolve",
    "local",
    "central",
    "government",
    "community",
    "partners",
    "power",
    "prevention",
    "services",
    "reform",
    "levelling",
    "up",
    "capacity",
    "leadership",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "should",
    "must",
    "will",
    "places",
    "residents",
    "budget",
    "grant",
]


def make_document(rng: random.Random, index: int) -> ExtractedDocument:
    """About 20,000 characters: 10 sections of 12 paragraphs, a page every 3,000."""
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for section in range(10):
        heading = f"Section {section + 1}: {rng.choice(WORDS).title()}"
        blocks.append(Block(BlockKind.HEADING, pos, pos + len(heading), level=1))
        parts.append(heading)
        pos += len(heading) + 2
        for _ in range(12):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
                for _ in range(rng.randint(2, 4))
            ]
            text = " ".join(sentences)
            blocks.append(Block(BlockKind.PARAGRAPH, pos, pos + len(text)))
            parts.append(text)
            pos += len(text) + 2
    full = "\n\n".join(parts)
    pages = tuple(
        Page(n + 1, start, min(start + 3000, len(full)))
        for n, start in enumerate(range(0, len(full), 3000))
    )
    return ExtractedDocument(
        text=full,
        blocks=tuple(blocks),
        pages=pages,
        metadata=DocumentMetadata(title=f"Report {index:03d}", author="Bench"),
        source_format="text",
    )


def build_project(folder: Path, documents: int, codings: int) -> Project:
    rng = random.Random(7)
    project = Project.create(folder / "bench.annotator")
    coders = [project.coders.ensure(f"Coder {c}") for c in "ABC"]
    codes = [c.id for c in project.codebook.list() if c.codable]
    texts: list[tuple[object, str]] = []
    for i in range(documents):
        extracted = make_document(rng, i)
        doc_id = project.documents.add(extracted)
        texts.append((doc_id, extracted.text))
    now = datetime.now(UTC)
    rows = []
    for _ in range(codings):
        doc_id, text = rng.choice(texts)
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randint(20, 400)
        rows.append(
            {
                "id": new_id(),
                "document_id": doc_id,
                "code_id": rng.choice(codes),
                "coder_id": rng.choice(coders).id,
                "start": start,
                "end": end,
                "quote": text[start:end],
                "memo": "",
                "created_at": now,
                "modified_at": now,
            }
        )
    with project.db.transaction() as s:
        s.execute(insert(CodingRow), rows)
    return project


def measure(run: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds of a plain run, and peak MiB of a traced run."""
    began = time.perf_counter()
    run()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--codings", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        project = build_project(folder, args.documents, args.codings)
        built = time.perf_counter() - began
        out = folder / "out"
        out.mkdir()
        runs: list[tuple[str, Callable[[], object]]] = [
            ("coded set CSV", lambda: export_codings(project, out / "c.csv", "csv")),
            ("coded set XLSX", lambda: export_codings(project, out / "c.xlsx", "xlsx")),
            ("coded set JSONL", lambda: export_codings(project, out / "c.jsonl", "jsonl")),
            ("HTML report", lambda: export_codings(project, out / "c.html", "html")),
            ("unit table CSV (sentences)", lambda: export_unit_table(project, out / "u.csv")),
            (
                "unit table XLSX (paragraphs)",
                lambda: export_unit_table(project, out / "u.xlsx", "paragraph"),
            ),
            ("codebook CSV", lambda: export_codebook_table(project, out / "cb.csv")),
            ("codebook DOCX (3 examples)", lambda: print_codebook(project, out / "cb.docx")),
        ]
        print(
            f"Project: {args.documents} documents, {args.codings:,} codings "
            f"(built in {built:.1f} s)\n"
        )
        print("| export | seconds | peak MiB (tracemalloc) | file MiB |")
        print("|---|---:|---:|---:|")
        for name, run in runs:
            seconds, peak = measure(run)
            newest = max(out.iterdir(), key=lambda p: p.stat().st_mtime)
            size = newest.stat().st_size / 2**20
            print(f"| {name} | {seconds:.2f} | {peak:.1f} | {size:.1f} |")
        project.close()


if __name__ == "__main__":
    main()
