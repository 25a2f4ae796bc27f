"""Merging a coder's work, importing codebooks, and the command line."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from annotator.cli import main
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.services.project import Project, create_sample_project
from annotator.services.refi import export_codebook, export_project, import_qdc, import_qdpx, merge
from tests.exchange.refi.helpers import snapshot


@pytest.fixture
def coder_copy(sample, tmp_path):
    """A coder's project made from the lead's export, with new work by 'Coder C'."""
    lead_file = tmp_path / "lead.qdpx"
    export_project(sample, lead_file)
    theirs = Project.create(tmp_path / "coder.annotator", starter=False)
    import_qdpx(theirs, lead_file)
    coder = theirs.coders.ensure("Coder C")
    doc = theirs.documents.list()[0]
    code = next(c for c in theirs.codebook.list() if c.codable)
    theirs.codings.add(Coding(new_id(), doc.id, code.id, coder.id, 0, 9, "", memo="new"))
    yield theirs
    theirs.close()


def test_merge_reports_unmatched_coder_and_is_idempotent(sample, coder_copy, tmp_path):
    out = tmp_path / "coder.qdpx"
    export_project(coder_copy, out)
    before = snapshot(sample)
    report = merge(sample, out)
    assert report.codings_added == 0 and report.codings_unchanged == 21
    assert any("coder 'Coder C'" in line and "1 coding" in line for line in report.unmatched)
    assert snapshot(sample) == before
    added = merge(sample, out, add_unmatched=True)
    assert (added.codings_added, added.coders_added) == (1, 1)
    after = snapshot(sample)
    again = merge(sample, out, add_unmatched=True)
    assert again.codings_added == 0 and again.coders_added == 0
    assert snapshot(sample) == after
    assert any(line.startswith("Merged coder.qdpx") for line in again.lines())


def test_merge_matches_documents_by_text_not_name(sample, coder_copy, tmp_path):
    doc = coder_copy.documents.list()[0]
    coder_copy.documents.update_metadata(doc.id, replace(doc.metadata, title="X"))
    out = tmp_path / "coder.qdpx"
    export_project(coder_copy, out)
    report = merge(sample, out)
    assert report.documents_matched == 5 and report.documents_added == 0


def test_merge_reports_unmatched_documents_and_codes(sample, tmp_path):
    other = create_sample_project(tmp_path / "other.annotator")
    from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks

    text = "A text only the coder has."
    doc_id = other.documents.add(
        ExtractedDocument(text, paragraph_blocks(text), (), DocumentMetadata(title="New"), "text")
    )
    coder = other.coders.find("Sample coder A")
    code = next(c for c in other.codebook.list() if c.codable)
    other.codings.add(Coding(new_id(), doc_id, code.id, coder.id, 0, 6, ""))
    out = tmp_path / "other.qdpx"
    export_project(other, out)
    other.close()
    report = merge(sample, out)
    assert any("document 'New'" in line for line in report.unmatched)
    assert report.documents_matched == 5


def test_codebook_import_adds_updates_and_leaves_alone(sample, project, tmp_path):
    book = tmp_path / "book.qdc"
    code = next(c for c in sample.codebook.list() if c.name == "Recommendation")
    sample.codebook.update(code.with_changes(definition="Changed definition.", color="#123456"))
    from annotator.domain.model import Code

    sample.codebook.add(Code(id=uuid.uuid4(), name="Brand new", color="#abcdef"))
    export_codebook(sample, book)
    report = import_qdc(project, book)
    assert report.added == ["Brand new"]
    assert report.updated == ["Recommendations/Recommendation"]
    assert len(report.unchanged) == len(project.codebook.list()) - 2
    assert project.codebook.get(code.id).definition == "Changed definition."
    again = import_qdc(project, book)
    assert again.added == [] and again.updated == []


def test_codebook_import_matches_by_path_when_uuids_differ(project, tmp_path):
    book = tmp_path / "book.qdc"
    book.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes>'
        f'<Code guid="{{{str(uuid.uuid4()).upper()}}}" name="Themes" isCodable="false">'
        "<Description>Folder of themes</Description></Code></Codes></CodeBook>"
    )
    report = import_qdc(project, book)
    assert report.updated == ["Themes"] and report.added == []


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ('<Code guid="{a}" name="" isCodable="true"/>', "has no name"),
        (
            '<Code guid="{a}" name="Twin" isCodable="true"/>'
            '<Code guid="{b}" name="twin" isCodable="true"/>',
            "already a code called",
        ),
        (
            '<Code guid="{a}" name="P" isCodable="true"/><Code guid="{a}" name="Q" '
            'isCodable="true"/>',
            "more than one code",
        ),
    ],
)
def test_bad_codebooks_are_refused_and_nothing_is_stored(project, tmp_path, codes, message):
    book = tmp_path / "bad.qdc"
    body = codes.format(a=uuid.uuid4(), b=uuid.uuid4())
    book.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{body}</Codes></CodeBook>')
    before = snapshot(project)
    with pytest.raises(ValidationError, match=message):
        import_qdc(project, book)
    assert snapshot(project) == before


def test_codebook_cycle_is_refused(project, tmp_path):
    themes = next(c for c in project.codebook.list() if c.name == "Themes")
    book = tmp_path / "cycle.qdc"
    book.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{themes.id}" name="Themes" isCodable="false">'
        f'<Code guid="{str(themes.id).upper()}" name="Inner" isCodable="true"/></Code>'
        "</Codes></CodeBook>"
    )
    before = snapshot(project)
    with pytest.raises(ValidationError, match="cycle"):
        import_qdc(project, book)
    assert snapshot(project) == before


def test_cli_import_and_merge(sample, tmp_path, capsys):
    out = tmp_path / "s.qdpx"
    export_project(sample, out)
    target = tmp_path / "t.annotator"
    assert main(["new", str(target), "--empty"]) == 0
    assert main(["import", str(target), str(out)]) == 0
    assert "21 codings added" in capsys.readouterr().out
    assert main(["merge", str(target), str(out)]) == 0
    assert "0 codings added" in capsys.readouterr().out
    book = tmp_path / "b.qdc"
    export_codebook(sample, book)
    assert main(["import", str(target), str(book)]) == 0
    assert "Codebook b.qdc" in capsys.readouterr().out
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"nope")
    assert main(["import", str(target), str(broken)]) == 1
    assert "broken.qdpx" in capsys.readouterr().out
