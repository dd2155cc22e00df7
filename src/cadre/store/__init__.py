"""Cadre's system of record: SQLAlchemy models, migrations and connections."""

from cadre.store.base import Base
from cadre.store.database import Database, open_database

__all__ = ["Base", "Database", "open_database"]
