"""Issue 14, items 10 and 11 on a real X server at 1366x768: nothing is cut off."""

from __future__ import annotations

import pytest

SCRIPT = """
import os
from pathlib import Path
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QToolTip
from annotator.gui.agreement.agreement_actions import show_agreement, show_disagreements
from annotator.gui.agreement.disagreement_model import Column
from annotator.gui.controller import ShowMode
from tests.xcb.child import open_sample, report, wait_exposed

w = open_sample(Path(os.environ["ANNOTATOR_HOME"]))
w.controller.set_show_mode(ShowMode.ALL)
QTest.qWait(200)
out = {}

# Codebook names: the name column shows every starter code's whole name.
tree = w.codebook_panel.tree
model = tree.model()
metrics = tree.fontMetrics()
cut = []
def walk(parent):
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        rect = tree.visualRect(index)
        name = index.data()
        need = metrics.horizontalAdvance(name) + tree.iconSize().width() + 10
        if rect.width() < need:
            cut.append([name, rect.width(), need])
        walk(index)
walk(tree.rootIndex())
out["cut_names"] = cut

# A long quote's tooltip wraps at a reading width instead of running across the screen.
quote = max((c.quote for c in w.controller.project.codings.all()), key=len) * 2
w.codings_panel.model.set_codings(w.controller.project.codings.all()[:1], w._codes, w._coders)
from annotator.gui import tooltips
QToolTip.showText(w.mapToGlobal(QPoint(200, 200)), tooltips.paragraph(quote), w)
QTest.qWait(300)
tips = [x for x in QApplication.allWidgets()
        if x.metaObject().className() == "QTipLabel" and x.isVisible()]
out["tooltip_width"] = tips[0].width() if tips else None
QToolTip.hideText()

# Agreement: computed for the two sample coders, the figures fit without sideways scrolling.
agreement = show_agreement(w)
wait_exposed(agreement)
agreement.set_checked(agreement.coders, {"Sample coder A", "Sample coder B"})
agreement.compute()
for _ in range(600):
    if agreement.result is not None:
        break
    QTest.qWait(100)
QTest.qWait(300)
table = agreement.code_table
out["agreement_done"] = agreement.result is not None
out["agreement_hscroll"] = table.horizontalScrollBar().isVisible()
h = table.horizontalHeader()
out["agreement_columns"] = [
    [table.model().headerData(i, Qt.Orientation.Horizontal), h.sectionSize(i)]
    for i in range(h.count())
]
out["agreement_viewport"] = table.viewport().width()
agreement.grab().save(os.path.join(os.environ["ANNOTATOR_HOME"], "agreement.png"))
agreement.close()

# Disagreements: the Decision column and Previous/Next are on screen; positions are readable.
viewer = show_disagreements(w)
coders = {c.name: c.id for c in w.controller.coders()}
longest = max(w.controller.documents(), key=lambda d: len(d.title))
viewer.set_filter(coders["Sample coder A"], coders["Sample coder B"], None,
                  documents=[longest.id])
wait_exposed(viewer)
QTest.qWait(300)
header = viewer.table.horizontalHeader()
right = header.sectionViewportPosition(Column.DECISION) + header.sectionSize(Column.DECISION)
out["decision_right"] = right
out["table_width"] = viewer.table.viewport().width()
out["disagreement_hscroll"] = viewer.table.horizontalScrollBar().isVisible()
out["next_visible"] = viewer.next_button.visibleRegion().boundingRect().width()
out["next_width"] = viewer.next_button.width()
out["positions"] = [viewer.model.index(r, Column.POSITION).data()
                    for r in range(viewer.model.rowCount())]
out["details"] = viewer.details.text()
viewer.grab().save(os.path.join(os.environ["ANNOTATOR_HOME"], "viewer.png"))
report(**out)
"""


@pytest.fixture(scope="module")
def cutoff(xserver, tmp_path_factory):
    return xserver.run(SCRIPT, home=tmp_path_factory.mktemp("cutoff-home"), timeout=300)


def test_codebook_names_are_not_cut(cutoff):
    assert cutoff["cut_names"] == []


def test_long_tooltips_wrap_at_a_reading_width(cutoff):
    assert cutoff["tooltip_width"] is not None
    assert 300 <= cutoff["tooltip_width"] <= 600


def test_agreement_figures_fit_without_sideways_scrolling(cutoff):
    assert cutoff["agreement_done"]
    assert not cutoff["agreement_hscroll"]


def test_disagreements_show_decision_buttons_and_page_paragraph(cutoff):
    assert not cutoff["disagreement_hscroll"]
    assert cutoff["decision_right"] <= cutoff["table_width"]
    assert cutoff["next_visible"] == cutoff["next_width"]
    assert cutoff["positions"] and all("¶" in p for p in cutoff["positions"])
    assert "¶" in cutoff["details"]
