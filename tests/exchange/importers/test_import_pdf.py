from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.domain.structure import BlockKind, page_at
from annotator.exchange.importers import ImportProblem, extract

reportlab = pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

WIDTH, HEIGHT = A4
HEADER = "Ministry of Tests — Annual Report 2024"


def _running(c: canvas.Canvas, number: int) -> None:
    c.setFont("Helvetica", 9)
    c.drawString(72, HEIGHT - 40, HEADER)
    c.drawCentredString(WIDTH / 2, 30, f"Page {number}")


def _lines(c: canvas.Canvas, x: float, y: float, lines: list[str], size: float = 11) -> float:
    c.setFont("Helvetica", size)
    for line in lines:
        c.drawString(x, y, line)
        y -= size * 1.3
    return y


def make_report(path: Path) -> None:
    """Four pages: heading + prose, a hyphenated word, a two-column page, a last page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Annual Report 2024")
    c.setAuthor("Ministry of Tests")
    # Page 1
    _running(c, 1)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, HEIGHT - 110, "Chapter One Overview")
    _lines(
        c,
        72,
        HEIGHT - 150,
        [
            "The government adopted a plan that reduces emissions in every",
            "sector of the economy by the year 2030 and it will be reviewed",
            "regularly by an independent council of experts.",
        ],
    )
    c.showPage()
    # Page 2: a word hyphenated across the line end
    _running(c, 2)
    _lines(
        c,
        72,
        HEIGHT - 110,
        [
            "Funding for the programme comes from a dedicated climate fund and",
            "the regional authorities will receive additional assis-",
            "tance for rural areas with weak public transport.",
        ],
    )
    c.showPage()
    # Page 3: two columns, drawn row by row (interleaved in the content stream)
    _running(c, 3)
    left = [
        "LEFTSTART the left column talks",
        "about renewable energy targets",
        "for wind and solar power that",
        "grow every year LEFTEND.",
    ]
    right = [
        "RIGHTSTART the right column",
        "describes transport measures",
        "such as rail investment and",
        "cycling lanes RIGHTEND.",
    ]
    c.setFont("Helvetica", 11)
    y = HEIGHT - 110
    for a, b in zip(left, right, strict=True):
        c.drawString(72, y, a)
        c.drawString(320, y, b)
        y -= 14
    c.showPage()
    # Page 4
    _running(c, 4)
    _lines(c, 72, HEIGHT - 110, ["Final remarks close the report."])
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    make_report(path)
    return extract(path)


def test_pages_tile_the_text_and_blocks_index_it(report) -> None:  # type: ignore[no-untyped-def]
    assert report.source_format == "pdf"
    assert len(report.pages) == 4
    assert_well_formed(report)
    assert [p.label for p in report.pages] == ["1", "2", "3", "4"]


def test_every_character_has_its_page(report) -> None:  # type: ignore[no-untyped-def]
    text = report.text
    for needle, number in [
        ("Chapter One", 1),
        ("independent council", 1),
        ("climate fund", 2),
        ("LEFTSTART", 3),
        ("RIGHTEND", 3),
        ("Final remarks", 4),
    ]:
        page = page_at(report.pages, text.index(needle))
        assert page is not None and page.number == number, needle


def test_running_headers_and_page_numbers_are_removed(report) -> None:  # type: ignore[no-untyped-def]
    assert HEADER not in report.text
    assert "Ministry of Tests" not in report.text
    assert "Page 1" not in report.text and "Page 3" not in report.text


def test_line_breaks_inside_paragraphs_are_removed(report) -> None:  # type: ignore[no-untyped-def]
    assert (
        "The government adopted a plan that reduces emissions in every sector of the economy "
        "by the year 2030 and it will be reviewed regularly by an independent council of "
        "experts." in report.text
    )


def test_hyphenated_word_is_rejoined(report) -> None:  # type: ignore[no-untyped-def]
    assert "additional assistance for rural areas" in report.text
    assert "assis-" not in report.text


def test_two_columns_are_read_column_by_column(report) -> None:  # type: ignore[no-untyped-def]
    text = report.text
    assert text.index("LEFTSTART") < text.index("LEFTEND") < text.index("RIGHTSTART")
    assert "grow every year LEFTEND." in text
    assert "RIGHTSTART the right column describes transport measures" in text


def test_heading_detected_from_font_size(report) -> None:  # type: ignore[no-untyped-def]
    headings = [report.text[b.start : b.end] for b in report.blocks if b.kind == "heading"]
    assert headings == ["Chapter One Overview"]
    assert report.blocks[0].kind is BlockKind.HEADING and report.blocks[0].level == 1


def test_metadata(report) -> None:  # type: ignore[no-untyped-def]
    assert report.metadata.title == "Annual Report 2024"
    assert report.metadata.author == "Ministry of Tests"
    assert report.metadata.date is not None and len(report.metadata.date) == 10
    assert report.metadata.attributes["page_count"] == "4"


def test_list_items_in_pdf(tmp_path: Path) -> None:
    path = tmp_path / "list.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 72, HEIGHT - 110, ["Intro sentence here.", "1. First measure", "2. Second one"])
    c.showPage()
    c.save()
    doc = extract(path)
    items = [(doc.text[b.start : b.end], b.label) for b in doc.blocks if b.kind == "list_item"]
    assert items == [("1. First measure", "1."), ("2. Second one", "2.")]
    assert_well_formed(doc)


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("RGB", (300, 200), "white").save(image)
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.drawImage(str(image), 72, 300, 400, 300)
        c.showPage()
    c.save()
    with pytest.raises(ImportProblem) as info:
        extract(path)
    assert "OCR" in info.value.reason
    assert str(info.value).startswith("scan.pdf: this PDF has no text layer")


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt

    path = tmp_path / "secret.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret"))
    c.drawString(72, 700, "Confidential text")
    c.showPage()
    c.save()
    with pytest.raises(ImportProblem, match="password"):
        extract(path)


def test_owner_password_only_pdf_is_readable(tmp_path: Path) -> None:
    from reportlab.lib import pdfencrypt

    path = tmp_path / "owner.pdf"
    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 700, "Readable protected text")
    c.showPage()
    c.save()
    assert extract(path).text == "Readable protected text"


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    make_report(whole)
    data = whole.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportProblem, match="truncated"):
        extract(path)


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    with pytest.raises(ImportProblem, match="damaged"):
        extract(path)


def test_not_a_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("just some text, renamed")
    with pytest.raises(ImportProblem, match="not a PDF"):
        extract(path)


def test_pdf_read_from_bytes_is_kept_as_original(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 700, "Hello PDF")
    c.showPage()
    c.save()
    path.write_bytes(buffer.getvalue())
    doc = extract(path)
    assert doc.original == buffer.getvalue()
    assert doc.original_name == "one.pdf"
    assert doc.text == "Hello PDF"


def test_paragraphs_set_apart_by_a_little_space_stay_apart(tmp_path: Path) -> None:
    # Word processors and reportlab's BodyText separate paragraphs by a few points of
    # extra space (6 pt at 10 pt type here), less than a blank line.
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    words = [
        "council",
        "government",
        "local",
        "should",
        "fund",
        "the",
        "plan",
        "and",
        "its",
        "partners",
    ]
    written = [
        " ".join(words[(i + j) % len(words)] for j in range(60 + i % 7)).capitalize() + "."
        for i in range(24)
    ]
    path = tmp_path / "spaced.pdf"
    style = getSampleStyleSheet()["BodyText"]
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(t, style) for t in written])
    doc = extract(path)
    assert_well_formed(doc)
    assert block_texts(doc, "paragraph") == written


def test_a_number_where_a_line_wraps_does_not_start_a_list_item(tmp_path: Path) -> None:
    path = tmp_path / "wrap.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(
        c,
        72,
        760,
        [
            "The inquiry met four times in the spring of",
            "2022. It heard from councils, charities and the",
            "health service, and it asked for a funding plan within",
            "a. few weeks of the report being published.",
        ],
    )
    c.showPage()
    c.save()
    doc = extract(path)
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH]
    assert "spring of 2022. It heard" in doc.text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (  # a compound the document writes hyphenated elsewhere keeps its hyphen
            [
                "Councils asked for a new self-",
                "assessment of their finances and for a conti-",
                "nuation of the grant. The first self-assessment is due in May.",
            ],
            ["a new self-assessment of their finances", "for a continuation of the grant"],
        ),
        (  # so does a break before a capital or a digit
            [
                "The exchange format is called QDA-",
                "XML and the pandemic recovery plan is known as COVID-",
                "19 recovery in the council's papers.",
            ],
            ["called QDA-XML and", "as COVID-19 recovery"],
        ),
    ],
)
def test_hyphens_at_line_ends_that_belong_to_the_word_are_kept(
    tmp_path: Path, lines: list[str], expected: list[str]
) -> None:
    path = tmp_path / "hyphens.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    _lines(c, 72, 760, lines)
    c.showPage()
    c.save()
    text = extract(path).text
    for phrase in expected:
        assert phrase in text
