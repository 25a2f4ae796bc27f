"""Shared pieces of the REFI-QDA tests: reference files, schemas, synthetic archives."""

from __future__ import annotations

import functools
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from lxml import etree

SHARED_REFI = Path(__file__).resolve().parents[3].parent / "shared" / "refi-qda"
ATLAS_QDPX = SHARED_REFI / "samples" / "atlasti-win-23.2.3_target-atlas-project.qdpx"
ANNEX_QDE = SHARED_REFI / "samples" / "spec-annexA2-atlasti-8.4-mac_Project.qde"

needs_shared = pytest.mark.skipif(
    not SHARED_REFI.is_dir(), reason="shared/refi-qda reference files are not beside the repo"
)


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    """``Project.xsd`` or ``Codebook.xsd`` from the shared reference files."""
    return etree.XMLSchema(etree.parse(str(SHARED_REFI / "schema" / name)))


def assert_valid(xml: bytes, schema_name: str) -> None:
    """Fail with the schema's error log unless ``xml`` validates."""
    xsd = schema(schema_name)
    ok = xsd.validate(etree.fromstring(xml))
    assert ok, str(xsd.error_log)


def qde_bytes(qdpx: Path) -> bytes:
    """The project.qde inside an archive."""
    with zipfile.ZipFile(qdpx) as archive:
        return archive.read("project.qde")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, computed independently of the code under test."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Sel:
    """A synthetic selection: positions as the tool wrote them."""

    start: int
    end: int
    name: str | None
    code: uuid.UUID
    user: uuid.UUID | None = None
    guid: uuid.UUID = field(default_factory=uuid.uuid4)
    extra: str = ""  # inner XML placed before the Coding


@dataclass
class Src:
    """A synthetic text source and its selections."""

    name: str
    selections: list[Sel]
    guid: uuid.UUID = field(default_factory=uuid.uuid4)
    path: str | None = None  # plainTextPath; default internal://<guid>.txt


def make_qde(
    *,
    origin: str,
    codes: list[tuple[uuid.UUID, str]],
    users: list[tuple[uuid.UUID, str]],
    sources: list[Src],
    namespace: str | None = "urn:QDA-XML:project:1.0",
    upper_guids: bool = False,
) -> str:
    """A minimal project.qde as another tool might write it."""

    def g(value: uuid.UUID) -> str:
        return str(value).upper() if upper_guids else str(value)

    xmlns = f' xmlns="{namespace}"' if namespace else ""
    out = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project{xmlns} name="Synthetic" '
        f"origin={quoteattr(origin)}>"
    ]
    out.append("<Users>")
    out += [f'<User guid="{g(u)}" name={quoteattr(n)}/>' for u, n in users]
    out.append("</Users><CodeBook><Codes>")
    out += [f'<Code guid="{g(c)}" name={quoteattr(n)} isCodable="true"/>' for c, n in codes]
    out.append("</Codes></CodeBook><Sources>")
    for src in sources:
        path = src.path or f"internal://{g(src.guid)}.txt"
        out.append(
            f'<TextSource guid="{g(src.guid)}" name={quoteattr(src.name)} '
            f"plainTextPath={quoteattr(path)}>"
        )
        for sel in src.selections:
            name = f" name={quoteattr(sel.name)}" if sel.name is not None else ""
            user = f' creatingUser="{g(sel.user)}"' if sel.user else ""
            out.append(
                f'<PlainTextSelection guid="{g(sel.guid)}"{name} startPosition="{sel.start}" '
                f'endPosition="{sel.end}"{user} creationDateTime="2024-05-06T07:08:09Z">'
                f'{sel.extra}<Coding guid="{g(uuid.uuid4())}"{user}>'
                f'<CodeRef targetGUID="{g(sel.code)}"/></Coding></PlainTextSelection>'
            )
        out.append("</TextSource>")
    out.append("</Sources></Project>")
    return "\n".join(out)


def make_qdpx(path: Path, qde: str, files: dict[str, bytes], qde_name: str = "project.qde") -> Path:
    """Zip ``qde`` and ``files`` (archive name -> bytes) into ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8"))
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def snapshot(project) -> dict:
    """Everything we model, in comparable form (codebook versions aside)."""
    docs = []
    for summary in project.documents.list():
        doc = project.documents.get(summary.id)
        docs.append(
            (
                doc.id,
                doc.title,
                doc.text,
                doc.metadata,
                doc.source_format,
                doc.imported_at,
                summary.position,
            )
        )
    return {
        "documents": docs,
        "codes": sorted(project.codebook.list(), key=lambda c: str(c.id)),
        "coders": project.coders.list(),
        "codings": sorted(
            (c.with_changes(codebook_version_id=None) for c in project.codings.all()),
            key=lambda c: str(c.id),
        ),
    }
