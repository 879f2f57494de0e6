"""Project storage: the interface (``Store``), embedded SQLite (the default) and PostgreSQL."""

from .base import Decision, Source, Store
from .postgres import PostgresStore, is_database_url
from .sqlite import SQLiteStore

__all__ = ["Decision", "Source", "Store", "SQLiteStore", "PostgresStore", "is_database_url"]
