"""Writing REFI-QDA: ``project.qde``, ``.qdpx`` archives and ``.qdc`` codebooks.

The XML is written as a stream (one source at a time), so memory does not grow with the
number of codings. Output is deterministic: elements come in a fixed order (users by name,
codes in tree order, sources in list order, selections by position) and every date comes
from the data, so two exports of the same project are byte-identical.

Each coding becomes one ``PlainTextSelection`` (GUID derived from the coding's id) holding
one ``Coding`` whose GUID *is* the coding's id; its memo is the selection's Description.
Positions are code points of the exported UTF-8 text, which has LF line endings and no BOM.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from annotator.domain.codebook import tree_order
from annotator.domain.model import Code, Coder, Coding
from annotator.exchange.refi.description import (
    CodeFields,
    SourceFields,
    format_code_description,
    format_source_description,
)
from annotator.exchange.refi.model import (
    LINK_STATUS_PREFIX,
    NS_CODEBOOK,
    NS_PROJECT,
    DocumentSet,
    ProjectHeader,
    RefiLink,
    SourceExport,
    derived_guid,
)

MAX_NAME_QUOTE = 2000  # longer quotes are cut in the selection's name, with an ellipsis
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_RE = re.compile("[&<>\r]")
_ATTR_RE = re.compile('[&<>"\r\n\t]')


def xml_datetime(value: datetime) -> str:
    """An ``xsd:dateTime`` in UTC, with microseconds only when there are some."""
    value = value.astimezone(UTC) if value.tzinfo else value
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{value.microsecond:06d}Z" if value.microsecond else f"{text}Z"


def code_fields(code: Code) -> CodeFields:
    """The Description fields of a domain code."""
    return CodeFields(
        definition=code.definition,
        inclusion=code.inclusion,
        exclusion=code.exclusion,
        example_typical=code.example_typical,
        example_atypical=code.example_atypical,
        kind=code.kind,
        shortcut=code.shortcut,
        memo=code.memo,
    )


@dataclass
class WriteStats:
    """What a writer wrote, and how many characters XML could not carry."""

    users: int = 0
    codes: int = 0
    sources: int = 0
    codings: int = 0
    sets: int = 0
    replaced_characters: int = 0


class _XmlOut:
    """A minimal streaming XML writer: escaping, indentation, and nothing else."""

    def __init__(self, out: BinaryIO, stats: WriteStats) -> None:
        self._out = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
        self._stats = stats

    def _clean(self, value: str, replacement: str) -> str:
        cleaned, n = _NOT_XML.subn(replacement, value)
        if n and replacement != " ":
            self._stats.replaced_characters += n
        return cleaned

    def attrs(self, pairs: Iterable[tuple[str, object]], *, loose: str = "") -> str:
        """Attributes as text; ``None`` values are left out. ``loose`` names a display-only
        attribute whose unrepresentable characters become spaces without being counted."""
        parts = []
        for key, value in pairs:
            if value is None:
                continue
            if isinstance(value, int | uuid.UUID):  # nothing to escape: skip the regexes
                parts.append(f' {key}="{value}"')
                continue
            text = self._clean(str(value), " " if key == loose else "\ufffd")
            parts.append(f' {key}="{_ATTR_RE.sub(lambda m: _ATTR_ESCAPES[m[0]], text)}"')
        return "".join(parts)

    def text(self, value: str) -> str:
        """Element content, escaped."""
        return _TEXT_RE.sub(lambda m: _TEXT_ESCAPES[m[0]], self._clean(value, "\ufffd"))

    def line(self, depth: int, markup: str) -> None:
        """Write one line of markup at ``depth``."""
        self._out.write("  " * depth + markup + "\n")

    def element(self, depth: int, tag: str, attrs: str = "", content: str | None = None) -> None:
        """Write a whole element (empty, or with text content) on one line."""
        if content is None:
            self.line(depth, f"<{tag}{attrs}/>")
        else:
            self.line(depth, f"<{tag}{attrs}>{self.text(content)}</{tag}>")

    def close(self) -> None:
        """Flush and detach, leaving the underlying binary stream open."""
        self._out.flush()
        self._out.detach()


def _write_codes(xml: _XmlOut, codes: Sequence[Code], depth: int) -> int:
    ordered = tree_order(codes)
    children: dict[uuid.UUID | None, list[Code]] = {}
    for code in ordered:
        children.setdefault(code.parent_id, []).append(code)
    known = {c.id for c in codes}
    # A code whose parent was filtered out is written at the top level.
    roots = [c for c in ordered if c.parent_id is None or c.parent_id not in known]

    def write(code: Code, level: int) -> None:
        attrs = xml.attrs(
            [
                ("guid", code.id),
                ("name", code.name),
                ("isCodable", "true" if code.codable else "false"),
                ("color", code.color),
            ]
        )
        description = format_code_description(code_fields(code))
        kids = children.get(code.id, [])
        if not description and not kids:
            xml.line(level, f"<Code{attrs}/>")
            return
        xml.line(level, f"<Code{attrs}>")
        if description:
            xml.element(level + 1, "Description", content=description)
        for kid in kids:
            write(kid, level + 1)
        xml.line(level, "</Code>")

    xml.line(depth, "<Codes>")
    for root in roots:
        write(root, depth + 1)
    xml.line(depth, "</Codes>")
    return len(codes)


def _selection_name(quote: str) -> str:
    return quote if len(quote) <= MAX_NAME_QUOTE else quote[:MAX_NAME_QUOTE] + "…"


def _write_coding(xml: _XmlOut, coding: Coding, depth: int) -> None:
    selection = xml.attrs(
        [
            ("guid", derived_guid(coding.id, "selection")),
            ("name", _selection_name(coding.quote)),
            ("startPosition", coding.start),
            ("endPosition", coding.end),
            ("creatingUser", coding.coder_id),
            ("creationDateTime", xml_datetime(coding.created_at)),
            ("modifyingUser", coding.coder_id),
            ("modifiedDateTime", xml_datetime(coding.modified_at)),
        ],
        loose="name",
    )
    xml.line(depth, f"<PlainTextSelection{selection}>")
    if coding.memo:
        xml.element(depth + 1, "Description", content=coding.memo)
    attrs = xml.attrs(
        [
            ("guid", coding.id),
            ("creatingUser", coding.coder_id),
            ("creationDateTime", xml_datetime(coding.created_at)),
        ]
    )
    xml.line(depth + 1, f"<Coding{attrs}>")
    xml.element(depth + 2, "CodeRef", xml.attrs([("targetGUID", coding.code_id)]))
    xml.line(depth + 1, "</Coding>")
    xml.line(depth, "</PlainTextSelection>")


def _write_source(
    xml: _XmlOut, item: SourceExport, variables: dict[str, uuid.UUID], depth: int
) -> None:
    doc = item.document
    meta = doc.metadata
    attrs = xml.attrs(
        [
            ("guid", doc.id),
            ("name", doc.title),
            ("plainTextPath", f"internal://{doc.id}.txt"),
            ("creationDateTime", xml_datetime(doc.imported_at)),
            ("modifiedDateTime", xml_datetime(doc.imported_at)),
        ]
    )
    xml.line(depth, f"<TextSource{attrs}>")
    description = format_source_description(
        SourceFields(
            author=meta.author,
            publisher=meta.publisher,
            date=meta.date,
            source=meta.source,
            source_format=doc.source_format,
        )
    )
    if description:
        xml.element(depth + 1, "Description", content=description)
    for coding in item.codings:
        _write_coding(xml, coding, depth + 1)
    for key, value in sorted(meta.attributes.items()):
        if key in variables:
            xml.line(depth + 1, "<VariableValue>")
            xml.element(depth + 2, "VariableRef", xml.attrs([("targetGUID", variables[key])]))
            xml.element(depth + 2, "TextValue", content=value)
            xml.line(depth + 1, "</VariableValue>")
    xml.line(depth, "</TextSource>")


def _write_links(xml: _XmlOut, links: Sequence[RefiLink]) -> None:
    """Links between codings, as Links between their selections; statuses as notes."""
    if not links:
        return
    with_status = [lk for lk in links if lk.status]
    if with_status:
        xml.line(1, "<Notes>")
        for lk in with_status:
            attrs = xml.attrs([("guid", derived_guid(lk.id, "status")), ("name", lk.name)])
            xml.line(2, f"<Note{attrs}>")
            xml.element(3, "PlainTextContent", content=LINK_STATUS_PREFIX + (lk.status or ""))
            xml.line(2, "</Note>")
        xml.line(1, "</Notes>")
    xml.line(1, "<Links>")
    for lk in links:
        attrs = xml.attrs(
            [
                ("guid", lk.id),
                ("name", lk.name),
                ("direction", "OneWay"),
                ("originGUID", derived_guid(lk.origin, "selection")),
                ("targetGUID", derived_guid(lk.target, "selection")),
            ]
        )
        if lk.status:
            xml.line(2, f"<Link{attrs}>")
            xml.element(3, "NoteRef", xml.attrs([("targetGUID", derived_guid(lk.id, "status"))]))
            xml.line(2, "</Link>")
        else:
            xml.element(2, "Link", attrs)
    xml.line(1, "</Links>")


def variable_guid(project_id: uuid.UUID, name: str) -> uuid.UUID:
    """The GUID of the text variable holding document attribute ``name``."""
    return derived_guid(project_id, "variable", name)


def write_qde(
    out: BinaryIO,
    header: ProjectHeader,
    users: Sequence[Coder],
    codes: Sequence[Code],
    variables: Sequence[str],
    sources: Iterable[SourceExport],
    sets: Sequence[DocumentSet],
    *,
    on_source: Callable[[SourceExport], None] | None = None,
    links: Callable[[], Sequence[RefiLink]] | None = None,
) -> WriteStats:
    """Write a ``project.qde`` to ``out``; ``sources`` is consumed one document at a time.

    ``on_source``, when given, is called with each :class:`SourceExport` after it is
    written (the .qdpx writer stores the text file then).
    """
    stats = WriteStats()
    xml = _XmlOut(out, stats)
    xml.line(0, '<?xml version="1.0" encoding="UTF-8"?>')
    project = xml.attrs(
        [
            ("name", header.name),
            ("origin", header.origin),
            ("creationDateTime", xml_datetime(header.created_at)),
            ("modifiedDateTime", xml_datetime(header.modified_at)),
        ]
    )
    xml.line(0, f'<Project xmlns="{NS_PROJECT}"{project}>')
    if users:
        xml.line(1, "<Users>")
        for user in sorted(users, key=lambda u: (u.name.casefold(), str(u.id))):
            xml.element(2, "User", xml.attrs([("guid", user.id), ("name", user.name)]))
        xml.line(1, "</Users>")
        stats.users = len(users)
    if codes:
        xml.line(1, "<CodeBook>")
        stats.codes = _write_codes(xml, codes, 2)
        xml.line(1, "</CodeBook>")
    var_ids = {name: variable_guid(header.id, name) for name in sorted(variables)}
    if var_ids:
        xml.line(1, "<Variables>")
        for name, guid in var_ids.items():
            attrs = xml.attrs([("guid", guid), ("name", name), ("typeOfVariable", "Text")])
            xml.element(2, "Variable", attrs)
        xml.line(1, "</Variables>")
    opened = False
    for item in sources:
        if not opened:
            xml.line(1, "<Sources>")
            opened = True
        _write_source(xml, item, var_ids, 2)
        stats.sources += 1
        stats.codings += len(item.codings)
        if on_source is not None:
            on_source(item)
    if opened:
        xml.line(1, "</Sources>")
    if links is not None:
        _write_links(xml, links())
    if sets:
        xml.line(1, "<Sets>")
        for group in sets:
            xml.line(2, f"<Set{xml.attrs([('guid', group.id), ('name', group.name)])}>")
            if group.description:
                xml.element(3, "Description", content=group.description)
            for doc_id in group.document_ids:
                xml.element(3, "MemberSource", xml.attrs([("targetGUID", doc_id)]))
            xml.line(2, "</Set>")
        xml.line(1, "</Sets>")
        stats.sets = len(sets)
    xml.line(0, "</Project>")
    xml.close()
    return stats


def write_qdc(out: BinaryIO, codes: Sequence[Code], origin: str) -> WriteStats:
    """Write a codebook exchange file (``.qdc``, Codebook.xsd) to ``out``."""
    stats = WriteStats()
    xml = _XmlOut(out, stats)
    xml.line(0, '<?xml version="1.0" encoding="UTF-8"?>')
    xml.line(0, f'<CodeBook xmlns="{NS_CODEBOOK}"{xml.attrs([("origin", origin)])}>')
    if codes:
        stats.codes = _write_codes(xml, codes, 1)
    else:
        # Codebook.xsd needs at least one Code; an empty codebook is an empty Codes list
        # that readers accept even though the schema does not.
        xml.line(1, "<Codes/>")
    xml.line(0, "</CodeBook>")
    xml.close()
    return stats


def _zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    when = when.astimezone(UTC)
    if when.year < 1980:  # the zip format cannot express earlier dates
        return (1980, 1, 1, 0, 0, 0)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def write_qdpx(
    path: Path,
    header: ProjectHeader,
    users: Sequence[Coder],
    codes: Sequence[Code],
    variables: Sequence[str],
    sources: Iterable[SourceExport],
    sets: Sequence[DocumentSet],
    links: Callable[[], Sequence[RefiLink]] | None = None,
) -> WriteStats:
    """Write a ``.qdpx`` archive: ``sources/<guid>.txt`` for every document, then
    ``project.qde``. Entry times come from the data, so the archive is reproducible."""
    stamp = _zip_time(header.modified_at)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def store(item: SourceExport) -> None:
            info = zipfile.ZipInfo(f"sources/{item.document.id}.txt", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, item.document.text.encode("utf-8"))

        with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as qde:
            stats = write_qde(
                qde, header, users, codes, variables, sources, sets, on_source=store, links=links
            )
            qde.seek(0)
            info = zipfile.ZipInfo("project.qde", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(qde, dst)
    return stats
