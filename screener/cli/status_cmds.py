"""``screener status``: how far screening has got, the estimated recall, and whether to stop."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.console import Console
from rich.table import Table

from ..accounts import disabled_words, names_words
from ..errors import ScreenerError
from ..keep_open import open_project
from ..shell import shell_quote
from ..status import (NOT_YET_SETTLED, conflicts_only, in_conflict_words, no_estimate_words, still_screening_words,
                      unranked_note, unranked_words)
from ..stopping.base import NO_INCLUDE_INTERVAL, interval_sides
from . import checks

console = Console(emoji=False)  # a title's ":100:" is text, not an emoji code

#: An empty cell and the mark between the ends of an interval, as the dashboard, the report and the advice show them
DASH = "\u2013"


def _pct(x, target: float) -> str:
    """A recall figure that never reads as the target where it falls short of it (94.6% is not "95%")."""
    from ..stopping.base import recall_pct

    return recall_pct(x, target, DASH)


def _num(x) -> str:
    """Includes left as the report and the dashboard give them: tenths below 10 ('0.3', where '0' read as none left
    beside a recall short of 100%), whole numbers from 10 up."""
    from ..report import fmt_num

    return fmt_num(x)


def _span(low: str, high: str) -> str:
    """An interval; unknown at either end it is one dash, as the report gives it, not '0%––'."""
    return DASH if DASH in (low, high) else f"{low}{DASH}{high}"


def _left(figure: str, span: str) -> str:
    """The includes left with their interval; a method without one (the knee) gives the figure alone, not
    '34 (-)'."""
    return figure if span == DASH else f"{figure} ({span})"


def full_text_words(c: dict) -> str | None:
    """The full-text counts of the PRISMA flow, once there are any: the includes above are title and abstract
    ones, read without them as the review's includes (the report's flow gave 4 studies included, status 10)."""
    if not (c.get("full_text_assessed") or c.get("full_text_not_retrieved")):
        return None
    parts = [f"{c['full_text_included']} included", f"{c['full_text_excluded']} excluded"]
    if c.get("full_text_maybe"):
        parts.append(f"{c['full_text_maybe']} maybe")
    if c.get("full_text_awaiting"):
        parts.append(f"{c['full_text_awaiting']} awaiting the reviewers' agreement")
    sought = c["full_text_sought"]
    said = (f"Full text: {c['full_text_assessed']} of the {sought} report{'' if sought == 1 else 's'} sought assessed "
            f"({', '.join(parts)}), {c['full_text_not_retrieved']} not retrieved, {c['full_text_not_assessed']} still "
            "to retrieve or assess.")
    off = c.get("full_text_not_passed_on") or []
    if off:  # full-text decisions on records excluded at title and abstract (a batch labelled at the wrong stage)
        k, it = len(off), "it" if len(off) == 1 else "them"
        ids = ", ".join(map(str, off[:20])) + (", ..." if k > 20 else "")
        said += (f" These counts do not add up: {k} report{'' if k == 1 else 's'} given a full-text decision (record"
                 f"{'' if k == 1 else 's'} {ids}) {'was' if k == 1 else 'were'} not included (or marked maybe) at "
                 f"title and abstract; give {it} the title/abstract decision that passed {it} on, or check "
                 f"{'its' if k == 1 else 'their'} full-text decision{'' if k == 1 else 's'}.")
    return said + " The includes, recall and stopping advice here are those of the title and abstract screening."


#: the full-text counts --json gives (``Project.prisma_counts``' ``full_text_*``), as ``full_text_words`` prints them
FULL_TEXT_KEYS = ("sought", "assessed", "included", "excluded", "maybe", "awaiting", "not_retrieved", "not_assessed")


def full_text_dict(c: dict | None) -> dict | None:
    """The full-text counts of the PRISMA flow for --json: 'sought' the records passed on to full text, then how
    many were assessed (included, excluded, maybe, awaiting the reviewers' agreement), not retrieved, still to
    retrieve or assess. None without records."""
    return None if c is None else {k: int(c.get(f"full_text_{k}", 0)) for k in FULL_TEXT_KEYS}




def status_dict(st: dict, prisma: dict | None = None) -> dict:
    """The status as plain JSON-ready values (for --json and scripts).

    ``includes_found`` is the includes and the maybes found, as the recall estimates count them (a maybe goes on
    to full text, so it is found, not missed); ``included`` and ``maybe`` give them apart and add up to it (as
    ``counts``' included, maybe and found do). Under ``at_stop`` the same three, of the reading at the stop.
    ``prisma``: the project's ``prisma_counts``, whose full-text counts go under ``full_text``."""
    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if hasattr(v, "item"):
            return v.item()
        return v

    advice = st["advice"]
    settle = conflicts_only(st)
    waits = in_conflict_words(st)  # what the includes "remaining" wait on beside them, with none to screen
    counts = st.get("counts")
    since = st.get("read_since_stop")
    stopped = counts is not None and bool(counts.excluded_unscreened or (since is not None and len(since)))
    # after the rest was excluded unread at a stop, the estimates read the review as it stood at the stop: its
    # figures go under "at_stop"; the top-level ones are the counts the text prints. They read "screened": 150,
    # "remaining": 250 beside "counts" with 151 screened and 0 left (249 excluded unscreened, 1 read since)
    # not screened at the stop: the rest excluded then (those of it read since among them), never the records a
    # search update brought after it ("not_screened": 280 with 250 excluded at the stop and 30 imported since)
    hist = st.get("history")
    maybes = hist.maybes_found if hist is not None else 0
    at_stop = {"screened": st["n_screened"],
               "not_screened": counts.excluded_unscreened + (len(since) if since is not None else 0),
               "includes_found": st["includes_found"], "included": st["includes_found"] - maybes, "maybe": maybes,
               "stop": bool(advice.stop)} if stopped else None
    # a tool showed 'includes_found' (a maybe counted as found) as the includes: 7 for 5 includes and 2 maybes
    found, maybe = (counts.found, counts.maybe) if stopped else (st["includes_found"], maybes)
    left = counts.left if stopped else st["n_remaining"]
    # dual screening: the conflicts are screened, waiting to be settled ("dual"), as the printed status says ('12 left
    # to screen and 5 conflicts waiting to be settled'); "remaining": 17 counted them among the records to screen
    dual = st.get("dual")
    remaining = left - (min(dual.conflicts, left) if dual is not None else 0)
    # "remaining" keeps the records one reviewer has screened (as "counts"' "left": the counts add up to the records),
    # where the words say '13 left to screen, 1 screened by only one ...': "to_screen" and "screened_by_one" give them
    by_one = min(dual.one_reviewer, remaining) if dual is not None else 0
    return {
        "records": st["n_total"], "screened": counts.screened if stopped else st["n_screened"],
        "remaining": remaining, "to_screen": remaining - by_one, "screened_by_one": by_one,
        "includes_found": found, "included": found - maybe, "maybe": maybe, "target_recall": st["target_recall"],
        "confidence": st["confidence"], "at_stop": at_stop,
        "counts": (counts.as_dict(dual.conflicts, dual.one_reviewer) if dual is not None else counts.as_dict())
        if counts is not None else None,
        # "sides": what the interval is, as the printed table marks it: by its name alone a tool took the
        # hypergeometric test's for one-sided where a random start gives every method a two-sided one
        # "in_conflict": with only conflicts left, the records in conflict the includes "remaining" are among
        # (0 otherwise): "remaining": 0 read as none left while they wait to be settled; "by_one_reviewer": the
        # records screened by only one reviewer waiting beside them, none left to screen (0 otherwise)
        "estimators": {name: {**{k: clean(getattr(e, k)) for k in (
            "recall", "recall_low", "recall_high", "remaining", "remaining_low", "remaining_high", "stop", "needs",
            "note")}, "sides": interval_sides(name, e), "in_conflict": dual.conflicts if waits else 0,
            "by_one_reviewer": dual.one_reviewer if waits else 0,
            "held": bool(e.held)}
            for name, e in st["estimates"].items()},
        # "confirmed": a stop the hypergeometric test shares, or not resting on the model-based estimate (false
        # without a stop)
        "recommended": advice.recommended, "stop": bool(advice.stop),
        "confirmed": bool(advice.stop and advice.confirmed),
        # with only conflicts left, the printed status's words: 'Keep screening' with none to screen misled a tool
        "advice": f"{settle} {NOT_YET_SETTLED}" if settle else advice.message,
        "more_records": None if settle else advice.more_records,
        # none advised once the rest is excluded unread: a draw made now certifies no recall (none is left to
        # screen, or 'next' draws from a search update's records only), as the advice's words say
        # nor with only conflicts left: there is no record to draw ("remaining": 0)
        "random_sample_records": None if stopped or settle else advice.sample_records,
        "warnings": list(advice.warnings),
        "dual": dual.as_dict() if dual is not None else None,
        # a team of three: the reviewers with records left that the counts do not wait for ('left': 0 beside them);
        # 'disabled': the owner disabled the account, so they cannot sign in to screen them (as the words say)
        "still_screening": [{"reviewer": n, "left": k, "disabled": n in set(st.get("still_screening_disabled", ()))}
                            for n, k in st.get("still_screening") or []],
        "not_ranked_yet": st.get("not_ranked_yet", 0),
        # the printed status's 'Full text: ...' line: without it a tool read the title and abstract includes as the
        # review's
        "full_text": full_text_dict(prisma),
    }


#: --team of 'status' and 'export' (and its help): the owner's word that the team's figures may be shown
TEAM_HELP = ("Dual screening while it is blind: show the team's decisions, as the review's owner (who does not "
             "screen) sees them on the web. A reviewer still screening gives --reviewer NAME instead.")


def blinding_waits(project, stage: str = "title_abstract") -> tuple[list[str], str]:
    """Blind dual screening at ``stage``: (who still screens, or assesses full texts; what the blinding waits
    for, in words: 'olga has screened every record', 'a second reviewer has assessed every report passed on to
    full text'). Named, a reviewer who has finished reads why the team's figures are still held back."""
    from ..accounts import screeners, waits_for

    return waits_for(*screeners(project, stage), stage)


def refuse_blind_team_view(project, directory, command: str, own: str = "sees their own progress",
                           team: str = "sees the team's", extra: str = "", own_command: str | None = None) -> None:
    """Dual screening while it is blind (``accounts.team_view_blind``), or its full texts are
    (``accounts.full_text_view_blind``): the team's decisions are not shown in a terminal unless the owner asks
    (--team). The web app showed a reviewer only her own, while 'status' and
    'export' gave anyone at the terminal the conflicts and the other reviewer's decisions. ``own``: what
    --reviewer NAME does instead ('sees their own progress'), ``team`` what --team does; ``extra``: the options the
    command needs besides ('-o FILE'); ``own_command``: the command --reviewer NAME is for, where not this one.
    Who still screens is named: a reviewer who has finished was told only that the blinding ends once two have."""
    from ..accounts import full_text_view_blind, owner_may_not_screen, team_view_blind

    where = shell_quote(directory)
    if team_view_blind(project):
        stage, blind, decisions, doing, does = ("title_abstract", f"{directory} is screened blind (dual screening)",
                                                "decisions", "screening", "screen")
    elif full_text_view_blind(project):  # the title/abstract blinding over, the full texts' holds on its own
        stage, blind, decisions, doing, does = ("full_text", f"{directory}: the full texts are assessed blind "
                                                "(dual screening)", "full-text decisions", "assessing", "assess")
    else:
        return
    still, ends = blinding_waits(project, stage)
    if still:
        one = len(still) == 1
        blind += f" and {names_words(still)} still " + (("screens" if one else "screen") if stage == "title_abstract"
                                                         else "assesses full texts" if one else "assess full texts")
    # an owner who screens is one of the screeners: --team would show her the others' decisions
    owner = (f"; the review's owner, who does not {does}, {team} with 'screener {command} {where}{extra} --team'"
             if owner_may_not_screen(project, stage) else "")
    # an owner who screened a few records to try the tool holds it open for everyone unawares: she is pointed on
    owners = {str(u["name"]) for u in project.store.users() if u["role"] == "owner"}
    holding = [n for n in still if n in owners] if stage == "title_abstract" else []
    hold = "".join(f" {n}, the owner, screens too: 'screener status {where} --reviewer {shell_quote(n)}' says how she "
                   "lifts it (one who screened records only to try the tool may withdraw them)." for n in holding)
    raise ScreenerError(
        f"{blind}, so 'screener {command}' does not show the team's {decisions} (each reviewer's and the ones "
        f"they agree on): no reviewer still {doing} may see them. A "
        f"reviewer {own} with 'screener {own_command or command} {where}{'' if own_command else extra} --reviewer "
        f"NAME'{owner}. The blinding ends once {ends}, or "
        f"when the owner ends it {owner_ends_words(where, stage)}.{hold}")


def owner_ends_words(where: str, stage: str = "title_abstract") -> str:
    """Where the owner ends the blinding at ``stage``: on the web, or in a terminal ('screener blinding --end'),
    for an owner who keeps the review in a terminal. ``where``: the folder as a command names it."""
    ft = " --stage full_text" if stage == "full_text" else ""
    return (f"on the Conflicts page of 'screener serve {where}', or with 'screener blinding {where} --end --reviewer "
            f"NAME{ft}'")


def owner_holds(project, directory, name: str) -> str:
    """To the owner ``name`` who screens and has records left while the screening is blind: that she holds the
    blinding open for everyone, and the ways to lift it (``accounts.owner_holds_words``); "" to anyone else. An
    owner who screened a few records to try the tool, then left it to the reviewers, held it open unawares."""
    from ..accounts import owner_holds_words, withdraw_command
    from ..status import screening_counts

    user = project.store.get_user(name)
    if user is None or user["role"] != "owner":
        return ""
    counts = screening_counts(project, name)
    if not counts.screened or counts.left <= 0:
        return ""
    ways = owner_holds_words(f"{name}'s", counts.screened, counts.left,
                             f"'{withdraw_command(project, directory, name)}', or 'Withdraw my decision' on each "
                             f"record's page in 'screener serve {shell_quote(directory)}'")
    return (f"{name} screens records too, so {name} holds the blinding open for everyone until {name} has screened "
            f"every record. To lift it: {ways} (on the Conflicts page there).")


def refuse_blind_own_report(project, directory, name: str) -> None:
    """'report --reviewer NAME' while the screening, or the full-text assessing, is blind: the report gives the team's
    figures, which no reviewer still screening may see (``refuse_blind_team_view``), so she is told what gives her
    own, as 'status --reviewer NAME' tells her, and, once she has finished, whom the blinding waits for."""
    from ..accounts import full_text_view_blind, screeners, team_view_blind

    if team_view_blind(project):
        stage, blind, what = ("title_abstract", f"{directory} is screened blind (dual screening)",
                              "the decisions the reviewers agree on, the conflicts, the estimated recall")
    elif full_text_view_blind(project):
        stage, blind, what = ("full_text", f"{directory}: the full texts are assessed blind (dual screening)",
                              "the full-text decisions the reviewers agree on, the conflicts")
    elif joined_late(project, name):  # her web pages hold the team's figures back until she has screened every record
        where, who = shell_quote(directory), shell_quote(name)
        raise ScreenerError(f"{directory} is screened blind for {name} until {name} has screened every record too (the "
                            f"others have), so 'screener report' does not write the team's report for {name}: it "
                            "gives the team's figures (the decisions the reviewers agree on, the conflicts, the "
                            f"estimated recall). {name}'s own progress: 'screener status {where} --reviewer {who}'; "
                            f"{name}'s decisions: 'screener export {where} -o FILE --reviewer {who}'. The report can "
                            f"be written once {name} has screened every record, or when the owner ends the blinding "
                            f"{owner_ends_words(where)}.")
    else:
        return
    where, who = shell_quote(directory), shell_quote(name)
    ends = blinding_waits(project, stage)[1]
    # one still screening is not told how far the others have got, as 'status --reviewer NAME' does not
    until = (f"once {ends}, or when the owner ends the blinding {owner_ends_words(where, stage)}"
             if name in screeners(project, stage)[1] else "once the blinding ends")
    holds = owner_holds(project, directory, name) if stage == "title_abstract" else ""
    raise ScreenerError(f"{blind}, so 'screener report' does not write the team's report for {name}: it gives the "
                        f"team's figures ({what}). {name}'s own progress: 'screener status {where} --reviewer {who}'; "
                        f"{name}'s decisions: 'screener export {where} -o FILE --reviewer {who}'. The report can be "
                        f"written {until}." + (f" {holds}" if holds else ""))


def own_full_text(project, name: str, blind: bool) -> dict | None:
    """A reviewer's own full-text decisions counted (None before her first): assessing full texts, she read only her
    title/abstract counts. ``blind``: the title/abstract screening is, so the reports passed on (the team's includes
    and maybes) are not counted: 'passed_on' and 'left' are None."""
    from ..accounts import passed_on
    from ..records import NOT_RETRIEVED

    own = project.current_decisions(stage="full_text", reviewer=name)["decision"]
    if own.empty:
        return None
    n = {k: int((own == k).sum()) for k in ("include", "exclude", "maybe", NOT_RETRIEVED)}
    passed = None if blind else passed_on(project)
    return {"passed_on": None if passed is None else len(passed), "assessed": n["include"] + n["exclude"] + n["maybe"],
            "included": n["include"], "excluded": n["exclude"], "maybe": n["maybe"], "not_retrieved": n[NOT_RETRIEVED],
            "left": None if passed is None else len(passed - {int(i) for i in own.index})}


def own_full_text_words(name: str, c: dict) -> str:
    """'ana at full text: 2 of the 4 reports passed on assessed (1 included, 1 excluded), 2 left.'"""
    parts = [f"{c['included']} included", f"{c['excluded']} excluded"] + ([f"{c['maybe']} maybe"] if c["maybe"] else [])
    n = c["passed_on"]
    of = "" if n is None else f" of {'the ' if n != 1 else ''}{n} report{'' if n == 1 else 's'} passed on"
    said = f"{name} at full text: {c['assessed']}{of} assessed ({', '.join(parts)})"
    if c["not_retrieved"]:
        said += f", {c['not_retrieved']} not retrieved"
    return said + ("." if c["left"] is None else f", {c['left']} left.")


def joined_late(project, name: str) -> bool:
    """Whether ``name`` is blind on the web only because the others have all screened every record and she has not
    (``sees_team``: one who joins then sees the team once she has screened every record too), the terminal's
    ``team_view_blind`` being over: the team's figures, which 'status' shows anyone there, are not hers yet. Not the
    review's owner with no decision of her own, who sees the team on the web."""
    from ..accounts import blinding_ended, screeners, team_view_blind
    from ..status import screening_counts

    if project.settings.get("mode") != "dual" or blinding_ended(project.store) or team_view_blind(project):
        return False
    names, done = screeners(project)
    if not names or name in done:  # nobody has screened yet: nothing of anyone's to see
        return False
    c = screening_counts(project, name)
    user = project.store.get_user(name)
    return not (user is not None and user.get("role") == "owner" and not (c.screened or c.excluded_unscreened))


def own_status(project, directory, reviewer: str, as_json: bool) -> None:
    """'status --reviewer NAME': that reviewer's own counts only, as the web app shows a reviewer (dual screening),
    with no figure of the team's while the screening is blind."""
    from ..accounts import full_text_view_blind, reviewer_name, team_view_blind
    from ..status import next_step, screening_counts, settle_words, team_size

    if project.settings.get("mode") != "dual":
        raise ScreenerError(f"--reviewer {reviewer}: this review is not screened in dual mode, so every decision is "
                            f"the team's; leave --reviewer out ('screener status {shell_quote(directory)}').")
    name = reviewer_name(project, reviewer, decides=False)  # a disabled reviewer's count still
    counts, blind = screening_counts(project, name), team_view_blind(project)
    full_text_blind = not blind and full_text_view_blind(project)
    own_ft = own_full_text(project, name, blind)
    if as_json:
        # one joining after the others finished is blind too, as the words below say (``joined_late``)
        blind_now = blind or full_text_blind or joined_late(project, name)
        print(json.dumps({"reviewer": name, "blind": blind_now, "counts": counts.as_dict(),
                          "full_text": own_ft}, indent=2))
        return
    console.print(f"{name}: {counts.describe()}.", markup=False, highlight=False)
    if own_ft is not None:
        console.print(own_full_text_words(name, own_ft), markup=False, highlight=False)
    finished = bool(counts.records) and counts.left <= 0 and not counts.excluded_unscreened
    if blind and finished:
        # finished, she was told the team's figures come 'once the blinding ends', as if it waited for her
        still, ends = blinding_waits(project)
        why = f": they count the decisions of {names_words(still)}, who still screen{'s' if len(still) == 1 else ''}" \
            if still else ""
        # one who left, the owner having disabled the account, never will: said, or she waited for good
        why += disabled_words(project.store, still, "ask the owner to end the blinding")
        console.print(f"{name} has screened every record: these are {name}'s final figures at title and abstract "
                      f"({name}'s decisions: 'screener export {shell_quote(directory)} -o FILE --reviewer "
                      f"{shell_quote(name)}'). The team's figures (the decisions the reviewers agree on, the "
                      f"conflicts, the estimated recall) are held back until {ends}, or the owner ends the blinding"
                      f"{why}.", markup=False, highlight=False)
    elif blind:
        console.print(f"Screening is blind: these are {name}'s own decisions. The team's figures (the decisions "
                      "the reviewers agree on, the conflicts, the estimated recall) are shown once the blinding ends.",
                      markup=False, highlight=False)
        holds = owner_holds(project, directory, name)
        if holds:
            console.print(holds, markup=False, highlight=False)
    elif full_text_blind:
        still, ends = blinding_waits(project, "full_text")
        still = [n for n in still if n != name]  # the others' decisions: hers she has
        es = "es" if len(still) == 1 else ""
        who = f" (they count the decisions of {names_words(still)}, who still assess{es} full texts)" if still else ""
        console.print(f"The full texts are assessed blind: the team's full-text decisions (the ones the reviewers "
                      f"agree on, the conflicts) are shown once {ends}, or the owner ends that blinding{who}. "
                      f"{name}'s own decisions: "
                      f"'screener export {shell_quote(directory)} -o FILE --reviewer "
                      f"{shell_quote(name)}'.", markup=False, highlight=False)
    elif joined_late(project, name):
        # the others have all finished, she has not started: blind on the web until she has screened every record
        # (``sees_team``), so not sent to the others' every decision before she makes her own
        console.print(f"Screening is blind for {name} until {name} has screened every record too (the others have), "
                      f"or the owner ends the blinding: these are {name}'s own decisions.", markup=False,
                      highlight=False)
    else:
        console.print(f"The team's figures: 'screener status {shell_quote(directory)}'.", markup=False,
                      highlight=False)
    user = project.store.get_user(name)
    if user is not None and user.get("disabled_at"):  # 'Next batch: ...' for one who can screen no more
        console.print(f"{name}'s account is disabled: 'screener user enable {shell_quote(directory)} "
                      f"{shell_quote(name)}' lets {name} screen again; the decisions made stay in the review and "
                      "keep counting.", markup=False, highlight=False)
        return
    if finished and blind:  # 'ana has screened every record' said above: where conflicts are settled, not twice
        console.print(settle_words(shell_quote(directory), team_size(project)), markup=False, highlight=False)
        return
    console.print(next_step(counts, directory, name, team_size(project)), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def status(
        directory: Path = typer.Argument(..., help="The review project folder."),
        target_recall: Optional[float] = typer.Option(None, help="Recall to claim, as a proportion: 0.95 for 95% of "
                                                       "the includes (default: the project's, set by 'screener init "
                                                       "--target-recall'; 0.95 unless given there)."),
        confidence: Optional[float] = typer.Option(None, help="Confidence of the recall claim and of the intervals "
                                                     "shown: 0.95 for 95% (default 0.95)."),
        plot: Optional[Path] = typer.Option(None, "--plot", help="Draw the recall curve (includes found "
                                         "against records screened, with the estimated total) as a PNG file."),
        as_json: bool = typer.Option(False, "--json", help="Print the status as JSON ('includes_found' counts the "
                                     "maybes found too, as recall does; 'included' and 'maybe' give them apart; "
                                     "'left' is the records still to screen, 'in_conflict' those waiting for a "
                                     "conflict to be settled; 'screened_by_one' those of 'left' one reviewer has "
                                     "screened, the other not yet (dual screening), 'to_screen' the others, as "
                                     "the words say them ('remaining' and 'left' count both); 'still_screening' the "
                                     "reviewers of a team of three or more with records left that the counts do "
                                     "not wait for (two agreeing count a record as screened; 'disabled': true "
                                     "where the owner disabled the account, so they cannot sign in to screen "
                                     "them); 'duplicate_pairs_to_review' "
                                     "the pairs of records that may be one study, kept apart until a reviewer decides "
                                     "them with "
                                     "'screener dedup DIR --review'). While dual screening is blind, the refusal: "
                                     "{\"error\": its words, \"blind\": true}, exit status 1."),
        reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Dual screening: show only this reviewer's "
                                               "own decisions, as the web app shows them while screening is blind "
                                               "(at full text her own assessing too; --json: under \"full_text\")."),
        team: bool = typer.Option(False, "--team", help=TEAM_HELP),
    ):
        """Records screened and left, includes found, estimated recall with its interval, and whether to stop."""
        from ..status import recall_status

        if reviewer is not None and (team or plot is not None):
            raise ScreenerError("--reviewer shows one reviewer's own decisions; --team and --plot show the team's: "
                                "give one or the other.")
        checks.share("--target-recall", target_recall, "the recall to claim")
        checks.share("--confidence", confidence, "the confidence")
        if plot is not None:
            checks.output_file("--plot", plot, "curve.png")
            if plot.suffix.lower() != ".png":  # PNG bytes under another name open as nothing
                raise ScreenerError(f"{plot}: --plot draws a PNG picture; name the file {plot.stem}.png.")
        with open_project(directory) as project:
            if reviewer is not None:
                own_status(project, directory, reviewer, as_json)
                return
            if not team:
                try:
                    refuse_blind_team_view(project, directory, "status")
                except ScreenerError as exc:
                    if not as_json:
                        raise
                    # a tool reading --json reads the refusal there too, not plain words on stderr
                    print(json.dumps({"error": str(exc), "blind": True}, indent=2))
                    raise typer.Exit(1) from None
            st = recall_status(project, target_recall=target_recall, confidence=confidence)
            prisma = project.prisma_counts() if st["n_total"] else None
            # pairs de-duplication kept apart and listed: both records wait to be screened until a reviewer decides
            pairs_to_review = project.n_duplicate_pairs()
            full_text = full_text_words(prisma) if prisma is not None and not as_json else None
            if plot is not None:
                from ..report import recall_curve_png, summarise_stopping

                summary = summarise_stopping(st["history"], st["estimates"], st["advice"],
                                             target_recall=st["target_recall"], confidence=st["confidence"])
                png = recall_curve_png(project, history=st["history"], stopping=summary)
                if png is None:
                    console.print("Nothing screened yet: no curve to draw.")
                else:
                    plot.write_bytes(png)
        if as_json:
            print(json.dumps({**status_dict(st, prisma), "duplicate_pairs_to_review": pairs_to_review}, indent=2))
            return
        if not st["n_total"]:  # no verdicts: with nothing imported, every method would say "stop"
            from ..project import no_records_message

            console.print(no_records_message(directory), highlight=False, markup=False)
            return
        from ..stopping.advice import NO_INCLUDES_SAMPLE
        from ..stopping.base import level_pct

        conf = level_pct(st["confidence"])
        dual = st.get("dual")
        # the records one reviewer has screened said apart, as the dashboard's PRISMA box has them (awaiting agreement)
        counts = st["counts"].describe(dual.conflicts if dual is not None else 0, bool(st.get("still_screening")),
                                       *((dual.one_reviewer, dual.reviewers) if dual is not None else ()))
        console.print(f"{counts}; a maybe counts as found for recall.", markup=False)
        if full_text:
            console.print(full_text, highlight=False, markup=False)
        from .project_cmds import print_pairs_to_review

        print_pairs_to_review(None, directory, pairs_to_review)
        if dual is not None:
            waits = f" {dual.describe()}." if dual.describe() else ""
            # a team of three: 'both reviewers' and 'either reviewer' named a team of two that was not theirs
            two = dual.reviewers <= 2
            agree = "both reviewers give" if two else "every reviewer who screened it (two at least) gives"
            console.print(f"Dual screening: a record counts as screened once {agree} it the same "
                          f"decision, or a conflict is settled.{waits}", highlight=False, markup=False)
            if st.get("still_screening"):  # '0 left' and 'every record has been screened' while Cara has 20
                console.print(still_screening_words(st["still_screening"], st.get("still_screening_disabled", ())),
                              highlight=False, markup=False)
            if dual.conflicts:
                who = "either reviewer once both have screened every record" if two else \
                    "any reviewer once every reviewer has screened every record"
                where = escape(shell_quote(directory))
                console.print(f"[yellow]Settle the {dual.conflicts} conflict{'' if dual.conflicts == 1 else 's'}[/] "
                              f"on the Conflicts page of 'screener serve {where}', or in a terminal with 'screener "
                              f"conflicts {where} --reviewer NAME' (the project owner, or {who}); the settled "
                              "decision counts.",
                              highlight=False)
        new = st.get("not_ranked_yet", 0)
        if new:
            one = new == 1
            # in dual screening 'screener next DIR' alone is refused: each reviewer ranks under their name
            where = shell_quote(directory)
            how = (f"'screener next {where} --reviewer NAME', or the screening page of 'screener serve {where}'"
                   if dual is not None else "'screener next'")
            how = escape(how)  # a folder's name is no markup ('review [final]')
            # said here once, where the table's empty Recall column is read: the advice's 'Not yet' and the
            # recommended method's note said it twice more below
            console.print(f"[yellow]Recall is not estimated yet: {new} record{'' if one else 's'} still to screen "
                          f"{'has' if one else 'have'} not been ranked[/] (imported by a search update, taken out of "
                          "a duplicate group, or returned by an undo since the ranking the records were screened "
                          f"from), so the records screened say nothing of {'it' if one else 'them'}. Rank "
                          f"{'it' if one else 'them'} ({how}) and screen the top of the new ranking; until then the "
                          f"intervals below allow for {'it' if one else 'any of them'} being an include.",
                          highlight=False)
        table = Table(title=f"Estimated recall (target {level_pct(st['target_recall'])}, {conf} confidence)")
        # two-sided, where 'Says stop?' is a one-sided claim: "92%-100%" beside "yes" at 95% read as a contradiction
        for col in ("Method", "Recall", f"{conf} interval (two-sided)", "Includes left", "Says stop?"):
            table.add_column(col)
        from ..report import METHOD_SHORT  # the names the README, the report and 'evaluate' use
        from ..stopping.base import not_estimable

        rec = st["advice"].recommended
        waits = in_conflict_words(st)  # only conflicts left: '0 (0–0)' alone read as nothing left
        # no include found yet: no recall to give an interval of (``status._none_found``); its ends read as
        # '0%–100%' or, the top unknown, '0%––'
        for name, e in st["estimates"].items():
            word = METHOD_SHORT.get(name, name.replace("_", " "))
            label = f"[bold]{word}[/] (recommended)" if name == rec else word
            if name == "consecutive":
                label += " (baseline only)"
            elif name == "qbcb":  # the acronym alone says nothing of what it reads
                label += " (random sample)"
            tgt = st["target_recall"]
            span = _span(_pct(e.recall_low, tgt), _pct(e.recall_high, tgt))
            if not_estimable(st["includes_found"], st.get("n_remaining"), e.recall_low, e.recall_high):
                span = NO_INCLUDE_INTERVAL
            elif span != DASH and interval_sides(name, e) == "one-sided":  # under the 'two-sided' heading: said so
                span += " (one-sided)"
            left = _left(_num(e.remaining), _span(_num(e.remaining_low), _num(e.remaining_high)))
            table.add_row(label, _pct(e.recall, tgt), span, f"{left}; {waits}" if waits and left != DASH else left,
                          "yes" if e.stop else "held" if e.held else "no")
        if st["estimates"]:
            console.print(table)
        else:  # no record screened (``recall_status``): no method's figure to show
            console.print(no_estimate_words(st), highlight=False, markup=False)
        # QBCB proper stops on a one-sided test beside a two-sided interval; a one-sided bound (marked in its row)
        # is not called two-sided here
        sided = [METHOD_SHORT.get(n, n) for n, e in st["estimates"].items()
                 if n != rec and e.stop and math.isfinite(e.recall_low) and e.recall_low < st["target_recall"]
                 and interval_sides(n, e) == "two-sided"]
        if sided:  # the recommended one's is said in the advice
            tgt = level_pct(st["target_recall"])
            console.print(f"Note: the {' and the '.join(sided)} {'says' if len(sided) == 1 else 'say'} stop with "
                          f"an interval reaching under {tgt}: the interval is two-sided "
                          f"({level_pct((1 - st['confidence']) / 2)} chance below its lower end), the stop one-sided "
                          f"(a {conf} chance that recall is at least {tgt}).",
                          highlight=False, markup=False)
        # a stop the hypergeometric test does not confirm is said with a caution, not as the go-ahead
        colour = "green" if st["advice"].stop and st["advice"].confirmed else "yellow"
        # dual screening: the records the estimate counts as unscreened may wait for the reviewers, not
        # for screening (the dashboard's and the report's words): "screen about N more records" alone
        # sent the team to 'screener next' with nothing left to give when only conflicts were left
        waiting = dual.waiting_words() if dual is not None and not st["advice"].stop else ""
        if conflicts_only(st):
            # the advice's "screen about N more" / "from the next batch on" / "a random sample" has nothing to
            # screen: the table above is the estimate, read again once the conflicts are settled
            console.print(f"[yellow]{conflicts_only(st)} {NOT_YET_SETTLED}[/]", highlight=False)
        else:
            message = st["advice"].message
            # the words the advice gave, with its command (``status.off_the_ranking``): replaced by those above
            dual_mode = project.settings.get("mode") == "dual"
            said = f"Not yet: {unranked_words(new, project.dir, dual_mode)}" if new else None
            if said and message.startswith(said):  # said before the table
                message = f"Not yet: rank the record{'' if new == 1 else 's'} above and screen the top of the new " \
                          "ranking first." + message[len(said):]
            console.print(f"[{colour}]{escape(message)}[/]")
            if NO_INCLUDES_SAMPLE in st["advice"].message:  # the words say what, not how
                who = " --reviewer NAME" if dual is not None else ""
                console.print(f"For a random sample: 'screener next {shell_quote(directory)}{who} --sample 5' draws "
                              "5 records of each batch at random.", highlight=False, markup=False)
        if waiting:
            console.print(waiting, highlight=False, markup=False)
        for w in st["advice"].warnings:
            if new and w.startswith(unranked_note(new)):  # said before the table; what follows it is not
                w = w[len(unranked_note(new)):].lstrip(";. ")
                if not w:
                    continue
                w = w[0].upper() + w[1:]
            console.print(f"[yellow]Note:[/] {escape(w)}", highlight=False)  # a file's name may hold [...]
        if plot is not None:
            console.print(f"Recall curve written to {plot}.", markup=False)
