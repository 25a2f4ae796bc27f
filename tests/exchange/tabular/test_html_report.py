"""The HTML report: well-formed, every coding highlighted once in the margin, all escaped."""

from __future__ import annotations

import uuid

import lxml.html

from annotator.domain.model import Coder
from annotator.exchange.coded_set import build_rows
from annotator.exchange.html_report import ReportDocument, rgba, write_html_report

from .helpers import code, coding, document, lookups


def _report(tmp_path, text, spans, title="Doc"):
    doc = document(text, title=title)
    red = code("Red <b>", color="#ff0000")
    blue = code("Blue & co", color="#0000ff")
    ann = Coder(uuid.uuid4(), "Ann <script>")
    codes = [red, blue]
    codings = [coding(doc, codes[i % 2], ann, s, e) for i, (s, e) in enumerate(spans)]
    rows = list(build_rows(doc, codings, lookups(codes, [ann])))
    colours = {str(c.id): c.color for c in codes}
    path = tmp_path / "report.html"
    n = write_html_report(path, "Report <x>", [ReportDocument(doc, rows)], colours, "sub & title")
    return path, rows, n


def _coding_ids(tree) -> set[str]:
    ids: set[str] = set()
    for mark in tree.xpath("//mark[@data-codings]"):
        ids.update(mark.get("data-codings").split())
    return ids


def test_every_coding_is_highlighted_and_listed_once(tmp_path):
    text = "First line with a passage.\n\nSecond line, overlapping here and there.\nThird."
    a = text.index("passage")
    b = text.index("overlapping")
    spans = [(a, a + 7), (b, b + 16), (b + 12, b + 26), (a, text.index("Third") + 5)]
    path, rows, n = _report(tmp_path, text, spans)
    tree = lxml.html.parse(str(path)).getroot()
    assert n == len(rows) == 4
    assert _coding_ids(tree) == {r.coding_id for r in rows}
    margin = tree.xpath("//li[@class='margin-code']")
    assert sorted(li.get("data-coding") for li in margin) == sorted(r.coding_id for r in rows)
    overlaps = tree.xpath("//mark[contains(@class, 'overlap')]")
    assert overlaps, "overlapping codings are marked"
    assert any(len(m.get("data-codings").split()) == 3 for m in overlaps)
    assert "linear-gradient" in overlaps[0].get("style")


def test_text_is_rendered_exactly_and_escaped(tmp_path):
    text = '<script>alert(1)</script> & "quotes"\nשלום עולם\n=1+1'
    path, _rows, _ = _report(tmp_path, text, [(0, 8), (text.index("שלום"), len(text))])
    html = path.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    tree = lxml.html.parse(str(path)).getroot()
    lines = [d.text_content() for d in tree.xpath("//div[@class='text']")]
    assert "\n".join(lines) == text
    assert tree.xpath("//title")[0].text == "Report <x>"
    names = [li.text_content() for li in tree.xpath("//li[@class='margin-code']")]
    assert names == ["Red <b> (Ann <script>)", "Blue & co (Ann <script>)"]
    assert not tree.xpath("//script") and not tree.xpath("//b")


def test_colours_reach_styles_only_when_valid():
    assert rgba("#ff8000") == "rgba(255,128,0,0.35)"
    assert rgba("red;} body{display:none") == rgba("#999999")


def test_a_document_without_codings_still_renders(tmp_path):
    path, _rows, n = _report(tmp_path, "Nothing coded.\n", [])
    tree = lxml.html.parse(str(path)).getroot()
    assert n == 0 and not tree.xpath("//mark")
    assert tree.xpath("//section[@class='document']/h2")[0].text == "Doc"


def test_memos_are_printed_beside_their_codings(tmp_path):
    """Issue 14, item 8: a coding's memo is part of the printed report."""
    text = "A passage worth a note.\n"
    doc = document(text)
    red = code("Red", color="#ff0000")
    ann = Coder(uuid.uuid4(), "Ann")
    memo = "Borderline <case>: see the minutes"
    codings = [coding(doc, red, ann, 2, 9, memo=memo)]
    rows = list(build_rows(doc, codings, lookups([red], [ann])))
    path = tmp_path / "memo.html"
    write_html_report(path, "R", [ReportDocument(doc, rows)], {str(red.id): red.color})
    tree = lxml.html.parse(str(path)).getroot()
    memos = [m.text_content() for m in tree.xpath("//aside//*[@class='memo']")]
    assert memos == [f"Memo: {memo}"]
    assert memo in tree.xpath("//mark")[0].get("title")


def test_uncoded_documents_print_their_text_only_when_asked(tmp_path):
    body = "A long uncoded annex nobody coded."
    doc = document(body + "\n", title="Annex")
    for asked in (False, True):
        path = tmp_path / f"u{asked}.html"
        write_html_report(path, "R", [ReportDocument(doc, [])], {}, uncoded_text=asked)
        page = lxml.html.parse(str(path)).getroot().text_content()
        assert "Annex" in page
        assert (body in page) is asked
        assert ("the text is left out" in page) is not asked
