"""Fidelity measures for imported PDFs, against poppler's ``pdftotext`` (issue #13).

Shared by the real-document tests and ``bench/pdf_fidelity_bench.py``; independent of the
importer (it reads the PDF with ``pdftotext``, a different engine).

* **Furniture lines.** A page's *edge lines* are its first and last three non-empty lines
  as ``pdftotext`` reads the page. An edge line's *key* is its letters only, case kept
  (digits, spaces and punctuation dropped, so "22 BEHAVIOUR CHANGE" and "BEHAVIOUR CHANGE
  23" share the key "BEHAVIOURCHANGE", and letter-spaced headers match their run-together
  form). A key with at least four letters that is an edge line on more than a third of
  the pages is *furniture*. It *survives* as many times as it occurs in the imported text
  beyond its occurrences in the body (every ``pdftotext`` line that is not a furniture
  edge line) of the same page, both counted on the same letters-only text: the body's
  own uses of the words are not counted against the importer.
* **Word coverage.** The share of the body's words (``\\w+``, lower-cased, counted with
  multiplicity) that the imported text has. Not body: edge lines that are furniture or
  only a page number, and any line that recurs whole on more than a third of the pages
  (a rotated margin line or a printer's slug, which ``pdftotext`` places mid-page).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_NOT_LETTER = re.compile(r"[^a-zA-Z]+")
_WORD = re.compile(r"\w+")
_PAGE_NUMBER_ONLY = re.compile(r"^[\W\d_ivxlc]*$", re.IGNORECASE)
_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011\u00ad]\n?(?=\w)")
_DIGITS = re.compile(r"\d+")


def words(text: str) -> Counter[str]:
    """Word counts: NFKC (ligatures), lower case, hyphens between letters removed
    ("whole-system", "whole-\\nsystem" and "wholesystem" are one word)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return Counter(_WORD.findall(_HYPHEN.sub("", text)))


def line_key(line: str) -> str:
    """A whole line, digits masked and blanks collapsed, for recurring-line detection."""
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def have_pdftotext() -> bool:
    """Whether poppler's ``pdftotext`` is on PATH."""
    return shutil.which("pdftotext") is not None


def pdftotext_pages(path: Path, password: str | None = None) -> list[list[str]]:
    """Each page's non-empty lines, as ``pdftotext`` (reading order mode) gives them."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if password:
        args += ["-upw", password]
    out = subprocess.run(
        [*args, str(path), "-"], check=True, capture_output=True, timeout=300
    ).stdout.decode("utf-8", errors="replace")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]


def letters(text: str) -> str:
    """``text`` with everything but the letters a-z and A-Z dropped (case kept: furniture
    repeats itself exactly, and a body line "behaviour change?" is not the header
    "BEHAVIOUR CHANGE")."""
    return _NOT_LETTER.sub("", text)


@dataclass(frozen=True)
class Fidelity:
    """What :func:`measure` found for one document."""

    pages: int
    furniture: dict[str, int]  # key -> pages on which it is an edge line
    survivors: dict[str, int]  # key -> occurrences left in the import beyond the body's
    coverage: float  # share of the body's words found in the import
    missing: Counter[str]  # body words the import lacks (how many of each)

    @property
    def worst_survivor(self) -> int:
        """The most times any one furniture line survives (0 when none does)."""
        return max(self.survivors.values(), default=0)


def measure(path: Path, imported: str | list[str], password: str | None = None) -> Fidelity:
    """Furniture survivors and word coverage of an import against ``pdftotext``.

    ``imported`` is the imported text, or better the text of each of its pages: then the
    survivors are counted page by page (a header left on page 9 is not offset by a use of
    the same words the import lost on page 40).
    """
    pages = pdftotext_pages(path, password)
    edge_keys: Counter[str] = Counter()
    for lines in pages:
        edges = {letters(line) for line in lines[:3] + lines[-3:]}
        edge_keys.update(key for key in edges if len(key) >= 4)
    furniture = {key: n for key, n in edge_keys.items() if n >= 2 and n > len(pages) / 3}
    # A line that recurs whole on that many pages is furniture wherever pdftotext puts it
    # (a rotated margin line lands mid-page): not body text the import must keep.
    line_keys: Counter[str] = Counter()
    for lines in pages:
        line_keys.update({line_key(line) for line in lines})
    recurring = {key for key, n in line_keys.items() if n >= 2 and n > len(pages) / 3}
    body_pages: list[list[str]] = []
    for lines in pages:
        body_pages.append([])
        for index, line in enumerate(lines):
            edge = index < 3 or index >= len(lines) - 3
            if (edge and (letters(line) in furniture or _PAGE_NUMBER_ONLY.match(line))) or (
                len(letters(line)) >= 2 and line_key(line) in recurring
            ):
                continue
            body_pages[-1].append(line)
    body = "\n".join("\n".join(lines) for lines in body_pages)
    survivors: dict[str, int] = {}
    if isinstance(imported, str) or len(imported) != len(pages):
        # Without pages, the whole text against the whole body.
        whole = imported if isinstance(imported, str) else "\n".join(imported)
        compared = [(whole, body)]
    else:
        compared = [
            (page, "\n".join(lines)) for page, lines in zip(imported, body_pages, strict=True)
        ]
    for page_text, page_body in compared:
        got, own = letters(page_text), letters(page_body)
        for key in furniture:
            extra = got.count(key) - own.count(key)
            if extra > 0:
                survivors[key] = survivors.get(key, 0) + extra
    imported_text = imported if isinstance(imported, str) else "\n".join(imported)
    reference = words(body)
    found = words(imported_text)
    total = sum(reference.values())
    missing = Counter({word: n - found[word] for word, n in reference.items() if n > found[word]})
    coverage = 1 - sum(missing.values()) / total if total else 1.0
    return Fidelity(len(pages), furniture, survivors, coverage, missing)


def visible_text(html: bytes) -> str:
    """The text a browser shows of an HTML page or fragment (scripts, styles and
    comments dropped), read with lxml independently of the importer."""
    import lxml.html

    # The saved pages and references are UTF-8; a fragment declares no charset.
    root = lxml.html.document_fromstring(html.decode("utf-8", errors="replace"))
    for bad in root.xpath("//script|//style|//noscript|//template|//comment()"):
        if bad.getparent() is not None:
            bad.drop_tree()
    return " ".join(root.text_content().split())


@dataclass(frozen=True)
class WordMatch:
    """Word recall and precision of an extraction against a reference extraction."""

    recall: float  # share of the reference's words the extraction has
    precision: float  # share of the extraction's words the reference has


def word_match(reference: str, extracted: str) -> WordMatch:
    """Bag-of-words recall and precision (words as :func:`words` counts them)."""
    want, got = words(reference), words(extracted)
    common = sum(min(n, got[w]) for w, n in want.items())
    return WordMatch(common / max(1, sum(want.values())), common / max(1, sum(got.values())))
