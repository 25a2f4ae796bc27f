"""Property tests: every retrieval and search number equals the same computed independently
from the JSON Lines export (and the generated texts), on random projects with overlapping
codings by several coders and queries with NOT and positional operators.

The independent model works on Python sets of character offsets, not on runs, and knows
the sentences and paragraphs because it wrote the texts.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.model import Code, Coding, new_id
from annotator.domain.retrieval import And, CodeRef, Near, Not, Or, Position, parse_query
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.services.exporting import export_codings
from annotator.services.project import Project

CODES = ("Alpha", "Beta", "Gamma")
WORDS = ("policy", "should", "council", "we", "recommend", "funding", "local", "the")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty project with three codes and two coders, copied for every example."""
    path = tmp_path_factory.mktemp("template") / "t.annotator"
    project = Project.create(path, starter=False)
    for i, name in enumerate(CODES):
        project.codebook.add(Code(new_id(), name, "#336699", position=i))
    project.coders.ensure("ann")
    project.coders.ensure("bob")
    project.close()
    return path


@st.composite
def documents(draw: st.DrawFn) -> list[list[list[str]]]:
    """Documents as paragraphs of sentences of words."""
    sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(
        lambda ws: " ".join([ws[0].capitalize(), *ws[1:]]) + "."
    )
    paragraph = st.lists(sentence, min_size=1, max_size=4)
    return draw(st.lists(st.lists(paragraph, min_size=1, max_size=3), min_size=1, max_size=3))


def _layout(paragraphs: list[list[str]]) -> tuple[str, list, list]:
    """The text and its sentence and paragraph spans, as written."""
    text, sentences, paras = "", [], []
    for p, sents in enumerate(paragraphs):
        if p:
            text += "\n"
        p_start = len(text)
        for k, sentence in enumerate(sents):
            if k:
                text += " "
            sentences.append((len(text), len(text) + len(sentence)))
            text += sentence
        paras.append((p_start, len(text)))
    return text, sentences, paras


leaf = st.sampled_from(CODES).map(CodeRef)
queries = st.recursive(
    leaf,
    lambda sub: st.one_of(
        sub.map(Not),
        st.tuples(sub, sub).map(lambda t: And(*t)),
        st.tuples(sub, sub).map(lambda t: Or(*t)),
        st.tuples(st.sampled_from(list(Position)), sub, sub, st.integers(0, 2)).map(
            lambda t: Near(t[0], t[1], t[2], t[3] if t[0] is Position.FOLLOWED else 0)
        ),
    ),
    max_leaves=5,
)


def _runs(chars: set[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for c in sorted(chars):
        if runs and runs[-1][1] == c:
            runs[-1][1] = c + 1
        else:
            runs.append([c, c + 1])
    return [(a, b) for a, b in runs]


def _model(node, doc: dict) -> set[int]:
    """The characters ``node`` selects, computed with sets."""
    if isinstance(node, CodeRef):
        return set(doc["chars"].get(node.name, set()))
    if isinstance(node, Not):
        return set(range(doc["length"])) - _model(node.operand, doc)
    left, right = _model(node.left, doc), _model(node.right, doc)
    if isinstance(node, And):
        return left & right
    if isinstance(node, Or):
        return left | right
    keep: set[int] = set()
    right_runs = _runs(right)
    for a, b in _runs(left):
        run = set(range(a, b))
        if node.op is Position.OVERLAPS:
            ok = bool(run & right)
        elif node.op in (Position.SENTENCE, Position.PARAGRAPH):
            units = doc["sentences"] if node.op is Position.SENTENCE else doc["paragraphs"]
            ok = any(run & set(range(*u)) and right & set(range(*u)) for u in units)
        else:

            def index(offset: int) -> int:
                return max(
                    (i for i, u in enumerate(doc["sentences"]) if u[0] <= offset), default=-1
                )

            later = [r for r in right_runs if r[0] >= b]
            ok = bool(later) and index(later[0][0]) - index(b - 1) <= node.within
        if ok:
            keep |= run
    return keep


def _positive(node, negated: bool = False) -> set[str]:
    if isinstance(node, CodeRef):
        return set() if negated else {node.name}
    if isinstance(node, Not):
        return _positive(node.operand, not negated)
    out = _positive(node.left, negated)
    return out if isinstance(node, Near) else out | _positive(node.right, negated)


@settings(
    max_examples=30,
    report_multiple_bugs=False,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(docs=documents(), query=queries, data=st.data())
def test_retrieval_matches_a_model_built_from_the_jsonl_export(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    docs,
    query,
    data,
) -> None:
    monkeypatch.setattr("annotator.services.retrieval.FIRST_PAGE_BATCH", 1)
    path = tmp_path_factory.mktemp("prop") / "p.annotator"
    shutil.copy(template, path)
    project = Project.open(path)
    try:
        codes = {c.name: c.id for c in project.codebook.list()}
        coders = {c.name: c.id for c in project.coders.list()}
        layouts = {}
        for n, paragraphs in enumerate(docs):
            text, sentences, paras = _layout(paragraphs)
            text += f"\nDocument {n}."  # distinct texts
            sentences.append((len(text) - len(f"Document {n}."), len(text)))
            paras.append(sentences[-1])
            doc_id = project.documents.add(
                ExtractedDocument(
                    text, paragraph_blocks(text), (), DocumentMetadata(f"D{n}"), "text"
                )
            )
            layouts[doc_id] = (text, sentences, paras)
            for _ in range(data.draw(st.integers(0, 8))):
                a = data.draw(st.integers(0, len(text) - 1))
                b = data.draw(st.integers(a + 1, min(len(text), a + 40)))
                project.codings.add(
                    Coding(
                        new_id(), doc_id, codes[data.draw(st.sampled_from(CODES))],
                        coders[data.draw(st.sampled_from(sorted(coders)))], a, b, text[a:b],
                    )
                )  # fmt: skip
        coder_filter = data.draw(st.sampled_from([(), ("ann",)]))
        out = path.with_suffix(".jsonl")
        export_codings(project, out, "jsonl")
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

        # the query round-trips through its text form
        text_query = str(query)
        assert parse_query(text_query) == query

        from annotator.services.analysis_scope import AnalysisFilters

        result = project.retrieval.run(text_query, AnalysisFilters(coders=coder_filter))
        passages = project.retrieval.passages(result, result.refs)
        got = {(str(p.document_id), p.start, p.end): p for p in passages}
        expected: dict[tuple, set[str]] = {}
        for doc_id, (text, sentences, paras) in layouts.items():
            mine = [
                r
                for r in rows
                if r["document_id"] == str(doc_id)
                and (not coder_filter or r["coder"] in coder_filter)
            ]
            chars: dict[str, set[int]] = {}
            for r in mine:
                chars.setdefault(r["code_path"], set()).update(range(r["start"], r["end"]))
                assert r["quote"] == text[r["start"] : r["end"]]
            model_doc = {
                "chars": chars, "length": len(text), "sentences": sentences, "paragraphs": paras,
            }  # fmt: skip
            shown = _positive(query)
            for a, b in _runs(_model(query, model_doc)):
                expected[(str(doc_id), a, b)] = {
                    r["coder"] for r in mine
                    if r["code_path"] in shown and r["start"] < b and r["end"] > a
                }  # fmt: skip
        assert set(got) == set(expected)
        for key, passage in got.items():
            assert set(passage.coders) == expected[key]
            text = layouts[uuid.UUID(key[0])][0]
            assert passage.text == text[key[1] : key[2]]
        # a first page is the start of the whole result, read a document at a time
        first = project.retrieval.run(
            text_query, AnalysisFilters(coders=coder_filter), stop_after=1
        )
        assert first.refs == result.refs[: len(first.refs)]
        if first.complete:
            assert first.refs == result.refs
        else:
            assert len(first.refs) >= 1  # it stopped because the page was full
        counts = result.counts()
        for doc_id in layouts:
            assert counts.get(doc_id, 0) == sum(1 for k in expected if k[0] == str(doc_id))

        # search: hits and counts per document equal a plain scan of the texts
        word = data.draw(st.sampled_from(WORDS))
        hits = list(project.search.hits(word))
        plain = re.compile(rf"(?<!\w){word}(?!\w)", re.IGNORECASE)
        want = [
            (doc_id, m.start(), m.end())
            for doc_id, (text, _, _) in layouts.items()
            for m in plain.finditer(text)
        ]
        assert sorted((h.document_id, h.start, h.end) for h in hits) == sorted(want)
        per_doc = project.search.counts(word)
        expected_counts = {d: sum(1 for w in want if w[0] == d) for d in layouts}
        assert per_doc == {d: n for d, n in expected_counts.items() if n}
    finally:
        project.close()
