"""Storing what a REFI-QDA project file holds: import into a project, or merge a coder's work.

Both run in ONE transaction: on any failure, refusal or cancel the project is exactly as
before. Matching is the same for both: coders by UUID then name, codes by UUID then path,
documents by the SHA-256 of their text (never by name), codings and sets by UUID. An
import adds whatever does not match; a merge adds it only when asked to and otherwise
reports it. Matched codes are never changed; an existing coding is replaced only by a
version of it modified later.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.orm import Session

from annotator.domain.codebook import MAX_NAME, code_path
from annotator.domain.errors import AnnotatorError, ValidationError
from annotator.domain.links import RESPONSE_TO, STATUS_VOCABULARY, TYPE_VOCABULARY
from annotator.domain.model import Code, new_id, utcnow
from annotator.domain.structure import paragraph_blocks
from annotator.domain.text import text_sha256
from annotator.exchange.refi.model import (
    ReadCoding,
    ReadProject,
    ReadSource,
    ReadUser,
    derived_guid,
)
from annotator.storage.mapping import aware, code_from_row, code_to_row
from annotator.storage.models import (
    CodebookChangeRow,
    CodeRow,
    CoderRow,
    CodingLinkRow,
    CodingRow,
    DocumentAttributeRow,
    DocumentBlockRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
    LinkVocabularyRow,
)

BATCH = 2000
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ImportCancelledError(AnnotatorError):
    """The user cancelled; the transaction was rolled back."""


@dataclass
class RefiImportReport:
    """What an import (or merge) of a REFI-QDA project stored, matched, skipped or refused."""

    path: Path
    documents_added: int = 0
    documents_matched: int = 0
    codes_added: int = 0
    codes_matched: int = 0
    coders_added: int = 0
    coders_matched: int = 0
    codings_added: int = 0
    codings_updated: int = 0
    codings_unchanged: int = 0
    sets_added: int = 0
    links_added: int = 0
    links_updated: int = 0
    fields_added: int = 0  # issue 10: from our own annotator/fields.json member
    values_changed: int = 0
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    cancelled: bool = False

    verb = "Imported"

    def summary(self) -> str:
        """One line for a status bar or terminal."""
        if self.cancelled:
            return f"Cancelled: nothing from {self.path.name} was stored."
        return (
            f"{self.verb} {self.path.name}: {self.codings_added} codings added, "
            f"{self.codings_updated} updated, {self.codings_unchanged} unchanged; "
            f"documents {self.documents_added} added / {self.documents_matched} matched; "
            f"codes {self.codes_added} added / {self.codes_matched} matched; "
            f"coders {self.coders_added} added / {self.coders_matched} matched."
            + (
                f" Field values: {self.values_changed} stored ({self.fields_added} new fields)."
                if self.values_changed or self.fields_added
                else ""
            )
            + (
                f" Links {self.links_added} added, {self.links_updated} updated."
                if self.links_added or self.links_updated
                else ""
            )
        )

    def lines(self) -> list[str]:
        """The summary, then every unmatched item, problem, warning and skipped item."""
        out = [self.summary()]
        out += [f"not merged: {line}" for line in self.unmatched]
        out += [f"problem: {line}" for line in self.problems]
        out += [f"warning: {line}" for line in self.warnings]
        out += [f"skipped: {line}" for line in self.skipped]
        return out


@dataclass
class MergeReport(RefiImportReport):
    """What a merge of a coder's .qdpx into this project did (see :class:`RefiImportReport`)."""

    verb = "Merged"


def refusal(path: Path, problems: list[str], hint: str) -> ValidationError:
    """The error that refuses a file with problems; nothing was stored."""
    listed = "\n".join(f"  - {p}" for p in problems[:50])
    more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
    return ValidationError(
        f"{path.name} was not imported: {len(problems)} problem(s):\n{listed}{more}\n"
        f"Nothing was changed. {hint}"
    )


def log_change(s: Session, action: str, code: Code, details: dict) -> None:
    """A codebook change-log entry for a code stored by an import."""
    s.add(
        CodebookChangeRow(
            id=new_id(),
            at=utcnow(),
            coder_id=None,
            action=action,
            code_id=code.id,
            details=json.dumps(details, default=str, ensure_ascii=False),
        )
    )


class ProjectStore:
    """Applies one :class:`ReadProject` to a session (see the module docstring)."""

    def __init__(
        self,
        s: Session,
        data: ReadProject,
        report: RefiImportReport,
        *,
        add_unmatched: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
        add_coders: bool = False,
    ) -> None:
        self.s, self.data, self.report = s, data, report
        self.add = add_unmatched
        # Coders with codings are added even without add_unmatched (a merge's default: the
        # lead merging a new coder's work wants that coder, not "nothing merged").
        self.add_coders = add_coders
        self.progress, self.cancelled = progress, cancelled
        self.coder_map: dict[uuid.UUID | None, uuid.UUID] = {}
        self.code_map: dict[uuid.UUID, uuid.UUID] = {}
        self.doc_map: dict[uuid.UUID, uuid.UUID] = {}
        self.folder_codes: set[uuid.UUID] = set()
        self.fallback_time = data.created_at or utcnow()

    def run(self) -> None:
        """Store coders, codes, documents, codings and sets, in that order."""
        self._coders()
        self._codes()
        self.s.flush()
        self._documents()
        self.s.flush()
        self._codings()
        self._sets()
        self.s.flush()
        self._links()
        self.s.flush()

    # -- coders ------------------------------------------------------------------------

    def _users(self) -> list[ReadUser]:
        """Every user a coding refers to gets an entry, even if the Users list lacks it."""
        users = {u.id: u for u in self.data.users}
        for source in self.data.sources:
            for coding in source.codings:
                if coding.user_id is None and None not in self.coder_map:
                    origin = self.data.origin or "REFI-QDA"
                    anon = ReadUser(derived_guid("unknown-user", origin), f"Unknown ({origin})")
                    users.setdefault(anon.id, anon)
                    self.coder_map[None] = anon.id  # resolved again below
                elif coding.user_id is not None and coding.user_id not in users:
                    users[coding.user_id] = ReadUser(
                        coding.user_id, f"User {str(coding.user_id)[:8]}"
                    )
                    self.report.warnings.append(
                        f"user {coding.user_id} is not in the file's user list; named "
                        f"'{users[coding.user_id].name}'."
                    )
        return list(users.values())

    def _coders(self) -> None:
        rows = self.s.scalars(select(CoderRow)).all()
        by_id = {r.id: r for r in rows}
        by_name = {r.name: r for r in rows}
        counts = Counter(
            c.user_id for src in self.data.sources for c in src.codings if c.user_id is not None
        )
        anon = self.coder_map.pop(None, None)
        for user in self._users():
            name = (user.name.strip() or f"User {str(user.id)[:8]}")[:MAX_NAME]
            if user.id in by_id:
                target: uuid.UUID | None = user.id
            elif name in by_name:
                target = by_name[name].id
            elif self.add or (self.add_coders and (counts.get(user.id) or user.id == anon)):
                row = CoderRow(id=user.id, name=name, created_at=utcnow())
                self.s.add(row)
                by_id[user.id] = by_name[name] = row
                self.report.coders_added += 1
                target = None
                self.coder_map[user.id] = user.id
            else:
                n = counts.get(user.id, 0)
                if n or user.id == anon:
                    self.report.unmatched.append(
                        f"coder '{name}' is not in this project ({n} coding(s) not merged)."
                    )
                continue
            if target is not None:
                self.coder_map[user.id] = target
                self.report.coders_matched += 1
        if anon is not None and anon in self.coder_map:
            self.coder_map[None] = self.coder_map[anon]

    # -- codes -------------------------------------------------------------------------

    def _codes(self) -> None:
        existing = {r.id: code_from_row(r) for r in self.s.scalars(select(CodeRow)).all()}
        paths = {code_path(c, existing).casefold(): c.id for c in existing.values()}
        used = Counter(c.code_id for src in self.data.sources for c in src.codings)
        shortcuts = {c.shortcut for c in existing.values() if c.shortcut}
        next_position: dict[uuid.UUID | None, int] = {}
        read_paths: dict[uuid.UUID, str] = {}
        for rc in self.data.codes:
            parent_path = read_paths.get(rc.parent_id, "") if rc.parent_id else ""
            name = rc.name or "(unnamed)"
            path = f"{parent_path}/{name}" if parent_path else name
            read_paths[rc.id] = path
            target = rc.id if rc.id in existing else paths.get(path.casefold())
            if target is not None:
                self.code_map[rc.id] = target
                self.report.codes_matched += 1
                if not existing[target].codable and used.get(rc.id):
                    self.folder_codes.add(rc.id)
                continue
            parent = self.code_map.get(rc.parent_id) if rc.parent_id else None
            if not self.add or (rc.parent_id is not None and parent is None):
                if used.get(rc.id) or not self.add:
                    self.report.unmatched.append(
                        f"code '{path}' is not in this project "
                        f"({used.get(rc.id, 0)} coding(s) not merged)."
                    )
                continue
            if parent not in next_position:
                last = self.s.scalar(
                    select(func.max(CodeRow.position)).where(
                        CodeRow.parent_id == parent if parent else CodeRow.parent_id.is_(None)
                    )
                )
                next_position[parent] = (last if last is not None else -1) + 1
            siblings = {c.name.casefold() for c in existing.values() if c.parent_id == parent}
            unique, n = name[:MAX_NAME], 2
            while unique.casefold() in siblings:
                unique, n = f"{name[: MAX_NAME - 6]} ({n})", n + 1
            if unique != rc.name:
                self.report.warnings.append(f"code '{path}' was stored as '{unique}'.")
            shortcut = rc.fields.shortcut
            if shortcut and shortcut in shortcuts:
                self.report.warnings.append(
                    f"code '{path}': shortcut {shortcut} is already used; it was left out."
                )
                shortcut = None
            codable = rc.codable or bool(used.get(rc.id))
            if codable != rc.codable:
                self.report.warnings.append(
                    f"code '{path}' is marked as not codable but has codings; it was made codable."
                )
            fields = asdict(rc.fields)
            code = Code(
                id=rc.id,
                name=unique,
                color=rc.color,
                parent_id=parent,
                position=next_position[parent] + rc.position,
                codable=codable,
                **{**fields, "shortcut": shortcut},
            )
            self.s.add(code_to_row(code))
            log_change(self.s, "import", code, {"from": self.report.path.name})
            existing[code.id] = code
            paths[path.casefold()] = code.id
            shortcuts.add(shortcut)
            self.code_map[rc.id] = code.id
            self.report.codes_added += 1

    # -- documents ---------------------------------------------------------------------

    def _documents(self) -> None:
        rows = self.s.execute(select(DocumentRow.id, DocumentRow.sha256)).all()
        by_sha = {sha: id_ for id_, sha in rows}
        taken = {id_ for id_, _ in rows}
        last = self.s.scalar(select(func.max(DocumentRow.position)))
        position = (last if last is not None else -1) + 1
        for source in self.data.sources:
            sha = text_sha256(source.text)
            if sha in by_sha:
                self.doc_map[source.id] = by_sha[sha]
                self.report.documents_matched += 1
            elif self.add:
                doc_id = source.id if source.id not in taken else new_id()
                self._add_document(doc_id, source, sha, position)
                position += 1
                by_sha[sha] = doc_id
                taken.add(doc_id)
                self.doc_map[source.id] = doc_id
                self.report.documents_added += 1
            else:
                self.report.unmatched.append(
                    f"document '{source.name}': its text is not in this project "
                    f"({len(source.codings)} coding(s) not merged)."
                )

    def _add_document(self, doc_id: uuid.UUID, source: ReadSource, sha: str, pos: int) -> None:
        meta = source.fields
        attributes = dict(source.attributes)
        if meta.note.strip():
            attributes.setdefault("Description", meta.note)
        row = DocumentRow(
            id=doc_id,
            title=(source.name or "Untitled")[:500],
            text=source.text,
            sha256=sha,
            length=len(source.text),
            author=meta.author,
            publisher=meta.publisher,
            date=meta.date,
            source=meta.source,
            source_format=(meta.source_format or "refi-qda")[:20],
            position=pos,
            imported_at=source.created_at or utcnow(),
        )
        row.attributes = [
            DocumentAttributeRow(key=k.strip()[:200], value=v)
            for k, v in sorted(attributes.items())
            if k.strip()
        ]
        self.s.add(row)
        self.s.flush()  # the block rows refer to this row
        self.s.add_all(
            DocumentBlockRow(document_id=doc_id, kind=b.kind.value, start=b.start, end=b.end)
            for b in paragraph_blocks(source.text)
        )

    # -- codings -----------------------------------------------------------------------

    def _codings(self) -> None:
        existing = set(self.s.scalars(select(CodingRow.id)).all())
        total = sum(len(src.codings) for src in self.data.sources)
        pending: list[dict] = []
        done = 0
        folder = Counter[str]()
        for source in self.data.sources:
            doc_id = self.doc_map.get(source.id)
            for coding in source.codings:
                done += 1
                code_id = self.code_map.get(coding.code_id)
                coder_id = self.coder_map.get(coding.user_id)
                if doc_id is None or code_id is None or coder_id is None:
                    continue  # reported with the unmatched document, code or coder
                if coding.code_id in self.folder_codes:
                    folder[str(code_id)] += 1
                    continue
                values = self.coding_values(coding, doc_id, code_id, coder_id, source.text)
                if coding.id in existing:
                    self._update(coding, values)
                    continue
                existing.add(coding.id)
                pending.append(values)
                if len(pending) >= BATCH:
                    self._flush(pending, done, total)
        self._flush(pending, done, total)
        for code_id, n in folder.items():
            name = self.s.get(CodeRow, uuid.UUID(code_id))
            self.report.problems.append(
                f"code '{name.name if name else code_id}' is a folder (not codable) in this "
                f"project; {n} coding(s) on it were not imported."
            )

    def coding_values(
        self,
        coding: ReadCoding,
        doc_id: uuid.UUID,
        code_id: uuid.UUID,
        coder_id: uuid.UUID,
        text: str,
    ) -> dict:
        """The row values of one coding to insert."""
        created = coding.created_at or self.fallback_time
        return {
            "id": coding.id,
            "document_id": doc_id,
            "code_id": code_id,
            "coder_id": coder_id,
            "start": coding.start,
            "end": coding.end,
            "quote": text[coding.start : coding.end],
            "memo": coding.memo,
            "created_at": created,
            "modified_at": coding.modified_at or created,
            "codebook_version_id": None,
        }

    def _update(self, coding: ReadCoding, values: dict) -> None:
        row = self.s.get(CodingRow, coding.id)
        assert row is not None
        keys = ("document_id", "code_id", "coder_id", "start", "end", "memo")
        if all(getattr(row, k) == values[k] for k in keys):
            self.report.codings_unchanged += 1
            return
        theirs: datetime = values["modified_at"]
        if theirs > aware(row.modified_at):
            for key in (*keys, "quote", "modified_at"):
                setattr(row, key, values[key])
            self.report.codings_updated += 1
        else:
            self.report.codings_unchanged += 1
            self.report.warnings.append(
                f"coding {coding.id} differs from ours but is not newer; ours was kept."
            )

    def _flush(self, pending: list[dict], done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelledError("Import cancelled; nothing was stored.")
        if pending:
            self.s.execute(insert(CodingRow), pending)
            self.report.codings_added += len(pending)
            pending.clear()
        if self.progress is not None:
            self.progress(done, total)

    # -- links -------------------------------------------------------------------------

    def _links(self) -> None:
        """Links between codings that are in the project after the import (ids kept)."""
        links = self.data.links
        if not links or not inspect(self.s.connection()).has_table("coding_link"):
            return
        ends = {lk.origin for lk in links} | {lk.target for lk in links}
        have = set(self.s.scalars(select(CodingRow.id).where(CodingRow.id.in_(list(ends)))))
        existing = {
            row.id: row
            for row in self.s.scalars(
                select(CodingLinkRow).where(CodingLinkRow.id.in_([lk.id for lk in links]))
            )
        }
        vocab: dict[str, set[str]] = {TYPE_VOCABULARY: set(), STATUS_VOCABULARY: set()}
        for kind, name in self.s.execute(select(LinkVocabularyRow.kind, LinkVocabularyRow.name)):
            vocab.setdefault(kind, set()).add(name)

        def known(kind: str, name: str) -> None:
            if name not in vocab[kind]:  # a user-defined type or status of the other project
                self.s.add(LinkVocabularyRow(kind=kind, name=name[:200], position=len(vocab[kind])))
                vocab[kind].add(name)

        missing = 0
        for lk in links:
            status = lk.status if lk.name == RESPONSE_TO else None
            row = existing.get(lk.id)
            if row is not None:
                if row.status != status:
                    if status:
                        known(STATUS_VOCABULARY, status)
                    row.status = status
                    row.modified_at = utcnow()
                    self.report.links_updated += 1
                continue
            if lk.origin not in have or lk.target not in have:
                missing += 1
                continue
            known(TYPE_VOCABULARY, lk.name)
            if status:
                known(STATUS_VOCABULARY, status)
            self.s.add(
                CodingLinkRow(
                    id=lk.id,
                    source_id=lk.origin,
                    target_id=lk.target,
                    link_type=lk.name[:200],
                    status=status,
                    memo="",
                    coder_id=None,
                    created_at=self.fallback_time,
                    modified_at=self.fallback_time,
                )
            )
            self.report.links_added += 1
        if missing:
            self.report.skipped.append(
                f"{missing} link(s) between codings that were not imported skipped."
            )

    # -- sets --------------------------------------------------------------------------

    def _sets(self) -> None:
        groups = {g.id: g for g in self.s.scalars(select(DocumentGroupRow)).all()}
        by_name = {g.name.casefold(): g for g in groups.values()}
        for st in self.data.sets:
            members = {self.doc_map[m] for m in st.document_ids if m in self.doc_map}
            name = (st.name or f"Set {str(st.id)[:8]}")[:200]
            group = groups.get(st.id) or by_name.get(name.casefold())
            if group is None:
                if not self.add:
                    self.report.unmatched.append(f"document set '{name}' is not in this project.")
                    continue
                if not members:
                    continue
                group = DocumentGroupRow(id=st.id, name=name, description=st.description)
                self.s.add(group)
                self.s.flush()
                groups[group.id], by_name[name.casefold()] = group, group
                self.report.sets_added += 1
            have = set(
                self.s.scalars(
                    select(DocumentGroupMemberRow.document_id).where(
                        DocumentGroupMemberRow.group_id == group.id
                    )
                ).all()
            )
            self.s.add_all(
                DocumentGroupMemberRow(group_id=group.id, document_id=d)
                for d in sorted(members - have, key=str)
            )
