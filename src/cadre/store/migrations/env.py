"""Alembic environment: migrations run on the engine handed over by `cadre.store.migrate`."""

from __future__ import annotations

from alembic import context

import cadre.store.tables  # noqa: F401  (registers every part's tables on the metadata)
from cadre.store.base import Base

engine = context.config.attributes.get("engine")
if engine is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    from cadre.settings import load_settings
    from cadre.store.engine import make_engine

    engine = make_engine(load_settings().sqlalchemy_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # The job queue's tables are procrastinate's schema (migration 0011): autogenerate must never drop them.
        include_name=lambda name, type_, _parents: not (type_ == "table" and (name or "").startswith("procrastinate_")),
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
