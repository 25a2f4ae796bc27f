"""The retrieval query language: parse ``"A AND NOT B"`` into a tree and evaluate it.

Grammar (keywords are UPPER CASE; anything else is part of a code name)::

    query    := or
    or       := and ("OR" and)*
    and      := position ("AND" position)*
    position := unary (operator unary)*
    operator := "OVERLAPS" | "SAME SENTENCE" ["AS"] | "SAME PARAGRAPH" ["AS"]
              | "FOLLOWED BY" ... "WITHIN" N "SENTENCE(S)"   (after the right operand)
    unary    := "NOT" unary | "(" query ")" | code
    code     := a run of words that are not keywords ("Health policy"), or "a quoted path"
                ("Themes/Health AND safety"), naming a code and, with it, all its subcodes

Meaning, per document, on the characters the codes cover (see ``docs/analysis.md``):
``A`` is the text coded A; ``X AND Y`` the text in both; ``X OR Y`` in either; ``NOT X``
the rest of the document. The positional operators keep whole passages (maximal runs) of
their left side: ``X OVERLAPS Y`` those sharing a character with Y; ``X SAME SENTENCE Y`` /
``SAME PARAGRAPH`` those in a sentence / paragraph that Y also touches; ``X FOLLOWED BY Y
WITHIN N SENTENCES`` those after whose end a passage of Y starts, at most N sentences on.
Each maximal run of the result is one retrieved passage.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from annotator.domain.errors import ValidationError
from annotator.domain.spanset import Run, SpanSet, units_touched


class Position(StrEnum):
    """The positional operators."""

    OVERLAPS = "OVERLAPS"
    SENTENCE = "SAME SENTENCE"
    PARAGRAPH = "SAME PARAGRAPH"
    FOLLOWED = "FOLLOWED BY"


@dataclass(frozen=True, slots=True)
class CodeRef:
    """A code named by path or name (with its subcodes)."""

    name: str

    def __str__(self) -> str:
        plain = re.fullmatch(r"[^\s()\"]+(?: [^\s()\"]+)*", self.name) and not any(
            w in KEYWORDS for w in self.name.split()
        )
        return self.name if plain else '"' + self.name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Not:
    """Everything the operand does not cover."""

    operand: Node

    def __str__(self) -> str:
        return f"NOT {_wrap(self.operand, Not)}"


@dataclass(frozen=True, slots=True)
class And:
    """Characters covered by both sides."""

    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_wrap(self.left, And)} AND {_wrap(self.right, And, True)}"


@dataclass(frozen=True, slots=True)
class Or:
    """Characters covered by either side."""

    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_wrap(self.left, Or)} OR {_wrap(self.right, Or, True)}"


@dataclass(frozen=True, slots=True)
class Near:
    """A positional operator: passages of ``left`` placed as ``op`` says relative to ``right``."""

    op: Position
    left: Node
    right: Node
    within: int = 0  # sentences, for FOLLOWED BY only

    def __str__(self) -> str:
        text = f"{_wrap(self.left, Near)} {self.op.value} {_wrap(self.right, Not)}"
        if self.op is Position.FOLLOWED:
            text += f" WITHIN {self.within} SENTENCES"
        return text


Node = CodeRef | Not | And | Or | Near

_RANK = {Or: 0, And: 1, Near: 2, Not: 3, CodeRef: 4}


def _wrap(node: Node, parent: type, right: bool = False) -> str:
    """``node`` as text, in brackets when it binds less tightly than ``parent`` (or as
    tightly, on the right: operators group from the left)."""
    text = str(node)
    rank, outer = _RANK[type(node)], _RANK[parent]
    return f"({text})" if rank < outer or (right and rank == outer) else text


KEYWORDS = frozenset(
    {"AND", "OR", "NOT", "OVERLAPS", "SAME", "SENTENCE", "SENTENCES", "PARAGRAPH", "AS",
     "FOLLOWED", "BY", "WITHIN"}
)  # fmt: skip

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"]|"")*)"|([^\s()"]+))')


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: kind is "(", ")", "quoted" or "word"."""
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ValidationError(f"Unclosed quotation mark in the query at character {pos + 1}.")
        if match.group(1):
            out.append(("(", "("))
        elif match.group(2):
            out.append((")", ")"))
        elif match.group(3) is not None:
            out.append(("quoted", match.group(3).replace('""', '"')))
        else:
            out.append(("word", match.group(4)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        """Consume the keywords ``words`` if they come next."""
        for k, word in enumerate(words):
            token = self.peek(k)
            if token != ("word", word):
                return False
        self.i += len(words)
        return True

    def expect(self, word: str, why: str) -> None:
        if not self.keyword(word):
            raise ValidationError(f"Expected {word} {why}.")

    def parse(self) -> Node:
        if not self.tokens:
            raise ValidationError("The query is empty: name a code, e.g. Health AND NOT Funding.")
        node = self.or_()
        if self.peek() is not None:
            raise ValidationError(f"Unexpected '{self.peek()[1]}' in the query.")  # type: ignore[index]
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.keyword("OR"):
            node = Or(node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.position()
        while self.keyword("AND"):
            node = And(node, self.position())
        return node

    def position(self) -> Node:
        node = self.unary()
        while True:
            if self.keyword("OVERLAPS"):
                node = Near(Position.OVERLAPS, node, self.unary())
            elif self.keyword("SAME", "SENTENCE") or self.keyword("SAME", "SENTENCES"):
                self.keyword("AS")
                node = Near(Position.SENTENCE, node, self.unary())
            elif self.keyword("SAME", "PARAGRAPH"):
                self.keyword("AS")
                node = Near(Position.PARAGRAPH, node, self.unary())
            elif self.keyword("FOLLOWED", "BY"):
                right = self.unary()
                self.expect("WITHIN", "after FOLLOWED BY ... (e.g. WITHIN 2 SENTENCES)")
                token = self.peek()
                if token is None or not token[1].isdigit():
                    raise ValidationError("WITHIN needs a number of sentences, e.g. WITHIN 2.")
                self.i += 1
                if not (self.keyword("SENTENCES") or self.keyword("SENTENCE")):
                    raise ValidationError("Expected SENTENCES after WITHIN N.")
                node = Near(Position.FOLLOWED, node, right, int(token[1]))
            else:
                return node

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise ValidationError("The query ends where a code name was expected.")
        if self.keyword("NOT"):
            return Not(self.unary())
        if token[0] == "(":
            self.i += 1
            node = self.or_()
            if self.peek() != (")", ")"):
                raise ValidationError("A bracket in the query is not closed.")
            self.i += 1
            return node
        if token[0] == "quoted":
            self.i += 1
            if not token[1].strip():
                raise ValidationError("An empty quoted code name in the query.")
            return CodeRef(token[1].strip())
        words: list[str] = []
        while (t := self.peek()) is not None and t[0] == "word" and t[1] not in KEYWORDS:
            words.append(t[1])
            self.i += 1
        if not words:
            raise ValidationError(f"Expected a code name before '{token[1]}'.")
        return CodeRef(" ".join(words))


def parse_query(text: str) -> Node:
    """Parse a retrieval query; raise :class:`ValidationError` with a readable message."""
    return _Parser(text).parse()


def code_refs(node: Node) -> list[CodeRef]:
    """The codes a query names, in order of appearance (each once)."""
    found: list[CodeRef] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CodeRef):
            if n not in found:
                found.append(n)
        elif isinstance(n, Not):
            stack.append(n.operand)
        else:
            stack.extend((n.right, n.left))
    return found


def positive_refs(node: Node, negated: bool = False) -> list[CodeRef]:
    """The codes named outside any NOT: their codings are the ones a passage shows."""
    if isinstance(node, CodeRef):
        return [] if negated else [node]
    if isinstance(node, Not):
        return positive_refs(node.operand, not negated)
    refs = positive_refs(node.left, negated)
    if not isinstance(node, Near):  # a positional right side only places the passage
        refs += [r for r in positive_refs(node.right, negated) if r not in refs]
    return refs


class SentenceUnits(Protocol):
    """The sentences of one document, as positional operators ask about them."""

    def touched(self, run: Run) -> set[Run]:
        """The sentences sharing a character with ``run``."""

    def starts_between(self, low: int, high: int, limit: int) -> int:
        """How many sentences start in ``(low, high]`` (may stop counting past ``limit``)."""


class _NoSentences:
    def touched(self, run: Run) -> set[Run]:
        return set()

    def starts_between(self, low: int, high: int, limit: int) -> int:
        return 0


class DocumentScope:
    """What a query needs of one document: its length, the spans of each code, and (only
    if a positional operator asks) its sentences and paragraphs."""

    def __init__(
        self,
        length: int,
        spans: Callable[[CodeRef], SpanSet],
        sentences: Callable[[], SentenceUnits] = _NoSentences,
        paragraphs: Callable[[], Sequence[Run]] = list,
        raw_spans: Callable[[CodeRef], Sequence[Run]] | None = None,
    ) -> None:
        self.length = length
        self.spans = spans
        self._sentences = sentences
        self._paragraphs = paragraphs
        # the code's spans as they come (overlapping, unsorted): an OR of many codes
        # merges them all at once instead of one span set per code
        self.raw_spans = raw_spans or (lambda ref: spans(ref).runs)

    @cached_property
    def sentences(self) -> SentenceUnits:
        """The document's sentences."""
        return self._sentences()

    @cached_property
    def paragraphs(self) -> tuple[Sequence[Run], list[int]]:
        """The paragraph spans and their starts."""
        units = self._paragraphs()
        return units, [s for s, _ in units]


def _same_unit(left: SpanSet, right: SpanSet, units: Sequence[Run], starts: list[int]) -> SpanSet:
    hit: set[int] = set()
    for run in right.runs:
        hit.update(units_touched(units, starts, run))
    return SpanSet(
        tuple(r for r in left.runs if any(i in hit for i in units_touched(units, starts, r)))
    )


def _same_sentence(left: SpanSet, right: SpanSet, sentences: SentenceUnits) -> SpanSet:
    hit: set[Run] = set()
    for run in right.runs:
        hit |= sentences.touched(run)
    return SpanSet(tuple(r for r in left.runs if sentences.touched(r) & hit))


def _followed(left: SpanSet, right: SpanSet, within: int, sentences: SentenceUnits) -> SpanSet:
    # A passage of the right side starts at or after the left passage's end, in the same
    # sentence (0) or at most ``within`` sentence starts later; only the first such
    # passage matters, as later ones cannot be nearer.
    right_starts = [s for s, _ in right.runs]
    keep = []
    for run in left.runs:
        k = bisect_left(right_starts, run[1])
        gap = within + 1
        if k < len(right_starts):
            gap = sentences.starts_between(run[1] - 1, right_starts[k], within)
        if gap <= within:
            keep.append(run)
    return SpanSet(tuple(keep))


def evaluate(node: Node, scope: DocumentScope) -> SpanSet:
    """The characters of one document that ``node`` selects."""
    if isinstance(node, CodeRef):
        return scope.spans(node)
    if isinstance(node, Not):
        return evaluate(node.operand, scope).complement(scope.length)
    if isinstance(node, Or):  # a chain of ORs is one union, not one merge per operand
        spans: list[Run] = []
        stack: list[Node] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Or):
                stack.extend((n.right, n.left))
            elif isinstance(n, CodeRef):
                spans.extend(scope.raw_spans(n))
            else:
                spans.extend(evaluate(n, scope).runs)
        return SpanSet.of(spans)
    left = evaluate(node.left, scope)
    if isinstance(node, And):
        return left.intersection(evaluate(node.right, scope)) if left else left
    right = evaluate(node.right, scope)
    if not left or not right:
        return SpanSet()
    if node.op is Position.OVERLAPS:
        return left.runs_overlapping(right)
    if node.op is Position.PARAGRAPH:
        return _same_unit(left, right, *scope.paragraphs)
    if node.op is Position.SENTENCE:
        return _same_sentence(left, right, scope.sentences)
    return _followed(left, right, node.within, scope.sentences)


def can_match_uncoded(node: Node) -> bool:
    """True when the query can select text in a document where none of its codes occur
    (a NOT not under an AND with a positive side), so such documents cannot be skipped."""
    return bool(evaluate(node, DocumentScope(1, lambda _ref: SpanSet())))
