"""Importing REFI-QDA projects: the shared samples, other tools' conventions, our own files."""

from __future__ import annotations

import uuid

import pytest

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.project import Project
from annotator.services.refi import export_project, import_qdpx
from tests.exchange.refi.helpers import (
    ANNEX_QDE,
    ATLAS_QDPX,
    Sel,
    Src,
    make_qde,
    make_qdpx,
    needs_shared,
    snapshot,
    utf16_len,
)

CANONICAL = "Intro 😀 line\nThe 👍🏽 council budget\nCafé ☕ and 🎉 party\nEnd"
CODE = uuid.uuid4()
USER = uuid.uuid4()


@pytest.fixture
def empty(tmp_path):
    p = Project.create(tmp_path / "empty.annotator", starter=False)
    yield p
    p.close()


def _tool_position(index: int, *, utf16: bool, crlf_as_two: bool) -> int:
    prefix = CANONICAL[:index]
    if crlf_as_two:
        prefix = prefix.replace("\n", "\r\n")
    return utf16_len(prefix) if utf16 else len(prefix)


def _selections(quotes: list[str], *, utf16: bool, crlf_as_two: bool, names: bool = True):
    out = []
    for q in quotes:
        i = CANONICAL.index(q)
        out.append(
            Sel(
                _tool_position(i, utf16=utf16, crlf_as_two=crlf_as_two),
                _tool_position(i + len(q), utf16=utf16, crlf_as_two=crlf_as_two),
                q if names else "Quotation",
                CODE,
                USER,
            )
        )
    return out


QUOTES = ["👍🏽 council", "budget\nCafé ☕", "🎉 party\nEnd", "😀"]


def _tool_file(tmp_path, origin: str, *, utf16: bool, crlf_as_two: bool, names: bool = True):
    src = Src(
        "Interview.docx", _selections(QUOTES, utf16=utf16, crlf_as_two=crlf_as_two, names=names)
    )
    qde = make_qde(
        origin=origin,
        codes=[(CODE, "Budget")],
        users=[(USER, "Tool user")],
        sources=[src],
        upper_guids=True,
    )
    raw = "\ufeff" + CANONICAL.replace("\n", "\r\n")
    # "Sources/" in capitals and a .qde under another name, as some tools write them.
    files = {f"Sources/{str(src.guid).upper()}.txt": raw.encode("utf-8")}
    return make_qdpx(tmp_path / f"{origin}.qdpx", qde, files, qde_name="Export.qde")


def _quotes(project) -> list[str]:
    return sorted(c.quote for c in project.codings.all())


def test_nvivo_style_utf16_crlf_as_two_with_bom_lands_exactly(empty, tmp_path):
    path = _tool_file(tmp_path, "NVivo 14", utf16=True, crlf_as_two=True)
    report = import_qdpx(empty, path)
    assert _quotes(empty) == sorted(QUOTES)
    assert not [w for w in report.warnings if "positions" in w]
    doc = empty.documents.get(empty.documents.list()[0].id)
    assert doc.text == CANONICAL and doc.title == "Interview.docx"
    assert empty.coders.list()[0].name == "Tool user"


def test_atlas_style_code_points_crlf_as_one_lands_exactly(empty, tmp_path):
    path = _tool_file(tmp_path, "ATLAS.ti 23", utf16=False, crlf_as_two=False)
    report = import_qdpx(empty, path)
    assert _quotes(empty) == sorted(QUOTES)
    assert not [w for w in report.warnings if "positions" in w]


def test_wrong_unit_is_detected_from_names_and_warned(empty, tmp_path):
    # Claims to be ATLAS.ti (code points) but counts UTF-16 units with CRLF as two.
    path = _tool_file(tmp_path, "ATLAS.ti 23", utf16=True, crlf_as_two=True)
    report = import_qdpx(empty, path)
    assert _quotes(empty) == sorted(QUOTES)
    assert any("UTF-16 units, CRLF counted as 2" in w and "detected" in w for w in report.warnings)


def test_unverifiable_positions_are_warned_not_silently_shifted(empty, tmp_path):
    path = _tool_file(tmp_path, "NVivo 14", utf16=True, crlf_as_two=True, names=False)
    report = import_qdpx(empty, path)
    assert _quotes(empty) == sorted(QUOTES)  # the tool's convention is assumed
    assert any("could not be checked" in w for w in report.warnings)


def test_no_namespace_and_memos_from_notes(empty, tmp_path):
    note = uuid.uuid4()
    sel = _selections(["budget"], utf16=False, crlf_as_two=False)[0]
    sel.extra = f'<Description>why</Description><NoteRef targetGUID="{note}"/>'
    qde = make_qde(
        origin="MAXQDA",
        codes=[(CODE, "B")],
        users=[(USER, "U")],
        sources=[Src("S", [sel])],
        namespace=None,
    ).replace(
        "</Sources>",
        f'</Sources><Notes><Note guid="{note}" name="n"><PlainTextContent>see also'
        "</PlainTextContent></Note></Notes>",
    )
    src_guid = qde.split('TextSource guid="')[1].split('"')[0]
    path = make_qdpx(tmp_path / "m.qdpx", qde, {f"sources/{src_guid}.txt": CANONICAL.encode()})
    import_qdpx(empty, path)
    (coding,) = empty.codings.all()
    assert coding.quote == "budget" and coding.memo == "why\n\nsee also"


@needs_shared
def test_atlas_sample_imports_codebook_hierarchy_and_users(empty):
    report = import_qdpx(empty, ATLAS_QDPX)
    codes = {c.name: c for c in empty.codebook.list()}
    assert set(codes) == {"Commits", "2022-05-10T02:05:59Z 19e4dce", "2022-02-11T10:39:25Z cdbfd92"}
    assert codes["2022-05-10T02:05:59Z 19e4dce"].parent_id == codes["Commits"].id
    assert codes["Commits"].id == uuid.UUID("A182CD3A-D83C-4D8C-BC80-26D9103EC6D6")
    assert {c.name for c in empty.coders.list()} == {"Enric Llagostera", "ATLAS.ti"}
    assert report.coders_added == 2


@needs_shared
def test_annex_sample_is_refused_for_missing_sources_then_imported_partially(empty):
    before = snapshot(empty)
    with pytest.raises(Exception, match="missing from the archive") as info:
        import_qdpx(empty, ANNEX_QDE)
    assert "accept-partial" in str(info.value)
    assert snapshot(empty) == before
    report = import_qdpx(empty, ANNEX_QDE, accept_partial=True)
    codes = {c.name: c for c in empty.codebook.list()}
    assert codes["Coke"].color == "#966450"
    assert codes["Feelings"].definition == "thoughts about breakfast foods"
    assert codes["cornflakes"].definition == "breakfast cereal made by Kellogg’s"
    assert len(empty.coders.list()) == 3
    assert any("PDF source" in line for line in report.skipped)
    assert any("graph" in line for line in report.skipped)
    assert report.problems


def _enrich(sample) -> None:
    """Give the sample everything we model: memos, times, emoji, shortcut, kind."""
    text = "Emoji 😀 text\nwith two lines 👍🏽 end"
    doc_id = sample.documents.add(
        ExtractedDocument(
            text,
            paragraph_blocks(text),
            (),
            DocumentMetadata(title="Emoji", author="", date="2024", attributes={"k": "v\nw"}),
            "markdown",
        )
    )
    coder = sample.coders.find("Sample coder A")
    code = next(c for c in sample.codebook.list() if c.codable)
    sample.codebook.update(code.with_changes(memo="a\nmemo", example_atypical="x"))
    start = text.index("😀")
    sample.codings.add(
        Coding(new_id(), doc_id, code.id, coder.id, start, start + 10, "", memo="m\r\n<&>")
    )


def test_own_round_trip_is_lossless(sample, empty, tmp_path):
    _enrich(sample)
    out = tmp_path / "sample.qdpx"
    export_project(sample, out)
    report = import_qdpx(empty, out)
    assert not report.problems and not report.warnings, report.lines()
    assert snapshot(empty) == snapshot(sample)


@pytest.mark.parametrize("empty_as", ["file", "element"])
def test_nvivo15_empty_text_sources_are_left_out_with_a_warning(empty, tmp_path, empty_as):
    # NVivo 15 exports some text sources with an empty text (issue #13, item 7).
    full = Src("Interview.docx", _selections(QUOTES, utf16=True, crlf_as_two=True))
    blank = Src("Transcript (empty).docx", [Sel(0, 0, None, CODE, USER)])
    other = uuid.uuid4()
    qde = make_qde(
        origin="NVivo 15",
        codes=[(CODE, "Budget"), (other, "Housing")],
        users=[(USER, "Tool user")],
        sources=[full, blank],
    )
    if empty_as == "element":  # <PlainTextContent/> and no plainTextPath
        qde = qde.replace(
            f'plainTextPath="internal://{blank.guid}.txt">',
            "><PlainTextContent/>",
        )
        assert "<PlainTextContent/>" in qde
    raw = "\ufeff" + CANONICAL.replace("\n", "\r\n")
    files = {f"sources/{full.guid}.txt": raw.encode("utf-8")}
    if empty_as == "file":
        files[f"sources/{blank.guid}.txt"] = b""
    path = make_qdpx(tmp_path / "nvivo15.qdpx", qde, files)
    report = import_qdpx(empty, path)  # no accept_partial
    assert not report.problems
    assert [d.title for d in empty.documents.list()] == ["Interview.docx"]
    assert _quotes(empty) == sorted(QUOTES)
    assert {c.name for c in empty.codebook.list()} >= {"Budget", "Housing"}
    left_out = [w for w in report.warnings if "Transcript (empty).docx" in w]
    assert left_out and "left out" in left_out[0] and "1 coding" in left_out[0]
