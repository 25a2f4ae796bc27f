"""A read-only project at schema 0002 (opened as it is) has no link or field tables: the
links, the register and matching still read it."""

from __future__ import annotations

import os
import stat

from alembic import command
from sqlalchemy import create_engine

from annotator.domain.links import DEFAULT_RESPONSE_STATUSES
from annotator.services.project import Project
from annotator.services.register import build_register
from annotator.services.response_matching import match_document
from annotator.storage.database import _alembic_config
from tests.recommendations.pair_helpers import make_pair


def test_links_register_and_matching_read_a_read_only_0002_project(tmp_path):
    pair = make_pair(tmp_path / "old.annotator")
    rec = pair.code(pair.report, "Councils should be allowed to borrow against rental income")
    report, response = pair.report.id, pair.response.id
    path = pair.project.path
    pair.project.close()
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    engine.dispose()
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        project = Project.open(path)
        try:
            assert project.read_only
            assert not project.links.available()
            assert project.links.all() == []
            assert project.links.views(rec.id) == []
            assert project.links.statuses() == list(DEFAULT_RESPONSE_STATUSES)
            register = build_register(project)
            assert [r.coding_id for r in register.rows] == [rec.id]
            assert register.rows[0].links == () and register.field_names == ()
            matches = match_document(project, report, response)
            assert matches[0].candidates[0].text.startswith("The government accepts")
        finally:
            project.close()
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
