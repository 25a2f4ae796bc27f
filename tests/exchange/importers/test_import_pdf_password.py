"""PDFs with a user password (issue #13, item 6): asked for, used, never stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.exchange.importers import ImportOptions, PasswordRequired, extract
from annotator.services.importing import Outcome, import_files
from annotator.services.project import Project

reportlab = pytest.importorskip("reportlab")
from reportlab.lib import pdfencrypt  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

PASSWORD = "Tr0ub4dor-and-3"
TEXT = "Confidential text of the protected report"


def _locked(path: Path) -> Path:
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(PASSWORD))
    c.drawString(72, 700, TEXT)
    c.showPage()
    c.save()
    return path


def test_the_importer_asks_for_the_password_then_opens_with_it(tmp_path: Path) -> None:
    path = _locked(tmp_path / "locked.pdf")
    with pytest.raises(PasswordRequired) as info:
        extract(path)
    assert not info.value.wrong and "password" in info.value.reason
    with pytest.raises(PasswordRequired) as info:
        extract(path, options=ImportOptions(password="wrong"))
    assert info.value.wrong
    assert extract(path, options=ImportOptions(password=PASSWORD)).text == TEXT


def test_the_password_is_not_in_repr_metadata_or_project(tmp_path: Path) -> None:
    path = _locked(tmp_path / "locked.pdf")
    assert PASSWORD not in repr(ImportOptions(password=PASSWORD))
    doc = extract(path, options=ImportOptions(password=PASSWORD))
    assert PASSWORD not in repr(doc.metadata)
    project = Project.create(tmp_path / "p.annotator", starter=False)
    asked: list[tuple[str, bool]] = []

    def ask(file: Path, wrong: bool) -> str | None:
        asked.append((file.name, wrong))
        return "guess" if len(asked) == 1 else PASSWORD

    try:
        report = import_files(project.documents, [path], ask_password=ask)
    finally:
        project.close()
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED]
    assert asked == [("locked.pdf", False), ("locked.pdf", True)]
    # Nowhere in the stored project: every file of it, as bytes.
    for stored in tmp_path.glob("p.annotator*"):
        assert PASSWORD.encode() not in stored.read_bytes()
    reopened = Project.open(tmp_path / "p.annotator")
    try:
        assert len(reopened.documents.list()) == 1
    finally:
        reopened.close()


def test_giving_up_fails_only_that_file(tmp_path: Path) -> None:
    path = _locked(tmp_path / "locked.pdf")
    project = Project.create(tmp_path / "p.annotator", starter=False)
    try:
        report = import_files(project.documents, [path], ask_password=lambda f, w: None)
    finally:
        project.close()
    assert report.results[0].outcome is Outcome.FAILED
    assert "password" in report.results[0].reason


def test_cli_takes_password_and_refuses_without_one(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _locked(tmp_path / "locked.pdf")
    project = tmp_path / "p.annotator"
    assert main(["new", str(project), "--empty"]) == 0
    # Not a terminal (pytest captures stdin): no prompt, a clear refusal.
    assert main(["import", str(project), str(path)]) == 1
    assert "protected by a password" in capsys.readouterr().out
    assert main(["import", str(project), str(path), "--password", PASSWORD]) == 0
    assert "imported  " in capsys.readouterr().out
    assert PASSWORD.encode() not in project.read_bytes()


def test_owner_password_only_pdf_needs_no_password(tmp_path: Path) -> None:
    real = Path(__file__).resolve().parents[3].parent / "shared/real-docs"
    path = real / "pdf_copy-protected-aes-ownerpw.pdf"
    if not path.is_file():
        pytest.skip("../shared/real-docs is not beside this checkout")
    assert "LayoutParser" in extract(path).text


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal (POSIX)")
def test_cli_asks_on_a_terminal_without_echo(tmp_path: Path) -> None:
    import pty
    import select
    import subprocess
    import sys

    path = _locked(tmp_path / "locked.pdf")
    project = tmp_path / "p.annotator"
    assert main(["new", str(project), "--empty"]) == 0
    leader, follower = pty.openpty()
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", str(project), str(path)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes, seconds: float = 60) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([leader], [], [], seconds)
            assert ready, f"no {marker!r} in {seen!r}"
            try:
                chunk = os.read(leader, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk

    try:
        read_until(b"Password for locked.pdf")
        os.write(leader, b"wrong\n")
        read_until(b"Wrong password; try again")
        os.write(leader, PASSWORD.encode() + b"\n")
        read_until(b"1 imported")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    assert PASSWORD.encode() not in seen  # not echoed
    assert PASSWORD.encode() not in project.read_bytes()
