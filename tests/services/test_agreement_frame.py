"""Issue 14, item 5: agreement compares the documents the coders coded, not every document."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.agreement.render import fixed, methods_paragraph
from annotator.domain.errors import ValidationError
from annotator.domain.structure import Block, BlockKind, DocumentMetadata, ExtractedDocument
from annotator.services.agreement import AgreementRequest, AgreementService

PAIR = ("Sample coder A", "Sample coder B")


def _add_long_uncoded(project) -> None:
    text = "An uncoded annex that nobody has read yet. " * 3000
    project.documents.add(
        ExtractedDocument(
            text=text,
            blocks=(Block(BlockKind.PARAGRAPH, 0, len(text)),),
            pages=(),
            metadata=DocumentMetadata(title="Long uncoded annex"),
            source_format="text",
        )
    )


def _pooled(result, measure):
    return result.report.pooled.value(measure).value


def test_an_uncoded_document_changes_nothing_by_default(sample):
    service = AgreementService(sample)
    before = service.compute(AgreementRequest(PAIR))
    _add_long_uncoded(sample)
    after = service.compute(AgreementRequest(PAIR))
    assert after.report.pooled.n_units == before.report.pooled.n_units
    assert "Long uncoded annex" not in after.report.settings.documents
    for measure in ("bennett_s", "gwet_ac1", "krippendorff_alpha", "percent_agreement"):
        assert _pooled(after, measure) == pytest.approx(_pooled(before, measure))
    every = service.compute(AgreementRequest(PAIR, frame="all"))
    assert every.report.pooled.n_units > 10 * after.report.pooled.n_units
    assert "Long uncoded annex" in every.report.settings.documents


def test_default_frame_is_documents_every_compared_coder_coded(sample):
    docs = {d.id: d.title for d in sample.documents.list()}
    names = {c.id: c.name for c in sample.coders.list()}
    coded: dict[str, set[str]] = {}
    for c in sample.codings.all():
        coded.setdefault(docs[c.document_id], set()).add(names[c.coder_id])
    both = {t for t, who in coded.items() if set(PAIR) <= who}
    anyone = {t for t, who in coded.items() if who & set(PAIR)}
    service = AgreementService(sample)
    assert set(service.compute(AgreementRequest(PAIR)).report.settings.documents) == both
    assert (
        set(service.compute(AgreementRequest(PAIR, frame="coded-by-any")).report.settings.documents)
        == anyone
    )
    assert len(docs) > len(anyone)  # the sample has an uncoded document


def test_methods_paragraph_states_the_frame(sample):
    _add_long_uncoded(sample)
    report = AgreementService(sample).compute(AgreementRequest(PAIR)).report
    text = methods_paragraph(report)
    n = len(report.settings.documents)
    assert f"assessed on {n} documents" in text
    assert "every compared coder made at least one coding" in text
    assert f"{n} of 6 documents" in text and "excluded" in text


def test_unknown_frame_and_empty_frame_are_clear_errors(sample):
    service = AgreementService(sample)
    with pytest.raises(ValidationError, match="frame must be one of"):
        service.compute(AgreementRequest(PAIR, frame="some"))
    _add_long_uncoded(sample)
    with pytest.raises(ValidationError, match="None of the 1 chosen documents"):
        service.compute(AgreementRequest(PAIR, documents=("Long uncoded annex",)))


def test_negative_zero_prints_as_zero():
    assert fixed(-0.0) == "0.000"
    assert fixed(-0.0002) == "0.000"
    assert fixed(-0.0006) == "-0.001"
    assert fixed(0.8125) == "0.812" or fixed(0.8125) == "0.813"


def test_cli_uses_the_same_frame_and_option(sample, tmp_path):
    _add_long_uncoded(sample)
    path = sample.path
    sample.close()

    def run(*extra):
        out = subprocess.run(
            [sys.executable, "-m", "annotator", "agreement", str(path), "--coders", *PAIR,
             "--format", "json", *extra],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    default = run()
    assert "Long uncoded annex" not in default["settings"]["documents"]
    assert "every compared coder" in default["methods"]
    assert "every compared coder" in default["settings"]["frame"]
    every = run("--frame", "all")
    assert "Long uncoded annex" in every["settings"]["documents"]
    table = subprocess.run(
        [sys.executable, "-m", "annotator", "agreement", str(path), "--coders", *PAIR],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert table.returncode == 0 and "-0.000" not in table.stdout
    assert "excluded" in table.stdout
