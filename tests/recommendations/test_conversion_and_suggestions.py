"""Turning child codes into a field (the way across for old projects) and suggestions."""

from __future__ import annotations

from annotator.domain.model import Code, Coding, new_id
from annotator.domain.suggestions import default_rules, suggest
from annotator.services.field_conversion import FieldConversionService
from annotator.services.field_suggestions import SuggestionService
from annotator.services.project import Project
from annotator.services.starter import starter_code_id, starter_fields

REC = starter_code_id("Recommendations/Recommendation")


def _old_style(project: Project) -> tuple[Code, list[Code], list[Coding]]:
    """An old-starter 'Addressee' folder with two child codes and codings on the sample text."""
    folder = project.codebook.add(
        Code(new_id(), "Addressee", "#5b7db8", starter_code_id("Recommendations"), -1, "group",
             codable=False)
    )  # fmt: skip
    kids = [
        project.codebook.add(Code(new_id(), name, "#1f77b4", folder.id, -1, "recommendation"))
        for name in ("Central government", "Local government")
    ]
    doc = project.documents.list()[0]
    text = project.documents.get(doc.id).text
    a = project.coders.ensure("Sample coder A")
    made = []
    for kid, (start, end) in zip(kids, [(0, 40), (200, 260)], strict=True):
        made.append(
            project.codings.add(Coding(new_id(), doc.id, kid.id, a.id, start, end, text[start:end]))
        )
    return folder, kids, made


def test_child_codes_become_a_field_and_undo_restores_everything(sample: Project) -> None:
    folder, kids, made = _old_style(sample)
    rec_codings = [c for c in sample.codings.all() if c.code_id == REC]
    overlapping = next(c for c in rec_codings if c.start < 40 and c.coder_id == made[0].coder_id)
    before_codes = sorted(map(repr, sample.codebook.list()))
    before_codings = sorted(map(repr, sample.codings.all()))
    service = FieldConversionService(sample)
    # The sample's Recommendation already has an 'Addressee' field: rename it out of the way.
    old = next(f for f in sample.fields.fields_for_code(REC) if f.name == "Addressee")
    sample.fields.update_field(old.with_changes(name="Addressee (starter)"))
    done = service.convert(folder.id, REC)
    assert done.mapped == 2 and done.joined == 1 and len(done.created) == 1
    field = sample.fields.get_field(done.field.id)
    assert [c.label for c in field.choices] == ["Central government", "Local government"]
    values = sample.fields.values_for_codings([overlapping.id, done.created[0].id])
    assert field.choice(values[overlapping.id][field.id].value).label == "Central government"
    assert field.choice(values[done.created[0].id][field.id].value).label == "Local government"
    assert {c.id for c in sample.codebook.list()}.isdisjoint({folder.id, *(k.id for k in kids)})
    assert "convert to field" in [e["action"] for e in sample.codebook.change_log()]
    service.undo(done)
    assert sorted(map(repr, sample.codebook.list())) == before_codes
    assert sorted(map(repr, sample.codings.all())) == before_codings


def test_rules_suggest_strength_and_addressee_from_the_passage() -> None:
    fields = [f for f in starter_fields() if f.code_id == REC]
    by_name = {f.name: f for f in fields}
    text = "Councils should work with the Government and may consider new partnerships."
    found = {s.field_id: s for s in suggest(text, fields, default_rules())}
    strength, addressee = by_name["Strength"], by_name["Addressee"]
    assert strength.choice(found[strength.id].choice_id).label == "should"
    assert addressee.choice(found[addressee.id].choice_id).label == "Local government"
    must = suggest("Whitehall must hand power to communities", fields, default_rules())
    labels = {by_name_f.name: by_name_f.choice(s.choice_id).label for s in must
              for by_name_f in fields if by_name_f.id == s.field_id}  # fmt: skip
    assert labels == {"Strength": "must", "Addressee": "Central government"}
    assert suggest("A description of the weather.", fields, default_rules()) == []


def test_suggestions_are_stored_as_such_and_rules_are_editable(sample: Project) -> None:
    service = SuggestionService(sample)
    doc = sample.documents.list()[0]
    text = sample.documents.get(doc.id).text
    at = text.find("Whitehall must")
    me = sample.coders.ensure("Tester")
    coding = sample.codings.add(
        Coding(new_id(), doc.id, REC, me.id, at, at + 46, text[at : at + 46])
    )
    written = service.fill([coding.id])
    assert len(written) == 2
    values = sample.fields.values_for_codings([coding.id])[coding.id]
    assert all(v.suggested and v.coder_id is None for v in values.values())
    rules = service.rules()
    rules[0]["choices"][0]["phrases"] = ["hand power"]  # 'must' only for this phrase now
    rules[0]["choices"][1]["phrases"] = ["must"]
    service.set_rules(rules)
    again = SuggestionService(sample)
    assert again.rules()[0]["choices"][1]["phrases"] == ["must"]
    strength = next(f for f in sample.fields.fields_for_code(REC) if f.name == "Strength")
    found = {s.field_id: s for s in again.for_text(REC, coding.quote)}
    assert strength.choice(found[strength.id].choice_id).label == "must"  # first listed wins
