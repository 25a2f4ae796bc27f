from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from conftest import assert_well_formed, block_texts

from annotator.exchange.importers import ImportProblem, extract

SAMPLE = "Klimaschutz für alle – „Grüße“ aus Köln\nZweite Zeile: café, naïve, 5 €.\n"


def _write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_without_bom(tmp_path: Path) -> None:
    doc = extract(_write(tmp_path, SAMPLE.encode("utf-8")))
    assert doc.text == SAMPLE
    assert doc.source_format == "text"
    assert doc.original == SAMPLE.encode("utf-8")
    assert doc.original_name == "doc.txt"
    assert_well_formed(doc)


def test_utf8_with_bom_drops_the_bom(tmp_path: Path) -> None:
    doc = extract(_write(tmp_path, codecs.BOM_UTF8 + SAMPLE.encode("utf-8")))
    assert doc.text == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, encoding: str) -> None:
    data = SAMPLE.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    doc = extract(_write(tmp_path, data))
    assert doc.text == SAMPLE


@pytest.mark.parametrize(
    "sample",
    [
        "Café “quoted” – naïve résumé text\nSecond line is here.\n",
        SAMPLE,
        "Le ministère a décidé… « élève » été\n",
    ],
)
def test_windows_1252(tmp_path: Path, sample: str) -> None:
    doc = extract(_write(tmp_path, sample.encode("cp1252")))
    assert doc.text == sample
    assert doc.metadata.attributes["encoding"] == "cp1252"


def test_cyrillic_single_byte_is_detected(tmp_path: Path) -> None:
    sample = "Съешь же ещё этих мягких французских булок, да выпей же чаю.\n" * 3
    doc = extract(_write(tmp_path, sample.encode("cp1251")))
    assert doc.text == sample


def test_crlf_and_cr_are_normalised(tmp_path: Path) -> None:
    doc = extract(_write(tmp_path, b"one\r\ntwo\rthree\r\n"))
    assert doc.text == "one\ntwo\nthree\n"


def test_no_unicode_normalisation(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 and cafe\u0301\n"
    doc = extract(_write(tmp_path, decomposed.encode("utf-8")))
    assert doc.text == decomposed


def test_paragraphs_are_non_blank_lines_and_title_is_first_line(tmp_path: Path) -> None:
    doc = extract(_write(tmp_path, b"\n\n  National Climate Plan  \n\nFirst para.\n  \nSecond.\n"))
    assert block_texts(doc) == ["National Climate Plan", "First para.", "Second."]
    assert doc.metadata.title == "National Climate Plan"
    assert_well_formed(doc)


def test_a_first_line_that_is_a_sentence_or_too_long_is_no_title(tmp_path: Path) -> None:
    # Issue #13: a text that starts with its first sentence has no title of its own.
    assert extract(_write(tmp_path, ("word " * 100).encode())).metadata.title is None
    sentence = b"Whitehall must hand power to local communities, says a report.\nMore.\n"
    assert extract(_write(tmp_path, sentence)).metadata.title is None


@pytest.mark.parametrize(
    ("content", "title"),
    [
        # A saved news page (one of the seed texts): the label before the headline goes.
        (
            "Advertisement\n\nNew Locality study makes the case for strengthening localism\n\n"
            "Locality has published the results of a year-long study.\n",
            "New Locality study makes the case for strengthening localism",
        ),
        ("Closing the gaps\n\nLevelling up requires a reinvention.\n", "Closing the gaps"),
        ("Skip to content\nMenu\nWhy devolution matters?\nText.\n", "Why devolution matters?"),
        ("Advertisement\n\nThe report was published today.\n", None),
        ("Devolution\n\nThe report was published today.\n", None),  # a lone word: a label
        ("lower case start of a line\nText.\n", None),
    ],
)
def test_title_only_from_a_first_line_that_looks_like_one(
    tmp_path: Path, content: str, title: str | None
) -> None:
    assert extract(_write(tmp_path, content.encode())).metadata.title == title


def test_binary_renamed_txt_is_refused(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(ImportProblem, match="binary"):
        extract(_write(tmp_path, png, "picture.txt"))


def test_control_characters_are_refused(tmp_path: Path) -> None:
    data = ("abc\x01\x02\x03\x04" * 50).encode("utf-8")
    with pytest.raises(ImportProblem, match="binary"):
        extract(_write(tmp_path, data))


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    rng = random.Random(1)
    data = bytes(rng.randrange(1, 256) for _ in range(5000))
    with pytest.raises(ImportProblem) as info:
        extract(_write(tmp_path, data))
    assert "encoding" in info.value.reason or "binary" in info.value.reason


def test_broken_utf16_after_bom_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="UTF-16"):
        extract(_write(tmp_path, codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00"))


def test_blank_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="no text"):
        extract(_write(tmp_path, b"  \n\r\n\t\n"))


SEED_DOCS = Path(__file__).resolve().parents[3].parent / "shared" / "seed_docs"


@pytest.mark.skipif(
    not SEED_DOCS.is_dir(), reason="../shared/seed_docs is not beside this checkout"
)
def test_no_seed_text_is_titled_advertisement() -> None:
    titles = [extract(path).metadata.title for path in sorted(SEED_DOCS.glob("*.txt"))]
    assert titles, "no seed texts"
    assert "Advertisement" not in titles
    assert "New Locality study makes the case for strengthening localism" in titles
