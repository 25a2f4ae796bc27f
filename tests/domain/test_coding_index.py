import uuid

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.coding_index import BUCKET, CodingIndex
from annotator.domain.model import Coding


def _coding(start: int, end: int, code: int = 0) -> Coding:
    return Coding(
        id=uuid.uuid4(),
        document_id=uuid.UUID(int=1),
        code_id=uuid.UUID(int=code),
        coder_id=uuid.UUID(int=9),
        start=start,
        end=end,
        quote="",
    )


spans = st.lists(
    st.tuples(st.integers(0, 3 * BUCKET), st.integers(1, 600), st.integers(0, 3)), max_size=25
)


@given(spans, st.integers(0, 3 * BUCKET), st.integers(1, 2 * BUCKET))
def test_segments_match_a_per_character_reference(raw, q_start, q_len):
    codings = [_coding(s, s + n, c) for s, n, c in raw]
    index = CodingIndex(codings)
    q_end = q_start + q_len
    covered: dict[int, frozenset] = {}
    for seg in index.segments(q_start, q_end):
        assert q_start <= seg.start < seg.end <= q_end
        for pos in range(seg.start, seg.end):
            covered[pos] = frozenset(c.id for c in seg.codings)
    for pos in range(q_start, q_end):
        expected = frozenset(c.id for c in codings if c.start <= pos < c.end)
        assert covered.get(pos, frozenset()) == expected


def test_add_remove_and_neighbours():
    a, b, c = _coding(0, 10), _coding(5000, 5010), _coding(3000, 9000)
    index = CodingIndex([a, b, c])
    assert {x.id for x in index.at(5005)} == {b.id, c.id}
    assert index.remove(c.id) == c
    assert [x.id for x in index.at(5005)] == [b.id]
    assert index.next_after(0) == b
    assert index.previous_before(5000) == a
    assert index.remove(c.id) is None
    assert len(index) == 2
