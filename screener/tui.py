"""The interactive terminal screen: one record at a time, one key per decision.

Every keypress is written to the decision log at once (its own transaction), so quitting, a
closed terminal or a crash loses nothing. Keys: i include, e exclude, m maybe, u undo the last
decision, n a note on the record on screen (saved with the decision on it), s skip, a the whole abstract
(one cut to fit the screen), q quit, ? help.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Callable

import pandas as pd
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from screener.labels import rest_before_counts, rest_before_note
from screener.records import counted, only_other_titles

KEYS = {"i": "include", "e": "exclude", "m": "maybe"}
#: The keys in the border of a record shown whole (in 80 columns they fit there).
KEYS_LINE = "[i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [s] skip  [q] quit"
#: Every key: the help after '?' (or a key screener does not know), and the border of a record whose
#: abstract was cut to fit the screen, where 'a' shows it whole.
HELP = "[i] include  [e] exclude  [m] maybe  [u] undo  [n] note  [s] skip  [a] whole abstract  [q] quit"


def _field(value) -> str:
    """A record field as text; a missing one (None, NaN, <NA>) as ''."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a year read back as a float
        text = text[:-2]
    return "" if text.lower() in ("nan", "<na>", "none") else text


def read_key_tty() -> str:
    """One keypress without Enter on a real terminal; a line's first character otherwise."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.strip()[:1].lower() if line else "q"
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)  # drops keys typed before the record was shown (TCSAFLUSH)
        # one byte from the terminal, not from sys.stdin's buffer: that read an arrow key's three
        # bytes at once and handed out '[' and 'A' as keys; left in the terminal, the next call drops them
        ch = os.read(fd, 1).decode("utf-8", errors="replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    return ch.lower() if ch else "q"


def read_line(prompt: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    return sys.stdin.readline().rstrip("\n")


#: The fewest words of an abstract shown, however small the terminal.
MIN_ABSTRACT_WORDS = 40


def render_record(session, record_id: int, *, position: str, width: int | None = None, height: int | None = None,
                  whole: bool = False):
    """The record's panel. An abstract that would make it taller than ``height`` lines is cut to fit,
    with how many words (characters, in Chinese) are left and that 'a' shows them (``whole``): shown whole,
    a 10,000-character abstract pushed the panel's top line (which record, how many screened and left) off
    the screen."""
    rec = session.records.loc[record_id]
    terms = session.highlight_terms(record_id)
    text = _field(rec["abstract"])
    register = _register_line(session, record_id, rec)
    retracted = _retracted_line(session, record_id)

    shown = _record_panel(session, record_id, rec, terms, text, 0, position=position, width=width, register=register,
                          retracted=retracted)
    if whole or height is None or not text:
        return shown
    fits = _fits_in(width or 80, height - 1)  # and a line for the cursor below it
    if fits(shown):
        return shown
    words, unit = _cut_points(text)

    def panel(upto: int):  # the abstract's first ``upto`` words (or characters)
        return _record_panel(session, record_id, rec, terms, text[:words[upto - 1]] if upto else "",
                             len(words) - upto, position=position, width=width, unit=unit, register=register,
                             retracted=retracted)

    lo, hi = min(MIN_ABSTRACT_WORDS, len(words)), len(words) - 1  # the most words that fit, at least lo
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(panel(mid)):
            lo = mid
        else:
            hi = mid - 1
    return panel(lo)


def _cut_points(text: str) -> tuple[list[int], str]:
    """Where an abstract may be cut (the end of each word), and what the pieces are called. A text
    written without spaces between its words (Chinese, Japanese) is cut at a character: read as
    words, a whole paragraph was one word, and the abstract was shown whole however long."""
    words = [m.end() for m in re.finditer(r"\S+", text)]
    if len(words) * 20 >= len(text):  # spaced text: a word is a few characters
        return words, "word"
    return [i + 1 for i, ch in enumerate(text) if not ch.isspace()], "character"


def _fits_in(width: int, lines: int):
    """Whether a renderable printed ``width`` columns wide takes at most ``lines`` lines."""
    import io

    scratch = Console(file=io.StringIO(), width=width, color_system=None)
    return lambda renderable: len(scratch.render_lines(renderable, scratch.options, pad=False)) <= lines


def _register_line(session, record_id: int, rec) -> str:
    """A trial register's record's trial id and the link to its entry, to read it whole ('' for any other record):
    the register's columns are read for that one record only."""
    from screener.io.tabular import REGISTRY_RECORD, register_entry

    kind = rec.get("type")
    if kind != REGISTRY_RECORD:
        return ""
    raw = session.project.store.records_frame([record_id], with_raw=True)["raw"].iloc[0]
    entry = register_entry(kind, _field(rec.get("source_ref")), raw)
    return " · ".join(x for x in (f"trial {entry['trial_id']}" if entry["trial_id"] else "", entry["url"]) if x)


def _retracted_line(session, record_id: int) -> str:
    """That a copy of the study is titled as retracted, where the record screened is another, or that the export it
    came from marked it retracted ('' if neither)."""
    from screener.project import retraction_note

    project = session.project
    return retraction_note(project.retracted_copies([record_id]), project.retracted_in_exports([record_id]),
                           int(record_id))


def _record_panel(session, record_id: int, rec, terms, abstract: str, left: int, *, position: str,
                  width: int | None, unit: str = "word", register: str = "", retracted: str = ""):
    """The panel of ``render_record``: ``abstract`` as given, ``left`` the words (``unit``) of it not shown,
    ``register`` a register's record's trial id and link (``_register_line``), ``retracted`` that a copy of the
    study is titled as retracted (``_retracted_line``)."""
    body = Text()
    title = Text(_field(rec["title"]) or "(no title)", style="bold")
    title.highlight_words(terms, style="bold yellow", case_sensitive=False)
    body.append_text(title)
    authors = rec["authors"] if isinstance(rec["authors"], (list, tuple)) else []
    authors = [a for a in map(_field, authors) if a]
    doi = _field(rec["doi"])
    meta = ", ".join(x for x in [
        "; ".join(authors[:3]) + (" et al." if len(authors) > 3 else "") if authors else "",
        _field(rec["year"]), _field(rec["journal"]), f"doi:{doi}" if doi else ""] if x)
    if meta:
        body.append("\n" + meta, style="dim")
    if register:
        body.append("\n" + register, style="dim")
    if retracted:
        body.append("\n" + retracted, style="bold red")
    none = "" if left else "(no abstract: decide on the title, or mark maybe)"
    if none and only_other_titles(abstract):  # alone, the record's other titles read as its abstract
        abstract = f"{abstract}\n{none}"
    abstract_text = Text("\n\n" + (abstract or none))
    abstract_text.highlight_words(terms, style="bold yellow", case_sensitive=False)
    body.append_text(abstract_text)
    if left:
        body.append(f" … ({left:,} more {unit if left == 1 else unit + 's'}; press a to read the whole abstract)",
                    style="italic")
    reason = session.explain(record_id)
    if reason:
        body.append(f"\n\nWhy this record: {reason}", style="italic cyan")
    # a narrow terminal cut the panel's top and bottom lines (which record, how many left, the keys):
    # what does not fit in them is printed above or below it. Text: '[i]' is not markup for italics
    fits = (lambda line: width is None or len(line) <= width - 5)  # noqa: E731 (rich's border and padding)
    keys = HELP if left else KEYS_LINE
    panel = Panel(body, title=Text(position) if fits(position) else None,
                  subtitle=Text(keys) if fits(keys) else None)
    if fits(position) and fits(keys):
        return panel
    from rich.console import Group

    return Group(*([] if fits(position) else [Text(position, style="bold")]), panel,
                 *([] if fits(keys) else [Text(keys)]))


def _counts(session):
    """The project's counts (``screener.status.count_decisions``), over the studies loaded; in
    dual screening the reviewer's own (the team's would tell them the other reviewer's decisions).
    The records excluded unread at a stop are not screened, as 'screener status' counts them."""
    from .status import _excluded_at_stop, count_decisions

    dual = session.project.settings.get("mode") == "dual"
    cur = session.project.current_decisions(reviewer=session.reviewer if dual else None)
    cur = cur[cur.index.isin(session.records.index)]
    rest = _excluded_at_stop(cur)
    return count_decisions(cur["decision"][~rest], len(session.records), int(rest.sum()))


def _decided_meanwhile(session, rid: int, reviewer: str) -> str | None:
    """The decision standing now on the study of ``rid``, which was shown undecided: one made
    since in another terminal ('screener label'), or the decision of a study 'screener dedup'
    joined it to. A key pressed without seeing it would overwrite it (the latest counts)."""
    project = session.project
    dual = project.settings.get("mode") == "dual"
    cur = project.current_decisions(reviewer=reviewer if dual else None)
    study = int(project._primary_of().get(rid, rid))
    got = cur["decision"].get(study)
    return None if got is None else str(got)


class _DecidedMeanwhile(Exception):
    def __init__(self, now: str):
        super().__init__(now)
        self.now = now


def _refuse_if_decided(session, rid: int, reviewer: str, decision: str) -> None:
    """Raises ``_DecidedMeanwhile`` when another decision than ``decision`` stands on ``rid``'s study."""
    now = _decided_meanwhile(session, rid, reviewer)
    if now is not None and now != decision:
        raise _DecidedMeanwhile(now)


class _Disabled(Exception):
    pass


def _refuse_if_disabled(project, reviewer: str) -> None:
    """Raises ``_Disabled`` when the owner disabled ``reviewer``'s account after the screen opened
    ('screener user disable' in another terminal): the web ends such a session at its next page."""
    user = next((u for u in project.store.users() if str(u["name"]) == reviewer), None)
    if user is not None and user.get("disabled_at"):
        from .accounts import disabled_message

        raise _Disabled(disabled_message(user))


def _first_unclaimed(store, waiting, reviewer: str) -> int | None:
    """A review on a shared server may be screened in browsers at the same time: the first
    waiting record no teammate has on screen, claimed as the web pages claim theirs."""
    from .web.engine import LEASE_SECONDS

    taken = {r for r, who in store.claims(ttl=LEASE_SECONDS).items() if who != reviewer}
    for rid in waiting["record_id"].astype(int):
        if int(rid) not in taken and store.claim_record(int(rid), reviewer, ttl=LEASE_SECONDS):
            return int(rid)
    return None


def run_screen(session, *, reviewer: str = "reviewer", console: Console | None = None,
               read_key: Callable[[], str] = read_key_tty, ask: Callable[[str], str] = read_line,
               limit: int | None = None) -> dict:
    """Screen until the queue is empty, ``limit`` decisions, or the reviewer quits."""
    console = console or Console()
    history: list[int] = []
    skipped: set[int] = set()
    notes: dict[int, str] = {}  # notes on records not decided yet: saved with the decision
    store = session.project.store
    claiming = store.shared and session.project.settings.get("mode") != "dual"
    current = _Current([session])  # made again when records are imported meanwhile (``_records_changed``)
    try:
        decided = _screen_loop(current, reviewer, console, read_key, ask, limit, history, skipped, notes,
                               claiming)
    except KeyboardInterrupt:  # Ctrl-C: the decisions are saved; a note waiting for one is not
        _notes_left(console, notes)
        raise
    finally:
        if claiming:
            store.release_claims(reviewer)
    _notes_left(console, notes)  # q, --limit reached, or only skipped records left
    counts = _counts(current[0])
    summary = {"decided": decided, "screened": counts.screened, "includes": counts.included, "maybe": counts.maybe}
    console.print(f"Saved {decided} decision{'' if decided == 1 else 's'} this session; now {counts.describe()}.")
    if counts.left:  # in the figures 'screener status' gives now
        _say_stop(console, current[0], told=current.told)
    return summary


#: Decisions between two looks at the stopping advice while screening (it reads the whole log), until it says
#: stop. A stop said is looked at again after every decision: an exclude can end it too (a record skipped is
#: passed over by the next; the estimate's fit moves with each record), and one look took about 0.1 s on a
#: 4,000-record review.
ADVICE_EVERY = 10


def _say_stop(console, session, *, going_on: bool = False, told: bool = False) -> bool:
    """Print the stopping advice of 'screener status' when it says stop; True when it did. Single
    screening only: in dual screening the recall is the team's, which would tell a reviewer how
    the other decided. ``told``: the stop was said earlier on this screen; where it no longer holds
    (an include screened since, an undo), that is said, with the advice as it now is: the screen's
    last word on stopping was 'The stopping rule is met' after the reviewer screened on and it was not."""
    if session.project.settings.get("mode") == "dual":
        return False
    advice = session.status()["advice"]
    if not advice.stop:
        if told:
            _say_withdrawn(console, advice)
        return False
    then = " Press q to stop here, or go on screening." if going_on else ""
    if getattr(advice, "confirmed", True):
        console.print(Text(f"The stopping rule is met: {advice.message}{then}", style="green"))
    else:  # the model's estimate alone: "The stopping rule is met" was read as the go-ahead, the test's wait missed
        console.print(Text(f"The stopping rule is met on the model's estimate alone, not confirmed yet: "
                           f"{advice.message}{then}", style="yellow"))
    return True


def _still_stop(console, session) -> bool:
    """Whether a stop said on this screen still holds; where it does not (an include screened since it
    was said, an undo), that is said, with the advice as it now is, and False."""
    advice = session.status()["advice"]
    if not advice.stop:
        _say_withdrawn(console, advice)
    return bool(advice.stop)


def _say_withdrawn(console, advice) -> None:
    console.print(Text(f"The stopping rule is no longer met: {advice.message}", style="yellow"))


def _notes_left(console, notes: dict[int, str]) -> None:
    if notes:
        ids = ", ".join(str(r) for r in sorted(notes))
        one = len(notes) == 1
        console.print(f"{'A note' if one else 'Notes'} on {counted(len(notes), 'undecided record')} ({ids}) "
                      f"{'was' if one else 'were'} not saved: a note is saved with a decision.")


class _Current(list):
    """The session in use (``[0]``), and ``told``: the stopping advice was printed while screening
    (said once, not every ``ADVICE_EVERY`` decisions; the end of the session says it again, as it is then)."""

    told = False


def _record_counts(project) -> tuple:
    """The records, the studies and the duplicate groups: a merge and a split in one 'screener dedup'
    leave as many records and studies as before (the screen went on with the records it had read)."""
    store = project.store
    return store.n_records(), store.n_primary_records(), store.duplicates_stamp()


def _protocol_stamp(project) -> tuple:
    """Which protocol the project names, and when its copy was written (set again under the same
    name, or edited in place), as the web page checks it."""
    name = project.store.get_setting("protocol_file")
    try:
        return name, (os.stat(project.dir / name).st_mtime_ns if name else None)
    except OSError:
        return name, None


def _records_changed(current: list, seen: list, console) -> bool:
    """Records imported ('screener import' of a search update) or joined into studies ('screener
    dedup') in another terminal since the screen read them: the session read once screened the
    records it had, said 'Every record is screened' and counted '3 of 3' with new records waiting.
    A protocol set there ('screener protocol'): the screen went on ranking by the one it had read.
    It is made again, as a fresh 'screener screen' would be (three COUNT queries and a setting a key).
    True when the records or the protocol changed."""
    session = current[0]
    now = _record_counts(session.project), _protocol_stamp(session.project)
    if now == seen[0]:
        return False
    before, seen[0] = seen[0], now
    added = now[0][1] - before[0][1]
    fresh = type(session)(session.project, ranker=session.ranker_name, embedding_model=session.model,
                          progress=session.progress, reviewer=session.reviewer)
    fresh.refit_on_change = session.refit_on_change
    current[0] = fresh
    if added > 0:
        console.print(f"{added} new record{'s were' if added > 1 else ' was'} added to the review since this screen "
                      "opened (an import in another terminal): they are ranked with the records left.")
    elif now[0] != before[0]:
        console.print("The review's records changed since this screen opened (a de-duplication or an import in "
                      "another terminal): the records left are ranked again.")
    if now[1] != before[1]:
        console.print("The review's protocol was set or taken out since this screen opened ('screener protocol' in "
                      "another terminal): the records left are ranked as it now stands.")
    return True


def _screen_loop(current, reviewer, console, read_key, ask, limit, history, skipped, notes, claiming) -> int:
    decided = 0
    back: list[int] = []  # records whose decision was undone, latest first: shown again next, as on the web
    seen = [(_record_counts(current[0].project), _protocol_stamp(current[0].project))]
    whole: set[int] = set()  # records whose whole abstract the reviewer asked for (a)
    # a reviewer back after the rule was met (with records left: else 'Every record is screened' says it)
    current.told = bool(_counts(current[0]).left) and _say_stop(console, current[0], going_on=True)
    while limit is None or decided < limit:
        if _records_changed(current, seen, console) and current.told:  # a search update, a merge: the stop said
            current.told = _still_stop(console, current[0])
        session = current[0]
        ranking = session.skipped_first(session.ranking())  # records a batch passed over first
        if ranking.empty:
            # the rest excluded unread at a stop leaves no record to rank: those were never screened
            unread = _counts(session).excluded_unscreened
            if unread:
                console.print(f"No record is left to screen: {counted(unread, 'record')} "
                              f"{'was' if unread == 1 else 'were'} excluded without screening when screening stopped "
                              "('screener label' excluding the records left, unread). 'screener status' gives "
                              "the recall estimated at the stop.")
            else:
                console.print("[bold green]Every record is screened.[/]")
            break
        waiting = ranking[~ranking["record_id"].isin(skipped)]
        if back:  # a search update since the undo may screen the study by a fuller copy of the record undone
            primary = session.project._primary_of()
            back = list(dict.fromkeys(int(primary.get(r, r)) for r in back))
        back = [r for r in back if r in set(waiting["record_id"].astype(int))]
        if back:
            # a refit that learned from the undone decision may have put the record far down (an
            # include excluded by mistake): the reviewer pressed u to decide it again now
            first = waiting.set_index("record_id", drop=False).loc[back]
            waiting = pd.concat([first, waiting[~waiting["record_id"].isin(back)]])
        if waiting.empty:
            console.print("Only skipped records are left; run 'screener screen' again to see them.")
            break
        if claiming:
            rid = _first_unclaimed(session.project.store, waiting, reviewer)
            if rid is None:
                console.print("The records left are on teammates' screens right now; run 'screener screen' again "
                              "in a few minutes.")
                break
        else:
            rid = int(waiting["record_id"].iloc[0])
        position = f"{_counts(session).describe()}; record {rid}"
        console.print(render_record(session, rid, position=position, width=console.width, height=console.height,
                                    whole=rid in whole))
        key = read_key()
        now, rest = None, []
        if key in KEYS or key == "u":
            try:
                if key == "u":
                    _refuse_if_disabled(session.project, reviewer)
                else:
                    # checked in the save's turn at the log: a decision saved a moment before (the same
                    # record in a browser tab, on a review served from a database server) is not overwritten
                    session.decide(rid, KEYS[key], reviewer=reviewer, origin="screen", note=notes.get(rid),
                                   check=lambda: (_refuse_if_disabled(session.project, reviewer),
                                                  _refuse_if_decided(session, rid, reviewer, KEYS[key])),
                                   rest_before=rest)
            except _DecidedMeanwhile as exc:
                now = exc.now
            except _Disabled as exc:
                what = f"'{KEYS[key]}' on record {rid}" if key in KEYS else "the undo"
                console.print(Text(f"{exc} So {what} was not saved, and this screen closes."))
                break
        if now is not None:
            skipped.add(rid)
            dropped = notes.pop(rid, None)
            by = "in another terminal or browser tab" if session.project.settings.get("mode") == "dual" else \
                "by a teammate, or in another terminal or browser tab"
            console.print(f"Record {rid} was marked {now} ({by}) after it was shown here, so '{KEYS[key]}' "
                          f"{'and its note were' if dropped else 'was'} not saved. To change it, enter your decision "
                          "with 'screener label'.")
        elif key in KEYS:
            notes.pop(rid, None)  # saved with the decision
            history.append(rid)
            decided += 1
            console.print(f"Saved: record {rid} {KEYS[key]}d." if key != "m" else f"Saved: record {rid} marked maybe.")
            for name, k in rest_before_counts(rest):  # it leaves no record left: the files just before it, unread
                console.print(Text(f"Note: {rest_before_note(name, k, 'your last decisions on this screen')}"))
            if not current.told and decided % ADVICE_EVERY == 0 and (limit is None or decided < limit):
                current.told = _say_stop(console, session, going_on=True)
            elif current.told:  # an exclude can end a stop too (a record passed over; the fit moves)
                current.told = _still_stop(console, session)
        elif key == "u":
            if history:
                last = history.pop()
                session.undo(last, reviewer=reviewer, origin="screen")
                decided -= 1
                # single screening: a teammate's decision on the study stands again, if there is one
                stands = _decided_meanwhile(session, last, reviewer)
                if stands is not None:
                    console.print(f"Your decision on record {last} is withdrawn; a teammate's decision ({stands}) "
                                  "stands, so the record is not shown again. To change it, enter your decision "
                                  "with 'screener label'.")
                else:
                    back.insert(0, last)
                    # a search update since may have made a fuller copy the study's own record, the one shown next
                    study = int(session.project._primary_of().get(last, last))
                    console.print(f"Undone: record {last} is back; decide it again." if study == last else
                                  f"Undone: record {last} is back as record {study} (the same study: record {study} "
                                  "is its copy screened now); decide it again.")
                if current.told:
                    current.told = _still_stop(console, session)
            else:
                console.print("Nothing to undo in this session.")
        elif key == "n":
            note = ask(f"Note for record {rid}: ").strip()
            if note:
                notes[rid] = "; ".join(x for x in (notes.get(rid), note) if x)
                console.print(f"Note kept for record {rid}; it is saved with your decision on it (i, e or m).")
        elif key == "s":
            skipped.add(rid)
            console.print("Skipped for now; it comes back in the next session.")
        elif key == "a":
            whole.add(rid)  # shown again, its abstract whole (a long one was cut to fit the screen)
        elif key == "q" or key == "":
            break
        else:
            console.print(Text(HELP))
    return decided
