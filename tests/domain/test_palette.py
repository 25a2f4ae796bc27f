"""Issue 14, item 12: distinct code colours, readable labels and readable overlaps."""

from __future__ import annotations

import itertools
import json

from annotator.domain.palette import (
    MIN_DISTANCE,
    PALETTE,
    blend,
    contrast,
    distance,
    ink_for,
    next_color,
    to_lab,
)
from annotator.services.resources import resource


def _starter_colours() -> list[str]:
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("color"), str):
                found.append(node["color"].lower())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(resource("codebooks", "policy_starter.json").read_text(encoding="utf-8")))
    return found


def test_new_codes_never_reuse_a_colour():
    used = _starter_colours()
    assert len(used) >= 10  # the starter codebook's own colours
    for _ in range(20):  # twenty new codes in a row on top of the starter codebook
        colour = next_color(used)
        assert colour not in used
        assert min(distance(colour, u) for u in used) >= 8, colour
        used.append(colour)


def test_palette_colours_are_mutually_distinct():
    for a, b in itertools.combinations(PALETTE, 2):
        assert distance(a, b) >= MIN_DISTANCE, (a, b)


def test_label_ink_is_readable_on_every_colour():
    for colour in (*PALETTE, *_starter_colours(), "#17becf", "#00ffff", "#000080"):
        ink = ink_for(colour)
        assert contrast(colour, ink) >= 4.5, (colour, ink)  # WCAG AA for text
    assert ink_for("#17becf") == "#000000"  # the cyan whose white label was unreadable


def test_overlap_blends_stay_light_and_readable():
    colours = [*PALETTE[:10], *_starter_colours()[:10]]
    for n in (1, 2, 3, 4):
        for combo in itertools.islice(itertools.combinations(colours, n), 400):
            background = blend(list(combo))
            assert contrast(background, "#000000") >= 7, (combo, background)  # WCAG AAA
            assert to_lab(background)[0] >= 70, (combo, background)  # light, not muddy


def test_more_overlapping_codes_read_darker():
    one = to_lab(blend(["#0072b2"]))[0]
    two = to_lab(blend(["#0072b2", "#e69f00"]))[0]
    three = to_lab(blend(["#0072b2", "#e69f00", "#009e73"]))[0]
    assert one > two > three
