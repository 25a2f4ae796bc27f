"""Search, retrieval and saved queries on real projects (SQLite files)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import delete

from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coding, new_id
from annotator.domain.structure import (
    Block,
    BlockKind,
    DocumentMetadata,
    ExtractedDocument,
    Page,
    paragraph_blocks,
)
from annotator.domain.text_search import SearchOptions, compile_query
from annotator.services.analysis_scope import AnalysisFilters, AttributeFilter
from annotator.services.project import Project
from annotator.services.retrieval import Context
from annotator.services.saved_queries import QueryKind, SavedQuery
from annotator.services.text_search import Fts5Index, ScanAll, Unit, sort_kwic, text_index
from annotator.storage.models import DocumentRow

TEXT_A = (
    "Summary\n"
    "We recommend that councils act. The Café should open early.\n"
    "Funding must rise. Nothing else matters.\n"
)
TEXT_B = "Résumé of the review\nThe government urges councils to act. We RECOMMEND more funding.\n"


def _doc(project: Project, text: str, title: str, date: str | None = None, **attrs) -> object:
    blocks = (Block(BlockKind.HEADING, 0, text.index("\n"), level=1), *paragraph_blocks(text)[1:])
    pages = (Page(1, 0, len(text) // 2, "i"), Page(2, len(text) // 2, len(text), "ii"))
    meta = DocumentMetadata(title=title, date=date, attributes=dict(attrs))
    return project.documents.add(ExtractedDocument(text, blocks, pages, meta, "text"))


@pytest.fixture
def two(project_path: Path):
    project = Project.create(project_path, starter=False)
    a = _doc(project, TEXT_A, "A", "2019-05-01", kind="report")
    b = _doc(project, TEXT_B, "B", "2021-02-01", kind="response")
    yield project, a, b
    project.close()


def test_words_phrases_prefixes_case_and_accents(two) -> None:
    project, a, b = two
    hits = list(project.search.hits("we recommend"))
    assert [(h.document_id, h.line.hit) for h in hits] == [(a, "We recommend"), (b, "We RECOMMEND")]
    assert [h.line.hit for h in project.search.hits("cafe")] == ["Café"]
    assert list(project.search.hits("cafe", SearchOptions(accent_sensitive=True))) == []
    assert [h.line.hit for h in project.search.hits("resume")] == ["Résumé"]
    assert [
        h.line.hit for h in project.search.hits("recommend", SearchOptions(case_sensitive=True))
    ] == ["recommend"]
    assert [h.line.hit for h in project.search.hits("coun*")] == ["councils", "councils"]
    assert [h.line.hit for h in project.search.hits("should, urges")] == ["should", "urges"]
    hits = list(project.search.hits(r"\bmust\s+\w+", SearchOptions(regex=True)))
    assert [h.line.hit for h in hits] == ["must rise"]
    # offsets are code points of the stored text
    for h in project.search.hits("café, résumé"):
        text = project.documents.get(h.document_id).text
        assert text[h.start : h.end] == h.line.hit


def test_kwic_lines_sort_by_either_side(two) -> None:
    project, _, _ = two
    hits = list(project.search.hits("councils", width=12))
    for h, text in zip(hits, (TEXT_A, TEXT_B), strict=True):
        assert h.line.left == text[h.start - 12 : h.start].replace("\n", " ")
        assert h.line.right == text[h.end : h.end + 12].replace("\n", " ")
    by_left = sort_kwic(hits, "left")
    assert [h.line.left.split()[-1] for h in by_left] == ["that", "urges"]
    by_right = sort_kwic(hits, "right")
    assert by_right[0].line.right.startswith(" act")


def test_bad_queries_are_refused_with_a_message() -> None:
    with pytest.raises(ValidationError, match="regular expression"):
        compile_query("(unclosed", SearchOptions(regex=True))
    with pytest.raises(ValidationError, match="empty"):
        compile_query(" , ")
    with pytest.raises(ValidationError, match="empty text"):
        compile_query("a*", SearchOptions(regex=True))


@pytest.mark.sqlite_only  # the FTS5 index is SQLite's; PostgreSQL scans (ScanAll)
def test_the_index_follows_inserts_and_deletes(two) -> None:
    project, _a, b = two
    with project.db.reader() as s:
        assert isinstance(text_index(s), Fts5Index)
        assert text_index(s).candidates(s, "urges", SearchOptions()) == {b}
    c = _doc(project, "Ministers urges nothing.\n", "C")
    with project.db.transaction() as s:  # no service deletes documents yet: the trigger does
        s.execute(delete(DocumentRow).where(DocumentRow.id == b))
    with project.db.reader() as s:
        assert text_index(s).candidates(s, "urges", SearchOptions()) == {c}
    assert [h.document_id for h in project.search.hits("urges")] == [c]
    raw = sqlite3.connect(project.path)
    try:
        assert raw.execute("SELECT count(*) FROM document_fts_map").fetchone()[0] == 2
    finally:
        raw.close()


def test_the_scan_fallback_finds_the_same_hits(two, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _, _ = two
    indexed = [(h.document_id, h.start) for h in project.search.hits("act*, funding")]
    monkeypatch.setattr("annotator.services.text_search.text_index", lambda s: ScanAll())
    assert [(h.document_id, h.start) for h in project.search.hits("act*, funding")] == indexed


def test_search_filters_by_attribute_and_date(two) -> None:
    project, a, b = two
    only_b = AnalysisFilters(attributes=(AttributeFilter("kind", equals="Response"),))
    assert set(project.search.counts("councils", filters=only_b)) == {b}
    dated = AnalysisFilters(attributes=(AttributeFilter("date", low="2019", high="2020"),))
    assert set(project.search.counts("councils", filters=dated)) == {a}
    with pytest.raises(ValidationError, match="No document group"):
        project.search.counts("x", filters=AnalysisFilters(groups=("nope",)))


def test_autocode_sentences_with_preview_and_one_undo(two) -> None:
    project, _a, _b = two
    code = project.codebook.add(Code(new_id(), "Candidate", "#aa0000"))
    coder = project.coders.ensure("ann")
    preview = project.search.autocode_preview(
        "we recommend", SearchOptions(), Unit.SENTENCE, code.id, coder.id
    )
    assert [c.quote for c in preview] == [
        "We recommend that councils act.",
        "We RECOMMEND more funding.",
    ]
    assert project.codings.all() == []  # a preview stores nothing
    stored = project.search.autocode(preview)
    assert len(project.codings.all()) == 2
    again = project.search.autocode_preview(
        "we recommend", SearchOptions(), Unit.SENTENCE, code.id, coder.id
    )
    assert again == []  # already coded
    para = project.search.autocode_preview(
        "funding", SearchOptions(), Unit.PARAGRAPH, code.id, coder.id
    )
    assert [c.quote for c in para] == [
        "Funding must rise. Nothing else matters.",
        TEXT_B.splitlines()[1],
    ]
    project.codings.remove([c.id for c in stored])  # the undo
    assert project.codings.all() == []


def test_retrieval_context_page_section_and_coding_all_results(two) -> None:
    project, a, _b = two
    x = project.codebook.add(Code(new_id(), "X", "#111111"))
    y = project.codebook.add(Code(new_id(), "Y", "#222222"))
    target = project.codebook.add(Code(new_id(), "Target", "#333333"))
    ann = project.coders.ensure("ann")
    start = TEXT_A.index("councils")
    project.codings.add(Coding(new_id(), a, x.id, ann.id, start, start + 8, "", memo="who acts"))
    project.codings.add(Coding(new_id(), a, y.id, ann.id, start + 9, start + 12, ""))
    passages = project.retrieval.retrieve("X SAME SENTENCE Y")
    assert len(passages) == 1
    p = passages[0]
    assert (p.text, p.context_before, p.context_after) == (
        "councils",
        "We recommend that ",
        " act.",
    )
    assert (p.section, p.page, p.codes, p.coders, p.memos) == (
        "Summary",
        "i",
        ("X",),
        ("ann",),
        ("who acts",),
    )
    para = project.retrieval.retrieve("X", context=Context.PARAGRAPH)[0]
    assert para.context_after.endswith("open early.")
    assert project.retrieval.retrieve("X AND NOT Y")[0].text == "councils"
    assert project.retrieval.retrieve("X OVERLAPS Y") == []
    result = project.retrieval.run("X OR Y")
    made = project.retrieval.code_passages(result.refs, target.id, ann.id)
    assert [c.quote for c in made] == ["councils", "act"]
    assert project.retrieval.code_passages(result.refs, target.id, ann.id) == []  # no doubles
    with pytest.raises(ValidationError, match="No code named"):
        project.retrieval.run("Z")


def test_saved_queries_and_the_built_in_search(two) -> None:
    project, _, _ = two
    names = [q.name for q in project.saved_queries.list(QueryKind.SEARCH)]
    assert names == ["candidate recommendations"]
    built_in = project.saved_queries.get(QueryKind.SEARCH, "candidate recommendations")
    found = {h.line.hit.casefold() for h in project.search.hits(built_in.query)}
    assert {"we recommend", "should", "must", "urges"} <= found
    project.saved_queries.save(
        SavedQuery(QueryKind.RETRIEVAL, "mine", "X AND NOT Y", {"coders": ["ann"]})
    )
    project.saved_queries.save(SavedQuery(QueryKind.RETRIEVAL, "mine", "X OR Y"))
    path = project.path
    project.close()
    reopened = Project.open(path)
    try:
        assert [(q.name, q.query) for q in reopened.saved_queries.list(QueryKind.RETRIEVAL)] == [
            ("mine", "X OR Y")
        ]
        reopened.saved_queries.delete(QueryKind.RETRIEVAL, "mine")
        assert reopened.saved_queries.list(QueryKind.RETRIEVAL) == []
    finally:
        reopened.close()
