"""Importing plain text and Markdown through the service: per-file outcomes, nothing partial."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.structure import BlockKind
from annotator.services.importing import Outcome, import_files
from annotator.services.project import Project


def _files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "good.txt": b"Councils should value prevention.\r\nSecond paragraph.\r\n",
        "bom.txt": "\ufeffA text with a byte-order mark.\n".encode(),
        "notes.md": b"# Findings\n\nCouncils *should* act.\n\n1. Devolve power\n2. Fund it\n",
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 40,
        "image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    }
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    return out


def test_each_file_gets_an_outcome_and_failures_store_nothing(project: Project, tmp_path: Path):
    files = _files(tmp_path)
    report = import_files(project.documents, list(files.values()))
    outcome = {r.path.name: r for r in report.results}
    assert outcome["good.txt"].outcome is Outcome.IMPORTED
    assert outcome["bom.txt"].outcome is Outcome.IMPORTED
    assert outcome["notes.md"].outcome is Outcome.IMPORTED
    for bad in ("empty.txt", "binary.txt", "image.png"):
        assert outcome[bad].outcome is Outcome.FAILED, bad
        assert outcome[bad].reason
    titles = sorted(d.title for d in project.documents.list())
    assert len(titles) == 3
    good = project.documents.get(outcome["good.txt"].document_id)
    assert good.text == "Councils should value prevention.\nSecond paragraph.\n"
    bom = project.documents.get(outcome["bom.txt"].document_id)
    assert not bom.text.startswith("\ufeff")
    md = project.documents.get(outcome["notes.md"].document_id)
    assert "*" not in md.text and "#" not in md.text
    assert any(b.kind.value == "heading" for b in md.blocks)


def test_same_text_twice_is_skipped(project: Project, tmp_path: Path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Identical policy text.\n", encoding="utf-8")
    b.write_text("Identical policy text.\r\n", encoding="utf-8")  # same canonical text
    report = import_files(project.documents, [a, b])
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED, Outcome.SKIPPED]
    assert len(project.documents.list()) == 1


def test_cancel_keeps_finished_files_only(project: Project, tmp_path: Path):
    paths = []
    for i in range(5):
        p = tmp_path / f"doc{i}.txt"
        p.write_text(f"Document number {i}.\n", encoding="utf-8")
        paths.append(p)
    seen = []
    report = import_files(
        project.documents,
        paths,
        progress=lambda i, n, p: seen.append(i),
        cancelled=lambda: len(seen) >= 3,
    )
    assert report.cancelled
    assert len(project.documents.list()) == report.count(Outcome.IMPORTED) == 2


def test_folder_imports_supported_files(project: Project, tmp_path: Path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "one.txt").write_text("One.\n", encoding="utf-8")
    (folder / "two.md").write_text("# Two\n", encoding="utf-8")
    (folder / "skip.xyz").write_text("nope", encoding="utf-8")
    report = import_files(project.documents, [folder])
    assert sorted(r.path.name for r in report.results if r.outcome is Outcome.IMPORTED) == [
        "one.txt",
        "two.md",
    ]


def test_reading_view_gets_the_headings_of_the_stored_structure(project: Project, tmp_path: Path):
    source = tmp_path / "report.md"
    source.write_text(
        "# Title\n\nIntro.\n\n## One\n\n- a point\n- another\n\n## Two\n\nText.\n", encoding="utf-8"
    )
    doc_id = import_files(project.documents, [source]).results[0].document_id
    full = project.documents.get(doc_id)
    reading = project.documents.get(doc_id, kinds=[BlockKind.HEADING])
    assert reading.text == full.text and reading.pages == full.pages
    assert len(full.blocks) > len(reading.blocks) == 3
    assert reading.blocks == tuple(b for b in full.blocks if b.kind.value == "heading")
