"""``annotator screenshot OUT.png``: the app photographs its own main window, offscreen.

Used for the README's picture; it works on a machine with no display. Unless a project is
given, it builds a fresh sample project in a temporary folder, so nothing of the user's
is read or changed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from annotator.cli import command


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=Path, help="the PNG file to write")
    p.add_argument("--project", type=Path, help="a project to show (default: a fresh sample)")
    p.add_argument("--coder", default="Sample coder A", help="whose eyes (default: %(default)s)")
    p.add_argument("--size", default="1500x900", help="window size, WIDTHxHEIGHT")


@command("screenshot", "save a picture of the main window (offscreen; for docs)")(_args)
def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_HOME"] = home  # private settings, never the user's
        from annotator.gui.app import application, build_window
        from annotator.gui.controller import ShowMode
        from annotator.services.project import create_sample_project
        from annotator.services.settings import Settings, save_settings

        project = args.project
        if project is None:
            project = Path(home) / "Sample project.annotator"
            create_sample_project(project).close()
        save_settings(Settings(coder_name=args.coder))
        app = application()
        window = build_window(project)
        if window is None:
            return 1
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        window.show()
        window.controller.set_show_mode(ShowMode.ALL)
        codings = window.view.index.all()
        if codings:
            window.view.select_span(codings[0].start, codings[0].end)
            window.codings_panel.select_ids([codings[0].id])
            window.view.set_selected_codings({codings[0].id})
        for _ in range(5):
            app.processEvents()
        ok = window.grab().save(str(args.out))
        window.close()
    print(f"Saved {args.out}" if ok else f"Could not write {args.out}")
    return 0 if ok else 1
