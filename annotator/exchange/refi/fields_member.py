"""Our own extension to ``.qdpx``: code fields and coding values as a namespaced member.

REFI-QDA 1.5 (Project.xsd) has no place for structured values on a coding: a ``<Code>``
carries a name, colour and description, a ``<Coding>`` only a reference to its code and
coder. We therefore add one archive member, ``annotator/fields.json``, beside
``project.qde`` and ``sources/``. Other tools open the archive by ``project.qde`` and the
files its sources name, so they ignore the member (and lose the fields and values); our
import and merge read it back, so our own round trip is lossless. The XML stays valid
against the schema because nothing is added to it.

The member is JSON: ``{"schema": "annotator.fields", "version": 1, "fields": [...],
"values": [...]}`` with the dictionaries of :func:`annotator.domain.fields.field_to_dict`
and :func:`annotator.domain.fields.value_to_dict`.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from annotator.domain.errors import ValidationError
from annotator.domain.fields import (
    FieldDef,
    FieldValue,
    field_from_dict,
    field_to_dict,
    value_from_dict,
    value_to_dict,
)
from annotator.exchange.refi.archive import SafeArchive

MEMBER = "annotator/fields.json"
SCHEMA = "annotator.fields"
VERSION = 1


def append_fields(path: Path, fields: Iterable[FieldDef], values: Iterable[FieldValue]) -> int:
    """Add the member to the ``.qdpx`` at ``path`` (nothing when there are no fields)."""
    fields = list(fields)
    if not fields:
        return 0
    data = {
        "schema": SCHEMA,
        "version": VERSION,
        "fields": [field_to_dict(f) for f in fields],
        "values": [value_to_dict(v) for v in values],
    }
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MEMBER, json.dumps(data, ensure_ascii=False, indent=1))
    return len(data["values"])


def read_fields(path: Path) -> tuple[list[FieldDef], list[FieldValue]]:
    """The fields and values stored in a ``.qdpx`` (none for other tools' files or a .qde).

    Read through :class:`SafeArchive` (sizes and names checked); a malformed member is
    refused with a message naming the file.
    """
    if not zipfile.is_zipfile(path):
        return [], []
    with SafeArchive(path) as archive:
        name = archive.find(MEMBER)
        if name is None:
            return [], []
        raw = archive.read(name)
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("schema") != SCHEMA:
            raise ValueError("not an annotator fields member")
        if int(data.get("version", 0)) > VERSION:
            raise ValueError("written by a newer annotator")
        fields = [field_from_dict(d) for d in data.get("fields", [])]
        values = [value_from_dict(d) for d in data.get("values", [])]
    except (ValueError, TypeError, AttributeError, ValidationError) as exc:
        raise ValidationError(f"{path.name}: the member {MEMBER} cannot be read ({exc}).") from None
    return fields, values
