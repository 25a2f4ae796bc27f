"""Import benchmark: PDF layout overhead and mixed-file throughput.

Run with ``python3 bench/import_bench.py`` (needs the test extras reportlab, python-docx
and odfpy to generate the inputs); ``--rounds 5`` repeats the PDF comparison and adds
each round's percentages and their median. Prints a Markdown table:

* a ~300-page text PDF (running header, page numbers, headings): ``extract()`` against the
  bare PDFium call on the same file (open, and ``get_text_range()`` per page); the
  difference is our layout work (segments, header/footer removal, reading order,
  paragraphs);
* 200 small files of mixed formats: wall time, files per second and peak memory (Python
  allocations by tracemalloc, and the process's maximum resident size).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.exchange.importers import extract

WORDS = [
    "policy",
    "climate",
    "energy",
    "target",
    "emission",
    "reduction",
    "sector",
    "government",
    "measure",
    "national",
    "regional",
    "support",
    "investment",
    "transport",
    "building",
    "renewable",
    "efficiency",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "by",
    "with",
    "a",
    "an",
    "is",
    "are",
    "will",
    "be",
]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_big_pdf(path: Path, pages: int = 300) -> int:
    """A text PDF of about ``pages`` pages; returns the real page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    rng = random.Random(0)
    styles = getSampleStyleSheet()

    def running(canvas: object, document: object) -> None:
        canvas.setFont("Helvetica", 8)  # type: ignore[attr-defined]
        canvas.drawString(72, 810, "National Energy and Climate Plan 2024")  # type: ignore[attr-defined]
        canvas.drawCentredString(297, 30, str(document.page))  # type: ignore[attr-defined]

    story = []
    chapters = max(1, pages // 10)
    for chapter in range(chapters):
        story.append(Paragraph(f"Chapter {chapter + 1}: {rng.choice(WORDS)}", styles["Heading1"]))
        for _ in range(100):
            text = " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(5))
            story.append(Paragraph(text, styles["BodyText"]))
    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=running, onLaterPages=running
    )
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def bare_pdfium(path: Path) -> int:
    """The bare library call: open the PDF and get each page's text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    total = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            total += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return total


def best_of(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def make_mixed(folder: Path, count: int) -> list[Path]:
    """``count`` small files spread over all supported formats."""
    import docx
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText
    from reportlab.pdfgen import canvas

    rng = random.Random(1)
    paths: list[Path] = []
    kinds = ["txt", "md", "html", "rtf", "docx", "odt", "pdf"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        paragraphs = [" ".join(sentence(rng, 12) for _ in range(4)) for _ in range(8)]
        path = folder / f"file{i:03d}.{kind}"
        if kind == "txt":
            path.write_text("Title line\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        elif kind == "md":
            body = "\n\n".join(paragraphs)
            path.write_text(f"# Title\n\n{body}\n\n1. one\n2. two\n", encoding="utf-8")
        elif kind == "html":
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            path.write_text(
                f"<html><head><title>T</title></head><body><nav>menu</nav><article>"
                f"<h1>Title</h1>{body}</article><footer>foot</footer></body></html>"
            )
        elif kind == "rtf":
            body = "\\par ".join(paragraphs)
            path.write_text("{\\rtf1\\ansi " + body + "\\par}", encoding="ascii")
        elif kind == "docx":
            document = docx.Document()
            document.add_heading("Title", 1)
            for p in paragraphs:
                document.add_paragraph(p)
            document.save(str(path))
        elif kind == "odt":
            odt = OpenDocumentText()
            odt.text.addElement(odf_text.H(outlinelevel=1, text="Title"))
            for p in paragraphs:
                odt.text.addElement(odf_text.P(text=p))
            odt.save(str(path))
        else:
            c = canvas.Canvas(str(path))
            y = 780.0
            for p in paragraphs:
                for start in range(0, len(p), 90):
                    c.drawString(72, y, p[start : start + 90])
                    y -= 14
                y -= 8
            c.showPage()
            c.save()
        paths.append(path)
    return paths


def _store(document: object, folder: Path) -> float:
    """Seconds to store one extracted document in a project (what File → Import does next)."""
    from annotator.services.project import Project

    target = folder / f"store-{time.perf_counter_ns()}.annotator"
    project = Project.create(target, starter=False)
    try:
        start = time.perf_counter()
        project.documents.add(document)  # type: ignore[arg-type]
        return time.perf_counter() - start
    finally:
        project.close()


def _gui_import(paths: list[Path], folder: Path) -> list[tuple[str, str]]:
    """Import ``paths`` through the GUI's worker while a 5 ms timer watches the event loop."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from annotator.gui.app import settle_memory
    from annotator.gui.exchange.import_runner import run_import
    from annotator.services.project import Project

    app = QApplication.instance() or QApplication([])
    project = Project.create(folder / "gui-import.annotator", starter=False)
    settle_memory()  # as the app does once its window is up
    parent = QWidget()
    clock = QElapsedTimer()
    gaps: list[int] = []
    clock.start()

    def tick() -> None:
        gaps.append(clock.restart())
        if len(gaps) == 1:
            # The first interval spans setting up the dialog and thread before the event
            # loop runs at all; the loop's responsiveness is measured from here on.
            gaps.clear()
            gaps.append(0)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    start = time.perf_counter()
    report = run_import(parent, project.documents, paths)
    elapsed = time.perf_counter() - start
    timer.stop()
    project.close()
    del app
    return [
        (f"{len(paths)} files through the GUI worker (extract + store)", f"{elapsed:.2f} s"),
        ("files imported / failed", f"{report.summary()}"),
        ("longest event-loop gap during the import (5 ms timer)", f"{max(gaps)} ms"),
    ]


def _more_rounds(
    pdf: Path, folder: Path, rounds: int, repeat: int, first: tuple[float, float, float]
) -> list[tuple[str, str]]:
    """Rows for ``rounds`` measurements of the PDF overhead (``first`` is the one above).

    Each round times the bare call, ``extract()`` and storing again, so every percentage
    compares with a bare call measured moments before it on the same machine.
    """
    results = [first]
    for _ in range(rounds - 1):
        bare = best_of(lambda: bare_pdfium(pdf), repeat)
        ours = best_of(lambda: extract(pdf), repeat)
        document = extract(pdf)
        store = min(_store(document, folder) for _ in range(repeat))
        results.append((bare, ours, store))
    extract_pcts = [100 * (ours - bare) / bare for bare, ours, _ in results]
    stored_pcts = [100 * (ours + store - bare) / bare for bare, ours, store in results]
    rows = [
        (
            f"round {i + 1}: extract() / extract() + store over the bare call",
            f"{e:.0f} % / {t:.0f} %",
        )
        for i, (e, t) in enumerate(zip(extract_pcts, stored_pcts, strict=True))
    ]
    rows.append(
        (
            f"median of {rounds} rounds: extract() / extract() + store over the bare call",
            f"{statistics.median(extract_pcts):.0f} % / {statistics.median(stored_pcts):.0f} %",
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure the PDF overhead this many times, each against its own bare call",
    )
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "big.pdf"
        page_count = make_big_pdf(pdf, args.pages)
        size_mib = pdf.stat().st_size / 2**20
        bare = best_of(lambda: bare_pdfium(pdf), args.repeat)
        ours = best_of(lambda: extract(pdf), args.repeat)
        document = extract(pdf)
        rows += [
            ("PDF pages / size", f"{page_count} pages, {size_mib:.1f} MiB"),
            ("bare pypdfium2 (open + get_text_range per page)", f"{bare:.3f} s"),
            ("extract() (layout, headers, paragraphs)", f"{ours:.3f} s"),
            ("extract() per page", f"{1000 * ours / page_count:.2f} ms"),
            ("our overhead over the bare call", f"{100 * (ours - bare) / bare:.0f} %"),
            ("extracted characters / blocks", f"{len(document.text):,} / {len(document.blocks):,}"),
        ]
        store = min(_store(document, folder) for _ in range(args.repeat))
        rows += [
            (
                "extract() + store in a project (blocks, pages, original bytes)",
                f"{ours + store:.3f} s",
            ),
            (
                "structure recovery + storage over the bare call",
                f"{100 * (ours + store - bare) / bare:.0f} %",
            ),
        ]
        del document
        if args.rounds > 1:
            rows += _more_rounds(pdf, folder, args.rounds, args.repeat, (bare, ours, store))

        mixed_dir = folder / "mixed"
        mixed_dir.mkdir()
        paths = make_mixed(mixed_dir, args.files)
        tracemalloc.start()
        start = time.perf_counter()
        characters = 0
        for path in paths:
            characters += len(extract(path).text)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows += [
            (f"{len(paths)} mixed small files (txt, md, html, rtf, docx, odt, pdf)", ""),
            ("total time (under tracemalloc)", f"{elapsed:.2f} s"),
            ("throughput", f"{len(paths) / elapsed:.0f} files/s"),
            ("characters extracted", f"{characters:,}"),
            ("peak Python memory (tracemalloc)", f"{peak / 2**20:.1f} MiB"),
            ("process max RSS (whole run, incl. the PDF part)", f"{max_rss:.0f} MiB"),
        ]
        rows += _gui_import(paths, folder)

    print("| measure | value |")
    print("| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
