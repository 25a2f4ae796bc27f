"""Fixed-seed fuzzing of every importer (issue 16, "What stays").

Each format's seed file is mutated by :mod:`tests.reliability.fuzz_worker` (byte flips,
truncation, insertions, repeated slices, format tokens; inside a valid zip for the office
and REFI formats) and every mutant is imported in a child process. The test fails on:

* any exception other than the importer's own clear error (``ImportProblem`` naming the
  file; ``AnnotatorError`` for REFI-QDA);
* a mutant taking longer than :data:`BOUND_S` (a hang);
* the child process dying (an interpreter crash).

The counts are small so the family fits CI's time; slow formats are marked ``slow``.
``ANNOTATOR_FUZZ_COUNT=N`` runs N mutants per format (the trials in docs/reliability.md).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import REPO

BOUND_S = 20.0  # per mutant, on a loaded two-core machine
DATA = REPO / "tests" / "data" / "real"
FAST_COUNT = int(os.environ.get("ANNOTATOR_FUZZ_COUNT", "60"))
SLOW_COUNT = int(os.environ.get("ANNOTATOR_FUZZ_COUNT", "15"))

RTF_SEED = (
    r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fswiss\fcharset0 Arial;}{\f1\fcharset204 Times;}}"
    r"{\info{\title Local growth}{\author A. Writer}{\creatim\yr2024\mo5\dy6}}"
    r"\f0 Councils should pool budgets.\par "
    r"{\field{\*\fldinst{HYPERLINK \"https://example.org\"}}{\fldrslt{a link}}}\par "
    r"\trowd\cellx1000\cellx2000 A\cell B\cell\row "
    r"\f1 \'c0\'e1 \u1044? text\par}"
)


def _seed(kind: str, folder: Path) -> Path:
    if kind == "txt":
        path = folder / "seed.txt"
        path.write_text("Title line\n\nA recommendation: councils pool budgets.\r\nÜber — ok.\n")
    elif kind == "md":
        path = folder / "seed.md"
        path.write_text(
            "---\ntitle: Seed\n---\n# Heading\n\n> quoted *text*\n\n- a\n  - b\n\n"
            "|a|b|\n|-|-|\n|1|2|\n\n```\ncode\n```\n"
        )
    elif kind == "rtf":
        path = folder / "seed.rtf"
        path.write_text(RTF_SEED, encoding="latin-1")
    elif kind == "html":
        path = DATA / "django-security-policies.html"
    elif kind == "docx":
        path = DATA / "mammoth-footnotes.docx"
    elif kind == "odt":
        path = DATA / "odfpy-api-manual.odt"
    elif kind == "pdf":
        path = folder / "seed.pdf"
        from reportlab.pdfgen import canvas

        c = canvas.Canvas(str(path))
        c.setTitle("Seed report")
        for page in range(2):
            c.drawString(72, 760, f"Heading {page}")
            c.drawString(72, 740, "Councils should pool their budgets across boundaries.")
            c.showPage()
        c.save()
    else:  # qdpx, qdc: exported from the sample project
        from annotator.services.project import create_sample_project
        from annotator.services.refi import export_codebook, export_project

        project = create_sample_project(folder / "sample.annotator")
        try:
            path = folder / f"seed.{kind}"
            (export_project if kind == "qdpx" else export_codebook)(project, path)
        finally:
            project.close()
    return path


def _fuzz(kind: str, count: int, tmp_path: Path) -> None:
    seed = _seed(kind, tmp_path)
    out = tmp_path / "mutants"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.fuzz_worker",
            str(seed),
            str(count),
            "16",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    bad: list[str] = []
    current = None
    deadline = time.monotonic() + 120  # the worker's start-up and seed loading
    done = False
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(
                    f"{kind}: mutant {current} took longer than {BOUND_S} s (a hang); kept in {out}"
                )
            if line is None:
                break
            word, _, rest = line.partition(" ")
            if word == "START":
                current = rest
                deadline = time.monotonic() + BOUND_S
            elif word == "BAD":
                bad.append(rest)
                deadline = time.monotonic() + BOUND_S
            elif word == "DONE":
                done = True
            else:
                deadline = time.monotonic() + BOUND_S
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert done and proc.returncode == 0, (
        f"{kind}: the worker died at mutant {current} (exit {proc.returncode}): {stderr[-2000:]}"
    )
    assert not bad, f"{kind}: {len(bad)} of {count} mutants raised unexpected errors: {bad[:10]}"


@pytest.mark.parametrize("kind", ["txt", "md", "rtf", "html", "docx"])
def test_fuzzed_files_never_crash_or_hang(kind: str, tmp_path: Path):
    _fuzz(kind, FAST_COUNT, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["odt", "pdf", "qdpx", "qdc"])
def test_fuzzed_slow_formats_never_crash_or_hang(kind: str, tmp_path: Path):
    pytest.importorskip("reportlab") if kind == "pdf" else None
    _fuzz(kind, SLOW_COUNT, tmp_path)
