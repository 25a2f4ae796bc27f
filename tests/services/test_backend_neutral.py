"""What SQLite tolerates and PostgreSQL refuses: the services must behave alike on both."""

from __future__ import annotations

import pytest

from annotator.domain.errors import ValidationError
from annotator.domain.model import Coding, new_id
from annotator.domain.structure import DocumentMetadata, ExtractedDocument
from annotator.services.project import Project


def _doc(text: str, **meta: object) -> ExtractedDocument:
    return ExtractedDocument(text, (), (), DocumentMetadata(**meta), "text")


def test_overlong_metadata_is_clipped_alike(project: Project):
    doc_id = project.documents.add(
        _doc(
            "Some text.",
            title="T" * 900,
            author="A" * 900,
            publisher="P" * 900,
            date="2024-01-01 " + "x" * 90,
            attributes={"k" * 400: "v"},
        )
    )
    doc = project.documents.get(doc_id)
    assert len(doc.title) == 500
    assert doc.metadata.author == "A" * 500
    assert doc.metadata.publisher == "P" * 500
    assert len(doc.metadata.date) == 40
    assert list(doc.metadata.attributes) == ["k" * 200]


def test_nul_characters_are_refused_alike(project: Project):
    with pytest.raises(ValidationError, match="NUL"):
        project.documents.add(_doc("before\x00after"))
    assert project.documents.list() == []


def test_nul_in_a_memo_is_refused_alike(sample: Project):
    doc = sample.documents.list()[0]
    text = sample.documents.get(doc.id).text
    coder = sample.coders.ensure("Tester")
    code = next(c for c in sample.codebook.list() if c.codable)
    coding = Coding(new_id(), doc.id, code.id, coder.id, 0, 4, text[:4], memo="a\x00b")
    before = sample.codings.all()
    with pytest.raises(ValidationError, match="NUL"):
        sample.codings.add(coding)
    assert sample.codings.all() == before


def test_names_sort_alike_on_both_backends(project: Project):
    for name in ("beta", "Alpha", "alpha", "Zed", "éclair", "_under"):
        project.coders.ensure(name)
    names = [c.name for c in project.coders.list()]
    assert names == sorted(names)  # code point order, as SQLite's BINARY collation


def test_code_with_nul_or_overlong_kind_is_refused_alike(project: Project):
    from annotator.domain.model import Code

    before = project.codebook.list()
    for bad in (
        Code(new_id(), "Nul\x00name", "#112233"),
        Code(new_id(), "Fine", "#112233", definition="a\x00b"),
        Code(new_id(), "Kindly", "#112233", kind="k" * 41),
    ):
        with pytest.raises(ValidationError):
            project.codebook.add(bad)
    assert project.codebook.list() == before


def test_two_clients_ensuring_the_same_coder_get_one_row(project: Project, project_path):
    import threading

    others = [Project.open(project_path) for _ in range(4)]
    results: list = []
    errors: list = []
    gate = threading.Barrier(len(others))

    def ensure(p: Project) -> None:
        gate.wait()
        try:
            results.append(p.coders.ensure("Same Person"))
        except Exception as exc:  # pragma: no cover - the failure this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=ensure, args=(p,)) for p in others]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        for p in others:
            p.close()
    assert errors == []
    assert len({c.id for c in results}) == 1
    assert [c.name for c in project.coders.list()].count("Same Person") == 1
