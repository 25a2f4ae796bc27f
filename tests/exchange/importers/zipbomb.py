"""Builders of hostile zip archives for the DOCX/ODT tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

MiB = 1024 * 1024


def write_bomb(path: Path, member: str, megabytes: int = 64) -> None:
    """A zip whose ``member`` inflates from a few KiB to ``megabytes`` MiB of zeros."""
    chunk = b"\0" * MiB
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with archive.open(member, "w", force_zip64=True) as handle:
            for _ in range(megabytes):
                handle.write(chunk)


def write_many(path: Path, member_count: int, member_bytes: int) -> None:
    """A zip with many moderately sized, incompressible-ish members."""
    import random

    rng = random.Random(0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(member_count):
            archive.writestr(f"word/media/image{i}.bin", rng.randbytes(member_bytes))
