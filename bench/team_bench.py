"""Benchmark a team project on a loopback PostgreSQL server beside the same on SQLite.

1. Writers: W coder processes each apply N codings as fast as they can (one service call,
   one transaction each) to one project; reports p50/p95/max apply latency and checks that
   exactly W x N distinct codings were stored (none lost, none duplicated, no deadlock).
2. Openers: C client processes at once open one document of about 1.5 MB with K codings
   (the document's text plus all its codings, as the window does); reports p50/p95.

Defaults follow the issue (10 x 500 writers; 20 openers of 20,000 codings). Needs the
PostgreSQL server binaries (Debian's ``postgresql``); the server is started in a temporary
folder on a free loopback port and removed afterwards.
Run: ``python3 bench/team_bench.py [--writers 10 --codings 500 --clients 20 --open 20000]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.project import Project
from annotator.storage.models import CodingRow
from tests.pgcluster import start_cluster

SENTENCE = "Local authorities should receive multi-year settlements to plan services. "


def _text(chars: int) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars].rstrip() + "\n"


def _prepare(where: str, chars: int, coders: int) -> tuple[str, str, list[str]]:
    p = Project.create(where)
    try:
        doc = p.documents.add(
            ExtractedDocument(_text(chars), (), (), DocumentMetadata(title="Big"), "text")
        )
        code = next(c.id for c in p.codebook.list() if c.codable)
        ids = [str(p.coders.ensure(f"Coder {i:02d}").id) for i in range(coders)]
    finally:
        p.close()
    return str(doc), str(code), ids


def _writer(args: tuple[str, str, str, str, int, int, mp.Barrier]) -> tuple[float, float, list]:
    where, doc, code, coder, n, text_len, barrier = args
    p = Project.open(where)
    text = p.documents.get(uuid.UUID(doc)).text
    times: list[float] = []
    try:
        barrier.wait()
        began = time.time()
        for i in range(n):
            start = (i * 97) % (text_len - 60)
            c = Coding(
                new_id(),
                uuid.UUID(doc),
                uuid.UUID(code),
                uuid.UUID(coder),
                start,
                start + 40,
                text[start : start + 40],
            )
            t0 = time.perf_counter()
            p.codings.add(c)
            times.append(time.perf_counter() - t0)
        ended = time.time()
    finally:
        p.close()
    return began, ended, times


def _opener(args: tuple[str, str, mp.Barrier]) -> float:
    where, doc, barrier = args
    p = Project.open(where)
    try:
        barrier.wait()
        t0 = time.perf_counter()
        d = p.documents.get(uuid.UUID(doc))
        codings = p.codings.for_document(d.id)
        elapsed = time.perf_counter() - t0
        assert len(d.text) > 0 and codings
        return elapsed
    finally:
        p.close()


def _row(c: Coding) -> dict:
    now = datetime.now(UTC)
    return {
        "document_id": c.document_id,
        "code_id": c.code_id,
        "coder_id": c.coder_id,
        "start": c.start,
        "end": c.end,
        "quote": c.quote,
        "memo": "",
        "created_at": now,
        "modified_at": now,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def writers(where: str, n_writers: int, n: int, chars: int) -> dict[str, float]:
    doc, code, coders = _prepare(where, chars, n_writers)
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(n_writers)
        with ctx.Pool(n_writers) as pool:
            results = pool.map(_writer, [(where, doc, code, c, n, chars, barrier) for c in coders])
    wall = max(r[1] for r in results) - min(r[0] for r in results)
    p = Project.open(where)
    try:
        stored = p.codings.all()
    finally:
        p.close()
    latencies = [t for r in results for t in r[2]]
    ids = {c.id for c in stored}
    assert len(stored) == n_writers * n == len(ids), (len(stored), len(ids))
    return {
        "p50": _pct(latencies, 0.5) * 1000,
        "p95": _pct(latencies, 0.95) * 1000,
        "max": max(latencies) * 1000,
        "rate": len(latencies) / wall,
        "stored": len(stored),
    }


def openers(where: str, n_clients: int, n_codings: int, chars: int) -> dict[str, float]:
    doc, code, coders = _prepare(where, chars, 3)
    p = Project.open(where)
    try:
        text = p.documents.get(uuid.UUID(doc)).text
        batch = []
        for i in range(n_codings):
            start = (i * 73) % (len(text) - 200)
            end = start + 20 + i % 150
            batch.append(
                Coding(
                    new_id(),
                    uuid.UUID(doc),
                    uuid.UUID(code),
                    uuid.UUID(coders[i % 3]),
                    start,
                    end,
                    text[start:end],
                )
            )
        # Bulk insert (set-up, not measured): the service checks each coding against the
        # text, which for 20,000 codings of one 1.5 MB text takes minutes.
        with p.db.transaction() as s:
            s.execute(insert(CodingRow), [{"id": c.id, **_row(c)} for c in batch])
    finally:
        p.close()
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(n_clients)
        with ctx.Pool(n_clients) as pool:
            times = pool.map(_opener, [(where, doc, barrier)] * n_clients)
    return {"p50": _pct(times, 0.5) * 1000, "p95": _pct(times, 0.95) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--codings", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--chars", type=int, default=1_500_000)
    args = parser.parse_args()
    cluster = start_cluster()
    if cluster is None:
        raise SystemExit("PostgreSQL server binaries not found (install Debian's postgresql).")
    folder = Path(tempfile.mkdtemp(prefix="team-bench-"))
    try:
        rows = []
        for backend in ("sqlite", "postgresql"):
            w_where = (
                str(folder / "w.annotator")
                if backend == "sqlite"
                else cluster.create_database("bench_w")
            )
            o_where = (
                str(folder / "o.annotator")
                if backend == "sqlite"
                else cluster.create_database("bench_o")
            )
            w = writers(w_where, args.writers, args.codings, 20_000)
            o = openers(o_where, args.clients, args.open, args.chars)
            rows.append((backend, w, o))
        print(
            f"\n{args.writers} writers x {args.codings} codings; "
            f"{args.clients} clients opening {args.chars / 1e6:.1f} MB with {args.open} codings\n"
        )
        print(
            f"{'backend':<11} {'apply p50':>10} {'apply p95':>10} {'apply max':>10} "
            f"{'codings/s':>10} {'stored':>7} {'open p50':>9} {'open p95':>9}"
        )
        for backend, w, o in rows:
            print(
                f"{backend:<11} {w['p50']:>8.1f}ms {w['p95']:>8.1f}ms {w['max']:>8.1f}ms "
                f"{w['rate']:>10.0f} {w['stored']:>7.0f} {o['p50']:>7.0f}ms {o['p95']:>7.0f}ms"
            )
        (_, ws, os_), (_, wp, op) = rows
        print(
            f"\nPostgreSQL/SQLite: apply p95 {wp['p95'] / ws['p95']:.2f}x, "
            f"open p50 {op['p50'] / os_['p50']:.2f}x, open p95 {op['p95'] / os_['p95']:.2f}x"
        )
    finally:
        cluster.destroy()
        for f in folder.glob("*"):
            f.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
