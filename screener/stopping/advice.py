"""Turn the estimators' readings into one plain-language recommendation for the reviewer.

The recommended reading is the model-based estimate (``score_sample``): it gives a
two-sided interval for the includes left at every stage (the hypergeometric test only an
upper bound), and its stop was set on the tuning reviews to reach the target as reliably as
possible while stopping well before the hypergeometric test (benchmarks/results/tuning/ and
benchmarks/results/summary.md give the figures). Its message says why, in plain words: what it
saw, the one assumption it leans on, and what would make the claim sure. The hypergeometric
test is quoted beside it as the check that rests on fewer assumptions, and QBCB where a random
sample allows a guaranteed bound. The consecutive-excludes rule is never the basis of advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from screener.errors import ScreenerError

from .base import Estimate, ScreeningHistory, allowed_missed, check_levels, level_pct, recall_pct
from .consecutive import ConsecutiveExcludesStop
from .hypergeometric import HypergeometricStop
from .knee import KneeStop
from .qbcb import QuantileBinomialStop
from .score_sample import ASSUMES, MIN_INCLUDES, WIDENED_BELOW, ScoreSampleEstimator

RECOMMENDED = "score_sample"
BASELINES = {"consecutive"}
NO_RECORDS = ("There are no records to screen yet: import your search results first. Recall and stopping "
              "advice start once records are screened.")


@dataclass
class Advice:
    recommended: str
    stop: bool
    message: str
    estimate: Estimate | None
    estimates: dict[str, Estimate] = field(default_factory=dict)
    more_records: int | None = None
    sample_records: int | None = None
    warnings: list[str] = field(default_factory=list)
    #: the stop (or the wait) in plain words: what the estimate leans on, what would make it sure
    why: str = ""
    #: the method the stop rests on ("" when there is no stop): the random sample's certificate can
    #: stop while the recommended estimate, whose figures lead the message, still says not yet
    basis: str = ""
    #: at a stop that rests on the model-based estimate alone, the hypergeometric test not sharing it, what to do
    #: (``not_confirmed_words``); the headlines say it with the stop (a reviewer read "you can stop" and stopped at
    #: 89% recall, the test's wait in a note below). "" otherwise
    unconfirmed: str = ""

    @property
    def confirmed(self) -> bool:
        return not self.unconfirmed


#: The advice with no record left to screen (a team of three with a reviewer still screening says otherwise:
#: ``status._while_still_screening``)
ALL_SCREENED = "Every record has been screened: nothing is left to find."
#: The end of the advice while no include is found: the terminal adds the command that draws the sample, the
#: web page its own way to
NO_INCLUDES_SAMPLE = "if you expect very few includes, screen a random sample to check."

#: ``Advice.basis`` of a stop that no estimate is needed for: recall reaches the target even if
#: every record left is an include
RECORDS_LEFT = "records_left"

#: What qualifies a stop the hypergeometric test does not share (``not_confirmed_words``): said with the stop
#: itself, as it goes with it when the stop is withheld (``screener.status``).
NOT_CONFIRMED = "the hypergeometric test, which assumes less, does not confirm it yet"


def not_confirmed_words(needs: int | None, n_left: int | None = None) -> str:
    """The words after "you can stop, but " at a stop the hypergeometric test does not share: how to confirm it
    (its records to go, where known and there to screen) or what stopping now accepts."""
    if needs and (n_left is None or needs <= n_left):
        return (f"{NOT_CONFIRMED}: screen about {_more(needs)} to confirm it (if they are all excludes), or stop if "
                "you accept the model's assumption")
    return f"{NOT_CONFIRMED}: screen on until it confirms it, or stop only if you accept the model's assumption"

#: Fewer includes found than this, the model-based reading is called early. Chosen on the tuning
#: reviews (``benchmarks/early_coverage.py --corpus tuning --batch 5 --max-frac 0.1``,
#: results/tuning/early_coverage_b5.md): its interval held the truth in 81% of the readings with 3-4
#: includes found, twice far below it (0-2 left with 16), and in every reading with 5-9.
EARLY_INCLUDES = 5


def default_estimators(random_state: int = 0, compute_needs: bool = True) -> dict[str, object]:
    """The estimators screener runs, by name (the names used in reports)."""
    return {
        "score_sample": ScoreSampleEstimator(random_state=random_state, compute_needs=compute_needs),
        "hypergeometric": HypergeometricStop(compute_needs=compute_needs),
        "qbcb": QuantileBinomialStop(compute_needs=compute_needs),
        "knee": KneeStop(),
        "consecutive": ConsecutiveExcludesStop(100),
    }


def run_all(
    history: ScreeningHistory,
    estimators: dict[str, object] | None = None,
    target_recall: float = 0.95,
    confidence: float = 0.95,
) -> dict[str, Estimate]:
    check_levels(target_recall, confidence)
    estimators = default_estimators() if estimators is None else estimators
    return {name: est.estimate(history, target_recall=target_recall, confidence=confidence) for name, est in estimators.items()}


def _n_includes(x: float) -> str:
    if not math.isfinite(x):
        return "an unknown number of includes"
    n = int(round(x))
    return "1 include" if n == 1 else f"{n} includes"


def found_count_words(found: int, maybes: int = 0) -> str:
    """The records found, maybes counted apart: '4 includes', '3 includes and 1 maybe', '4 maybes'. A maybe
    is found for recall (the estimators count it), but '4 includes' was said of 4 maybes and no include."""
    if not maybes:
        return _n_includes(found)
    m = f"{maybes} maybe{'' if maybes == 1 else 's'}"
    return m if found <= maybes else f"{_n_includes(found - maybes)} and {m}"


def _more(n: int) -> str:
    """'1 more record', '26 more records': 'screen about 1 more records' was said."""
    return f"{n} more record{'' if n == 1 else 's'}"


def _records(n: int) -> str:
    return "1 record" if n == 1 else f"{n} records"


def sample_how(found: int, target_recall: float, next_target: float | None = None) -> str:
    """How a reviewer gets the random sample: ``screener next`` mixes it in by itself only while
    the target allows no include to be missed (``screener.status.advised_sample``). ``next_target``:
    the project's target, which ``next`` works to, where this reading was asked at another
    ('screener status --target-recall'): ``next`` mixes in what the project's target asks, if any."""
    if allowed_missed(found, target_recall) > 0 or (
            next_target is not None and (abs(next_target - target_recall) > 1e-9
                                         or allowed_missed(found, next_target) > 0)):
        return SAMPLE_ASKED
    return SAMPLE_MIXED_IN


def next_command(directory=None, dual: bool = False) -> str:
    """'screener next' for the review in ``directory``, as the reviewer pastes it: the advice's 'screener next' named
    no review, and in dual screening 'next' refuses to rank or draw without --reviewer NAME."""
    from ..shell import shell_quote

    return "screener next" + (f" {shell_quote(directory)}" if directory is not None else "") + (
        " --reviewer NAME" if dual else "")


def sample_asked(directory=None, dual: bool = False) -> str:
    """``SAMPLE_ASKED`` with the whole command (``next_command``), as ``screener.status`` puts it in the advice."""
    return f"'{next_command(directory, dual)} --sample 5' draws 5 records of each batch at random"


#: ``sample_how``'s words: the advice names the random sample and how 'next' gives it (``status.samples_waiting``)
SAMPLE_ASKED = sample_asked()
SAMPLE_MIXED_IN = "'screener next' mixes it into the batches"


def _sample_asked(history: ScreeningHistory, n: int) -> tuple[str, str]:
    """("a random sample of about N", "") or, with records drawn at random already, ("a further random
    sample of about N", "besides the records drawn so far; "): QBCB asks for N more, and "a random sample
    of about N" read as if the sample a reviewer had screened with 'next --sample' did not count. (No count
    of them: after a later import QBCB reads only the draws made since.)"""
    if not history.has_sample:
        return f"a random sample of about {n}", ""
    return f"a further random sample of about {n}", "besides the records drawn so far; "


def explain(history: ScreeningHistory, est: Estimate, stop: bool, sample_records: int | None,
            target_recall: float, sample_found: int | None = None,
            next_target: float | None = None, random_order: bool = False, n_left: int | None = None,
            last_maybe: bool = False, ranked_part: bool = False, off_ranking: bool = False,
            confidence: float = 0.95) -> str:
    """Why the model-based estimate says stop (or not yet), for a reviewer: what it saw, the one
    assumption it leans on, and what it would take to be sure. ``random_order``: every record
    screened came in the random order a review without protocol text starts in, and the figures
    are a random sample's (``screener.status``): no ranking found anything, nor leans on one.
    The hypergeometric test's wait is not among what would make it sure: the stop's own words
    (``not_confirmed_words``) say it, and said here too it came twice, its figure in both. ``n_left``: the records
    left to screen where some unscreened were excluded at the stop (``recommend``): screening the records
    left, or a sample of them, no longer makes it sure, so neither is offered. ``last_maybe``: the last record
    screened was a maybe, found for recall (a 1 in ``history``) but not one the reviewer included. ``ranked_part``:
    ``history`` is the part screened from screener's rankings, not every decision (``screener.status``): its last
    records are not the reviewer's last where records were picked off the ranking since. The records drawn at
    random for the recall check are no part of the ranking's run (the estimate reads the ranking without them):
    "the last 245 records screened from screener's ranking held no include" counted 49 draws among them, and
    "the ranking found 10 includes" the one a draw found; the sample's finds are said apart. ``off_ranking``:
    ``history`` holds decisions not made from a ranking (a random start read with a search update): what it
    found is the screening's, not the ranking's ("the ranking found 138 includes in 210 records", 50 of them
    screened in random order). The words name no reader: in a team the owner, who may screen nothing, reads them
    too ("The 9 records you screened ..." was said to her)."""
    from .consecutive import trailing_excludes

    drawn = history.sampled if history.has_sample and not random_order else np.zeros(history.n_screened, bool)
    labels = history.labels[~drawn]
    maybe = None if history.maybe is None else np.asarray(history.maybe, bool)[~drawn]
    run = trailing_excludes(labels)
    found = int(labels.sum())
    said = found_count_words(found, 0 if maybe is None else int(maybe.sum()))
    before = len(labels) - run
    if drawn.any():
        last_maybe = bool(maybe is not None and run == 0 and len(maybe) and maybe[-1])
    tgt = level_pct(target_recall)
    where = " from screener's ranking" if ranked_part or drawn.any() else ""
    finder = "the screening found" if off_ranking else "the ranking found"
    if random_order:
        seen = (f"The {_records(history.n_screened)} screened came in a random order (no protocol text, or "
                f"none of its words in the records, and no include yet to rank by) and held {said}.")
    elif not len(labels):  # every record screened was drawn at random: no ranking's run to speak of
        seen = ""
    elif run == 0:  # the last decision was an include: there is no run of excludes to speak of
        last = "a maybe (counted as found)" if last_maybe else "an include"
        seen = f"The last record screened{where} was {last}; so far {finder} {said} in " \
               f"{_records(len(labels))}."
    else:  # one exclude: "The last 1 record screened held no include" read as a count of one
        seen = (f"The last record screened{where} was an exclude" if run == 1 else
                f"The last {_records(run)} screened{where} held no include")
        if found and before > 0:
            seen += f"; before that {finder} {said} in {_records(before)}"
        seen += "."
    if drawn.any():
        got = history.labels[drawn]
        held = found_count_words(int(got.sum()), int(history.maybe[drawn].sum()) if history.maybe is not None
                                 else 0) if got.any() else "no include"
        seen = f"{seen} The {_records(int(drawn.sum()))} drawn at random for the recall check held {held}.".lstrip()
    lean = ("The estimate leans on one assumption: the ranking keeps putting includes first, so the records it "
            "ranks lowest hold few of them. It allows for a small share of includes the ranking cannot recognise "
            "(how many, it learned from earlier reviews)")
    if stop:
        lean += ", and says stop only once even those would most likely have turned up."
    else:
        lean += "."
    if random_order:
        lean = ("The estimate reads them as a random sample: the records left hold includes at about the rate they "
                "did, within the interval's chance.")
    sure = []
    rest = history.n_remaining
    if n_left is not None:
        pass
    elif sample_records and sample_records < rest / 2:
        found_all = history.includes_found if sample_found is None else sample_found
        a, drawn = _sample_asked(history, sample_records)
        sure.append(f"screen {a} of the {rest} records left "
                    f"({drawn}QBCB gives a guaranteed bound; {sample_how(found_all, target_recall, next_target)})")
    elif rest <= 200 or (sample_records and sample_records >= rest / 2):
        sure.append(f"screen the {_records(rest)} left")
    if stop:
        head = "Why stop here: " + seen + " " + lean
        tail = " This is a judgement, not a proof."
        if sure:
            tail += " To be sure, " + " or ".join(sure) + "."
        return head + tail
    head = "Why not yet: "
    # the includes the stop counts: the random sample's finds too, as the chance's words below ("allows up to 1
    # include ... more than 95% recall of the 18 includes found ... permits" beside 19 found, 1 of them drawn, which
    # allow 1 left); read with includes found off the ranking, or as a random sample (includes found among records
    # picked off the random order count: ``status._as_random_sample``), the estimate's own count (``history`` lacks
    # them: "of the 2 includes found in the records screened from screener's ranking" beside a stop read on 4)
    own = est.found_off_ranking or random_order
    counted = est.includes_found if own else history.includes_found
    counted_said = found_count_words(counted, 0 if history.maybe is None or own
                                     else int(np.asarray(history.maybe, bool).sum()))
    if math.isfinite(est.chance):
        # the stop reads this chance, not the interval: "allows up to 1 include ... more than 95% recall permits"
        # beside an interval 0-1 read as met, and the same interval later said stop
        # of the includes the estimate read, the random sample's too ("of the 9 includes found" beside a stop read on
        # 10); none where it read includes found off the ranking beside the ranked part's (``history`` holds only those)
        read_found = None if est.found_off_ranking else history.includes_found
        head += chance_words(est, target_recall, confidence,
                             read_found if sample_found not in (None, read_found) else None, read_found)
        if target_recall < WIDENED_BELOW and counted >= MIN_INCLUDES and est.remaining_high <= allowed_missed(
                counted, target_recall):
            head += (f" The interval already reaches {tgt}, but below a {level_pct(WIDENED_BELOW)} target the stop "
                     "asks more than the interval: it allows for the model fitting the ranking only roughly, as the "
                     "plain reading said stop too early at such targets on simulated reviews.")
        head += " "
    elif est.remaining_high > allowed_missed(counted, target_recall):
        permits = f"{tgt} recall permits"
        if sample_found is not None and sample_found != counted and not own:
            # the figures are the whole review's, the wait the ranked part's: up to 1 left of 22 found is
            # 95.7%, and "more than 95% recall permits" read as wrong beside "interval 96%-100%"
            permits = (f"{tgt} recall of the {counted_said} found in the records screened from screener's "
                       f"ranking permits (the stop is judged on those)")
        head += (f"the estimate still allows up to {_n_includes(est.remaining_high)} among the unscreened records, "
                 f"more than {permits}. ")
    elif random_order:
        # the random sample's interval reaches the target, and the stop also waits for the estimate's own reading of
        # the order (``status._as_random_sample``): "below a 95% target the stop ... allows for the model fitting the
        # ranking only roughly" was said at 80% with no ranking yet, and at 95% no reason at all
        head += (f"the interval already reaches {tgt}, but in the random start a stop also needs the estimate's own "
                 "reading of the records in the order they came (as a ranking's, includes first) to say stop, and "
                 + (f"it does not say stop before {MIN_INCLUDES} includes are found. " if counted < MIN_INCLUDES else
                    "it does not yet: a random order puts no include first. "))
    elif target_recall < WIDENED_BELOW and counted >= MIN_INCLUDES:
        # the stop below 95% reads the estimate widened, the interval shown is the plain one (round 13): "Why not
        # yet" gave no reason beside an interval that already reached the target
        head += (f"the interval already reaches {tgt}, but below a {level_pct(WIDENED_BELOW)} target the stop asks "
                 "more than the interval: it allows for the model fitting the ranking only roughly, as the plain "
                 "reading said stop too early at such targets on simulated reviews. ")
    return head + seen + " " + lean


def chance_words(est: Estimate, target_recall: float, confidence: float, ranked_found: int | None = None,
                 read_found: int | None = None) -> str:
    """The reason the model-based estimate waits, as it judges it: the chance that recall has reached the target
    against the chance its stop needs. ``ranked_found``: the includes found in the records screened from screener's
    ranking, where the stop is judged on those and the figures are the whole review's. ``read_found``: the includes
    in the history the estimate read (draws too), where ``est`` counts the whole review's: a part with 2 of 5 waits
    for a third whatever its chance, and "over 99%; a stop needs 95%" with not yet gave no reason."""
    from .score_sample import _chance

    tgt = level_pct(target_recall)
    on = (f" of the {_n_includes(ranked_found)} found in the records screened from screener's ranking (the stop is "
          "judged on those)" if ranked_found is not None else "")
    words = (f"the chance that at least {tgt} of the includes have been found{on} is "
             f"{_chance(est.chance, confidence)}; a stop needs {level_pct(confidence)}.")
    if est.chance >= confidence and (est.includes_found if read_found is None else read_found) < MIN_INCLUDES:
        words = words[:-1] + f", and the estimate does not say stop before {MIN_INCLUDES} includes are found."
    return words


def sided_words(est: Estimate, target_recall: float, confidence: float) -> str:
    """Beside a stop, what the interval is where its lower end falls under the target: the interval is two-sided,
    the stop a one-sided claim at the same confidence, and "interval 92%-100%" beside "you can stop with 95%
    recall" read as a contradiction. "" where the lower end reaches the target (nothing to reconcile)."""
    low = est.recall_low
    if not math.isfinite(low) or low >= target_recall:
        return ""
    tgt = level_pct(target_recall)
    return (f"The interval is two-sided: recall lies below its lower end ({recall_pct(low, target_recall)}) with a "
            f"{level_pct((1 - confidence) / 2)} chance. The stop is one-sided: a {level_pct(confidence)} chance that "
            f"recall is at least {tgt}, so a lower end under {tgt} does not contradict it.")


def estimate_words(est: Estimate, target_recall: float, confidence: float) -> str:
    """The estimate in one sentence, as the advice opens: "Estimated recall 91% (95% interval
    83%-97%), about 2 includes still unscreened (95% interval 0-6)."."""
    conf = level_pct(confidence)

    def _pct(x: float) -> str:  # never reads as the target where it falls short of it
        return recall_pct(x, target_recall)

    if not math.isfinite(est.recall) and math.isfinite(est.recall_low):
        # an interval with no point (a search update with no include yet): "Estimated recall unknown (95%
        # interval 49%-91%), about an unknown number of includes" read as no figure at all, and "about" as a guess
        return (f"Recall has no point estimate yet ({conf} interval {_pct(est.recall_low)}\u2013"
                f"{_pct(est.recall_high)}); between {est.remaining_low:.0f} and {est.remaining_high:.0f} includes "
                f"are still unscreened ({conf} interval).")
    left = f"about {_n_includes(est.remaining)} still unscreened"
    if math.isfinite(est.remaining) and round(est.remaining) == 0:
        # "about 0 includes" read as none left beside an interval up to 5 (an expected count under a half
        # leaves none more likely than not, not none for sure)
        left = "most likely none still unscreened" + (f", but up to {est.remaining_high:.0f}"
                                                        if round(est.remaining_high) > 0 else "")
    return (f"Estimated recall {_pct(est.recall)} ({conf} interval "
            f"{_pct(est.recall_low)}\u2013{_pct(est.recall_high)}), "
            f"{left} ({conf} interval {est.remaining_low:.0f}\u2013{est.remaining_high:.0f}).")


def recommend(
    history: ScreeningHistory,
    estimates: dict[str, Estimate] | None = None,
    target_recall: float = 0.95,
    confidence: float = 0.95,
    sample_found: int | None = None,
    next_target: float | None = None,
    random_order: bool = False,
    n_left: int | None = None,
    last_maybe: bool = False,
    ranked_part: bool = False,
    off_ranking: bool = False,
    begun: bool = False,
) -> Advice:
    """A recommendation in words, e.g. "Estimated recall 91% (95% interval 83-97%); to claim
    95% recall, screen about 240 more records ...". ``sample_found``: the includes found that
    ``screener next`` counts when it decides whether to mix in the random sample (all of them;
    ``history`` may be the part screened from rankings), and ``next_target`` the target it works
    to (the project's), for the words on how to get the sample. ``random_order``: every record
    screened came in a random order, and the estimates read it as a random sample (``explain``).
    ``n_left``: the records left to screen, where fewer than the records unscreened: the rest excluded
    unread at a stop counts as unscreened, but 'screener next' cannot give it (a search update's records
    waiting beside it). The records to go are counted among those: "screen a random sample of about 286
    of the records left" was said with 50 left; and no random sample is offered, as none drawn from those
    can bound the includes among the rest. ``last_maybe``: the last record of ``history`` was a maybe;
    ``ranked_part``: ``history`` is the part screened from rankings (``explain``); ``off_ranking``: it holds
    decisions not made from a ranking (``explain``). ``begun``: records have decisions though none counts as
    screened yet (dual screening: screened by one reviewer only, or in conflict)."""
    sample_found = history.includes_found if sample_found is None else sample_found
    check_levels(target_recall, confidence)
    if history.n_total == 0:
        # nothing imported: "nothing is left to find" would read as "you can stop"
        return Advice(RECOMMENDED, False, NO_RECORDS, None, {}, None, None)
    if estimates is None:
        estimates = run_all(history, target_recall=target_recall, confidence=confidence)
    usable = {k: v for k, v in estimates.items() if k not in BASELINES}
    if not usable:
        raise ScreenerError(
            "stopping advice needs at least one recall estimator besides the consecutive-excludes baseline"
        )
    name = RECOMMENDED if RECOMMENDED in usable else ("hypergeometric" if "hypergeometric" in usable else next(iter(usable)))
    est = usable[name]
    conf = level_pct(confidence)
    tgt = level_pct(target_recall)
    warnings: list[str] = []

    if history.n_remaining == 0:
        return Advice(name, True, ALL_SCREENED, est, estimates, 0, 0)
    if history.includes_found == 0 and history.n_screened == 0 and begun:
        # dual screening begun: "no record has been screened ... Start screening" beside the records one reviewer
        # had screened
        msg = f"No includes found yet: no record counts as screened yet (a record counts once the reviewers agree " \
              f"on it or its conflict is settled), so recall cannot be estimated. Keep screening; {NO_INCLUDES_SAMPLE}"
        return Advice(name, False, msg, est, estimates, est.needs, None, warnings)
    if history.includes_found == 0 and history.n_screened == 0:
        # "after 0 of 290 records ... Keep screening" counted screening that had not begun
        msg = f"No includes found yet: no record has been screened, so recall cannot be estimated. Start " \
              f"screening; {NO_INCLUDES_SAMPLE}"
        return Advice(name, False, msg, est, estimates, est.needs, None, warnings)
    if history.includes_found == 0:
        msg = (
            f"No includes found yet after {history.n_screened} of {history.n_total} records, so recall cannot be "
            f"estimated. Keep screening; {NO_INCLUDES_SAMPLE}"
        )
        return Advice(name, False, msg, est, estimates, est.needs, None, warnings)

    parts = [estimate_words(est, target_recall, confidence)]
    if name == "score_sample" and not est.stop and history.includes_found < EARLY_INCLUDES:
        found = history.includes_found
        # the history may be the part screened from rankings: "only 4 found" beside a count of 8
        # includes would read as includes lost
        where = f" in the records screened from screener's ranking ({sample_found} in all)" \
            if sample_found != found else ""
        said = found_count_words(found, history.maybes_found)
        parts.append(f"This is an early reading: with only {said} found{where}, "
                     + ("the figures can be far off" if random_order else
                        "the curve it reads is short and the figures can be far off")
                     + "; they steady as more includes turn up.")
    hg = estimates.get("hypergeometric")
    qb = estimates.get("qbcb")
    # one number for the sample QBCB asks for: its own (the note says the same)
    sample_records = qb.sample_needs if qb is not None else None
    stop = bool(est.stop)
    more = est.needs
    basis = name if est.stop else ""
    unconfirmed = ""
    if qb is not None and qb.stop and allowed_missed(qb.includes_found, target_recall) >= history.n_remaining:
        # no sample needed (and perhaps none screened): the count of records left settles it
        stop = True
        basis = basis or RECORDS_LEFT
        rest = history.n_remaining
        left = "the 1 record left were an include" if rest == 1 else f"all {rest} records left were includes"
        parts.append(f"Even if {left}, recall would be at least {tgt}: you can stop.")
    elif qb is not None and qb.stop:
        stop = True
        basis = "qbcb"
        parts.append(f"The random sample certifies at least {tgt} recall with {conf} confidence (QBCB): you can stop.")
        if name != "qbcb" and math.isfinite(est.recall) and est.recall < target_recall:
            # the figures that lead the message fall short of the target the stop claims
            parts.append("The estimate above, read from the ranking's order, comes out lower: the stop rests on the "
                         "random sample's certificate, not on that estimate, so report the certificate.")
        elif sided_words(est, target_recall, confidence):
            parts.append(sided_words(est, target_recall, confidence))
    elif est.stop:
        said = f"The model-based estimate says you can stop with {tgt} recall ({conf} confidence)"
        if hg is not None and not hg.stop:
            # said with the stop, not in a note below it: "you can stop" was read and acted on, the note was not
            # no ranking yet to beat random order: its records to go read none
            unconfirmed = not_confirmed_words(None if random_order else hg.needs, n_left)
            said += ", but " + unconfirmed + (" (see 'Why stop here' below)" if name == "score_sample" else "")
        parts.append(said + ".")
        if sided_words(est, target_recall, confidence):
            parts.append(sided_words(est, target_recall, confidence))
    elif random_order:
        # the methods' records still needed read the random order as a ranking's best ("screen about 375 more
        # ... the hypergeometric test, which assumes less, would need about 356 more"), before anything was
        # ranked; the next batch is ranked from the includes found, and the wait is read from that ranking
        n_inc = history.includes_found - history.maybes_found
        when = ("from the next batch on, screener ranks the records by the "
                f"{'include' if n_inc == 1 else 'includes'} found" if n_inc else
                "once an include is found (maybes do not steer the ranking), screener ranks the records by the "
                "includes found")
        parts.append(f"How many more records a claim of {tgt} recall needs is not known yet: {when} (likely "
                     "includes first), and the advice then says how many more, read from that ranking.")
    else:
        beyond = n_left is not None and more is not None and more > n_left  # more than 'next' can give
        if beyond:
            parts.append(f"Screening the {_records(n_left)} left to screen cannot claim {tgt} recall, even if they "
                         f"are all excludes: that would take about {_more(more)}.")
        elif more is not None:
            parts.append(f"To claim {tgt} recall, screen about {_more(more)} (if they are all excludes; more if includes "
                         "keep turning up).")
        if hg is not None and hg.needs and n_left is not None and hg.needs > n_left:
            if not beyond:
                parts.append(f"The hypergeometric test, which assumes less, would need more records than the "
                             f"{_records(n_left)} left to screen.")
        elif hg is not None and hg.needs:
            parts.append(f"The hypergeometric test, which assumes less, would need about {hg.needs} more.")
    if not stop and sample_records:
        if n_left is not None and sample_records >= n_left:
            parts.append(f"A random sample large enough for a guaranteed bound (QBCB), about "
                         f"{_records(sample_records)}, would be more than the {_records(n_left)} left to screen.")
        elif n_left is not None:
            # 'next' draws only from the records left to screen: a draw that never held the records excluded
            # unscreened at the stop says nothing of them, and ``screener.status`` reads it as no sample
            parts.append(f"A random sample cannot give a guaranteed bound (QBCB) now: 'screener next' draws it only "
                         f"from the {_records(n_left)} left to screen, not from those excluded without screening at "
                         "the stop.")
        elif sample_records >= history.n_remaining:
            parts.append("A random sample large enough for a guaranteed bound (QBCB) would cover everything left.")
        else:
            a, drawn = _sample_asked(history, sample_records)
            parts.append(
                f"For a guaranteed bound instead, screen {a} of the records left ({drawn}QBCB; enough if it holds "
                f"no include; {sample_how(sample_found, target_recall, next_target)})."
            )
    why = explain(history, est, stop, sample_records, target_recall, sample_found, next_target, random_order,
                  n_left, last_maybe, ranked_part, off_ranking, confidence) \
        if name == "score_sample" and not (qb is not None and qb.stop) else ""
    if est.note and not (why and random_order):
        # the why names the assumption the estimate leans on and says it is no proof: its note said it again
        # (and a random start's why says the order was random, all its note says: it came twice)
        warnings.append(est.note.replace(" " + ASSUMES, "") if why else est.note)
    message = " ".join(parts) + (" " + why if why else "")
    return Advice(name, stop, message, est, estimates, more, sample_records, warnings, why, basis, unconfirmed)
