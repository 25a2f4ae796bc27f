"""Charts render offscreen as PNG and SVG, and the HTML report carries them and the memos."""

from __future__ import annotations

import io

import lxml.etree
import lxml.html
import pytest
from PIL import Image

from annotator.exchange import charts
from annotator.services.exporting import export_codings
from annotator.services.matrices import MatrixRequest, build_matrix
from tests.services.analysis_helpers import build


@pytest.mark.parametrize("columns", ["documents", "groups", "codes", "year"])
def test_every_chart_renders_png_and_svg(project, columns):
    build(project)
    matrix = build_matrix(project, MatrixRequest(columns=columns, hide_empty_codes=True))
    figures = [charts.heatmap(matrix)]
    if columns == "year":
        figures.append(charts.over_time_chart(charts.series_from_matrix(matrix)))
    elif columns != "codes":
        figures.append(charts.frequency_chart(matrix))
    for fig in figures:
        png = charts.render(fig, "png")
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 400 and image.height >= 200
        # Not blank: a chart has many colours.
        assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 20
        svg = lxml.etree.fromstring(charts.render(fig, "svg"))
        assert svg.tag.endswith("svg")
    with pytest.raises(ValueError):
        charts.render(figures[0], "gif")


def test_html_report_includes_charts_and_memos(project, tmp_path):
    (_, d2, _), _, _ = build(project)
    project.memos.set_document_memo(d2, "Response memo <b>not bold</b>")
    path = tmp_path / "report.html"
    export_codings(project, path, "html")
    tree = lxml.html.parse(str(path)).getroot()
    assert len(tree.xpath("//section[@class='charts']//svg")) == 3
    assert "Response memo <b>not bold</b>" in tree.text_content()
    assert not tree.xpath("//article[@class='memo']//b")
