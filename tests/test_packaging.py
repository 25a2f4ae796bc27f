"""The wheel carries resources and sample documents, loaded through importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import annotator.services.resources as r
from annotator.services.starter import sample_documents, starter_codes
import annotator
print(len(starter_codes()), len(sample_documents()))
print(r.resource("style.qss"))
print(r.sample_docs())
print(annotator.__file__)
"""


def test_wheel_ships_resources_and_loads_them(tmp_path: Path):
    out = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(out.glob("annotator-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "annotator/resources/codebooks/policy_starter.json",
        "annotator/resources/style.qss",
        "annotator/resources/icons/annotator.svg",
        "annotator/resources/sample_codings.json",
        "annotator/sample_docs/catalog.json",
        "annotator/storage/migrations/env.py",
        "annotator/storage/migrations/versions/0001_initial_schema.py",
    ):
        assert required in names, required
    assert sum(n.startswith("annotator/sample_docs/") and n.endswith(".txt") for n in names) == 5
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "10 5"
    for line in lines[1:]:
        assert line.startswith(str(site)), line  # loaded from the wheel, not the checkout
