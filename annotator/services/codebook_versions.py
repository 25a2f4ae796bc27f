"""Codebook versions and the change log: freeze, list, compare, and export what changed.

A version is a named snapshot of every code (JSON in ``codebook_version.snapshot``). New
codings are stamped with the newest version. The change log records every codebook edit
with who, when, what (``details`` holds a readable ``summary`` sentence plus the data);
"changes between two versions" are the entries made after the first was frozen and up to
the moment the second was.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from annotator.domain.codebook import (
    ChangeEntry,
    code_from_dict,
    code_to_dict,
    tree_order,
    validate_version_name,
)
from annotator.domain.errors import NotFoundError, ValidationError
from annotator.domain.fields import FieldDef, field_from_dict
from annotator.domain.model import Code, CodebookVersion, new_id, utcnow
from annotator.storage.database import Database
from annotator.storage.mapping import aware, code_from_row
from annotator.storage.models import (
    CodebookChangeRow,
    CodebookVersionRow,
    CodeFieldRow,
    CodeRow,
    CoderRow,
    CodingRow,
)

SNAPSHOT_FORMAT = 1
EXPORT_SUFFIXES = (".csv", ".md", ".txt")


def log_change(
    s: Session,
    coder_id: uuid.UUID | None,
    action: str,
    code_id: uuid.UUID | None,
    summary: str,
    at: datetime | None = None,
    **data: object,
) -> None:
    """Add one change-log entry to the session's transaction."""
    details = {"summary": summary, **data}
    s.add(
        CodebookChangeRow(
            id=new_id(),
            at=at or utcnow(),
            coder_id=coder_id,
            action=action,
            code_id=code_id,
            details=json.dumps(details, default=str, ensure_ascii=False),
        )
    )


def _snapshot_fields(s: Session) -> list[dict[str, object]]:
    """The fields of every code as JSON, for a frozen version (issue 10)."""
    rows = s.scalars(select(CodeFieldRow).order_by(CodeFieldRow.code_id, CodeFieldRow.position))
    out = []
    for r in rows.all():
        d: dict[str, object] = {
            "id": str(r.id),
            "code_id": str(r.code_id),
            "name": r.name,
            "kind": r.kind,
            "required": bool(r.required),
            "position": r.position,
            "definition": r.definition or "",
            "choices": json.loads(r.choices or "[]"),
        }
        out.append(d)
    return out


def latest_version_id(s: Session) -> uuid.UUID | None:
    """The most recently frozen version, which new codings are stamped with (in ``s``)."""
    return s.scalars(
        select(CodebookVersionRow.id).order_by(CodebookVersionRow.created_at.desc())
    ).first()


def _version(row: CodebookVersionRow) -> CodebookVersion:
    return CodebookVersion(
        id=row.id,
        name=row.name,
        created_at=aware(row.created_at),
        coder_id=row.coder_id,
        note=row.note,
    )


@dataclass(frozen=True)
class FrozenVersion:
    """A deleted version with everything needed to put it back (undo of a freeze)."""

    version: CodebookVersion
    snapshot: str
    stamped: tuple[uuid.UUID, ...]  # codings that carried this version


class CodebookVersionService:
    """Named versions of one project's codebook, and its change log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- versions ---------------------------------------------------------------------------
    def list(self) -> list[CodebookVersion]:
        """Every version, oldest first."""
        with self._db.reader() as s:
            rows = s.scalars(select(CodebookVersionRow).order_by(CodebookVersionRow.created_at))
            return [_version(r) for r in rows.all()]

    def get(self, version_id: uuid.UUID) -> CodebookVersion:
        """One version."""
        with self._db.reader() as s:
            row = s.get(CodebookVersionRow, version_id)
            if row is None:
                raise NotFoundError("This codebook version no longer exists.")
            return _version(row)

    def find(self, name: str) -> CodebookVersion | None:
        """The version called ``name`` (ignoring case), if any."""
        wanted = name.strip().casefold()
        return next((v for v in self.list() if v.name.casefold() == wanted), None)

    def freeze(
        self, name: str, coder_id: uuid.UUID | None = None, note: str = ""
    ) -> CodebookVersion:
        """Store the codebook as it is now under ``name``; later codings are stamped with it."""
        with self._db.transaction() as s:
            name = validate_version_name(name, s.scalars(select(CodebookVersionRow.name)).all())
            codes = tree_order(code_from_row(r) for r in s.scalars(select(CodeRow)).all())
            snapshot = {"format": SNAPSHOT_FORMAT, "codes": [code_to_dict(c) for c in codes]}
            snapshot["fields"] = _snapshot_fields(s)
            now = utcnow()  # the log entry shares it, so "until this version" includes it
            row = CodebookVersionRow(
                id=new_id(),
                name=name,
                created_at=now,
                coder_id=coder_id,
                note=note.strip(),
                snapshot=json.dumps(snapshot, ensure_ascii=False),
            )
            s.add(row)
            log_change(
                s,
                coder_id,
                "freeze",
                None,
                f"Froze the codebook as version '{name}'",
                at=now,
                version=name,
                codes=len(codes),
            )
            return _version(row)

    def delete(self, version_id: uuid.UUID, coder_id: uuid.UUID | None = None) -> FrozenVersion:
        """Remove a version (undo of a freeze); codings stamped with it lose the stamp."""
        with self._db.transaction() as s:
            row = s.get(CodebookVersionRow, version_id)
            if row is None:
                raise NotFoundError("This codebook version no longer exists.")
            stamped = s.scalars(
                select(CodingRow.id).where(CodingRow.codebook_version_id == version_id)
            ).all()
            gone = FrozenVersion(_version(row), row.snapshot, tuple(stamped))
            s.delete(row)
            log_change(
                s,
                coder_id,
                "unfreeze",
                None,
                f"Removed codebook version '{row.name}'",
                version=row.name,
            )
            return gone

    def reinstate(self, frozen: FrozenVersion, coder_id: uuid.UUID | None = None) -> None:
        """Put back a version removed by :meth:`delete`, with its stamps (redo of a freeze)."""
        v = frozen.version
        with self._db.transaction() as s:
            validate_version_name(v.name, s.scalars(select(CodebookVersionRow.name)).all())
            s.add(
                CodebookVersionRow(
                    id=v.id,
                    name=v.name,
                    created_at=v.created_at,
                    coder_id=v.coder_id,
                    note=v.note,
                    snapshot=frozen.snapshot,
                )
            )
            s.flush()
            if frozen.stamped:
                s.execute(
                    update(CodingRow)
                    .where(CodingRow.id.in_(list(frozen.stamped)))
                    .values(codebook_version_id=v.id)
                )
            log_change(
                s,
                coder_id,
                "freeze",
                None,
                f"Froze the codebook as version '{v.name}' again",
                version=v.name,
            )

    def snapshot(self, version_id: uuid.UUID) -> list[Code]:
        """The codes as they were when the version was frozen, in display order."""
        with self._db.reader() as s:
            row = s.get(CodebookVersionRow, version_id)
            if row is None:
                raise NotFoundError("This codebook version no longer exists.")
            data = json.loads(row.snapshot)
            return [code_from_dict(d) for d in data.get("codes", [])]

    def snapshot_fields(self, version_id: uuid.UUID) -> list[FieldDef]:
        """The code fields as they were when the version was frozen (none before issue 10)."""
        with self._db.reader() as s:
            row = s.get(CodebookVersionRow, version_id)
            if row is None:
                raise NotFoundError("This codebook version no longer exists.")
            return [field_from_dict(d) for d in json.loads(row.snapshot).get("fields", [])]

    def coding_counts(self) -> dict[uuid.UUID | None, int]:
        """How many codings carry each version (None: made before any version)."""
        with self._db.reader() as s:
            stmt = select(CodingRow.codebook_version_id, func.count()).group_by(
                CodingRow.codebook_version_id
            )
            return {vid: n for vid, n in s.execute(stmt).all()}

    # -- the change log -----------------------------------------------------------------------
    def changes(
        self, since: uuid.UUID | None = None, until: uuid.UUID | None = None
    ) -> list[ChangeEntry]:
        """Log entries after version ``since`` was frozen, up to when ``until`` was.

        None for ``since`` means from the beginning; None for ``until`` means up to now.
        """
        start = self.get(since).created_at if since else None
        end = self.get(until).created_at if until else None
        if start and end and end < start:
            raise ValidationError("The second version must be newer than the first.")
        with self._db.reader() as s:
            names = {r.id: r.name for r in s.scalars(select(CoderRow)).all()}
            rows = s.scalars(select(CodebookChangeRow).order_by(CodebookChangeRow.at)).all()
            out = []
            for r in rows:
                at = aware(r.at)
                if (start and at <= start) or (end and at > end):
                    continue
                out.append(
                    ChangeEntry(
                        at=at,
                        coder_id=r.coder_id,
                        coder_name=names.get(r.coder_id, "") if r.coder_id else "",
                        action=r.action,
                        code_id=r.code_id,
                        details=json.loads(r.details),
                    )
                )
            return out

    def export_changes(
        self,
        path: Path | str,
        since: uuid.UUID | None = None,
        until: uuid.UUID | None = None,
    ) -> int:
        """Write the changes between two versions to ``path`` (.csv, .md or .txt).

        Returns how many entries were written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in EXPORT_SUFFIXES:
            raise ValidationError(
                f"{path.name}: choose a .csv, .md or .txt file for the change log."
            )
        entries = self.changes(since, until)
        title = change_log_title(
            self.get(since).name if since else None, self.get(until).name if until else None
        )
        text = changes_csv(entries) if suffix == ".csv" else changes_markdown(entries, title)
        path.write_text(text, encoding="utf-8", newline="")
        return len(entries)


def change_log_title(since: str | None, until: str | None) -> str:
    """E.g. ``Codebook changes from version 'pilot' to version 'v1'``."""
    start = f"version '{since}'" if since else "the beginning"
    end = f"version '{until}'" if until else "now"
    return f"Codebook changes from {start} to {end}"


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def changes_csv(entries: Sequence[ChangeEntry]) -> str:
    """The entries as CSV: time, coder, action, code id, summary, details (JSON)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["time", "coder", "action", "code_id", "summary", "details"])
    for e in entries:
        rest = {k: v for k, v in e.details.items() if k != "summary"}
        writer.writerow(
            [
                e.at.isoformat(),
                e.coder_name,
                e.action,
                str(e.code_id) if e.code_id else "",
                e.summary,
                json.dumps(rest, ensure_ascii=False, default=str),
            ]
        )
    return buffer.getvalue()


def changes_markdown(entries: Sequence[ChangeEntry], title: str) -> str:
    """The entries as a Markdown (and plain-text readable) list, oldest first."""
    lines = [f"# {title}", ""]
    if not entries:
        lines.append("No changes.")
    for e in entries:
        who = e.coder_name or "unknown coder"
        lines.append(f"- {_when(e.at)} — {who} — **{e.action}**: {e.summary}")
    return "\n".join(lines) + "\n"
