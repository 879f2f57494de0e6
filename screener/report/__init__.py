"""The screening report: one HTML file a review team can archive, share and cite from.

It holds the PRISMA 2020 numbers for identification and screening, the recall curve with the
recall estimate, the settings that made the ranking, and a methods paragraph to paste into the
paper. Everything is inline (CSS, the plot as a base64 PNG), so the file opens without a network
and still reads the same in ten years. Record text goes through Jinja2 with autoescape: a title
with markup in it is shown as text, never run.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from screener import __version__
from screener.status import conflicts_only, screening_history, waiting_parts
from screener.store.base import DEDUP_RUN_DECISIONS, rest_excluded


def _svm_fusion_words(c: str, weighing: str) -> str:
    """Words for the SVM + embedding fusions, which differ in the SVM's C and how the weights are made."""
    return (f"a linear support vector machine on TF-IDF word and word-pair features (C {c}, includes weighted 9.8 "
            f"times) and a logistic regression on sentence embeddings, whose rankings are fused, {weighing}; the "
            "TF-IDF model starts with half again the weight")


_LEADS = ("the one that better separates the includes from the excludes screened so far (cross-validated each time "
          "a quarter more records are screened) weighing {} more")

#: Plain words for each ranker a project may store (``screener.rankers.RANKERS``).
RANKER_WORDS = {
    "logreg-tfidf": "logistic regression on TF-IDF word and word-pair features",
    "svm-tfidf": "a linear support vector machine on TF-IDF word and word-pair features",
    "nb-tfidf": "naive Bayes on TF-IDF word and word-pair features",
    "logreg-embed": "logistic regression on sentence embeddings",
    "svm-embed": "a linear support vector machine on sentence embeddings",
    "logreg-concat": "logistic regression on TF-IDF features and sentence embeddings together",
    "svm-concat": "a linear support vector machine on TF-IDF features and sentence embeddings together",
    "fusion": "two logistic regressions (TF-IDF and sentence embeddings) whose rankings are fused",
    "logreg-concat-w10": "logistic regression on TF-IDF features and sentence embeddings together",
    "fusion-logreg": "two logistic regressions (TF-IDF and sentence embeddings) whose rankings are fused",
    "learned-fusion": "two logistic regressions (TF-IDF and sentence embeddings) whose rankings are fused, each "
                      "weighted by how well it separates the includes from the excludes screened so far "
                      "(cross-validated)",
    "learned-fusion-grid": "two logistic regressions (TF-IDF and sentence embeddings) whose rankings are fused, "
                           "each weighted by how well it separates the includes from the excludes screened so far "
                           "(cross-validated each time a quarter more records are screened; the TF-IDF model "
                           "starts with half again the weight)",
    "learned-fusion-svm": _svm_fusion_words("0.11", "each weighted by how well it separates the includes from the "
                                            "excludes screened so far (cross-validated each time a quarter more "
                                            "records are screened)"),
    "learned-fusion-svm-p3": _svm_fusion_words("0.11", _LEADS.format("much")),
    "learned-fusion-svm-p3-c031": _svm_fusion_words("0.031", _LEADS.format("much")),
    "learned-fusion-svm-p3-c047": _svm_fusion_words("0.047", _LEADS.format("much")),
    "learned-fusion-svm-p5": _svm_fusion_words("0.11", _LEADS.format("far")),
    "learned-fusion-svm-p3-c047-cvpreq": _svm_fusion_words(
        "0.047", "the one that better separates the includes from the excludes screened so far (cross-validated, "
                 "and each earlier model scored on the records screened after it, each time a quarter more records "
                 "are screened) weighing much more"),
}

#: Plain words for each recall estimator (``screener.stopping.default_estimators`` names).
METHOD_WORDS = {
    "score_sample": "model-based recall estimate (a binormal model of how includes are spread down the ranking)",
    "hypergeometric": "hypergeometric stopping test (Callaghan & M\u00fcller-Hansen 2020)",
    "qbcb": "quantile binomial coverage bound on a random sample (Lewis, Yang & Frieder 2021)",
    "knee": "knee method (Cormack & Grossman 2016)",
    "consecutive": "consecutive-excludes heuristic (a baseline, never the basis of advice)",
}

#: Short names for a plot legend.
METHOD_SHORT = {"score_sample": "model-based", "hypergeometric": "hypergeometric test", "qbcb": "QBCB",
                "knee": "knee method", "consecutive": "consecutive excludes"}

#: Which records the reviewer is shown next, in a reviewer's words (the project's 'query' setting).
STRATEGY_WORDS = {
    "max": "the most likely includes first",
    "uncertainty": "the records the model is least sure about first",
    "mixed": "mostly the most likely includes first, with some uncertain and some random records",
    "random": "in random order",
}


# ---------------------------------------------------------------------------------------------
# The numbers
# ---------------------------------------------------------------------------------------------
def prisma_numbers(project) -> dict:
    """PRISMA 2020 identification and screening counts, under the names the templates use."""
    from ..status import agreement_words, team_size

    c = project.prisma_counts()
    return {
        "identified": c["identified"],
        "per_source": [(str(k), int(v)) for k, v in c["databases_per_source"].items()],
        "other_sources": [(str(k), int(v)) for k, v in c["other_methods_per_source"].items()],
        "identified_databases": c["identified_databases"],
        "database_files": c["database_files"],
        "registers": [(str(k), int(v)) for k, v in c.get("registers_per_source", {}).items()],
        "identified_registers": c.get("identified_registers", 0),
        "register_files": c.get("register_files", 0),
        "duplicates": c["duplicates_removed"],
        "not_deduplicated": c.get("not_deduplicated", 0),
        "after_dedup": c["after_deduplication"],
        "screened": c["screened"],
        "included": c["included"],
        "excluded": c["excluded"],
        "maybe": c["maybe"],
        "not_screened": c["not_screened"],
        "excluded_unscreened": c.get("excluded_unscreened", 0),
        "awaiting": c.get("awaiting_agreement", 0),
        # what those records wait for, in words true of the team: a team of three is no 'two reviewers'. screener's
        # own words, no reviewer's text: the report shows them as is ('|safe'), as the words written there before
        "awaiting_whose": agreement_words(team_size(project) if project.settings.get("mode") == "dual" else 2),
        "identified_other": c["identified_other"],
        "full_text_assessed": c["full_text_assessed"],
        "full_text_included": c["full_text_included"],
        "full_text_excluded": c["full_text_excluded"],
        "full_text_maybe": c["full_text_maybe"],
        "full_text_awaiting": c.get("full_text_awaiting", 0),
        "full_text_not_assessed": c.get("full_text_not_assessed", 0),
        "full_text_not_retrieved": c.get("full_text_not_retrieved", 0),
        "full_text_sought": c.get("full_text_sought", 0),
        "full_text_not_passed_on": [int(r) for r in c.get("full_text_not_passed_on", [])],
        "full_text_not_retrieved_not_passed_on": [int(r) for r in c.get("full_text_not_retrieved_not_passed_on", [])],
        "full_text_reasons": [(str(k), int(v)) for k, v in c["full_text_excluded_reasons"].items()],
        # each search by the day it was imported, a search update apart: given where there was more than one
        "searches": c.get("searches", []) if len(c.get("searches", [])) > 1 else [],
        # the review updates a previous version: its studies and reports (None where not known), PRISMA 2020's
        # flow for updated reviews; None for a new review
        "previous": project.previous_version(),
    }


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


@dataclass
class EstimateRow:
    """One estimator's reading, in the shape the report and the demo print."""

    method: str
    label: str
    recall: float
    recall_low: float
    recall_high: float
    remaining: float
    remaining_low: float
    remaining_high: float
    stop: bool
    note: str = ""
    #: why its stop is withheld while the advice says 'Not yet' (``screener.status._hold_stop``), "" where it is not
    held: str = ""
    recommended: bool = False
    #: no include found yet, records left: the interval is not estimable (``stopping.base.not_estimable``)
    not_estimable: bool = False
    #: the estimate's own kind of interval where it says one (``stopping.base.Estimate.sides``)
    own_sides: str = ""

    @property
    def no_include_words(self) -> str:
        """What the interval reads while ``not_estimable``, as 'screener status' and the dashboard say it."""
        from screener.stopping.base import NO_INCLUDE_INTERVAL

        return NO_INCLUDE_INTERVAL

    @property
    def has_point(self) -> bool:
        return _finite(self.recall)

    @property
    def sides(self) -> str:
        """'one-sided' (the hypergeometric test's bound, QBCB's count bound) or 'two-sided': what the recall interval
        is."""
        from screener.stopping.base import interval_sides

        return self.own_sides or interval_sides(self.method)

    @property
    def has_interval(self) -> bool:
        return _finite(self.recall_low) and _finite(self.recall_high) and not (
            self.recall_low == self.recall_high == self.recall)

    @property
    def has_remaining_interval(self) -> bool:
        return _finite(self.remaining_low) and _finite(self.remaining_high) and not (
            self.remaining_low == self.remaining_high == self.remaining)


@dataclass
class StoppingSummary:
    """The recall estimates and the advice, read from ``screener.stopping`` in one place."""

    estimates: list[EstimateRow] = field(default_factory=list)
    recommended: EstimateRow | None = None
    stop: bool = False
    headline: str = ""
    details: list[str] = field(default_factory=list)
    criterion: str = ""
    #: the method the stop rests on (its row), when it is not the recommended one: a random sample's
    #: certificate can stop while the recommended estimate still says not yet
    basis: EstimateRow | None = None
    target_recall: float = 0.95
    confidence: float = 0.95
    #: records of the rest excluded unread at the stop read since (decision by record id,
    #: ``recall_status``'s ``read_since_stop``): screened and found, not in the reading at the stop
    read_since_stop: pd.Series | None = None
    #: the includes (and maybes) the reading at the stop counts
    found_at_stop: int = 0
    #: only conflicts left: said beside each method's includes left (``screener.status.in_conflict_words``)
    in_conflict: str = ""
    #: False at a stop on the model-based estimate alone, the hypergeometric test not sharing it (the headline says so)
    confirmed: bool = True


def _estimate_row(name: str, e, recommended_method: str | None) -> EstimateRow:
    """One ``screener.stopping.Estimate`` under the name ``run_all`` gave it."""
    return EstimateRow(
        method=name, label=METHOD_WORDS.get(name, name.replace("_", " ")), recall=float(e.recall),
        recall_low=float(e.recall_low), recall_high=float(e.recall_high), remaining=float(e.remaining),
        remaining_low=float(e.remaining_low), remaining_high=float(e.remaining_high), stop=bool(e.stop),
        note=str(e.note or ""), held=str(getattr(e, "held", "") or ""),
        recommended=recommended_method is not None and name == recommended_method,
        own_sides=str(getattr(e, "sides", "") or ""))


def summarise_stopping(history, estimates, advice, *, target_recall: float, confidence: float) -> StoppingSummary:
    """Put ``run_all``'s estimates and ``recommend``'s ``Advice`` into one plain structure."""
    rec = advice.recommended if advice is not None else None
    items = estimates.items() if isinstance(estimates, dict) else ((e.method, e) for e in (estimates or []))
    rows = [_estimate_row(name, e, rec) for name, e in items]
    from screener.stopping.base import not_estimable

    for r in rows:  # no include found yet: '0%–100%' is no interval of a recall there is not
        r.not_estimable = not_estimable(history.includes_found, history.n_remaining, r.recall_low, r.recall_high)
    recommended = next((r for r in rows if r.recommended), None)
    if recommended is None and advice is not None and advice.estimate is not None:
        recommended = _estimate_row(rec, advice.estimate, rec)
        recommended.not_estimable = not_estimable(history.includes_found, history.n_remaining,
                                                  recommended.recall_low, recommended.recall_high)
    if advice is None:
        return StoppingSummary(estimates=rows, recommended=recommended, target_recall=target_recall,
                               confidence=confidence)
    stop = bool(advice.stop)
    on = getattr(advice, "basis", "") if stop else ""
    basis = next((r for r in rows if r.method == on), None) if on and on != rec else None
    if on == "records_left":  # no estimate needed: recall reaches the target even if all left are includes
        nan = float("nan")
        basis = EstimateRow(method=on, label=("count of the records left (recall reaches the target even if every one "
                                              "of them is an include)"), recall=nan, recall_low=nan, recall_high=nan,
                            remaining=nan, remaining_low=nan, remaining_high=nan, stop=True)
    if history.n_remaining == 0:
        headline = ALL_SCREENED_HEADLINE
    elif stop and not getattr(advice, "confirmed", True):
        # "The stopping rule is met: you can stop screening" was read and acted on at 89% recall; that the
        # hypergeometric test did not confirm it was said only in the notes below. What confirming it takes is the
        # advice's, just below: said here too it came twice, its figure in both
        from ..stopping.advice import NOT_CONFIRMED

        headline = (f"The model's estimate says you can stop screening ({_short_pct(target_recall)} target recall), "
                    f"but {NOT_CONFIRMED} (see below).")
    elif stop:
        headline = f"The stopping rule is met: you can stop screening ({_short_pct(target_recall)} target recall)."
    else:
        headline = "Keep screening."
    return StoppingSummary(estimates=rows, recommended=recommended, stop=stop, headline=headline,
                           # the notes marked as 'screener status' and the dashboard mark them (one began in
                           # lower case, 'model-based estimate (from the ranking positions): ...', read as advice)
                           details=[advice.message, *(f"Note: {w}" for w in advice.warnings)],
                           criterion=(METHOD_WORDS.get(basis.method, basis.label) if basis is not None else
                                      METHOD_WORDS.get(rec, str(rec)) if rec else ""), basis=basis,
                           target_recall=target_recall, confidence=confidence,
                           confirmed=not stop or getattr(advice, "confirmed", True))


#: the report's headline with no record left to screen (``_summary_of`` words it otherwise while a reviewer of a
#: team of three still screens)
ALL_SCREENED_HEADLINE = "Every record has been screened."


def _short_pct(x) -> str:
    """A target or confidence as set (97.5%, not 98%)."""
    from screener.stopping.base import level_pct

    return level_pct(x)


def stopping_summary(project, history=None) -> StoppingSummary:
    """Run every recall estimator on the project's decisions and take the recommended advice."""
    from screener.status import recall_status

    return _summary_of(recall_status(project, history=history))


def _summary_of(st: dict) -> StoppingSummary:
    """``stopping_summary`` of a status already read (``screener.status.recall_status``). After the
    rest was excluded unread at the stop, no record is left to screen: the headline says screening
    stopped (it read 'Keep screening.' beside a methods text saying it had stopped, or, the rule met,
    'you can stop screening' beside the advice's "Screening stopped with 250 records left")."""
    out = summarise_stopping(st["history"], st["estimates"], st["advice"], target_recall=st["target_recall"],
                             confidence=st["confidence"])
    out.read_since_stop, out.found_at_stop = st.get("read_since_stop"), int(st["history"].includes_found)
    from screener.status import in_conflict_words

    out.in_conflict = in_conflict_words(st)
    c = st.get("counts")
    k = getattr(c, "excluded_unscreened", 0) if c is not None else 0
    if k and not c.left and out.headline:
        k += 0 if out.read_since_stop is None else len(out.read_since_stop)  # left at the stop, as the advice says
        how = "" if out.confirmed else (" on the model's estimate alone (the hypergeometric test, which assumes "
                                        "less, did not confirm it)")
        out.headline = (f"Screening stopped {'when' if out.stop else 'before'} the stopping rule was met{how}: the {k} "
                        f"record{'' if k == 1 else 's'} left {'was' if k == 1 else 'were'} excluded without "
                        "screening. Report the recall estimated at the stop, below.")
    dual = st.get("dual")
    waiting = dual.waiting_words() if dual is not None else ""
    if st.get("still_screening") and out.headline:  # '0 left' and 'every record has been screened' beside Cara's 20
        from screener.status import still_screening_words

        still = still_screening_words(st["still_screening"], st.get("still_screening_disabled", ()))
        out.details = [*out.details, still]
        if out.headline == ALL_SCREENED_HEADLINE:  # each counts as screened; Cara has not screened them all
            out.headline = "Every record counts as screened."
    # the dashboard's words: 'screen about 1 more records' with none to screen; also after a stop whose conflicts
    # are still to settle ('Keep screening.' where 'screener status' said to settle them, none left to screen)
    if waiting and out.headline:
        out.details = [*out.details, waiting]
        if conflicts_only(st):  # the advice's 'Keep screening with screener next' had no record to give: status's words
            from screener.status import NOT_YET_SETTLED

            out.headline, out.details[0] = conflicts_only(st), NOT_YET_SETTLED
    return out


# ---------------------------------------------------------------------------------------------
# Formatting helpers
# ---------------------------------------------------------------------------------------------
def fmt_pct(x, target=None) -> str:
    """An estimated recall as 'screener status' and the dashboard print it: never read as the target
    ``target`` (or 100%) where it falls short of it (``screener.stopping.base.recall_pct``)."""
    from screener.stopping.base import recall_pct

    return recall_pct(x if _finite(x) else None, target, "\u2013")


def fmt_num(x) -> str:
    """An expected number of includes as ``screener status`` prints it: "120", not "120.2"; tenths
    only below 10, where they still say something."""
    if not _finite(x):
        return "\u2013"
    x = float(x)
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 or abs(x) >= 9.95 else f"{x:.1f}"


def pct(a, b) -> str:
    """A share to a tenth of a percent; below all of it never '100.0%' (1999 of 2,000 screened is 99.9%, not
    every record)."""
    if not b:
        return "\u2013"
    x = 100 * a / b
    return f"{math.floor(10 * x) / 10 if a < b and f'{x:.1f}' == '100.0' else x:.1f}%"


def _model_settings(project) -> dict:
    """The project's settings with those of the newest model ranking a screened record came from: a
    model tried after the last decision ('screener next --model nb-tfidf', nothing screened from it)
    ranked none of the records the report describes. The newest ranking while none was screened from."""
    import numpy as np

    from screener.status import _in_force_at_first_decision

    settings = dict(project.settings)
    ranking = None
    cur = project.current_decisions()
    if len(cur):
        _, which = _in_force_at_first_decision(project, cur.index.to_numpy(dtype=np.int64))
        model = project.store.rankings_with("phase", ["model"])
        used = sorted({int(r) for r in which if int(r) in model})
        if used:
            ranking = project.store.ranking_settings([used[-1]]).get(used[-1])
    if ranking is None:
        latest = project.store.latest_ranking()
        ranking = None if latest is None else latest[0]
    if ranking is not None:
        settings.update({f"ranking_{k}": v for k, v in ranking.items()})
    return settings


def _ranker_of(settings: dict) -> str:
    """The ranker that ranked, by its name: 'default' is the project's own (the lexical fallback when it
    has no embedding model)."""
    ranker = settings.get("ranking_ranker") or settings.get("ranker") or "default"
    if ranker == "default":
        from screener.rankers import default_ranker

        from screener.features.embeddings import no_model

        ranker = default_ranker(not no_model(settings.get("embedding_model", "default")))
    return str(ranker)


def model_in_words(settings: dict) -> str:
    """The ranking model in words first, then the name that picks it again (``--model``): a reviewer
    reads what ranked, not a code name (a name this screener has no words for is given as it is)."""
    ranker, words = _ranker_of(settings), describe_model(settings)
    return f"{words} (--model {ranker})" if ranker in RANKER_WORDS else words


def describe_model(settings: dict) -> str:
    ranker = _ranker_of(settings)
    words = RANKER_WORDS.get(ranker, ranker)
    emb = settings.get("ranking_embedding_model")
    features = settings.get("ranking_features")
    if emb and features in ("embedding", "both"):
        from screener.features.embeddings import model_name

        words += f" (embedding model: {model_name(emb)})"
    return words


def models_used(project) -> list[tuple[str, int]]:
    """(ranker, records first screened while a ranking of it was in force) for each model that
    ranked after the cold start, in the order first used: a model changed mid-review ('screener
    next --model') ranked only what was screened from it, and the latest alone described the whole
    screening ("naive Bayes ..." for the 5 last records of 130)."""
    import numpy as np

    from screener.rankers import RANKERS
    from screener.status import _in_force_at_first_decision

    cur = project.current_decisions()
    if not len(cur):
        return []
    _, which = _in_force_at_first_decision(project, cur.index.to_numpy(dtype=np.int64))
    rankers = project.store.rankings_with("ranker", list(RANKERS))
    model = project.store.rankings_with("phase", ["model"])
    out: dict[str, int] = {}
    for rid in which:
        if int(rid) in model and int(rid) in rankers:
            out[rankers[int(rid)]] = out.get(rankers[int(rid)], 0) + 1
    return list(out.items())


def _start_only(project) -> tuple[int, bool]:
    """(how many records were screened, whether the similarity step ranked any of them), when every one of them
    was first decided while no model's ranking was in force: the cold start's (random order, or the protocol
    match), or, includes found but no exclude yet, the ranking by similarity to the includes; else (0, False).
    The methods paragraph then says no model ranked them, not "After that, a model ... was retrained", a step
    that had not happened. In dual screening a record one reviewer screened counts (it was shown from a
    ranking), not only the agreed ones: with none agreed yet the paragraph spoke of a model retrained on them."""
    import numpy as np

    from screener.status import _in_force_at_first_decision

    votes = project.reviewer_decisions()
    if "origin" in votes.columns:
        votes = votes[~rest_excluded(votes["origin"])]  # the rest excluded unread at the stop: no one's screening
    ids = votes["group_record_id"].drop_duplicates().to_numpy(dtype=np.int64)
    if not len(ids):
        return 0, False
    _, which = _in_force_at_first_decision(project, ids)
    start = project.store.rankings_with("phase", ["random", "protocol"])
    similar = project.store.rankings_with("phase", ["similarity"])
    if not all(int(rid) in start or int(rid) in similar for rid in which):
        return 0, False
    return len(ids), any(int(rid) in similar for rid in which)


def _describe_each(s: dict, used: list[tuple[str, int]], *, names: bool = False) -> str:
    """Each model of ``models_used`` in words, with the records screened from its rankings."""
    from screener.rankers import RANKER_FEATURES

    def one(name: str, words=describe_model) -> str:
        return words({**s, "ranking_ranker": name, "ranking_features": RANKER_FEATURES.get(name)})

    if names:  # the settings table
        return "; ".join(f"{one(name, model_in_words)}, {n} record{'' if n == 1 else 's'}" for name, n in used)
    return ", ".join(f"{'then ' if i else ''}{one(name)} for {n}{' of the records screened' if not i else ''}"
                     for i, (name, n) in enumerate(used))


def not_blind(project, stage: str = "title_abstract") -> tuple[str, int, int] | None:
    """(the day or days the owner ended the blinding of ``stage``, the reviewers' decisions of that stage
    made while it was ended, all of them), or None while every decision was made blind. Each end holds
    until the next import (``accounts.blinding_ended``), so the decisions after that are blind again,
    until the owner ends it again (the setting keeps the earlier ends)."""
    from ..accounts import BLINDING_SETTINGS

    ended = project.store.get_setting(BLINDING_SETTINGS[stage])
    if not ended:
        return None
    ends = [*(ended.get("earlier") or []), ended] if isinstance(ended, dict) else [{}]
    log = project.decision_log()
    log = log[(log["stage"] == stage) & (log["role"] == "reviewer")]
    made = pd.to_datetime(log["created_at"], utc=True, errors="coerce", format="ISO8601")
    imported = pd.to_datetime(project.store.sources_frame()["imported_at"], utc=True, errors="coerce",
                              format="ISO8601")
    seen = pd.Series(False, index=log.index)
    days = []
    for end in ends:
        at = pd.to_datetime(end.get("at") if isinstance(end, dict) else None, utc=True, errors="coerce")
        if pd.isna(at):  # when is not known: every decision may have been made after it
            return "", len(log), len(log)
        later = imported[imported > at]
        until = later.min() if len(later) else None
        during = (made > at) & (made < until if until is not None else True)
        day = f"{at.to_pydatetime().astimezone():%Y-%m-%d}"  # the reviewer's own day, as the searches' days are
        if during.any() and day not in days:
            days.append(day)
        seen |= during
    n = int(seen.sum())
    return (" and ".join(days), n, len(log)) if n else None


def _blind_words(project) -> str:
    """The dual screening's blinding as the methods text and settings table say it."""
    from ..status import team_size

    others = "other's" if team_size(project) <= 2 else "others'"
    nb = not_blind(project)
    if nb is None:
        return f"each blind to the {others} decisions"
    day, n, total = nb
    from ..records import noun

    # the title/abstract end only: the full texts stay blind until their own end (``accounts.blinding_ended``)
    return (f"each blind to the {others} decisions until the owner ended the title/abstract blinding"
            f"{' on ' + day if day else ''} ({n} of the {total} title/abstract decisions {noun(n, 'was', 'were')} "
            f"made after that, seeing the {others})")


def _mode_words(project) -> str:
    """Dual screening's mode as the settings table says it: blind, until the owner ended each stage's
    blinding (the decisions made after the end of either, seeing the other's)."""
    ended = [words for stage, words in (("title_abstract", "the title/abstract blinding"),
                                        ("full_text", "the full-text blinding")) if not_blind(project, stage)]
    from ..status import team_size

    n = team_size(project)
    who = "two reviewers" if n <= 2 else f"{n} reviewers, two or more on each record"
    return f"{who}, blind" + (" until the owner ended " + " and ".join(ended) if ended else "")


def _imported_not_dual_screened(project) -> int:
    """Dual screening: the studies whose title/abstract decision in force is the one they were
    imported with (a partly screened review moved in), which two reviewers have not both screened."""
    from ..project import IMPORT_REVIEWER

    cur = project.current_decisions()
    came = cur.index[cur["reviewer"] == IMPORT_REVIEWER]
    if not len(came):
        return 0
    votes = project.reviewer_decisions()
    n = votes[votes["role"] == "reviewer"].groupby("group_record_id")["reviewer"].nunique()
    return int(sum(n.get(s, 0) < 2 for s in came))


def _n(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def _kappa(x: float) -> str:
    """Kappa to two decimals, as the dashboard shows it; never '-0.00'."""
    s = f"{x:.2f}"
    return "0.00" if s == "-0.00" else s


def _agreement_words(table: pd.DataFrame, *, blind: bool, full_text: bool = False) -> str:
    """Percent agreement and Cohen's kappa of each pair of reviewers (``agreement_frame``, the
    dashboard's figures) as a sentence; a kappa that is not defined is said in words. ``blind``:
    the owner ended the blinding, so the figures are on the decisions made before that.
    ``full_text``: of the reports both assessed at full text, the sentence starting 'At full text,'."""
    from ..agreement import MIN_STUDIES_FOR_WORDS, interpret_kappa, stage_categories

    cats = stage_categories("full_text" if full_text else "title_abstract")
    one, many, done = ("report", "reports", _full_text_done(table)) if full_text else ("record", "records", "screened")

    def lead(sentence: str) -> str:
        return f" At full text, {sentence[0].lower()}{sentence[1:]}" if full_text else f" {sentence}"

    rows = [r for r in table.to_dict("records") if r["both_screened"]]
    pairs = len(table) > 1  # a team of three or more: kappa is computed for each pair, on what both of it decided
    if not rows:
        return lead(f"No {one} was {done} by {'any two' if pairs else 'both'} reviewers while blind, so no agreement "
                    "between them can be given.")
    said = []
    for r in rows:
        n = int(r["both_screened"])
        figures = f"{r['percent_agreement']:.1f}%"
        a_all = [c for c in cats if sum(r[f"a_{c}_b_{y}"] for y in cats) == n]
        b_all = [c for c in cats if sum(r[f"a_{x}_b_{c}"] for x in cats) == n]
        if not _finite(r["kappa"]):  # both put every record in one category: chance agreement is complete
            verb = {"include": "included", "exclude": "excluded", "maybe": "marked maybe",
                    "not_retrieved": "could not retrieve"}.get(
                a_all[0] if a_all else "", "decided alike")
            figures += (f"; Cohen's kappa is not defined, as both reviewers {verb} all {n}, so chance alone would "
                        "agree as often")
        elif a_all or b_all:  # po = pe: kappa 0, with no interval or word to give
            figures += (f"; Cohen's kappa {_kappa(r['kappa'])}; kappa is 0 whenever one reviewer gives every {one} "
                        "the same decision, however often the two agree")
        else:
            figures += f"; Cohen's kappa {_kappa(r['kappa'])}"
            if _finite(r["kappa_low"]) and _kappa(r["kappa_low"]) != _kappa(r["kappa_high"]):
                figures += f", 95% confidence interval {_kappa(r['kappa_low'])} to {_kappa(r['kappa_high'])}"
            if n >= MIN_STUDIES_FOR_WORDS:
                figures += f", {interpret_kappa(r['kappa'], n)} agreement on Landis and Koch's scale"
        said.append((r, f"{int(r['agree'])} of the {_n(n, one, many)} both {done}"
                        f"{' blind' if blind else ''} ({figures})"))
    if len(said) == 1 and not pairs:
        return lead(f"The two reviewers agreed on {said[0][1]}.")
    return lead(" ".join(f"Reviewers {r['reviewer_a']} and {r['reviewer_b']} agreed on {w}." for r, w in said))


def _dual_words(project) -> str:
    """Dual screening's disagreements as they stand: how many, settled by whom, how many open (the
    methods text said 'settled by a resolver' with conflicts still open); at title and abstract, and
    at full text where both reviewers assessed a report (left out, a paper's methods read as if
    they never disagreed on a full text)."""
    from ..agreement import dual_screening

    d = dual_screening(project)
    if not d.both:
        text = f" No record has been screened by {'two' if len(d.table) > 1 else 'both'} reviewers yet."
    else:
        text = _agreement_words(d.table, blind=not_blind(project) is not None)
    if d.differ:
        text += f" Their decisions differed on {_differed_words(d)}: " + _settled_words(
            d, "the numbers screened and included below are")
    # at full text, the same agreement and kappa (left out, a paper reported its reviewers' kappa at
    # title and abstract only, as if the full-text decisions had not been made in duplicate)
    ft = dual_screening(project, stage="full_text")
    ft_seen = not_blind(project, "full_text")
    if ft_seen is not None:  # else a reader took every full text as assessed blind
        day, n, total = ft_seen
        from ..records import noun

        # as at title and abstract (``_blind_words``): three assessing full texts saw the others'
        votes = project.reviewer_decisions(stage="full_text")
        others = "others'" if votes.loc[votes["role"] == "reviewer", "reviewer"].nunique() > 2 else "other's"
        text += (f" The reviewers assessed the full texts blind until the owner ended the full-text blinding"
                 f"{' on ' + day if day else ''} ({n} of the {total} full-text decisions {noun(n, 'was', 'were')} "
                 f"made after that, seeing the {others}).")
    if ft.both:
        text += _agreement_words(ft.table, blind=ft_seen is not None, full_text=True)
    if ft.differ:
        text += (f" Their full-text decisions differed on {ft.differ} of the {_n(ft.both, 'report', 'reports')} "
                 f"{_both(ft, _full_text_done(ft.table))}: " + _settled_words(ft, "the full-text figures are"))
    return text


def _full_text_done(table: pd.DataFrame) -> str:
    """What the reviewers did with the full texts both decided on: 'assessed', or, a report among them marked not
    retrieved (kappa counts it, ``stage_categories``), 'assessed or marked not retrieved'. A report no one could obtain
    is not assessed (PRISMA's 'reports not retrieved'): 'agreed on 3 of the 3 reports both assessed' sat beside a flow
    of 1 report assessed and 2 not retrieved."""
    marked = [c for c in table.columns if c.startswith("a_") and "not_retrieved" in c]
    return "assessed or marked not retrieved" if marked and table[marked].to_numpy().sum() else "assessed"


def _differed_words(d) -> str:
    """'3 of the 10 records both screened', and apart the records one reviewer read and another excluded unread at
    their stop (``DualScreening.unread``): no record both screened, as the agreement table counts them."""
    both = d.differ - d.unread
    said = [f"{both} of the {_n(d.both, 'record', 'records')} {_both(d, 'screened')}"] if both else []
    if d.unread:
        said.append(f"{_n(d.unread, 'record', 'records')} one reviewer read and another excluded unread at their stop")
    return f"{said[0]} and on {said[1]}" if len(said) > 1 else said[0]


def _both(d, done: str) -> str:
    """'both screened', or in a team of three or more (a pair of reviewers each in ``d.table``) 'screened by two or
    more reviewers': ``DualScreening.both`` counts those, by any of them."""
    return f"both {done}" if len(d.table) <= 1 else f"{done} by two or more reviewers"


def _settled_words(d, provisional: str) -> str:
    """How the ``d.differ`` disagreements of ``dual_screening`` were settled, and (some still open)
    that ``provisional`` ('the full-text figures are') until the owner settles them."""
    from ..project import IMPORT_REVIEWER

    parts = []
    if d.settled:
        names = [("the decision imported with the record" if who == IMPORT_REVIEWER else who) for who in d.settled]
        whom = (f"a resolver ({names[0]})" if len(names) == 1 else
                "resolvers (" + ", ".join(f"{w} {k}" for w, k in zip(names, d.settled.values())) + ")")
        k = sum(d.settled.values())
        parts.append((k, f"settled by {whom}"))
    if d.changed:
        parts.append((d.changed, "settled by a reviewer changing their decision to the other's after seeing it"))
    if d.open:
        parts.append((d.open, "not settled yet"))
    verb = {True: ("was", "were"), False: ("is", "are")}
    said = []
    for k, what in parts:
        one, many = verb[not what.startswith("not")]
        if k == d.differ and len(parts) == 1:
            said.append(f"{'it' if k == 1 else 'both' if k == 2 else f'all {k}'} {one if k == 1 else many} {what}")
        else:
            said.append(f"{k} {one if k == 1 else many} {what}")
    text = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
    if d.open:
        text += (f"; {provisional} provisional until the owner settles {'it' if d.open == 1 else 'them'} on the "
                 "Conflicts page ('screener serve'), and the report is written again")
    return text + "."


def _features(settings: dict) -> tuple[str | None, str | None]:
    """The features and embedding model of the ranking described; before any ranking (a report of the
    import), those the project's settings will rank with, not 'none' beside a model that embeds."""
    if "ranking_features" in settings:
        return settings.get("ranking_features"), settings.get("ranking_embedding_model")
    from screener.errors import ScreenerError
    from screener.features.embeddings import no_model
    from screener.rankers import RANKER_FEATURES
    from screener.screening import resolve_ranker

    embedding = settings.get("embedding_model") or "default"
    embedding = None if no_model(embedding) else str(embedding)
    try:
        return RANKER_FEATURES[resolve_ranker(settings.get("ranker"), embeddings=embedding is not None)], embedding
    except ScreenerError:  # a ranker this screener no longer has: its name is in the row above
        return None, embedding


def settings_rows(project, stopping: StoppingSummary | None) -> list[tuple[str, str]]:
    from screener.features.embeddings import model_name

    s = _model_settings(project)
    strategy = s.get("ranking_strategy") or s.get("query", "max")
    schedule = s.get("ranking_schedule") or {}
    features, embedding = _features(s)
    rows = [("Screening mode", _mode_words(project) if s.get("mode") == "dual" else "one reviewer"),
            ("Ranking model", model_in_words(s) if len(used := models_used(project)) < 2 else
             f"changed during screening (the records first screened from each model's rankings): "
             f"{_describe_each(s, used, names=True)}"),
            ("Features", {"tfidf": "TF-IDF of title and abstract", "embedding": "sentence embeddings of title and abstract",
                          "both": "TF-IDF and sentence embeddings"}.get(features, "TF-IDF of title and abstract")),
            ("Embedding model",
             model_name(embedding) if embedding else "none (the words of titles and abstracts only)"),
            ("Records shown next", STRATEGY_WORDS.get(strategy, f"in the order of the '{strategy}' setting"))]
    if schedule:
        rows.append(("Retraining", f"after every decision for the first {schedule.get('every_until', 100)} decisions, "
                                   f"then after each {100 * float(schedule.get('growth', 0.05)):.0f}% growth in labels"
                                   + ((" and at once after each new include"
                                       + (f" while {int(schedule['after_include_until'])} or fewer are found"
                                          if int(schedule.get("after_include_until") or 0) > 0 else ""))
                                      if schedule.get("after_include") else "")))
    protocol = project.protocol
    rows.append(("Cold start", "ranked by the review protocol's question, criteria and key terms"
                 if protocol is not None else "random order until the first include"))
    rows.append(("Random seed", str(s.get("ranking_seed", s.get("seed", 0)))))
    rows.append(("Target recall", _short_pct(s.get("target_recall", 0.95))))
    rows.append(("Confidence", _short_pct(s.get("confidence", 0.95))))
    if stopping is not None and stopping.criterion:
        rows.append(("Stopping criterion", stopping.criterion))
    amended = _protocol_amendments(project)
    if amended:
        rows.append(("Protocol file", _protocol_file_words(s.get("protocol_file"), amended)))
    elif s.get("protocol_file"):
        rows.append(("Protocol file", str(s["protocol_file"])))
    return rows


def _protocol_amendments(project) -> list[tuple[int, dict, str | None]]:
    """The protocol's changes made once screening had begun, oldest first: (the screening decisions made by then,
    the change, the file in force before it). Without them the report named only the file in force now, as if it
    had ranked the screening from the start."""
    from screener.protocol import INIT_BY

    changes = project.protocol_changes()
    if not changes:
        return []
    log = project.decision_log()
    made = log.loc[(log["stage"] == "title_abstract") & (log["decision"] != "retract"), "created_at"]
    # to the second, as each change is logged: a decision in the second of a change is not counted before it (the
    # protocol set with 'init', then a batch labelled at once)
    made = made.astype(str).str[:19].str.replace(" ", "T")
    # a change set at init came before any decision; one logged before another, no later than it. An earlier
    # screener timed the log by the computer's clock, the decisions by the server's: a laptop an hour ahead logged
    # the protocol set at init after the first hour's decisions, and the report said the screening began without it
    counts = [0 if c.get("by") == INIT_BY else int((made < str(c.get("at") or "")[:19]).sum()) for c in changes]
    for i in range(len(counts) - 2, -1, -1):
        counts[i] = min(counts[i], counts[i + 1])
    out, in_force = [], None
    for c, n in zip(changes, counts):
        was, in_force = in_force, (None if c.get("change") == "removed" else c.get("file"))
        if n and c.get("change") != "set again":
            out.append((n, c, was))
    return out


def _protocol_at_start(project) -> bool:
    """Whether a protocol ranked the screening's start: the one in force before its first change during screening,
    else the one in force now. Read from now, a protocol taken out mid-way left its start "shown in random order",
    and one first set mid-way had ranked it."""
    amended = _protocol_amendments(project)
    return amended[0][2] is not None if amended else project.protocol is not None


def _decisions(n: int) -> str:
    return f"{n} screening decision{'' if n == 1 else 's'}"


def _amendment_words(n: int, c: dict, was: str | None) -> str:
    """One change of the protocol during screening, for the methods text."""
    if c.get("change") == "removed":
        return f"after {_decisions(n)}, {was or 'the protocol'} was taken out and the records ranked without one"
    if was is None:
        return f"after {_decisions(n)}, {c.get('file')} was set as the protocol"
    if was == c.get("file"):  # the review's copy keeps its name: "protocol.toml was replaced by protocol.toml"
        return f"after {_decisions(n)}, {was} was replaced by a revised version"
    return f"after {_decisions(n)}, {was} was replaced by {c.get('file')}"


def _protocol_file_words(in_force: str | None, amended: list[tuple[int, dict, str | None]]) -> str:
    """The settings' protocol file where the protocol changed during screening: the one in force, since when, and
    the one before it."""
    n, c, was = amended[-1]
    since = f"since {_decisions(n)} had been made"
    before = (f"; before that {was}" + (f" (kept as {c['kept_as']})" if c.get("kept_as") else "")) if was else ""
    more = (f"; the protocol was changed {len(amended)} times during screening ('screener protocol --history' "
            "lists them)" if len(amended) > 1 else "")
    return f"{in_force or 'none'}, {since}{before}{more}"


def _dedup_by_hand(project) -> str:
    """What reviewers decided in the de-duplication review, in words ('' when nothing): the pairs
    merged and kept apart, the records taken out of a group, as each stands now (the pair's latest
    word). Left out, the methods text named only the automatic rules, as if no one had checked.
    The words an import logged (a screener export's own groups) are no one's check here."""
    log = project.store.dedup_decisions_frame()
    if log.empty:
        return ""
    log = log[(log["origin"] != "import") & ~log["decision"].isin(DEDUP_RUN_DECISIONS)]
    pair = [(min(int(a), int(b)), max(int(a), int(b))) for a, b in zip(log["record_id"], log["other_id"])]
    log = log.assign(pair=pair, before=log.assign(pair=pair).groupby("pair")["decision"].shift())
    latest = log.groupby("pair").tail(1)
    # a merge of a record the reviewer had taken out ('--split 9' then '--merge 3,9', logged after the split's
    # 'unsplit') puts the group de-duplication made back: no group the rules missed ("1 pair ... merged")
    merges = (latest["decision"] == "merge") & (latest["before"] != "unsplit")
    merged = int(merges.sum())
    apart = int((latest["decision"] == "separate").sum())
    # a split of a record the reviewer had merged ('--merge 3,9' then '--split 9') undoes that merge: no group
    # of the automatic de-duplication was corrected ("1 record was taken out" of a group no rule made)
    splits = latest[latest["decision"] == "split"]
    undid = set(splits.loc[splits["before"] == "merge", "record_id"])
    split = int(splits.loc[~splits["record_id"].isin(undid), "record_id"].nunique())
    parts = []
    if merged:
        parts.append(f"{_n(merged, 'pair of records was', 'pairs of records were')} merged as one study")
    if apart:
        parts.append(f"{_n(apart, 'pair was', 'pairs were')} kept apart as different studies")
    if split:
        parts.append(f"{_n(split, 'record was', 'records were')} taken out of a duplicate group as a different "
                     "study")
    if not parts:
        return ""
    said = merges | (latest["decision"] == "separate") | ((latest["decision"] == "split")
                                                          & ~latest["record_id"].isin(undid))
    who = latest.loc[said, "reviewer"].nunique()
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ("," if len(parts) > 2 else "") \
        + " and " + parts[-1]
    return f" {'A reviewer' if who == 1 else 'Reviewers'} checked the de-duplication by hand: {listed}."


def methods_text(project, p: dict, stopping: StoppingSummary | None) -> list[str]:
    """The paragraphs a team can paste into the methods section, with this review's numbers."""
    if not p["identified"]:  # "0 databases ... 0 records in all" would be a methods text of nothing
        return ["The methods text is written here once the search results are imported."]
    paras = _screening_methods(project, p, stopping)
    prev = p.get("previous")
    if prev is not None:  # PRISMA 2020 item 3: an update says so (and the paper cites the previous version)
        paras[0] = (f"This review is an update of a previous version, which included {_studies(prev['studies'])}"
                    f"{_of_them(prev['reports'])}; the search and screening below are those of the update. "
                    + paras[0])
    return paras + ([_full_text_words(p)] if p.get("full_text_assessed") or p.get("full_text_not_retrieved") else [])


def _studies(k: int) -> str:
    return f"{k} stud{'y' if k == 1 else 'ies'}"


def _of_them(reports: int | None) -> str:
    return "" if reports is None else f" ({_n(reports, 'report', 'reports')} of {'it' if reports == 1 else 'them'})"


def _total_words(p: dict) -> str:
    """PRISMA 2020's 'Total studies included in review' of an updated review in words: the new studies and the
    previous version's, with the reports' total where the previous version's reports are known ('' for a new
    review)."""
    prev, k = p.get("previous"), p["full_text_included"]
    if prev is None:
        return ""
    reports = "" if prev["reports"] is None else f" ({_n(prev['reports'] + k, 'report', 'reports')})"
    if not k:  # "The 0 new studies and ..."
        return (f" No new study was included, so the review includes the {_studies(prev['studies'])} of the previous "
                f"version{reports}.")
    return (f" The {k} new stud{'y' if k == 1 else 'ies'} and the {prev['studies']} included in the previous version "
            f"make {_studies(prev['studies'] + k)} included in the review in total{reports}.")


def _full_text_words(p: dict) -> str:
    """PRISMA 2020's full-text boxes in words: the reports sought, those not retrieved (the full text
    could not be obtained: neither assessed nor excluded with a reason), those assessed, excluded and
    included."""
    k, sought = p.get("full_text_not_retrieved", 0), p.get("full_text_sought", 0)
    text = (f"Of the {_n(sought, 'report', 'reports')} sought for retrieval at full text, "
            + (f"{k} could not be retrieved (the full text could not be obtained) and " if k else "")
            + f"{p['full_text_assessed']} {'was' if p['full_text_assessed'] == 1 else 'were'} assessed for "
            f"eligibility: {p['full_text_excluded']} excluded and {p['full_text_included']} included in the review")
    left = [f"{p['full_text_maybe']} still undecided" if p.get("full_text_maybe") else "",
            f"{p['full_text_awaiting']} awaiting {p['awaiting_whose']}" if p.get("full_text_awaiting") else "",
            f"{p['full_text_not_assessed']} still to retrieve or assess" if p.get("full_text_not_assessed") else ""]
    left = [w for w in left if w]
    text += (f" ({'; '.join(left)})" if left else "") + "." + _total_words(p)
    off = p.get("full_text_not_passed_on") or []
    if off:  # the flow's note says so under the boxes; the paper's paragraph gave the figures with no word
        k = len(off)
        ids = ", ".join(str(r) for r in off[:20]) + (", ..." if k > 20 else "")
        it = "it" if k == 1 else "them"
        text += (f" These counts do not add up: {_n(k, 'report', 'reports')} given a full-text decision "
                 f"(record{'' if k == 1 else 's'} {ids}) {'was' if k == 1 else 'were'} not included (or marked maybe) "
                 f"at title and abstract; give {it} the title/abstract decision that passed {it} on, or check "
                 f"{'its' if k == 1 else 'their'} full-text decision{'' if k == 1 else 's'}, and write the report "
                 "again.")
    return text


def _moved_review_words(project, p: dict) -> str:
    """The sources here that are screener's exports of another review from several sources (``EXPORTED_REVIEWS``):
    counted as one 'database', the methods text read 'Records were retrieved from 1 database (1 export file): review
    (2)', and the import alone had said where the counts by source are."""
    from ..project import EXPORTED_REVIEWS

    moved = project.store.get_setting(EXPORTED_REVIEWS)
    here = {str(src) for src, _ in [*p["per_source"], *(p.get("other_sources") or []), *(p.get("registers") or [])]}
    words = [f"'{name}' is screener's export of another review, whose records came from {len(came)} sources there "
             f"({', '.join(came[:6])}{f' and {len(came) - 6} more' if len(came) > 6 else ''})"
             for name, came in (moved.items() if isinstance(moved, dict) else []) if name in here and came]
    if not words:
        return ""
    # two reviews moved in: 'that review's flow diagram' read as if there were one
    where = "that review's PRISMA flow diagram" if len(words) == 1 else "those reviews' PRISMA flow diagrams"
    return ("; ".join(words) + ": the records identified by each of those sources and the duplicates removed among "
            f"them are given in {where}, not counted here. ")


def _screening_methods(project, p: dict, stopping: StoppingSummary | None) -> list[str]:
    """``methods_text``'s paragraphs up to the end of title and abstract screening."""
    s = _model_settings(project)
    sources = ", ".join(f"{src} ({n})" for src, n in p["per_source"]) or "the searched databases"
    seed = s.get("ranking_seed", s.get("seed", 0))
    target = float(s.get("target_recall", 0.95))
    conf = float(s.get("confidence", 0.95))
    protocol = _protocol_at_start(project)
    other = p.get("other_sources") or []
    # databases and files apart: two files from one database (a search exported in parts) are one
    # database, and PRISMA counts the records per database
    n_db, n_files = len(p["per_source"]), p.get("database_files", len(p["per_source"]))
    searched = (f"{n_db} database{'' if n_db == 1 else 's'} ({n_files} export file{'' if n_files == 1 else 's'})"
                if n_db else "")
    # PRISMA 2020 counts registers (ClinicalTrials.gov, the WHO ICTRP) apart from the databases
    registers, n_reg = p.get("registers") or [], p.get("register_files", 0)
    searched_registers = (f"{len(registers)} register{'' if len(registers) == 1 else 's'} ({n_reg} export "
                          f"file{'' if n_reg == 1 else 's'}): " + ", ".join(f"{src} ({n})" for src, n in registers))
    if registers:
        parts = ([f"{searched}: {sources}, {_n(p['identified_databases'], 'record', 'records')}"] if n_db else []) \
            + [f"{searched_registers}, {_n(p['identified_registers'], 'record', 'records')}"]
        retrieved = "Records were retrieved from " + ", and from ".join(parts)
    if other and not n_db and not registers:
        found = "; ".join(f"{src} ({n})" for src, n in other)
        where = (("The 1 record was" if p["identified"] == 1 else f"All {p['identified']} records were")
                 + f" identified by methods other than a database search: {found}. ")
    elif other:  # PRISMA 2020: other methods (a hand search, citation searching) are reported apart
        found = "; ".join(f"{src} ({n})" for src, n in other)
        where = ((retrieved if registers else f"Records were retrieved from {searched}: {sources}, "
                  f"{_n(p['identified_databases'], 'record', 'records')}")
                 + f"; a further {p['identified_other']} "
                 f"{'was' if p['identified_other'] == 1 else 'were'} identified by other methods: {found}. That is "
                 f"{_n(p['identified'], 'record', 'records')} in all. ")
    elif registers and n_db:
        where = f"{retrieved}. That is {_n(p['identified'], 'record', 'records')} in all. "
    elif registers:
        where = (f"Records were retrieved from {searched_registers}, "
                 f"{_n(p['identified'], 'record', 'records')} in all. ")
    else:
        where = (f"Records were retrieved from {searched}: {sources}, "
                 f"{_n(p['identified'], 'record', 'records')} in all. ")
    strategy = s.get("ranking_strategy") or s.get("query", "max")
    dual = s.get("mode") == "dual"
    if project.store.latest_ranking_id() is None and not (p["screened"] or p.get("awaiting")):
        prioritised = ""  # nothing screened yet: no decision to say anything of
    elif project.store.latest_ranking_id() is None or _none_from_a_ranking(project):  # entered directly
        prioritised = (f"The decisions were entered into screener {__version__} directly (read in from another tool "
                       "or a spreadsheet); screener's prioritisation was not used.")
    else:
        k, similar = _start_only(project)  # no model's ranking screened from yet: none to describe
        prioritised = (
            f"Screening was prioritised with screener {__version__}. "
            + (_protocol_start_words(project) if protocol else
               "Before the first include was found, records were shown in random order. ")
            + (("No record screened so far was shown from a model's ranking: "
                + ("after the first include, with no exclude yet for a model to learn from, records were shown "
                   "by their similarity to the includes, and " if similar else "")
                + ("every record screened so far came" if k != p["screened"] else
                   "the 1 record screened came" if k == 1 else f"all {k} records screened came")
                + f" from {'these first stages' if similar else 'this first stage'} (random seed {seed}).")
               if k else
               f"After that, a model ({describe_model(s)}) was retrained on the "
               if len(used := models_used(project)) < 2
               else f"After that, the model was changed during screening ({_describe_each(s, used)}); each was "
                    "retrained on the ")
            + ("" if k else ("reviewers' agreed decisions" if dual else "reviewer's decisions") + " and "
               + ("the records most likely to be included were shown first" if strategy == "max" else
                  f"the records were shown in the order of the query strategy '{strategy}' "
                  f"({STRATEGY_WORDS.get(strategy, strategy)})")
               + f" (random seed {seed})."))
    if dual:
        came = _imported_not_dual_screened(project)
        from ..status import team_size

        n = team_size(project)
        by = "two reviewers" if n <= 2 else f"two or more of the {n} reviewers"
        prioritised += (f" Each record was screened by {by} independently, {_blind_words(project)}"
                        + (f", except {came} whose decision came with the imported records (made before, outside "
                           "screener)" if came else "")
                        + "." + _dual_words(project))
    if prioritised and (amended := _protocol_amendments(project)):
        prioritised += (" The review protocol was amended during screening: "
                        + "; ".join(_amendment_words(*a) for a in amended) + ".")
    paras = [where + _moved_review_words(project, p) + _searches_words(p) + _dedup_words(p) + _dedup_by_hand(project),
             *([prioritised] if prioritised else [])]
    r = stopping.recommended if stopping is not None else None
    since = stopping.read_since_stop if stopping is not None else None
    if since is not None and len(since) and 0 < p.get("excluded_unscreened", 0) == p["not_screened"]:
        # records of the rest read since the stop: PRISMA counts them as screened, the figures at the stop
        # (read beside the recall estimated there) do not; "By then 151 ... and 9 included" was not the stop
        from screener.status import _read_since_the_stop

        n = len(since)
        p = {**p, "screened": p["screened"] - n, "not_screened": p["not_screened"] + n,
             "excluded_unscreened": p["excluded_unscreened"] + n,
             "included": p["included"] - int((since == "include").sum()),
             "maybe": p["maybe"] - int((since == "maybe").sum())}
        # in a paper's words: 'screener status' says "(PRISMA too)" to a reviewer
        after = _read_since_the_stop(since, stopping.found_at_stop).replace(
            "as found and screened (PRISMA too); the figures", "as screened in the PRISMA flow diagram; the figures")
    else:
        after = ""
    pct_screened = pct(p["screened"], p["after_dedup"])
    maybe = f" ({p['maybe']} more marked for full-text checking)" if p["maybe"] else ""
    if p["not_screened"] == 0 and not p.get("awaiting") and p["after_dedup"]:
        paras.append(("The 1 record was" if p["after_dedup"] == 1 else f"All {p['after_dedup']} records were")
                     + f" screened and {p['included']} {'was' if p['included'] == 1 else 'were'} included{maybe}.")
    elif r is not None and stopping.stop:
        # the stop is a one-sided claim (recall at least the target); the interval is two-sided, so
        # its lower end may sit under the target without contradicting it: said, so no reader trips
        interval = (f" ({r.sides} {_short_pct(conf)} interval {fmt_pct(r.recall_low, target)} to "
                    f"{fmt_pct(r.recall_high, target)})"
                    if r.has_interval else "")
        # the figures are the recommended estimate's, which is not always the one the stop rests on
        what = (f"the {METHOD_SHORT.get(r.method, r.label)} estimate of recall" if stopping.basis is not None
                else "the estimated recall") + _stage_words(p)
        paras.append(
            f"Screening stopped when the {stopping.criterion or r.label} indicated that a recall of at least "
            f"{_short_pct(target)} had been reached (confidence {_short_pct(conf)}){_widened(stopping, target)}. "
            f"By then {p['screened']} of "
            f"{_n(p['after_dedup'], 'record', 'records')} ({pct_screened}) had been screened and {p['included']} "
            f"included{maybe}; {what} was {fmt_pct(r.recall, target)}{interval}. The remaining "
            + ("record was" if p["not_screened"] == 1 else f"{p['not_screened']} records were") + " not screened"
            + _unread_words(p) + "." + after + _cross_checks(stopping))
    else:
        est = ""
        if r is not None and _finite(r.recall):
            # the method named last, not in brackets: its words hold brackets of their own
            est = f" Recall{_stage_words(p)} is currently estimated at {fmt_pct(r.recall, target)}" + (
                f" ({_short_pct(conf)} interval {fmt_pct(r.recall_low, target)} to "
                f"{fmt_pct(r.recall_high, target)})"
                if r.has_interval else "") + f" by the {r.label}."
        elif r is not None and r.not_estimable:  # as 'screener status' says it
            est = " Recall is not yet estimable, as no include has been found."
        elif r is not None and r.has_interval:  # records not screened from a ranking yet: only the interval
            est = (f" Recall has no point estimate yet from the {r.label}; its {_short_pct(conf)} "
                   f"interval is {fmt_pct(r.recall_low, target)} to {fmt_pct(r.recall_high, target)}.")
        # the rest excluded unread at a stop, and (a search update imported since) records not screened yet:
        # said apart, or the update's 10 read as "40 are not screened yet"
        rest = p.get("excluded_unscreened", 0)
        if rest and rest == p["not_screened"]:
            # the rest excluded unread before any stopping rule said stop: screening is over, not unfinished
            k = p["excluded_unscreened"]
            paras.append(
                f"Screening stopped before the stopping rule was met: {p['screened']} of "
                f"{_n(p['after_dedup'], 'record', 'records')} ({pct_screened}) had been screened and "
                f"{p['included']} included{maybe}"
                # dual screening: the conflicts still to settle, or 'the remaining 14' left them out of every count
                + (f", {p['awaiting']} {'awaits' if p['awaiting'] == 1 else 'await'} {p['awaiting_whose']}"
                   if p.get("awaiting") else "")
                + f"; the remaining {k} record{' was' if k == 1 else 's were'} excluded without screening.{after}{est}")
            return paras
        paras.append(
            f"Screening is not finished: {p['screened']} of {_n(p['after_dedup'], 'record', 'records')} "
            f"({pct_screened}) {'has' if p['screened'] == 1 else 'have'} been screened and {p['included']} included "
            f"so far{maybe}, "
            + (f"{p['awaiting']} {'awaits' if p['awaiting'] == 1 else 'await'} {p['awaiting_whose']}, "
               if p.get("awaiting") else "")
            + f"and {p['not_screened'] - rest} {'is' if p['not_screened'] - rest == 1 else 'are'} not screened yet"
            + (f"; a further {rest} {'was' if rest == 1 else 'were'} excluded without screening when screening "
               "stopped" if rest else "")
            + f"; the target is a recall of at least {_short_pct(target)}.{est}")
    return paras


def _known_first_screened(project) -> int:
    """The studies screened that a ranking put first because the protocol in force at the start names them as known
    relevant: those a protocol set during screening named were put first after others had been screened."""
    store = project.store
    rankings = store.rankings_frame()
    if amended := _protocol_amendments(project):  # to the second, as ``_protocol_amendments`` reads the log
        made = rankings["created_at"].astype(str).str[:19].str.replace(" ", "T")
        rankings = rankings[(made < str(amended[0][1].get("at") or "")[:19]).to_numpy()]
    settings = store.ranking_settings(rankings["ranking_id"].tolist())
    known = {int(i) for s in settings.values() for i in s.get("known_first", [])}
    if not known:
        return 0
    prim = store.primary_map()  # a record grouped since under another copy stands for its study
    studies = {int(prim.get(i, i)) for i in known}
    return len(studies & {int(i) for i in project.current_decisions().index})


def _protocol_start_words(project) -> str:
    """How the protocol started the screening: the known relevant records it names were shown first (the
    first includes, found by the team, not by the ranking), then the protocol match ranked the others."""
    match = "ranked by their match to the review protocol (question, inclusion criteria and key terms). "
    k = _known_first_screened(project)
    if not k:
        return "Before the first include was found, records were " + match
    named = ("The 1 record the review protocol named as known relevant (by DOI or title) was" if k == 1 else
             f"The {k} records the review protocol named as known relevant (by DOI or title) were")
    return f"{named} screened first; before the first include was found, the other records were " + match


def _searches_words(p: dict) -> str:
    """When each search was imported, and what a search update imported after screening began added (PRISMA 2020
    item 6 asks the date each source was last searched): '' for a review searched once."""
    searches = p.get("searches") or []
    if not searches:
        return ""

    def one(s: dict, lead: bool) -> str:
        k, n, u = s["records"], s["new"], s.get("unchecked", 0)
        if s["is_update"]:
            # one record is new or a copy: "(1 of it new ...)" read as a slip
            found = (f" ({n} of them new after de-duplication)" if k != 1 else
                     ", new after de-duplication" if n else ", a duplicate of a record imported before")
            if u:  # imported with --no-dedup: none of them is known to be new
                found = (" (not checked for duplicates yet)" if u == k else
                         f" ({n - u} of them new after de-duplication, {u} not checked for duplicates yet)")
            return (f"a search update imported on {s['imported']}, after screening had begun, added "
                    f"{_n(k, 'record', 'records')}{found}")
        return (f"{'The search results were imported' if lead else 'further search results were imported'} on "
                f"{s['imported']} ({_n(k, 'record', 'records')})")

    return "; ".join(one(s, not i) for i, s in enumerate(searches)) + ". "


def _stage_words(p: dict) -> str:
    """' at title and abstract' once the methods text goes on to full text: "the estimated recall was 100%"
    followed by the full-text figures read as the review's recall, not the title/abstract screening's."""
    return " at title and abstract" if p.get("full_text_assessed") or p.get("full_text_not_retrieved") else ""


def _dedup_words(p: dict) -> str:
    """How duplicates were removed: by screener's rules, or not at all for the records imported without
    de-duplication ('import --no-dedup'), which read "Duplicates were identified with screener ...; 0
    duplicate records were removed" of a check no one ran."""
    loose, n = p.get("not_deduplicated", 0), p["after_dedup"]
    if loose and loose == p["identified"]:
        return (f"Duplicates were not removed with screener: the records were imported without de-duplication, and "
                + ("the 1 record went" if n == 1 else f"all {n} went") + " to title and abstract screening.")
    text = (f"Duplicates were identified with screener {__version__} (same DOI or PubMed id, or the same or a "
            f"near-identical title with matching year and first author); {p['duplicates']} duplicate "
            f"{'record was' if p['duplicates'] == 1 else 'records were'} removed, leaving {n} "
            f"record{'' if n == 1 else 's'} for title and abstract screening")
    if loose:
        text += (f"; {loose} of them (imported without de-duplication) {'was' if loose == 1 else 'were'} not checked "
                 "for duplicates")
    return text + "."


#: Why a decision was not made from a ranking (``status.NOT_RANKED``) where no queue of screener's gave it
_ENTERED_DIRECTLY = ("import", "label", "before", "other")


def _none_from_a_ranking(project) -> bool:
    """Whether no decision in force was made from screener's ranking or its random sample, as 'screener status'
    reads them (``status.ranking_provenance``): decisions read in from another tool, then a ranking stored by
    the dashboard opened once, read "Screening was prioritised with screener" of a screening it never ordered."""
    from screener.status import ranking_provenance

    cur = project.current_decisions()
    cur = cur[~rest_excluded(cur["origin"])]  # the rest excluded unread at the stop: no one's screening
    prov = ranking_provenance(project, cur, project.store.duplicate_ids())
    # off a ranking by the queue's own choice (uncertainty, random, mixed picks; far down) is still screener's queue
    direct = pd.Series(prov.why, dtype=object).isin(_ENTERED_DIRECTLY)
    return bool(len(cur)) and bool(prov.unranked.all()) and bool(direct.all())


def _unread_words(p: dict) -> str:
    """Of the records not screened at a stop, those excluded unread there: all of them, or (a
    search update imported after the stop) some, the others not screened yet."""
    k = p.get("excluded_unscreened", 0)
    if not k:
        return ""
    return " (excluded without screening)" if k == p["not_screened"] else \
        f" ({k} of them excluded without screening when screening stopped earlier)"


#: What a reader of the paper should know about the estimator the stop rests on.
METHOD_CAVEATS = {
    "score_sample": "This estimate assumes that the include rate keeps falling down the ranking; it is not a "
                    "statistical guarantee.",
    "hypergeometric": "The test assumes the ranking is no worse than random order for the records it had not yet shown.",
    "qbcb": "The bound holds whatever the ranking did, because it rests on a uniform random sample.",
    "knee": "The knee method is a heuristic and gives no statistical guarantee.",
}


def _widened(stopping: StoppingSummary, target: float) -> str:
    """Below 95% the model-based stop reads the estimate widened (round 13): the allowance a methods section
    reports, in the words of 'status''s note. "" at 95% and above, and where the stop rests on another method."""
    from screener.stopping.score_sample import WIDENED_BELOW, WIDENED_WORDS

    on = stopping.basis or stopping.recommended  # the method the stop rests on
    return f", {WIDENED_WORDS}" if on is not None and on.method == "score_sample" and target < WIDENED_BELOW else ""


def _cross_checks(stopping: StoppingSummary) -> str:
    """The caveat of the method the stop rests on and what the other principled methods said at the stop."""
    rec = stopping.basis or stopping.recommended  # the method the stop rests on
    out = []
    if rec is not None and rec.method in METHOD_CAVEATS:
        out.append(METHOD_CAVEATS[rec.method])
    if stopping.basis is not None and stopping.recommended is not None and not stopping.recommended.stop:
        out.append(f"The {METHOD_SHORT.get(stopping.recommended.method, stopping.recommended.label)} estimate did "
                   "not yet indicate that the target had been reached.")
    for e in stopping.estimates:
        if (rec is not None and e.method == rec.method) or e.recommended or e.method not in ("hypergeometric", "qbcb"):
            continue
        name = {"hypergeometric": "The hypergeometric stopping test", "qbcb": "The quantile binomial coverage bound"}[
            e.method]
        # no point and no interval: no sample (one with no include drawn yet still bounds recall)
        if e.method == "qbcb" and not e.stop and not _finite(e.recall) and not _finite(e.recall_low):
            out.append(f"{name} could not be applied, as no uniform random sample of records was screened.")
        else:
            out.append(f"{name} {'also indicated' if e.stop else 'did not yet indicate'} that the target had been "
                       "reached.")
    return (" " + " ".join(out)) if out else ""


def included_rows(project) -> list[dict]:
    cur = project.current_decisions()
    keep = cur[cur["decision"].isin(["include", "maybe"])]
    if keep.empty:
        return []
    recs = project.records_frame(primary_only=False)
    rows = []
    for rid, dec in keep["decision"].items():
        if rid not in recs.index:
            continue
        r = recs.loc[rid]
        authors = r.get("authors")
        authors = list(authors) if isinstance(authors, (list, tuple)) else []
        year = r.get("year")
        rows.append({"record_id": int(rid), "title": _text_or(r.get("title"), "(no title)"),
                     "author": _text_or(authors[0] if authors else None, ""),
                     "year": "" if year is None or pd.isna(year) else int(year),
                     "journal": _text_or(r.get("journal"), ""), "decision": dec})
    return rows


def _text_or(v, default: str) -> str:
    """A field as text; a missing one (None, NaN, blank) is ``default``, never the word 'nan'."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return default
    v = str(v).strip()
    return v or default


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def recall_curve_png(project, history=None, stopping: StoppingSummary | None = None) -> bytes | None:
    """The report's curve for this project, or None before the first decision."""
    from screener.report.figures import recall_curve_png

    history = screening_history(project) if history is None else history
    if history.n_screened == 0:
        return None
    r = stopping.recommended if stopping is not None else None
    return recall_curve_png(
        history.labels, history.n_total,
        recall=r.recall if r else None, recall_low=r.recall_low if r else None,
        recall_high=r.recall_high if r else None, method=METHOD_SHORT.get(r.method, r.method) if r else None,
        stop_at=history.n_screened if stopping is not None and stopping.stop else None,
        maybes=history.maybes_found)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(fmt_pct=fmt_pct, fmt_num=fmt_num, pct=pct)
    return env


def report_context(project, *, stopping: StoppingSummary | None = None, plot_png: bytes | None = None,
                   title: str | None = None) -> dict:
    """Everything the template shows; the demo and tests read the same numbers from here.

    Read from one state of the review: a teammate's batch labelled meanwhile would otherwise
    show in the recall section and not in the PRISMA counts beside it."""
    with project.store.snapshot():
        p = prisma_numbers(project)
        if stopping is None:  # one status reading gives both (each reads the stored rankings)
            from screener.status import recall_status

            st = recall_status(project)
            history = st["history"]
            stopping = _summary_of(st) if history.n_screened else None
        else:
            history = screening_history(project)
        if plot_png is None:
            plot_png = recall_curve_png(project, history, stopping)
        s = project.settings
        conf = float(s.get("confidence", 0.95))
        advice = None
        if stopping is not None and (stopping.headline or stopping.details):
            advice = {"headline": stopping.headline, "details": stopping.details}
        elif not p["identified"]:
            from screener.project import no_records_message

            advice = {"headline": "No records yet.", "details": [no_records_message(project.dir)]}
        # the rest excluded unread at the stop: the recall, its table and the curve are the reading at the stop,
        # and what was found among that rest since counts in PRISMA and the includes card, not in them
        # (the dashboard's words); without it the report read '9 includes' beside a curve and a recall of 8
        from screener.web.dashboard import _after_stop, found_after_stop_words
        from screener.stopping.advice import found_count_words

        since = stopping.read_since_stop if stopping is not None else None
        after = _after_stop(pd.Series(dtype=object) if since is None else since)
        at_stop = bool(p.get("excluded_unscreened")) and stopping is not None
        # records left to screen since the stop (a search update): the estimate is no longer the reading at the
        # stop but counts those excluded there as not screened (the advice's words); the card read "Estimated
        # recall at the stop" above "Keep screening"
        left_after_stop = max(0, int(p.get("not_screened", 0)) - int(p.get("excluded_unscreened", 0))) \
            if at_stop else 0
        by_one, reviewers = 0, 2
        if at_stop and s.get("mode") == "dual":
            # and the records one reviewer has screened, the other not yet (PRISMA has them as awaiting agreement):
            # named as 'status', the advice and the dashboard name them, not 'left to screen'
            from screener.status import dual_progress

            dual = dual_progress(project)
            by_one, reviewers = dual.one_reviewer, dual.reviewers
        left_words = waiting_parts(left_after_stop, by_one, reviewers=reviewers, records=True)
        left_after_stop += by_one
        name = title or s.get("review_title") or (project.protocol.title if project.protocol is not None else None) \
            or f"Review in {project.dir.name}"
        return {
            "title": str(name),
            "folder": shlex.quote(str(project.dir)),  # the review its commands name, as the footer names it
            "version": __version__,
            "generated": _dt.datetime.now().strftime("%d %B %Y, %H:%M"),
            "sample": bool(s.get("sample_data", False)),
            "p": p,
            "est": stopping.recommended if stopping is not None else None,
            "estimates": stopping.estimates if stopping is not None else [],
            "in_conflict": stopping.in_conflict if stopping is not None else "",
            "stopped": bool(stopping.stop) if stopping is not None else False,
            "at_stop": at_stop,
            "left_after_stop": left_after_stop,
            "left_after_stop_words": " and ".join(left_words),
            "left_after_stop_bare": " and ".join(waiting_parts(left_after_stop - by_one, by_one, reviewers=reviewers)),
            "after_stop": after,
            "after_stop_included": found_after_stop_words(after, "include"),
            "after_stop_maybe": found_after_stop_words(after, "maybe"),
            "history": history,
            # '2 includes and 1 maybe': the curve counts a maybe as found, but it is no include
            "history_found": found_count_words(history.includes_found, history.maybes_found),
            "advice": advice,
            "conf_pct": _short_pct(conf),
            "target_pct": _short_pct(s.get("target_recall", 0.95)),
            "target": float(s.get("target_recall", 0.95)),  # what fmt_pct reads each recall figure against
            "plot_uri": png_data_uri(plot_png) if plot_png else None,
            "settings": settings_rows(project, stopping),
            "methods": methods_text(project, p, stopping),
            "included": included_rows(project),
            "project_dir": str(project.dir),
            "protocol_file": s.get("protocol_file"),
            # pairs de-duplication kept apart and listed: two of the records to screen until a reviewer decides
            "pairs_to_review": project.n_duplicate_pairs(),
        }


def build_report(project, **kwargs) -> str:
    """The report as one self-contained HTML string (see ``report_context`` for the options)."""
    ctx = report_context(project, **kwargs)
    return _environment().get_template("report.html").render(**ctx)


def write_report(project, path, **kwargs) -> Path:
    """Write the report to ``path`` (through a temporary name, so no half-written file is left)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = build_report(project, **kwargs)
    tmp = path.with_name(path.name + ".partial")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except BaseException:  # no half-written report left under another name either
        tmp.unlink(missing_ok=True)
        raise
    return path


__all__ = ["METHOD_WORDS", "RANKER_WORDS", "EstimateRow", "StoppingSummary", "build_report", "recall_curve_png",
           "fmt_pct", "methods_text", "prisma_numbers", "report_context", "screening_history", "stopping_summary",
           "summarise_stopping", "write_report"]
