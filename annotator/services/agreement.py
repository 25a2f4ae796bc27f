"""Inter-coder agreement of a project: gather the codings, compute the report, write it.

The statistics live in :mod:`annotator.agreement` (pure, domain-free); this module turns a
project into its inputs. The report's coder, code and document strings are **display
labels**, so every export reads without a lookup table: coder names (unique in a project),
code paths (unique in a codebook) and document titles (a title shared by two documents gets
the first eight hex digits of its UUID appended). :class:`AgreementResult` maps each label
back to its UUID for the GUI.

Units: ``character`` (every code point), ``sentence``
(:func:`annotator.domain.sentences.sentence_spans` over the text and its blocks),
``paragraph`` (the document's structural blocks, as in the unit-by-coder export, or every
non-blank line for a document stored without blocks; overlapping blocks are clipped so the
units are disjoint) and ``segment`` (codings matched by overlap).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.agreement import (
    AgreementCancelledError,
    AgreementReport,
    CodedSpan,
    build_report,
    report_to_csv,
    report_to_html,
    report_to_json,
)
from annotator.agreement.gamma_report import GammaSettings
from annotator.domain.codebook import subtree_ids, tree_order
from annotator.domain.codebook_paths import code_paths, path_key
from annotator.domain.errors import ValidationError
from annotator.domain.model import Code, Coder, Coding, DocumentSummary
from annotator.exchange.unit_table import UnitKind, units_of

if TYPE_CHECKING:
    from annotator.services.project import Project

UNITS = ("character", "sentence", "paragraph", "segment")

# Which of the chosen documents are compared. A document nobody coded is not evidence of
# agreement: counting it adds thousands of "both absent" units that inflate S and AC1
# and percent agreement. The default compares the documents every compared coder coded.
FRAMES = {
    "coded-by-all": "documents in which every compared coder made at least one coding",
    "coded-by-any": "documents in which at least one compared coder made a coding",
    "all": "every chosen document, coded or not",
}
DEFAULT_FRAME = "coded-by-all"
REPORT_FORMATS = ("html", "csv", "json")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class AgreementRequest:
    """What to compare; an empty ``documents`` or ``codes`` means "all".

    ``frame`` narrows the chosen documents (see :data:`FRAMES`): by default only those
    that every compared coder coded (any code) are compared.

    ``coders`` are names or UUIDs (two or more), ``documents`` titles or UUIDs, ``codes``
    paths or UUIDs (with every sub-code when ``descendants``). Without ``codes``, every
    code that one of the coders applied in the chosen documents is compared.
    """

    coders: tuple[str, ...]
    documents: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    descendants: bool = True
    unit: str = "character"
    overlap: float = 0.5
    bootstrap: int = 0
    seed: int | None = None
    confidence: float = 0.95
    frame: str = DEFAULT_FRAME
    gamma_samples: int = 0
    """Random continua for gamma (Mathet et al. 2015); 0 leaves gamma out."""


@dataclass(frozen=True)
class AgreementResult:
    """The report and, for each label it uses, the entity it stands for."""

    report: AgreementReport
    coder_ids: dict[str, uuid.UUID]
    code_ids: dict[str, uuid.UUID]
    document_ids: dict[str, uuid.UUID]


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


def document_labels(documents: Sequence[DocumentSummary]) -> dict[uuid.UUID, str]:
    """Each document's title, made unique with a short UUID where titles repeat."""
    seen: dict[str, int] = {}
    for d in documents:
        seen[d.title] = seen.get(d.title, 0) + 1
    return {
        d.id: d.title if seen[d.title] == 1 else f"{d.title} [{d.id.hex[:8]}]" for d in documents
    }


def paragraph_units(blocks: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans clipped so that they do not overlap (nested blocks keep their outer part)."""
    out: list[tuple[int, int]] = []
    reach = 0
    for start, end in sorted(blocks):
        start = max(start, reach)
        if end > start:
            out.append((start, end))
            reach = end
    return out


class AgreementService:
    """Agreement reports over one project (read-only: nothing is written to the project)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    # -- resolving names --------------------------------------------------------------
    def resolve_coders(self, wanted: Sequence[str]) -> list[Coder]:
        """The coders named (or identified by UUID), in the order given, without repeats."""
        everyone = self._project.coders.list()
        chosen: list[Coder] = []
        for entry in wanted:
            hit = next(
                (c for c in everyone if c.name == entry.strip() or c.id == _as_uuid(entry)), None
            )
            if hit is None:
                names = ", ".join(c.name for c in everyone) or "none"
                raise ValidationError(
                    f"There is no coder '{entry}' in this project (coders: {names})."
                )
            if hit not in chosen:
                chosen.append(hit)
        if len(chosen) < 2:
            raise ValidationError("Agreement needs at least two different coders.")
        return chosen

    def resolve_documents(self, wanted: Sequence[str]) -> list[DocumentSummary]:
        """The documents with these titles or UUIDs (all documents when none are given)."""
        every = self._project.documents.list()
        if not wanted:
            return every
        picked: set[uuid.UUID] = set()
        for entry in wanted:
            key = entry.strip()
            hits = {d.id for d in every if d.id == _as_uuid(entry) or d.title == key}
            hits = hits or {d.id for d in every if d.title.casefold() == key.casefold()}
            if not hits:
                raise ValidationError(f"There is no document '{entry}' in this project.")
            picked |= hits
        return [d for d in every if d.id in picked]

    def resolve_codes(self, wanted: Sequence[str], descendants: bool = True) -> list[Code] | None:
        """The codes at these paths or UUIDs (and their sub-codes), in codebook order.

        None when nothing was asked for (every code used is then compared).
        """
        if not wanted:
            return None
        codes = self._project.codebook.list()
        keys = {path_key(p): i for i, p in code_paths(codes).items()}
        known = {c.id for c in codes}
        ids: set[uuid.UUID] = set()
        for entry in wanted:
            root = _as_uuid(entry)
            root = root if root in known else keys.get(path_key(entry))
            if root is None:
                raise ValidationError(f"There is no code '{entry}' in this codebook.")
            ids.update(subtree_ids(root, codes) if descendants else [root])
        return [c for c in tree_order(codes) if c.id in ids and c.codable]

    # -- computing --------------------------------------------------------------------
    def compute(
        self,
        request: AgreementRequest,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> AgreementResult:
        """Gather the codings and build the report (see :func:`annotator.agreement.build_report`).

        Raises :class:`ValidationError` for unknown coders, documents or codes and for an
        unknown unit; :class:`annotator.agreement.AgreementCancelledError` when
        ``cancelled`` returns True.
        """
        if request.unit not in UNITS:
            raise ValidationError(f"The unit must be one of {', '.join(UNITS)}.")
        _check(cancelled)
        if not 0.0 <= request.overlap <= 1.0:
            raise ValidationError("The minimum overlap must be between 0 and 1.")
        if request.frame not in FRAMES:
            raise ValidationError(f"The document frame must be one of {', '.join(FRAMES)}.")
        coders = self.resolve_coders(request.coders)
        chosen = self.resolve_documents(request.documents)
        if not chosen:
            raise ValidationError("There are no documents to compare.")
        wanted_codes = self.resolve_codes(request.codes, request.descendants)
        every_code = self._project.codebook.list()
        paths = code_paths(every_code)
        coder_label = {c.id: c.name for c in coders}
        codings = self._project.codings.all(set(coder_label))
        documents = frame_documents(chosen, codings, set(coder_label), request.frame)
        if not documents:
            raise ValidationError(
                f"None of the {len(chosen)} chosen documents is in the frame "
                f"({FRAMES[request.frame]}); choose another document frame."
            )
        doc_label = document_labels(documents)
        wanted_ids = None if wanted_codes is None else {c.id for c in wanted_codes}
        spans = [
            CodedSpan(
                coder_label[c.coder_id],
                doc_label[c.document_id],
                paths[c.code_id],
                c.start,
                c.end,
            )
            for c in codings
            if c.document_id in doc_label and (wanted_ids is None or c.code_id in wanted_ids)
        ]
        if wanted_codes is None:
            used = {s.code for s in spans}
            code_list = [paths[c.id] for c in tree_order(every_code) if paths[c.id] in used]
        else:
            code_list = [paths[c.id] for c in wanted_codes]
        _check(cancelled)
        unit_spans = None
        if request.unit in ("sentence", "paragraph"):
            unit_spans = self.unit_spans(documents, request.unit, doc_label)
            _check(cancelled)
        report = build_report(
            spans,
            {doc_label[d.id]: d.length for d in documents},
            [c.name for c in coders],
            codes=code_list,
            documents=[doc_label[d.id] for d in documents],
            unit=request.unit,
            unit_spans=unit_spans,
            overlap=request.overlap,
            bootstrap=request.bootstrap,
            seed=request.seed,
            confidence=request.confidence,
            progress=progress,
            cancelled=cancelled,
            frame=frame_sentence(request.frame, len(documents), len(chosen)),
            gamma=GammaSettings(request.gamma_samples, request.seed or 0)
            if request.gamma_samples
            else None,
        )
        return AgreementResult(
            report,
            {c.name: c.id for c in coders},
            {paths[c.id]: c.id for c in every_code if paths[c.id] in set(code_list)},
            {label: i for i, label in doc_label.items()},
        )

    def unit_spans(
        self,
        documents: Sequence[DocumentSummary],
        unit: str,
        labels: dict[uuid.UUID, str] | None = None,
    ) -> dict[str, list[tuple[int, int]]]:
        """Sentence or paragraph units of each document, keyed by its label."""
        labels = labels or document_labels(documents)
        out: dict[str, list[tuple[int, int]]] = {}
        for summary in documents:
            doc = self._project.documents.get(summary.id)
            if unit == "sentence":
                out[labels[summary.id]] = units_of(doc, UnitKind.SENTENCE)
            else:
                out[labels[summary.id]] = paragraph_units(units_of(doc, UnitKind.PARAGRAPH))
        return out


def frame_documents(
    documents: Sequence[DocumentSummary],
    codings: Sequence[Coding],
    coders: set[uuid.UUID],
    frame: str,
) -> list[DocumentSummary]:
    """The documents of ``documents`` inside ``frame`` (see :data:`FRAMES`)."""
    if frame == "all":
        return list(documents)
    coded: dict[uuid.UUID, set[uuid.UUID]] = {}
    for c in codings:
        if c.coder_id in coders:
            coded.setdefault(c.document_id, set()).add(c.coder_id)
    if frame == "coded-by-any":
        return [d for d in documents if coded.get(d.id)]
    return [d for d in documents if coded.get(d.id, set()) >= coders]


def frame_sentence(frame: str, n_in: int, n_chosen: int) -> str:
    """The methods paragraph's sentence on which documents were compared."""
    if frame == "all":
        return f"Every chosen document was compared, coded or not ({n_chosen} documents)."
    left_out = n_chosen - n_in
    text = f"The comparison was restricted to {FRAMES[frame]} ({n_in} of {n_chosen} documents"
    return text + (f"; {left_out} excluded)." if left_out else ").")


def _check(cancelled: Cancelled | None) -> None:
    """Stop between the gathering steps too, not only between the report's rows."""
    if cancelled is not None and cancelled():
        raise AgreementCancelledError("agreement report cancelled")


def render_report(report: AgreementReport, fmt: str) -> str:
    """The report as ``html``, ``csv`` or ``json`` text."""
    renderers = {"html": report_to_html, "csv": report_to_csv, "json": report_to_json}
    if fmt not in renderers:
        raise ValidationError(f"The report format must be one of {', '.join(REPORT_FORMATS)}.")
    return renderers[fmt](report)


def write_report(report: AgreementReport, path: Path, fmt: str) -> Path:
    """Write the report to ``path`` (under a temporary name, renamed into place when done)."""
    text = render_report(report, fmt)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.writing")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"Could not write {path}: {exc.strerror or exc}.") from exc
    return path
