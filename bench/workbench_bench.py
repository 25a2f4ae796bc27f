"""Workbench benchmark: open, code and scroll a large document, beside bare Qt baselines.

Generates a ~1.5 MB synthetic policy document (about 250,000 words in paragraphs and
headings) with 20,000 codings by 3 coders over 40 codes, many overlapping, and prints a
markdown table. Run: ``python bench/workbench_bench.py`` (offscreen; no display needed).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QTextEdit

from annotator.domain.model import Code, Coding, new_id, utcnow
from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    ExtractedDocument,
)
from annotator.gui.app import settle_memory
from annotator.gui.controller import ProjectController, ShowMode
from annotator.gui.main_window import MainWindow
from annotator.services.project import Project
from annotator.services.settings import Settings
from annotator.storage.mapping import coding_to_row

WORDS = [
    "council",
    "government",
    "local",
    "community",
    "policy",
    "devolution",
    "funding",
    "prevention",
    "partnership",
    "the",
    "and",
    "of",
    "to",
    "in",
    "for",
    "should",
    "must",
    "power",
    "place",
    "services",
    "public",
    "health",
    "growth",
    "plan",
]
N_CODINGS = 20_000
N_CODES = 40
REPEATS = 200


def make_text(rng: random.Random) -> tuple[str, list[Block]]:
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    words = 0
    section = 0
    while words < 250_000:
        if words // 2500 >= section:
            section += 1
            heading = f"Section {section}: {' '.join(rng.choices(WORDS, k=4)).title()}"
            blocks.append(Block(BlockKind.HEADING, pos, pos + len(heading), level=1))
            parts.append(heading)
            pos += len(heading) + 1
        n = rng.randint(60, 140)
        para = " ".join(rng.choices(WORDS, k=n)).capitalize() + "."
        blocks.append(Block(BlockKind.PARAGRAPH, pos, pos + len(para)))
        parts.append(para)
        pos += len(para) + 1
        words += n
    return "\n".join(parts), blocks


def build_project(path: Path, with_codings: bool) -> tuple[Project, object, list[Code]]:
    rng = random.Random(7)
    project = Project.create(path, starter=False)
    codes = [
        project.codebook.add(Code(new_id(), f"Code {i:02d}", f"#{rng.randrange(0x1000000):06x}"))
        for i in range(N_CODES)
    ]
    text, blocks = make_text(rng)
    doc_id = project.documents.add(
        ExtractedDocument(text, tuple(blocks), (), DocumentMetadata(title="Large"), "text")
    )
    coders = [project.coders.ensure(f"Coder {i}") for i in range(3)]
    if with_codings:
        now = utcnow()
        with project.db.transaction() as s:
            for _ in range(N_CODINGS):
                start = rng.randrange(0, len(text) - 2000)
                end = start + rng.randint(20, 1200)
                s.add(
                    coding_to_row(
                        Coding(
                            new_id(),
                            doc_id,
                            rng.choice(codes).id,
                            rng.choice(coders).id,
                            start,
                            end,
                            text[start:end],
                            "",
                            now,
                            now,
                        )
                    )
                )
    return project, doc_id, codes


def first_paint_bare(text: str) -> float:
    t = time.perf_counter()
    edit = QTextEdit()
    edit.resize(1000, 800)
    edit.setReadOnly(True)
    edit.setPlainText(text)
    edit.show()
    edit.viewport().grab()
    elapsed = time.perf_counter() - t
    edit.close()
    return elapsed


def first_paint_ours(window: MainWindow, doc_id) -> tuple[float, float]:
    """Time to the first painted screen, and to everything loaded (list, counts, index)."""
    window.open_document(None)
    QApplication.processEvents()
    # What the running event loop does between user actions, and processEvents() alone
    # does not: delete the objects scheduled with deleteLater() (the previous document).
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    done: list[float] = []
    window.open_finished.connect(lambda _d: done.append(time.perf_counter()))
    t = time.perf_counter()
    window.open_document(doc_id)
    window.view.viewport().grab()
    first = time.perf_counter() - t
    # A fast first paint must also be a right one: the screen's codings are drawn.
    assert window.view.index.overlapping(*window.view.visible_span()) == [] or window.view._runs
    while not done:
        QApplication.processEvents()
    window.open_finished.disconnect()
    return first, done[-1] - t


def apply_times(window: MainWindow, codes: list[Code], rng: random.Random) -> list[float]:
    view = window.view
    out = []
    for _ in range(REPEATS):
        start = rng.randrange(0, len(view.text) - 500)
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.to_qt(start))
        cursor.setPosition(view.to_qt(start + 80), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)  # also scrolls there, as a user's selection would be
        view.viewport().repaint()
        t = time.perf_counter()
        coding = window.apply_code(rng.choice(codes).id)
        view.viewport().repaint()  # action -> committed -> repainted
        out.append(time.perf_counter() - t)
        assert coding is not None
    return out


def scroll_cost(edit: QTextEdit) -> list[float]:
    """Time to move one page and render it, at each page of the document."""
    bar = edit.verticalScrollBar()
    bar.setValue(0)
    times = []
    while bar.value() < bar.maximum():
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())  # our view refreshes highlights here
        edit.viewport().grab()  # forces a full paint, like the screen would
        times.append(time.perf_counter() - t)
    return times


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp())
    os.environ["ANNOTATOR_HOME"] = str(tmp / "home")
    rows: list[tuple[str, str, str, str]] = []

    for label, with_codings in (("empty", False), ("20,000 codings", True)):
        project, doc_id, codes = build_project(tmp / f"{label[:5]}.annotator", with_codings)
        coder = project.coders.ensure("Coder 0")
        controller = ProjectController(project, coder)
        window = MainWindow(controller, Settings(coder_name="Coder 0"))
        window.resize(1400, 900)
        window.show()
        controller.set_show_mode(ShowMode.ALL)
        text = project.documents.get(doc_id).text
        QApplication.processEvents()
        settle_memory()  # as the app does once its window is up
        bare = statistics.median(first_paint_bare(text) for _ in range(3))
        runs = [first_paint_ours(window, doc_id) for _ in range(3)]
        ours = statistics.median(r[0] for r in runs)
        full = statistics.median(r[1] for r in runs)
        rows.append(
            (
                f"open to first paint ({label})",
                f"{ours * 1000:.1f} ms",
                f"{bare * 1000:.1f} ms bare QTextEdit",
                f"{ours / bare:.2f}x",
            )
        )
        rows.append(
            (
                f"open to everything loaded ({label})",
                f"{full * 1000:.1f} ms",
                f"{bare * 1000:.1f} ms bare QTextEdit",
                f"{full / bare:.2f}x",
            )
        )
        times = apply_times(window, codes, random.Random(3))
        rows.append(
            (
                f"apply one coding, median ({label})",
                f"{statistics.median(times) * 1000:.2f} ms",
                "",
                "",
            )
        )
        rows.append(
            (f"apply one coding, p95 ({label})", f"{pct(times, 0.95) * 1000:.2f} ms", "", "")
        )
        if with_codings:
            ours_scroll = scroll_cost(window.view)
            bare_edit = QTextEdit()
            bare_edit.resize(window.view.size())
            bare_edit.setPlainText(text)
            bare_edit.show()
            bare_scroll = scroll_cost(bare_edit)
            n = len(ours_scroll)
            first = statistics.median(ours_scroll[: n // 10])
            last = statistics.median(ours_scroll[-(n // 10) :])
            rows.append(
                (
                    "scroll one page, median (whole document)",
                    f"{statistics.median(ours_scroll) * 1000:.2f} ms",
                    f"{statistics.median(bare_scroll) * 1000:.2f} ms bare",
                    f"{statistics.median(ours_scroll) / statistics.median(bare_scroll):.2f}x",
                )
            )
            rows.append(
                (
                    "scroll: first 10% vs last 10% of pages",
                    f"{first * 1000:.2f} ms",
                    f"{last * 1000:.2f} ms",
                    f"{n} pages",
                )
            )
            bare_edit.close()
        window.close()
        project.close()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(("peak memory (whole run, RSS)", f"{peak:.0f} MiB", "", ""))
    print(f"text length: {len(text):,} characters; codings: {N_CODINGS:,}; codes: {N_CODES}")
    print("| measure | ours | baseline | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    del app


if __name__ == "__main__":
    main()
