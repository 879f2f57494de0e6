"""Reading a screening decision from whatever a spreadsheet cell holds.

Reviewers' files say 1/0, yes/no, TRUE/FALSE, Included/Excluded, maybe/unsure, or leave the cell
blank for "not screened yet". ASReview writes -1 for "not screened". Anything else is refused
with its row, because guessing a decision would put a record on the wrong side of the review.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from screener.errors import InputError

_INCLUDE = {"1", "yes", "y", "true", "t", "include", "included", "incl", "inc", "in", "relevant", "i"}
_EXCLUDE = {"0", "no", "n", "false", "f", "exclude", "excluded", "excl", "exc", "ex", "out", "irrelevant", "e"}
_MAYBE = {"maybe", "unsure", "uncertain", "undecided", "?", "m"}
_NONE = {"", "-1", "na", "n/a", "nan", "none", "null", "not screened", "unscreened", "unlabeled", "unlabelled"}
#: At full text only: the report could not be obtained (PRISMA 2020's "Reports not retrieved")
_NOT_RETRIEVED = {"not retrieved", "not_retrieved", "not-retrieved", "notretrieved", "full text not retrieved",
                  "not obtained", "full text not obtained", "full text not available", "no full text", "unretrievable"}

#: Every word above, so that a refused cell's message shows all a reviewer may write, short forms included
_WORDS = ("1/0, yes/no (y/n), true/false (t/f), include/exclude (included/excluded, incl/excl, inc/exc, in/out, ex, "
          "i/e), relevant/irrelevant, maybe (unsure, uncertain, undecided, ?, m)")
ALLOWED_TEXT = f"{_WORDS}, or an empty cell"
FULL_TEXT_ALLOWED_TEXT = f"{_WORDS}, not retrieved (the full text could not be obtained), or an empty cell"


@dataclass
class Unreadable:
    value: object
    where: str | None  # "row 3", "line 12"
    column: str | None


_collecting: ContextVar[list | None] = ContextVar("screener_unreadable_labels", default=None)
_full_text: ContextVar[bool] = ContextVar("screener_full_text_labels", default=False)


@contextmanager
def full_text_labels():
    """Decisions read here are full-text ones: 'not retrieved' is read too (``NOT_RETRIEVED``), which
    at title and abstract is no decision (a title and abstract are always at hand)."""
    token = _full_text.set(True)
    try:
        yield
    finally:
        _full_text.reset(token)


def allowed_text() -> str:
    """The decision words this reading takes (``ALLOWED_TEXT``, with 'not retrieved' at full text)."""
    return FULL_TEXT_ALLOWED_TEXT if _full_text.get() else ALLOWED_TEXT


@contextmanager
def collect_unreadable():
    """Unreadable decisions are listed here instead of stopping at the first one, so that one
    message can name every row to fix (the caller must refuse the file when the list is not empty)."""
    bad: list[Unreadable] = []
    token = _collecting.set(bad)
    try:
        yield bad
    finally:
        _collecting.reset(token)


def says_not_retrieved(value) -> bool:
    """Whether a cell says the full text was not retrieved ('not retrieved', 'Not_retrieved', 'not obtained')."""
    return " ".join(str(value).strip().lower().replace("_", " ").replace("-", " ").split()) in _NOT_RETRIEVED


def _named(column: str, element: bool) -> str:
    return f"element <{column}>" if element else f"column '{column}'"


def parse_label(
    value, *, path=None, line: int | None = None, column: str | None = None, row: str | None = None,
    element: bool = False,
) -> str | None:
    """'include' / 'exclude' / 'maybe' / None for one cell (and 'not_retrieved' under
    ``full_text_labels``); InputError names the row otherwise. ``element``: ``column`` is an XML file's
    element (the ICTRP's export), named so."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "include" if value else "exclude"
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip().lower()
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():  # '1.0' from a spreadsheet
        text = text[:-2]
    if text in _INCLUDE:
        return "include"
    if text in _EXCLUDE:
        return "exclude"
    if text in _MAYBE:
        return "maybe"
    if text in _NONE:
        return None
    if _full_text.get() and says_not_retrieved(text):
        from screener.records import NOT_RETRIEVED

        return NOT_RETRIEVED
    collected = _collecting.get()
    if collected is not None:
        collected.append(Unreadable(value, row or (f"line {line}" if line is not None else None), column))
        return None
    if column and "rayyan-inclusion" in text:  # Rayyan's notes given as the decision column ('--column label=notes')
        raise InputError(
            (f"{row}: " if row else "")
            + f"the {_named(column, element)} holds Rayyan's notes, each reviewer's decisions ('RAYYAN-INCLUSION'), "
            "not one decision a record. Do not name it as the decisions (--column label=); 'screener label' with this "
            "file reads them, each reviewer's as their own, once the records are imported.",
            path=path, line=line)
    where = f" in {_named(column, element)}" if column else ""
    ft = (" 'Not retrieved' is a full-text decision (the full text could not be obtained): give the same 'screener "
          "label' command with --stage full_text added." if says_not_retrieved(text) and not _full_text.get() else "")
    raise InputError(
        (f"{row}: " if row else "")
        + f"the screening decision {str(value)!r}{where} is not one screener can read. Use {allowed_text()}.{ft} "
        f"If this {'element' if element else 'column'} is not a screening decision at all, tell screener to ignore "
        "it with --column label= (nothing after the '=').",
        path=path,
        line=line,
    )
