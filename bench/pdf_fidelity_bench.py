"""PDF fidelity on the real reports (issue #13): furniture left and word coverage.

Run with ``python3 bench/pdf_fidelity_bench.py`` from a checkout that has
``../shared/real-docs`` beside it and poppler's ``pdftotext`` installed. For each text
PDF it prints the furniture lines (edge lines recurring on more than a third of the
pages) and how many times the worst of them survives the import, the word coverage
against ``pdftotext``, and the import time. The measures are in
``tests/exchange/importers/fidelity.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "exchange" / "importers"))

from fidelity import have_pdftotext, measure  # noqa: E402

from annotator.exchange.importers import extract  # noqa: E402

REAL_DOCS = ROOT.parent / "shared" / "real-docs"


def main() -> None:
    if not REAL_DOCS.is_dir() or not have_pdftotext():
        sys.exit("needs ../shared/real-docs beside the checkout and pdftotext on PATH")
    print("| document | pages | furniture lines | worst survivor | word coverage | seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for path in sorted(REAL_DOCS.glob("pdf_*.pdf")):
        start = time.perf_counter()
        doc = extract(path)
        seconds = time.perf_counter() - start
        found = measure(path, [doc.text[p.start : p.end] for p in doc.pages])
        print(
            f"| {path.stem} | {found.pages} | {len(found.furniture)} | "
            f"{found.worst_survivor} | {100 * found.coverage:.2f}% | {seconds:.1f} |"
        )


if __name__ == "__main__":
    main()
