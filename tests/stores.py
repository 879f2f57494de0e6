"""Opening a test store where ``store_target`` (tests/conftest.py) puts it."""

from __future__ import annotations


def open_store(target, *, create: bool = False):
    from screener.store import PostgresStore, SQLiteStore

    if isinstance(target, str):
        return PostgresStore(target, create=create)
    return SQLiteStore(target, create=create)
