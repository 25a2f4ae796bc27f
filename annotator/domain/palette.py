"""Code colours: a colour-blind-safe palette, distinct new colours, readable ink and blends.

Colours are ``#rrggbb`` strings. Distances are CIE76 ΔE in CIELAB (D65), enough to tell
"the same or nearly" from "clearly different" without a colour library.

The palette starts with Okabe & Ito's eight colours (distinguishable with the common
colour-vision deficiencies), then Paul Tol's "muted" and "light" schemes (designed for the
same purpose). When all are in use, :func:`next_color` picks, from a fine hue/lightness
grid, the colour farthest from every colour already used, so a new code never repeats one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

PALETTE = (
    # Okabe & Ito (2008), black left out (it hides the text).
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    # Paul Tol, "muted".
    "#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee", "#882255", "#44aa99", "#999933",
    "#aa4499",
    # Paul Tol, "light" (less the three too close to colours above).
    "#ee8866", "#ffaabb", "#bbcc33", "#aaaa00",
)  # fmt: skip

MIN_DISTANCE = 12.0  # ΔE below which two code colours are too alike to tell apart


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def luminance(color: str) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""
    r, g, b = (_channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_for(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return (
        "#000000"
        if contrast(background, "#000000") >= contrast(background, "#ffffff")
        else ("#ffffff")
    )


@lru_cache(maxsize=8192)
def to_lab(color: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_channel(v) for v in _rgb(color))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def from_lab(lab: tuple[float, float, float]) -> str:
    """The sRGB colour nearest to a CIELAB value (clipped into the gamut)."""
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def finv(t: float) -> float:
        return t**3 if t**3 > 216 / 24389 else (116 * t - 16) / (24389 / 27)

    x, y, z = finv(fx) * 0.95047, finv(fy), finv(fz) * 1.08883
    rgb = (
        3.2406 * x - 1.5372 * y - 0.4986 * z,
        -0.9689 * x + 1.8758 * y + 0.0415 * z,
        0.0557 * x - 0.2040 * y + 1.0570 * z,
    )

    def gamma(c: float) -> int:
        c = min(max(c, 0.0), 1.0)
        c = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
        return round(c * 255)

    return "#{:02x}{:02x}{:02x}".format(*(gamma(c) for c in rgb))


def distance(a: str, b: str) -> float:
    """CIE76 ΔE between two colours."""
    return math.dist(to_lab(a), to_lab(b))


def _candidates() -> list[str]:
    out = []
    for lightness in (45, 55, 65, 75):
        for chroma in (35, 55):
            for step in range(36):
                h = math.radians(step * 10)
                out.append(from_lab((lightness, chroma * math.cos(h), chroma * math.sin(h))))
    return out


def next_color(used: Iterable[str]) -> str:
    """A colour for a new code: the first palette colour unlike every used one.

    Once the palette is exhausted, the grid colour farthest from all used colours.
    """
    taken = [c.lower() for c in used if c]
    for color in PALETTE:
        if all(distance(color, t) >= MIN_DISTANCE for t in taken):
            return color
    return max(_candidates(), key=lambda c: min(distance(c, t) for t in taken))


def blend(colors: Sequence[str]) -> str:
    """A light background for text coded with ``colors`` (one or several codes).

    Averaging RGB turns, say, orange and blue into a muddy brown-grey, dark enough to hurt
    reading. Here the hues are averaged as vectors in CIELAB and the result is set to a high
    lightness (a little lower the more codes overlap, so overlaps still stand out) with a
    moderate chroma: a pastel of the codes' mean hue, or a light grey when they cancel out.
    Black text on it keeps a contrast of at least 7:1 (WCAG AAA).
    """
    if not colors:
        return "#ffffff"
    labs = [to_lab(c) for c in colors]
    a = sum(lab[1] for lab in labs) / len(labs)
    b = sum(lab[2] for lab in labs) / len(labs)
    chroma = math.hypot(a, b)
    lightness = max(88.0 - 4.0 * (len(labs) - 1), 76.0)
    target = min(chroma, 30.0) * (0.8 if len(labs) > 1 else 1.0)
    scale = target / chroma if chroma > 1e-9 else 0.0
    return from_lab((lightness, a * scale, b * scale))
