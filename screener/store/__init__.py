"""Project storage: the interface (``Store``), embedded SQLite (the default) and PostgreSQL."""

from .base import Decision, Source, Store, is_database_url
from .sqlite import SQLiteStore

__all__ = ["Decision", "Source", "Store", "SQLiteStore", "PostgresStore", "is_database_url"]


def __getattr__(name):
    # the PostgreSQL store (and its driver) is imported when a review on a server is opened:
    # every command on a project file would otherwise pay for it
    if name == "PostgresStore":
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
