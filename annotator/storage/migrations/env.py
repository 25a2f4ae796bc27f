"""Alembic environment: runs on the connection that :mod:`annotator.storage.database` passes."""

from __future__ import annotations

from alembic import context

from annotator.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used by `alembic revision --autogenerate`
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite://"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs batch mode for ALTER in later migrations
)
with context.begin_transaction():
    context.run_migrations()
