"""The labelled Description format: readable, and our own round trip is exact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.exchange.refi.description import (
    CodeFields,
    SourceFields,
    format_code_description,
    format_source_description,
    parse_code_description,
    parse_source_description,
)


def test_fields_are_written_as_labelled_lines_in_a_fixed_order():
    fields = CodeFields(
        definition="Money moved to councils.",
        inclusion="a budget\nor a power",
        exclusion="grants",
        example_typical="Devolve the fund.",
        example_atypical="Give councils a say.",
        kind="recommendation",
        shortcut="3",
        memo="Check with B.",
    )
    text = format_code_description(fields)
    assert text == (
        "Definition: Money moved to councils.\n"
        "Use when: a budget\n"
        "  or a power\n"
        "Do not use when: grants\n"
        "Typical example: Devolve the fund.\n"
        "Borderline example: Give councils a say.\n"
        "Kind: recommendation\n"
        "Shortcut: 3\n"
        "Memo: Check with B."
    )
    assert parse_code_description(text) == fields


def test_defaults_are_not_written():
    assert format_code_description(CodeFields()) == ""
    assert parse_code_description("") == CodeFields()
    assert format_code_description(CodeFields(definition="x")) == "Definition: x"


def test_free_text_from_another_tool_becomes_the_definition_unchanged():
    text = "thoughts about breakfast foods\nKind: not a label here"
    assert parse_code_description(text) == CodeFields(definition=text)


def test_values_that_look_like_labels_survive():
    fields = CodeFields(definition="Kind: theme\nMemo: no", memo="\nUse when: x\n")
    assert parse_code_description(format_code_description(fields)) == fields


def test_trimmed_blank_continuation_lines_are_accepted():
    assert parse_code_description("Definition: a\n\n  b").definition == "a\n\nb"


def test_source_metadata_round_trip_and_free_text():
    fields = SourceFields(author="A. Writer", publisher="", date="2020", source_format="pdf")
    text = format_source_description(fields)
    assert text == "Author: A. Writer\nPublisher:\nDate: 2020\nFormat: pdf"
    assert parse_source_description(text) == fields
    assert parse_source_description("Interview with a nurse").note == "Interview with a nurse"


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(
    definition=_text,
    inclusion=_text,
    exclusion=_text,
    typical=_text,
    atypical=_text,
    kind=st.sampled_from(["theme", "recommendation", "group", "my kind"]),
    shortcut=st.one_of(st.none(), st.text(min_size=1, max_size=3).filter(str.strip)),
    memo=_text,
)
def test_any_fields_round_trip_exactly(
    definition, inclusion, exclusion, typical, atypical, kind, shortcut, memo
):
    fields = CodeFields(definition, inclusion, exclusion, typical, atypical, kind, shortcut, memo)
    assert parse_code_description(format_code_description(fields)) == fields
