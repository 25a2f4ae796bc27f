"""Worker of the importer fuzz test: mutate seed files and import each mutant.

Run as ``python -m tests.reliability.fuzz_worker FORMAT SEED_FILE COUNT RANDOM_SEED OUT_DIR``.
It prints ``START i`` before each mutant and ``OK i``, ``REFUSED i`` (the importer's own
clear error) or ``BAD i <exception>`` after it; the parent test watches for hangs (no line
within the bound) and interpreter crashes (the worker dying). Each mutant is written to
OUT_DIR before it is imported, so a failure can be reproduced from the file.
"""

from __future__ import annotations

import io
import random
import sys
import traceback
import zipfile
from pathlib import Path

TOKENS = {
    ".rtf": [
        b"{",
        b"}",
        b"\\",
        b"\\'",
        b"{\\info{\\title ",
        b"\\ab12 ",
        b"\\bin5 ",
        b"\\u-3 ",
        b'{\\field{\\*\\fldinst{HYPERLINK "',
        b"{\\fonttbl\\f1\\fcharset0 ",
        b";",
    ],
    ".html": [
        b"<div>",
        b"</div>",
        b"<table><tr><td>",
        b"&#x",
        b"<!--",
        b"<script>",
        b"<p>",
        b'<!DOCTYPE x [<!ENTITY a "b">]>',
        b"\x00",
        b"<h1>",
        b"<li>",
    ],
    ".md": [
        b"> ",
        b"- ",
        b"```",
        b"|a|b|\n|-|-|\n",
        b"*",
        b"[",
        b"](",
        b"<div>",
        b"\n\n",
        b"---\n",
        b"#",
    ],
    ".txt": [b"\r\n", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\xc3", b"\r"],
    ".xml": [
        b"<",
        b">",
        b"</",
        b"&",
        b"&#",
        b'"',
        b"=",
        b"<!DOCTYPE",
        b"<w:t>",
        b"<text:p>",
        b'startPosition="-1"',
        b'endPosition="99999999"',
        b'guid="x"',
    ],
}


def mutate_bytes(data: bytes, rng: random.Random, tokens: list[bytes]) -> bytes:
    """One to three random edits: flips, truncation, insertion, duplication, tokens."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(6)
        pos = rng.randrange(len(out) + 1) if out else 0
        if op == 0 and out:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif op == 1 and out:
            del out[pos:]
        elif op == 2:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
        elif op == 3 and out:
            end = min(len(out), pos + rng.randint(1, 512))
            out[pos:pos] = out[pos:end] * rng.randint(1, 20)
        elif op == 4 and out:
            del out[pos : pos + rng.randint(1, 64)]
        else:
            out[pos:pos] = rng.choice(tokens) * rng.randint(1, 50)
    return bytes(out)


def mutate(data: bytes, suffix: str, rng: random.Random) -> bytes:
    """A mutant of ``data``; a zip's members are mutated inside a valid zip half the time."""
    if data.startswith(b"PK") and rng.random() < 0.6:
        source = zipfile.ZipFile(io.BytesIO(data))
        infos = source.infolist()
        victim = rng.choice(
            [i for i in infos if i.filename.endswith((".xml", ".qde", ".txt"))] or infos
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                member = source.read(info.filename)
                if info.filename == victim.filename:
                    member = mutate_bytes(member, rng, TOKENS[".xml"])
                target.writestr(info.filename, member)
        return buffer.getvalue()
    return mutate_bytes(data, rng, TOKENS.get(suffix, TOKENS[".xml"]))


def _importer(suffix: str, scratch: Path):
    if suffix in (".qdpx", ".qdc"):
        from annotator.domain.errors import AnnotatorError
        from annotator.services.project import Project
        from annotator.services.refi import import_qdc, import_qdpx

        project = Project.create(scratch / "fuzz.annotator", starter=False)

        def run(path: Path) -> None:
            if suffix == ".qdc":
                import_qdc(project, path)
            else:
                import_qdpx(project, path, accept_partial=True)

        return run, AnnotatorError
    from annotator.exchange.importers import ImportProblem, extract

    return extract, ImportProblem


def main() -> int:
    fmt_seed, count, rng_seed, out_dir = (
        sys.argv[1],
        int(sys.argv[2]),
        int(sys.argv[3]),
        Path(sys.argv[4]),
    )
    seed = Path(fmt_seed)
    suffix = seed.suffix.lower()
    data = seed.read_bytes()
    rng = random.Random(rng_seed)
    run, clear_error = _importer(suffix, out_dir)
    for i in range(count):
        mutant = out_dir / f"mutant-{i:05}{suffix}"
        mutant.write_bytes(mutate(data, suffix, rng))
        print(f"START {i}", flush=True)
        try:
            run(mutant)
        except clear_error as exc:
            message = str(exc)
            if mutant.name not in message and suffix not in (".qdpx", ".qdc"):
                print(f"BAD {i} the message does not name the file: {message[:200]!r}", flush=True)
            else:
                print(f"REFUSED {i}", flush=True)
            mutant.unlink()
            continue
        except BaseException as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            print(f"BAD {i} {detail[:300]!r}", flush=True)
            continue
        print(f"OK {i}", flush=True)
        mutant.unlink()
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
