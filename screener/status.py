"""Where a review stands: the counts, the decision log seen by the recall estimators, and
their advice.

Every front end (``label``, ``status``, the terminal screen, the web page, the report, the
demo) counts screened, included, maybe and left with ``count_decisions`` and reads recall
from ``recall_status``, so they always agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Counts:
    """How far screening has got, in studies (one per de-duplicated group).

    ``found`` is includes plus maybes: a maybe goes on to full text, so for recall it is
    found, not missed."""

    records: int
    screened: int
    included: int
    maybe: int
    excluded: int
    #: the rest excluded unread when screening stopped ('label --decision exclude' on the records left):
    #: neither screened nor left to screen (``store.base.REST_EXCLUDED``)
    excluded_unscreened: int = 0

    @property
    def left(self) -> int:
        return self.records - self.screened - self.excluded_unscreened

    @property
    def found(self) -> int:
        return self.included + self.maybe

    def describe(self, conflicts: int = 0, still_screening: bool = False, by_one: int = 0, reviewers: int = 2) -> str:
        """One line every front end prints, e.g. '43 of 227 records screened (30 includes,
        6 maybe, 7 excludes), 184 left'. ``conflicts``: dual screening, the records left that wait for a
        conflict to be settled, not to be screened ('1 left' read as a record to screen where none was).
        ``still_screening``: a team of three with a reviewer who still has records to screen that the counts do not
        wait for (``still_screening``): '0 left' and 'none left to screen' were said beside Cara's 20; with none
        left, 'none left to screen that the counts wait for'. ``by_one``: the records left one reviewer has screened
        (the team's counts only, ``DualProgress.one_reviewer``), said apart as the dashboard's PRISMA box has them
        among those awaiting agreement: '219 left to screen' stood beside its 'Not screened yet 218'."""
        inc = "1 include" if self.included == 1 else f"{self.included} includes"
        exc = "1 exclude" if self.excluded == 1 else f"{self.excluded} excludes"
        rest = f", {self.excluded_unscreened} {REST_WORDS}" if self.excluded_unscreened else ""
        conflicts = min(conflicts, self.left)
        by_one = min(by_one, self.left - conflicts)
        to_screen = self.left - conflicts - by_one
        none = "none left to screen that the counts wait for" if still_screening else "none left to screen"
        left = none if still_screening and not to_screen else f"{self.left} left"
        if by_one or conflicts:
            # none to screen but a record one reviewer screened: 'none left to screen, 1 screened by only one ...'
            # stood beside the advice's 'the 1 record left to screen' (the other reviewer screens it), so it is left out
            left = and_list(([] if to_screen or by_one else [none]) + waiting_parts(to_screen, by_one, conflicts,
                                                                                     reviewers))
        return f"{self.screened} of {self.records} records screened ({inc}, {self.maybe} maybe, {exc}){rest}, {left}"

    def as_dict(self, conflicts: int = 0, by_one: int | None = None) -> dict:
        """The counts for --json and the web page. ``conflicts``: dual screening, the records in conflict; they
        are not screened yet but wait to be settled, not screened: "left" is the records still to screen (as
        ``describe`` says: '14 left to screen and 4 conflicts waiting to be settled'), "in_conflict" the others.
        Counted among "left", a tool read 18 records to screen beside "remaining": 14. ``by_one`` (the team's
        counts in dual screening only): "screened_by_one", those of "left" one reviewer has screened, the other not
        yet ('13 left to screen, 1 screened by only one ...' where "left" is 14), and "to_screen" the others (13)."""
        conflicts = min(conflicts, self.left)
        by_one = None if by_one is None else min(by_one, self.left - conflicts)
        one = {} if by_one is None else {"screened_by_one": by_one, "to_screen": self.left - conflicts - by_one}
        return {"records": self.records, "screened": self.screened, "included": self.included,
                "maybe": self.maybe, "excluded": self.excluded, "left": self.left - conflicts,
                "in_conflict": conflicts, **one, "found": self.found, "excluded_unscreened": self.excluded_unscreened}


#: The records left at a stop and excluded there unread, in the reviewer's words (after their number)
#: (one --decision exclude for a file of them, or 'exclude' typed on each row of a file no batch of 'next' wrote)
REST_WORDS = "excluded without screening when screening stopped ('screener label' excluding the records left, unread)"


@dataclass(frozen=True)
class DualProgress:
    """Dual screening: studies not counted as screened yet, because the reviewers have not both
    given them the same decision and no one has settled them."""

    conflicts: int  # the reviewers disagree
    one_reviewer: int  # one reviewer's decision only: the other has not screened it yet
    #: the reviewers in the team (two decisions are needed per record, whoever gives them): with three, "one of
    #: the two reviewers" and "the other reviewer" named a team that is not theirs
    reviewers: int = field(default=2, compare=False)

    @property
    def by_one(self) -> str:
        """'screened by only one of the two reviewers', or with a larger team 'by only one reviewer'."""
        return by_one_words(self.reviewers)

    def describe(self) -> str:
        """e.g. '13 records wait for the reviewers to agree, of them 10 conflicts (the reviewers' decisions differ)
        and 3 screened by only one of the two reviewers so far', the PRISMA box's 'awaiting the reviewers' agreement 13'
        (it said '10 records wait ...; 3 were screened by only one ...', the same words for 10 and 13); "" when
        nothing waits ('0 records wait for the reviewers to agree' was printed once every conflict was settled)."""
        if not (self.conflicts or self.one_reviewer):
            return ""
        if not self.one_reviewer:  # "0 were screened by only one ..." said nothing a reviewer could use
            c = "1 record waits" if self.conflicts == 1 else f"{self.conflicts} records wait"
            return f"{c} for the reviewers to agree (conflicts: the reviewers' decisions differ)"
        if not self.conflicts:
            one = "1 record was" if self.one_reviewer == 1 else f"{self.one_reviewer} records were"
            return f"{one} {self.by_one}"
        c = f"{self.conflicts} conflict{'' if self.conflicts == 1 else 's'}"
        return (f"{self.conflicts + self.one_reviewer} records wait for the reviewers to agree, of them {c} (the "
                f"reviewers' decisions differ) and {self.one_reviewer} {self.by_one}")

    def waiting_words(self) -> str:
        """The studies the estimate counts as unscreened that wait for the reviewers, not for screening
        (the dashboard's and the report's words): without it, the advice's 'screen about N more records' sent
        the team to a screening page with nothing left on it when the records left were conflicts."""
        if not (self.conflicts or self.one_reviewer):
            return ""
        todo = []
        if self.one_reviewer:
            todo.append(f"{'the other' if self.reviewers <= 2 else 'another'} reviewer screens the records only "
                        "one has screened")
        if self.conflicts:
            todo.append(f"the {self.conflicts} conflict{'' if self.conflicts == 1 else 's'} "
                        f"{'is' if self.conflicts == 1 else 'are'} settled on the Conflicts page")
        return (f"Of the records the estimate counts as not screened yet, {self.describe()}: they count once "
                f"{' and '.join(todo)}.")

    def as_dict(self) -> dict:
        return {"conflicts": self.conflicts, "one_reviewer": self.one_reviewer}


def dual_progress(project) -> DualProgress | None:
    """Conflicts and one-reviewer studies of a dual-screening project (None in single mode): in
    dual mode a study counts as screened only once two reviewers agree or a resolver decides,
    so the counts alone hide them."""
    pending = dual_waiting(project)
    if pending is None:
        return None
    conflicts, one_reviewer = pending
    return DualProgress(conflicts=len(conflicts), one_reviewer=len(one_reviewer), reviewers=team_size(project))


def team_size(project) -> int:
    """Dual screening: the reviewers who have screened records (two at least: each record needs two decisions)."""
    votes = project.reviewer_decisions()
    if votes.empty:
        return 2
    return max(2, int(votes.loc[votes["role"] == "reviewer", "reviewer"].nunique()))


def by_one_words(reviewers: int, so_far: bool = True) -> str:
    """'screened by only one of the two reviewers so far', or in a team of three or more 'screened by only one
    reviewer so far (each record needs two)'."""
    later = " so far" if so_far else ""
    if reviewers <= 2:
        return f"screened by only one of the two reviewers{later}"
    return f"screened by only one reviewer{later} (each record needs two)"


def waiting_parts(to_screen: int, by_one: int = 0, conflicts: int = 0, reviewers: int = 2,
                  records: bool = False) -> list[str]:
    """The records not counted as screened, each kind in the words of 'status' ('13 left to screen', '1 screened
    by only one of the two reviewers so far', '4 conflicts waiting to be settled'), for every front end that says
    them: the advice and the dashboard's and the report's recall called a record one reviewer screened 'left to
    screen' beside the counts' '1 screened by only one ...'. ``records``: the first says 'record(s)' after its number
    ('the 1 record screened by only one ...')."""
    parts = [(n, words) for n, words in (
        (to_screen, "left to screen"), (by_one, by_one_words(reviewers)),
        (conflicts, f"conflict{'' if conflicts == 1 else 's'} waiting to be settled")) if n]
    return [f"{n} {'record ' if n == 1 else 'records '}{words}" if records and not i and not words.startswith("conf")
            else f"{n} {words}" for i, (n, words) in enumerate(parts)]


def and_list(parts: list[str], the: bool = False) -> str:
    """'a, b and c' (``the``: 'the a, the b and the c')."""
    parts = [f"the {p}" for p in parts] if the else parts
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}" if parts else ""


def agreement_words(reviewers: int) -> str:
    """What a record screened but not counted yet waits for: 'the two reviewers' agreement', or in a team of three or
    more 'the agreement of each record's reviewers (two at least)': a record counts once every reviewer who screened
    it gives the same decision and two at least did (``Project.current_decisions``), whoever they are."""
    if reviewers <= 2:
        return "the two reviewers' agreement"
    return "the agreement of each record's reviewers (two at least)"


def conflicts_only(st: dict) -> str:
    """"Settle the N conflicts: no record is left to screen." where, in dual screening before a stop, the records
    the estimate counts as unscreened are all conflicts ("" otherwise): the advice's "screen about N more" has
    nothing to screen then. One reading for the printed status, --json and the report. In a team of three where
    a reviewer still has records to screen that the counts do not wait for (``still_screening``), 'no record is
    left to screen' was said beside her 10: the counts wait for no other record, and her words follow."""
    dual = st.get("dual")
    if dual is None or st["advice"].stop or dual.one_reviewer or not dual.waiting_words():
        return ""
    counts = st.get("counts")
    if (counts.left if counts is not None else st["history"].n_remaining) > dual.conflicts:
        return ""
    rest = "the counts wait for no other record" if st.get("still_screening") else "no record is left to screen"
    return f"Settle the {dual.conflicts} conflict{'' if dual.conflicts == 1 else 's'}: {rest}."


def reviewers_only(st: dict) -> bool:
    """In dual screening before a stop, with records waiting for the reviewers: every record the estimate counts as
    not screened waits for them (in conflict, or screened by only one of them), none is left to screen."""
    dual = st.get("dual")
    if dual is None or st["advice"].stop or not (dual.conflicts or dual.one_reviewer):
        return False
    counts = st.get("counts")
    return (counts.left if counts is not None else st["history"].n_remaining) <= dual.conflicts + dual.one_reviewer


def in_conflict_words(st: dict) -> str:
    """'2 records in conflict wait to be settled', said beside each method's includes left where only conflicts
    are left (``conflicts_only``; "" otherwise): the estimate counts them as not screened, and its '0 (0–0)' read
    as nothing left while they wait, each with one reviewer's include or maybe. With records screened by only one
    reviewer waiting too (``reviewers_only``), '5 records wait for the reviewers to agree: 3 screened by only one
    of the two reviewers so far and 2 conflicts waiting to be settled': '0 (0–0)' was said alone then."""
    dual = st.get("dual")
    if conflicts_only(st):
        n = dual.conflicts
        return f"{n} record{'' if n == 1 else 's'} in conflict wait{'s' if n == 1 else ''} to be settled"
    if not (reviewers_only(st) and dual.one_reviewer):
        return ""
    parts = waiting_parts(0, dual.one_reviewer, dual.conflicts, dual.reviewers)
    return f"{dual.conflicts + dual.one_reviewer} records wait for the reviewers to agree: {and_list(parts)}"


def no_estimate_words(st: dict) -> str:
    """The line 'status' and the dashboard show in place of the estimates table when no record counts as screened
    (``recall_status`` gives no estimate then). In dual screening a reviewer may have screened records the team
    does not count yet: 'Nothing screened yet' was said under '2 records were screened by only one reviewer'."""
    dual = st.get("dual")
    if dual is not None and (dual.one_reviewer or dual.conflicts):
        return "No record counts as screened yet (none agreed by the reviewers or settled): no recall estimate."
    return "Nothing screened yet: no recall estimate."


def still_screening(project, counts: Counts | None) -> list[tuple[str, int]]:
    """Dual screening by three or more: (reviewer, records left) for each reviewer screening who has more records
    left than the team's ``counts`` leave to screen. A record counts as screened once two reviewers agree on it, so
    with Anabel and Ben agreeing on every record the team's counts said '0 left' and 'every record has been
    screened' while Cara had 20 still to screen, and a decision of hers that differs opens a conflict. [] otherwise
    (in a team of two, a record one reviewer has not screened is never counted as screened)."""
    if counts is None or project.settings.get("mode") != "dual":
        return []
    votes = project.reviewer_decisions()
    if votes.empty:
        return []
    names = sorted(set(votes.loc[votes["role"] == "reviewer", "reviewer"].astype(str)))
    if len(names) <= 2:
        return []
    dual = dual_waiting(project)
    team_left = counts.left - min(len(dual[0]) if dual is not None else 0, counts.left)
    out = []
    for name in names:
        left = screening_counts(project, name).left
        if left > team_left:
            out.append((name, int(left)))
    return out


def disabled_among(project, still: list[tuple[str, int]]) -> list[str]:
    """Of the reviewers ``still_screening`` names, those whose account the owner disabled: they cannot sign in to
    screen their records left (the Conflicts page says so of whom the blinding waits for; these words did not)."""
    return sorted(n for n, _ in still if (project.store.get_user(n) or {}).get("disabled_at"))


def still_screening_words(still: list[tuple[str, int]], disabled=()) -> str:
    """``still_screening`` in words, for 'status', the dashboard and the report alike ("" for none): 'Cara has 20
    records still to screen: a record counts as screened once every reviewer who screened it (two at least) gives it
    the same decision, so the counts do not wait for Cara, and a decision of Cara's that differs opens a conflict on
    it.' (as 'status' says how a record counts in a team of three: not 'two reviewers', a team of two's words).
    ``disabled``: those of them whose account the owner disabled (``disabled_among``), said as the Conflicts page
    says it: '(the account is disabled, so Cara cannot sign in to screen them)'."""
    if not still:
        return ""
    from .accounts import names_words

    (first, n), rest = still[0], still[1:]
    each = names_words([f"{first} has {n} record{'' if n == 1 else 's'}", *(f"{name} {k}" for name, k in rest)])
    who = names_words([name for name, _ in still])
    whose = f"{first}'s" if not rest else "theirs"
    gone = [name for name, _ in still if name in set(disabled)]
    if gone and not rest:
        each += f" still to screen (the account is disabled, so {first} cannot sign in to screen them)"
    elif gone:
        each += " still to screen (" + "; ".join(f"{name}'s account is disabled, so {name} cannot sign in to screen "
                                                 "the records left" for name in gone) + ")"
    else:
        each += " still to screen"
    return (f"{each}: a record counts as screened once every reviewer who screened it (two at "
            f"least) gives it the same decision, so the counts do not wait for {who}, and a decision of {whose} that "
            "differs opens a conflict on it.")


#: after conflicts_only's words: why the estimate is no stop while the conflicts wait
NOT_YET_SETTLED = ("Not yet a stop: the estimate above counts the records in conflict as not screened, and the advice "
                   "is read again once they are settled.")


def dual_waiting(project) -> tuple[np.ndarray, np.ndarray] | None:
    """``_dual_pending`` less the studies whose one decision is an exclude of the records left unread at a
    reviewer's stop: no screening, so still to screen, as PRISMA counts them (``Project._awaiting_ids``), not
    'screened by only one of the two reviewers'."""
    pending = _dual_pending(project)
    if pending is None or not len(pending[1]):
        return pending
    from .project import unread_alone

    unread = unread_alone(project.reviewer_decisions())
    conflicts, one_reviewer = pending
    return conflicts, one_reviewer[~np.isin(one_reviewer, np.fromiter(unread, dtype=np.int64, count=len(unread)))]


def _dual_pending(project) -> tuple[np.ndarray, np.ndarray] | None:
    """(ids of conflicting studies, ids of studies one reviewer has decided), None in single mode."""
    if project.settings.get("mode") != "dual":
        return None
    last = project.reviewer_decisions()
    if last.empty:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    resolved = project.standing_resolutions(last)["group_record_id"]
    votes = last[(last["role"] == "reviewer") & ~last["group_record_id"].isin(resolved)]
    votes = votes[~votes["group_record_id"].isin(project.store.duplicate_ids())]
    per = votes.groupby("group_record_id")["decision"].agg(["size", "nunique"])
    ids = per.index.to_numpy(dtype=np.int64)
    return ids[(per["nunique"] > 1).to_numpy()], ids[(per["size"] == 1).to_numpy()]


def sample_waits_words(project, reviewer: str, unsettled: set) -> str:
    """What dual screening's random sample waits for before 'next' draws one for ``reviewer``: the studies she has
    screened that the team has not settled (``unsettled``), which her draw would leave out. One sentence, said by
    'next' (``screening.sample_waits``), 'status' and the dashboard (``samples_waiting``): status advised the sample
    that 'next' then refused to draw. The records she excluded unread at her stop are said apart: not screened."""
    from .project import unread_alone

    conflicts = unsettled & {int(i) for i in _dual_pending(project)[0]}
    unread = (unsettled - conflicts) & unread_alone(project.reviewer_decisions())
    alone = len(unsettled) - len(conflicts) - len(unread)

    def records(k: int) -> str:
        return f"{k} record{'s' if k != 1 else ''}"

    screened = [f"the {records(alone)} only {reviewer} has screened so far"] if alone else []
    if unread:
        screened.append(f"the {records(len(unread))} {reviewer} excluded without screening when screening stopped")
    other = "the other reviewer has" if team_size(project) <= 2 else "a second reviewer has"
    waits = [f"{other} screened {' and '.join(screened)}"] if screened else []
    if conflicts:
        k = len(conflicts)
        waits.append(f"the conflict{'s' if k != 1 else ''} on {records(k)} {reviewer} screened "
                     f"{'are' if k != 1 else 'is'} settled")
    return f"No random sample is drawn for {reviewer} until {(', and ' if len(screened) > 1 else ' and ').join(waits)}."


def samples_waiting(project) -> list[str]:
    """Dual screening: ``sample_waits_words`` for each reviewer whose records the team has not all settled, the
    ones 'next' draws no random sample for now (none in single screening)."""
    if project.settings.get("mode") != "dual":
        return []
    votes = project.reviewer_decisions()
    if votes.empty:
        return []
    settled = set(project.current_decisions().index)
    out = []
    for name in sorted(set(votes.loc[votes["role"] == "reviewer", "reviewer"].astype(str))):
        unsettled = set(project.current_decisions(reviewer=name).index) - settled
        if unsettled:
            out.append(sample_waits_words(project, name, unsettled))
    return out


def settle_words(directory: str, reviewers: int = 2) -> str:
    """Where and by whom conflicts are settled, said to a reviewer who has screened every record; ``directory``
    as a reviewer pastes it (``shell_quote``)."""
    # the owner settles a conflict at any time, on the web or with 'screener conflicts' ('status' only counts them)
    # an owner who screens records is blind as the reviewers are (the web app's ``sees_team``)
    who = "either reviewer once both have screened every record" if reviewers <= 2 else \
        "any reviewer once every reviewer has screened every record"
    return (f"Conflicts are settled on the Conflicts page of 'screener serve {directory}', or in a terminal with "
            f"'screener conflicts {directory} --reviewer NAME': by the review's owner at "
            f"any time, by {who} (an owner who screens records is one of the reviewers there, or ends the blinding "
            "first).")


def next_step(counts: Counts, directory, reviewer: str | None = None, reviewers: int = 2) -> str:
    """The hint after decisions are saved: the next batch, or (nothing left) where to look now.
    ``reviewer``: dual screening, where ``counts`` are that reviewer's own and each command
    needs their name; ``reviewers``: the team's size (``team_size``), three 'either' and 'both' do not name."""
    if not counts.records:
        from .project import no_records_message

        return no_records_message(directory)
    from .shell import shell_quote

    directory = shell_quote(directory)  # as a reviewer pastes it: 'peer support review' is one word
    if reviewer is not None:
        if counts.left <= 0 and counts.excluded_unscreened:
            # read as 'has screened every record', a reviewer took the blinding for over and the conflicts for
            # theirs to settle, while the server keeps both blind (``WebScreener.finished``)
            k = counts.excluded_unscreened
            return (f"{reviewer} has a decision on every record, but {k} of them "
                    f"{'was' if k == 1 else 'were'} excluded without screening when screening stopped: not screened, "
                    "so the "
                    f"screening stays blind for {'both reviewers' if reviewers <= 2 else 'every reviewer'} until they "
                    "are screened (a decision on one in "
                    f"'screener serve {directory}' counts it as screened) or the review's owner ends the blinding.")
        if counts.left <= 0:  # not sent to 'screener status': the team's figures (the conflicts) are not blind
            return f"{reviewer} has screened every record. {settle_words(directory, reviewers)}"
        return f"Next batch: screener next {directory} --reviewer {shell_quote(reviewer)} -o next.csv"
    if counts.left <= 0 and counts.excluded_unscreened:
        return (f"Screening has stopped: see 'screener status {directory}' and 'screener report {directory}' for the "
                "recall estimated at the stop, which is the one to report.")
    if counts.left <= 0:
        return f"Every record has been screened: see 'screener status {directory}' and 'screener report {directory}'."
    return f"Next batch: screener next {directory} -o next.csv"


def count_decisions(decisions, n_studies: int, excluded_unscreened: int = 0) -> Counts:
    """The one count: ``decisions`` is each screened study's current decision (include /
    exclude / maybe; a Series, dict or list), ``n_studies`` all studies in the review,
    ``excluded_unscreened`` the records left at the stop and excluded there unread (not in ``decisions``)."""
    if isinstance(decisions, dict):
        decisions = list(decisions.values())
    d = pd.Series(decisions, dtype=object)
    return Counts(records=int(n_studies), screened=int(len(d)), included=int((d == "include").sum()),
                  maybe=int((d == "maybe").sum()), excluded=int((d == "exclude").sum()),
                  excluded_unscreened=int(excluded_unscreened))


def _excluded_at_stop(cur: pd.DataFrame) -> np.ndarray:
    """Which current decisions are the rest excluded unread at the stop (``store.base.REST_EXCLUDED``):
    no screening, so neither counted as screened nor read by the recall estimates, which give the
    review as it stood at the stop (read as screened, it said recall 100%, nothing left to find)."""
    from .store.base import rest_excluded

    if "origin" not in cur.columns:
        return np.zeros(len(cur), dtype=bool)
    return rest_excluded(cur["origin"])


def _decided_since_the_stop(project, cur: pd.DataFrame, rest: np.ndarray) -> np.ndarray:
    """Which current decisions are on studies of the rest excluded unread at the stop that were read since
    and given a decision of their own (a record of the rest labelled 'include' later), while the rest of
    it is still excluded unscreened. They count as screened and found, but they were not screened at the
    stop: read into the reading at the stop, an include found there after it came after the run of
    excludes the stop rested on, and "the stopping rule said you could stop" turned into "screening
    stopped before the stopping rule was met". Once none of the rest is left excluded, the screening
    went on past the stop and is read as it is."""
    from .store.base import rest_excluded

    if not rest.any():
        return np.zeros(len(cur), dtype=bool)
    log = project._study_log("title_abstract")
    log = log[rest_excluded(log["origin"])]
    # decided after it was excluded at the stop: a copy screened before the stop and merged since with a
    # record of the rest is no record read after the stop
    at = log.groupby("group_record_id")["decision_id"].min().reindex(cur.index).to_numpy(dtype=float)
    return (cur["decision_id"].to_numpy(dtype=float) > at) & ~rest


def _drawn_after_the_stop(project, cur: pd.DataFrame, rest: np.ndarray) -> bool:
    """Whether a random-sample draw was made after the rest was excluded unread at the stop. Such a draw came
    from the records 'screener next' could still give (a search update's), never from the rest, which the
    reading counts as unscreened: read as a uniform sample of every unscreened record, 98 of a 100-record
    update with no include certified "at least 95% recall ... you can stop" (QBCB, recall 100%) with 40
    records excluded unread, 5 includes among them. A draw is known to be earlier when no more studies had
    a decision at it than before the rest's exclude (undated draws are not known to be), and none of its
    records was first decided after that exclude: in dual screening a draw counts the team's studies, with
    20 conflicts open fewer than the studies with a decision, and a draw from a search update read as made
    before the stop certified "at least 95% recall ... you could stop" with 4 of 30 includes in the rest.
    The rest's excludes undone since do not make such a draw a sample of them: read so, a draw of 300 from
    a 300-record update certified "you can stop" with the 10 records of the rest (3 includes) unscreened."""
    if "sample_drawn_at" not in cur.columns or not cur["sampled"].astype(bool).any():
        return False
    from .store.base import rest_excluded

    log = project.store.decisions_frame()
    if not rest_excluded(log["origin"]).any():
        return False
    first = log["decision_id"][rest_excluded(log["origin"])].min()
    made = log[(log["decision"] != "retract") & (log["decision_id"] < first)]
    before = int(made["record_id"].nunique())  # at least the studies with a decision when the rest was excluded
    at = pd.to_numeric(cur["sample_drawn_at"], errors="coerce")
    drawn = cur["sampled"].astype(bool).to_numpy() & ~rest
    full = project._study_log("title_abstract")  # each draw's records by their first decision as the sample's
    study = full[full["sampled"].astype(bool) & (full["decision"] != "retract") & ~rest_excluded(full["origin"])]
    decided = study.groupby("group_record_id")["decision_id"].min().reindex(cur.index[drawn])
    late = at[drawn].isna().to_numpy() | (at[drawn] > before).to_numpy() | (decided > first).to_numpy()
    if not late.any() or rest.any():
        return bool(late.any())
    cleared = _counts_with_the_rest_undone(full, first)
    for a, d in zip(at[drawn].to_numpy()[late], decided.to_numpy()[late]):
        if np.isnan(a) or not any(n == a and i < (d if d == d else np.inf) for i, n in cleared):
            return True
    return False


def _counts_with_the_rest_undone(log: pd.DataFrame, first: int) -> list[tuple[int, int]]:
    """(decision id, studies with a decision standing) at each point from the rest's exclude on (``first``) where
    none of its excludes stood any more: a draw dated with such a count, before its records were screened, may
    have been made there, from every unscreened record with the rest among them. Excluded at a stop and undone
    at once, a sample of 300 of the 310 records left then never certified ('drawn after the rest was excluded
    unscreened') though the rest was in it. Studies are counted as single screening counts them (any decision
    standing); a dual team's count is not this one, and its draws stay read as after the stop."""
    from .store.base import rest_excluded

    log = log.sort_values("decision_id")
    standing: dict[tuple, bool] = {}  # (study, reviewer, role) -> its standing decision is the rest's exclude
    per_study: dict[int, int] = {}
    n_rest = 0
    out = []
    rest = rest_excluded(log["origin"])
    for (study, who, role, decision, did), is_rest in zip(
            log[["group_record_id", "reviewer", "role", "decision", "decision_id"]].itertuples(index=False), rest):
        key = (int(study), who, role)
        was = standing.pop(key, None)
        if was is not None:
            per_study[key[0]] -= 1
            if not per_study[key[0]]:
                del per_study[key[0]]
            n_rest -= was
        if decision != "retract":
            standing[key] = bool(is_rest)
            per_study[key[0]] = per_study.get(key[0], 0) + 1
            n_rest += bool(is_rest)
        if did >= first and not n_rest:
            out.append((int(did), len(per_study)))
    return out


def _drawn_but_unread_at_the_stop(cur: pd.DataFrame, unread: np.ndarray) -> np.ndarray | None:
    """Ids of studies drawn into the random sample and never screened before the stop (excluded unread
    with the rest: ``unread``), or None. Left blank in their batch they held the stop ('not screened yet');
    excluded with the rest, the sample was read without them: 337 of 340 draws screened, no include among
    them, certified "at least 95% recall ... the stopping rule said you could stop" with 3 includes among
    the 3 draws left unread (recall 73%)."""
    drawn = unread & cur["sampled"].astype(bool).to_numpy()
    return np.asarray(cur.index[drawn], dtype=np.int64) if drawn.any() else None


def _unread_draws_words(ids: np.ndarray) -> str:
    k = len(ids)
    ids = np.sort(ids)
    shown = ", ".join(map(str, ids[:10])) + (f" and {k - 10} more" if k > 10 else "")
    return (f"{k} record{'' if k == 1 else 's'} drawn into the random sample for the recall check "
            f"{'was' if k == 1 else 'were'} excluded without screening at the stop ({shown}): the sample speaks for "
            "the "
            "records left only when every record drawn is screened, so it certifies no recall")


def _no_certificate_from_the_update(e, hist, target: float, said: str | None = None):
    """QBCB's reading once a draw was made after the rest was excluded unread (``_drawn_after_the_stop``):
    the includes it found still bound those left from below (its word against a stop stands), but it
    certifies nothing of the rest, so no stop and no upper bound rest on it. A count of the records left
    too small to hold the includes the target allows missing still settles it. ``said``: another reason the
    sample certifies nothing (records it drew excluded unread: ``_drawn_but_unread_at_the_stop``)."""
    from dataclasses import replace

    from .stopping.base import allowed_missed

    if allowed_missed(hist.includes_found, target) >= hist.n_remaining:
        return e
    nan = float("nan")
    said = said or ("the random sample was drawn after the rest was excluded without screening at the stop, from the "
                    "records left to screen only: it says nothing of the records excluded without screening, so it "
                    "certifies no recall")
    return replace(e, stop=False, remaining=nan, remaining_high=nan, recall=nan, recall_low=nan, sample_needs=None,
                   note=said)


def _sample_words_after_the_stop(e, n_rest: int, n_left: int, by_one: int = 0, reviewers: int = 2):
    """QBCB's note once the rest was excluded unread at the stop: its "a random sample of about 238 of the 250
    records left ... would certify 95% recall" counted the rest among the records left, with none left to screen
    (or 350 'left' beside the 100 of a search update), and a draw made now, from the records left to screen only,
    certifies no recall (``_drawn_after_the_stop``). ``by_one`` (dual screening): of the ``n_left``, those one
    reviewer has screened, named as 'status' names them ('the 1 record left to screen' stood beside its '1 screened
    by only one of the two reviewers so far')."""
    import re
    from dataclasses import replace

    if not e.note:
        return e
    k = f"{n_rest} record{'' if n_rest == 1 else 's'}"
    by_one = min(by_one, max(n_left, 0))
    said = (f"no random sample can be drawn now: the {k} not screened {'was' if n_rest == 1 else 'were'} excluded "
            "without screening at the stop, and 'screener next' gives none of them" if n_left <= 0 else
            f"a random sample drawn now comes from "
            f"{and_list(waiting_parts(n_left - by_one, by_one, reviewers=reviewers, records=True), the=True)} only, "
            f"not from the {k} excluded without screening at the stop, so it would certify no recall")
    note = re.sub(r"a (?:further )?random sample of about \d+ of the \d+ records left, if it holds no include, "
                  r"would certify \S+ recall", said, e.note)
    note = re.sub(r"no random sample of what is left could certify \S+ recall(?: \([^)]*\))?", said, note)
    return e if note == e.note else replace(e, note=note)


def _sample_words_with_conflicts(e, n_left: int, conflicts: int, by_one: int = 0, reviewers: int = 2):
    """QBCB's note in dual screening with conflicts open: its "a random sample of about 137 of the 144 records
    left" counted the conflicts among the records left, where status says '140 left to screen and 4 conflicts
    waiting to be settled'. The figures are the estimate's (it counts the conflicts as not screened); the words
    say what they count. ``by_one``: the records one reviewer has screened, named apart as status names them
    ('(140 left to screen and 4 conflicts ...)' stood beside its '139 left to screen, 1 screened by only one ...')."""
    import re
    from dataclasses import replace

    conflicts = min(conflicts, n_left)
    by_one = min(by_one, n_left - conflicts)
    if not e.note or not (conflicts or by_one):
        return e
    parts = waiting_parts(n_left - conflicts - by_one, by_one, conflicts, reviewers)
    none = [] if n_left > conflicts else ["none left to screen"]  # as ``Counts.describe`` says it
    said = f"of the {n_left} records not screened yet ({and_list(none + parts)})"
    note = re.sub(rf"of the {n_left} records left\b", said, e.note)
    return e if note == e.note else replace(e, note=note)


def _current(project, reviewer: str | None = None) -> tuple[pd.DataFrame, int, np.ndarray]:
    """(current decisions on screened studies, number of studies, ids of grouped duplicates).

    Counted in the store and told apart by the duplicates (a few thousand), not by reading the
    ids of every study: that alone takes seconds in a 500,000-record review."""
    duplicates = project.store.duplicate_ids()
    cur = project.current_decisions(reviewer=reviewer)
    return cur[~cur.index.isin(duplicates)], project.store.n_primary_records(), duplicates


def screening_counts(project, reviewer: str | None = None) -> Counts:
    """Counts of the project's current decisions (a reviewer's own with ``reviewer``)."""
    cur, n_studies, _ = _current(project, reviewer)
    rest = _excluded_at_stop(cur)
    return count_decisions(cur["decision"][~rest], n_studies, int(rest.sum()))


def screening_history(project):
    """The decision log as the recall estimators see it (``screener.stopping.ScreeningHistory``).

    A 'maybe' counts as found: it goes on to full-text screening, so it is not missed. Each run
    of decisions made from one ranking is read in that ranking's order (``in_rank_order``). The
    scores of the unscreened records come from the last stored ranking when it still covers
    exactly the unscreened records (otherwise the score-based estimate has none to use).
    """
    with project.store.snapshot():  # one state of the review (``recall_status``)
        cur, n_studies, duplicates = _current(project)
        rest = _excluded_at_stop(cur)
        cur = cur[~(rest | _decided_since_the_stop(project, cur, rest))]  # the review at the stop
        cur, _ = in_rank_order(cur, ranking_provenance(project, cur, duplicates))
        return _history_from(project, cur, n_studies, duplicates)


def _history_from(project, cur: pd.DataFrame, n_studies: int, duplicates: np.ndarray,
                  drop: np.ndarray | None = None, leave_out: np.ndarray | None = None,
                  only: np.ndarray | None = None):
    """``drop``: rows of ``cur`` to leave out, as if those studies were not in the review (the
    decisions not made from a ranking: see ``ranking_provenance``). ``leave_out``: unscreened
    studies to leave out the same way (those no ranking screened from has held); ``only``: the
    unscreened studies to keep, all others left out (one later import's records)."""
    from .stopping import ScreeningHistory

    if leave_out is not None and len(leave_out):
        n_studies -= len(leave_out)
        duplicates = np.concatenate([np.asarray(duplicates, dtype=np.int64), np.asarray(leave_out, dtype=np.int64)])

    labels = (cur["decision"] != "exclude").astype(int).to_numpy()
    maybe = (cur["decision"] == "maybe").to_numpy()
    sampled = cur["sampled"].astype(bool).to_numpy()
    probs = cur["sample_prob"].astype(float).to_numpy()
    drawn = None
    if sampled.any() and cur.loc[sampled, "sample_drawn_at"].notna().all():
        # when each draw was made, never later than the study's own place in the order (an undo
        # of an earlier study can move it forward), and one place for all of a draw's records: a
        # record of it placed earlier (a study first decided before the draw, by the other reviewer
        # in dual screening or before an undo, or a copy grouped since with a study screened then)
        # read as a draw of its own, of one record from a pool of four, and the bound on the
        # includes left fell from 177 to 3
        pos = np.arange(len(cur))
        at = cur["sample_drawn_at"].fillna(-1).to_numpy(dtype=float)
        first = pd.Series(np.minimum(at, pos)[sampled]).groupby(at[sampled]).transform("min").to_numpy()
        drawn = np.full(len(cur), -1, dtype=np.int64)
        drawn[sampled] = first.astype(np.int64)
    if drop is not None and drop.any():
        keep = ~drop
        if drawn is not None:  # screened-before counts without the dropped studies
            before = np.concatenate(([0], np.cumsum(drop)))
            drawn = np.where(sampled, drawn - before[np.clip(drawn, 0, len(cur))], -1)[keep]
        labels, sampled, probs, maybe = labels[keep], sampled[keep], probs[keep], maybe[keep]
        n_studies -= int(drop.sum())
        cur = cur[keep]
    if only is not None:
        n_studies = len(cur) + len(only)
    remaining = None
    items = project.store.latest_ranking_scores()
    if items is not None:
        items = items[~items["record_id"].isin(cur.index) & ~items["record_id"].isin(duplicates)]
        if only is not None:
            items = items[items["record_id"].isin(only)]
        if len(items) == n_studies - len(cur) and len(items):
            remaining = items["score"].to_numpy(dtype=float)
    return ScreeningHistory(labels=labels, n_total=n_studies, sampled=sampled,
                            sample_probs=probs if sampled.any() else None, sample_drawn_at=drawn,
                            remaining_scores=remaining, maybe=maybe)


@dataclass(frozen=True)
class Provenance:
    """Where the screening so far came from, as the recall estimators need to know it.

    ``unranked``: per row of the current decisions, a decision not made from a ranking that
    held the study (made before any ranking was stored, e.g. imported with the records or read
    in with ``label`` from another tool; or on a record imported since the ranking). Such
    decisions count as screened and found, but say nothing about where includes sit in a
    ranking. ``skipped``: unscreened studies that a ranking the team screened from put before a
    record screened from it. ``new``: unscreened studies not in the ranking screened from last."""

    unranked: np.ndarray
    skipped: np.ndarray
    new: np.ndarray
    later: np.ndarray = None  # type: ignore[assignment]
    later_from: np.ndarray = None  # type: ignore[assignment]
    in_force: np.ndarray = None  # type: ignore[assignment]
    placed: np.ndarray = None  # type: ignore[assignment]
    why: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self):
        # ``later``: studies (screened or not) that a ranking screened from held first after the
        # first one did (a later import); ``later_from``: the ranking that first held each;
        # ``in_force``: per row of the decisions, the ranking in force at the study's first (-1: none);
        # ``placed``: per row, the study's place in that ranking (-1: not in it, or not read)
        # ``why``: per row, why a decision in ``unranked`` is not the ranking's (a key of ``NOT_RANKED``)
        for name in ("later", "later_from", "in_force", "placed"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.array([], dtype=np.int64))
        if self.why is None or len(self.why) != len(self.unranked):
            object.__setattr__(self, "why", np.where(self.unranked, "other", "").astype(object))


def _in_force_at_first_decision(project, ids: np.ndarray, origins: list | None = None,
                                 firsts: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(when each study was first decided, the id of the ranking in force then: the newest stored
    before it, -1 for none). ``origins`` gets where each first decision came from ('import',
    'label-file:NAME', 'web' ...); ``firsts`` gets the log ("log"), and who made each first decision
    ("reviewer") and its place in the log ("decision_id")."""
    log = project._study_log("title_abstract")
    made = log[log["decision"] != "retract"].sort_values("decision_id")
    first = made.groupby("group_record_id").first()
    t = first["created_at"].reindex(ids).fillna("").astype(str).to_numpy()
    if origins is not None:
        origins.extend(first["origin"].reindex(ids).fillna("").astype(str))
    if firsts is not None:
        logged = first["ranking_id"] if "ranking_id" in first else pd.Series(np.nan, index=first.index)
        firsts.update(log=log, reviewer=first["reviewer"].reindex(ids).fillna("").astype(str).to_numpy(),
                      decision_id=first["decision_id"].reindex(ids).fillna(-1).to_numpy(dtype=np.int64),
                      ranking_id=pd.to_numeric(logged, errors="coerce").reindex(ids).to_numpy(dtype=float))
    rankings = project.store.rankings_frame().sort_values("created_at", kind="stable")  # by time, as decisions
    if rankings.empty:
        return t, np.full(len(ids), -1, dtype=np.int64)
    k = np.searchsorted(rankings["created_at"].to_numpy(dtype=str), t, side="right") - 1
    return t, np.where(k >= 0, rankings["ranking_id"].to_numpy(dtype=np.int64)[np.maximum(k, 0)], -1)


def _shown_from(project, newest: np.ndarray, logged: np.ndarray) -> np.ndarray:
    """Per study, the ranking its first decision is read against: the one logged with it (the ranking the
    screening page, 'next' or the terminal showed the record from) where that was stored by then, else the newest
    stored before it (``newest``; -1 for none). On a team server the other processes store rankings between a
    record's showing and its decision: read against the newest, a reviewer screening her page in order read as
    picking far below its top, and the records that ranking put above hers as passed over."""
    known = project.store.rankings_frame()["ranking_id"].to_numpy(dtype=np.int64)
    ok = np.isfinite(logged) & (newest >= 0)
    ids = np.where(ok, logged, -1).astype(np.int64)
    ok &= np.isin(ids, known) & (ids <= newest)  # ranking ids grow with time: none stored after the decision
    return np.where(ok, ids, newest)


def _study_orders(project):
    """A function giving a stored ranking's order as today's studies: a record grouped since
    under another copy (a more complete copy imported later is the study's record now) stands
    for its study, at the study's first place."""
    prim = project.store.primary_map()

    def read(rid) -> np.ndarray:
        return np.asarray(project.store.ranking_order(int(rid)), dtype=np.int64)

    if not len(prim):
        return read
    top = int(max(prim.index.max(), prim.max())) + 1
    lookup = np.full(top, -1, dtype=np.int64)
    lookup[prim.index.to_numpy(dtype=np.int64)] = prim.to_numpy(dtype=np.int64)

    def order(rid) -> np.ndarray:
        o = read(rid)
        m = np.where(o < top, lookup[np.minimum(o, top - 1)], -1)
        if not (m >= 0).any():
            return o
        o = np.where(m >= 0, m, o)
        _, first = np.unique(o, return_index=True)
        return o[np.sort(first)]

    return order


def _positions(order: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each id's place in ``order``, -1 where it is not there."""
    pos = np.full(int(max(order.max(initial=0), ids.max(initial=0))) + 1, -1, dtype=np.int64)
    pos[order] = np.arange(len(order))
    return pos[ids]


def _own_decisions_standing(log: pd.DataFrame) -> pd.DataFrame:
    """Dual screening: each reviewer's screening decisions as spans of the log (study, reviewer,
    from, until: the decision ids between which the decision stood; an undo or the reviewer's
    next decision on the study ends it). While it stands the study is out of that reviewer's
    queue (``ScreeningSession.ranking``), whatever the other reviewer did."""
    mine = log[log["role"] == "reviewer"].sort_values("decision_id", kind="stable")
    nxt = mine.groupby(["group_record_id", "reviewer"])["decision_id"].shift(-1).to_numpy(dtype=float)
    until = np.full(len(nxt), np.iinfo(np.int64).max, dtype=np.int64)  # none since: it stands
    until[~np.isnan(nxt)] = nxt[~np.isnan(nxt)].astype(np.int64)
    keep = (mine["decision"] != "retract").to_numpy()
    return pd.DataFrame({"study": mine["group_record_id"].to_numpy(dtype=np.int64)[keep],
                         "reviewer": mine["reviewer"].astype(str).to_numpy()[keep],
                         "since": mine["decision_id"].to_numpy(dtype=np.int64)[keep], "until": until[keep]})


def _own_above(spans: pd.DataFrame, order: np.ndarray, at_all: np.ndarray, counted: np.ndarray,
               reviewer: np.ndarray, decided_at: np.ndarray) -> np.ndarray:
    """Per pick, the studies a ranking put above it that its reviewer had decided already (their
    own decision standing when they made the pick) and that ``counted`` (decided from the ranking)
    leaves out. Dual screening: a reviewer's queue holds every study they have not decided, so
    these were never in it to pass over, though the team ranking keeps them until both agree."""
    out = np.zeros(len(at_all), dtype=np.int64)
    picks = (at_all >= 0) & (decided_at >= 0)
    if not picks.any():
        return out
    spans = spans[~spans["study"].isin(counted) & (spans["since"] < decided_at[picks].max())]
    if spans.empty:
        return out
    pos = _positions(order, spans["study"].to_numpy(dtype=np.int64))
    spans = spans[pos >= 0].assign(pos=pos[pos >= 0])
    for who, own in spans.groupby("reviewer"):
        since, until, at = (own[c].to_numpy(dtype=np.int64) for c in ("since", "until", "pos"))
        for j in np.flatnonzero((reviewer == who) & picks):
            out[j] = int(((since < decided_at[j]) & (until > decided_at[j]) & (at < at_all[j])).sum())
    return out


def ranking_provenance(project, cur: pd.DataFrame, duplicates: np.ndarray) -> Provenance:
    """Each study's first decision is matched to the ranking in force when it was made (the
    newest stored before it). Random-sample decisions are the sample's, never the ranking's."""
    none = np.array([], dtype=np.int64)
    if not len(cur):
        return Provenance(np.zeros(0, dtype=bool), none, none)
    screened = np.asarray(cur.index, dtype=np.int64)
    origins: list[str] = []
    firsts: dict = {}
    t, newest = _in_force_at_first_decision(project, screened, origins, firsts)
    which = _shown_from(project, newest, firsts["ranking_id"])
    ranked_pick = ~cur["sampled"].astype(bool).to_numpy()
    unranked = ranked_pick & (which < 0)
    placed = np.full(len(cur), -1, dtype=np.int64)
    # why each decision not made from a ranking is not (``NOT_RANKED``): the note names only those
    origin = np.asarray(origins, dtype=object)
    why = np.full(len(cur), "", dtype=object)
    why[unranked] = np.where(origin[unranked] == "import", "import", np.where(
        np.char.startswith(origin[unranked].astype(str), "label-file:"), "label", "before"))
    if (which < 0).all():
        return Provenance(unranked, none, none, in_force=which, placed=placed, why=why)
    studies = np.asarray(project.store.primary_record_ids(), dtype=np.int64)
    unscreened = studies[~np.isin(studies, screened) & ~np.isin(studies, np.asarray(duplicates, dtype=np.int64))]
    top = int(max(studies.max(initial=0), screened.max(initial=0))) + 1
    waiting = np.zeros(top, dtype=bool)
    waiting[unscreened] = True
    skipped: list[np.ndarray] = []
    study_order = _study_orders(project)
    held = np.zeros(top, dtype=bool)  # studies held by a ranking screened from, in time order
    later: list[np.ndarray] = []
    later_from: list[np.ndarray] = []
    first = None  # the first ranking screened from
    # queues ordered by the model's uncertainty, or at random, mid-review (the query setting): no
    # ranking's best first, so what was screened from them says nothing of what such a ranking left
    # (read as one, a queue by uncertainty gave "you can stop, recall 100% (94-100%)" at a true 66%)
    not_by_likelihood = project.store.rankings_with("strategy", ["uncertainty", "random"])
    # nor is the random order a review without protocol text starts in, until its first include:
    # read as a ranking's best once a model ranked after it, 28 includes in 50 random records gave
    # "recall 64% (39-100%)" at a true 20% (while every decision is from it, see ``_random_start``).
    # Its records passed over are still held: a random sample missing its blank rows is no sample
    random_start = project.store.rankings_with("phase", ["random"])
    # records a ranking held but not as the likeliest includes left: the known relevant ones the
    # protocol names, put first because the team named them (read as the ranking's top, four named
    # includes and a run of excludes gave "you can stop, recall 100% (80-100%)" at an 80% target with
    # 4 of 8 includes left), and the "mixed" query's uncertain and random picks (read as its best,
    # "you can stop" at 39 of 44 includes). They count as screened and found, but are no evidence of
    # what it left; a "mixed" queue stored before its picks were is none at all
    mixed = project.store.rankings_with("strategy", ["mixed"])
    known: dict[int, np.ndarray] = {}  # per ranking, the studies of those set apart the protocol named
    set_apart = _set_apart(project, np.unique(which[ranked_pick & (which >= 0)]), mixed, known)
    # dual screening: the team ranking keeps a study one reviewer has decided until both agree, and
    # that reviewer's queue leaves it out; counted as passed over above each of their later picks,
    # 64 of a reviewer's 114 decisions read as "picked far below the top" and the estimate rested on
    # 11 includes (the stop came late). Records really left unscreened above a pick still count
    own_spans = _own_decisions_standing(firsts["log"]) if project.settings.get("mode") == "dual" else None
    for rid in np.unique(which[ranked_pick & (which >= 0)]):  # ranking ids grow with time
        order = study_order(rid)
        inside_top = order[order < top]
        if first is not None:
            fresh = np.unique(inside_top[~held[inside_top]])
            if len(fresh):
                later.append(fresh)
                later_from.append(np.full(len(fresh), int(rid), dtype=np.int64))
        held[inside_top] = True
        first = int(rid) if first is None else first
        under = np.flatnonzero(which == rid)  # every decision made while it was in force, samples too
        apart = set_apart.get(int(rid))
        if int(rid) in not_by_likelihood or apart is None:
            unranked[under[ranked_pick[under]]] = True
            why[under[ranked_pick[under]]] = "query" if int(rid) in not_by_likelihood else "mixed"
            continue
        at_all = _positions(order, screened[under])
        placed[under] = at_all
        # A decision below records this ranking put first that were not screened while it was in
        # force (more than a tenth of them, and over 10: a record picked from the records list, a
        # keyword list excluded in one go) was not screening the ranking's top: it is read as not
        # made from the ranking, and holds nothing back. Screening the ranking's top, a reviewer
        # passes over few (a batch's blank rows, a batch screened from its bottom, or in two
        # halves by two people): those are held for. The batch's own random-sample rows count
        # as screened, wherever they sit.
        inside = np.sort(at_all[at_all >= 0])
        before_it = np.searchsorted(inside, at_all, side="left")  # decided under it, placed above
        passed = at_all - before_it
        gap = np.full(len(at_all), int(inside[0]) if len(inside) else 0, dtype=np.int64)  # above the first decided
        at_queue = at_all  # the place in the queue the pick was made from
        if own_spans is not None:
            mine = (own_spans, order)
            who, when = firsts["reviewer"][under], firsts["decision_id"][under]
            own = _own_above(*mine, at_all, screened[under], who, when)
            passed, at_queue = passed - own, at_all - own
            # and read in her queue, as single screening reads a ranking made after its decisions: her own
            # left in the place counted from (140 of them let 15 of her queue passed over read as few, 0.1
            # of 164), or in the rows above her first decision (``block``: taken off twice, her 10 forgave 20
            # passed over), 80 records picked from the records list read as the ranking's top, far before
            gap = gap - _own_above(*mine, np.where(at_all >= 0, gap, -1), screened[under], who, when)
        far = (at_all >= 0) & (passed > np.maximum(10, 0.1 * at_queue))
        # Rows left blank at the top of a batch (more than 10 of them) made every decision below
        # them read as far, so the more rows left blank there, the less was held: with 11 of a
        # batch of 100 left blank, the stop came with them unscreened, at the ranking's very top.
        # Counted from the first decided record, a decision with more decided from there down to it
        # than records passed over above them, and few passed over among them, is the batch's. A few
        # records picked from a list far down, or a block the ranking put last excluded in one go
        # (outnumbered by the records above it), still hold nothing back.
        block = (before_it + 1 > gap) & (passed - gap <= np.maximum(10, 0.1 * (at_queue - gap)))
        far &= ~block
        pick = ranked_pick[under]
        aside = np.isin(screened[under], apart)
        unranked[under[pick & ((at_all < 0) | far | aside)]] = True
        named = np.isin(screened[under], known.get(int(rid), none))
        cause = np.where(aside, np.where(named, "known", "mixed"),
                         np.where(at_all < 0, "not_placed", np.where(far, "far", "")))
        if int(rid) in random_start:
            unranked[under[pick]] = True
            # a pick far below the top of the random order (a keyword list excluded in one go, records
            # picked from the records list) is the reviewer's choice, no part of the random sample
            cause = np.where(aside & named, "known", np.where(far | (at_all < 0), cause, "random"))
        why[under[pick]] = cause[pick]
        reached = int(at_all[pick & (at_all >= 0) & ~far & ~aside].max(initial=-1))
        if reached > 0:  # records this ranking put before one screened from it, still unscreened
            before = order[:reached]
            before = before[before < top]
            skipped.append(before[waiting[before]])
    new = none
    picks = np.flatnonzero(ranked_pick)
    if len(picks):
        last = picks[np.argmax(t[picks])]
        if which[last] >= 0:  # the newest ranking then, not an older one the last record was shown from
            latest = study_order(newest[last])
            new = unscreened[~np.isin(unscreened, latest)]
            # dual screening: a study one reviewer has decided, or the two disagree on, is out of
            # that reviewer's queue on purpose (the stop waits for it for its own reason); not one read by no one,
            # excluded unread at a reviewer's stop (``dual_waiting``): that is still to screen
            pending = dual_waiting(project)
            if pending is not None and len(new):
                new = new[~np.isin(new, np.concatenate(pending))]
    later_ids = np.concatenate(later) if later else none
    later_rid = np.concatenate(later_from) if later else none
    if len(later_ids):  # only records imported after the first ranking screened from
        imported = _imported_since(project, later_ids, first)
        later_ids, later_rid = later_ids[imported], later_rid[imported]
    why[~unranked] = ""
    return Provenance(unranked, np.unique(np.concatenate(skipped)) if skipped else none, new, later_ids, later_rid,
                      which, placed, why)


def _set_apart(project, ranking_ids, mixed: dict, known: dict | None = None) -> dict[int, np.ndarray | None]:
    """Per ranking, the studies it held that were not there as the likeliest includes left (the
    known relevant records put first, the "mixed" query's uncertain and random picks), as today's
    studies; None for a "mixed" queue stored without its picks (which they were is not known).
    ``known`` gets, per ranking, those of them the protocol named as known relevant."""
    stored = project.store.ranking_settings(ranking_ids) if len(ranking_ids) else {}
    prim = project.store.primary_map()
    out: dict[int, np.ndarray | None] = {}
    for rid in ranking_ids:
        settings = stored.get(int(rid), {})
        off = settings.get("off_likelihood")
        if int(rid) in mixed and off is None:
            out[int(rid)] = None
            continue
        named = len(settings.get("known_first", []))
        ids = np.asarray([*settings.get("known_first", []), *(off or [])], dtype=np.int64)
        if len(ids) and len(prim):  # a record grouped since under another copy stands for its study
            to = prim.reindex(ids).to_numpy(dtype=float)
            ids = np.where(np.isnan(to), ids, to).astype(np.int64)
        out[int(rid)] = ids
        if known is not None:
            known[int(rid)] = ids[:named]
    return out


def in_rank_order(cur: pd.DataFrame, prov: Provenance) -> tuple[pd.DataFrame, Provenance]:
    """The decisions with each run made from one ranking put in that ranking's order.

    The estimators read the decisions as the screening of a ranking from its top. A batch is the
    ranking's top however its records are decided: includes decided first, one at a time on the
    screening page or through the API, read as a ranking that put them first, and the excludes
    after them as a run of excludes at the end (an early interval of 0-37 includes left against
    44). The random sample's rows of a run come after its ranked ones, as in a batch file; the
    decisions not made from a ranking keep their places. Nothing moves across a draw of the
    sample: a draw's pool is the records unscreened when it was made, read from the order."""
    n = len(cur)
    if n < 2 or len(prov.placed) != n or len(prov.in_force) != n:
        return cur, prov
    sampled = cur["sampled"].astype(bool).to_numpy()
    movable = (prov.placed >= 0) & ~prov.unranked & ~sampled
    if not movable.any():
        return cur, prov
    perm = np.arange(n)
    cuts = [np.flatnonzero(np.r_[True, prov.in_force[1:] != prov.in_force[:-1]])]
    if sampled.any():  # each draw's place in the order, as the recall estimators read it
        at = cur["sample_drawn_at"].to_numpy(dtype=float)
        at = np.minimum(np.where(np.isnan(at), perm, at), perm)[sampled]
        cuts.append(at.astype(np.int64))
    starts = np.unique(np.concatenate(cuts))
    starts = starts[(starts >= 0) & (starts < n)]
    for a, b in zip(starts, np.r_[starts[1:], n]):
        rows = a + np.flatnonzero(movable[a:b] | sampled[a:b])
        if len(rows) > 1:  # the ranked rows by their places, then the sample's in the order decided
            key = np.where(movable[rows], prov.placed[rows], np.iinfo(np.int64).max)
            perm[rows] = rows[np.argsort(key, kind="stable")]
    if (perm == np.arange(n)).all():
        return cur, prov
    from dataclasses import replace

    return cur.iloc[perm], replace(prov, unranked=prov.unranked[perm], in_force=prov.in_force[perm],
                                   placed=prov.placed[perm], why=prov.why[perm])


def _imported_since(project, studies: np.ndarray, ranking_id: int) -> np.ndarray:
    """Per study, whether every record of it was imported after the ranking was stored. A study a
    later ranking holds first is not always a later import's: a decision read in before any
    ranking and withdrawn, or a copy taken out of its group, puts one of the first records there."""
    rankings = project.store.rankings_frame()
    made = rankings.loc[rankings["ranking_id"] == ranking_id, "created_at"]
    if made.empty:
        return np.zeros(len(studies), dtype=bool)
    first_in = _study_arrivals(project)  # a study arrives with its first record
    return (first_in.reindex(studies).fillna("").astype(str) > str(made.iloc[0])).to_numpy()


def placed_before_decided(project, ids) -> np.ndarray:
    """Where each study stood (as a share of the ranking, 0 the top) in the ranking in force when
    it was first decided; 1.0 where no ranking held it then.

    A place no model that knew the study's decision could have given: blind dual screening puts
    the studies the others have settled there in a reviewer's queue (scored by today's model,
    trained on their agreed decisions, agreed includes came first)."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.ones(len(ids), dtype=float)
    if not len(ids):
        return out
    _, which = _in_force_at_first_decision(project, ids)
    study_order = _study_orders(project)
    for rid in np.unique(which[which >= 0]):
        order = study_order(rid)
        if len(order):
            rows = np.flatnonzero(which == rid)
            at = _positions(order, ids[rows])
            out[rows] = np.where(at >= 0, at / len(order), 1.0)
    return out


#: Why a decision is not the ranking's (``Provenance.why``), in a reviewer's words: the status note
#: names the causes this review has, not every cause there is
NOT_RANKED = {
    "import": "imported with the records",
    "label": "read in with 'screener label' before screener had ranked the records",
    "before": "made before screener had ranked the records",
    "not_placed": "on records no ranking had placed yet",
    "far": "picked far below the top of the ranking in use",
    "random": "screened in the random order a review without protocol text starts in, or one whose protocol's "
              "words no record holds",
    "known": "named in the protocol as known relevant",
    "query": "from a queue ordered by the model's uncertainty or at random, as the query setting asks",
    "mixed": "picked by the model's uncertainty or at random in a mixed queue, as the query setting asks",
    "other": "made without a ranking",
}


#: the table's rows by method, as 'status' and the report name them
_ROW_NAMES = {"score_sample": "model-based estimate", "hypergeometric": "hypergeometric test", "qbcb": "QBCB",
              "knee": "knee method", "consecutive": "consecutive excludes"}


def _rows_stop_not_the_advice(estimates: dict, recommended: str) -> str:
    """Why a row of the table says stop where the advice, with no include among the records screened from the
    rankings, says not yet (" ..." or ""): a cold start whose protocol names every include read 'yes' in the
    hypergeometric row beside 'Not yet: ... too few to estimate recall', and nothing said which to follow."""
    rows = [_ROW_NAMES.get(k, k) for k, e in estimates.items() if e.stop and k != recommended]
    if not rows:
        return ""
    said, rec = " and the ".join(rows), _ROW_NAMES.get(recommended, recommended)
    one = len(rows) == 1
    return (f" The {said} above say{'s' if one else ''} stop, on the excludes alone; the advice does not stop on "
            f"{'it' if one else 'them'}: it follows the {rec} (recommended) or a random sample's certificate, and "
            f"with no include found from the rankings the {rec} cannot read recall yet.")


def not_ranked_words(why) -> str:
    """The causes of decisions not made from a ranking, as they apply: "imported with the records",
    or "4 imported with the records, 2 named in the protocol as known relevant" for several."""
    counts = pd.Series(list(why), dtype=object).value_counts()
    present = [(key, int(counts[key])) for key in NOT_RANKED if key in counts.index]
    if len(present) == 1:
        return NOT_RANKED[present[0][0]]
    return ", ".join(f"{n} {NOT_RANKED[key]}" for key, n in present)


def off_the_ranking(project, cur: pd.DataFrame, duplicates: np.ndarray,
                    provenance: Provenance | None = None) -> str | None:
    """Why the screening so far cannot back a stop, in a reviewer's words, or None.

    Every estimator reads the screening as the top of a ranking: the excludes at its end speak
    for the records ranked below them, which the ranking passed over. They say nothing of a
    record that was not in the ranking the reviewer screened from last (imported, taken out of
    a duplicate group, or returned by an undo since), nor of one that a ranking put before
    records the reviewer screened from it (in any ranking screened from, not only the latest:
    a new ranking does not make the records passed over in an old one any less unscreened).
    Dual screening: records waiting for the second reviewer or a settled conflict hold it too (not those one
    reviewer excluded unread at her stop: read by no one, they are records not screened, as status counts them).
    """
    pending = dual_waiting(project)
    if pending is not None and (len(pending[0]) or len(pending[1])):
        # dual screening: a study one reviewer has seen, or the two disagree on, is out of that
        # reviewer's queue but not screened yet; the stop waits for it, for its own reason
        conflicts, one_reviewer = pending
        team = team_size(project)
        parts = []
        if len(conflicts):
            parts.append(f"{len(conflicts)} conflict{'' if len(conflicts) == 1 else 's'} (the reviewers' "
                         f"decisions differ) {'is' if len(conflicts) == 1 else 'are'} not settled yet")
        if len(one_reviewer):
            parts.append(f"{len(one_reviewer)} record{' has' if len(one_reviewer) == 1 else 's have'} been "
                         + by_one_words(team, so_far=False))
        todo = []
        if len(one_reviewer):
            todo.append(f"{'the' if team <= 2 else 'a'} second reviewer screen "
                        + ("it" if len(one_reviewer) == 1 else "them"))
        if len(conflicts):
            todo.append("the conflicts settled on the Conflicts page of 'screener serve'")
        agree = "both reviewers agree" if team <= 2 else \
            "every reviewer who screened it (two at least) gives it the same decision"
        return (" and ".join(parts) + f". A record counts as screened once {agree} or its conflict is "
                "settled, and the estimate cannot say stop while records wait for that: have "
                + " and ".join(todo) + ".")
    prov = ranking_provenance(project, cur, duplicates) if provenance is None else provenance
    new = len(prov.new)
    if new:
        return unranked_words(new, project.dir, project.settings.get("mode") == "dual")
    skipped = len(prov.skipped)
    if skipped:
        shown = ", ".join(map(str, prov.skipped[:10])) + (f" and {skipped - 10} more" if skipped > 10 else "")
        return (f"{skipped} record{'' if skipped == 1 else 's'} that a ranking put before records screened from "
                f"it {'is' if skipped == 1 else 'are'} still unscreened (record{'' if skipped == 1 else 's'} "
                f"{shown}): screen {'it' if skipped == 1 else 'them'} first ("
                + ("each reviewer's queue holds them in ranking order, so finish the queues"
                   if project.settings.get("mode") == "dual" else
                   f"'screener next', 'screener screen' and the screening page put {'it' if skipped == 1 else 'them'} "
                   "first")
                + "). The estimate assumes the screening follows the ranking, so it cannot say stop while the "
                "ranking's earlier records wait.")
    return None


def unranked_words(new: int, directory=None, dual: bool = False) -> str:
    """The advice's reason for no stop while ``new`` records still to screen are in no ranking the records were
    screened from ('status' says it before its table instead, and this once: ``status_cmds``). The command whole,
    for the review in ``directory``: in dual screening 'screener next' refuses to rank without --reviewer NAME."""
    from .stopping.advice import next_command

    command = next_command(directory, dual)
    return (f"{new} of the records still to screen {'is' if new == 1 else 'are'} not in the ranking the records "
            "were screened from (imported, taken out of a duplicate group, or returned by an undo since): the "
            f"records screened say nothing about them yet. Rank them with '{command}' (or on the screening "
            "page) and screen the top of the new ranking before stopping.")


def unranked_note(new: int) -> str:
    """An estimate's note on the ``new`` records no ranking the records were screened from holds."""
    return (f"not estimated for the {new} record{'' if new == 1 else 's'} not screened from a ranking "
            f"yet: {'it' if new == 1 else 'any of them'} may be an include, and the records screened say "
            f"nothing of {'it' if new == 1 else 'them'}")


def _hold_stop(advice, estimates: dict, why: str):
    """The advice and the estimates with every stop withheld for ``why``."""
    import re
    from dataclasses import replace

    reason = re.split(r"[:.;] ", why.rstrip("."))[0]

    def held(e):
        if not e.stop:
            return e
        # the random sample's own word "at least 95% recall is certified", the hypergeometric test's "; stop" and
        # the rules met of the others read as a stop beside "Not yet" (the report's and the dashboard's row)
        note, n = re.subn(r"; at least (\S+) recall is certified",
                          lambda m: f"; it would certify at least {m[1]} recall, but the stop is held: {reason}",
                          e.note)
        if not n:
            note, n = re.subn(r"; stop(?=[.;]|$)", f"; it would say stop, but the stop is held: {reason}", note)
        if not n:
            note = f"{note.rstrip()} It would say stop, but the stop is held: {reason}.".lstrip()
        return replace(e, stop=False, note=note, held=reason)

    estimates = {k: held(e) for k, e in estimates.items()}
    # the message said the hypergeometric test did not confirm the stop: it goes with it
    advice = replace(advice, stop=False, estimates=estimates, message=f"Not yet: {why}", why="", basis="",
                     unconfirmed="",
                     estimate=estimates.get(advice.recommended, advice.estimate))
    return advice, estimates


def recall_status(project, *, target_recall: float | None = None, confidence: float | None = None,
                  history=None) -> dict:
    """Records screened and left, includes found, every estimator's reading and the advice.
    ``counts`` (``Counts``) is what the front ends print and ``dual`` (``DualProgress``) the
    studies dual screening still waits on; both None when a ``history`` is given (the
    project's own, as ``screening_history`` gives it: the report's).

    Read from one state of the review (``Store.snapshot``): the decisions, the records, the
    rankings and the pending random sample are read in many queries, and a teammate's batch
    labelled between two of them (its sampled rows no longer pending, their decisions not read)
    let through a stop that the sample's unscreened rows held before and its includes vetoed after."""
    with project.store.snapshot():
        return _recall_status(project, target_recall=target_recall, confidence=confidence, history=history)


def _recall_status(project, *, target_recall: float | None, confidence: float | None, history) -> dict:
    from .stopping import recommend, run_all
    from .stopping.advice import sample_how

    settings = project.settings
    target = float(target_recall or settings.get("target_recall", 0.95))
    conf = float(confidence or settings.get("confidence", 0.95))
    cur, n_studies, duplicates = _current(project)
    rest = _excluded_at_stop(cur)
    n_rest = int(rest.sum())
    counts = count_decisions(cur["decision"][~rest], n_studies, n_rest) if history is None else None
    from .store.base import REST_EXCLUDED

    rest_files = sorted(set(cur["origin"].astype(str)[rest].str.slice(len(REST_EXCLUDED))) - {""})
    since = _decided_since_the_stop(project, cur, rest)  # read after the stop: not in the reading at the stop
    read_since = cur["decision"][since]
    n_at_stop = n_rest + int(since.sum())
    rest_ids = np.asarray(cur.index[rest | since], dtype=np.int64)
    late = _drawn_after_the_stop(project, cur, rest)
    unread = _drawn_but_unread_at_the_stop(cur, rest | since)
    cur = cur[~(rest | since)]  # the review as it stood at the stop (``_excluded_at_stop``)
    prov = ranking_provenance(project, cur, duplicates) if history is None or len(cur) == history.n_screened else None
    if prov is not None and n_rest and len(prov.new):
        from dataclasses import replace

        # the rest was held by the ranking in force at the stop; a ranking made since (of a search update)
        # no longer holds it, as it holds no record decided: read as records never ranked, the reading at
        # the stop fell from "recall 100% (89-100%), you could stop" to "unknown (3-100%)" once the update
        # was screened
        prov = replace(prov, new=prov.new[~np.isin(prov.new, rest_ids)])
    if prov is not None:
        cur, prov = in_rank_order(cur, prov)
    hist = _history_from(project, cur, n_studies, duplicates) if history is None else history
    # every decision from the random order a review without protocol text starts in: a random sample
    start = prov is not None and _random_start(project, cur, prov)
    # of those, the decisions not at the top of the random order: chosen, not drawn (``_as_random_sample``)
    off_order = np.isin(prov.why, ["far", "not_placed"]) if start and len(prov.why) == len(hist.labels) else None
    unranked = prov is not None and bool(prov.unranked.any()) and hist.n_total > 0 and not start
    # unscreened records no ranking screened from has held (a second search imported, a record
    # taken out of a duplicate group or returned by an undo): the estimators read the screening
    # as the top of a ranking they were never in, so they are left out of what is estimated and
    # added back as unknown (any of them may be an include)
    new = prov.new if prov is not None and hist.n_remaining else np.array([], dtype=np.int64)
    # records a ranking put before records screened from it, passed over and still unscreened (rows
    # of a batch left blank, the top of each batch skipped): the screening below them says nothing
    # of them, and the ranking put them first. Left out and added back as unknown, as ``new`` is
    # (read as the rest of the pool, "recall 96% (87-100%)" was shown at a true 84%, with three
    # includes passed over at the top and no word on them while no method said stop)
    passed = _passed_over(project, prov, new) if prov is not None and hist.n_remaining else new[:0]
    unknown = np.concatenate([np.asarray(new, dtype=np.int64), passed])
    # records a later import brought in: the screening read apart for each import (a run of
    # excludes in the first search's ranking says nothing of a later search's records)
    later = prov is not None and len(prov.later) > 0 and hist.n_total > 0
    # no records: no estimator has anything to say (each would report "nothing left: stop")
    if not hist.n_total:
        estimates = {}
    elif unranked or later or len(unknown):
        estimates, ranked = _estimates_from_rankings(project, cur, n_studies, duplicates, hist, prov, unknown,
                                                     target, conf)
    else:
        estimates = run_all(hist, target_recall=target, confidence=conf)
    # records taken out of a duplicate group since a draw: no draw made before could take them. The includes
    # those draws found still bound the includes left from below (``every_draw``: their word against a stop)
    taken_out = _last_taken_out(project, cur, duplicates) if "qbcb" in estimates and hist.has_sample else ""
    # ... and records a draw could not take as they were screened then, their decision withdrawn since
    undone = _last_undone_under_a_draw(project, cur, duplicates) if "qbcb" in estimates and hist.has_sample else ""
    every_draw = estimates
    if taken_out or undone:
        estimates = _qbcb_since_taken_out(project, cur, hist, estimates, taken_out, target, conf, undone=undone)
    # dual screening: a draw made while its reviewer had records read alone came from fewer records than the team had
    # left ("recall 100% (100-100%)" at a true 65%): the team's figure reads the draws from all it had left only
    apart = _drawn_outside_the_teams_records(project, cur, n_studies, since=max(taken_out, undone)) \
        if history is None and "qbcb" in estimates and hist.has_sample else None
    if apart is not None:
        estimates = _qbcb_from_the_teams_draws(project, cur, hist, estimates, apart, target, conf,
                                               since=max(taken_out, undone))
    if len(unknown):
        estimates = {k: _with_unranked(e, len(new), keep_note=k == "qbcb", n_passed=len(passed),
                                       n_left=hist.n_remaining, n_passed_rest=int(np.isin(passed, rest_ids).sum()))
                     for k, e in estimates.items()}
    elif estimates and hist.n_remaining and start:
        estimates = {k: _as_random_sample(e, hist, target, conf, off_order) for k, e in estimates.items()}
    if estimates and hist.n_remaining and not hist.includes_found:
        estimates = {k: _none_found(e) for k, e in estimates.items()}
    if late and "qbcb" in estimates:  # a draw made after the rest was excluded unread: no certificate
        estimates = dict(estimates, qbcb=_no_certificate_from_the_update(estimates["qbcb"], hist, target))
    if unread is not None and "qbcb" in estimates:  # records drawn, then excluded unread: no sample of what was left
        estimates = dict(estimates, qbcb=_no_certificate_from_the_update(estimates["qbcb"], hist, target,
                                                                          said=_unread_draws_words(unread)))
    dual = dual_progress(project) if history is None else None
    if n_rest and "qbcb" in estimates:  # a draw comes from the records left to screen: not the conflicts
        estimates = dict(estimates, qbcb=_sample_words_after_the_stop(
            estimates["qbcb"], n_rest, hist.n_remaining - n_at_stop - (dual.conflicts if dual is not None else 0),
            *((dual.one_reviewer, dual.reviewers) if dual is not None else ())))
    estimates = _sample_figure_as_qbcbs(estimates)
    # the advice reads the screening from rankings (its words on "the last N records" are about it)
    # (not with a later import or records not ranked yet: the first part may have nothing left)
    read = ranked if unranked and not later and not len(unknown) and ranked.includes_found else hist
    n_off = int(off_order.sum()) if off_order is not None and hist.n_remaining and not len(unknown) else 0
    if n_off:  # the advice's words on the random order speak of the records drawn from it
        read = _history_from(project, cur, n_studies, duplicates, drop=off_order)
    # the words on how to get the random sample count every include found, as 'next' does
    # ... and to the target 'next' works to (the project's), which this reading may not be at
    next_target = float(settings.get("target_recall", 0.95))
    # after the rest was excluded at the stop, the records left to screen are those that came in since (a search
    # update): the advice counted the rest among them ("a random sample of about 286 of the records left", 50 left)
    n_left = hist.n_remaining - n_at_stop if n_rest and hist.n_remaining > n_at_stop else None
    # the history reads a maybe as found (1): its words on the last record name a maybe as one, read off the
    # decisions where the history is all of them in its order (not the part screened from rankings)
    last_maybe = read is hist and len(cur) == hist.n_screened > 0 and cur["decision"].iloc[-1] == "maybe"
    advice = recommend(read, estimates, target_recall=target, confidence=conf, sample_found=hist.includes_found,
                       next_target=next_target, random_order=bool(start and hist.n_remaining and not len(unknown)),
                       n_left=n_left, last_maybe=bool(last_maybe), ranked_part=read is not hist,
                       off_ranking=bool(unranked) and read is hist,
                       begun=dual is not None and bool(dual.conflicts or dual.one_reviewer))
    if hist.n_remaining and (len(unknown) or any(e.stop for e in estimates.values())):
        why = (off_the_ranking(project, cur, duplicates, prov) or _sample_not_screened(project, cur)
               or (None if unread is None else _unread_draws_words(unread) + ".")
               or _sample_says_no(estimates, hist, target, conf)
               or (_sample_says_no(every_draw, hist, target, conf) if every_draw is not estimates else None)
               or _draws_before_last_import_say_no(project, cur, n_studies, duplicates, prov, hist, target, conf))
        if why:
            advice, estimates = _hold_stop(advice, estimates, why)
    if n_off:
        from dataclasses import replace

        words = _off_order_words(n_off, hist.includes_found - read.includes_found,
                                 hist.maybes_found - read.maybes_found)
        advice = replace(advice, message=f"{advice.message} ({words}.)")
    if unranked and hist.n_remaining:
        from dataclasses import replace

        k = int(prov.unranked.sum())
        note = (f"{k} of the {hist.n_screened} decisions {'was' if k == 1 else 'were'} not made from screener's "
                f"ranking ({not_ranked_words(prov.why[prov.unranked])}). They count as screened and found, but they "
                "say nothing about where the includes left are, so the estimate rests on the records screened from "
                "screener's rankings")
        if any(e.found_off_ranking for e in estimates.values()):
            off = _found_off_the_top(prov, cur, prov.unranked)
            kinds = set(cur["decision"].to_numpy()[off])
            found = "includes and maybes" if len(kinds) > 1 else "maybes" if kinds == {"maybe"} else "includes"
            note += (f"; but the {found} found among them ({not_ranked_words(prov.why[off])}) hold its stop back: "
                     "read where they were found, the ranking had left them behind")
        if ranked.includes_found == 0 and not advice.stop:
            from .stopping.advice import next_command

            # the whole command: 'screener next' named no review, and in dual screening refuses without --reviewer
            command = next_command(project.dir, settings.get("mode") == "dual")
            advice = replace(advice, message=(
                f"Not yet: {note}, and {ranked.n_screened} of those so far, with no include among them: too few to "
                f"estimate recall.{_rows_stop_not_the_advice(estimates, advice.recommended)} Keep screening with "
                f"'{command}' (or on the screening page)."
                + (f" A random sample of about {advice.sample_records} of the records left can also certify recall "
                   f"on its own ({sample_how(hist.includes_found, target, next_target)})."
                   if advice.sample_records and n_left is None else "")))
        else:  # a sentence of its own: in parentheses, with its own aside, they ran three deep
            advice = replace(advice, message=f"{advice.message} {note}.")
    if dual is not None and (dual.conflicts or dual.one_reviewer) and "qbcb" in estimates:
        estimates = dict(estimates, qbcb=_sample_words_with_conflicts(estimates["qbcb"], hist.n_remaining,
                                                                      dual.conflicts, dual.one_reviewer,
                                                                      dual.reviewers))
    if n_rest and hist.n_remaining > n_at_stop:
        advice = _advice_with_records_since(advice, n_at_stop, hist.n_remaining - n_at_stop, rest_files, read_since,
                                            conflicts=dual.conflicts if dual is not None else 0,
                                            **({"by_one": dual.one_reviewer, "reviewers": dual.reviewers}
                                               if dual is not None else {}))
    elif n_rest:
        advice = _advice_after_the_stop(advice, hist, n_at_stop, rest_files, target, conf, read_since)
    if advice.stop and history is None:
        advice = _stop_on_imported_excludes(project, advice, cur, hist.n_screened, settings.get("mode") == "dual")
    if history is None and dual is not None:
        advice = _with_samples_waiting(project, advice)
    if history is None:
        advice = _with_sampled_without_a_probability(project, advice)
    advice = _with_the_whole_sample_command(project, advice)
    # a team of three: a reviewer with records left the team's counts do not wait for (``still_screening``)
    still = still_screening(project, counts) if dual is not None else []
    advice = _while_still_screening(advice, still)
    return {"n_total": hist.n_total, "n_screened": hist.n_screened, "n_remaining": hist.n_remaining,
            "includes_found": hist.includes_found, "target_recall": target, "confidence": conf,
            # nothing screened: no estimate rows ('up to 50 includes left' by one method and 52 by another read as
            # two findings where no record had been read); the advice says recall cannot be estimated yet
            "estimates": estimates if hist.n_screened else {}, "advice": advice, "history": hist, "counts": counts,
            "dual": dual, "not_ranked_yet": int(len(new)),
            "still_screening": still,
            # ... of them, those whose account is disabled (``disabled_among``): they cannot sign in to screen
            "still_screening_disabled": disabled_among(project, still),
            # records of the rest read since the stop (decision by record id): counted as screened and found,
            # not in the reading at the stop (``_decided_since_the_stop``)
            "read_since_stop": read_since}


#: the model-based note's own reading of the random sample (``ScoreSampleEstimator``: Horvitz-Thompson)
_SAMPLE_ALONE = re.compile(r"; the sample alone suggests about [0-9.]+ left")


def _sample_figure_as_qbcbs(estimates: dict) -> dict:
    """The model-based note with the random sample's figure of the includes left as the QBCB row gives it, named
    so; with none there (the row reads no figure off the sample, or no usable sample), none. The note's own reading
    of the sample (Horvitz-Thompson) and the row's (each draw against its own pool) differ: "the sample alone
    suggests about 8.2 left" was printed under a table whose 'QBCB (random sample)' row said 7.4, two figures for
    what the sample says, with nothing to say which to read."""
    from dataclasses import replace

    from .report import fmt_num

    e, q = estimates.get("score_sample"), estimates.get("qbcb")
    if e is None or not _SAMPLE_ALONE.search(e.note or ""):
        return estimates
    said = (f"; the random sample alone (QBCB) suggests about {fmt_num(q.remaining)} left"
            if q is not None and math.isfinite(q.remaining) else "")
    return dict(estimates, score_sample=replace(e, note=_SAMPLE_ALONE.sub(lambda _: said, e.note, count=1)))


def _with_the_whole_sample_command(project, advice):
    """The advice's "'screener next --sample 5' draws ..." with the command whole (``sample_asked``): it named no
    review, and in dual screening 'next' refuses to draw without --reviewer NAME."""
    from dataclasses import replace

    from .stopping.advice import SAMPLE_ASKED, sample_asked

    if SAMPLE_ASKED not in advice.message:
        return advice
    whole = sample_asked(project.dir, project.settings.get("mode") == "dual")
    return replace(advice, message=advice.message.replace(SAMPLE_ASKED, whole))


def _with_sampled_without_a_probability(project, advice):
    """The advice with a note, once, naming the records logged as sampled with no inclusion probability (a script's
    ``sampled=True`` on records not drawn at random, saved before that was refused): read as screened records, not
    as the random sample. Read as sampled, every status failed on them."""
    from dataclasses import replace

    odd = project.sampled_without_a_probability()
    if not odd:
        return advice
    one = len(odd) == 1
    words = (f"record{'' if one else 's'} {', '.join(map(str, odd))} {'was' if one else 'were'} saved as part of the "
             f"random sample with no inclusion probability (the chance {'it' if one else 'they'} had of being drawn "
             f"was not saved): {'it counts' if one else 'they count'} as screened like any other record, not as the "
             "random sample.")
    return replace(advice, warnings=[*advice.warnings, words])


def _while_still_screening(advice, still: list[tuple[str, int]]):
    """A team of three, two reviewers agreeing on every record while Cara still has records to screen
    (``still_screening``): the advice said 'Every record has been screened: nothing is left to find.' Each record
    counts as screened, but Cara has not screened every record: the advice says that (the stop stands, as the counts
    read it)."""
    from .stopping.advice import ALL_SCREENED

    if not still or ALL_SCREENED not in advice.message:
        return advice
    from dataclasses import replace

    from .accounts import names_words

    who = [name for name, _ in still]
    words = ("Every record counts as screened (every reviewer who screened it, two at least, gives it the same "
             "decision), so nothing is left to find among the records the counts wait for; "
             f"{names_words(who)} {'has' if len(who) == 1 else 'have'} not screened every record yet.")
    return replace(advice, message=advice.message.replace(ALL_SCREENED, words))


def _with_samples_waiting(project, advice):
    """Dual screening: the advice with what the random sample it names waits for, in the words 'next' says it
    (``samples_waiting``): it advised a sample "'screener next' mixes it into the batches" that 'next' then drew
    for no reviewer with records the team had not settled. Where every reviewer's sample waits, how 'next' gives it
    is left out: 'next' gives it to none, and the advice said so only in the sentences after."""
    from dataclasses import replace

    from .stopping.advice import SAMPLE_ASKED, SAMPLE_MIXED_IN

    if SAMPLE_ASKED not in advice.message and SAMPLE_MIXED_IN not in advice.message:
        return advice
    waits = samples_waiting(project)
    if not waits:
        return advice
    message = advice.message
    if len(waits) >= team_size(project):  # every reviewer's waits: 'next' gives it to none, the sentences say why
        for how in (SAMPLE_ASKED, SAMPLE_MIXED_IN):
            message = message.replace(f" ({how})", "").replace(f"; {how}", "")
    return replace(advice, message=" ".join([message, *waits]))


def _stop_on_imported_excludes(project, advice, cur: pd.DataFrame, n_screened: int, dual: bool = False):
    """The stop named with the excludes it rests on that a file brought in at import once the review was screening
    (a search update whose new records came with 0 each from another tool), none of that file's decisions then of
    another kind: counted as screened, status said 'Every record has been screened' at recall 75% (cd010023) with
    nothing to tell them from records read. They stay screened (another tool's screening may be real), but named,
    with the command that counts them as excluded unscreened at the stop (``labels._mark_the_rest``)."""
    from dataclasses import replace

    from .shell import shell_quote

    came = (cur["origin"].astype(str) == "import").to_numpy()
    if not came.any() or came.all():
        return advice
    later = cur[came & (cur["decision_id"] > cur["decision_id"][~came].min()).to_numpy()]
    if later.empty:
        return advice
    log = project.decision_log().set_index("decision_id")
    rids = log["record_id"].reindex(later["decision_id"]).astype(int)
    sources = project.store.sources_frame()
    source = project.store.records_frame(sorted(set(rids)))["source_id"].reindex(rids.to_numpy()).to_numpy()
    words = []
    for sid in sorted(set(source)):
        mine = source == sid
        if (later["decision"].to_numpy()[mine] != "exclude").any():
            continue  # a file with an include among its decisions: screening read in another tool
        n, path = int(mine.sum()), str(sources.at[sid, "path"])
        are = "are excludes" if n != 1 else "is an exclude"
        name = sources.at[sid, "file_name"]
        words.append(f"{n} of the {n_screened} records counted as screened {are} brought in by {name} at import, "
                     f"not screened here: if no one "
                     f"on the team read {'them' if n != 1 else 'it'}, run 'screener label {shell_quote(project.dir)} "
                     f"{shell_quote(path)} --decision exclude{' --reviewer NAME' if dual else ''}' to count "
                     f"{'them' if n != 1 else 'it'} as excluded "
                     f"without screening at the stop")
    return replace(advice, message=f"{advice.message} ({'; '.join(words)}.)") if words else advice


def _advice_after_the_stop(advice, hist, n_rest: int, files: list[str], target: float, conf: float,
                           read_since: pd.Series | None = None):
    """The advice once the rest was excluded unread at the stop: the reading at the stop, to report,
    and how more recall would be had. The advice read at the stop spoke of the next batch, of a
    random sample 'screener next' mixes into the batches, or of screening the records left, with no
    record left for 'next' to give; and its words "the hypergeometric test ... does not confirm it yet
    (it would need about 233 more records)" quoted records to go with none left: said in the past, with
    no figure, beside the stop it qualified."""
    import math
    from dataclasses import replace

    from .stopping.advice import estimate_words, sided_words

    k = f"{n_rest} record{'' if n_rest == 1 else 's'}"
    e = advice.estimate
    if hist.includes_found and e is not None and math.isfinite(e.recall_low):
        est = estimate_words(e, target, conf)
    else:
        est = (f"No include was found in the {hist.n_screened} records screened, so recall could not be "
               "estimated." if not hist.includes_found else "Recall could not be estimated.")
    unconfirmed = not advice.confirmed
    verdict = (("The stopping rule said you could stop" + ("; the hypergeometric test, which assumes less, did not "
                                                           "confirm it" if unconfirmed else "") + ".")
               if advice.stop else "Screening stopped before the stopping rule was met.")
    if advice.stop and hist.includes_found and e is not None and sided_words(e, target, conf):
        verdict += " " + sided_words(e, target, conf)  # the interval two-sided, the stop one-sided
    file = f"'{files[0]}'" if len(files) == 1 else "the file that excluded them"
    n_since = 0 if read_since is None else len(read_since)
    # records of the rest read since the stop: PRISMA counts them as screened, the reading at the stop does not
    still = (f"{n_rest - n_since} record{'' if n_rest - n_since == 1 else 's'} still excluded without screening"
             if n_since
             else f"{k} excluded without screening")
    prisma = f"PRISMA counts the {still} as not screened" if n_since else f"PRISMA counts the {k} as not screened"
    return replace(advice, message=(
        f"Screening stopped with {k} left, excluded without screening ('screener label' excluding them, unread): "
        "the figures "
        f"here are the review's at the stop, the ones to report (counting the {k} excluded unread as screened "
        f"would give a recall of 100%, which no one measured); {prisma}. At the stop: {est} "
        f"{verdict}{_read_since_the_stop(read_since, hist.includes_found, target)} No record is left for "
        f"'screener next' to give: for more recall, the {still} would have to be screened, each given a decision "
        f"of its own (fill in the decision column of {file} and read it back with 'screener label' without "
        "--decision; the excludes of records you read, given again, count as screened with 'screener label "
        "--all-read')."), why="")


def _at_most(x: float, target: float | None) -> str:
    """An upper bound on recall as a percentage, rounded up (it bounds), but never up to the target or 100% where
    it falls short of them: then with the decimals that show it short (1882 of 1982 is "94.96%", not "95%")."""
    p = 100 * x
    bars = [b for b in (100.0, 100 * target if target is not None else 100.0) if p < b - 1e-9]
    for places in range(4):
        v = math.ceil(p * 10 ** places - 1e-9) / 10 ** places
        if not any(v >= b - 1e-9 for b in bars):
            break
    return f"{v:.{places}f}%"


def _read_since_the_stop(read_since: pd.Series | None, found_at_stop: int = 0, target: float | None = None) -> str:
    """" Since the stop, 1 include was found among them (record 136): ...", the records of the rest read
    after the stop and given a decision of their own (``_decided_since_the_stop``), or "". They count as
    screened and found, not in the reading at the stop; an include among them is one the stop had missed.
    ``found_at_stop``: the includes the reading at the stop counts (0: no bound on recall at the stop is said)."""
    if read_since is None or not len(read_since):
        return ""

    def named(ids) -> str:
        ids = sorted(int(i) for i in ids)
        shown = ", ".join(map(str, ids[:10])) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        return f"record{'' if len(ids) == 1 else 's'} {shown}"

    n = len(read_since)
    inc = read_since.index[read_since == "include"]
    maybe = read_since.index[read_since == "maybe"]
    found = []
    if len(inc):
        found.append(f"{len(inc)} include{'' if len(inc) == 1 else 's'}")
    if len(maybe):
        found.append(f"{len(maybe)} maybe")
    if not found:
        return (f" Since the stop, {n} of them {'was' if n == 1 else 'were'} screened after all, with no include "
                "among them: they count as screened, not in the figures at the stop.")
    k = len(inc) + len(maybe)
    said = (f" Since the stop, {' and '.join(found)} {'was' if k == 1 else 'were'} found among them "
            f"({named(inc.append(maybe))}{f'; {n} of them screened after all' if n > k else ''})")
    said += f": the stop had missed {'it' if k == 1 else 'them'}"
    if found_at_stop:  # rounded up: an upper bound
        said += (f", so recall at the stop was at most {_at_most(found_at_stop / (found_at_stop + k), target)} "
                 f"({found_at_stop} of at least {found_at_stop + k} found)")
    return (said + f". Found after the stop, {'it counts' if k == 1 else 'they count'} as found and screened "
            "(PRISMA too); the figures at the stop do not count " + ("it." if k == 1 else "them."))


def _advice_with_records_since(advice, n_rest: int, n_left: int, files: list[str],
                               read_since: pd.Series | None = None, conflicts: int = 0, by_one: int = 0,
                               reviewers: int = 2):
    """The advice once the rest was excluded unread at a stop and records came in since (a search
    update, a record taken out of a duplicate group or returned by an undo): those are left to screen.
    It read "Screening stopped ... No record is left for 'screener next' to give" with them waiting
    for it. The advice on them stands, with a word on the records excluded unscreened. ``conflicts`` (dual
    screening): of the records left, those that wait for a conflict to be settled, not to be screened (a record
    of the rest one reviewer labelled 'include' since, against the other's rest exclude). ``by_one``: of the
    others, those one reviewer has screened, named as 'status' names them, not 'left to screen'."""
    from dataclasses import replace

    k = f"{n_rest} record{'' if n_rest == 1 else 's'}"
    file = f" ('{files[0]}')" if len(files) == 1 else ""
    conflicts = min(conflicts, n_left)
    by_one = min(by_one, n_left - conflicts)
    waiting = waiting_parts(n_left - conflicts - by_one, by_one, conflicts, reviewers, records=True)
    return replace(advice, message=(
        f"{advice.message} (Besides {and_list(waiting, the=True)}, {k} "
        f"{'was' if n_rest == 1 else 'were'} excluded without screening when screening stopped earlier{file}; the "
        f"estimate counts {'it' if n_rest == 1 else 'them'} as not screened, and so does PRISMA."
        f"{_read_since_the_stop(read_since)})"))


def _random_start(project, cur: pd.DataFrame, prov) -> bool:
    """Whether every decision so far was made from a random order: a review without protocol text
    starts there, until an include gives the model something to learn from."""
    if prov is None or not len(cur) or len(prov.later):
        return False
    random = project.store.rankings_with("phase", ["random"])
    if not random:
        return False  # the common case (a review with protocol text starts from it): one query
    # (its decisions are the provenance's unranked ones: no decision made before any ranking is)
    return len(prov.in_force) == len(cur) and all(int(r) in random for r in np.unique(prov.in_force))


def _off_order_words(n_off: int, found_off: int, maybes_off: int = 0) -> str:
    """The records screened from the random start but not at its top, in a reviewer's words. ``maybes_off``:
    of the ``found_off`` found among them, the maybes (found for recall, named apart from the includes)."""
    from .stopping.advice import found_count_words

    one = n_off == 1
    return (f"{n_off} of the records screened {'was' if one else 'were'} picked far below the top of the random "
            f"order (a list excluded in one go, or records picked from the records list)"
            f": {'it counts' if one else 'they count'} as screened"
            f"{f' and found ({found_count_words(found_off, maybes_off)})' if found_off else ''}, "
            f"but {'it was' if one else 'they were'} chosen, not drawn at random, so the estimate reads only the "
            "records drawn from the random order")


def _as_random_sample(e, hist, target: float, conf: float, off=None):
    """An estimate read as what it is before any ranking: the records screened were the top of a
    random order, a uniform sample, so the includes left follow from the share found among them
    (exact hypergeometric interval). The estimators read them as a ranking's best and put nearly
    every include in them: 2 includes in the first 10 of 114 records read as "about 1 left
    (0-6)", with 21 left. Their notes, read from that ranking, go with their figures.

    ``off``: per decision, one picked far below the top of the random order (a keyword list excluded
    in one go): chosen, not drawn, so no part of the sample; it stays among the records the sample (the
    order's top, a uniform sample of every record) stands for, and its includes count as found, taken
    off the includes left. Read as part of the sample, 399 records excluded by keyword beside 60 drawn
    (2 includes) gave "about 12 includes left (1-45)" with 28 left."""
    from dataclasses import replace
    from functools import partial

    from .stopping.base import recall_of
    from .stopping.sampling import random_sample_interval

    if not np.isfinite(e.remaining_high) and not np.isfinite(e.remaining):
        return e  # a method that gives no figure (a count of excludes in a row) stays as it is
    found = hist.includes_found
    drawn, n_drawn, found_off = found, hist.n_screened, 0
    if off is not None and off.any():
        drawn = int(np.asarray(hist.labels)[~off].sum())
        n_drawn, found_off = n_drawn - int(off.sum()), found - drawn
    # the records drawn (the top of the random order) are a uniform sample of every record, the ones picked
    # far below included: those were chosen by their words (a list of excludes), so they stand among the
    # records the sample speaks for, their includes found. Taken out of what the sample stands for, 183
    # listed excludes beside 170 drawn with 1 include read "about 1 include left (0-10)" with 11 left
    point, low, high = random_sample_interval(drawn, n_drawn, hist.n_total, conf)
    if found_off:
        point, low, high = max(point - found_off, 0.0), max(low - found_off, 0), max(high - found_off, 0)
    left = hist.n_total - hist.n_screened
    point, low, high = min(point, left), min(low, left), min(high, left)
    if not drawn:  # no include in it: a bound on the includes left, but no estimate ("recall 100%" with none found)
        point = float("nan")
    rec = partial(recall_of, found)

    return replace(e, remaining=point, remaining_low=float(low), remaining_high=float(high), recall=rec(point),
                   recall_low=rec(high), recall_high=rec(low), stop=bool(e.stop and rec(high) >= target),
                   chance=float("nan"),  # the stop here is the sample's interval, not the method's chance
                   sides="two-sided",  # the sample's exact interval, whatever the method's own kind
                   # not the method's own note: its reading of the order as a ranking's top ("about 4.0
                   # includes left") was a second figure beside these, from an order that was no ranking
                   note=("read as a random sample: every record screened so far came from a random order (no "
                         "protocol text, or none of its words in the records, and no include yet to rank by)"
                         if n_drawn == hist.n_screened else
                         f"read as a random sample: the {n_drawn} records drawn from the random order (no protocol "
                         "text, or none of its words in the records, and no include yet to rank by); the "
                         f"{hist.n_screened - n_drawn} picked far below its top are no part of the sample"))


def _none_found(e):
    """An estimate with no include found anywhere in the review: there is no recall to claim (found
    over found plus left is 0 over 0, or 0), so no recall figure, no point figure and no stop; the
    bound on the includes left stays. The hypergeometric test read a long run of excludes as none
    left, and its row said 'recall 100% (100%-100%)' and stop beside advice to keep screening."""
    from dataclasses import replace

    if not (e.stop or np.isfinite(e.recall) or np.isfinite(e.remaining) or e.recall_low > 0):
        return e
    said = "no include found yet: recall has no meaning until one is, so there is no recall figure and no stop"
    return replace(e, remaining=float("nan"), recall=float("nan"), recall_low=0.0, stop=False,
                   chance=float("nan"),
                   note=f"{said} (the method's own reading: {e.note})" if e.note else said)


def _passed_over(project, prov, new) -> np.ndarray:
    """The records a ranking put before records screened from it, still unscreened
    (``Provenance.skipped``), less those already in ``new`` and, in dual screening, those one
    reviewer has decided or the two disagree on (the stop waits for them for their own reason), but not those one
    reviewer excluded unread at her stop: read by no one, they are passed over (``dual_waiting``)."""
    passed = np.setdiff1d(np.asarray(prov.skipped, dtype=np.int64), np.asarray(new, dtype=np.int64))
    if len(passed):
        pending = dual_waiting(project)
        if pending is not None:
            passed = np.setdiff1d(passed, np.concatenate(pending))
    return passed


def _with_unranked(e, n_new: int, keep_note: bool = False, n_passed: int = 0, n_left: int | None = None,
                   n_passed_rest: int = 0):
    """An estimate on the ranked records, widened to the review: the ``n_new`` records no ranking
    screened from has held, and the ``n_passed`` records a ranking put before records screened from
    it and still unscreened, may hold none of the includes left or all of them, so there is no
    point estimate, only the interval from "none of them" to "every one". ``n_left``: the records
    still to screen in the whole review, more includes than which none can be left (the random
    sample's bound already counts every record left, these too: added again, "0-2 includes left"
    was shown with 1 record left). ``n_passed_rest``: of those passed over, the ones of the rest excluded unread at
    the stop: "still unscreened" read as records waiting to be screened, with none left to screen."""
    from dataclasses import replace

    found = e.includes_found
    high = e.remaining_high + n_new + n_passed
    if n_left is not None:
        high = min(high, float(n_left))

    def rec(left):
        return found / (found + left) if np.isfinite(left) and found + left > 0 else float("nan")

    notes = []
    if n_new:
        notes.append(unranked_note(n_new))
    if n_passed:
        one = n_passed == 1
        if n_passed_rest >= n_passed:
            how = "excluded without screening at the stop"
        elif n_passed_rest:
            how = (f"not screened ({n_passed_rest} of them excluded without screening at the stop, the others still "
                   "to screen)")
        else:
            how = "still unscreened"
        notes.append(f"not estimated for the {n_passed} record{'' if one else 's'} a ranking put before records "
                     f"screened from it, passed over and {how}: {'it' if one else 'any of them'} may be "
                     f"an include (the ranking put {'it' if one else 'them'} first), and the records screened below "
                     f"say nothing of {'it' if one else 'them'}")
    note = "; ".join(notes)
    if keep_note and e.note:  # the random sample's word reads no ranking: it holds for every record left
        note += f". {e.note[0].upper()}{e.note[1:]}"
    return replace(e, remaining=float("nan"), remaining_high=high, recall=float("nan"), recall_low=rec(high),
                   recall_high=rec(e.remaining_low), stop=False, needs=None, note=note,
                   chance=float("nan"))


def _sample_not_screened(project, cur: pd.DataFrame) -> str | None:
    """Records drawn into the random sample and not screened yet, named, or None. The sample
    speaks for the records left only when every record drawn is screened: a batch's sampled rows
    left blank (the hard ones, say) would make it a smaller sample of the easier records, and its
    veto on a stop could miss the includes among them."""
    pending = project._pending_sample()
    if not pending:
        return None
    primary = project._primary_of()
    left = sorted({int(primary.get(r, r)) for r in pending} - set(int(i) for i in cur.index))
    if not left:
        return None
    k = len(left)
    shown = ", ".join(map(str, left[:10])) + (f" and {k - 10} more" if k > 10 else "")
    return (f"{k} record{'' if k == 1 else 's'} drawn into the random sample for the recall check "
            f"{'is' if k == 1 else 'are'} not screened yet ({shown}): the sample speaks for the records left only "
            "when every record drawn is screened (one whose decision was undone is unscreened again). Screen them "
            "(search for them on the screening page, or give their batch file's rows a decision; 'screener next' "
            "puts an undone one first).")


def _sample_finds(hist) -> str:
    """What the random sample found, in the reviewer's words: a sample whose finds were all maybes was said
    to have found includes, though no reviewer included any."""
    found = hist.sampled & (hist.labels == 1) if hist.sampled is not None else np.zeros(0, bool)
    maybes = int((found & hist.maybe).sum()) if hist.maybe is not None and len(found) else 0
    if not maybes:
        return "includes"
    return "maybes" if maybes == int(found.sum()) else "includes and maybes"


def _sample_says_no(estimates: dict, hist, target: float, conf: float, before_import: bool = False) -> str | None:
    """The random sample's word against a stop, or None: when even its lower bound on the
    includes left (QBCB's, at the confidence asked for) is more than the target recall allows,
    no estimate read from the ranking may say stop (the sample assumes nothing about it).
    ``before_import``: the bound is the draws' made before a later import."""
    import math

    from .stopping.base import allowed_missed, level_pct
    from .stopping.consecutive import trailing_excludes

    qb = estimates.get("qbcb")
    if qb is None or not math.isfinite(qb.remaining_low):
        return None
    allowed = allowed_missed(hist.includes_found, target)
    if qb.remaining_low <= allowed:
        return None
    low = int(math.ceil(qb.remaining_low - 1e-9))
    sure = 1 - (1 - conf) / 2  # QBCB's lower bound is the two-sided interval's
    finds = _sample_finds(hist)
    where = (f"the random sample drawn before a later import found {finds} among the records there were then "
             "(records imported since can only add to them)" if before_import else
             f"the random sample found {finds} among the records left")
    # the bound counts what the sample found: its maybes too
    left = ("include is" if low == 1 else "includes are") if finds == "includes" else \
        ("include or maybe is" if low == 1 else "includes or maybes are")
    return (f"{where}: at least {low} {left} very probably still unscreened ({level_pct(sure)} "
            f"confidence), more than {level_pct(target)} recall allows ({allowed}). Keep screening; the sample assumes "
            "nothing about the ranking.")


def _estimates_from_rankings(project, cur, n_studies, duplicates, hist, prov, new, target, conf):
    """The estimators on the screening from rankings, read apart for each import.

    Decisions not made from a ranking are left out as if those studies were not in the review
    (their includes are found, so recall over the rest is the harder figure; a stop on it holds
    for the whole), and so are the records no ranking screened from has held (``new``: the
    caller widens the interval for them). The records a later import brought in
    (``Provenance.later``) are a review of their own: their decisions, in the order made, are
    the screening of their own ranking, and the first records' decisions are theirs. Each part
    is estimated alone and the parts added up; a method says stop when each part does (a later
    import with fewer includes found than the model needs for a curve: when its own screening
    ends in a run of excludes as long as the consecutive baseline's), or when the parts that do
    not have no include found yet and, at the top of their intervals (a bound from the records
    screened, with no curve to read), with the rest at their estimates, leave no more includes
    unscreened than the target recall allows. The random sample's bound
    (QBCB) does not read the order and keeps every decision and record.

    With a later import, the screening read as one ranking (as before the import) must say stop
    too: each part's curve is shorter than the whole, and either reading alone missed includes
    left in replays of real reviews (``benchmarks/later_import.py``).

    Returns (estimates, the first part's history)."""
    import math
    from dataclasses import replace

    from .stopping import run_all
    from .stopping.advice import default_estimators
    from .stopping.base import allowed_missed
    from .stopping.consecutive import trailing_excludes

    ids = cur.index.to_numpy(dtype=np.int64)
    unranked = prov.unranked if len(prov.unranked) == len(ids) else np.zeros(len(ids), dtype=bool)
    part_of = pd.Series(prov.later_from, index=prov.later, dtype="int64")
    row_part = part_of.reindex(ids).fillna(-1).to_numpy(dtype=np.int64)  # -1: the first records
    waiting = prov.later[~np.isin(prov.later, ids) & ~np.isin(prov.later, new)]  # ``new`` is widened apart
    waiting_part = part_of.reindex(waiting).to_numpy(dtype=np.int64)
    histories = [_history_from(project, cur, n_studies, duplicates, drop=unranked | (row_part >= 0),
                               leave_out=np.concatenate([np.asarray(new, dtype=np.int64), waiting]))]
    for k in np.unique(waiting_part):  # a later import with records still to screen
        histories.append(_history_from(project, cur, n_studies, duplicates, drop=unranked | (row_part != k),
                                       only=waiting[waiting_part == k]))
    found_all = int(hist.includes_found)
    runs = []
    for h in histories:  # (no "records needed" per part: a part's is not the review's)
        ests = default_estimators(compute_needs=len(histories) == 1)
        ests.pop("qbcb", None)
        runs.append(run_all(h, estimators=ests, target_recall=target, confidence=conf))
    whole = None
    if len(histories) > 1:  # the screening read as one ranking too, as before any later import
        ests = default_estimators(compute_needs=False)
        ests.pop("qbcb", None)
        whole = run_all(_history_from(project, cur, n_studies, duplicates, drop=unranked,
                                      leave_out=np.asarray(new, dtype=np.int64)),
                        estimators=ests, target_recall=target, confidence=conf)
    allowed = allowed_missed(found_all, target)
    defaults = default_estimators()
    few_includes = int(defaults["score_sample"].min_includes)  # below it the model reads no curve
    run_of = int(defaults["consecutive"].n)
    out = {}
    for name in runs[0]:
        es = [r[name] for r in runs]
        found_out = found_all - sum(e.includes_found for e in es)  # found by decisions read apart
        n_out = int(hist.n_screened) - sum(e.n_screened for e in es)

        def rec(left):
            return found_all / (found_all + left) if np.isfinite(left) and found_all + left > 0 else float("nan")

        if len(es) == 1:
            e = es[0]
            out[name] = replace(e, n_screened=e.n_screened + n_out, includes_found=found_all, recall=rec(e.remaining),
                                recall_low=rec(e.remaining_high), recall_high=rec(e.remaining_low))
            continue
        rem = float(sum(e.remaining for e in es))
        low = float(sum(e.remaining_low for e in es))
        high = float(sum(e.remaining_high for e in es))
        # a later import with too few includes found for a curve (an update search often has one
        # or two, or none) passes on a run of excludes of its own, as long as the consecutive
        # baseline's; the screening read as one ranking must still agree (below)
        ok = [e.stop or (i > 0 and e.includes_found < few_includes
                         and (histories[i].n_remaining == 0 or trailing_excludes(histories[i].labels) >= run_of))
              for i, e in enumerate(es)]
        if all(ok):
            stop = True
        elif any(not o and e.includes_found for o, e in zip(ok, es)):
            stop = False  # a part with includes found whose own reading says not yet: its interval is no bound
        else:  # the parts with no include found yet, at the top of their intervals (no curve to read)
            worst = sum(e.remaining_high if not o else math.ceil(e.remaining - 1e-9) if np.isfinite(e.remaining)
                        else 0.0 if o and not e.stop else float("inf") for o, e in zip(ok, es))
            stop = bool(np.isfinite(worst) and worst <= allowed)
        note = (f"read in {len(es)} parts: the records there were when screening began, and the records of each "
                "later import (each part from the screening of its own records, the parts added up)")
        w = whole[name]
        if stop and not w.stop:
            # each part's curve is short, and a part's reading can miss what the whole screening
            # still shows (includes found lately): the stop waits until both readings agree
            out[name] = replace(w, n_screened=int(hist.n_screened), includes_found=found_all, recall=rec(w.remaining),
                                recall_low=rec(w.remaining_high), recall_high=rec(w.remaining_low), needs=None,
                                note=("read as one ranking (the reading in parts, one per import, says stop; "
                                      "both must): " + w.note) if w.note else "read as one ranking")
            continue
        out[name] = replace(es[0], n_screened=int(hist.n_screened), includes_found=found_all, remaining=rem,
                            remaining_low=low, remaining_high=high, recall=rec(rem), recall_low=rec(high),
                            recall_high=rec(low), stop=stop, needs=None, sample_needs=None, note=note,
                            chance=float("nan"))
    out = _with_includes_off_the_ranking(project, cur, n_studies, duplicates, prov, unranked, new, out, found_all,
                                         target, conf)
    # each draw is read as taken from every record unscreened at its time, a later import's too: a
    # draw made before the import could not take its records, so only the draws made since count
    # (the others are read as records screened). Read with every draw, the bound certified nothing
    # after any later import while the advice kept asking for a sample to certify with
    qhist = _draws_since_last_import(project, cur, hist) if len(prov.later) else hist
    out.update(run_all(qhist, estimators={k: v for k, v in defaults.items() if k == "qbcb"},
                       target_recall=target, confidence=conf))
    q = out.get("qbcb")
    if q is not None and qhist is not hist and hist.has_sample:
        out["qbcb"] = replace(q, note=(
            "read from the random sample's draws made since the last import only (a draw made before it could not "
            f"take its records): {_none_since(q.note, 'the last import')}"))
    return {k: out[k] for k in defaults if k in out}, histories[0]


#: picks that were no ranking's likeliest include left, among the records it had left behind (``NOT_RANKED``): an
#: include found there says the ranking left it behind. Left out as the far picks were, 3 includes found by the
#: model's uncertainty among 10 records after the stop kept "you can stop with 95% recall" (up to 1 left)
OFF_THE_TOP = ("far", "query", "mixed")


def _found_off_the_top(prov, cur: pd.DataFrame, unranked: np.ndarray) -> np.ndarray:
    """Per decision, an include (or maybe) among the picks that were no ranking's likeliest include left."""
    if len(prov.why) != len(cur):
        return np.zeros(len(cur), dtype=bool)
    return unranked & np.isin(prov.why, OFF_THE_TOP) & (cur["decision"] != "exclude").to_numpy()


def _with_includes_off_the_ranking(project, cur, n_studies, duplicates, prov, unranked, new, out: dict,
                                   found_all: int, target: float, conf: float) -> dict:
    """``out`` with no stop the reading below does not share: the includes (and maybes) picked far below the top
    of the ranking in use (the records list, a search on the screening page), read where they were found in the
    screening, not left out. Left out as no evidence about the ranking, 3 includes found among 10 records a
    reviewer checked among those left after the stop kept "you can stop with 95% recall" (up to 1 left) with 3
    more such includes unscreened: the ranking had left them behind, which is what the run of excludes the stop
    rests on says it does not. Read where found, an early one hardly moves the curve; a late one breaks the run."""
    from dataclasses import replace

    from .stopping import run_all
    from .stopping.advice import default_estimators, found_count_words

    found_far = _found_off_the_top(prov, cur, unranked)
    if not found_far.any() or not any(e.stop for e in out.values()):
        return out
    ests = default_estimators()
    ests.pop("qbcb", None)
    ests = {k: v for k, v in ests.items() if k in out and out[k].stop}
    h = _history_from(project, cur, n_studies, duplicates, drop=unranked & ~found_far,
                      leave_out=np.asarray(new, dtype=np.int64))
    k = int(found_far.sum())
    maybes = int((cur["decision"].to_numpy() == "maybe")[found_far].sum())
    found = ({0: "include", 1: "maybe"}[maybes] if k == 1 else found_count_words(k, maybes))
    said = (f"read with the {found} found among records "
            f"{not_ranked_words(prov.why[found_far])}, where found: the ranking had left "
            f"{'it' if k == 1 else 'them'} behind, so the run of excludes since says less of what it left")

    def rec(left):
        return found_all / (found_all + left) if np.isfinite(left) and found_all + left > 0 else float("nan")

    out = dict(out)
    for name, e in run_all(h, estimators=ests, target_recall=target, confidence=conf).items():
        if not e.stop:
            out[name] = replace(e, n_screened=out[name].n_screened, includes_found=found_all,
                                recall=rec(e.remaining), recall_low=rec(e.remaining_high),
                                recall_high=rec(e.remaining_low), note=f"{said}: {e.note}" if e.note else said,
                                found_off_ranking=True)
    return out


def _draws_before_last_import_say_no(project, cur: pd.DataFrame, n_studies: int, duplicates: np.ndarray, prov,
                                     hist, target: float, conf: float) -> str | None:
    """The word against a stop of the random sample's draws made before a later import.

    After a later import the sample's bound reads only the draws made since the last (one made
    before could not take the new records, so it certifies nothing). But the includes an earlier
    draw found still say that at least so many are left among the records there were then, and no
    import makes that fewer: read apart, for each import, the records there were before it and
    the draws made between it and the import before (each from every one of those records
    unscreened at its time), the lower bound holds a stop as before. Dropped, five update records
    screened lifted it: "you can stop" at 10 of 11 includes."""
    if prov is None or not len(prov.later) or not hist.has_sample or not len(cur):
        return None
    from .stopping import run_all
    from .stopping.advice import default_estimators

    arrived = _study_arrivals(project)
    log = project._study_log("title_abstract")
    made = log[log["decision"] != "retract"]
    at_time = made["created_at"].astype(str)
    every = project.store.decisions_frame()
    every = every[every["decision"] != "retract"]
    every_at = every["created_at"].astype(str)
    ids = cur.index.to_numpy(dtype=np.int64)
    first_drawn = made[made["sampled"].astype(bool)].groupby("group_record_id")["created_at"].min().astype(str)
    first_drawn = first_drawn.reindex(ids).fillna("~").to_numpy(dtype=str)
    at = pd.to_numeric(cur["sample_drawn_at"], errors="coerce").to_numpy(dtype=float)
    studies = np.asarray(project.store.primary_record_ids(), dtype=np.int64)
    unscreened = studies[~np.isin(studies, ids) & ~np.isin(studies, np.asarray(duplicates, dtype=np.int64))]
    seen: set[str] = set()
    for came in sorted(set(arrived.astype(str)), reverse=True)[:-1]:  # each import after the first, last first
        if not (at_time < came).any():
            continue
        decided = str(at_time[at_time < came].max())  # the last decision before the import
        if decided in seen:  # files of one import, or imports with no decision between them
            continue
        seen.add(decided)
        earlier = arrived[(arrived < decided).to_numpy()]
        prev = str(earlier.max()) if len(earlier) else ""  # the import before it
        n_prev = int(every.loc[(every_at < prev).to_numpy(), "record_id"].nunique())  # at least those screened then
        n_came = int(every.loc[(every_at < came).to_numpy(), "record_id"].nunique())
        then = arrived.index[(arrived < decided).to_numpy()].to_numpy(dtype=np.int64)  # the studies there were
        in_then = np.isin(ids, then)
        # a draw decided after the import but not known to be drawn after it (no more studies screened
        # at it than had a decision before the import: a batch drawn just after it, or just before it
        # and labelled after) is read here: the draws since the import leave it out, and left out of
        # both, the includes it found vetoed nothing ("you can stop" at 10 of 11 includes). Its
        # records of those there were then are a uniform sample of them, wherever it was drawn
        keep = cur["sampled"].astype(bool).to_numpy() & in_then & (at > n_prev) & (
            (first_drawn < came) | (at <= n_came))
        if not keep.any():
            continue
        c = cur.assign(sampled=keep)  # the other draws are read as records screened
        h = _history_from(project, c, n_studies, duplicates, drop=~in_then,
                          leave_out=unscreened[~np.isin(unscreened, then)])
        q = run_all(h, estimators={"qbcb": default_estimators()["qbcb"]}, target_recall=target, confidence=conf)
        why = _sample_says_no(q, hist, target, conf, before_import=True)
        if why:
            return why
    return None


def _last_arrival(project, arrived: pd.Series | None = None) -> str:
    """When the last import that brought a study came: an import whose records were all copies of
    studies already in the review (a hand search the databases had given) brought nothing a draw
    made before it could not take."""
    arrived = _study_arrivals(project) if arrived is None else arrived
    return str(arrived.max()) if len(arrived) else ""


def _last_taken_out(project, cur: pd.DataFrame, duplicates: np.ndarray) -> str:
    """When a study still unscreened was last taken out of a duplicate group ('split', a pair said to be
    'separate' that was one study, or a de-duplication run under changed rules: 'ungrouped'), or "". A
    random-sample draw made before it could not take that study: it was a copy of another one then. Read
    as drawn from every record left, a sample of all but 5 of the records left certified "at least 95%
    recall ...: you can stop" with 20 records taken out of a wrong group unscreened. A candidate pair of
    the duplicate review never grouped, said 'separate', costs no draw its certificate: its records were
    in the pool all along. Where the log does not say whether the pair was grouped (a 'separate' before
    format 11), one beside a screened record counts as taken out; a pair of records left most likely
    never was one study."""
    log = project.store.dedup_decisions_frame()
    log = log[log["decision"].isin(["split", "separate", "ungrouped"])]  # ungrouped: by a de-duplication run
    if log.empty:
        return ""
    studies = np.asarray(project.store.primary_record_ids(), dtype=np.int64)
    done = cur.index.to_numpy(dtype=np.int64)
    left = studies[~np.isin(studies, done) & ~np.isin(studies, duplicates)]
    grouped = pd.to_numeric(log["left_group"], errors="coerce")  # NaN: not known (before format 11)
    beside = (log["decision"] == "split") | log["record_id"].isin(done) | log["other_id"].isin(done)
    out = grouped.eq(1) | (grouped.isna() & beside)
    hit = (log["record_id"].isin(left) | log["other_id"].isin(left)) & out
    return str(log.loc[hit, "created_at"].astype(str).max()) if hit.any() else ""


def _last_undone_under_a_draw(project, cur: pd.DataFrame, duplicates: np.ndarray) -> str:
    """When a study still unscreened last had its decision withdrawn, where that study was first decided
    before a random-sample draw's first record (so perhaps screened when the draw was made), or "". Such a
    draw could not take it: read as drawn from every record left, a sample of all but 5 of the records left
    certified "at least 95% recall ...: you can stop" with a record excluded before the draw and undone since
    unscreened. A study decided after every draw's first record was unscreened when each draw was made."""
    log = project._study_log("title_abstract")
    undone = log[log["decision"] == "retract"]
    if undone.empty:
        return ""
    done = cur.index.to_numpy(dtype=np.int64)
    made = log[log["decision"] != "retract"]
    drawn = made[made["sampled"].astype(bool)]
    # a drawn record undone is in its own draw's pool, and waits in the sample (``_sample_not_screened``)
    undone = undone[~undone["group_record_id"].isin(done) & ~undone["group_record_id"].isin(duplicates)
                    & ~undone["group_record_id"].isin(drawn["group_record_id"])]
    if undone.empty or drawn.empty:
        return ""
    # a draw was made before its first record was decided (an undated one read record by record)
    draw = pd.to_numeric(drawn["sample_drawn_at"], errors="coerce").fillna(-drawn["decision_id"])
    last_draw = drawn.groupby(draw.to_numpy())["decision_id"].min().max()
    first = made.groupby("group_record_id")["decision_id"].min()
    back = undone[undone["group_record_id"].map(first).lt(last_draw).to_numpy()]
    return str(back["created_at"].astype(str).max()) if len(back) else ""


def _qbcb_since_taken_out(project, cur: pd.DataFrame, hist, estimates: dict, since: str, target: float,
                          conf: float, undone: str = "") -> dict:
    """``estimates`` with the random sample's bound read from the draws made since records were taken out
    of a duplicate group only (``_last_taken_out``), or since a decision on a record screened before a draw
    was withdrawn (``undone``: ``_last_undone_under_a_draw``), whichever came later: the earlier draws'
    records count as screened records."""
    from dataclasses import replace

    from .stopping import run_all
    from .stopping.advice import default_estimators

    qhist = _draws_since_last_import(project, cur, hist, since=max(since, undone))
    if qhist is hist:
        return estimates
    q = run_all(qhist, estimators={"qbcb": default_estimators()["qbcb"]}, target_recall=target,
                confidence=conf)["qbcb"]
    if undone > since:
        what = "a decision made before a draw was withdrawn"
        why = "a draw made while the record was screened could not take it"
    else:
        what, why = "records were taken out of a duplicate group", "a draw made before could not take them"
    note = f"read from the random sample's draws made since {what} only ({why}): {_none_since(q.note, what)}"
    return dict(estimates, qbcb=replace(q, note=note))


def _drawn_outside_the_teams_records(project, cur: pd.DataFrame, n_studies: int,
                                      since: str = "") -> np.ndarray | None:
    """Dual screening: rows of ``cur`` drawn into the random sample by a draw that came from fewer records than the
    team had not settled then (None when there is none). A reviewer's draw leaves out the records she has screened
    herself ('next --reviewer ann --sample 30'), those the other reviewer has not screened among them, which the team
    counts as not screened: her includes there were out of reach of the draw. Read from the draw: its records over
    their inclusion probability are the records it was drawn from; the team had the studies in the review by its
    first decision and not decided when it was made (``sample_drawn_at``): a later search update is no record the
    draw left out."""
    if project.settings.get("mode") != "dual" or "sample_drawn_at" not in cur.columns:
        return None
    log = project._study_log("title_abstract")
    drawn = log[log["sampled"].astype(bool) & (log["decision"] != "retract") & log["sample_drawn_at"].notna()]
    members: dict[tuple[int, float], set] = {}
    first: dict[tuple[int, float], str] = {}
    # each record counted apart: two drawn records merged as one study since were two records of the draw's pool
    for rid, at, prob, when in zip(drawn["record_id"], drawn["sample_drawn_at"], drawn["sample_prob"],
                                   drawn["created_at"].astype(str)):
        key = (int(at), round(float(prob), 12))
        members.setdefault(key, set()).add(int(rid))
        first[key] = min(first.get(key, when), when)
    arrived = _study_arrivals(project).astype(str)
    for rid, (prob, at) in project._pending_sample().items():  # drawn and not decided yet
        if at is not None:
            members.setdefault((int(at), round(prob, 12)), set()).add(int(rid))
    out = np.zeros(len(cur), dtype=bool)
    sampled = cur["sampled"].astype(bool).to_numpy()
    at = pd.to_numeric(cur["sample_drawn_at"], errors="coerce").to_numpy(dtype=float)
    probs = cur["sample_prob"].astype(float).to_numpy()
    for (t, prob), ids in members.items():
        if since and first.get((t, prob), since) < since:
            continue  # not read anyway (``_qbcb_since_taken_out``), and a study taken out since counts as there
        there = min(n_studies, int((arrived <= first[(t, prob)]).sum())) if (t, prob) in first else n_studies
        if prob > 0 and len(ids) / prob + 0.5 < there - t \
                and not _drawn_before_an_import(len(ids) / prob, t, arrived, first.get((t, prob)), n_studies):
            out |= sampled & (at == t) & np.isclose(probs, prob, rtol=1e-9, atol=0.0)
    return out if out.any() else None


def _drawn_before_an_import(pool: float, t: int, arrived: pd.Series, first: str | None, n_studies: int) -> bool:
    """Whether a draw of ``pool`` records made when the team had ``t`` studies settled came from every study the team
    had not settled before an import (one up to its first decision, ``first``; None: not screened yet): drawn, then a
    search update imported before it was screened. The row reads it apart as made before the last import
    (``_draws_since_last_import``), not as made while its reviewer had records read alone."""
    times = sorted(set(arrived[arrived <= first]) if first is not None else set(arrived))
    return any(abs(pool - (min(n_studies, int((arrived <= when).sum())) - t)) < 0.5 for when in times[:-1])


def _qbcb_from_the_teams_draws(project, cur: pd.DataFrame, hist, estimates: dict, apart: np.ndarray, target: float,
                               conf: float, since: str = "") -> dict:
    """``estimates`` with the random sample's bound read only from the draws made from every record the team had
    not settled (``_drawn_outside_the_teams_records``): the others' records count as screened records."""
    from dataclasses import replace

    from .stopping import run_all
    from .stopping.advice import default_estimators
    from .stopping.qbcb import NO_SAMPLE

    base = _draws_since_last_import(project, cur, hist, since=since) if since else hist
    keep = base.sampled & ~apart
    qhist = _with_draws_kept(base, keep)
    q = run_all(qhist, estimators={"qbcb": default_estimators()["qbcb"]}, target_recall=target,
                confidence=conf)["qbcb"]
    k = len(set(zip(cur["sample_drawn_at"].to_numpy()[apart], cur["sample_prob"].to_numpy()[apart])))
    alone = dual_waiting(project)
    n_alone = 0 if alone is None else len(alone[1])
    why = (f"{k} draw{'s were' if k != 1 else ' was'} made while {'their' if k != 1 else 'its'} reviewer had screened "
           "records the other had not, and left those out; the team counts them as not screened, so such a draw is "
           "no sample of what the team has left")
    todo = (f" {'There are' if n_alone != 1 else 'There is'} {n_alone} record{'s' if n_alone != 1 else ''} "
            f"{by_one_words(team_size(project))}: have the second reviewer screen them before the next random sample "
            "is drawn ('screener next --sample'), so that it is drawn from every record the team has not settled."
            if n_alone else "")
    note = q.note
    if note.startswith(NO_SAMPLE):
        note = "no random sample drawn from every record the team has not settled" + note[len(NO_SAMPLE):]
    note = f"read only from the random sample's draws made from every record the team had not settled ({why}): {note}"
    q = _no_bolder_than(replace(q, note=note + ("" if note.endswith(".") else ".")), estimates["qbcb"])
    return dict(estimates, qbcb=replace(q, note=q.note + todo))


def _no_bolder_than(q, before):
    """``q`` (the draws set aside) made no bolder than ``before`` (read with them): a draw set aside that held
    includes still says includes are left, and the draws kept alone read 'at least 95% recall is certified' with 3
    includes in 60 drawn records a moment before. No stop unless both advise it; the interval of includes left is
    the wider of the two and the point the higher; a figure unknown stays unknown."""
    from dataclasses import replace

    from .stopping.base import recall_of

    def most(a: float, b: float, pick) -> float:
        return a if np.isnan(a) or np.isnan(b) else pick(a, b)

    point = most(q.remaining, before.remaining, max)
    low = most(q.remaining_low, before.remaining_low, min)
    high = most(q.remaining_high, before.remaining_high, max)
    stop = q.stop and before.stop
    note = q.note
    if q.stop and not stop:
        note = note.replace("recall is certified", "recall would be certified by those draws alone") + (
            " Read with the draws set aside, it is not certified, so no stop is advised: the more cautious reading "
            "is shown.")
    elif not np.allclose([point, low, high], [q.remaining, q.remaining_low, q.remaining_high], equal_nan=True):
        note += (" Read with the draws set aside as well, more includes may be left than those draws alone say: the "
                 "more cautious reading is shown.")
    found = q.includes_found
    # the recall's lower end shown is one reading's: marked one-sided (the count bound's) or two-sided as that one is
    sides = before.sides if high > q.remaining_high else q.sides
    return replace(q, remaining=point, remaining_low=low, remaining_high=high, recall=recall_of(found, point),
                   recall_low=recall_of(found, high), recall_high=recall_of(found, low), stop=stop, note=note,
                   sample_needs=q.sample_needs if q.sample_needs is not None or stop else before.sample_needs,
                   sides=sides)


def _with_draws_kept(hist, keep: np.ndarray):
    """``hist`` with only the sampled rows in ``keep`` read as the random sample; the others count as screened."""
    from .stopping import ScreeningHistory

    if (keep == hist.sampled).all():
        return hist
    return ScreeningHistory(
        labels=hist.labels, n_total=hist.n_total, sampled=keep,
        sample_probs=None if not keep.any() else np.where(keep, hist.sample_probs, np.nan),
        sample_drawn_at=None if hist.sample_drawn_at is None or not keep.any()
        else np.where(keep, hist.sample_drawn_at, -1),
        remaining_scores=hist.remaining_scores, maybe=hist.maybe)


def _none_since(note: str, since: str) -> str:
    """``note`` saying no draw was made since ``since``, not "yet": the draws screened before it are set
    aside, not missing (a reviewer who screened them would read "yet" as her work lost)."""
    from .stopping.qbcb import NO_SAMPLE

    return f"no random sample screened since {since}{note[len(NO_SAMPLE):]}" if note.startswith(NO_SAMPLE) else note


def _study_arrivals(project) -> pd.Series:
    """When each study came into the review: its first record's import (by study id)."""
    sources = project.store.record_sources()
    when = sources["source_id"].map(project.store.sources_frame()["imported_at"].astype(str))
    study = pd.Series(sources.index.to_numpy(dtype=np.int64), index=sources.index)
    prim = project.store.primary_map()
    if len(prim):
        study.loc[prim.index] = prim.to_numpy(dtype=np.int64)
    return when.groupby(study.to_numpy()).min()


def _draws_since_last_import(project, cur: pd.DataFrame, hist, since: str = ""):
    """``hist`` with only the random-sample draws made since the latest import kept as the sample;
    the records of earlier draws count as screened records, as they are. A draw is known to be
    later when more studies had been screened at it than had any decision before the import (an
    undo or a merge since can only make a later draw read as earlier, never the other way).
    ``since``: a later time that the draws must follow too (``_last_taken_out``)."""
    if not hist.has_sample:
        return hist
    last = max(_last_arrival(project), since)
    log = project.store.decisions_frame()
    made = log[(log["decision"] != "retract") & (log["created_at"].astype(str) < last)]
    before = int(made["record_id"].nunique())  # at least the studies screened when the import came
    at = pd.to_numeric(cur["sample_drawn_at"], errors="coerce").to_numpy(dtype=float)
    keep = hist.sampled & (at > before)  # undated draws are read as made before
    if hist.sample_drawn_at is None:  # some draw undated: which came when is not known
        keep[:] = False
    return _with_draws_kept(hist, keep)


def advised_sample(project, n: int, status: dict | None = None) -> int:
    """Random-sample records to mix into a batch of ``n``: what the stopping advice asks for,
    spread over the batches (at most a fifth of each); none before the first include, none
    while no sample of what is left could certify the target (the advice's number is then
    everything left), and none once the target allows an include to be missed (19 found, at
    95%). ``status``: a ``recall_status`` reading already made for this state of the project.

    The sample's draws can find an include the ranking buries, which matters while one such
    include would break the target; later they only take places from the ranking, and the
    certificate they work towards came before the model-based stop in almost no replay. Chosen
    on the tuning reviews (``benchmarks/workflow_sim.py --sample few``, rule committed first):
    the stop came below the target no more often (at 1% prevalence and at the reviews' own),
    after 3.5 fewer points of the records at their own prevalence. A reviewer who wants the
    certificate asks for the sample with ``screener next --sample``."""
    from .stopping.base import allowed_missed

    st = recall_status(project) if status is None else status
    need = st["advice"].sample_records  # further sampled records, as QBCB counts them
    # the records left to screen: the rest excluded unread at a stop is unscreened, but no batch holds it, so no
    # draw of 'next' can be a sample of every unscreened record (``_drawn_after_the_stop``): none is mixed in
    c = st.get("counts")
    if c is not None and c.excluded_unscreened:
        return 0
    if not need or st["includes_found"] == 0 or need >= st["n_remaining"]:
        return 0
    if allowed_missed(st["includes_found"], st["target_recall"]) > 0:
        return 0
    return int(max(0, min(n // 5, int(need))))
