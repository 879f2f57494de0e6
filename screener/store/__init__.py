"""Project storage: the interface (``Store``) and its embedded SQLite implementation."""

from .base import Decision, Source, Store
from .sqlite import SQLiteStore

__all__ = ["Decision", "Source", "Store", "SQLiteStore"]
