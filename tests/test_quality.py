"""Layer contracts and lint run with the tests, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True)


# import-linter's console script, run by the interpreter running the tests: the suite must
# not depend on an activated virtual environment putting ``lint-imports`` on PATH.
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())"
)


def test_import_linter_contracts_hold():
    result = _run(sys.executable, "-c", LINT_IMPORTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_quality_tools_run_without_path(tmp_path):
    """With PATH emptied (no activated venv), the contracts check still runs."""
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS], cwd=REPO, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout


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
