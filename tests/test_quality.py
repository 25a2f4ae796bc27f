"""Layer contracts and lint run with the tests, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True)


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports") or "lint-imports"
    result = _run(exe)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_is_clean():
    result = _run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout


def test_ruff_format_is_clean():
    result = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_no_module_is_a_defect():
    too_long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "annotator").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not too_long, too_long
