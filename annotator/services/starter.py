"""The starter codebook for policy texts and the built-in sample project's content.

Starter codes get deterministic UUIDs (UUID5 of their path), so two coders who each start
a project from the starter codebook share code identities and can merge their work.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from annotator.domain.fields import FieldChoice, FieldDef, FieldKind
from annotator.domain.model import Code
from annotator.domain.structure import DocumentMetadata, ExtractedDocument, paragraph_blocks
from annotator.domain.text import canonicalize
from annotator.services.resources import read_json, sample_docs

STARTER_NAMESPACE = uuid.UUID("6f3c1c2e-6a59-4d0e-9a53-6a1f1e0c0de5")


def starter_codes() -> list[Code]:
    """The starter codebook as codes, parents before children."""
    data = read_json("codebooks", "policy_starter.json")
    out: list[Code] = []

    def walk(entries: list[dict[str, Any]], parent: Code | None, path: str) -> None:
        for position, entry in enumerate(entries):
            full = f"{path}/{entry['name']}" if path else entry["name"]
            code = Code(
                id=uuid.uuid5(STARTER_NAMESPACE, full),
                name=entry["name"],
                color=entry["color"],
                parent_id=parent.id if parent else None,
                position=position,
                kind=entry.get("kind", "theme"),
                shortcut=entry.get("shortcut"),
                definition=entry.get("definition", ""),
                inclusion=entry.get("inclusion", ""),
                exclusion=entry.get("exclusion", ""),
                example_typical=entry.get("example_typical", ""),
                example_atypical=entry.get("example_atypical", ""),
                memo=entry.get("memo", ""),
                codable=entry.get("codable", True),
            )
            out.append(code)
            walk(entry.get("children", []), code, full)

    walk(data["codes"], None, "")
    return out


def starter_fields() -> list[FieldDef]:
    """The fields the starter codebook declares on its codes (issue 10).

    Field and choice ids are UUID5s of ``code path#field name(=choice label)``, so two
    coders who each start from the starter codebook share them too.
    """
    data = read_json("codebooks", "policy_starter.json")
    out: list[FieldDef] = []

    def walk(entries: list[dict[str, Any]], path: str) -> None:
        for entry in entries:
            full = f"{path}/{entry['name']}" if path else entry["name"]
            for position, spec in enumerate(entry.get("fields", [])):
                key = f"{full}#{spec['name']}"
                choices = tuple(
                    FieldChoice(
                        id=str(uuid.uuid5(STARTER_NAMESPACE, f"{key}={c['label']}")),
                        label=c["label"],
                        definition=c.get("definition", ""),
                        key=c.get("key"),
                    )
                    for c in spec.get("choices", [])
                )
                out.append(
                    FieldDef(
                        id=uuid.uuid5(STARTER_NAMESPACE, key),
                        code_id=uuid.uuid5(STARTER_NAMESPACE, full),
                        name=spec["name"],
                        kind=FieldKind(spec["kind"]),
                        choices=choices,
                        required=bool(spec.get("required", False)),
                        position=position,
                        definition=spec.get("definition", ""),
                    )
                )
            walk(entry.get("children", []), full)

    walk(data["codes"], "")
    return out


def starter_code_id(path: str) -> uuid.UUID:
    """The UUID of the starter code at ``path`` (e.g. ``Themes/Prevention``)."""
    return uuid.uuid5(STARTER_NAMESPACE, path)


def sample_documents() -> list[ExtractedDocument]:
    """The five sample texts with their catalogue metadata."""
    folder = sample_docs()
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    docs: list[ExtractedDocument] = []
    for entry in catalog["documents"]:
        raw = (folder / entry["file"]).read_bytes()
        text = canonicalize(raw.decode("utf-8"))
        meta = DocumentMetadata(
            title=entry["title"],
            author=entry.get("author"),
            publisher=entry.get("publisher"),
            date=entry.get("date"),
            source=f"sample_docs/{entry['file']}",
            attributes=dict(entry.get("attributes", {})),
        )
        docs.append(
            ExtractedDocument(
                text=text,
                blocks=paragraph_blocks(text),
                pages=(),
                metadata=meta,
                source_format="text",
                original=raw,
                original_name=entry["file"],
            )
        )
    return docs


@dataclass(frozen=True)
class SampleCoding:
    """An example coding of the sample project, located by the passage it quotes."""

    coder: str
    document: int  # index into sample_documents()
    code_path: str
    quote: str
    occurrence: int = 0
    memo: str = ""
    fields: dict[str, Any] | None = None  # field name -> choice label(s) or value


def sample_codings() -> list[SampleCoding]:
    """Example codings by two sample coders, so agreement and overlaps can be explored."""
    return [SampleCoding(**row) for row in read_json("sample_codings.json")["codings"]]
