"""Agreement between two screeners: counts, percent agreement and Cohen's kappa.

Kept pure (lists and frames in, numbers out) so the figures a team reports in its methods
section can be checked by hand and tested without a web server; ``agreement_frame`` and
``dual_screening`` read them from a project, for the web dashboard and the report alike (the
report's methods text gives the kappa the dashboard shows).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd

CATEGORIES = ("include", "exclude", "maybe")
STAGE = "title_abstract"


def stage_categories(stage: str) -> tuple[str, ...]:
    """The decisions kappa is computed over at ``stage``: at full text 'not_retrieved' too (refused
    as a category, a report one reviewer could not obtain stopped the agreement table)."""
    from .records import stage_decisions

    return stage_decisions(stage)


def cohen_kappa(a: Sequence[str], b: Sequence[str], categories: Sequence[str] | None = None) -> float:
    """Cohen's kappa for two raters' decisions on the same studies (position i = study i).

    Returns NaN when kappa is undefined: no studies, or chance agreement is 1 (both raters
    put every study in one and the same category), where (po - pe) / (1 - pe) is 0/0.
    """
    a = list(a)
    b = list(b)
    if len(a) != len(b):
        raise ValueError(f"kappa needs one decision per study from each rater ({len(a)} and {len(b)} given)")
    n = len(a)
    if n == 0:
        return math.nan
    cats = list(categories) if categories is not None else sorted(set(a) | set(b))
    unknown = (set(a) | set(b)) - set(cats)
    if unknown:
        raise ValueError(f"decisions outside the categories {cats}: {sorted(unknown)}")
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    if math.isclose(pe, 1.0):
        return math.nan
    return (po - pe) / (1.0 - pe)


def kappa_interval(a: Sequence[str], b: Sequence[str], categories: Sequence[str] | None = None,
                   level: float = 0.95) -> tuple[float, float]:
    """An approximate confidence interval for Cohen's kappa (the large-sample variance of
    Fleiss, Cohen & Everitt, 1969), clipped to [-1, 1]. On a handful of studies it is wide, which
    is the point: a kappa of 1.00 on three studies says little. (NaN, NaN) where kappa is not
    defined, and where the variance is 0 (the reviewers agree on every study, or one gives every
    study one decision): there the interval read "1.00 to 1.00" on three studies, certainty from a
    handful; the method gives no interval."""
    from scipy.stats import norm

    a, b = list(a), list(b)
    kappa = cohen_kappa(a, b, categories)
    n = len(a)
    if math.isnan(kappa):
        return math.nan, math.nan
    cats = list(categories) if categories is not None else sorted(set(a) | set(b))
    p = {(x, y): sum(u == x and v == y for u, v in zip(a, b)) / n for x in cats for y in cats}
    row = {x: sum(p[x, y] for y in cats) for x in cats}  # rater a's shares
    col = {y: sum(p[x, y] for x in cats) for y in cats}  # rater b's shares
    pe = sum(row[c] * col[c] for c in cats)
    on = sum(p[c, c] * (1 - (row[c] + col[c]) * (1 - kappa)) ** 2 for c in cats)
    off = (1 - kappa) ** 2 * sum(p[x, y] * (col[x] + row[y]) ** 2 for x in cats for y in cats if x != y)
    var = max(on + off - (kappa - pe * (1 - kappa)) ** 2, 0.0) / (n * (1 - pe) ** 2)
    if var <= 1e-12:
        return math.nan, math.nan
    half = norm.ppf(0.5 + level / 2) * math.sqrt(var)
    return max(-1.0, kappa - half), min(1.0, kappa + half)


#: Fewer studies screened by both than this, and the table gives no Landis & Koch word for kappa.
MIN_STUDIES_FOR_WORDS = 20


def interpret_kappa(kappa: float, n: int | None = None) -> str:
    """Landis & Koch's words for a kappa value, the scale reviews usually quote; ``n``, the
    studies both screened: on fewer than ``MIN_STUDIES_FOR_WORDS`` a word would claim too much."""
    if kappa is None or math.isnan(kappa):
        return "not defined"
    if n is not None and n < MIN_STUDIES_FOR_WORDS:
        return f"too few studies screened by both to judge (fewer than {MIN_STUDIES_FOR_WORDS})"
    if kappa < 0:
        return "poor"
    for bound, word in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if kappa <= bound:
            return word
    return "almost perfect"


def _tenth_below_all(part: int, n: int) -> float:
    """A share to a tenth of a percent that below all never reads 100.0 (1999 of 2,000 agreed is 99.9%, not
    agreement on every record with a disagreement left to settle)."""
    if not n:
        return math.nan
    x = round(100.0 * part / n, 1)
    return math.floor(1000.0 * part / n) / 10 if part < n and x >= 100 else x


def agreement_table(votes: pd.DataFrame, categories: Sequence[str] = CATEGORIES) -> pd.DataFrame:
    """One row per pair of reviewers over the studies both screened.

    ``votes``: one row per (study, reviewer) with columns ``record_id``, ``reviewer`` and
    ``decision`` (each reviewer's latest standing decision; resolver decisions left out).
    Columns: reviewer_a, reviewer_b, both_screened, agree, disagree, percent_agreement,
    kappa, kappa_low and kappa_high (its 95% interval, ``kappa_interval``), and one ``a_X_b_Y``
    count per pair of categories.
    """
    cols = ["reviewer_a", "reviewer_b", "both_screened", "agree", "disagree", "percent_agreement", "kappa",
            "kappa_low", "kappa_high"]
    cells = [f"a_{x}_b_{y}" for x in categories for y in categories]
    if votes.empty:
        return pd.DataFrame(columns=cols + cells)
    wide = votes.pivot_table(index="record_id", columns="reviewer", values="decision", aggfunc="last")
    rows = []
    for ra, rb in combinations(sorted(wide.columns), 2):
        both = wide[[ra, rb]].dropna()
        a, b = both[ra].tolist(), both[rb].tolist()
        n = len(both)
        agree = sum(x == y for x, y in zip(a, b))
        row = {
            "reviewer_a": ra,
            "reviewer_b": rb,
            "both_screened": n,
            "agree": agree,
            "disagree": n - agree,
            "percent_agreement": _tenth_below_all(agree, n),
            "kappa": cohen_kappa(a, b, categories) if n else math.nan,
        }
        row["kappa_low"], row["kappa_high"] = kappa_interval(a, b, categories) if n else (math.nan, math.nan)
        for x in categories:
            for y in categories:
                row[f"a_{x}_b_{y}"] = sum(p == x and q == y for p, q in zip(a, b))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols + cells)


def _when(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values), utc=True, errors="coerce", format="ISO8601")


def _pair_lifts(log: pd.DataFrame, a: str, b: str, study_time: pd.Series) -> pd.Series:
    """Per study, the last log entry (``decision_id``) made before reviewers ``a`` and ``b`` had both
    screened every study there was (then each sees the other's decisions), or no limit (+inf).
    A search update imported after that is screened blind again, until both have screened it too."""
    out = pd.Series(np.inf, index=study_time.index)
    first = log[log["decision"] != "retract"].groupby(["reviewer", "group_record_id"])["decision_id"].min()
    both = pd.concat([first.get(a, pd.Series(dtype=float)), first.get(b, pd.Series(dtype=float))], axis=1)
    done = both.reindex(study_time.index).max(axis=1, skipna=False)  # NaN: one of them has not screened it
    when = log.set_index("decision_id")["made"]
    batches = sorted(study_time.dropna().unique())
    for j, at in enumerate(batches):
        upto = study_time <= at
        last = done[upto].max(skipna=False)
        if pd.isna(last):
            continue
        nxt = batches[j + 1] if j + 1 < len(batches) else None
        if nxt is None or when.get(int(last)) < nxt:  # both done before the next import: the blinding lifted
            open_ = upto & np.isinf(out)
            out[open_] = last
    return out


def blind_votes(log: pd.DataFrame, study_time: pd.Series, ends: list,
                scope=None) -> dict[tuple[str, str], pd.DataFrame]:
    """Each pair of reviewers' decisions as made blind, for the agreement table: per study, each
    reviewer's latest decision made before they could see the other's. A decision changed after
    that (the owner ended the blinding, or both had screened every record, and one changed theirs
    to the other's) would count an agreement the two did not reach independently, and inflate
    kappa; a study first decided after it is left out.

    ``log``: the reviewers' (role reviewer) entries of one stage, with ``group_record_id``,
    ``reviewer``, ``decision``, ``decision_id`` and ``created_at``; ``study_time``: when each study
    was imported (its first record); ``ends``: the owner's ends of the blinding (``at``, UTC),
    each holding for the studies imported before it; ``scope``: the studies a pair must each have decided
    for the blinding to lift (at full text, the reports passed on: nobody assesses the records excluded at
    title and abstract, so over every study it never lifted, and a change made seeing the other's counted)."""
    log = log.assign(made=_when(log["created_at"]).to_numpy())
    # each owner's end shows the reviewers each other's decisions on the studies there were then,
    # until the next search update makes screening blind again (every page hides them once more)
    batches = sorted(study_time.dropna().unique())
    windows = []
    for end in ends:
        at = pd.to_datetime(end.get("at") if isinstance(end, dict) else None, utc=True, errors="coerce")
        if pd.isna(at):
            continue
        later = [b for b in batches if b > at]
        windows.append((at, pd.Timestamp(later[0]) if later else None))
    out = {}
    names = sorted(log["reviewer"].unique())
    lift_time = study_time if scope is None else study_time[study_time.index.isin(list(scope))]
    lifts = {(a, b): _pair_lifts(log[log["reviewer"].isin([a, b])], a, b, lift_time)
             for a, b in combinations(names, 2)}
    # the earliest a reviewer could see the team: once they and any other reviewer had screened every study.
    # The blinding (``accounts.blinding_holds``) lasts until everyone then screening has finished, later where a
    # third reviewer or an owner who screens still screened: cut here, a change made blind in between is left
    # out, but a change made seeing the other's is never counted as blind (one who joins later cannot hide it)
    seen_from = {n: pd.concat([v for k, v in lifts.items() if n in k], axis=1).min(axis=1) for n in names
                 if len(names) > 1}
    for a, b in combinations(names, 2):
        pair = log[log["reviewer"].isin([a, b])]
        cut_id = pd.Series(np.where(pair["reviewer"] == a, pair["group_record_id"].map(seen_from[a]),
                                    pair["group_record_id"].map(seen_from[b])), index=pair.index).fillna(np.inf)
        cut_at = pd.Series(pd.NaT, index=pair.index, dtype="datetime64[ns, UTC]")
        for me, other in ((a, b), (b, a)):
            # when ``me`` could first see ``other``'s decision on a study (it made, and the blinding
            # ended for that study before the next update): ``me``'s decisions from then on are not blind
            theirs = pair[(pair["reviewer"] == other) & (pair["decision"] != "retract")].groupby(
                "group_record_id")["made"].min()
            seen = pd.Series(pd.NaT, index=theirs.index, dtype="datetime64[ns, UTC]")
            for at, until in windows:
                held = study_time.reindex(theirs.index) <= at
                shown = held & (theirs < until if until is not None else True)
                when = theirs.where(theirs > at, at)
                earlier = shown & (seen.isna() | (when < seen))
                seen[earlier] = when[earlier]
            mine = pair["reviewer"] == me
            cut_at[mine] = pair.loc[mine, "group_record_id"].map(seen)
        blind = pair[(pair["decision_id"] <= cut_id) & (cut_at.isna() | (pair["made"] < cut_at))]
        last = blind.sort_values("decision_id").groupby(["group_record_id", "reviewer"]).tail(1)
        out[(a, b)] = last[last["decision"] != "retract"][["group_record_id", "reviewer", "decision"]]
    return out


def blind_agreement_table(log: pd.DataFrame, study_time: pd.Series, ends: list,
                          categories: Sequence[str] = CATEGORIES, scope=None) -> pd.DataFrame:
    """``agreement_table`` on the decisions each pair made blind (``blind_votes``)."""
    return _pairs_table(blind_votes(log, study_time, ends, scope), categories)


def _pairs_table(votes_by_pair: dict, categories: Sequence[str]) -> pd.DataFrame:
    """``agreement_table`` of each pair's votes (``blind_votes``), one row per pair."""
    rows = [agreement_table(v.rename(columns={"group_record_id": "record_id"}), categories)
            for v in votes_by_pair.values()]
    rows = [r for r in rows if len(r)]
    return pd.concat(rows, ignore_index=True) if rows else agreement_table(pd.DataFrame(
        columns=["record_id", "reviewer", "decision"]), categories)


def _blind_inputs(project, stage: str = STAGE) -> tuple[pd.DataFrame, pd.Series, list]:
    """(the reviewers' log of ``stage``, when each study was imported, the owner's ends of the
    blinding): what ``blind_votes`` reads. A reviewer's exclude on the records left unread at their stop
    (``REST_EXCLUDED``) is no screening: counted as a vote, the 40 records both excluded unread read as 40
    agreements, and 13 of 20 records agreed on (65%) as 53 of 60 (88.3%); nor does it end their blinding."""
    from .store.base import rest_excluded

    log = project._study_log(stage)
    log = log[(log["role"] == "reviewer").to_numpy() & ~rest_excluded(log["origin"])]
    sources = project.store.record_sources()
    imported = pd.to_datetime(project.store.sources_frame()["imported_at"], utc=True, errors="coerce",
                              format="ISO8601")
    at = sources["source_id"].map(imported)
    ids = pd.Series(at.index, index=at.index)
    study_time = at.groupby(ids.map(project._primary_of()).fillna(ids).astype(int).to_numpy()).min()
    from .accounts import BLINDING_SETTINGS

    # each stage's own ends: the title/abstract end left the full texts blind (``accounts.blinding_ended``)
    ended = project.store.get_setting(BLINDING_SETTINGS.get(stage, BLINDING_SETTINGS[STAGE]))
    ends = [*(ended.get("earlier") or []), ended] if isinstance(ended, dict) else []
    return log, study_time, ends


def agreement_frame(project, stage: str = STAGE) -> pd.DataFrame:
    """The agreement table on each reviewer's blind decisions (``blind_votes``): a decision changed
    to the other's once the blinding was over counted as agreed, and raised kappa."""
    return blind_agreement_table(*_blind_inputs(project, stage), stage_categories(stage), _lift_scope(project, stage))


def _lift_scope(project, stage: str):
    """The studies two reviewers must each have decided for the blinding of ``stage`` to lift (``blind_votes``):
    every study at title and abstract (None), the reports passed on at full text (``accounts.sees_full_text``)."""
    if stage == STAGE:
        return None
    from .accounts import passed_on

    return passed_on(project)


@dataclass
class DualScreening:
    """Where a dual screening's disagreements stand, for the methods text: each of ``differ`` is
    settled by a resolver (``settled``), by a reviewer who changed their decision to the other's
    (``changed``), or not settled yet (``open``)."""

    table: pd.DataFrame  #: ``agreement_frame``: agreement and kappa on the decisions made blind
    both: int = 0  #: studies that two (or more) reviewers' decisions stand on
    differ: int = 0  #: of these, the studies on which the reviewers differed
    settled: dict[str, int] = field(default_factory=dict)  #: settled by each resolver (name: studies)
    changed: int = 0  #: blind decisions differed; now agree, with no resolver
    open: int = 0  #: differ still, no resolver has decided (``Project.conflicts``)
    #: of ``differ``, the studies one reviewer read and another excluded unread at their stop: not in ``both``
    unread: int = 0


def dual_screening(project, stage: str = STAGE) -> DualScreening:
    """The disagreements of a dual screening at ``stage`` and how far they are settled, with the
    agreement table. A resolver's decision that a reviewer's later change reopened settles nothing
    (``Project.standing_resolutions``)."""
    log, study_time, ends = _blind_inputs(project, stage)
    votes_by_pair = blind_votes(log, study_time, ends, _lift_scope(project, stage))
    table = _pairs_table(votes_by_pair, stage_categories(stage))
    last = project.reviewer_decisions(stage=stage)
    votes = last[last["role"] == "reviewer"]
    if votes.empty:
        return DualScreening(table)
    agg = votes.groupby("group_record_id")["decision"].agg(["size", "nunique"])
    # an exclude on the records left unread at a reviewer's stop (``REST_EXCLUDED``) is no screening: counted, the
    # methods text read "differed on 7 of the 60 records both screened" with 40 of them read by no one, and "1 of
    # the 60" where one reviewer read all 60 and the other 20, the 39 read by one counted as agreements. Both
    # screened: two reviewers read it. A conflict one reviewer read and another excluded unread is counted apart
    # (``unread``): among the records both screened, the methods text read "differed on 3 of the 8 records both
    # screened" beside "agreed on 5 of the 6 records both screened" and the agreement table's 6
    from .store.base import rest_excluded

    read = pd.Series(~rest_excluded(votes["origin"]), index=votes.index).groupby(votes["group_record_id"]).sum()
    differ = set(agg.index[(agg["size"] >= 2) & (agg["nunique"] > 1)])
    by_two = read.reindex(agg.index).fillna(0).to_numpy() >= 2
    both = agg.index[by_two]
    unread = len(differ - set(both))
    res = project.standing_resolutions(last, stage=stage)
    by = res[res["group_record_id"].isin(differ)].groupby("group_record_id")["reviewer"].last()
    blind_differ = set()
    for pair in votes_by_pair.values():
        if pair.empty:
            continue
        wide = pair.pivot_table(index="group_record_id", columns="reviewer", values="decision", aggfunc="last")
        blind_differ |= set(wide.index[wide.nunique(axis=1) > 1]) if wide.shape[1] >= 2 else set()
    changed = len(blind_differ & (set(both) - differ))
    return DualScreening(table, both=len(both), differ=len(differ) + changed,
                         settled=dict(Counter(by.astype(str)).most_common()), changed=changed,
                         open=len(differ - set(by.index)), unread=unread)

__all__ = ["CATEGORIES", "DualScreening", "agreement_frame", "agreement_table", "blind_agreement_table", "blind_votes",
           "cohen_kappa", "dual_screening", "interpret_kappa", "kappa_interval", "stage_categories"]
