"""Structured fields carried in a REFI-QDA ``Description`` as readable, labelled text.

REFI-QDA gives a code (and a source) one free-text ``Description``. Our codes have several
structured fields, so we write them as labelled lines that read naturally in any other
tool and parse back exactly::

    Definition: Money or powers moved from the centre to local government.
    Use when: the text proposes moving a power or a budget
      to a named local body.
    Kind: theme

A field is written only when it differs from its default. A value's first line follows
``Label: ``; every further line is indented by two spaces, so a value may contain any
text, including lines that look like labels. A Description that is not entirely in this
form (free text from another tool) becomes the definition, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

INDENT = "  "
_HEADER = re.compile(r"^([A-Z][A-Za-z ]*?):(?: (.*))?$")


@dataclass(frozen=True, slots=True)
class CodeFields:
    """The parts of a code that travel in its Description (``codable`` is ``isCodable``)."""

    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example_typical: str = ""
    example_atypical: str = ""
    kind: str = "theme"
    shortcut: str | None = None
    memo: str = ""


# Field name -> label, in the order they are written.
CODE_LABELS: dict[str, str] = {
    "definition": "Definition",
    "inclusion": "Use when",
    "exclusion": "Do not use when",
    "example_typical": "Typical example",
    "example_atypical": "Borderline example",
    "kind": "Kind",
    "shortcut": "Shortcut",
    "memo": "Memo",
}


@dataclass(frozen=True, slots=True)
class SourceFields:
    """Descriptive metadata of a document that travels in its source's Description."""

    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    source: str | None = None
    source_format: str | None = None
    note: str = ""  # free text from another tool's Description


SOURCE_LABELS: dict[str, str] = {
    "author": "Author",
    "publisher": "Publisher",
    "date": "Date",
    "source": "Source",
    "source_format": "Format",
}


def format_labelled(pairs: Sequence[tuple[str, str]]) -> str:
    """Write ``(label, value)`` pairs as labelled lines (see the module docstring)."""
    out: list[str] = []
    for label, value in pairs:
        first, *rest = value.split("\n")
        out.append(f"{label}: {first}" if first else f"{label}:")
        out.extend(INDENT + line for line in rest)
    return "\n".join(out)


def parse_labelled(text: str, labels: Sequence[str]) -> dict[str, str] | None:
    """Parse labelled lines back into ``{label: value}``; None when ``text`` is not of that form.

    Every line must either start a known label (each at most once) or continue the value
    before it with the two-space indent; anything else means the text is free prose.
    """
    if not text:
        return {}
    known = set(labels)
    values: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        match = _HEADER.match(line)
        if match and match.group(1) in known and match.group(1) not in values:
            current = [match.group(2) or ""]
            values[match.group(1)] = current
        elif current is not None and line.startswith(INDENT):
            current.append(line[len(INDENT) :])
        elif current is not None and line == "":
            # Another tool may have trimmed the indent of an empty continuation line.
            current.append("")
        else:
            return None
    return {label: "\n".join(lines) for label, lines in values.items()}


def _defaults(cls: type) -> Mapping[str, object]:
    return {f.name: f.default for f in fields(cls)}


def format_code_description(code_fields: CodeFields) -> str:
    """The Description text of a code: its non-default fields as labelled lines."""
    defaults = _defaults(CodeFields)
    pairs = [
        (label, str(getattr(code_fields, name)))
        for name, label in CODE_LABELS.items()
        if getattr(code_fields, name) not in (defaults[name], None, "")
    ]
    return format_labelled(pairs)


def parse_code_description(text: str | None) -> CodeFields:
    """The code fields in a Description; free text becomes the definition, unchanged."""
    text = text or ""
    parsed = parse_labelled(text, list(CODE_LABELS.values()))
    if parsed is None:
        return CodeFields(definition=text)
    by_label = {label: name for name, label in CODE_LABELS.items()}
    values: dict[str, str | None] = {by_label[label]: value for label, value in parsed.items()}
    if not values.get("kind"):
        values.pop("kind", None)
    if "shortcut" in values and not values["shortcut"]:
        values["shortcut"] = None
    return CodeFields(**values)  # type: ignore[arg-type]


def format_source_description(source_fields: SourceFields) -> str:
    """The Description text of a document's source: its metadata as labelled lines."""
    pairs = [
        (label, value)
        for name, label in SOURCE_LABELS.items()
        if (value := getattr(source_fields, name)) is not None
    ]
    # ``note`` is not written: the service keeps another tool's free text as an attribute.
    return format_labelled(pairs)


def parse_source_description(text: str | None) -> SourceFields:
    """The metadata in a source's Description; free text is kept as ``note``."""
    text = text or ""
    parsed = parse_labelled(text, list(SOURCE_LABELS.values()))
    if parsed is None:
        return SourceFields(note=text)
    by_label = {label: name for name, label in SOURCE_LABELS.items()}
    return SourceFields(**{by_label[label]: value for label, value in parsed.items()})
