"""Reading a REFI-QDA project (``.qdpx`` archive or bare ``.qde``): liberal and exact.

Accepted: any ``.qde`` name inside the archive; ``sources/`` or ``Sources/``; source text
in UTF-8 with or without a BOM, CRLF or LF; every namespace version or none; GUIDs in any
case, with or without braces; a selection with several codings, or one selection per
code; memos as a ``Description``, ``NoteRef``s to ``Note``s, or ``Link``s from notes.
Positions are mapped onto canonical text with :mod:`annotator.exchange.refi.positions`.
PDF, picture, audio and video sources and graphs are skipped with a line in the report.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from lxml import etree

from annotator.exchange.refi.archive import (
    DEFAULT_LIMITS,
    ReadBudget,
    RefiFileError,
    RefiLimits,
    SafeArchive,
    decode_text,
    mapped_errors,
    parse_xml,
)
from annotator.exchange.refi.codebook_read import (
    KNOWN_NAMESPACES,
    ReadCodebook,
    element_guid,
    kid,
    kid_text,
    kids,
    local,
    parse_guid,
    parse_time,
    read_codes,
)
from annotator.exchange.refi.description import parse_source_description
from annotator.exchange.refi.model import (
    LINK_STATUS_PREFIX,
    DocumentSet,
    ReadCoding,
    ReadProject,
    ReadSource,
    ReadUser,
    RefiLink,
    derived_guid,
)
from annotator.exchange.refi.positions import (
    RawSelection,
    SourceText,
    detect_mode,
    expected_mode,
    mismatch_warning,
)

MAX_LINES_PER_SOURCE = 20  # problem lines listed for one source before "and N more"
OTHER_SOURCES = {
    "PDFSource": "PDF source",
    "PictureSource": "picture source",
    "AudioSource": "audio source",
    "VideoSource": "video source",
}

Loader = Callable[[str], bytes | None]


def _archive_loader(archive: SafeArchive) -> Loader:
    def load(ref: str) -> bytes | None:
        name = ref.split("://", 1)[1] if ref.lower().startswith("internal://") else ref
        name = name.lstrip("/")
        for candidate in (f"sources/{name}", name):
            found = archive.find(candidate)
            if found is not None:
                return archive.read(found)
        return None

    return load


def _folder_loader(folder: Path, limits: RefiLimits, budget: ReadBudget) -> Loader:
    root = folder.resolve()

    def load(ref: str) -> bytes | None:
        name = ref.split("://", 1)[1] if ref.lower().startswith("internal://") else ref
        parts = PurePosixPath(name.replace("\\", "/").lstrip("/")).parts
        if ".." in parts or not parts:
            return None
        for sub in ("sources", "Sources"):
            candidate = folder.joinpath(sub, *parts)
            # A link (or a linked folder) may not lead out of the project's folder.
            real = candidate.resolve()
            if not real.is_relative_to(root):
                raise UnsafeReference(f"its text file {ref} links to a file outside the folder")
            if real.is_file() and real.stat().st_size <= limits.max_entry_bytes:
                budget.charge(str(real), real.stat().st_size)
                return real.read_bytes()
        return None

    return load


class UnsafeReference(Exception):  # noqa: N818 - internal signal, reported as a problem
    """A source reference that points outside the archive or folder."""


def _unsafe_reference(ref: str) -> str | None:
    """Why ``ref`` may not be followed (absolute or escaping path), or None."""
    name = ref.split("://", 1)[1] if ref.lower().startswith("internal://") else ref
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "points outside the project ('..')"
    return None


class _Reader:
    """One pass over a parsed ``Project`` element."""

    def __init__(self, root: etree._Element, load: Loader, result: ReadProject) -> None:
        self.root = root
        self.load = load
        self.out = result
        self.notes: dict[uuid.UUID, str] = {}
        self.linked: dict[uuid.UUID, list[str]] = {}
        self.variables: dict[uuid.UUID, str] = {}
        self.case_values: dict[uuid.UUID, dict[str, str]] = {}
        self.code_ids: set[uuid.UUID] = set()
        self.coding_ids: set[uuid.UUID] = set()
        self.selection_codings: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.raw_links: list[tuple[uuid.UUID, str, uuid.UUID, uuid.UUID, str | None]] = []

    # -- project-wide parts ------------------------------------------------------------

    def read(self) -> None:
        root, out = self.root, self.out
        out.name = root.get("name") or ""
        out.origin = root.get("origin") or ""
        out.creating_user = parse_guid(root.get("creatingUserGUID"))
        out.created_at = parse_time(root.get("creationDateTime"))
        namespace = etree.QName(root).namespace
        if namespace not in KNOWN_NAMESPACES:
            out.warnings.append(f"Unknown namespace {namespace}; the file was read anyway.")
        users = kid(root, "Users")
        for el in kids(users, "User") if users is not None else []:
            guid = element_guid(el, f"user '{el.get('name')}'", out.warnings)
            out.users.append(ReadUser(guid, (el.get("name") or el.get("id") or "").strip()))
        book = ReadCodebook()
        codebook = kid(root, "CodeBook")
        read_codes(kid(codebook, "Codes") if codebook is not None else None, book)
        out.codes, self.code_ids = book.codes, {c.id for c in book.codes}
        out.problems += book.problems
        out.warnings += book.warnings
        self._read_notes_and_links()
        self._read_variables_and_cases()
        sources = kid(root, "Sources")
        for el in list(sources) if sources is not None else []:
            name = local(el)
            if name == "TextSource":
                self._read_text_source(el)
            elif name in OTHER_SOURCES:
                n = sum(1 for e in el.iter() if local(e) == "Coding")
                lost = f" ({n} coding(s) on it not imported)" if n else ""
                out.skipped.append(
                    f"{OTHER_SOURCES[name]} '{el.get('name') or el.get('guid')}' skipped: only "
                    f"text sources are imported{lost}."
                )
        self._read_sets()
        self._resolve_links()
        graphs = kid(root, "Graphs")
        if graphs is not None and len(kids(graphs, "Graph")):
            out.skipped.append(f"{len(kids(graphs, 'Graph'))} graph(s) skipped: not modelled.")

    def _note_text(self, el: etree._Element) -> str:
        parts = [kid_text(el, "Description").strip(), kid_text(el, "PlainTextContent").strip()]
        path = el.get("plainTextPath")
        if path and not parts[1]:
            unsafe = _unsafe_reference(path)
            try:
                data = None if unsafe else self.load(path)
            except UnsafeReference:
                unsafe = "links to a file outside the folder"
                data = None
            if unsafe:
                self.out.warnings.append(f"note '{el.get('name')}': its text file {unsafe}.")
            if data is not None:
                try:
                    parts[1] = decode_text(data).strip()
                except UnicodeDecodeError:
                    self.out.warnings.append(f"note '{el.get('name')}': its text is not UTF-8.")
        return "\n\n".join(p for p in parts if p)

    def _read_notes_and_links(self) -> None:
        notes = kid(self.root, "Notes")
        for el in kids(notes, "Note") if notes is not None else []:
            guid = parse_guid(el.get("guid"))
            if guid is not None:
                self.notes[guid] = self._note_text(el)
        links = kid(self.root, "Links")
        for el in kids(links, "Link") if links is not None else []:
            ends = [parse_guid(el.get("originGUID")), parse_guid(el.get("targetGUID"))]
            for note, other in (ends, ends[::-1]):
                if note in self.notes and other is not None and self.notes[note]:
                    self.linked.setdefault(other, []).append(self.notes[note])
            guid = parse_guid(el.get("guid"))
            if guid is not None and None not in ends and not any(e in self.notes for e in ends):
                status = None
                for ref in kids(el, "NoteRef"):
                    text = self.notes.get(parse_guid(ref.get("targetGUID")), "")
                    if text.startswith(LINK_STATUS_PREFIX):
                        status = text[len(LINK_STATUS_PREFIX) :].strip() or None
                name = (el.get("name") or "").strip()
                self.raw_links.append((guid, name, ends[0], ends[1], status))  # type: ignore[arg-type]

    def _resolve_links(self) -> None:
        """Links whose ends are codings (or selections with one coding) become links."""

        def coding(guid: uuid.UUID) -> uuid.UUID | None:
            if guid in self.coding_ids:
                return guid
            found = self.selection_codings.get(guid, [])
            return found[0] if len(found) == 1 else None

        skipped = 0
        for guid, name, origin, target, status in self.raw_links:
            a, b = coding(origin), coding(target)
            if a is None or b is None or not name:
                skipped += 1
                continue
            self.out.links.append(RefiLink(guid, name, a, b, status))
        if skipped:
            self.out.skipped.append(
                f"{skipped} link(s) not between two codings (or without a name) skipped."
            )

    def _read_variables_and_cases(self) -> None:
        variables = kid(self.root, "Variables")
        for el in kids(variables, "Variable") if variables is not None else []:
            guid = parse_guid(el.get("guid"))
            if guid is not None and el.get("name"):
                self.variables[guid] = el.get("name", "").strip()
        cases = kid(self.root, "Cases")
        for case in kids(cases, "Case") if cases is not None else []:
            values = self._values(case)
            for ref in kids(case, "SourceRef"):
                target = parse_guid(ref.get("targetGUID"))
                if target is not None and values:
                    self.case_values.setdefault(target, {}).update(values)

    def _values(self, el: etree._Element) -> dict[str, str]:
        values: dict[str, str] = {}
        for vv in kids(el, "VariableValue"):
            ref = kid(vv, "VariableRef")
            target = parse_guid(ref.get("targetGUID")) if ref is not None else None
            name = self.variables.get(target) if target else None
            value = next((c for c in vv if local(c).endswith("Value")), None)
            if name and value is not None and value.text is not None:
                values[name] = value.text
        return values

    def _read_sets(self) -> None:
        sets = kid(self.root, "Sets")
        other = 0
        for el in kids(sets, "Set") if sets is not None else []:
            members = [parse_guid(m.get("targetGUID")) for m in kids(el, "MemberSource")]
            if kids(el, "MemberCode") or kids(el, "MemberNote"):
                other += 1
            if members:
                self.out.sets.append(
                    DocumentSet(
                        element_guid(el, f"set '{el.get('name')}'", self.out.warnings),
                        (el.get("name") or "").strip(),
                        kid_text(el, "Description"),
                        tuple(m for m in members if m is not None),
                    )
                )
        if other:
            self.out.skipped.append(f"{other} set(s) of codes or notes skipped: not modelled.")

    # -- sources ---------------------------------------------------------------------

    def _source_text(self, el: etree._Element, label: str) -> str | None:
        content = kid(el, "PlainTextContent")
        if content is not None and content.text:
            return content.text
        path = el.get("plainTextPath")
        if not path:
            if content is not None:
                return ""  # an empty <PlainTextContent/>: an empty source
            self.out.problems.append(f"{label}: it has neither text nor a plainTextPath.")
            return None
        if path.lower().startswith(("relative://", "absolute://", "file:", "http")):
            self.out.problems.append(
                f"{label}: its text is an external file ({path}); only sources inside the "
                "archive are read."
            )
            return None
        unsafe = _unsafe_reference(path)
        if unsafe:
            self.out.problems.append(f"{label}: its text file {path} {unsafe}; it is refused.")
            return None
        try:
            data = self.load(path)
        except UnsafeReference as exc:
            self.out.problems.append(f"{label}: {exc}; it is refused.")
            return None
        if data is None:
            self.out.problems.append(f"{label}: its text file {path} is missing from the archive.")
            return None
        try:
            return decode_text(data)
        except UnicodeDecodeError as exc:
            self.out.problems.append(f"{label}: its text file is not UTF-8 ({exc.reason}).")
            return None

    def _memo(self, el: etree._Element, guid: uuid.UUID | None) -> list[str]:
        parts = [kid_text(el, "Description")]
        for ref in kids(el, "NoteRef"):
            parts.append(self.notes.get(parse_guid(ref.get("targetGUID")), ""))
        parts.extend(self.linked.get(guid, []) if guid else [])
        return [p for p in parts if p.strip()]

    def _coding_id(self, el: etree._Element, selection: uuid.UUID, code: uuid.UUID) -> uuid.UUID:
        guid = parse_guid(el.get("guid")) or derived_guid("coding", selection, code)
        if guid in self.coding_ids:
            guid = derived_guid("duplicate-coding", guid, selection, code)
        self.coding_ids.add(guid)
        return guid

    def _read_text_source(self, el: etree._Element) -> None:
        out = self.out
        guid = element_guid(el, f"source '{el.get('name')}'", out.warnings)
        name = (el.get("name") or "").strip() or f"Source {str(guid)[:8]}"
        label = f"source '{name}'"
        raw = self._source_text(el, label)
        selections = kids(el, "PlainTextSelection")
        n_codings = sum(len(kids(s, "Coding")) for s in selections) + len(kids(el, "Coding"))
        if raw is not None and not raw.strip():
            # NVivo 15 exports some sources with an empty text: nothing is lost by leaving
            # them out (a coding cannot point into no text), so it is no reason to refuse.
            with_codings = f" with its {n_codings} coding(s)" if n_codings else ""
            out.warnings.append(f"{label}: its text is empty; it was left out{with_codings}.")
            return
        if raw is None:
            if n_codings:
                out.problems.append(f"{label}: its {n_codings} coding(s) cannot be imported.")
            return
        text = SourceText(raw)
        parsed: list[tuple[etree._Element, RawSelection]] = []
        lines: list[str] = []
        for sel in selections:
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
                raw_sel = RawSelection(start, end, sel.get("name"))
            except ValueError:
                lines.append(f"selection {sel.get('guid')} has no valid start/end position.")
                continue
            parsed.append((sel, raw_sel))
        detection = detect_mode(text, [r for _, r in parsed], expected_mode(out.origin), label)
        out.warnings.extend(detection.warnings)
        if warning := mismatch_warning(label, detection.matched, detection.named):
            out.warnings.append(warning)
        fields = parse_source_description(kid_text(el, "Description") or None)
        created = parse_time(el.get("creationDateTime"))
        source = ReadSource(guid, name, text.canonical, created, fields)
        source.attributes = {**self.case_values.get(guid, {}), **self._values(el)}
        uncoded = 0
        for sel, raw_sel in parsed:
            start = text.to_canonical(raw_sel.start, detection.mode)
            end = text.to_canonical(raw_sel.end, detection.mode)
            where = f"selection [{raw_sel.start}, {raw_sel.end})"
            if start is None or end is None:
                lines.append(f"{where} reaches past the end of the text ({len(text.canonical)}).")
            elif end < start:
                lines.append(f"{where} ends before it starts.")
            elif end == start:
                lines.append(f"{where} is empty.")
            else:
                uncoded += not self._add_codings(source, sel, start, end, lines)
        for coding in kids(el, "Coding"):  # a code applied to the whole source
            self._add_coding(source, coding, el, guid, (0, len(text.canonical)), [], lines)
        if uncoded:
            out.skipped.append(f"{label}: {uncoded} selection(s) without a code not imported.")
        for line in lines[:MAX_LINES_PER_SOURCE]:
            out.problems.append(f"{label}: {line}")
        if len(lines) > MAX_LINES_PER_SOURCE:
            out.problems.append(f"{label}: and {len(lines) - MAX_LINES_PER_SOURCE} more.")
        out.sources.append(source)

    def _add_codings(
        self, source: ReadSource, sel: etree._Element, start: int, end: int, lines: list[str]
    ) -> bool:
        sel_guid = parse_guid(sel.get("guid")) or derived_guid("selection", source.id, start, end)
        memo = self._memo(sel, sel_guid)
        codings = kids(sel, "Coding")
        for coding in codings:
            self._add_coding(source, coding, sel, sel_guid, (start, end), memo, lines)
        return bool(codings)

    def _add_coding(
        self,
        source: ReadSource,
        coding: etree._Element,
        sel: etree._Element,
        sel_guid: uuid.UUID,
        span: tuple[int, int],
        memo: list[str],
        lines: list[str],
    ) -> None:
        ref = kid(coding, "CodeRef")
        code = parse_guid(ref.get("targetGUID")) if ref is not None else None
        if code is None or code not in self.code_ids:
            target = ref.get("targetGUID") if ref is not None else None
            lines.append(f"a coding refers to code {target}, which is not in the codebook.")
            return
        guid = self._coding_id(coding, sel_guid, code)
        self.selection_codings.setdefault(sel_guid, []).append(guid)
        user = (
            parse_guid(coding.get("creatingUser"))
            or parse_guid(sel.get("creatingUser"))
            or self.out.creating_user
        )
        created = parse_time(coding.get("creationDateTime")) or parse_time(
            sel.get("creationDateTime")
        )
        modified = parse_time(sel.get("modifiedDateTime")) or created
        notes = memo + self._memo(coding, parse_guid(coding.get("guid")))
        source.codings.append(
            ReadCoding(guid, code, user, span[0], span[1], created, modified, "\n\n".join(notes))
        )


def read_project_file(path: Path, limits: RefiLimits = DEFAULT_LIMITS) -> ReadProject:
    """Read a ``.qdpx`` archive or a bare ``.qde`` (sources in a ``sources`` folder beside it).

    Raises :class:`RefiFileError` when the file cannot be read at all (not a zip, no .qde,
    unsafe content); anything less is reported in the result's problems and warnings.
    """
    path = Path(path)
    if not path.is_file():
        raise RefiFileError(path, "the file does not exist.")
    with mapped_errors(path):
        return _read_project_file(path, limits)


def _read_project_file(path: Path, limits: RefiLimits) -> ReadProject:
    result = ReadProject()
    if zipfile_like(path):
        with SafeArchive(path, limits) as archive:
            qdes = sorted(
                (n for n in archive.names() if n.lower().endswith(".qde")),
                key=lambda n: (n.count("/"), n.lower() != "project.qde", n),
            )
            if not qdes:
                raise RefiFileError(path, "the archive has no .qde project file.")
            if len(qdes) > 1:
                result.warnings.append(f"The archive has {len(qdes)} .qde files; read {qdes[0]}.")
            root = parse_xml(archive.read(qdes[0]), path, qdes[0])
            _check_root(root, path)
            _Reader(root, _archive_loader(archive), result).read()
    else:
        if path.stat().st_size > limits.max_entry_bytes:
            raise RefiFileError(path, "the file is larger than the limit for a .qde.")
        root = parse_xml(path.read_bytes(), path)
        _check_root(root, path)
        budget = ReadBudget(path, limits)
        _Reader(root, _folder_loader(path.parent, limits, budget), result).read()
    return result


def zipfile_like(path: Path) -> bool:
    """True when ``path`` starts like a zip archive (whatever its extension)."""
    with path.open("rb") as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def _check_root(root: etree._Element, path: Path) -> None:
    if local(root) != "Project":
        raise RefiFileError(path, f"this is not a REFI-QDA project (root element <{local(root)}>).")
