"""Dual screening's conflicts and its blinding, for the web's Conflicts page and the terminal alike.

An owner who keeps the review in a terminal or a notebook lists the records the reviewers disagree on,
settles them and ends the blinding with these functions, as the Conflicts page does: the same checks, made in
the same turn at the log, and the same entries (a resolver's decision; the owner's end of the blinding), so
that status, the report and the dashboard count them alike whichever way they were made.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .shell import shell_quote
from .records import STAGES, stage_decisions
from .store.base import Decision, is_rest_excluded

STAGE = "title_abstract"


@dataclass(frozen=True)
class Resolution:
    """One conflict settled: the team's decision on ``record_id``, with the resolver's note and, for an
    exclusion, its reason (PRISMA lists the full texts excluded per reason)."""

    record_id: int
    decision: str
    note: str | None = None
    reason: str | None = None


def _plain(v):
    """A stored value as the Conflicts page shows it: None for a missing one, control characters as spaces."""
    import pandas as pd

    from .io.common import without_controls

    if isinstance(v, str):
        return without_controls(v)
    if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v) is True):
        return None
    return v.item() if hasattr(v, "item") else v


def conflict_items(project, stage: str = STAGE) -> list[dict]:
    """The conflicts to resolve at ``stage`` as the Conflicts page lists them, by record: its title, abstract
    and year, each reviewer's decision (``votes``: reviewer, decision, note, reason, and ``unread`` for an
    exclude on the records left unread at their stop) and, where a reviewer's later decision opened a settled
    conflict again, how it was settled (``settled_earlier``)."""
    conf = project.conflicts(stage=stage)
    if conf.empty:
        return []
    recs = project.records_frame()
    earlier = settled_earlier(project, stage, set(conf["record_id"]))
    items = []
    for rid, grp in conf.groupby("record_id", sort=True):
        rec = recs.loc[rid] if rid in recs.index else None
        items.append({
            "record_id": int(rid), "settled_earlier": earlier.get(int(rid)),
            "title": _plain(rec["title"]) if rec is not None else "",
            "abstract": _plain(rec["abstract"]) if rec is not None else "",
            "year": _plain(rec["year"]) if rec is not None else None,
            "votes": [{"reviewer": r.reviewer, "decision": r.decision, "note": _plain(r.note),
                       "reason": _plain(getattr(r, "reason", None)),
                       "unread": bool(getattr(r, "unread", False))} for r in grp.itertuples()]})
    return items


def settled_earlier(project, stage: str, open_ids: set) -> dict[int, dict]:
    """Of the conflicts ``open_ids``, those settled on the Conflicts page before a reviewer's decision made since
    (changed, or new to the study) opened them again (``Project.standing_resolutions``): the resolution still in
    its resolver's name (as what, by whom, when in UTC), so that the page does not show them as never settled;
    ``kind``: 'settled', or 'imported' (a decision an import brought) or 'unread' (the rest excluded unread at a
    stop), which no one on the team settled."""
    last = project.reviewer_decisions(stage=stage)
    if last.empty or not open_ids:
        return {}
    res = last[(last["role"] == "resolver") & last["group_record_id"].isin(open_ids)]
    if res.empty:
        return {}
    log = project.decision_log()
    made = log.set_index("decision_id")["created_at"]
    out = {}
    for r in res.sort_values("decision_id").itertuples(index=False):
        at = str(made.get(r.decision_id) or "")
        # an import's decision, or the rest excluded unread at a stop, was settled by no one on the team
        kind = "unread" if is_rest_excluded(r.origin) else "imported" if str(r.origin) == "import" else "settled"
        out[int(r.group_record_id)] = {"decision": str(r.decision).replace("_", " "), "reviewer": str(r.reviewer),
                                       "at": at[:16].replace("T", " "), "kind": kind}
    return out


def check_conflict(project, rid: int, stage: str, resolver: str, directory: str, *, web: bool = True) -> None:
    """That record ``rid`` is still a conflict ``resolver`` may settle, read in the resolution's turn at the log
    (``Project.decide_many``'s ``check``): a reviewer's change saved a moment before (the two now agree) is not
    overruled, nor another resolver's resolution replaced unseen (one's own may be). ``directory``: the project
    folder as a command names it; ``web``: said to the Conflicts page, else to a terminal."""
    votes = project.reviewer_decisions(stage=stage)
    settled = project.standing_resolutions(votes, stage=stage) if len(votes) else votes
    settled = settled[(settled["group_record_id"] == rid) & (settled["reviewer"] != resolver)] \
        if len(settled) else settled
    if len(settled):
        by = settled.iloc[-1]
        if web:
            raise InputError(f"Record {rid}'s conflict was resolved as {by['decision']} by {by['reviewer']} "
                             "after this page was shown, so your choice was not saved. To settle it otherwise, "
                             f"{by['reviewer']} withdraws that resolution on record {rid}'s page, which opens "
                             "the conflict again.")
        at = " --stage full_text" if stage == "full_text" else ""
        raise InputError(f"Record {rid}'s conflict was already resolved as {by['decision']} by {by['reviewer']}. "
                         f"To settle it otherwise, {by['reviewer']} withdraws that resolution ('screener withdraw "
                         f"{directory} {rid} --reviewer {shell_quote(by['reviewer'])}{at}'), which opens the conflict "
                         "again. Nothing was saved.")
    if votes.empty or votes[(votes["group_record_id"] == rid) & (votes["role"] == "reviewer")][
            "decision"].nunique() < 2:  # settled (or changed again) only where the reviewers disagree
        if stage == "full_text":
            raise InputError(f"Record {rid} has no conflict to resolve at full text: the reviewers have not "
                             "given it different full-text decisions. A reviewer changes their own with "
                             f"'screener label {directory} YOUR_DECISIONS.csv --stage full_text'."
                             + ("" if web else " Nothing was saved."))
        if web:
            now = votes[(votes["group_record_id"] == rid) & (votes["role"] == "reviewer")] if len(votes) else votes
            if len(now) and now["reviewer"].nunique() >= 2:
                # the Conflicts page showed it: a reviewer changed their decision since ('have not given it different
                # decisions', and 'change a decision of your own', to an owner who had just seen them differ)
                raise InputError(f"Record {rid} has no conflict to resolve: the reviewers agree on it now "
                                 f"({now['decision'].iloc[0]}), so your choice was not saved and their agreement "
                                 "counts. If the Conflicts page showed it as a conflict, a reviewer changed their "
                                 "decision since.")
            if len(now) and resolver not in set(now["reviewer"].astype(str)):
                # one reviewer withdrew theirs since the page showed the two differing: the same words were said
                raise InputError(f"Record {rid} has no conflict to resolve: only {now['reviewer'].iloc[0]}'s decision "
                                 f"({now['decision'].iloc[0]}) stands on it now, so your choice was not saved. If the "
                                 "Conflicts page showed it as a conflict, a reviewer withdrew their decision since.")
            raise InputError(f"Record {rid} has no conflict to resolve: the reviewers have not given it "
                             "different decisions. Change a decision of your own on the record's page instead.")
        raise InputError(f"Record {rid} has no conflict to resolve: the reviewers have not given it different "
                         f"decisions ('screener conflicts {directory} --reviewer NAME' lists the conflicts). Nothing "
                         "was saved.")


def acting(project, name) -> tuple[str, str]:
    """(the account's name as the log holds it, its role) for one who names themself in a terminal
    (``accounts.reviewer_name``: a disabled account decides nothing). A review without accounts is kept by
    whoever runs the command, as the web app without accounts takes whoever types a name for its owner."""
    from .accounts import reviewer_name

    who = reviewer_name(project, name)
    user = project.store.get_user(who)
    return who, (user["role"] if user else "owner")


def _dual(project, what: str) -> None:
    if project.settings.get("mode") != "dual":
        raise InputError(f"This project screens in single mode: {what}.")


def _own_screening(project, name: str) -> bool:
    votes = project.reviewer_decisions()
    return bool(len(votes)) and bool(((votes["reviewer"] == name) & (votes["role"] == "reviewer")).any())


def may_see_conflicts(project, name: str, role: str, stage: str = STAGE) -> None:
    """Refused (``InputError``) unless ``name`` may open the conflicts of ``stage``, as the Conflicts page lets
    them (its ``sees_team`` and ``sees_full_text``): the owner who screens no record; or anyone once the owner
    ended the blinding; or a reviewer (an owner who screens) once everyone screening has screened every record,
    she too."""
    from .accounts import blinding_ended, blinding_holds, screeners, sees_full_text

    _dual(project, "there are no conflicts to resolve")
    names, done = screeners(project)
    if not ((role == "owner" and not _own_screening(project, name)) or blinding_ended(project.store)
            or (names and not blinding_holds(names, done) and name in done)):
        both = "both have" if len(names) <= 2 else "every reviewer has"
        raise InputError(f"Conflicts are resolved by the project owner, or by the reviewers once {both} screened "
                         f"every record. {name} screens records, and the screening is still blind.")
    if stage == "full_text" and not sees_full_text(project, name, owner=role == "owner"):
        waits = "both reviewers" if len(screeners(project, "full_text")[0]) <= 2 else \
            "all the reviewers assessing full texts"
        raise InputError(f"Full-text conflicts are resolved by the project owner, or by the reviewers once {waits} "
                         "have assessed every report passed on to full text (or the owner ends the full-text "
                         "blinding).")


def _of(exc: InputError, ids) -> InputError:
    """``exc`` noted with the records it refuses (``record_ids``): a caller that read them from a file names the
    rows they are on."""
    exc.record_ids = sorted({int(i) for i in ids})
    return exc


def resolve(project, resolutions: list[Resolution], resolver: str, *, stage: str = STAGE,
            directory: str = "DIR", origin: str = "cli") -> list[int]:
    """Settle conflicts as the Conflicts page does: a resolver decision under ``resolver``'s name for each,
    all or none (one record that is no conflict, or was settled meanwhile by another resolver, and nothing is
    saved; the refusal's ``record_ids`` name the records refused). Who may resolve is the caller's to check
    (``may_see_conflicts``). Returns the log's ids."""
    _dual(project, "there are no conflicts to resolve")
    if stage not in STAGES:
        raise InputError(f"{stage!r} is not one of {', '.join(STAGES)}. A conflict is at title and abstract "
                         "(title_abstract) or at full text (full_text).")
    seen: set[int] = set()
    for r in resolutions:
        if r.decision not in stage_decisions(stage):
            raise _of(InputError(f"Record {r.record_id}: {r.decision!r} is not one of "
                                 f"{', '.join(stage_decisions(stage))}. Nothing was saved."), [r.record_id])
        if r.record_id in seen:
            raise _of(InputError(f"Record {r.record_id} is resolved twice: give one decision for it. Nothing was "
                                 "saved."), [r.record_id])
        seen.add(int(r.record_id))

    known = set(project.store.records_frame(sorted(seen)).index) if seen else set()
    unknown = sorted(seen - {int(i) for i in known})
    if unknown:
        raise _of(InputError(f"No record {', '.join(map(str, unknown))} in this review (give the record_id the "
                             "conflicts are listed with). Nothing was saved."), unknown)

    def check() -> None:
        for r in resolutions:
            try:
                check_conflict(project, r.record_id, stage, resolver, directory, web=origin == "web")
            except InputError as exc:
                raise _of(exc, [r.record_id])

    return project.decide_many([Decision(record_id=int(r.record_id), decision=r.decision, reviewer=resolver,
                                         role="resolver", note=r.note or None, origin=origin, stage=stage,
                                         reason=(r.reason or None) if r.decision == "exclude" else None)
                                for r in resolutions], check=check)


def end_blinding(project, stage: str, by: str | None, *, shown: int | None = None) -> int | None:
    """The owner's end of the blinding at ``stage`` (``accounts.end_blinding``), in the imports' turn: an import
    under way is dated when it starts and counted when it commits, so an end dated in between would hold for
    its records, which nobody was shown. ``shown``: how many records there were when the owner chose to end it
    (None: not checked). Returns None once ended; else how many records there are now, and nothing was ended
    (those imported since are screened blind)."""
    from .accounts import end_blinding as end

    store = project.store
    with store.transaction():
        store.serialize("records")
        now = store.n_records()
        if shown is None or shown == now:
            end(store, stage, by)
            return None
    return now


def may_end_blinding(project, name: str, role: str) -> None:
    """Refused (``InputError``) unless ``name`` is the review's owner, as on the web: the blinding is what keeps
    the reviewers' decisions independent."""
    _dual(project, "there is no blinding to end")
    if role != "owner":
        raise InputError(f"Only the project owner can end the blinding; {name} is a reviewer. Nothing was changed.")


__all__ = ["Resolution", "acting", "check_conflict", "conflict_items", "end_blinding", "may_end_blinding",
           "may_see_conflicts", "resolve", "settled_earlier"]
