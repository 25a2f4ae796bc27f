"""Benchmark the recommendations register at the size of a large study.

200 documents (40,000 characters each, 20 pages and 10 headings), 5,000 recommendation
codings, 5,000 theme codings, 2,000 response links, and 10 fields on the recommendation
code (a value for each on every recommendation). Times, best of
3: building the register (service), opening the register window (build, model, first
paint), filtering (a word, then clearing), sorting and grouping. Targets: opens < 300 ms,
filters < 50 ms. Run: ``python3 bench/register_bench.py`` (offscreen Qt).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain.links import RESPONSE_TO, CodingLink
from annotator.domain.model import Code, Coding, new_id
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, ExtractedDocument, Page
from annotator.services.project import Project
from annotator.storage.mapping import coding_to_row

N_DOCS, DOC_LEN, N_RECS, N_THEMES, N_LINKS, N_FIELDS = 200, 40_000, 5_000, 5_000, 2_000, 10
WORDS = [
    "council",
    "government",
    "should",
    "fund",
    "housing",
    "transport",
    "health",
    "local",
    "power",
    "data",
]


def _text(rng: random.Random, n: int) -> str:
    out, size = [], 0
    while size < n:
        sentence = " ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:n]


def build(path: Path) -> Project:
    rng = random.Random(3)
    project = Project.create(path, starter=False)
    docs = []
    for d in range(N_DOCS):
        text = _text(rng, DOC_LEN)
        pages = tuple(Page(i + 1, i * 2000, (i + 1) * 2000, str(i + 1)) for i in range(20))
        blocks = tuple(Block(BlockKind.HEADING, i * 4000, i * 4000 + 30, 1) for i in range(10))
        docs.append(
            project.documents.add(
                ExtractedDocument(
                    text, blocks, pages, DocumentMetadata(title=f"Report {d:03d}"), "text"
                )
            )
        )
    rec = project.codebook.add(Code(new_id(), "Recommendation", "#1f77b4", kind="recommendation"))
    themes = [
        project.codebook.add(Code(new_id(), f"Theme {i}", "#888888", kind="theme"))
        for i in range(8)
    ]
    coder = project.coders.ensure("bench")
    recs = []
    with project.db.transaction() as s:
        for i in range(N_RECS + N_THEMES):
            doc = docs[i % N_DOCS]
            start = rng.randrange(0, DOC_LEN - 400)
            end = start + rng.randrange(60, 400)
            code = rec.id if i < N_RECS else rng.choice(themes).id
            coding = Coding(new_id(), doc, code, coder.id, start, end, "x")
            s.add(coding_to_row(coding))
            if i < N_RECS:
                recs.append(coding)
    _fields(project, rec, recs, rng)
    with project.db.transaction() as s:
        from annotator.services.links import _link_row

        for i in range(N_LINKS):
            a, b = recs[i], recs[N_RECS - 1 - i]
            s.add(_link_row(CodingLink(new_id(), a.id, b.id, RESPONSE_TO, "accepted")))
    return project


def _fields(project: Project, rec: Code, recs: list[Coding], rng: random.Random) -> None:
    """Ten fields on the recommendation code (choices, scale, number, text), each valued."""
    from annotator.domain.fields import FieldChoice, FieldDef, FieldKind, FieldValue
    from annotator.storage.field_mapping import value_to_row

    kinds = [FieldKind.SINGLE_CHOICE, FieldKind.ORDINAL, FieldKind.SHORT_TEXT, FieldKind.NUMBER]
    fields = []
    for i in range(N_FIELDS):
        kind = kinds[i % len(kinds)]
        choices = (
            tuple(FieldChoice(f"c{k}", f"choice {k}") for k in range(5))
            if kind
            in (
                FieldKind.SINGLE_CHOICE,
                FieldKind.ORDINAL,
            )
            else ()
        )
        fields.append(
            project.fields.add_field(
                FieldDef(new_id(), rec.id, f"field {i}", kind, choices, position=-1)
            )
        )
    with project.db.transaction() as s:
        for coding in recs:
            for f in fields:
                value = (
                    f"c{rng.randrange(5)}"
                    if f.choices
                    else float(rng.randrange(100))
                    if f.kind == FieldKind.NUMBER
                    else rng.choice(WORDS)
                )
                s.add(value_to_row(FieldValue(coding.id, f.id, value, None)))


def best(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from annotator.domain.model import Coder
    from annotator.gui.controller import ProjectController
    from annotator.gui.recommendations.register_view import RegisterWindow
    from annotator.services.register import build_register

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        project = build(Path(tmp) / "register.annotator")
        print(f"built the project in {time.perf_counter() - started:.1f} s")
        try:
            controller = ProjectController(project, Coder(new_id(), "bench"))
            service = best(lambda: build_register(project))
            windows = []

            def open_window() -> None:
                w = RegisterWindow(controller)
                w.show()
                app.processEvents()
                w.grab()  # the first paint
                windows.append(w)

            opened = best(open_window)
            w = windows[-1]
            rows = w.model.rowCount()
            fields = len(w.model.register.field_names)

            def filtering() -> None:
                w.filter.setText("council housing")
                w.filter.setText("")

            filtered = best(filtering) / 2
            w.filter.setText("council housing")
            kept = w.model.rowCount()
            w.filter.setText("")
            sort = best(lambda: w.table.sortByColumn(4, w.model.sort_order))
            group = best(lambda: (w.group.setCurrentIndex(1), w.group.setCurrentIndex(0)))
            for window in windows:
                window.close()
        finally:
            project.close()
    print(f"register: {rows} rows, {fields} field columns, {N_DOCS} documents")
    print(f"{'step':34} {'ms':>8} {'target':>8}")
    print(f"{'build_register (service)':34} {service:8.1f}")
    print(f"{'open the window (build+paint)':34} {opened:8.1f} {'< 300':>8}")
    print(
        f"{'filter (one change; {kept} kept)':34} {filtered:8.1f} {'< 50':>8}".replace(
            "{kept}", str(kept)
        )
    )
    print(f"{'sort by text':34} {sort:8.1f}")
    print(f"{'group by document and back':34} {group:8.1f}")


if __name__ == "__main__":
    main()
