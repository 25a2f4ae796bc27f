"""Exports validate against the REFI-QDA schemas, are deterministic and exact."""

from __future__ import annotations

import uuid
import zipfile

import pytest
from lxml import etree

from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.refi import export_codebook, export_project
from tests.exchange.refi.helpers import assert_valid, needs_shared, qde_bytes

pytestmark = needs_shared
NS = {"q": "urn:QDA-XML:project:1.0"}


def test_project_export_validates_and_covers_everything(sample, tmp_path):
    out = tmp_path / "sample.qdpx"
    summary = export_project(sample, out)
    assert (summary.documents, summary.codings, summary.coders) == (5, 21, 2)
    qde = qde_bytes(out)
    assert_valid(qde, "Project.xsd")
    root = etree.fromstring(qde)
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 21
    assert len(root.findall("q:Users/q:User", NS)) == 2
    assert root.find(".//q:Variables", NS) is not None
    # Nested codebook with folders.
    assert root.find("q:CodeBook/q:Codes/q:Code[@isCodable='false']/q:Code", NS) is not None


def test_source_files_are_lf_utf8_without_bom_and_positions_are_code_points(sample, tmp_path):
    out = tmp_path / "sample.qdpx"
    export_project(sample, out)
    root = etree.fromstring(qde_bytes(out))
    with zipfile.ZipFile(out) as archive:
        for source in root.iterfind(".//q:TextSource", NS):
            name = source.get("plainTextPath").removeprefix("internal://")
            data = archive.read(f"sources/{name}")
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            text = data.decode("utf-8")
            assert text == sample.documents.get(uuid.UUID(source.get("guid"))).text
            for sel in source.iterfind("q:PlainTextSelection", NS):
                quote = text[int(sel.get("startPosition")) : int(sel.get("endPosition"))]
                assert quote == sel.get("name")


def test_two_exports_are_byte_identical(sample, tmp_path):
    export_project(sample, tmp_path / "a.qdpx")
    export_project(sample, tmp_path / "b.qdpx")
    assert qde_bytes(tmp_path / "a.qdpx") == qde_bytes(tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_filtered_export_validates_and_keeps_code_ancestors(sample, tmp_path):
    coder = sample.coders.find("Sample coder A")
    codes = [c for c in sample.codebook.list() if c.name == "Recommendation"]
    docs = sample.documents.list()[:2]
    out = tmp_path / "part.qdpx"
    summary = export_project(sample, out, coders=[coder.id], documents=docs, codes=codes)
    qde = qde_bytes(out)
    assert_valid(qde, "Project.xsd")
    root = etree.fromstring(qde)
    assert [u.get("name") for u in root.iterfind(".//q:User", NS)] == ["Sample coder A"]
    assert summary.documents == 2
    refs = {r.get("targetGUID") for r in root.iterfind(".//q:CodeRef", NS)}
    assert refs <= {str(codes[0].id)}
    names = [c.get("name") for c in root.iterfind(".//q:Code", NS)]
    assert names == ["Recommendations", "Recommendation"]


def test_export_filters_by_name_and_refuses_unknown_names(sample, tmp_path):
    summary = export_project(sample, tmp_path / "b.qdpx", coders=["Sample coder B"])
    assert summary.coders == 1
    from annotator.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="no coder 'Nobody'"):
        export_project(sample, tmp_path / "c.qdpx", coders=["Nobody"])
    assert not (tmp_path / "c.qdpx").exists()


def test_emoji_control_characters_and_memos_export_validly(project, tmp_path):
    text = "Fund 😀 councils\nnow\x0c and \x01 later"
    doc_id = project.documents.add(
        ExtractedDocument(text, paragraph_blocks(text), (), DocumentMetadata(title="E"), "text")
    )
    coder = project.coders.ensure("C")
    code = next(c for c in project.codebook.list() if c.codable)
    project.codings.add(
        Coding(new_id(), doc_id, code.id, coder.id, 5, 20, "", memo="memo\r\nwith CR & <tags>")
    )
    out = tmp_path / "e.qdpx"
    export_project(project, out)
    assert_valid(qde_bytes(out), "Project.xsd")


def test_codebook_export_validates(sample, tmp_path):
    out = tmp_path / "book.qdc"
    summary = export_codebook(sample, out)
    assert summary.codes == len(sample.codebook.list())
    assert_valid(out.read_bytes(), "Codebook.xsd")
