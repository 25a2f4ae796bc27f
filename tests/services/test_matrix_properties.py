"""Property test: every number a matrix shows equals the same number computed
independently, and naively, from the JSON Lines export of random projects with overlaps."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.model import Coding, new_id
from annotator.services.exporting import export_codings
from annotator.services.matrices import MatrixRequest, build_matrix
from annotator.services.project import Project
from tests.services.analysis_helpers import A, B, C, add_documents

CODES = (A, B, C)

coding_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # document
        st.integers(0, 2),  # code
        st.integers(0, 1),  # coder
        st.integers(0, 45),  # start
        st.integers(1, 20),  # length
    ),
    max_size=25,
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    project = Project.create(tmp_path_factory.mktemp("prop") / "p.annotator")
    docs = add_documents(project)
    coders = [project.coders.ensure("Ann"), project.coders.ensure("Bob")]
    g = project.cases.create_group("Reports")
    project.cases.add_members(g.id, [docs[0], docs[2]])
    yield project, docs, coders
    project.close()


def _independent(frame: pd.DataFrame):
    """Counts, coverage, presence and overlap co-occurrence, by brute force."""
    count: dict = defaultdict(int)
    covered: dict = defaultdict(set)
    for r in frame.itertuples():
        count[(r.code_id, r.document_id)] += 1
        covered[(r.code_id, r.document_id)].update(range(r.start, r.end))
    pairs: dict = defaultdict(int)
    rows = list(frame.itertuples())
    for x, y in itertools.combinations(rows, 2):
        if (
            x.document_id == y.document_id
            and x.coder_id == y.coder_id
            and x.code_id != y.code_id
            and x.start < y.end
            and y.start < x.end
        ):
            pairs[(x.code_id, y.code_id)] += 1
            pairs[(y.code_id, x.code_id)] += 1
    lengths = dict(zip(frame.document_id, frame.document_length, strict=False))
    return count, covered, pairs, lengths


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(specs=coding_specs)
def test_matrix_numbers_equal_the_jsonl_export(shared, tmp_path, specs):
    project, docs, coders = shared
    project.codings.remove([c.id for c in project.codings.all()])
    texts = {d: project.documents.get(d).text for d in docs}
    made = []
    for doc_i, code_i, coder_i, start, length in specs:
        doc = docs[doc_i]
        start = min(start, len(texts[doc]) - 1)
        end = min(start + length, len(texts[doc]))
        made.append(
            Coding(
                new_id(), doc, CODES[code_i], coders[coder_i].id, start, end, texts[doc][start:end]
            )
        )
    project.codings.restore(made)
    path = tmp_path / f"{uuid.uuid4().hex}.jsonl"
    export_codings(project, path, "jsonl")
    frame = pd.read_json(path, lines=True, dtype={"code_id": str, "document_id": str})
    if frame.empty:
        frame = pd.DataFrame(
            columns=["code_id", "document_id", "coder_id", "start", "end", "document_length"]
        )
    count, covered, pairs, exported_lengths = _independent(frame)
    lengths = {str(d): len(t) for d, t in texts.items()}
    assert {k: int(v) for k, v in exported_lengths.items()} == {
        k: v for k, v in lengths.items() if k in exported_lengths
    }
    by_doc = build_matrix(project, MatrixRequest(columns="documents"))
    cov = build_matrix(project, MatrixRequest(columns="documents", measure="coverage"))
    pres = build_matrix(project, MatrixRequest(columns="documents", measure="presence"))
    for r, row in enumerate(by_doc.rows):
        for c, col in enumerate(by_doc.columns):
            key = (str(row.key), str(col.key))
            assert by_doc.values[r][c] == count.get(key, 0)
            assert len(by_doc.passages(r, c)) == count.get(key, 0)
            assert cov.values[r][c] == pytest.approx(len(covered.get(key, ())) / lengths[key[1]])
            assert pres.values[r][c] == (1 if count.get(key) else 0)
        assert by_doc.row_totals[r] == sum(v for k, v in count.items() if k[0] == str(row.key))
    assert by_doc.grand_total == len(frame)
    co = build_matrix(project, MatrixRequest(columns="codes"))
    for r, row in enumerate(co.rows):
        for c, col in enumerate(co.columns):
            if r == c:
                expected = sum(v for k, v in count.items() if k[0] == str(row.key))
            else:
                expected = pairs.get((str(row.key), str(col.key)), 0)
            assert co.values[r][c] == expected
    # Totals, by brute force too.
    all_len = sum(lengths.values())
    for c, col in enumerate(by_doc.columns):
        doc = str(col.key)
        assert by_doc.column_totals[c] == sum(v for k, v in count.items() if k[1] == doc)
        union = set().union(*(v for k, v in covered.items() if k[1] == doc))
        assert cov.column_totals[c] == pytest.approx(len(union) / lengths[doc])
        assert pres.column_totals[c] == sum(1 for k, v in count.items() if k[1] == doc and v)
    for r, row in enumerate(cov.rows):
        code = str(row.key)
        mine = sum(len(v) for k, v in covered.items() if k[0] == code)
        assert cov.row_totals[r] == pytest.approx(mine / all_len)
        assert pres.row_totals[r] == sum(1 for k, v in count.items() if k[0] == code and v)
    assert cov.grand_total == pytest.approx(
        sum(len(set().union(*(v for k, v in covered.items() if k[1] == d))) for d in lengths)
        / all_len
    )
    assert pres.grand_total == len({k[1] for k, v in count.items() if v})
    # Paragraph co-occurrence: paragraphs are the documents' non-blank lines.
    para = build_matrix(project, MatrixRequest(columns="codes", mode="paragraph"))
    expected = defaultdict(int)
    per_unit = defaultdict(set)
    for r in frame.itertuples():
        text = texts[uuid.UUID(str(r.document_id))]
        offset = 0
        for number, line in enumerate(text.split("\n")):
            lo, hi = offset + len(line) - len(line.lstrip()), offset + len(line.rstrip())
            if line.strip() and r.start < hi and lo < r.end:
                per_unit[(r.document_id, number, r.coder_id)].add(r.code_id)
            offset += len(line) + 1
    for present in per_unit.values():
        for x in present:
            for y in present:
                expected[(x, y)] += 1
    for r, row in enumerate(para.rows):
        for c, col in enumerate(para.columns):
            assert para.values[r][c] == expected.get((str(row.key), str(col.key)), 0)
    groups = build_matrix(project, MatrixRequest(columns="groups"))
    in_reports = (
        frame[frame.document_groups.astype("string").fillna("") == "Reports"]
        if len(frame)
        else frame
    )
    for r, row in enumerate(groups.rows):
        c = [a.key for a in groups.columns].index("Reports") if groups.columns else None
        if c is not None:
            assert groups.values[r][c] == int((in_reports.code_id == str(row.key)).sum())
