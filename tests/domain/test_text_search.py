"""The fast matcher finds exactly what the plain compiled pattern finds, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.text_search import Matcher, SearchOptions, compile_query, fts5_expression

ALPHABET = "abcéÉeEcCAáÁ_ -.,\n\u0301İıßǅ'"
words = st.text(alphabet="abceéEáAC", min_size=1, max_size=4)
queries = st.lists(
    st.tuples(st.lists(words, min_size=1, max_size=2), st.booleans()), min_size=1, max_size=3
).map(lambda alts: ", ".join(" ".join(ws) + ("*" if p else "") for ws, p in alts))


@settings(max_examples=400, deadline=None)
@given(
    query=queries,
    text=st.text(alphabet=ALPHABET, max_size=60),
    case=st.booleans(),
    accent=st.booleans(),
)
def test_matcher_equals_the_compiled_pattern(query: str, text: str, case: bool, accent: bool):
    options = SearchOptions(case_sensitive=case, accent_sensitive=accent)
    expected = [m.span() for m in compile_query(query, options).finditer(text)]
    assert list(Matcher(query, options).spans(text)) == expected


def test_an_accented_query_letter_is_not_a_plain_one_when_accents_count() -> None:
    # Found by the property test above: "á" matched "A" on the ASCII fast path.
    options = SearchOptions(case_sensitive=False, accent_sensitive=True)
    assert list(Matcher("á", options).spans("A")) == []
    assert list(Matcher("á", options).spans("Á")) == [(0, 1)]
    assert list(Matcher("á", SearchOptions()).spans("A")) == [(0, 1)]


def test_accents_and_case_are_options() -> None:
    text = "Le Café, the CAFE and the cafe\u0301."
    spans = list(Matcher("cafe").spans(text))
    assert [text[a:b] for a, b in spans] == ["Café", "CAFE", "cafe\u0301"]
    spans = list(Matcher("cafe", SearchOptions(case_sensitive=True)).spans(text))
    assert [text[a:b] for a, b in spans] == ["cafe\u0301"]
    spans = list(Matcher("café", SearchOptions(accent_sensitive=True)).spans(text))
    assert [text[a:b] for a, b in spans] == ["Café"]


def test_the_index_expression_ands_words_and_ors_alternatives() -> None:
    assert fts5_expression("we recommend, urg*") == '("we" AND "recommend") OR ("urg"*)'
