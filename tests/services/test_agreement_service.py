"""The agreement service: gathering a project's codings into build_report's inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotator.agreement import AgreementCancelledError, CodedSpan, build_report, report_to_json
from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.domain.sentences import sentence_spans
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, ExtractedDocument
from annotator.services.agreement import (
    AgreementRequest,
    AgreementService,
    document_labels,
    paragraph_units,
    write_report,
)
from annotator.services.starter import starter_code_id

PAIR = ("Sample coder A", "Sample coder B")
WHEN = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def _direct_spans(project) -> tuple[list[CodedSpan], dict[str, int]]:
    """The sample's codings as CodedSpans, built independently of the service."""
    docs = project.documents.list()
    titles = {d.id: d.title for d in docs}
    names = {c.id: c.name for c in project.coders.list()}
    codes = {c.id: c for c in project.codebook.list()}

    def path(code_id):
        parts = []
        while code_id is not None:
            parts.append(codes[code_id].name)
            code_id = codes[code_id].parent_id
        return "/".join(reversed(parts))

    spans = [
        CodedSpan(names[c.coder_id], titles[c.document_id], path(c.code_id), c.start, c.end)
        for c in project.codings.all()
    ]
    return spans, {d.title: d.length for d in docs}


@pytest.mark.parametrize("unit", ["character", "segment"])
def test_sample_report_matches_build_report(sample, unit: str):
    result = AgreementService(sample).compute(
        AgreementRequest(PAIR, unit=unit, bootstrap=50, seed=7)
    )
    spans, lengths = _direct_spans(sample)
    codes = result.report.settings.codes
    direct = build_report(
        spans, lengths, list(PAIR), codes=codes, unit=unit, bootstrap=50, seed=7, created=WHEN
    )
    ours = result.report
    assert len(spans) == 21 and ours.settings.documents == tuple(lengths)
    # Every code used by the sample coders is compared, each once.
    assert set(codes) == {s.code for s in spans}
    same = type(ours)(
        ours.settings, ours.code_rows, ours.pooled, ours.document_rows, ours.pair_rows, WHEN,
        ours.app_version,
    )  # fmt: skip
    assert report_to_json(same) == report_to_json(direct)


def test_sentence_units_are_the_documents_sentences(sample):
    service = AgreementService(sample)
    docs = sample.documents.list()
    units = service.unit_spans(docs, "sentence")
    first = sample.documents.get(docs[0].id)
    assert units[docs[0].title] == sentence_spans(first.text, first.blocks)
    result = service.compute(AgreementRequest(PAIR, unit="sentence"))
    assert result.report.pooled.n_units == sum(len(u) for u in units.values()) * len(
        result.report.settings.codes
    )


def test_paragraph_units_fall_back_to_lines_and_never_overlap(project):
    text = "Heading\n\nFirst paragraph here.\nSecond line.\n"
    extracted = ExtractedDocument(text, (), (), DocumentMetadata(title="Plain"), "text")
    doc_id = project.documents.add(extracted)
    structured = ExtractedDocument(
        "Intro text. More.\nItem one",
        (Block(BlockKind.PARAGRAPH, 0, 17), Block(BlockKind.LIST_ITEM, 12, 26)),
        (),
        DocumentMetadata(title="Blocks"),
        "text",
    )
    project.documents.add(structured)
    service = AgreementService(project)
    units = service.unit_spans(project.documents.list(), "paragraph")
    assert units["Plain"] == [(0, 7), (9, 30), (31, 43)]
    assert units["Blocks"] == [(0, 17), (17, 26)]  # the list item clipped after the paragraph
    assert paragraph_units([(5, 9), (0, 10), (10, 12)]) == [(0, 10), (10, 12)]
    assert doc_id is not None


def test_filters_by_code_document_and_coder_uuid(sample):
    service = AgreementService(sample)
    a, b = (sample.coders.find(n) for n in PAIR)
    first = sample.documents.list()[0]
    result = service.compute(
        AgreementRequest((str(a.id), b.name), documents=(first.title,), codes=("Themes",))
    )
    s = result.report.settings
    assert s.coders == PAIR and s.documents == (first.title,)
    assert s.codes and all(c.startswith("Themes/") for c in s.codes)
    # Codes asked for by name are all compared, used or not (unused ones are undefined).
    themes = starter_code_id("Themes")
    expected = {c.id for c in sample.codebook.list() if c.parent_id == themes and c.codable}
    assert {result.code_ids[c] for c in s.codes} == expected
    only = service.compute(AgreementRequest(PAIR, codes=("Recommendations",), descendants=False))
    assert only.report.settings.codes == ()  # a folder alone: nothing codable to compare
    leaf = service.compute(AgreementRequest(PAIR, codes=("themes/fiscal devolution",)))
    assert leaf.report.settings.codes == ("Themes/Fiscal devolution",)
    assert leaf.code_ids["Themes/Fiscal devolution"] == starter_code_id("Themes/Fiscal devolution")
    assert result.document_ids[first.title] == first.id


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (AgreementRequest(("Sample coder A", "Nobody")), "no coder 'Nobody'"),
        (AgreementRequest(("Sample coder A", "Sample coder A")), "two different coders"),
        (AgreementRequest(PAIR, codes=("Themes/Nope",)), "no code 'Themes/Nope'"),
        (AgreementRequest(PAIR, documents=("Missing",)), "no document 'Missing'"),
        (AgreementRequest(PAIR, unit="word"), "unit must be one of"),
    ],
)
def test_unknown_names_are_refused(sample, request_, message):
    with pytest.raises(ValidationError, match=message):
        AgreementService(sample).compute(request_)


def test_duplicate_titles_get_distinct_labels(project):
    for text in ("One text.", "Another text."):
        meta = DocumentMetadata(title="Same title")
        project.documents.add(ExtractedDocument(text, (), (), meta, "text"))
    labels = document_labels(project.documents.list())
    assert len(set(labels.values())) == 2
    assert all(v.startswith("Same title [") for v in labels.values())


def test_progress_and_cancel(sample):
    seen: list[tuple[int, int]] = []
    service = AgreementService(sample)
    service.compute(AgreementRequest(PAIR), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] > 1
    with pytest.raises(AgreementCancelledError):
        service.compute(AgreementRequest(PAIR), cancelled=lambda: True)


def test_consensus_coder_is_compared_like_any_coder(sample):
    judge = sample.coders.ensure("Adjudicated")
    for c in sample.codings.all({sample.coders.find("Sample coder A").id}):
        sample.codings.add(c.with_changes(id=new_id(), coder_id=judge.id))
    result = AgreementService(sample).compute(AgreementRequest(("Sample coder A", "Adjudicated")))
    alpha = result.report.pooled.value("krippendorff_alpha")
    assert alpha is not None and alpha.value == pytest.approx(1.0)


def test_write_report_files(sample, tmp_path: Path):
    report = AgreementService(sample).compute(AgreementRequest(PAIR)).report
    out = tmp_path / "out"
    out.mkdir()
    for fmt, marker in (("html", "<!DOCTYPE html>"), ("csv", "# annotator"), ("json", '"rows"')):
        path = write_report(report, out / f"r.{fmt}", fmt)
        assert marker in path.read_text(encoding="utf-8")
    with pytest.raises(ValidationError):
        write_report(report, out / "r.xml", "xml")
    assert sorted(p.name for p in out.iterdir()) == ["r.csv", "r.html", "r.json"]


def test_codings_outside_chosen_documents_are_ignored(sample):
    docs = sample.documents.list()
    a = sample.coders.find("Sample coder A")
    code = starter_code_id("Themes/Prevention")
    text = sample.documents.get(docs[1].id).text
    sample.codings.add(Coding(new_id(), docs[1].id, code, a.id, 0, 5, text[:5]))
    one = AgreementService(sample).compute(AgreementRequest(PAIR, documents=(str(docs[0].id),)))
    assert one.report.pooled.n_units == docs[0].length * len(one.report.settings.codes)
