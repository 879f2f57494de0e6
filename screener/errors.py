"""Errors a reviewer reads.

Every problem with the reviewer's own input is a ``ScreenerError``: the CLI prints its message
(no traceback) and exits non-zero. Messages name the file, the line or record, and what to do.
"""

from __future__ import annotations


#: What a write to a project on read-only storage says (the CLI, and the embedding cache in it).
READ_ONLY = ("this project is on read-only storage (or you may not change its folder), so nothing was changed. "
             "screener can still show it ('screener status', 'screener export'); to screen, copy the project "
             "folder somewhere you can write, or ask for write access.")


class ScreenerError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message shown to them."""


class InputError(ScreenerError):
    """An import or label file that cannot be read as claimed."""

    def __init__(self, message: str, *, path=None, line: int | None = None, record: str | None = None,
                 row: int | None = None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if row is not None:  # a table's row as a spreadsheet numbers it (the column names are row 1)
            where.append(f"row {row}")
        if record is not None:
            where.append(f"record {record}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.path = path
        self.line = line
        self.row = row
        self.record = record


class ProjectError(ScreenerError):
    """A review project that is missing, damaged or used the wrong way."""


class DatabaseUnavailable(ProjectError):
    """The review's database server cannot be reached (stopped, restarting, network down).

    Nothing half-written is kept; the same request can be sent again once it is back.
    """


class ProjectBusy(DatabaseUnavailable):
    """A project file, or a review's turn on its server, held by another writer (an import in a terminal) for
    longer than a save waits: no server is down, so what to do differs (wait for that command), though the same
    request can be sent again."""


def did_you_mean(given, choices) -> str:
    """" Did you mean 'x'?" for the choice closest to a mistyped one ('' where none is close), as the terminal's
    refusals say it: a reviewer sees at once which she meant. Capitals aside on both sides ('bem' for the account
    'Ben', 'medlin' for the database 'MEDLINE'); the choice is named as it is spelt."""
    import difflib

    spelt = {}
    for choice in choices:
        spelt.setdefault(str(choice).casefold(), str(choice))
    close = difflib.get_close_matches(str(given).strip().casefold(), list(spelt), n=1, cutoff=0.6)
    return f" Did you mean {spelt[close[0]]!r}?" if close else ""
