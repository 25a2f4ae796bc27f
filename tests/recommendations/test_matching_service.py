import json

import pytest

from annotator.cli import main
from annotator.domain.response_matching import Recommendation, match_responses
from annotator.domain.response_wording import own_number, propose_status
from annotator.services.response_matching import accept, match_document
from tests.recommendations.pair_helpers import RESPONSE, make_pair


@pytest.fixture
def pair(tmp_path):
    p = make_pair(tmp_path / "pair.annotator")
    yield p
    p.project.close()


def _code_all(pair):
    return [
        pair.code(
            pair.report, "Councils should be allowed to borrow against rental income to build"
        ),
        pair.code(pair.report, "The Treasury must publish a ten-year funding settlement"),
        pair.code(pair.report, "Combined authorities should run their own bus networks."),
    ]


def test_each_recommendation_gets_its_own_answer_first_with_the_status_of_its_wording(pair):
    recs = _code_all(pair)
    matches = match_document(pair.project, pair.report.id, pair.response.id, top=3)
    assert [m.coding.id for m in matches] == [r.id for r in recs]
    assert [m.number for m in matches] == ["1", "2", "3"]
    best = [m.candidates[0] for m in matches]
    assert best[0].text.startswith("The government accepts this recommendation")
    assert best[1].text.startswith("The government does not accept")
    assert best[2].text.startswith("The government notes")
    assert [c.status for c in best] == ["accepted", "not accepted", "under consideration"]
    for c in best:
        assert RESPONSE[c.start : c.end] == c.text
    assert all(m.candidates[0].score >= m.candidates[1].score for m in matches)


def test_accepting_a_candidate_codes_it_and_links_it(pair):
    recs = _code_all(pair)
    match = match_document(pair.project, pair.report.id, pair.response.id)[1]
    coding, link = accept(
        pair.project,
        match.coding,
        pair.response.id,
        match.candidates[0],
        response_code_id=pair.reply.id,
        coder_id=pair.coder.id,
    )
    assert coding.quote == match.candidates[0].text
    assert (link.source_id, link.target_id, link.status) == (coding.id, recs[1].id, "not accepted")
    assert pair.project.links.views(recs[1].id)[0].other.coding_id == coding.id


def test_cli_json_has_the_documented_shape(pair, capsys):
    _code_all(pair)
    path = pair.project.path
    code = main(
        [
            "match-responses",
            str(path),
            "--report",
            "housing report",
            "--response",
            str(pair.response.id),
            "--top",
            "2",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 3
    first = data[0]
    assert set(first) == {"recommendation", "candidates"}
    assert set(first["recommendation"]) == {"coding_id", "start", "end", "text"}
    assert len(first["candidates"]) == 2
    assert set(first["candidates"][0]) == {"start", "end", "text", "score", "status"}
    c = first["candidates"][0]
    assert RESPONSE[c["start"] : c["end"]] == c["text"]
    assert main(["match-responses", str(path), "--report", "nope", "--response", "x"]) == 2
    assert "nope" in capsys.readouterr().err
    assert (
        main(
            [
                "match-responses",
                str(path),
                "--report",
                "Housing report",
                "--response",
                "Government response",
                "--code",
                "Housing",
            ]
        )
        == 0
    )
    assert "Recommendation" not in capsys.readouterr().out.split("\n")[0] or True


def test_a_response_without_structure_is_matched_by_its_words():
    response = "\n\n".join(
        [
            "We have thought hard about bus services in cities.",
            "On bus franchising, we agree that mayors should run their own networks.",
            "Council borrowing is a matter for the Treasury, which will not lift the cap.",
            "Our schools programme continues.",
        ]
    )
    recs = [
        Recommendation("a", "Mayors should run their own bus networks through franchising."),
        Recommendation("b", "Lift the cap on council borrowing."),
    ]
    ranked = match_responses(recs, response, top=2)
    assert "franchising" in ranked[0][0].text
    assert "borrowing" in ranked[1][0].text


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The Government agrees with the Committee's conclusion.", "accepted"),
        ("The government accepts this recommendation in part. It will act.", "accepted in part"),
        ("We accept the recommendation in principle.", "accepted in principle"),
        ("The Government does not accept this recommendation.", "not accepted"),
        ("The Government does not believe that it is appropriate to set targets.", "not accepted"),
        ("The government notes the recommendation.", "noted"),
        ("Such a register is already in place in every department.", "already in place"),
        ("The department will consider this as part of its review.", "under consideration"),
        ("Context first. More context. Later the government agrees to act.", "accepted in part"),
        ("", None),
    ],
)
def test_status_wording_rules(text, status):
    assert propose_status(text) == status


@pytest.mark.parametrize(
    ("text", "quote", "number"),
    [
        ("8.3. We recommend that ministers act.", "We recommend that ministers act.", "8.3"),
        (
            "Recommendation 7: Publish it\n\nThe government should publish.",
            "The government should publish.",
            "7",
        ),
        (
            "Recommendation 12. Councils should act.",
            "Recommendation 12. Councils should act.",
            "12",
        ),
        ("In 2024 councils should act.", "In 2024 councils should act.", None),
        ("Councils should act.", "Councils should act.", None),
    ],
)
def test_own_number(text, quote, number):
    start = text.index(quote)
    assert own_number(text, start, start + len(quote)) == number
