"""Suggested field values from a passage's own words: the rules, and applying them.

A rule names a field (by name, on any code that has a field of that name) and lists, for
some of its choices, the phrases that point to that choice. Phrases match whole words,
ignoring case; ``*`` at the end of a phrase matches any ending ("devolv*"). Two ways to
pick when several choices match:

- ``"first_listed"``: the first choice in the rule's list that matches at all. Strength
  uses it with the strongest level listed first, so "must ... and may" gives *must*.
- ``"earliest"``: the choice whose phrase occurs earliest in the passage. Addressee uses
  it: in "Councils should work with the Government", the councils are asked to act.

The rules are plain data, stored in the project and editable by the user; the defaults
are below. A suggestion is only ever a suggestion: it is stored marked as such, shown as
such, and counts for nothing in agreement until a coder confirms it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.domain.errors import ValidationError
from annotator.domain.fields import FieldDef

SETTING_KEY = "suggestion_rules"
PICKS = ("first_listed", "earliest")

DEFAULT_RULES: list[dict[str, object]] = [
    {
        "field": "Strength",
        "pick": "first_listed",
        "choices": [
            {
                "choice": "must",
                "phrases": ["must", "shall", "will", "have to", "has to", "is required to",
                            "are required to", "it is essential that"],
            },
            {
                "choice": "should",
                "phrases": ["should", "ought to", "need to", "needs to", "it is important that",
                            "we recommend", "recommend that", "calls for", "call on"],
            },
            {
                "choice": "could",
                "phrases": ["could", "may", "might", "consider", "explore", "look at",
                            "look to", "examine", "encourage"],
            },
        ],
    },
    {
        "field": "Addressee",
        "pick": "earliest",
        "choices": [
            {
                "choice": "Central government",
                "phrases": ["the government", "government", "central government", "whitehall",
                            "the treasury", "hm treasury", "treasury", "minister", "ministers",
                            "secretary of state", "department for*", "dluhc", "the centre",
                            "national government", "parliament", "the state"],
            },
            {
                "choice": "Local government",
                "phrases": ["council", "councils", "local authority", "local authorities",
                            "combined authority", "combined authorities", "local government",
                            "mayor", "mayors", "local leaders", "metro mayors"],
            },
            {
                "choice": "Communities and partners",
                "phrases": ["communities", "community groups", "community organisations",
                            "residents", "voluntary sector", "charities", "third sector",
                            "partners", "businesses", "parish councils", "town councils"],
            },
        ],
    },
]  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    """A suggested choice for a field, with the phrase that led to it."""

    field_id: object
    choice_id: str
    phrase: str
    at: int  # where in the passage the phrase was found


def default_rules() -> list[dict[str, object]]:
    """A fresh copy of the built-in rules."""
    return copy.deepcopy(DEFAULT_RULES)


def validate_rules(rules: object) -> list[dict[str, object]]:
    """Check rules typed or imported by a user; return them cleaned, or raise."""
    if not isinstance(rules, list):
        raise ValidationError("Suggestion rules must be a list of rules.")
    out = []
    for n, rule in enumerate(rules, 1):
        if not isinstance(rule, Mapping) or not str(rule.get("field", "")).strip():
            raise ValidationError(f"Suggestion rule {n} needs a field name.")
        pick = str(rule.get("pick", "first_listed"))
        if pick not in PICKS:
            raise ValidationError(f"Suggestion rule {n}: pick must be one of {', '.join(PICKS)}.")
        choices = []
        for entry in rule.get("choices") or []:
            if not isinstance(entry, Mapping) or not str(entry.get("choice", "")).strip():
                raise ValidationError(f"Suggestion rule {n}: every entry needs a choice.")
            phrases = [" ".join(str(p).split()) for p in entry.get("phrases") or []]
            phrases = [p for p in phrases if p]
            choices.append({"choice": str(entry["choice"]).strip(), "phrases": phrases})
        out.append({"field": str(rule["field"]).strip(), "pick": pick, "choices": choices})
    return out


def _pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.casefold().split()
    body = r"\s+".join(
        re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in words
    )
    return re.compile(rf"(?<!\w){body}(?!\w)")


def suggest(
    text: str, fields: Sequence[FieldDef], rules: Iterable[Mapping[str, object]]
) -> list[Suggestion]:
    """Suggestions for ``fields`` (one code's) from the passage ``text`` under ``rules``."""
    low = text.casefold()
    by_name = {f.name.casefold(): f for f in fields}
    out: list[Suggestion] = []
    for rule in rules:
        f = by_name.get(str(rule.get("field", "")).casefold())
        if f is None or not f.kind.has_choices:
            continue
        found: list[tuple[int, int, str, str]] = []  # (order key, at, choice id, phrase)
        for rank, entry in enumerate(rule.get("choices") or []):  # type: ignore[union-attr]
            choice = f.choice_by_label(str(entry.get("choice", "")))
            if choice is None:
                continue
            for phrase in entry.get("phrases") or []:
                m = _pattern(str(phrase)).search(low)
                if m is not None:
                    key = rank if rule.get("pick") == "first_listed" else m.start()
                    found.append((key, m.start(), choice.id, text[m.start() : m.end()]))
        if found:
            _key, at, choice_id, phrase = min(found)
            out.append(Suggestion(f.id, choice_id, phrase, at))
    return out
