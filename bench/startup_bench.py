"""Start-up benchmark: the sample project's window against a bare PySide6 main window.

Each measurement is a fresh process (interpreter start included, as a user waits for it):
the time from launching the process until the window is shown and the event loop has
drawn it, and the resident memory (VmRSS) after it has idled for a second. Both kinds
run alternately in the same run, and the table gives the medians and their ratio.

Run: ``python bench/startup_bench.py [--runs N] [--platform offscreen|xcb]`` (offscreen by
default; with xcb, DISPLAY must point at an X server, e.g. Xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMON = """
import json, sys, time
T0 = float(sys.argv[1])

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

def finish(app, window):
    from PySide6.QtTest import QTest
    window.show()
    QTest.qWaitForWindowExposed(window, 10000)
    app.processEvents()
    shown = time.time() - T0
    QTest.qWait(1000)  # idle
    print(json.dumps({"seconds": shown, "rss_mb": rss_mb(),
                      "modules": len(sys.modules)}), flush=True)
"""

BARE = (
    COMMON
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 700)
finish(app, window)
"""
)

APP = (
    COMMON
    + """
from pathlib import Path
from annotator.gui.app import application, build_window, settle_memory
app = application()
window = build_window(Path(sys.argv[2]))
settle_memory()
finish(app, window)
heavy = sorted(m for m in ("openpyxl", "numpy", "alembic", "lxml", "docx", "pypdfium2",
                           "pdfplumber", "reportlab") if m in sys.modules)
print(json.dumps({"heavy_modules_loaded": heavy}), flush=True)
"""
)


def _run(script: str, env: dict[str, str], *args: str) -> dict:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", script, repr(started), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    data: dict = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            data.update(json.loads(line))
    return data


def main() -> int:
    """Print a markdown table of start-up time and idle memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="processes of each kind (default 5)")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        runtime = Path(tmp) / "runtime"
        runtime.mkdir(mode=0o700)
        env = dict(os.environ, QT_QPA_PLATFORM=args.platform, ANNOTATOR_HOME=str(home))
        env.update(XDG_RUNTIME_DIR=str(runtime), PYTHONPATH=str(REPO))
        # As installed for a user: bytecode cached (here in a private folder, filled by the
        # warm-up run), even where the environment says not to write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        sys.path.insert(0, str(REPO))
        from annotator.services.project import create_sample_project
        from annotator.services.settings import Settings, save_settings

        os.environ["ANNOTATOR_HOME"] = str(home)
        save_settings(Settings(coder_name="Bench"))
        sample = Path(tmp) / "sample.annotator"
        create_sample_project(sample).close()
        _run(APP, env, str(sample))  # warm the disk cache and compile bytecode first
        _run(BARE, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(_run(BARE, env))
            app.append(_run(APP, env, str(sample)))

    def med(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    b_s, a_s = med(bare, "seconds"), med(app, "seconds")
    b_m, a_m = med(bare, "rss_mb"), med(app, "rss_mb")
    print(f"Start-up, {args.runs} processes of each, platform {args.platform} (medians)\n")
    print("| | bare PySide6 window | annotator, sample project | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| shown after (s) | {b_s:.2f} | {a_s:.2f} | {a_s / b_s:.1f}x | < 5x |")
    print(f"| idle RSS (MB) | {b_m:.0f} | {a_m:.0f} | {a_m / b_m:.1f}x | < 150 MB |")
    print(f"| modules loaded | {med(bare, 'modules'):.0f} | {med(app, 'modules'):.0f} | | |")
    print(f"\nHeavy modules loaded at start: {app[-1].get('heavy_modules_loaded')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
