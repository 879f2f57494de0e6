"""Dual screening's conflicts and blinding from a terminal: what the owner does on the web's Conflicts page.

A terminal cannot tell who runs it, so whoever acts names themself (``--reviewer``, as 'label' and 'withdraw'
ask); the checks, the log's entries and the refusals are the Conflicts page's (``screener.conflicts``). The name is
no sign-in: the refusals keep a teammate from seeing the others' decisions by mistake, and the help says so, since
anyone who can run screener on the folder can name the owner (as 'status --team' shows the team's figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple

import typer
from rich.console import Console

from ..errors import InputError
from ..keep_open import open_project
from ..shell import shell_quote
from . import checks

console = Console(emoji=False)

#: The columns of the conflicts' CSV: the last three are the owner's to fill in and read back (--resolutions).
CSV_COLUMNS = ["record_id", "title", "year", "decisions", "notes", "resolution", "note", "reason"]
_AS_HELP = ("Who acts: the name of your account (the one you screen or sign in under). It is a name given, not a "
            "sign-in: a terminal cannot tell who runs it, so anyone who can run screener on this folder can give the "
            "owner's name and see every reviewer's decisions. The blinding holds for reviewers who screen in the "
            "browser ('screener serve') and cannot open the folder.")


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False, soft_wrap=True)


def _named(project, reviewer: Optional[str], directory: Path, command: str, nothing: str) -> tuple[str, str]:
    """(the account's name, its role) of the one who acts (``conflicts.acting``); refused without a name."""
    from ..conflicts import acting

    if reviewer is None:
        raise InputError(f"screener must know who is acting: run 'screener {command} {shell_quote(directory)} ... "
                         "--reviewer NAME', NAME being your account's name (the owner's, or a reviewer's once the "
                         f"blinding is over). {nothing}")
    try:
        return acting(project, reviewer)
    except InputError as exc:
        raise InputError(f"{exc} {nothing}") from None


def _vote_words(v: dict) -> str:
    said = f"{v['reviewer']}: {str(v['decision']).replace('_', ' ')}"
    if v.get("unread"):
        said += " (excluded unread with the records left at their stop: not read yet)"
    if v.get("reason"):
        said += f" ({v['reason']})"
    return said


def _earlier_words(e: dict | None) -> str:
    """A conflict settled before and opened again by a reviewer's decision since, as the Conflicts page says it."""
    if not e:
        return ""
    when = f" ({e['at']} UTC)" if e.get("at") else ""
    how = ("Excluded unread earlier with the records left when screening stopped" if e["kind"] == "unread" else
           f"Imported earlier as {e['decision']}" if e["kind"] == "imported" else
           f"Settled earlier as {e['decision']} by {e['reviewer']}")
    return f"{how}{when}; opened again by a reviewer's decision made since."


def _write_csv(items: list[dict], path: Path) -> None:
    """The conflicts as a table, with empty resolution, note and reason columns to fill in."""
    import pandas as pd

    from ..io.export import csv_safe_table

    rows = [{"record_id": c["record_id"], "title": c["title"] or "", "year": c["year"] if c["year"] is not None
             else "", "decisions": "; ".join(_vote_words(v) for v in c["votes"]),
             "notes": "; ".join(f"{v['reviewer']}: {v['note']}" for v in c["votes"] if v.get("note")),
             "resolution": "", "note": "", "reason": ""} for c in items]
    tmp = path.with_name(path.name + ".partial")
    try:  # with a BOM, so that Excel reads it as UTF-8; text that would start a formula gets a leading quote
        csv_safe_table(pd.DataFrame(rows, columns=CSV_COLUMNS)).to_csv(tmp, index=False, encoding="utf-8-sig")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_resolutions(path: Path, stage: str) -> list[tuple[int, object]]:
    """The rows of ``path`` (the --csv file) whose resolution column is filled in: (the row's number as a
    spreadsheet shows it, its ``Resolution``); a row with an unknown decision or record id is refused, naming it."""
    import io

    import pandas as pd

    from ..conflicts import Resolution
    from ..io.encoding import decode_bytes
    from ..labels import _separator
    from ..records import stage_decisions

    if path.suffix.lower() in (".xlsx", ".xls"):
        raise InputError(f"{path} is an Excel workbook: save it as a CSV file (Save As, 'CSV UTF-8') and read that "
                         "back with --resolutions. Nothing was saved.")
    # as 'label' reads a file of decisions: Excel's 'CSV (semicolon)' is Windows-1252 in much of Europe, and an
    # empty row is kept, so that a row is named by the number Excel shows
    text, _, _ = decode_bytes(path.read_bytes(), path)
    try:
        table = pd.read_csv(io.StringIO(text), sep=_separator(path, path.suffix.lower()), dtype=str,
                            keep_default_na=False, skip_blank_lines=False).fillna("")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path} cannot be read as a table ({exc}). Write the conflicts again with --csv FILE, "
                         "fill in the resolution column and read that file back. Nothing was saved.") from None
    missing = [c for c in ("record_id", "resolution") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: no {' or '.join(repr(c) for c in missing)} column. Write the conflicts with "
                         "--csv FILE, fill in each record's resolution (include, exclude or maybe) and read that "
                         "file back. Nothing was saved.")
    out = []
    for i, row in table.iterrows():
        decision = "_".join(str(row["resolution"]).strip().lower().split())
        if not decision:
            continue  # left open
        line = i + 2  # the column names are row 1
        rid = str(row["record_id"]).strip()
        if not rid.isdigit():
            raise InputError(f"{path}, row {line}: record_id {rid!r} is no record's id (a whole number, as the "
                             "file was written). Nothing was saved.")
        if decision not in stage_decisions(stage):
            raise InputError(f"{path}, row {line} (record {rid}): resolution {row['resolution']!r} is not one of "
                             f"{', '.join(stage_decisions(stage))}. Correct it, or leave it empty to keep the "
                             "conflict open. Nothing was saved.")
        text = {k: (str(row[k]).strip() or None) if k in table.columns else None for k in ("note", "reason")}
        if text["reason"] and decision != "exclude":  # else dropped unsaid: a reason is kept for an exclusion
            raise InputError(f"{path}, row {line} (record {rid}): a reason is kept for a resolution as exclude only "
                             f"(PRISMA counts the exclusions by reason), not as {decision}. Move it to the note "
                             "column, or empty it. Nothing was saved.")
        out.append((line, Resolution(int(rid), decision, text["note"], text["reason"])))
    return out


def _rows_words(rows: list[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows[:-1]))} and {rows[-1]}"


def _resolve_file(api, project, path: Path, read: list, who: str, stage: str, where: str) -> None:
    """The resolutions ``read`` from ``path`` saved all or none (``conflicts.resolve``); a refusal of a record names
    the file's rows it is on, so that the owner finds it in a long file."""
    rows: dict[int, list[int]] = {}
    for line, r in read:
        rows.setdefault(int(r.record_id), []).append(line)
    todo = "Empty that row's resolution (or correct its record_id) and read the file back. Nothing was saved."
    twice = sorted((lines, rid) for rid, lines in rows.items() if len(lines) > 1)
    if twice:
        lines, rid = twice[0]
        raise InputError(f"{path}, {_rows_words(lines)}: record {rid} is resolved twice: give it one resolution. "
                         + todo.replace("that row's", "the other row's"))
    try:
        api.resolve(project, [r for _, r in read], who, stage=stage, directory=where)
    except InputError as exc:
        lines = sorted(n for rid in getattr(exc, "record_ids", []) for n in rows.get(rid, []))
        if not lines:
            raise
        said = str(exc).removesuffix(" Nothing was saved.")
        raise InputError(f"{path}, {_rows_words(lines)}: {said} "
                         + (todo if len(lines) == 1 else todo.replace("that row's", "those rows'"))) from None


def register(app: typer.Typer) -> None:
    @app.command(short_help="List the records the reviewers disagree on (dual screening), and resolve them, as "
                            "the Conflicts page does.")
    def conflicts(
        directory: Path = typer.Argument(..., help="The review project folder."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", "--as", help=_AS_HELP),
        stage: str = typer.Option("title_abstract", help="title_abstract or full_text."),
        csv: Optional[Path] = typer.Option(None, "--csv", help="Also write the conflicts to this CSV file, with "
                                                              "empty resolution, note and reason columns to fill "
                                                              "in and read back with --resolutions."),
        resolve: Optional[Tuple[int, str]] = typer.Option(None, "--resolve", metavar="RECORD_ID DECISION",
                                                show_default=False,
                                                help="Resolve one conflict: the record's id and the team's "
                                                     "decision (include, exclude or maybe; at full text also "
                                                     "not_retrieved)."),
        note: Optional[str] = typer.Option(None, help="A note kept with the resolution (--resolve)."),
        reason: Optional[str] = typer.Option(None, help="Why, for a resolution as exclude (--resolve)."),
        resolutions: Optional[Path] = typer.Option(None, "--resolutions", help="Resolve the conflicts of a file "
                                                                              "written with --csv whose "
                                                                              "resolution column you filled in "
                                                                              "(rows left empty stay open)."),
    ):
        """List the conflicts of a dual screening: the records the reviewers gave different decisions, each
        reviewer's decision, note and reason; and resolve them.

        A resolution is saved as on the Conflicts page: a resolver decision under your name, which the team's
        decision, status, the report and the ranking then count. All of a file's resolutions are saved, or
        none. The owner resolves at any time (one who screens records, once the blinding is over); reviewers
        once the blinding is over. --reviewer is a name given, not a sign-in: whoever can run screener on the
        project folder can name the owner, so a blind reviewer screens in the browser ('screener serve')."""
        from .. import conflicts as api

        stage = checks.stage(stage)
        one = bool(resolve) and resolve[0] is not None
        if one and resolutions is not None:
            raise InputError("give either --resolve RECORD_ID DECISION or --resolutions FILE, not both. "
                             "Nothing was saved.")
        if one and reason is not None and "_".join(str(resolve[1]).strip().lower().split()) != "exclude":
            raise InputError("--reason goes with a resolution as exclude (PRISMA counts the exclusions by reason): "
                             "give it as --note instead. Nothing was saved.")
        if csv is not None and (one or resolutions is not None):  # it wrote nothing, unsaid
            raise InputError("--csv writes the conflicts listed, to resolve in the file: give it without --resolve "
                             f"or --resolutions ('screener conflicts {shell_quote(directory)} --reviewer NAME --csv "
                             f"{shell_quote(csv)}' writes the ones left once these are resolved). Nothing was saved.")
        if (note is not None or reason is not None) and not one:
            raise InputError("--note and --reason go with --resolve RECORD_ID DECISION (a file of resolutions has "
                             "its own note and reason columns). Nothing was saved.")
        if csv is not None:
            checks.output_file("--csv", csv, "conflicts.csv")
        with open_project(directory) as project:
            saves = one or resolutions is not None
            nothing = "Nothing was saved." if saves else ""
            who, role = _named(project, reviewer, directory, "conflicts", nothing)
            try:
                api.may_see_conflicts(project, who, role, stage)
            except InputError as exc:
                raise InputError(f"{exc} {nothing}".strip()) from None
            at = " at full text" if stage == "full_text" else ""
            where = shell_quote(directory)
            if saves:
                read = [] if one else _read_resolutions(resolutions, stage)
                todo = [api.Resolution(int(resolve[0]), "_".join(str(resolve[1]).strip().lower().split()), note,
                                       reason)] if one else [r for _, r in read]
                if not todo:
                    _say(f"{resolutions} has no resolution filled in (its resolution column is empty), so nothing "
                         "was saved.")
                    return
                if one:
                    api.resolve(project, todo, who, stage=stage, directory=where)
                else:
                    _resolve_file(api, project, resolutions, read, who, stage, where)
                titles = project.records_frame()["title"]
                said = [f"record {r.record_id} '{_short(titles.get(r.record_id, ''))}' as "
                        f"{r.decision.replace('_', ' ')}" for r in todo]
                k = len(todo)
                _say(f"Resolved {k} conflict{'' if k == 1 else 's'}{at} under {who}'s name (a resolver decision, "
                     f"logged as on the Conflicts page): {', '.join(said)}.")
            items = api.conflict_items(project, stage)
            if saves:
                n = len(items)
                _say(f"{n} conflict{'' if n == 1 else 's'}{at} left to resolve." if n else
                     f"No conflict{at} left to resolve.")
                return
            _list(items, at, where, shell_quote(who))
            if csv is not None:
                _write_csv(items, csv)
                _say(f"Wrote {len(items)} conflict{'' if len(items) == 1 else 's'} to {csv}: fill in the resolution "
                     f"column (include, exclude{', maybe or not_retrieved' if stage == 'full_text' else ' or maybe'}"
                     f"; note and reason if you wish) and read it back with 'screener conflicts {where} --resolutions "
                     f"{shell_quote(csv)} --reviewer {shell_quote(who)}"
                     f"{' --stage full_text' if stage == 'full_text' else ''}'.")

    @app.command(short_help="Say whether dual screening is still blind, and end the blinding (the owner), as the "
                            "Conflicts page does.")
    def blinding(
        directory: Path = typer.Argument(..., help="The review project folder."),
        end: bool = typer.Option(False, "--end", help="End the blinding for everyone (the owner only)."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", "--as", help=_AS_HELP),
        stage: str = typer.Option("title_abstract", help="Which blinding: title_abstract or full_text."),
        yes: bool = typer.Option(False, "--yes", help="End it without asking (a script, a notebook)."),
    ):
        """Say whether the screening is still blind and what it waits for; with --end, the owner ends it.

        Ending the title/abstract blinding shows every reviewer the others' decisions, notes and the agreement
        on the records there are now (e.g. when the team stops screening early on the stopping advice); records
        imported later are screened blind again. The full-text blinding ends on its own, once the reviewers have
        assessed every report passed on, or the owner ends it with --stage full_text."""
        from .. import conflicts as api
        from ..accounts import (blinding_ended, blinding_holds, disabled_words, last_blinding_end, late_joiners,
                                names_words, screeners, waits_for)

        stage = checks.stage(stage)
        full = stage == "full_text"
        with open_project(directory) as project:
            if project.settings.get("mode") != "dual":
                raise InputError("This project screens in single mode: there is no blinding to end.")
            names, done = screeners(project, stage)
            ended = blinding_ended(project.store, stage)
            # as the Conflicts page reads it: nobody screening yet is no blinding over
            over = ended or (bool(names) and not blinding_holds(names, done))
            what = "full-text assessment" if full else "title/abstract screening"
            which = "full-text" if full else "title/abstract"  # as the Conflicts page's buttons name them
            others = "other's" if len(names) <= 2 else "others'"  # a team of two, as the Conflicts page says it
            # a reviewer joining after the others finished is blind until she has screened every record too (the
            # web's ``sees_team``), unless the owner ends the blinding: for her, it is not over
            late = [] if ended or full or not over else late_joiners(project.store, done)
            if ended:  # who and when, as the Conflicts page says it
                last = last_blinding_end(project.store, stage)
                finished = "assessed every report passed on to full text" if full else "screened every record"
                state = (f"{last['by'] or 'The owner'} ended the {which} blinding on {last['day']}: every reviewer "
                         f"sees the {others} {'full-text ' if full else ''}decisions, whether or not they have "
                         f"{finished}.")
            elif late:
                them = "her" if len(late) == 1 else "them"
                state = (f"The {which} blinding is over for the reviewers who have screened every record: they see "
                         f"each other's decisions. {names_words(late)} {'has' if len(late) == 1 else 'have'} not "
                         f"screened every record (joining after the others finished), so the screening stays blind "
                         f"for {them} until then, or until the owner ends the blinding.")
                over = False
            elif over:
                state = (f"The {which} blinding is over: the reviewers have each "
                         f"{'assessed every report passed on to full text' if full else 'screened every record'}, "
                         "and see each other's decisions.")
            else:
                # one who left, the owner having disabled the account, never will: said, as the Conflicts page does
                gone = disabled_words(project.store, set(names) - set(done), "only the owner's end lifts it")
                state = (f"The {what} is blind: each reviewer sees only their own decisions, and no agreement "
                         f"figure, until {waits_for(names, done, stage)[1]}{gone}, or the owner ends the blinding.")
                undone = last_blinding_end(project.store, stage)
                if undone is not None:  # an end a search update undid: said, as on the Conflicts page
                    again = "the full texts are assessed blind again" if full else "the screening is blind again"
                    state += (f" {undone['by'] or 'The owner'} ended the {which} blinding on {undone['day']}, but "
                              f"records were imported since (a search update), so {again}: no reviewer sees the "
                              f"{others} {'full-text ' if full else ''}decisions on them as they are made.")
            if not end:
                _say(state)
                if not over:
                    _say(f"The owner ends it with 'screener blinding {shell_quote(directory)} --end --reviewer NAME"
                         f"{' --stage full_text' if full else ''}'.")
                return
            who, role = _named(project, reviewer, directory, "blinding --end", "Nothing was changed.")
            api.may_end_blinding(project, who, role)
            if over:
                _say(f"{state} Nothing was changed.")
                return
            shown = project.store.n_records()
            _say(f"{state}\nEnding it shows every reviewer the others' {'full-text ' if full else ''}decisions, "
                 f"notes{' and reasons' if full else ''} and the agreement on the {shown} records there are now, "
                 "whether or not they have finished; their decisions from then on are no longer made blind. "
                 f"Records imported later are screened blind again."
                 + ("" if full else " The full-text assessment stays blind until the reviewers have assessed every "
                    "report passed on to full text, or the owner ends it: 'screener blinding "
                    f"{shell_quote(directory)} --end --reviewer NAME --stage full_text'."))
            if not yes and not typer.confirm(f"End the {which} blinding for everyone?", default=False):
                _say("The blinding was not ended.")
                return
            now = api.end_blinding(project, stage, who, shown=shown)
            if now is not None:
                late = now - shown
                many = "1 record was" if late == 1 else f"{late} records were" if late > 0 else "Records were"
                raise InputError(f"{many} imported meanwhile, so the blinding was not ended: those are screened "
                                 "blind. Run the command again to end the blinding for them too.")
            _say(f"The {which} blinding is ended for everyone ({who}).")


def _short(text, width: int = 60) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _list(items: list[dict], at: str, where: str, who: str) -> None:
    n = len(items)
    if not n:
        _say(f"No conflicts{at}: every record the reviewers screened has the same decision from each, or was "
             "resolved.")
        return
    _say(f"{n} conflict{'' if n == 1 else 's'}{at} to resolve:")
    for c in items:
        year = f" ({c['year']})" if c["year"] else ""
        _say(f"- record {c['record_id']} '{_short(c['title'])}'{year}: "
             + "; ".join(_vote_words(v) + (f" \u2014 \u201c{v['note']}\u201d" if v.get("note") else "")
                         for v in c["votes"]))
        earlier = _earlier_words(c["settled_earlier"])
        if earlier:
            _say(f"  {earlier}")
    first = items[0]["record_id"]
    full = " --stage full_text" if at else ""
    _say(f"Resolve one with 'screener conflicts {where} --resolve {first} include --reviewer {who}{full}' "
         f"(or exclude, maybe{', not_retrieved' if at else ''}), or write them all with --csv FILE and read the file "
         "back with --resolutions FILE.")
