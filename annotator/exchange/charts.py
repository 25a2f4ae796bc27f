"""Charts of matrices, drawn with matplotlib's Agg renderer (no display, no Qt, any thread).

Three charts: code frequencies (horizontal bars, stacked by document or group), a heatmap
of any matrix, and codes over time (one line per code, by document year or month). Each
function returns a matplotlib ``Figure`` built without ``pyplot`` (so nothing global is
touched and charts can be drawn in a worker thread); :func:`render` turns a figure into PNG
or SVG bytes. The GUI shows the same figures in a Qt canvas; the HTML report inlines the
SVG. Why matplotlib: see ``docs/decisions.md``.

Charts stay readable: at most :data:`MAX_ITEMS` rows or series are drawn (the largest by
total), and the title says when some were left out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from annotator.domain.matrix import Matrix

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_ITEMS = 40
"""Most bars, heatmap rows/columns or lines drawn in one chart."""

STACK_LIMIT = 12
"""Most stacked segments per bar; further columns are summed as "other"."""


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _short(label: str, limit: int = 45, *, keep_end: bool = True) -> str:
    """``label`` cut to ``limit``: code paths keep their end (the code's own name), titles
    their start."""
    if len(label) <= limit:
        return label
    return "…" + label[-(limit - 1) :] if keep_end else label[: limit - 1] + "…"


def _top(indices: Sequence[int], weight: Sequence[float], limit: int) -> list[int]:
    ranked = sorted(indices, key=lambda i: -weight[i])[:limit]
    return sorted(ranked)


def frequency_chart(matrix: Matrix, title: str = "Code frequencies") -> Figure:
    """Horizontal bars per row (code), stacked by column (document, group, value)."""
    rows = [r for r in range(len(matrix.rows)) if matrix.row_totals and matrix.row_totals[r]]
    weight = matrix.row_totals or [0] * len(matrix.rows)
    shown = _top(rows, weight, MAX_ITEMS)
    col_weight = matrix.column_totals or [0] * len(matrix.columns)
    cols = _top(range(len(matrix.columns)), col_weight, STACK_LIMIT)
    other = [c for c in range(len(matrix.columns)) if c not in cols]
    fig = _figure(9, max(2.5, 0.32 * len(shown) + 1.6))
    ax = fig.add_subplot()
    labels = [_short(matrix.rows[r].label) for r in shown]
    left = [0.0] * len(shown)
    series = [(matrix.columns[c].label, [matrix.values[r][c] for r in shown]) for c in cols]
    if other:
        series.append(("other", [sum(matrix.values[r][c] for c in other) for r in shown]))
    colours = _palette(len(series))
    for (label, widths), colour in zip(series, colours, strict=True):
        ax.barh(
            range(len(shown)),
            widths,
            left=left,
            label=_short(label, 40, keep_end=False),
            color=colour,
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_measure_label(matrix.measure))
    if matrix.measure != "coverage":
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(series) > 1:
        ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
    ax.set_title(_title(title, len(rows), len(shown)), fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def heatmap(matrix: Matrix, title: str = "") -> Figure:
    """Shaded cells with their numbers, rows and columns labelled."""
    weight_r = [sum(line) for line in matrix.values]
    weight_c = [
        sum(matrix.values[r][c] for r in range(len(matrix.rows)))
        for c in range(len(matrix.columns))
    ]
    rows = _top(range(len(matrix.rows)), weight_r, MAX_ITEMS)
    cols = _top(range(len(matrix.columns)), weight_c, MAX_ITEMS)
    data = [[matrix.values[r][c] for c in cols] for r in rows]
    fig = _figure(max(5, 0.42 * len(cols) + 4), max(3, 0.3 * len(rows) + 2.4))
    ax = fig.add_subplot()
    image = ax.imshow(data or [[0]], cmap="Blues", aspect="auto")
    keep_end = matrix.kind.startswith("codes x codes")
    ax.set_xticks(
        range(len(cols)), [_short(matrix.columns[c].label, 25, keep_end=keep_end) for c in cols]
    )
    ax.set_yticks(range(len(rows)), [_short(matrix.rows[r].label, 40) for r in rows])
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    ax.tick_params(axis="y", labelsize=7)
    top = max((v for line in data for v in line), default=0)
    if len(rows) * len(cols) <= 400:
        for i, line in enumerate(data):
            for j, value in enumerate(line):
                if value:
                    text = f"{value:.1%}" if matrix.measure == "coverage" else f"{value:g}"
                    dark = top and value > top * 0.6
                    ax.text(
                        j,
                        i,
                        text,
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if dark else "black",
                    )
    bar = fig.colorbar(image, ax=ax, shrink=0.8, label=_measure_label(matrix.measure))
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    if matrix.measure == "coverage":
        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    else:
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    full = title or matrix.kind
    left_out = len(matrix.rows) - len(rows) + len(matrix.columns) - len(cols)
    ax.set_title(
        full + (f" (largest {len(rows)} x {len(cols)} shown)" if left_out else ""), fontsize=10
    )
    return fig


def over_time_chart(
    series: Mapping[str, Mapping[str, float]], title: str = "Codes over time"
) -> Figure:
    """One line per code: ``series[code][period]`` (periods are ISO years or months)."""
    periods = sorted({p for values in series.values() for p in values})
    totals = {k: sum(v.values()) for k, v in series.items()}
    names = sorted(series, key=lambda k: -totals[k])[: min(MAX_ITEMS, 12)]
    fig = _figure(10, 4.5)
    ax = fig.add_subplot()
    for name, colour in zip(names, _palette(len(names)), strict=True):
        ax.plot(
            range(len(periods)),
            [series[name].get(p, 0) for p in periods],
            marker="o",
            label=_short(name, 40),
            color=colour,
        )
    ax.set_xticks(range(len(periods)), periods, fontsize=8, rotation=45)
    ax.set_ylabel("codings")
    ax.set_xlabel("document date")
    if names:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), framealpha=0.8)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(_title(title, len(series), len(names)), fontsize=10)
    ax.grid(alpha=0.3)
    return fig


def series_from_matrix(matrix: Matrix) -> dict[str, dict[str, float]]:
    """A code x period matrix (columns "year" or "date") as series for
    :func:`over_time_chart`; the "(none)" column of undated documents is left out."""
    out: dict[str, dict[str, float]] = {}
    for r, row in enumerate(matrix.rows):
        values = {
            col.label: matrix.values[r][c]
            for c, col in enumerate(matrix.columns)
            if col.label[:1].isdigit()
        }
        if any(values.values()):
            out[row.label] = values
    return out


def render(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG (100 dpi) or SVG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fmt not in ("png", "svg"):
        raise ValueError(f"charts are written as png or svg, not {fmt!r}")
    from matplotlib import rc_context

    FigureCanvasAgg(fig)  # attaches a canvas; Figure.savefig needs one
    buffer = io.BytesIO()
    # SVG text stays text (not glyph outlines): smaller, faster, searchable, and editable
    # in Inkscape or Illustrator; the reader's sans-serif font draws it.
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def inline_svg(fig: Figure) -> str:
    """The figure as an ``<svg>`` element to put inside an HTML page."""
    text = render(fig, "svg").decode("utf-8")
    return text[text.index("<svg") :]


def _palette(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab20" if n > 10 else "tab10"]
    return [cmap(i % cmap.N) for i in range(n)]


def _measure_label(measure: str) -> str:
    return {
        "count": "codings",
        "coverage": "share of text coded",
        "presence": "documents with the code",
    }.get(measure, measure)


def _title(title: str, total: int, shown: int) -> str:
    return title if shown >= total else f"{title} (largest {shown} of {total})"
