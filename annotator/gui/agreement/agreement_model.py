"""A table model over the plain rows of an agreement report (one row per code, pair, ...)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from annotator.agreement import AgreementValue, ReportRow
from annotator.agreement.render import fixed

_Index = QModelIndex | QPersistentModelIndex

RELIABILITY_ROLE = Qt.ItemDataRole.UserRole + 1
"""``"reliable"``, ``"tentative"``, ``"unreliable"``, ``"undefined"`` or None (no threshold)."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The :class:`ReportRow` of any cell."""

COLOURS = {
    "reliable": QColor("#b7e1b0"),
    "tentative": QColor("#f6e7a1"),
    "unreliable": QColor("#f2b8b5"),
    "undefined": QColor("#e4e4e4"),
}
"""Krippendorff's (2004) thresholds, the same colours as the HTML report."""

# Two-line headers keep the columns narrow enough for a laptop screen without sideways
# scrolling; the full measure name is the header's tooltip.
SHORT_LABELS = {
    "percent_agreement": "Agree-\nment",
    "krippendorff_alpha": "Alpha",
    "cohen_kappa": "Cohen's\nkappa",
    "scott_pi": "Scott's\npi",
    "fleiss_kappa": "Fleiss'\nkappa",
    "bennett_s": "Bennett's\nS",
    "gwet_ac1": "Gwet's\nAC1",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "segment_agreement": "Matched share",
    "gamma": "Gamma",
}


def reliability(v: AgreementValue | None) -> str | None:
    """Which band of Krippendorff's thresholds a figure falls in (None: not applicable)."""
    if v is None:
        return None
    if v.value is None:
        return "undefined"
    if not v.chance_corrected:
        return None
    return "reliable" if v.value >= 0.8 else "tentative" if v.value >= 0.667 else "unreliable"


def _ci_text(v: AgreementValue | None) -> str:
    if v is None or v.ci is None:
        return ""
    return f"[{fixed(v.ci.low)}, {fixed(v.ci.high)}]"


class AgreementModel(QAbstractTableModel):
    """Rows of one view of the report: label, units, coded by each coder, each measure.

    Columns: the row's label, the number of units, one "coded by" column per coder, one
    column per measure (with an interval column after alpha when the report has intervals).
    """

    def __init__(self, label: Callable[[ReportRow], str], first: str = "Code") -> None:
        super().__init__()
        self._label = label
        self._first = first
        self._rows: list[ReportRow] = []
        self._coders: list[str] = []
        self._columns: list[tuple[str, str]] = []  # (kind, key)

    def set_rows(self, rows: Sequence[ReportRow]) -> None:
        """Show these rows (of one report)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._coders = list(dict.fromkeys(c for r in self._rows for c in r.coded_by))
        measures = list(dict.fromkeys(v.measure for r in self._rows for v in r.values))
        has_ci = any(v.ci is not None for r in self._rows for v in r.values)
        # The figures people come for first, right after the code; unit counts after them.
        cols: list[tuple[str, str]] = [("label", "")]
        for m in measures:
            cols.append(("measure", m))
            if m == "krippendorff_alpha" and has_ci:
                cols.append(("ci", m))
        cols.append(("units", ""))
        cols += [("coded", c) for c in self._coders]
        self._columns = cols
        self.endResetModel()

    def row(self, row: int) -> ReportRow:
        """The report row shown at ``row``."""
        return self._rows[row]

    def column_of(self, measure: str) -> int:
        """The column of a measure's values, or -1."""
        return (
            self._columns.index(("measure", measure))
            if ("measure", measure) in self._columns
            else -1
        )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Rows of the report view (none under a parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Label, units, coders, measures."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (full measure names as tooltips)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        kind, key = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "label": self._first,
                "units": "Units",
                "coded": "Coded by\n" + (key if len(key) <= 10 else key[:9] + "…"),
                "measure": SHORT_LABELS.get(key, key),
                "ci": "Alpha CI",
            }[kind]
        if role == Qt.ItemDataRole.ToolTipRole and kind == "coded":
            return f"Units coded by {key}"
        if role == Qt.ItemDataRole.ToolTipRole and kind == "measure":
            v = next((r.value(key) for r in self._rows if r.value(key) is not None), None)
            return v.label if v is not None else key
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Figures as text, coloured by reliability band, with reasons and details as tips."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        kind, key = self._columns[index.column()]
        value = r.value(key) if kind in ("measure", "ci") else None
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "label":
                return self._label(r)
            if kind == "units":
                return f"{r.n_units:,}"
            if kind == "coded":
                n = r.coded_by.get(key)
                return "" if n is None else f"{n:,}"
            if kind == "ci":
                return _ci_text(value)
            if value is None:
                return ""
            return "undefined" if value.value is None else fixed(value.value)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind != "label":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if kind != "measure":
            return None
        band = reliability(value)
        if role == RELIABILITY_ROLE:
            return band
        if role == Qt.ItemDataRole.BackgroundRole and band is not None:
            return QBrush(COLOURS[band])
        if role == Qt.ItemDataRole.ForegroundRole and band is not None:
            return QBrush(QColor("#222222"))  # readable on the light bands in dark themes too
        if role == Qt.ItemDataRole.ToolTipRole and value is not None:
            if value.value is None:
                return f"Undefined: {value.undefined_reason}"
            tip = f"{value.label}; {value.variant}; n = {value.n_units:,} {value.unit} units"
            if value.ci is not None:
                ci = value.ci
                tip += (
                    f"\n{ci.confidence:.0%} interval {_ci_text(value)} from {ci.n_resamples} "
                    f"resamples of {ci.resampled}; P(alpha < .800) = {ci.p_below_800:.2f}"
                )
            return tip
        return None
