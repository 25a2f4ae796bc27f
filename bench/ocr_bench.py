"""OCR benchmark: seconds per page of Tesseract through the PDF importer (issue #13).

Run with ``python3 bench/ocr_bench.py`` (needs Tesseract with English data, and the test
extras reportlab and Pillow to make the scans); ``--pages N`` and ``--dpi D`` change the
scan. Prints a Markdown table: pages, seconds in all, seconds per page, word accuracy
against the text drawn, and the mean confidence Tesseract reported. The scans are
generated: known text is drawn, each page rendered to an image and wrapped as a PDF
without a text layer.
"""

from __future__ import annotations

import argparse
import difflib
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.exchange.importers import ImportOptions, extract

WORDS = [
    "policy", "climate", "energy", "target", "emission", "reduction", "sector", "government",
    "council", "housing", "plan", "review", "residents", "budget", "committee", "report",
    "evidence", "public", "health", "strategy", "local", "transport", "funding", "national",
    "regional", "programme", "evaluation", "recommendation", "response",
]  # fmt: skip


def _scan(path: Path, pages: int, dpi: int, seed: int) -> str:
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    drawn: list[str] = []
    text_pdf = io.BytesIO()
    c = canvas.Canvas(text_pdf, pagesize=A4)
    for _ in range(pages):
        c.setFont("Helvetica", 11)
        y = A4[1] - 72
        while y > 72:
            line = " ".join(rng.choice(WORDS) for _ in range(9)).capitalize() + "."
            drawn.append(line)
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    document = pdfium.PdfDocument(text_pdf.getvalue())
    c = canvas.Canvas(str(path), pagesize=A4)
    for index in range(len(document)):
        image = document[index].render(scale=dpi / 72, grayscale=True).to_pil()
        c.drawImage(ImageReader(image), 0, 0, *A4)
        c.showPage()
    c.save()
    return " ".join(drawn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the scan")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.pdf"
        expected = _scan(path, args.pages, args.dpi, seed=13)
        start = time.perf_counter()
        doc = extract(path, options=ImportOptions(ocr=True))
        seconds = time.perf_counter() - start
    want, got = expected.split(), doc.text.split()
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    accuracy = sum(b.size for b in matcher.get_matching_blocks()) / len(want)
    attributes = doc.metadata.attributes
    print("| pages | scan dpi | seconds | seconds per page | word accuracy | mean confidence |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.pages} | {args.dpi} | {seconds:.1f} | {seconds / args.pages:.2f} | "
        f"{accuracy:.3f} | {attributes['ocr_mean_confidence']} |"
    )
    print(
        f"\n{attributes['ocr_engine']} {attributes['ocr_engine_version']}, "
        f"language {attributes['ocr_language']}, pages rendered at {attributes['ocr_dpi']} dpi."
    )


if __name__ == "__main__":
    main()
