import json
import uuid
from pathlib import Path

import pytest

from annotator.domain.codebook import code_path
from annotator.domain.errors import ProjectFileError
from annotator.services.project import Project, create_sample_project, open_or_create_sample
from annotator.services.starter import starter_code_id, starter_codes

REPO = Path(__file__).resolve().parents[2]


def test_starter_codebook_has_two_groups_with_defined_codes(project: Project):
    codes = project.codebook.list()
    by_id = {c.id: c for c in codes}
    tops = sorted(c.name for c in codes if c.parent_id is None)
    assert tops == ["Recommendations", "Themes"]
    for code in codes:
        assert code.definition, code.name
        assert code.color.startswith("#")
        if code.codable:
            assert code.inclusion and code.exclusion and code.example_typical, code.name
    kinds = {code_path(c, by_id).split("/")[0]: set() for c in codes}
    for c in codes:
        if c.codable:
            kinds[code_path(c, by_id).split("/")[0]].add(c.kind)
    assert kinds == {"Recommendations": {"recommendation"}, "Themes": {"theme"}}
    assert sorted(c.shortcut for c in codes if c.shortcut) == [str(d) for d in range(1, 9)]


def test_starter_code_ids_are_stable_across_projects(tmp_path: Path):
    a = Project.create(tmp_path / "a.annotator")
    b = Project.create(tmp_path / "b.annotator")
    try:
        assert {c.id for c in a.codebook.list()} == {c.id for c in b.codebook.list()}
        assert a.info().id != b.info().id
    finally:
        a.close()
        b.close()


def test_empty_project_has_no_codes(tmp_path: Path):
    p = Project.create(tmp_path / "e.annotator", starter=False)
    assert p.codebook.list() == []
    p.close()


def test_existing_file_is_never_overwritten(project: Project):
    with pytest.raises(ProjectFileError, match="already exists"):
        Project.create(project.path)


def test_sample_project_documents_and_metadata(sample: Project):
    catalog = json.loads((REPO / "sample_docs" / "catalog.json").read_text(encoding="utf-8"))
    docs = sample.documents.list()
    assert [d.title for d in docs] == [e["title"] for e in catalog["documents"]]
    for summary, entry in zip(docs, catalog["documents"], strict=True):
        doc = sample.documents.get(summary.id)
        seed = (REPO / "sample_docs" / entry["file"]).read_text(encoding="utf-8")
        assert doc.text == seed
        assert doc.metadata.publisher == entry["publisher"]
        assert doc.metadata.date == entry["date"]
        _name, data = sample.documents.original_file(summary.id)
        assert data == (REPO / "sample_docs" / entry["file"]).read_bytes()
    localis = sample.documents.get(docs[3].id)
    assert localis.metadata.date == "2024-09-12"
    assert "12 September, 2024" in localis.text


def test_sample_codings_quote_their_text(sample: Project):
    codings = sample.codings.all()
    assert len(codings) >= 20
    for c in codings:
        assert sample.documents.get(c.document_id).text[c.start : c.end] == c.quote
    assert {x.name for x in sample.coders.list()} == {"Sample coder A", "Sample coder B"}


def test_sample_project_is_created_once_and_never_overwritten(tmp_path: Path):
    path = tmp_path / "s.annotator"
    first = open_or_create_sample(path)
    doc = first.documents.list()[-1]
    coder = first.coders.ensure("Me")
    from annotator.domain.model import Coding

    first.codings.add(
        Coding(uuid.uuid4(), doc.id, starter_code_id("Themes/Community power"), coder.id, 0, 5, "")
    )
    first.close()
    again = open_or_create_sample(path)
    assert any(c.coder_id == coder.id for c in again.codings.all())
    again.close()
    with pytest.raises(ProjectFileError):
        create_sample_project(path)


def test_starter_paths_resolve():
    ids = {c.id for c in starter_codes()}
    assert starter_code_id("Themes/Prevention") in ids
