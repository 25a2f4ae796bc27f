"""Fields benchmark: editing a coding's value in the Coding details panel (issue 10).

Builds a project with N recommendation codings (default 5,000) over 200 documents, the
starter Recommendation code with its 4 fields plus 6 more (10 fields), every coding with
values, opens the real main window (offscreen) and times editing one value through the
panel as a user does (undo command, commit, signals, panel refresh), and the deferred
recount of missing required values. Prints a markdown table.

Run: ``python bench/fields_bench.py [N]``. (The recommendations register is h10b's work; when
it is merged, its refresh on ``field_values_changed`` adds to this latency.)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from annotator.domain.fields import FieldChoice, FieldDef, FieldKind, FieldValue
from annotator.domain.model import Coding, new_id, utcnow
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.gui.controller import ProjectController
from annotator.gui.main_window import MainWindow
from annotator.services.project import Project
from annotator.services.settings import Settings
from annotator.services.starter import starter_code_id
from annotator.storage.field_mapping import value_to_row
from annotator.storage.mapping import coding_to_row

REC = starter_code_id("Recommendations/Recommendation")
SENTENCE = "The Government should ensure that councils have the powers they need. "


def build(path: Path, n: int, docs: int = 200) -> Project:
    """The project described in the module docstring."""
    project = Project.create(path)
    coder = project.coders.ensure("Bench coder")
    extra = [
        FieldDef(new_id(), REC, f"Extra {i}", FieldKind.SINGLE_CHOICE,
                 tuple(FieldChoice(f"x{i}-{j}", f"Choice {j}") for j in range(4)), False, -1)
        for i in range(6)
    ]  # fmt: skip
    for f in extra:
        project.fields.add_field(f)
    fields = project.fields.fields_for_code(REC)
    per_doc = n // docs + 1
    text = SENTENCE * per_doc
    rng = random.Random(7)
    doc_ids = []
    for d in range(docs):
        doc_id = project.documents.add(
            ExtractedDocument(f"{text}{d}", (), (), DocumentMetadata(title=f"Doc {d}"), "text")
        )
        doc_ids.append(doc_id)
    now = utcnow()
    made: list[Coding] = []
    for doc_id in doc_ids:
        for k in range(per_doc):
            if len(made) == n:
                break
            start = k * len(SENTENCE)
            made.append(Coding(new_id(), doc_id, REC, coder.id, start, start + 30,
                               SENTENCE[:30], created_at=now, modified_at=now))  # fmt: skip
    with project.db.transaction() as s:
        s.add_all(coding_to_row(c) for c in made)
        s.flush()  # codings before their values (no ORM relationship orders them)
        for coding in made:
            for f in fields:
                pick = f.choices[rng.randrange(len(f.choices))].id
                value = [pick] if f.kind is FieldKind.MULTIPLE_CHOICE else pick
                s.add(value_to_row(FieldValue(coding.id, f.id, value, coder.id, now)))
    return project


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    folder = Path(tempfile.mkdtemp(prefix="fields-bench-"))
    began = time.perf_counter()
    project = build(folder / "bench.annotator", n)
    built = time.perf_counter() - began
    app = QApplication.instance() or QApplication([])
    coder = project.coders.find("Bench coder")
    controller = ProjectController(project, coder)
    window = MainWindow(controller, Settings(coder_name="Bench coder"))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    codings = [c for c in project.codings.for_document(window.current_document) if c.code_id == REC]
    panel = window.details_panel
    panel.show_coding(codings[0])
    app.processEvents()
    strength = next(r.field for r in panel.rows.values() if r.field.name == "Strength")
    edits, recounts = [], []
    for i in range(200):
        value = strength.choices[i % 3].id
        t0 = time.perf_counter()
        panel.set_value("Strength", value)
        edits.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        app.processEvents()  # the deferred recount of missing values runs here
        recounts.append((time.perf_counter() - t0) * 1000)
    commits = []  # baseline: one durable write transaction (synchronous=FULL), nothing else
    for i in range(200):
        t0 = time.perf_counter()
        project.fields.set_setting("bench", i)
        commits.append((time.perf_counter() - t0) * 1000)
    window.close()
    project.close()

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[-1]

    print(f"Fields benchmark: {n:,} recommendation codings, 200 documents, 10 fields")
    print(f"(project built in {built:.1f} s)\n")
    print("| step | median ms | p95 ms | target |")
    print("|---|---:|---:|---|")
    print(f"| edit a value in the panel (command, commit, refresh) | "
          f"{statistics.median(edits):.1f} | {p95(edits):.1f} | p95 < 16 ms |")  # fmt: skip
    print(f"| baseline: one durable commit (bare write transaction) | "
          f"{statistics.median(commits):.1f} | {p95(commits):.1f} | |")  # fmt: skip
    print(f"| deferred recount of missing required values | "
          f"{statistics.median(recounts):.1f} | {p95(recounts):.1f} | (idle time) |")  # fmt: skip


if __name__ == "__main__":
    main()
