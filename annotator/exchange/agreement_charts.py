"""Agreement over time as a line chart (matplotlib's Agg renderer: no display, any thread).

One line per series (all coders, then each coder against the others), one point per bin,
Krippendorff's .667 and .800 thresholds drawn as guides and every flagged drop marked. The
GUI shows the figure in a Qt canvas and exports it as PNG or SVG.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ChartSeries", "drift_chart", "figure_bytes"]

ChartSeries = tuple[str, bool, Sequence[tuple[str, float | None]]]
"""A line: its name, whether it is the all-coders line (drawn thicker), (bin, value) points."""

AXIS = {
    "week": "week of coding",
    "codings": "bin of N codings, in order (each line counts its own coders' codings)",
    "version": "codebook version",
}


def drift_chart(
    series: Sequence[ChartSeries], drops: Sequence[tuple[str, str, float]], by: str
) -> Figure:
    """Alpha per bin, a line per series; undefined bins (None) leave a gap in their line.

    ``drops`` marks falls: (series name, bin label after the fall, size of the fall).
    """
    from matplotlib.figure import Figure

    if by == "codings":
        # Each series counts its own codings, so bins line up by their order, not label.
        longest = max((len(points) for _, _, points in series), default=0)
        labels = [str(i + 1) for i in range(longest)]
    else:
        labels = []
        for _, _, points in series:
            labels.extend(label for label, _ in points if label not in labels)
        if by == "week":
            labels.sort()  # ISO "2026-W49" labels sort in time order
    fig = Figure(figsize=(8, 3.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    x_of = {label: i for i, label in enumerate(labels)}
    for name, everyone, points in series:
        xs = list(range(len(points))) if by == "codings" else [x_of[lb] for lb, _ in points]
        ys = [float("nan") if v is None else v for _, v in points]
        ax.plot(xs, ys, marker="o", linewidth=2.4 if everyone else 1.3, label=name)
    for name, after, drop in drops:
        points = next(points for n, _, points in series if n == name)
        k, value = next((k, v) for k, (lb, v) in enumerate(points) if lb == after)
        if value is not None:
            ax.annotate(
                f"−{drop:.2f}",
                (k if by == "codings" else x_of[after], value),
                textcoords="offset points",
                xytext=(0, -16),
                ha="center",
                color="#b00020",
                fontsize=8,
            )
    for level, style in ((0.8, "--"), (0.667, ":")):
        ax.axhline(level, color="#888888", linestyle=style, linewidth=0.8)
    ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 6 else 0, ha="right")
    ax.set_ylabel("Krippendorff's alpha")
    ax.set_xlabel(AXIS.get(by, by))
    ax.set_title("Agreement over time (dashed: .800 reliable; dotted: .667 tentative)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    if series:
        ax.legend(fontsize=8, loc="best")
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as ``png`` or ``svg`` bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError("charts export as png or svg")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt)
    return buf.getvalue()
