"""The data every recall estimator reads, and the answer every one gives.

A ``ScreeningHistory`` is the decision log seen from the stopping side: the labels in the
order they were screened, the size of the whole review, which records came from a random
(or score-proportional) sample, and the ranker's scores. Estimators never see record ids or
text: arrays in, an ``Estimate`` out, so they can be tested on constructed histories and run
thousands of times in a simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Protocol, Sequence

import numpy as np

from screener.errors import ScreenerError


def _as_opt_array(value, dtype, n: int | None, name: str) -> np.ndarray | None:
    if value is None:
        return None
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim != 1:
        raise ScreenerError(f"screening history: {name} must be a flat list, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ScreenerError(
            f"screening history: {name} has {arr.shape[0]} values but {n} records were screened; "
            "give one value per screened record, in screening order"
        )
    return arr


@dataclass(frozen=True)
class ScreeningHistory:
    """Labels in screening order plus what the estimators may use about how they were chosen.

    ``labels``: 0/1 per screened record, first screened first.
    ``n_total``: all records in the review (screened and not), after de-duplication.
    ``sampled``: True where the record was shown because a random or score-proportional
    sample picked it, not because the ranker put it on top. The guarantees of the sample
    methods hold only when these flags are honest.
    ``scores_at_screening``: the ranker's score of each record when it was shown.
    ``remaining_scores``: the current ranker's scores of the unscreened records.
    ``sample_probs``: for sampled records, their inclusion probability in their draw
    (NaN elsewhere); absent means uniform draws.
    ``sample_drawn_at``: for sampled records, how many records had been screened when their
    draw was made (-1 elsewhere); absent means each was drawn just before it was shown.
    ``maybe``: True where a 1 in ``labels`` was a maybe, not an include (absent: none was). The
    estimators never read it (a maybe is found for recall); the advice's words count maybes apart.
    """

    labels: np.ndarray
    n_total: int
    sampled: np.ndarray = field(default=None)  # type: ignore[assignment]
    scores_at_screening: np.ndarray | None = None
    remaining_scores: np.ndarray | None = None
    sample_probs: np.ndarray | None = None
    sample_drawn_at: np.ndarray | None = None
    maybe: np.ndarray | None = None

    def __post_init__(self):
        labels = np.asarray(self.labels)
        if labels.ndim != 1:
            raise ScreenerError(f"screening history: labels must be a flat list, got shape {labels.shape}")
        if labels.size and not np.isin(labels, (0, 1)).all():
            bad = int(np.flatnonzero(~np.isin(labels, (0, 1)))[0])
            raise ScreenerError(
                f"screening history: label of screened record {bad + 1} is {labels[bad]!r}; "
                "labels must be 1 (include) or 0 (exclude)"
            )
        labels = labels.astype(np.int8)
        n = labels.shape[0]
        n_total = int(self.n_total)
        if n_total < n:
            raise ScreenerError(
                f"screening history: {n} records screened but the review has only {n_total}; "
                "n_total must count every record, screened or not"
            )
        sampled = self.sampled
        sampled = np.zeros(n, dtype=bool) if sampled is None else _as_opt_array(sampled, bool, n, "sampled")
        scores = _as_opt_array(self.scores_at_screening, float, n, "scores_at_screening")
        rem = _as_opt_array(self.remaining_scores, float, None, "remaining_scores")
        if rem is not None and rem.shape[0] != n_total - n:
            raise ScreenerError(
                f"screening history: {rem.shape[0]} remaining scores for {n_total - n} unscreened records; "
                "give one score per unscreened record"
            )
        probs = _as_opt_array(self.sample_probs, float, n, "sample_probs")
        if probs is not None:
            p = probs[sampled]
            if np.any(~np.isfinite(p)) or np.any(p <= 0) or np.any(p > 1):
                raise ScreenerError(
                    "screening history: every sampled record needs an inclusion probability in (0, 1]"
                )
        drawn = _as_opt_array(self.sample_drawn_at, np.int64, n, "sample_drawn_at")
        if drawn is not None:
            pos = np.arange(n)
            if np.any(drawn[sampled] < 0) or np.any(drawn[sampled] > pos[sampled]):
                raise ScreenerError(
                    "screening history: sample_drawn_at must be between 0 and the number screened "
                    "before each sampled record"
                )
        maybe = _as_opt_array(self.maybe, bool, n, "maybe")
        if maybe is not None and np.any(maybe & (labels == 0)):
            raise ScreenerError("screening history: a maybe must be labelled 1 (found)")
        object.__setattr__(self, "maybe", maybe)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "n_total", n_total)
        object.__setattr__(self, "sampled", sampled)
        object.__setattr__(self, "scores_at_screening", scores)
        object.__setattr__(self, "remaining_scores", rem)
        object.__setattr__(self, "sample_probs", probs)
        object.__setattr__(self, "sample_drawn_at", drawn)

    # --- handy views -------------------------------------------------------------------
    @property
    def n_screened(self) -> int:
        return int(self.labels.shape[0])

    @property
    def n_remaining(self) -> int:
        return self.n_total - self.n_screened

    @property
    def includes_found(self) -> int:
        return int(self.labels.sum())

    @property
    def maybes_found(self) -> int:
        """Of ``includes_found``, the maybes: found for recall, but no reviewer's include."""
        return 0 if self.maybe is None else int(self.maybe.sum())

    @property
    def has_sample(self) -> bool:
        return bool(self.sampled.any())

    def prefix(self, n: int, remaining_scores: np.ndarray | None = None) -> "ScreeningHistory":
        """The history as it stood after the first ``n`` records (remaining scores dropped
        unless given, since the ranker's view of the unscreened records was different then)."""
        n = int(n)
        if not 0 <= n <= self.n_screened:
            raise ScreenerError(f"screening history: cannot take the first {n} of {self.n_screened} records")

        def cut(a):
            return None if a is None else a[:n]

        return ScreeningHistory(
            labels=self.labels[:n],
            n_total=self.n_total,
            sampled=self.sampled[:n],
            scores_at_screening=cut(self.scores_at_screening),
            remaining_scores=remaining_scores,
            sample_probs=cut(self.sample_probs),
            sample_drawn_at=cut(self.sample_drawn_at),
            maybe=cut(self.maybe),
        )

    # --- constructors for tests and simulations ----------------------------------------
    @classmethod
    def from_labels(cls, labels: Sequence[int], n_total: int | None = None, **kw) -> "ScreeningHistory":
        """A ranked-only history; ``n_total`` defaults to the number screened (all done)."""
        labels = np.asarray(labels, dtype=np.int8)
        return cls(labels=labels, n_total=labels.shape[0] if n_total is None else n_total, **kw)

    @classmethod
    def from_positions(cls, include_positions: Sequence[int], n_screened: int, n_total: int, **kw) -> "ScreeningHistory":
        """Includes at the given 1-based screening positions, excludes elsewhere."""
        labels = np.zeros(int(n_screened), dtype=np.int8)
        pos = np.asarray(include_positions, dtype=int)
        if pos.size and (pos.min() < 1 or pos.max() > n_screened):
            raise ScreenerError(f"screening history: include positions must lie in 1..{n_screened}")
        labels[pos - 1] = 1
        return cls(labels=labels, n_total=n_total, **kw)

    @classmethod
    def from_order(
        cls,
        order_labels: Sequence[int],
        n_screened: int,
        order_scores: Sequence[float] | None = None,
        sampled: Sequence[bool] | None = None,
    ) -> "ScreeningHistory":
        """Cut a complete simulated screening order (labels of *all* records) after ``n_screened``;
        the scores, if given, are split into scores at screening and remaining scores."""
        lab = np.asarray(order_labels, dtype=np.int8)
        sc = None if order_scores is None else np.asarray(order_scores, dtype=float)
        return cls(
            labels=lab[:n_screened],
            n_total=lab.shape[0],
            sampled=None if sampled is None else np.asarray(sampled, bool)[:n_screened],
            scores_at_screening=None if sc is None else sc[:n_screened],
            remaining_scores=None if sc is None else sc[n_screened:],
        )


@dataclass
class Estimate:
    """One estimator's reading of a history.

    ``remaining*`` count includes still unscreened (point, and the interval at the
    confidence asked for); ``recall*`` is includes found / all includes under those counts.
    NaN means the method gives no such figure. ``stop`` says the method's own stopping
    condition holds for the target recall (and confidence, where it has one). ``needs``
    is how many more records (of the kind ``note`` names) it would take to be able to claim
    the target, when the method can say; None otherwise.
    """

    method: str
    n_screened: int
    includes_found: int
    remaining: float
    remaining_low: float
    remaining_high: float
    recall: float
    recall_low: float
    recall_high: float
    stop: bool
    needs: int | None = None
    sample_needs: int | None = None
    note: str = ""
    #: read with the includes (or maybes) found among records picked far below the ranking's top, which held its
    #: stop (``status._with_includes_off_the_ranking``): the advice says so, read here, not off the note's words
    found_off_ranking: bool = False
    #: the chance that recall has reached the target, where the method reads its stop off one (the model-based
    #: estimate): the advice's "why not yet" gives it, the reason the method uses, not the interval (NaN: none)
    chance: float = float("nan")
    #: what the interval is where it is not the method's own kind (``interval_sides``): a random start read as a
    #: random sample gives every method the sample's two-sided interval ("" keeps the method's)
    sides: str = ""
    #: why its stop is withheld (``status._hold_stop``: a record not screened from the ranking, a conflict ...), ""
    #: where it is not: ``stop`` alone read False beside a note that still said stop
    held: str = ""

    def covers(self, true_remaining: float) -> bool:
        """Whether the interval contains the true number of includes still unscreened."""
        if not (math.isfinite(self.remaining_low) and math.isfinite(self.remaining_high)):
            return False
        return self.remaining_low - 1e-9 <= true_remaining <= self.remaining_high + 1e-9

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Estimator(Protocol):
    name: str

    def estimate(self, history: ScreeningHistory, target_recall: float = 0.95, confidence: float = 0.95) -> Estimate: ...


# --- shared arithmetic ------------------------------------------------------------------

def level_pct(x: float) -> str:
    """A target recall or confidence as a percentage, as the reviewer set it: 95%, 97.5%, 99.9%.
    Rounded to whole percents, a target of 97.5% read as a claim of 98% recall (and 99.9% as 100%)."""
    return f"{100 * float(x):.2f}".rstrip("0").rstrip(".") + "%"


def recall_pct(x: float | None, target: float | None = None, unknown: str = "unknown", places: int = 0) -> str:
    """An estimated recall (or an end of its interval) as every front end shows it: the advice, 'screener
    status', the report and the web dashboard. A whole percent, except where rounding would carry a figure
    below the target, or below 100%, up to it: then one decimal, rounded down where that too would reach it
    (94.96% is "94.9%"). Rounded, 94.6% read "95%" beside 'keep screening' at a 95% target, and 99.7% read
    "100%" (every include found) with includes still estimated unscreened. ``target``: the target recall the
    figure is read against (None: only 100%). ``places``: decimals to show (the replay reports show tenths:
    94.96% is "94.96%" there, not "95.0%")."""
    if x is None or not math.isfinite(float(x)):
        return unknown
    p = 100 * float(x)
    return short_of(p, [100.0, 100 * float(target) if target is not None else 100.0], places) + "%"


def short_of(x: float, bars, places: int = 0) -> str:
    """``x`` to ``places`` decimals, except where rounding would carry it up to a bar it is below: then one decimal
    more, rounded down where that too would reach it. The figure beside a bar reads on the side of it that it is
    (``recall_pct``; a knee's slope ratio of 5.96 is not "6.0" beside 'needs at least 6')."""
    bars = [b - 1e-7 for b in bars if x < b - 1e-7]
    shown = f"{x:.{places}f}"
    if not any(float(shown) >= b for b in bars):
        return shown
    scale = 10 ** (places + 1)
    more = round(x, places + 1)
    return f"{math.floor(scale * x + 1e-7) / scale if any(more >= b for b in bars) else more:.{places + 1}f}"


def check_levels(target_recall: float, confidence: float) -> None:
    if not 0 < target_recall <= 1:
        raise ScreenerError(f"target recall must be between 0 and 1 (e.g. 0.95), got {target_recall}")
    if not 0 < confidence < 1:
        raise ScreenerError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence}")


def allowed_missed(found: int, target_recall: float) -> int:
    """Most includes that may still be unscreened with recall still at or above the target."""
    if target_recall >= 1:
        return 0
    return int(math.floor(found * (1 - target_recall) / target_recall + 1e-9))


#: Methods whose recall interval is a one-sided bound: recall at least its lower end at the confidence asked (the
#: hypergeometric test's largest number of includes left that it does not reject), its top (100%) no bound. Shown
#: under a heading that says the intervals are two-sided (the model-based estimate's), such a row says so itself.
#: QBCB's count bound (samples mixed into the batches) says its own (``Estimate.sides``): its lower end is the
#: certificate's, one-sided; QBCB proper (one draw placed in the ranking) is two-sided.
ONE_SIDED = frozenset({"hypergeometric"})


def interval_sides(method: str, estimate=None) -> str:
    """What a method's recall interval is: 'one-sided' (``ONE_SIDED``) or 'two-sided'; an ``estimate`` that says
    its own (``Estimate.sides``: read as a random sample) is that."""
    own = getattr(estimate, "sides", "") if estimate is not None else ""
    return own or ("one-sided" if method in ONE_SIDED else "two-sided")


#: A recall interval's words while no include has been found: 'screener status', the dashboard and the report
NO_INCLUDE_INTERVAL = "not yet estimable: no include found"


def not_estimable(includes_found: int, n_remaining: int, low: float | None, high: float | None) -> bool:
    """Whether a recall interval is to read ``NO_INCLUDE_INTERVAL``: no include found, records left, and an
    interval to show (its ends read as '0%–100%', or '0%––', with no recall to give an interval of)."""
    ends = [x for x in (low, high) if x is not None and math.isfinite(x)]
    return not includes_found and bool(n_remaining) and bool(ends)


def recall_of(found: float, remaining: float) -> float:
    total = found + remaining
    if not math.isfinite(total):
        return float("nan") if math.isnan(total) else 0.0
    return 1.0 if total <= 0 else found / total


def first_passing(ok, lo: int, hi: int) -> int:
    """Smallest x in (lo, hi] with ok(x), for a monotone ok with ok(lo) false and ok(hi) true.

    How many more excludes a bound needs before it certifies: each ok() is a whole test, so
    bisect rather than walk."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def make_estimate(
    method: str,
    history: ScreeningHistory,
    remaining: float,
    low: float,
    high: float,
    stop: bool,
    needs: int | None = None,
    note: str = "",
    sample_needs: int | None = None,
    chance: float = float("nan"),
) -> Estimate:
    found = history.includes_found
    return Estimate(
        method=method,
        n_screened=history.n_screened,
        includes_found=found,
        remaining=float(remaining),
        remaining_low=float(low),
        remaining_high=float(high),
        recall=recall_of(found, remaining),
        recall_low=recall_of(found, high),
        recall_high=recall_of(found, low),
        stop=bool(stop),
        needs=needs,
        sample_needs=sample_needs,
        note=note,
        chance=float(chance),
    )


def terminal_estimate(method: str, history: ScreeningHistory) -> Estimate | None:
    """The answer every method shares when nothing is left to screen."""
    if history.n_remaining == 0:
        return make_estimate(method, history, 0.0, 0.0, 0.0, True, needs=0, note="every record has been screened")
    return None


def with_method(est: Estimate, name: str) -> Estimate:
    return replace(est, method=name)
