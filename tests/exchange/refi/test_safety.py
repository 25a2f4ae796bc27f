"""Hostile or broken files give a clear message and leave the project exactly as it was."""

from __future__ import annotations

import uuid
import zipfile

import pytest

from annotator.domain.errors import AnnotatorError
from annotator.services import refi_import
from annotator.services.refi import export_project, import_qdc, import_qdpx, merge
from tests.exchange.refi.helpers import Sel, Src, make_qde, make_qdpx, snapshot

TEXT = "One line of text.\nAnother line."
CODE, USER = uuid.uuid4(), uuid.uuid4()


def _file(tmp_path, selections, *, with_source=True):
    src = Src("S", selections)
    qde = make_qde(origin="X", codes=[(CODE, "C")], users=[(USER, "U")], sources=[src])
    files = {f"sources/{src.guid}.txt": TEXT.encode()} if with_source else {}
    return make_qdpx(tmp_path / "f.qdpx", qde, files)


def _refused(project, path, match: str, **kwargs) -> str:
    before = snapshot(project)
    with pytest.raises(AnnotatorError, match=match) as info:
        import_qdpx(project, path, **kwargs)
    assert path.name in str(info.value)
    assert snapshot(project) == before
    return str(info.value)


def test_xxe_is_refused(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    qde = (
        f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
    )
    _refused(project, make_qdpx(tmp_path / "xxe.qdpx", qde, {}), "DTD")


def test_billion_laughs_is_refused(project, tmp_path):
    lol = "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' if i else '<!ENTITY l0 "lol">' for i in range(10)
    )
    qde = f'<?xml version="1.0"?><!DOCTYPE P [{lol}]><Project name="&l9;"/>'
    path = tmp_path / "laughs.qde"
    path.write_text(qde)
    _refused(project, path, "refused for safety")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt"])
def test_zip_slip_is_refused(project, tmp_path, name):
    path = make_qdpx(
        tmp_path / "slip.qdpx", make_qde(origin="X", codes=[], users=[], sources=[]), {name: b"x"}
    )
    _refused(project, path, "outside the archive")


def test_zip_bomb_is_refused_before_inflating(project, tmp_path):
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", make_qde(origin="X", codes=[], users=[], sources=[]))
        with archive.open("sources/big.txt", "w", force_zip64=True) as handle:
            for _ in range(64):
                handle.write(b"\0" * 1024 * 1024)
    _refused(project, path, "zip bomb")


def test_not_a_zip_and_missing_qde(project, tmp_path):
    junk = tmp_path / "junk.qdpx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(project, junk, "not a readable")
    empty = tmp_path / "noqde.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("sources/a.txt", "a")
    _refused(project, empty, "no .qde")


def test_missing_source_file_is_refused_then_partial(project, tmp_path):
    path = _file(tmp_path, [Sel(0, 3, "One", CODE, USER)], with_source=False)
    _refused(project, path, "missing from the archive")
    report = import_qdpx(project, path, accept_partial=True)
    assert report.codings_added == 0 and report.problems


def test_position_past_the_end_is_refused_then_partial(project, tmp_path):
    path = _file(tmp_path, [Sel(0, 3, "One", CODE, USER), Sel(5, 999, None, CODE, USER)])
    message = _refused(project, path, "past the end")
    assert "[5, 999)" in message
    report = import_qdpx(project, path, accept_partial=True)
    assert report.codings_added == 1
    assert [c.quote for c in project.codings.all()] == ["One"]


def test_end_before_start_is_refused(project, tmp_path):
    path = _file(tmp_path, [Sel(9, 4, None, CODE, USER)])
    _refused(project, path, "ends before it starts")


def test_failure_halfway_leaves_the_project_unchanged(sample, project, tmp_path, monkeypatch):
    out = tmp_path / "sample.qdpx"
    export_project(sample, out)
    calls = {"n": 0}
    original = refi_import.ProjectStore.coding_values

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 12:
            raise RuntimeError("disk on fire")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(refi_import.ProjectStore, "coding_values", failing)
    before = snapshot(project)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_qdpx(project, out)
    assert snapshot(project) == before


def test_cancel_stores_nothing(sample, project, tmp_path):
    out = tmp_path / "sample.qdpx"
    export_project(sample, out)
    before = snapshot(project)
    report = merge(project, out, add_unmatched=True, cancelled=lambda: True)
    assert report.cancelled and "nothing" in report.summary()
    assert snapshot(project) == before


def test_broken_codebook_file_is_refused(project, tmp_path):
    path = tmp_path / "broken.qdc"
    path.write_text("<CodeBook><Codes><Code")
    before = snapshot(project)
    with pytest.raises(AnnotatorError, match=r"broken\.qdc: .*not well-formed"):
        import_qdc(project, path)
    assert snapshot(project) == before
