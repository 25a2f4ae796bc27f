from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from annotator.exchange.importers import (
    DEFAULT_LIMITS,
    SUPPORTED_SUFFIXES,
    ImportLimits,
    ImportProblem,
    extract,
    iter_supported,
)


def test_supported_suffixes() -> None:
    assert {
        ".pdf",
        ".docx",
        ".odt",
        ".html",
        ".htm",
        ".md",
        ".markdown",
        ".txt",
        ".rtf",
    } == SUPPORTED_SUFFIXES


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK whatever")
    with pytest.raises(ImportProblem) as info:
        extract(path)
    assert info.value.path == path
    assert ".xlsx" in info.value.reason
    assert str(info.value).startswith("data.xlsx: ")


def test_no_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "README"
    path.write_text("hello")
    with pytest.raises(ImportProblem, match="no extension"):
        extract(path)


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "NOTES.TXT"
    path.write_text("Hello there\n")
    assert extract(path).text == "Hello there\n"


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_zero_byte_file_is_refused_for_every_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(ImportProblem, match="empty") as info:
        extract(path)
    assert str(info.value).startswith(f"empty{suffix}: ")


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_too_large_file_is_refused_for_every_format(tmp_path: Path, suffix: str) -> None:
    tiny = ImportLimits(
        max_pdf_bytes=10,
        max_docx_bytes=10,
        max_odt_bytes=10,
        max_html_bytes=10,
        max_text_bytes=10,
        max_rtf_bytes=10,
    )
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b"x" * 11)
    with pytest.raises(ImportProblem, match="too large"):
        extract(path, tiny)


def test_missing_file_is_an_import_problem(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="does not exist"):
        extract(tmp_path / "gone.txt")


def test_text_length_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 100)
    with pytest.raises(ImportProblem, match="too long"):
        extract(path, ImportLimits(max_text_chars=50))


def test_limits_are_frozen_with_documented_defaults() -> None:
    assert ImportLimits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_zip_ratio == 200.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LIMITS.max_text_chars = 1  # type: ignore[misc]


def test_iter_supported_expands_folders_sorted_and_not_recursively(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["b.PDF", "a.txt", "c.xlsx", ".hidden.txt", "d.md"]:
        (folder / name).write_bytes(b"x")
    (folder / "sub").mkdir()
    (folder / "sub" / "e.txt").write_bytes(b"x")
    single = tmp_path / "z.html"
    single.write_bytes(b"x")
    other = tmp_path / "y.exe"
    other.write_bytes(b"x")
    result = iter_supported([single, folder, other, folder / "a.txt"])
    assert [p.name for p in result] == ["z.html", "a.txt", "b.PDF", "d.md"]


def test_import_problem_attributes() -> None:
    problem = ImportProblem(Path("/x/report.pdf"), "it is broken")
    assert problem.path == Path("/x/report.pdf")
    assert problem.reason == "it is broken"
    assert str(problem) == "report.pdf: it is broken"
