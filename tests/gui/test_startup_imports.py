"""Issue 14, item 16: the first window does not pay for exporters, statistics or Alembic.

Run in a fresh interpreter, because this test process has imported everything already.
The time and memory targets themselves are measured by ``bench/startup_bench.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.services.project import create_sample_project

HEAVY = ("openpyxl", "numpy", "alembic", "lxml", "pypdfium2", "docx", "reportlab")

CHILD = """
import json, sys
from pathlib import Path
from annotator.gui.app import application, build_window
imported = sorted(m for m in {heavy!r} if m in sys.modules)
app = application()
window = build_window(Path(sys.argv[1]))
window.show()
app.processEvents()
opened = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"imported": imported, "opened": opened}}))
"""


def test_opening_an_up_to_date_project_loads_no_heavy_module(tmp_path: Path):
    sample = tmp_path / "sample.annotator"
    create_sample_project(sample).close()
    from annotator.services.settings import Settings, save_settings

    save_settings(Settings(coder_name="Tester"))
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(heavy=HEAVY), str(sample)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["imported"] == []
    assert data["opened"] == []
