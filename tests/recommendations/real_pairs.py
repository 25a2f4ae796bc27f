"""The two real report/response pairs in ``../shared/real-docs`` as a matching benchmark.

Used by ``test_real_pairs.py`` and ``bench/response_matching_bench.py``. The documents are
imported with the project's own importer, as a user would; each recommendation is coded
where the pair's alignment spreadsheet's text is found in the imported report, and each
row's answer is located in the imported response by the spreadsheet's response text.

The spreadsheets were made by a language model. Every row's alignment was checked by hand
against the imported response text (the answer under that recommendation's heading or
quotation): two rows are wrong and are corrected below (:data:`CORRECTIONS`), the other 41
hold. The statuses (Accept / Partial / Reject) are the spreadsheet's own judgements of
substance, not re-judged; :data:`COARSE` says how our seven statuses are compared to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.model import Code, Coding, new_id
from annotator.services.importing import import_files
from annotator.services.project import Project
from annotator.services.response_matching import match_document

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-docs"

PAIRS = {
    "covid-inquiry-m1": (
        "pdf_covid-inquiry-m1-report.pdf",
        "pdf_covid-inquiry-m1-govt-response.pdf",
        "pairs_covid-inquiry-m1_recommendations-responses.xlsx",
    ),
    "behaviour-change": (
        "pdf_hol-behaviour-change-report.pdf",
        "pdf_hol-behaviour-change-govt-response.pdf",
        "pairs_behaviour-change_recommendations-responses.xlsx",
    ),
}

# Rows whose "Res Extracted" is the answer to another recommendation (checked by hand in
# the response: both repeat the answer to Recommendation 1). The true answer opens with:
CORRECTIONS = {
    ("covid-inquiry-m1", "5"): "The government agrees with the Inquiry that data and research",
    ("covid-inquiry-m1", "7"): "The government agrees that, given the UK-wide cross-cutting",
}

# The spreadsheets have three statuses; ours has seven. Partial collects every position
# between full acceptance and rejection.
COARSE = {
    "accepted": "Accept",
    "accepted in principle": "Accept",
    "already in place": "Accept",
    "accepted in part": "Partial",
    "under consideration": "Partial",
    "noted": "Partial",
    "not accepted": "Reject",
}

_FOLD = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "‗": "'", "―": '"', "‖": '"', "–": "-", "—": "-"}
)


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased with quotes and white space folded, and each char's offset."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        ch = ch.translate(_FOLD).lower()
        if ch.isspace():
            if space:
                continue
            ch, space = " ", True
        else:
            space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every span of ``text`` whose start matches ``needle``'s longest findable prefix."""
    folded, where = _folded(text)
    want, _ = _folded(needle.strip())
    for prefix in (300, 150, 80, 60, 40, 25):
        key = want[:prefix]
        found, k = [], folded.find(key)
        while k >= 0:
            end = where[min(k + len(want) - 1, len(where) - 1)] + 1
            found.append((where[k], end))
            k = folded.find(key, k + 1)
        if found:
            return found
    return []


@dataclass
class Row:
    """One spreadsheet row after locating it."""

    rec_id: str
    status: str
    coding: Coding
    truth: tuple[int, int]
    corrected: bool = False


@dataclass
class PairResult:
    """Recall and status accuracy for one pair."""

    name: str
    rows: list[Row]
    rank: list[int | None] = field(default_factory=list)  # 0-based rank of the true answer
    status_ok: list[bool] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def recall(self, k: int) -> float:
        """Share of recommendations whose answer is among the first ``k`` candidates."""
        return sum(1 for r in self.rank if r is not None and r < k) / max(len(self.rank), 1)

    @property
    def status_accuracy(self) -> float:
        """Share whose proposed status (of the true answer's candidate) agrees."""
        return sum(self.status_ok) / max(len(self.status_ok), 1)


def build(project: Project, name: str) -> tuple[object, object, list[Row], list[str]]:
    """Import a pair and code its recommendations; returns report, response, rows, misses."""
    import openpyxl

    report_file, response_file, sheet = PAIRS[name]
    result = import_files(project.documents, [REAL / report_file, REAL / response_file])
    report_id, response_id = (r.document_id for r in result.results)
    report = project.documents.get(report_id, kinds=())
    response = project.documents.get(response_id, kinds=())
    code = project.codebook.add(Code(new_id(), "Recommendation", "#1f77b4", kind="recommendation"))
    coder = project.coders.ensure("Real pairs")
    book = openpyxl.load_workbook(REAL / sheet, read_only=True)
    rows: list[Row] = []
    misses: list[str] = []
    from annotator.domain.response_wording import own_number

    for values in list(book.active.iter_rows(values_only=True))[1:]:
        rec_id, rec_text, res_text, status = str(values[3]), values[4], values[9], values[10]
        spots = locate_all(report.text, rec_text)
        # A coder codes the numbered statement of a recommendation (the report may also
        # state it in its chapter text): prefer the spot the report numbers as the row does.
        wanted = rec_id.split("/")[0].rstrip("ab")
        numbered = [s for s in spots if own_number(report.text, *s) == wanted]
        spot = (numbered or spots or [None])[0]
        correction = CORRECTIONS.get((name, rec_id))
        answers = locate_all(response.text, correction or res_text)
        if spot is None or not answers:
            misses.append(rec_id)
            continue
        coding = project.codings.add(
            Coding(new_id(), report.id, code.id, coder.id, spot[0], spot[1], "")
        )
        rows.append(Row(rec_id, status, coding, answers[0], correction is not None))
    return report, response, rows, misses


def evaluate(project: Project, name: str, top: int = 5) -> PairResult:
    """Import, code, match and score one pair."""
    import time

    report, response, rows, misses = build(project, name)
    started = time.perf_counter()
    matches = match_document(project, report.id, response.id, top=top)
    seconds = time.perf_counter() - started
    by_coding = {m.coding.id: m for m in matches}
    result = PairResult(name, rows, unlocated=misses, seconds=seconds)
    for row in rows:
        candidates = by_coding[row.coding.id].candidates
        start, end = row.truth
        hits = [i for i, c in enumerate(candidates) if c.start < end and c.end > start]
        result.rank.append(hits[0] if hits else None)
        status = candidates[hits[0]].status if hits else None
        result.status_ok.append(COARSE.get(status or "") == row.status)
    return result
