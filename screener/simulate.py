"""Replay a finished review: the system picks, the known label is revealed, until all are screened.

A simulation turns a labelled dataset into one complete screening order, from which every
metric and every stopping point can be read (see ``shared/BENCHMARK.md``). The prior knowledge
comes from the seed alone (``choose_priors``), so another system given the same seed starts from
the same records and the two orders can be compared.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from screener.errors import InputError, ScreenerError, did_you_mean
from screener.io.detect import TABLE_FORMATS
from screener.records import counted, noun
from screener import metrics as M

if TYPE_CHECKING:
    from screener.protocol import Protocol

#: Target recalls at which every stopping method is evaluated (BENCHMARK.md).
TARGETS = (0.95, 0.8)
#: Confidence passed to methods that have one.
CONFIDENCE = 0.95


def stopping_targets(target: float) -> tuple[float, ...]:
    """The target recalls a replay asks each stopping method about, so that it can judge the stops at ``target``
    (a rapid review's 80% or 90%): the benchmark's ``TARGETS``, or ``target`` alone where it is none of them."""
    return TARGETS if any(math.isclose(target, t) for t in TARGETS) else (float(target),)

RESULT_FORMAT = 1


# --------------------------------------------------------------------------- priors


def parse_priors(priors) -> tuple[int, int]:
    """(includes, excludes) from 1, 0, (1, 1) or the CLI's "1,1" / "0"."""
    if isinstance(priors, str):
        parts = [p.strip() for p in priors.replace(" ", "").split(",") if p.strip()]
        try:
            nums = [int(p) for p in parts]
        except ValueError:
            nums = []
        if len(nums) not in (1, 2):
            raise ScreenerError(f"--priors must be 'INCLUDES,EXCLUDES' such as 1,1, or 0 for a cold start; got {priors!r}")
        priors = tuple(nums) if len(nums) == 2 else nums[0]
    if isinstance(priors, (tuple, list)):
        if len(priors) != 2:
            raise ScreenerError("priors must be a number or a pair (includes, excludes)")
        n_inc, n_exc = int(priors[0]), int(priors[1])
    else:
        n_inc = n_exc = int(priors)
    if n_inc < 0 or n_exc < 0:
        raise ScreenerError("the number of prior records cannot be negative")
    return n_inc, n_exc


def choose_priors(labels: Sequence[int], seed: int, priors=1, studies: Sequence | None = None) -> list[int]:
    """Row positions of the prior knowledge for ``seed``: includes first, then excludes.

    ``priors=1`` is ASReview's convention (one random include, one random exclude); 0 is a cold
    start; a pair gives (includes, excludes). Positions, not record ids, so the same choice can
    be handed to another system. ``studies``: each row's study (any key), when one study's papers
    are several rows (a final include and its companion papers): the prior includes are then that
    many studies picked at random, one record of each, so a study is not the more likely prior
    for having more papers. With one row per study the choice is the same as without.
    """
    y = np.asarray(labels)
    n_inc, n_exc = parse_priors(priors)
    if n_inc == 0 and n_exc == 0:
        return []
    inc = np.flatnonzero(y == 1)
    groups: list[np.ndarray] | None = None
    if studies is not None and n_inc:
        by_study: dict = {}
        for i in inc:
            by_study.setdefault(studies[i], []).append(int(i))
        groups = [np.asarray(rows) for rows in by_study.values()]
        if len(groups) == len(inc):
            groups = None  # one row per study: the record draw below is the study draw
        else:
            inc = np.arange(len(groups))  # draw among the studies; a record of each below
    exc = np.flatnonzero(y == 0)
    if len(inc) == 0 and n_inc:  # a cold start would find nothing either: no include to find
        raise ScreenerError(
            f"the dataset has no include (all {len(exc)} records are excludes), so there is no include to find. "
            "Check the decision column: for a project's export, the final includes are those included at full "
            "text (--column label= names another column).")
    if len(inc) < n_inc or len(exc) < n_exc:
        raise ScreenerError(
            f"the dataset has {counted(len(inc), 'include')} and {counted(len(exc), 'exclude')}; "
            f"{counted(n_inc, 'include')} and {counted(n_exc, 'exclude')} are needed as prior knowledge "
            "(use --priors 0 for a cold start)"
        )
    rng = np.random.default_rng(int(seed))
    chosen_inc = rng.choice(inc, size=n_inc, replace=False) if n_inc else []
    chosen_exc = rng.choice(exc, size=n_exc, replace=False) if n_exc else []
    if groups is not None:  # its own stream: the excludes drawn stay those of the record draw
        pick = np.random.default_rng([int(seed), 1])
        chosen_inc = [groups[g][int(pick.integers(len(groups[g])))] for g in chosen_inc]
    return [int(i) for i in chosen_inc] + [int(i) for i in chosen_exc]


# --------------------------------------------------------------------------- dataset


def check_dataset(df: pd.DataFrame, name: str = "dataset") -> pd.DataFrame:
    """A copy with ``record_id`` as str, text columns as str and labels as 0/1; clear errors otherwise.

    ``label_included`` may say 1/0 or any decision word the importer reads (yes/no, include/exclude,
    TRUE/FALSE ...). A table has no file lines, so records are named by id and row (counted from 1)."""
    missing = [c for c in ("record_id", "title", "abstract", "label_included") if c not in df.columns]
    if missing:
        raise InputError(
            f"missing {noun(len(missing), 'column')} {', '.join(missing)}; a labelled dataset needs record_id, title, "
            "abstract and label_included (1 = include, 0 = exclude)", path=name)
    out = df.reset_index(drop=True).copy()
    out["record_id"] = out["record_id"].astype(str)
    dup = out["record_id"].duplicated(keep=False)
    if dup.any():
        rid = out["record_id"][dup].iloc[0]
        rows = [str(i + 1) for i in np.flatnonzero((out["record_id"] == rid).to_numpy())]
        raise InputError(f"record_id {rid!r} is on rows {', '.join(rows[:-1])} and {rows[-1]}; every record needs "
                         "its own id: change one of them", path=name)
    lab = pd.to_numeric(out["label_included"], errors="coerce")
    odd = lab.isna() | ~lab.isin([0, 1])
    if odd.any():  # decision words, as the importer reads them
        words = out["label_included"][odd].map(_label_01)
        lab = lab.where(~odd, words)
    bad = np.flatnonzero(lab.isna().to_numpy())
    if len(bad):
        said = "; ".join(f"record {out['record_id'].iloc[i]!r} (row {i + 1}): {_cell(out['label_included'].iloc[i])}"
                         for i in bad[:5]) + (f"; and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise InputError(
            f"{len(bad)} record{'s have' if len(bad) > 1 else ' has'} no include/exclude decision in "
            f"label_included ({said}). Every record needs 1 (include) or 0 (exclude) to be simulated: give "
            "one, or leave out the records that were not screened.", path=name)
    out["label_included"] = lab.astype(int)
    for c in ("title", "abstract"):
        out[c] = out[c].fillna("").astype(str)
    return out


def _label_01(value) -> float:
    """1.0 / 0.0 for a decision word, NaN for anything else (blank, maybe, unreadable)."""
    from screener.io.label_values import parse_label

    try:
        lab = parse_label(value)
    except InputError:
        return math.nan
    return 1.0 if lab == "include" else 0.0 if lab == "exclude" else math.nan


def _cell(value) -> str:
    """A cell as a reviewer sees it in the file: 'empty' for a blank one."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip():
        return "empty"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(str(value))


# --------------------------------------------------------------------------- result


@dataclass
class SimulationResult:
    """One complete screening order and everything measured on the way.

    ``order``/``labels``: record ids and 0/1 labels in screening order, the ``n_priors`` prior
    records first. ``retrained[i]``: the ranking was refitted on new labels just before record
    ``i`` was proposed. ``latencies_s``: wall time from a new label to a new full ranking, one per
    refit. ``wall_time_s``: the whole simulation without the one-off embedding, which is
    ``embedding_time_s``. ``estimates``: one row per (checkpoint, method, target): ``step`` (post-
    prior records screened), ``method``, ``target``, ``recall`` (+ ``_low``/``_high``),
    ``remaining`` (+ ``_low``/``_high``: includes still unscreened), ``stop``.
    """

    dataset: str
    system: str
    seed: int
    n_priors: int
    order: np.ndarray
    labels: np.ndarray
    retrained: np.ndarray
    wall_time_s: float
    embedding_time_s: float = 0.0
    latencies_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    estimates: pd.DataFrame = field(default_factory=lambda: _empty_estimates())
    config: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        self.order = np.asarray(self.order).astype(str)
        self.labels = np.asarray(self.labels, dtype=np.int8)
        self.retrained = np.asarray(self.retrained, dtype=bool)
        self.latencies_s = np.asarray(self.latencies_s, dtype=float)
        if not (len(self.order) == len(self.labels) == len(self.retrained)):
            raise ScreenerError("order, labels and retrained must have one entry per screened record")

    # -- reading it ------------------------------------------------------------------------
    @property
    def n_records(self) -> int:
        return len(self.order)

    def metrics(self) -> dict:
        """The order metrics plus timings (keys are the results.csv columns)."""
        out = M.ranking_metrics(self.labels, self.n_priors)
        out.update(M.latency_stats(self.latencies_s))
        out["n_retrains"] = int(self.retrained.sum())
        out["wall_time_s"] = float(self.wall_time_s)
        out["embedding_time_s"] = float(self.embedding_time_s)
        return out

    def stop_points(self, target: float) -> dict[str, int | None]:
        """Method -> post-prior records screened when it first said stop at ``target`` (None = not
        before the last record)."""
        est = self.estimates
        if est.empty:
            return {}
        est = est[np.isclose(est["target"].to_numpy(float), target)]
        out: dict[str, int | None] = {}
        n_post = self.n_records - self.n_priors
        for method, g in est.groupby("method", sort=False):
            s = g[g["stop"].astype(bool)]
            first = int(s["step"].min()) if len(s) else None
            # with nothing left to screen every method says stop: that is not a stopping decision
            out[str(method)] = first if first is not None and first < n_post else None
        return out

    def stopping_rows(self) -> list[dict]:
        """One row per (method, target): recall at stop, screened at stop, excess."""
        rows = []
        targets = sorted(set(self.estimates["target"].round(6))) if not self.estimates.empty else []
        for t in targets:
            for method, n in self.stop_points(t).items():
                row = {"method": method, "target": float(t), "stop_n": n}
                row.update(M.stopping_outcome(self.labels, n, float(t), self.n_priors))
                rows.append(row)
        return rows

    def to_stopping_run(self):
        """The run as ``screener.stopping.evaluate.SimulatedRun`` (for its reliability, excess
        and interval coverage tables), the records put first (``simulate``'s ``first``) read apart as the replay
        read them."""
        from screener.stopping.base import Estimate
        from screener.stopping.evaluate import SimulatedRun

        cum = np.cumsum(self.labels)
        est: dict[str, dict[float, list]] = {}
        if not self.estimates.empty:
            for (method, target), g in self.estimates.sort_values("step").groupby(["method", "target"], sort=False):
                lst = []
                for r in g.itertuples(index=False):
                    k = int(r.step) + self.n_priors
                    lst.append(Estimate(method=str(method), n_screened=k, includes_found=int(cum[k - 1]),
                                        remaining=r.remaining, remaining_low=r.remaining_low,
                                        remaining_high=r.remaining_high, recall=r.recall, recall_low=r.recall_low,
                                        recall_high=r.recall_high, stop=bool(r.stop)))
                est.setdefault(str(method), {})[float(target)] = lst
        return SimulatedRun(labels=self.labels, estimates=est, dataset=self.dataset, seed=self.seed,
                            n_priors=self.n_priors, extra={"system": self.system},
                            n_first=int(self.meta.get("first") or 0))

    # -- saving it ----------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write one ``.npz`` file (arrays + JSON header); written to a temporary name then renamed,
        so an interrupted benchmark never leaves a half-written result behind."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "format": RESULT_FORMAT,
            "dataset": self.dataset,
            "system": self.system,
            "seed": int(self.seed),
            "n_priors": int(self.n_priors),
            "wall_time_s": float(self.wall_time_s),
            "embedding_time_s": float(self.embedding_time_s),
            "config": self.config,
            "meta": self.meta,
        }
        est = self.estimates
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "wb") as fh:
                np.savez_compressed(
                    fh,
                    header=np.array(json.dumps(header, default=_json_default)),
                    order=self.order.astype(str),
                    labels=self.labels,
                    retrained=self.retrained,
                    latencies_s=self.latencies_s,
                    **{f"est_{c}": _est_array(est, c) for c in EST_COLUMNS},
                )
            tmp.replace(path)
        except BaseException:  # (an interruption too) no half-written result under another name either
            tmp.unlink(missing_ok=True)
            raise
        return path

    @classmethod
    def load(cls, path: str | Path) -> "SimulationResult":
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                est = pd.DataFrame({c: z[f"est_{c}"] for c in EST_COLUMNS})
                est["method"] = est["method"].astype(str)
                return cls(
                    dataset=header["dataset"], system=header["system"], seed=header["seed"],
                    n_priors=header["n_priors"], order=z["order"], labels=z["labels"],
                    retrained=z["retrained"], wall_time_s=header["wall_time_s"],
                    embedding_time_s=header["embedding_time_s"], latencies_s=z["latencies_s"],
                    estimates=est, config=header.get("config", {}), meta=header.get("meta", {}),
                )
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"not a readable simulation result ({exc}); delete it and run again", path=path) from exc


EST_COLUMNS = ("step", "method", "target", "recall", "recall_low", "recall_high",
               "remaining", "remaining_low", "remaining_high", "stop")


def _empty_estimates() -> pd.DataFrame:
    return pd.DataFrame({c: np.zeros(0, np.int64 if c == "step" else bool if c == "stop" else str
                                      if c == "method" else float) for c in EST_COLUMNS})


def _est_array(est: pd.DataFrame, col: str) -> np.ndarray:
    if col == "step":
        return est[col].to_numpy(np.int64)
    if col == "stop":
        return est[col].to_numpy(bool)
    if col == "method":
        return np.asarray(est[col].astype(str).tolist() or [], dtype=str)
    return est[col].to_numpy(float)


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    return repr(o)


# --------------------------------------------------------------------------- configs


#: Named screener set-ups for simulations and benchmarks. "default" follows whatever ranker the
#: ranking engine declares as its default, so the benchmark always measures what users get.
#: Any ranker name of ``screener.rankers.RANKERS`` is also a config (that ranker, defaults else).
CONFIGS: dict[str, dict] = {
    "default": {},
    "svm-tfidf": {"ranker": "svm-tfidf"},
    "nb-tfidf": {"ranker": "nb-tfidf"},
    "logreg-concat": {"ranker": "logreg-concat"},
    "fusion": {"ranker": "fusion"},
    "every-record": {"schedule": {"every_until": 10**9, "growth": 0.0}},
    # the default without sentence embeddings (--embedding-model none): its lexical fallback
    "lexical": {"embedding_model": "none"},
}

_BASE_CONFIG = {
    "ranker": None,  # None = screener.rankers.DEFAULT_RANKER
    "strategy": "max",
    "schedule": None,  # None = the ranker's own schedule (screener.rankers.RANKER_SCHEDULES), else the usual
    "protocol": True,  # use the review question when given (always for a cold start)
    "embedding_model": "default",
    "tfidf": None,  # TfidfVectorizer options over screener.features.tfidf.TFIDF_DEFAULTS (None = defaults)
}


def with_embedding_model(model: str, embedding_model: str | None) -> str | dict:
    """The configuration a replay's --model and --embedding-model name together, as 'screener next' reads them:
    'none' ranks on the words alone (the default's is the 'lexical' configuration); another model reads the
    records with it. An unknown --model is left to ``resolve_config``, which lists the names."""
    from screener.features.embeddings import _DEFAULT_ALIASES
    from screener.rankers import RANKERS

    emb = str(embedding_model or "").strip()
    if not emb or emb.lower() in _DEFAULT_ALIASES or (model not in CONFIGS and model not in RANKERS):
        return model
    none = emb.lower() == "none"
    if model == "default" and none:
        return "lexical"
    over = CONFIGS.get(model, {"ranker": model})
    if str(over.get("embedding_model", emb)).lower() != emb.lower():
        raise InputError(f"--model {model} ranks on the words alone (as --embedding-model none); to replay "
                         f"the default ranking with the model {emb}, give --model default (or leave --model out).")
    return {**over, "embedding_model": emb, "name": f"{model}-lexical" if none else f"{model}-{Path(emb).name}"}


def resolve_config(config: dict | str = "default") -> dict:
    """The full settings for ``config`` (a name in ``CONFIGS``, a ranker name, or a dict)."""
    from screener.queue import RetrainSchedule
    from screener.rankers import RANKER_FEATURES, RANKERS, default_ranker, ranker_schedule

    name = None
    if isinstance(config, str):
        name = config
        if config in CONFIGS:
            over = CONFIGS[config]
        elif config in RANKERS:
            over = {"ranker": config}
        else:
            known = sorted(set(CONFIGS) | set(RANKERS))
            raise ScreenerError(f"unknown ranking model {config!r} (--model); choose one of: {', '.join(known)}."
                                f"{did_you_mean(config, known)}")
    elif isinstance(config, dict):
        over = config
        name = config.get("name")
    else:
        raise ScreenerError("config must be a configuration name or a dict of settings")
    unknown = set(over) - set(_BASE_CONFIG) - {"name"}
    if unknown:
        raise ScreenerError(f"unknown {noun(len(unknown), 'setting')} {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(_BASE_CONFIG)}")
    cfg = {**_BASE_CONFIG, **over}
    lexical = str(cfg["embedding_model"] or "none").strip().lower() == "none"
    ranker = cfg["ranker"] or "default"
    if ranker == "default":
        ranker = default_ranker(embeddings=not lexical)  # no embeddings: the best lexical ranker
    if ranker not in RANKERS:
        raise ScreenerError(f"unknown ranking model {ranker!r}; choose one of: {', '.join(RANKERS)}")
    if lexical and RANKER_FEATURES.get(ranker, "tfidf") != "tfidf":  # as 'screener next' says it
        raise ScreenerError(f"the ranking model {ranker} reads what the records mean, but the embedding model is "
                            "'none': give --embedding-model default, or a ranking model that reads the words alone "
                            "(e.g. --model lexical)")
    cfg["ranker"] = ranker
    cfg["features"] = RANKER_FEATURES.get(ranker, "tfidf")
    cfg["schedule"] = {**RetrainSchedule().to_dict(), **ranker_schedule(ranker), **(cfg["schedule"] or {})}
    cfg["name"] = name or ranker
    return cfg


# --------------------------------------------------------------------------- the loop


def default_checkpoints(n_post: int, dense_until: int = 200, n_sparse: int = 200) -> np.ndarray:
    """Post-prior steps at which every stopping method is asked: each step for the first
    ``dense_until`` records, then ``n_sparse`` evenly spaced steps, and the last one.
    (``estimate_stopping`` then finds each method's exact first stop between two checkpoints.)"""
    steps = set(range(1, min(dense_until, n_post) + 1))
    if n_post > dense_until:
        steps.update(np.linspace(dense_until, n_post, n_sparse + 1).round().astype(int).tolist())
    steps.add(n_post)
    return np.array(sorted(s for s in steps if 1 <= s <= n_post), dtype=np.int64)


def estimate_stopping(
    labels: Sequence[int],
    n_priors: int,
    estimators,
    *,
    checkpoints: Sequence[int] | str | None = None,
    targets: Sequence[float] = TARGETS,
    confidence: float = CONFIDENCE,
    cheap_s: float = 0.002,
    first: int | None = None,
) -> pd.DataFrame:
    """Every stopping method's answer along a complete screening order (any system's).

    Each method is asked at the checkpoints (``default_checkpoints`` and the records at which 25,
    50 and 75% of the includes are found; "all" = every step).
    A method that answers in under ``cheap_s`` seconds is then asked at every step; a slower
    one gives only its stop flag at every step up to its first stop (``_first_stop``), and its
    full estimate there, so its first stop is exact to the record either way. The history holds the
    labels in screening order (priors first) and the review size: what the rank-based methods
    read; a ranked-only simulation has no random sample for the sample-based ones. ``first``: the step of the first
    include found, before which no method says stop (default: these labels' own; ``replay_estimates`` counts the
    includes it reads apart).
    """
    from screener.stopping.base import ScreeningHistory

    y = np.asarray(labels, dtype=np.int8)
    n = len(y)
    n_post = n - int(n_priors)
    if checkpoints is None:
        # and the records at which a quarter, half and three quarters of the includes are found,
        # where the benchmark checks each interval: without them the check fell on the next
        # checkpoint for a method too slow to be asked at every step, and whether a method was
        # fast enough depended on the machine's load, so the same order could give other figures
        from screener.stopping.evaluate import COVERAGE_AT, records_to_reach

        cover = {records_to_reach(y, f, int(n_priors)) for f in COVERAGE_AT} if y[int(n_priors):].any() else set()
        grid = sorted(set(default_checkpoints(n_post).tolist()) | {c for c in cover if 1 <= c <= n_post})
    elif isinstance(checkpoints, str):
        if checkpoints != "all":
            raise ScreenerError(f"checkpoints must be 'all' or a list of steps, not {checkpoints!r}")
        grid = list(range(1, n_post + 1))
    else:
        grid = sorted({int(c) for c in checkpoints if 1 <= int(c) <= n_post})
    rows: list[tuple] = []
    if n_post <= 0 or not grid:
        return _empty_estimates()
    hist_cache: dict[int, object] = {}
    # the step of the first include, priors counted (0: a prior is one): before it 'screener status' gives no
    # stop, as recall has no meaning yet, where the hypergeometric test rejected "an include is left" after 95%
    # of the records and the replay said it would stop there, recall 0%
    if first is None:
        first = int(np.argmax(y)) + 1 - int(n_priors) if y.any() else n_post

    def hist(step: int):
        h = hist_cache.get(step)
        if h is None:
            h = ScreeningHistory(labels=y[: n_priors + step], n_total=n)
            if len(hist_cache) < 4096:
                hist_cache[step] = h
        return h

    for name, est in _fast_copies(_estimators(estimators)):
        answers: dict[int, list] = {}
        t = time.perf_counter()
        for step in grid:
            answers[step] = [est.estimate(hist(step), target_recall=tg, confidence=confidence) for tg in targets]
        per_call = (time.perf_counter() - t) / max(1, len(grid) * len(targets))
        if per_call < cheap_s:
            for step in range(1, n_post + 1):
                if step not in answers:
                    answers[step] = [est.estimate(hist(step), target_recall=tg, confidence=confidence)
                                     for tg in targets]
        else:
            for ti, tg in enumerate(targets):
                step = _first_stop(est, y, int(n_priors), n_post, tg, confidence, hist, after=first)
                if step is not None and (step not in answers or answers[step][ti] is None):
                    answers.setdefault(step, [None] * len(targets))[ti] = est.estimate(
                        hist(step), target_recall=tg, confidence=confidence)
        for step in sorted(answers):
            for tg, e in zip(targets, answers[step]):
                if e is None:
                    continue
                rows.append((step, name, float(tg), e.recall, e.recall_low, e.recall_high,
                             e.remaining, e.remaining_low, e.remaining_high, bool(e.stop) and step >= first))
    return pd.DataFrame(rows, columns=list(EST_COLUMNS))


#: the methods 'screener status' asks on the whole screening, the known relevant records put first with the rest: the
#: random sample's bound reads no order (``status._estimates_from_rankings``)
READ_WHOLE = frozenset({"qbcb"})


def replay_estimates(
    labels: Sequence[int],
    n_priors: int,
    estimators=None,
    *,
    n_first: int = 0,
    checkpoints: Sequence[int] | str | None = None,
    targets: Sequence[float] = TARGETS,
) -> pd.DataFrame:
    """``estimate_stopping`` along a replay whose ``n_first`` records right after the prior records were put first (a
    protocol's known relevant records: ``simulate``'s ``first``), read as 'screener status' reads them.

    The methods that read the ranking's order leave them out: found, but no evidence of where the includes left are
    (read as the ranking's best, named includes and a run of excludes said "stop"); each answer is given at the
    replay's own step, and its recall counts the includes put first as found, as status's does. QBCB
    (``READ_WHOLE``) reads the whole screening, as status asks it: read without them, its "even if every record left
    were an include" counted fewer includes found than status does and stopped a record or more later.
    ``checkpoints`` are the whole replay's steps."""
    est_list = _estimators(estimators)
    y = np.asarray(labels, dtype=np.int8)
    if not est_list:
        return _empty_estimates()
    if not n_first:
        return estimate_stopping(y, n_priors, dict(est_list), checkpoints=checkpoints, targets=targets)
    from screener.stopping.evaluate import COVERAGE_AT, records_to_reach

    whole = {k: v for k, v in est_list if getattr(v, "name", k) in READ_WHOLE}
    apart = {k: v for k, v in est_list if k not in whole}
    seen = np.delete(y, np.arange(n_priors, n_priors + n_first))
    own = checkpoints
    if checkpoints is not None and not isinstance(checkpoints, str):
        own = [int(c) - n_first for c in checkpoints]
    elif checkpoints is None and whole:
        # asked where the methods reading apart are asked about their intervals too (25, 50 and 75% of the
        # includes they read found), whatever the machine's speed: there the coverage is checked (``to_stopping_run``)
        cover = {records_to_reach(seen, f, n_priors) + n_first for f in COVERAGE_AT} if seen[n_priors:].any() else ()
        checkpoints = sorted(set(default_checkpoints(len(y) - n_priors).tolist()) | set(cover))
    parts = []
    if apart:
        # no stop before the first include found, those put first counted, as status reads it: read off the
        # screening without them, a cold start whose protocol named every include had no stop before the last record
        # where status said stop with 2 left
        first = max(0, (int(np.argmax(y)) + 1 - n_priors if y.any() else len(y) - n_priors) - n_first)
        est = estimate_stopping(seen, n_priors, apart, checkpoints=own, targets=targets, first=first)
        est["step"] = est["step"] + n_first
        # and their includes counted as found in the recall, as status counts them (``_estimates_from_rankings``):
        # the includes left are the methods' own, the recall is of the whole review
        found = np.cumsum(y)[n_priors + est["step"].to_numpy() - 1]
        for col, left in (("recall", "remaining"), ("recall_low", "remaining_high"), ("recall_high", "remaining_low")):
            rest = est[left].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                est[col] = np.where(np.isfinite(rest) & (found + rest > 0), found / (found + rest), np.nan)
        parts.append(est)
    if whole:
        parts.append(estimate_stopping(y, n_priors, whole, checkpoints=checkpoints, targets=targets))
    out = pd.concat(parts, ignore_index=True)
    rank = {k: i for i, (k, _) in enumerate(est_list)}  # in the methods' order, as read in one go
    return out.iloc[np.argsort(out["method"].map(rank).to_numpy(), kind="stable")].reset_index(drop=True)


def _first_stop(est, y: np.ndarray, n_priors: int, n_post: int, target: float, confidence: float, hist,
                after: int = 1) -> int | None:
    """The first post-prior step, from ``after`` on (the first include's), at which ``est`` says stop, asked at
    every step (its cheapest form: ``stop_curve`` over all steps at once, else ``stops``, else ``estimate``);
    None if never.

    Every step, because a method's stop need not last: an include found just after it can take
    it back, so a stop between two checkpoints where the method said "go on" is still the stop a
    reviewer asking after every record would have got. (Searching only between the last "go on"
    checkpoint and the first "stop" one missed such stops: 2 of 180 benchmark runs stopped a few
    records later than they should have.)"""
    if hasattr(est, "stop_curve"):
        flags = np.asarray(est.stop_curve(_whole_history(y), np.arange(n_priors + 1, n_priors + n_post + 1),
                                          target_recall=target, confidence=confidence), dtype=bool)
        hit = np.flatnonzero(flags[max(after, 1) - 1:])
        return int(hit[0]) + max(after, 1) if len(hit) else None
    ask = getattr(est, "stops", None)
    for step in range(max(after, 1), n_post + 1):
        h = hist(step)
        if (ask(h, target_recall=target, confidence=confidence) if ask is not None
                else est.estimate(h, target_recall=target, confidence=confidence).stop):
            return step
    return None


def _whole_history(y: np.ndarray):
    """The whole screening order as one history (what ``stop_curve`` reads)."""
    from screener.stopping.base import ScreeningHistory

    return ScreeningHistory(labels=y, n_total=len(y))


def _fast_copies(estimators) -> list:
    """Copies that skip the "how many more records" search: a simulation reads only the stop."""
    import copy

    out = []
    for name, est in estimators:
        if getattr(est, "compute_needs", False):
            est = copy.copy(est)
            est.compute_needs = False
        out.append((name, est))
    return out


def simulate(
    dataset: pd.DataFrame,
    *,
    config: dict | str = "default",
    seed: int,
    priors: int | tuple[int, int] | str = 1,
    protocol_text: "str | Protocol | None" = None,
    estimators=None,
    embedding_cache=None,
    embeddings: np.ndarray | None = None,
    dataset_name: str = "dataset",
    checkpoints: Sequence[int] | str | None = None,
    progress=None,
    studies: Sequence | None = None,
    targets: Sequence[float] = TARGETS,
    first: Sequence[int] = (),
) -> SimulationResult:
    """Screen every record of ``dataset`` in the order screener proposes, revealing labels.

    ``priors``: 1 = one random include + one random exclude chosen by ``seed`` (ASReview's
    convention), 0 = cold start from ``protocol_text`` (the review question) alone, or a pair
    (includes, excludes). ``protocol_text`` may be a whole ``Protocol`` (a project's, or a
    protocol file's): its exclusion criteria and key terms then rank the cold start as they do in
    the project, where its text alone would lose them.
    ``estimators``: stopping methods, a dict name -> estimator or a list (None = the default
    set of ``screener.stopping.default_estimators``, [] = none).
    ``embedding_cache``: an ``EmbeddingCache`` (or a path to one) for configs that read embeddings;
    ``embeddings``: precomputed vectors, one row per record, instead.
    ``checkpoints``: post-prior steps at which estimators run ("all" = every step; default:
    ``default_checkpoints``, refined to each method's exact first stop, see
    ``estimate_stopping``). ``progress``: optional callable(step, n_post). ``studies``: each
    record's study, where one study has several records (see ``choose_priors``). ``targets``: the target
    recalls each stopping method is asked about (``stopping_targets``). ``first``: row positions screened first,
    after the prior records, in the ranking's order among them: the records a project's protocol names as known
    relevant, which 'screener next' shows first whatever their score (``ScreeningSession.ranking``); none by default.
    The stopping methods read the replay without them, as 'screener status' reads them apart (QBCB, which status asks
    on the whole screening, with them: ``replay_estimates``); ``estimates``' steps are the whole replay's, and their
    recall counts the includes put first as found, as status's does.
    """
    from screener.queue import Prioritizer, RetrainSchedule
    from screener.features import build_features
    from screener.records import record_text

    df = check_dataset(dataset, dataset_name)
    cfg = resolve_config(config)
    y = df["label_included"].to_numpy().astype(np.int64)
    n = len(df)
    if n == 0:
        raise InputError("the dataset has no records to screen", path=dataset_name)
    prior_rows = choose_priors(y, seed, priors, studies=studies)
    proto = _as_protocol(protocol_text)
    if not prior_rows and proto is None:
        raise ScreenerError("a cold start (--priors 0) ranks the first records by the review question, and none "
                            "was given: give it with --question \"...\" (or a protocol), or start from prior "
                            "records (--priors 1,1)")
    use_protocol = bool(cfg["protocol"] and proto is not None)
    texts = [record_text(t, a) for t, a in zip(df["title"], df["abstract"])]

    # One-off: embeddings (cached per dataset), reported apart from the screening time.
    emb_time = 0.0
    proto_emb = None
    needs_emb = cfg["features"] in ("embedding", "both")
    if needs_emb and embeddings is None:
        from screener.features.embeddings import EmbeddingCache, embed_texts

        cache = embedding_cache
        if cache is not None and not isinstance(cache, EmbeddingCache):
            cache = EmbeddingCache(cache)
        t = time.perf_counter()
        embeddings = embed_texts(texts, model=cfg["embedding_model"], cache=cache, progress=False)
        if use_protocol:
            proto_emb = _protocol_embedding(proto, cfg["embedding_model"], cache)
        emb_time = time.perf_counter() - t
    elif needs_emb and use_protocol:
        t = time.perf_counter()
        proto_emb = _protocol_embedding(proto, cfg["embedding_model"], embedding_cache)
        emb_time = time.perf_counter() - t
    if embeddings is not None and len(embeddings) != n:
        raise ScreenerError(f"{len(embeddings)} embeddings given for {n} records")

    est_list = _estimators(estimators)
    n_post = n - len(prior_rows)

    import screener.features.tfidf  # noqa: F401  (one-off module loading, not screening time)
    from screener.rankers.linear import load_once

    load_once()
    t0 = time.perf_counter()
    X = build_features(texts, kind=cfg["features"], embeddings=embeddings if needs_emb else None,
                       model=cfg["embedding_model"], tfidf_options=cfg["tfidf"])
    protocol_scores = protocol_row = None
    if use_protocol:
        from screener.protocol import protocol_scores as _pscores

        protocol_scores = _pscores(proto, texts, embeddings=embeddings if needs_emb else None,
                                   model=cfg["embedding_model"], query_embedding=proto_emb)
        protocol_row = X.transform_text([proto.text()], embeddings=None if proto_emb is None else proto_emb[None, :])
    prio = Prioritizer(ranker=cfg["ranker"], strategy=cfg["strategy"], random_state=int(seed),
                       schedule=RetrainSchedule(**cfg["schedule"]))

    labelled = np.empty(n, dtype=np.int64)
    labelled[: len(prior_rows)] = prior_rows
    k = len(prior_rows)
    # put first as 'next' puts them: those not among the prior records, in the ranking's order
    pending = np.setdiff1d(np.unique(np.asarray(first, dtype=np.int64)), np.asarray(prior_rows, dtype=np.int64))
    if len(pending) and (pending.min() < 0 or pending.max() >= n):
        raise ScreenerError(f"the records to screen first must be rows of the dataset (0 to {n - 1})")
    n_first = len(pending)
    retrained = np.zeros(n, dtype=bool)
    latencies: list[float] = []
    phases: dict[str, int] = {}
    while k < n:
        t = time.perf_counter()
        ranking = prio.rank(X, labelled[:k], y[labelled[:k]], protocol_scores, protocol_row)
        dt = time.perf_counter() - t
        if ranking.refitted:
            latencies.append(dt)
        retrained[k] = ranking.refitted
        phases[ranking.phase] = phases.get(ranking.phase, 0) + 1
        if len(pending):
            order = np.asarray(ranking.order)
            pick = int(order[np.isin(order, pending)][0])
            pending = pending[pending != pick]
        else:
            pick = int(ranking.order[0])
        labelled[k] = pick
        k += 1
        if progress is not None:
            progress(k - len(prior_rows), n_post)
    wall = time.perf_counter() - t0

    if len(set(labelled.tolist())) != n:  # the loop must show every record exactly once
        raise ScreenerError("internal error: the simulation screened a record twice")
    te = time.perf_counter()
    estimates = replay_estimates(y[labelled], len(prior_rows), dict(est_list), n_first=n_first,
                                 checkpoints=checkpoints, targets=targets)
    est_time = time.perf_counter() - te
    return SimulationResult(
        dataset=dataset_name,
        system=("screener-" + cfg["name"]) if prior_rows else ("screener-" + cfg["name"] + "-coldstart"),
        seed=int(seed),
        n_priors=len(prior_rows),
        order=df["record_id"].to_numpy()[labelled],
        labels=y[labelled],
        retrained=retrained,
        wall_time_s=wall,
        embedding_time_s=emb_time,
        latencies_s=np.asarray(latencies),
        estimates=estimates,
        config={k_: v for k_, v in cfg.items()},
        meta={"phases": phases, "stopping_time_s": est_time, "protocol": bool(use_protocol), "first": n_first,
              "stopping_methods": sorted(set(estimates["method"])) if len(estimates) else []},
    )


def _as_protocol(protocol):
    """The protocol to rank by: a whole ``Protocol`` as given, a question as a protocol of it alone."""
    from screener.protocol import Protocol

    if isinstance(protocol, Protocol):
        return protocol
    return Protocol.from_text(protocol) if (protocol or "").strip() else None


def _protocol_embedding(proto, model, cache):
    from screener.features.embeddings import EmbeddingCache, embed_texts

    if cache is not None and not isinstance(cache, EmbeddingCache):
        cache = EmbeddingCache(cache)
    vecs = embed_texts(proto.passages(), model=model, cache=cache, progress=False)
    v = vecs.mean(axis=0)
    nrm = np.linalg.norm(v)
    return (v / nrm if nrm > 0 else v).astype(np.float32)


def _estimators(estimators) -> list[tuple[str, object]]:
    """(name, estimator) pairs from a dict (``default_estimators()`` style), a list, or None."""
    if estimators is None:
        try:
            from screener.stopping import default_estimators
        except ImportError:  # the stopping package is optional for a bare ranking simulation
            return []
        estimators = default_estimators(compute_needs=False)
    if isinstance(estimators, dict):
        return [(str(k), v) for k, v in estimators.items()]
    return [(str(getattr(e, "name", type(e).__name__)), e) for e in estimators]


# --------------------------------------------------------------------------- CLI entry


#: Column names (compared as the importer compares them: no case, spaces or punctuation) of a
#: full-text decision; screener's own export has ``full_text_decision`` (in RIS, a note).
FULL_TEXT_COLUMNS = ("fulltextdecision",)


def _at(place: str) -> dict:
    """A record's place ('row 4', 'line 9') as ``parse_label`` names it: a text export's line, else the row as said."""
    unit, _, n = place.partition(" ")
    return {"line": int(n)} if unit == "line" and n.isdigit() else {"row": place}


def _columns_of(path: Path) -> str:
    """' (this file's columns: ...)' for a CSV/TSV, so the reviewer sees what --column can name; '' otherwise."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return ""
    try:
        cols = list(pd.read_csv(path, nrows=0, sep=None, engine="python", encoding="utf-8-sig").columns)
    except Exception:  # noqa: BLE001 - only a hint in a message that is raised anyway
        return ""
    return f" (this file's columns: {', '.join(map(str, cols))})" if cols else ""


def read_labelled(path, column_map: dict | None = None) -> pd.DataFrame:
    """A labelled dataset from a file: a table with ``label_included`` (the benchmark format), or
    any export screener reads that carries include/exclude decisions (e.g. RIS with labels).

    Read as an import reads it, so every problem names the file line, and a decision column
    takes the same values whatever it is called (1/0, yes/no, include/exclude ...). The records
    keep the file's own ids (``record_id`` or another id column) when every record has one.
    ``column_map`` names a table's columns as for an import; its ``label`` chooses the column of
    decisions. An export with full-text decisions (a screener project's) is read against its final
    includes unless ``label`` names the title/abstract column: see ``read_decisions``.
    ``df.attrs["includes_from"]`` says, in one line, where the includes came from."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file; give a labelled dataset (CSV with label_included, or an export "
                         "with include/exclude decisions)", path=path)
    from screener.io.tabular import SheetsWithData

    try:
        res, labels, includes_from, which = read_decisions(path, column_map)
    except SheetsWithData as err:  # no --sheet here
        raise err.without_sheet_option("screener simulate") from None
    from screener.labels import record_places

    places = record_places(path, res)  # a CSV's rows as Excel shows them, as 'screener label' names them
    copies = _duplicate_copies(res)
    if copies:  # screener's export --with-duplicates: a study is screened once, not once per database
        res.records = [r for i, r in enumerate(res.records) if i not in copies]
        labels = [lab for i, lab in enumerate(labels) if i not in copies]
        places = [at for i, at in enumerate(places) if i not in copies]
        n = len(copies)
        includes_from = (includes_from.rstrip(".") + f". The file's {n} duplicate cop{'y' if n == 1 else 'ies'} (an "
                         f"export with --with-duplicates) {'is' if n == 1 else 'are'} left out: each study is "
                         "screened once.")
    unread = _excluded_unread(res.records, labels)
    if unread:  # the rest excluded unread at the review's stop: read as excludes like any other, nobody said so
        includes_from = (includes_from.rstrip(".") + f". {unread} of the excludes {'was' if unread == 1 else 'were'} "
                         "excluded unread when the review stopped (its excluded_unread column): nobody read "
                         f"{'it' if unread == 1 else 'them'}, so the figures below hold only if none is an include.")
    if res.records and all(lab is None for lab in labels):  # not one decision: the column is missing
        raise InputError(
            "no record has an include/exclude decision, so there is nothing to replay. A labelled dataset needs "
            "a decision for every record: a column named label_included (1/0), included, decision or label "
            f"(include/exclude), or RIS notes from Rayyan; name another with --column label=NAME{_columns_of(path)}.",
            path=path)
    missing = [(rec, lab, at) for rec, lab, at in zip(res.records, labels, places) if lab not in ("include", "exclude")]
    if missing:
        column = next((c for c in _quoted_columns(which)), None)

        def what(rec, lab):
            if lab == "maybe":
                return "maybe"
            cell = (rec.get("raw") or {}).get(column) if column else None
            return _cell(cell) if column else "none"

        said = "; ".join(f"{at}: {what(rec, lab)}" for rec, lab, at in missing[:10])
        more = f"; and {len(missing) - 10} more" if len(missing) > 10 else ""
        n = len(missing)
        raise InputError(
            f"{n} record{'s have' if n > 1 else ' has'} no include/exclude decision"
            + (f" in column {column!r}" if column else "") + f" ({said}{more}). Every record needs one to be "
            "simulated: give it (1 or 0, include or exclude, yes or no), or leave out the records that were "
            "not screened."
            + (" A maybe is neither an include nor an exclude: write the decision it came to (include or exclude) in "
               "its place, or leave the record out." if any(lab == "maybe" for _, lab, _ in missing) else ""),
            path=path)
    y = [1 if lab == "include" else 0 for lab in labels]
    df = pd.DataFrame(res.records)
    ids = [rec.get("source_id") for rec in res.records]
    # a table's record_id column is the dataset's own (a repeat there is a mistake, named); an
    # export's accession numbers (RIS AN/ID) repeat when two exports are joined: numbered then
    own = all(ids) and (res.format in TABLE_FORMATS or len(set(ids)) == len(ids))
    df.insert(0, "record_id", ids if own else [str(i + 1) for i in range(len(df))])
    df["label_included"] = y
    out = check_dataset(df, str(path))
    out.attrs["includes_from"] = includes_from.replace("{n}", str(sum(y))).replace("{total}", str(len(y)))
    return out


def _excluded_unread(records, labels) -> int:
    """How many of the excludes of a screener export were excluded unread at its stop (``says_excluded_unread``)."""
    from screener.io.ris import says_excluded_unread

    return sum(1 for rec, lab in zip(records, labels) if lab == "exclude" and says_excluded_unread(rec))


def _duplicate_copies(res) -> set[int]:
    """Positions of the records that repeat a study already in the file: screener's own export
    with ``--with-duplicates`` (a table's ``duplicate_group`` and ``is_primary`` columns, or the
    RIS notes "Duplicate group (screener)"). The study's primary stays where the file marks it,
    else its first record."""
    from screener.io.ris import DUPLICATE_NOTE, screener_notes
    from screener.io.tabular import _norm

    groups, primary = [], []
    for rec in res.records:
        raw = rec.get("raw") or {}
        cells = {_norm(str(k)): v for k, v in raw.items()} if isinstance(raw, dict) else {}
        if "duplicategroup" in cells and "isprimary" in cells:
            g = cells["duplicategroup"]
            groups.append(None if g is None or not str(g).strip() else str(g).strip())
            primary.append(str(cells["isprimary"]).strip().lower() in ("true", "1", "yes"))
        else:
            note = screener_notes(rec, DUPLICATE_NOTE)
            groups.append(note[0] if note else None)
            primary.append(False)
    kept: dict[str, int] = {}
    for i, (g, p) in enumerate(zip(groups, primary)):
        if g is not None and (g not in kept or (p and not primary[kept[g]])):
            kept[g] = i
    return {i for i, g in enumerate(groups) if g is not None and kept[g] != i}


def _quoted_columns(text: str) -> list[str]:
    """The column names quoted in ``read_decisions``' words ("column 'decision'")."""
    import re

    return [m.group(1) for m in re.finditer(r"column '([^']*)'", text)]


def read_decisions(path, column_map: dict | None = None, *, unknown_advice: str | None = None):
    """``(read_records' result, one decision per record, where the includes come from, which
    records are the includes)``.

    The decisions are those ``read_records`` reads (for a table, its decision column, which
    ``column_map``'s ``label`` may name) except in an export with full-text decisions (a
    screener project's: ``decision`` and ``full_text_decision``). There the review's final
    includes are the includes, as in the benchmark datasets and ``screener evaluate``: a record is
    an include when it was included at full text, an exclude when it was excluded at full text or
    at title/abstract. A record included at title/abstract with no full-text decision yet is
    refused, naming its line: its final decision is not known. ``column_map={"label": "decision"}``
    reads the title/abstract decisions instead (``unknown_advice`` replaces that advice in the
    refusal). The third item is one line for the report, with ``{n}`` (includes) and ``{total}``
    (records) to fill in; the fourth, a few words for other notes ("included at full text (column
    'full_text_decision')")."""
    from screener.io import read_records
    from screener.labels import record_places
    from screener.io.label_values import parse_label
    from screener.io.ris import FULL_TEXT_NOTE, screener_notes
    from screener.io.tabular import ALIASES, _norm, label_column

    path = Path(path)
    column_map = dict(column_map or {})
    chosen = column_map.get("label")
    wants_full_text = chosen is not None and _norm(chosen) in FULL_TEXT_COLUMNS
    read_map = {k: v for k, v in column_map.items() if not (k == "label" and wants_full_text)}
    res = read_records(path, column_map=read_map or None)
    table = res.format in TABLE_FORMATS
    header = list(res.records[0].get("raw") or {}) if table and res.records else []
    if table:
        decision_col = label_column(header, read_map or None, path)
        full_text_col = next((h for h in header if _norm(h) in FULL_TEXT_COLUMNS), None)
        full_text = [(r.get("raw") or {}).get(full_text_col) for r in res.records] if full_text_col else None
    else:
        if chosen is not None and _norm(chosen) not in ("decision",) + FULL_TEXT_COLUMNS:
            raise InputError(f"--column label={chosen} names a column of a table, and this file is not one. Its "
                             "decisions are screener's notes: --column label=decision reads the title/abstract "
                             "decisions, --column label=full_text_decision the full-text ones.", path=path)
        decision_col = "screener's decision notes" if res.format == "ris" else None
        notes = [screener_notes(r, FULL_TEXT_NOTE) for r in res.records]
        full_text_col = "screener's full-text decision notes" if any(notes) else None
        full_text = [n[0] if n else None for n in notes] if full_text_col else None
    if wants_full_text and full_text_col is None:
        raise InputError(f"there is no column {chosen!r} (given with --column label=); the file has no full-text "
                         f"decisions{'. Columns in the file: ' + ', '.join(map(repr, header)) if header else ''}.",
                         path=path)
    where_ta = f"column {decision_col!r}" if table and decision_col else decision_col or "the file's decisions"
    where_ft = f"column {full_text_col!r}" if table else full_text_col
    if full_text_col is not None:
        from screener.io.label_values import full_text_labels

        with full_text_labels():  # 'not retrieved' (a screener export's not_retrieved) is read, not refused
            ft = [parse_label(v, path=path, column=full_text_col, **_at(at))
                  for at, v in zip(record_places(path, res), full_text)]
        use_full_text = wants_full_text or (chosen is None and any(v in ("include", "exclude") for v in ft))
    if full_text_col is None and chosen is None and not any(lab is not None for lab in res.labels):
        noted = tool_notes_decisions(res, path)
        if noted is not None:
            labels, where = noted
            return res, labels, "Includes: the {n} of {total} records marked include in " + where + ".", \
                "marked include in " + where
    if full_text_col is None or not use_full_text:
        said = "the {n} of {total} records marked include in " + where_ta
        if full_text_col is not None and chosen is not None:
            said += f" (as --column label= asked; the full-text decisions in {where_ft} are not used)"
        elif full_text_col is not None:
            said += f" (no record has a full-text decision in {where_ft})"
        # an ASReview export has the reviewer's own 'included' beside the dataset's 'label_included'
        others = [h for h in header if h not in (decision_col, full_text_col) and _norm(h) in ALIASES["label"]]
        if table and decision_col and chosen is None and others:
            said += (f"; the file also has the decision column {others[0]!r} (to measure against it instead: "
                     f"--column label={_quoted_name(others[0])})")
        which = ("marked include in " + where_ta if full_text_col is None or chosen is not None else
                 f"included at title/abstract ({where_ta}; no record has a full-text decision in {where_ft} yet)")
        return res, list(res.labels), "Includes: " + said + ".", which
    final, unknown, never, gone = [], [], 0, 0
    for at, ta, f in zip(record_places(path, res), res.labels, ft):
        if f == "not_retrieved":  # the full text could not be obtained: not one of the review's includes
            final.append("exclude")
            gone += 1
        elif f is not None:
            final.append(f)
        elif ta == "exclude":
            final.append("exclude")
        elif ta is None:  # never screened (the review stopped before it): not one of its includes
            final.append("exclude")
            never += 1
        else:  # passed on at title/abstract, not decided at full text: its final decision is unknown
            final.append(None)
            unknown.append(at)
    if unknown:
        unit = unknown[0].split(" ", 1)[0]  # row (a table), line (a text export), record
        lines = ", ".join(x.split(" ", 1)[-1] for x in unknown[:10]) + (
            f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        other = unknown_advice if unknown_advice is not None else (
            f"simulate against the title/abstract decisions with --column label={_quoted_name(decision_col)}"
            if decision_col and table else
            "simulate against the title/abstract decisions with --column label=decision" if decision_col else "")
        raise InputError(
            (f"{len(unknown)} records were included (or marked maybe) at title/abstract but have" if len(unknown) > 1
             else "1 record was included (or marked maybe) at title/abstract but has")
            + f" no full-text decision in {where_ft} ({unit}{'s' if len(unknown) > 1 else ''} {lines}), so the "
            "review's final includes are not "
            "known yet. Finish the full-text screening and export again"
            + (f", or {other}" if other else "") + ".", path=path)
    said = ("the review's final includes, the {n} of {total} records included at full text (" + where_ft + "); "
            "records excluded at title/abstract or at full text are excludes"
            + (f", and so are the {never} never screened (the review stopped before them)" if never else "")
            + (f", and the {gone} whose full text was not retrieved (not among the review's includes)"
               if gone else "") + ".")
    if chosen is None and decision_col:
        said += (f" To simulate against the title/abstract decisions instead: --column label="
                 f"{_quoted_name(decision_col) if table else 'decision'}.")
    return res, final, "Includes: " + said, f"included at full text ({where_ft})"


#: ASReview's RIS notes (N1): its label of each record
_ASREVIEW_NOTES = {"asreview_relevant": "include", "asreview_irrelevant": "exclude", "asreview_not_seen": None}


def tool_notes_decisions(res, path) -> tuple[list, str] | None:
    """(one decision per record, where they were read) from the notes other screening tools
    write, for a file with no decision column: Rayyan's ``RAYYAN-INCLUSION`` notes (its CSV or RIS
    export) or ASReview's ``ASReview_relevant`` / ``ASReview_irrelevant`` notes (its RIS export).
    None when the file has neither. A record the reviewers decided differently in Rayyan is
    refused, naming its line: which decision is the review's is not known until it is settled."""
    import re

    from screener.labels import _rayyan_decisions, _texts

    from screener.labels import record_places

    places = record_places(path, res)  # a CSV's rows as Excel shows them
    rayyan, asreview = [], []
    for rec, at in zip(res.records, places):
        raw = rec.get("raw") or {}
        rayyan.append(_rayyan_decisions(raw, at if rec.get("source_line") else None))
        words = {w.lower() for t in _texts(raw) for w in re.findall(r"\bASReview_\w+\b", t, re.I)}
        words &= set(_ASREVIEW_NOTES)  # not its prior or validation notes
        asreview.append({_ASREVIEW_NOTES[w] for w in words} - {None} if words else None)
    if any(r is not None for r in rayyan):
        labels, conflicts = [], []
        for at, pairs in zip(places, rayyan):
            said = {dec for _, dec in pairs or []}
            if len(said) > 1:
                conflicts.append(f"{at}: "
                                 + ", ".join(f"{who} {dec}" for who, dec in pairs))
            labels.append(next(iter(said)) if len(said) == 1 else None)
        if conflicts:
            n = len(conflicts)
            raise InputError(
                f"{n} record{'s were' if n > 1 else ' was'} decided differently by the reviewers in Rayyan ("
                + "; ".join(conflicts[:10]) + (f"; and {n - 10} more" if n > 10 else "")
                + f"), so the review's decision on {'them' if n > 1 else 'it'} is not known. Settle the "
                "conflicts in Rayyan and export again.", path=path)
        return labels, "Rayyan's RAYYAN-INCLUSION notes"
    if any(a is not None for a in asreview):
        labels = []
        for at, said in zip(places, asreview):
            if said is not None and len(said) > 1:
                raise InputError(f"{at} has ASReview notes that disagree ("
                                 "ASReview_relevant and ASReview_irrelevant); keep one and run again.", path=path)
            labels.append(next(iter(said)) if said else None)
        return labels, "ASReview's notes (ASReview_relevant)"
    return None


def _quoted_name(name: str) -> str:
    return name if all(c.isalnum() or c in "_.-" for c in name) else f'"{name}"'


def check_plot_path(plot) -> None:
    """Refuse a --plot that names a folder or another kind of picture, before the replay, not after it."""
    if plot is not None and Path(plot).is_dir():
        raise InputError(f"--plot names a folder; give the picture's file name, e.g. {Path(plot) / 'recall.png'}",
                         path=plot)
    if plot is not None and Path(plot).suffix.lower() != ".png":  # PNG bytes under another name open as nothing
        raise InputError(f"--plot draws a PNG picture; name the file {Path(plot).stem}.png.", path=plot)


def simulate_cli(
    dataset,
    *,
    model: str = "default",
    seed: int | str | Sequence[int] = 1,
    priors: str | int = "1,1",
    question: str | None = None,
    protocol=None,
    out=None,
    plot=None,
    stopping: bool = True,
    embedding_cache=None,
    column_map: dict | None = None,
    embedding_model: str | None = None,
    target_recall: float = 0.95,
) -> tuple[list[SimulationResult], str]:
    """What ``screener simulate`` does: read, simulate once per seed (``seed``: one, or several
    as "1-5" / "1,2,3": one replay depends on which prior records were drawn), save/plot if
    asked; returns the results and a plain-text report for the terminal, which starts with the
    line that says where the includes came from (``read_labelled``; ``column_map`` as there).
    ``target_recall``: the recall each stopping method's stop is judged against (a rapid review's 0.8 or 0.9)."""
    from screener.evaluate import parse_seeds

    seeds = parse_seeds(seed)
    config = with_embedding_model(model, embedding_model)  # a wrong pair refused before the replay
    dataset = Path(dataset)
    from screener.project import DB_NAME, DB_URL_FILE
    from screener.shell import shell_quote

    # a project (in its file, or on a team's database server): its decisions are replayed from an export of it
    if (dataset / DB_NAME).exists() or (dataset / DB_URL_FILE).exists():
        raise InputError(f"this is a screener project; simulate replays a file of records with their decisions. "
                         f"Export the project first ('screener export {shell_quote(dataset)} "
                         f"-o {shell_quote(dataset.name + '.csv')}') and simulate that file, or check the project "
                         f"against its final includes with 'screener evaluate {shell_quote(dataset)} "
                         "--final-includes FILE'.", path=dataset)
    check_plot_path(plot)
    if out is not None:  # refused before the replay, not after it
        targets = [Path(out)] if len(seeds) == 1 else [
            Path(out).with_name(f"{Path(out).stem}-seed{s}{Path(out).suffix or '.npz'}") for s in seeds]
        for t in targets:
            t = t if t.suffix == ".npz" else t.with_suffix(".npz")
            if t.is_dir():
                raise InputError(f"--out would save to {t}, which is a folder; give the file's name, e.g. "
                                 f"{t / 'replay.npz'}", path=out)
    df = read_labelled(dataset, column_map)
    includes_from = df.attrs.get("includes_from", "")
    if parse_priors(priors)[0] and not (df["label_included"] == 1).any():
        try:
            choose_priors(df["label_included"].to_numpy(), 0, priors)
        except ScreenerError as err:  # named with the file (the replay's own words have no file to name)
            raise InputError(str(err), path=dataset) from None
    text = question
    if protocol is not None:
        from screener.protocol import Protocol

        if (question or "").strip():  # one would be dropped without a word
            raise InputError("give the review's question with --question or --protocol, not both (a protocol "
                             "file holds its own question)", path=protocol)
        text = Protocol.load(protocol)  # whole: its exclusion criteria and key terms rank too
    first, missing = [], []
    if protocol is not None and text.known_relevant:  # shown first by 'next': screened first here too
        from screener.protocol import match_known_relevant_report

        first, missing = match_known_relevant_report(text, df.reindex(columns=["doi", "title"]))
    results = [simulate(df, config=config, seed=s, priors=priors, protocol_text=text,
                        estimators=None if stopping else [], embedding_cache=embedding_cache,
                        dataset_name=dataset.stem, targets=stopping_targets(target_recall), first=first)
               for s in seeds]
    for r in results:
        r.meta["known_first"] = len(first)
        r.meta["known_missing"] = [str(e.get("doi") or e.get("title")) for e in missing]
        r.meta["includes_from"] = includes_from
        if r.meta.get("protocol"):
            r.meta["protocol_from"] = "protocol" if protocol is not None else "review question"
    # the protocol's entries no record matches are the protocol's and the file's, not a seed's: said once
    once = len(results) > 1 and bool(missing)
    report = ((includes_from + "\n" if includes_from else "")
              + (known_missing_words(results[0].meta["known_missing"]) + ".\n\n" if once else "")
              + "\n".join(format_report(r, target_recall, missing=not once) for r in results))
    if len(results) > 1:
        report += "\n" + format_summary(results, target_recall)
    if out is not None:
        for r in results:
            target = Path(out)
            if len(results) > 1:  # one file per seed beside the name given
                target = target.with_name(f"{target.stem}-seed{r.seed}{target.suffix or '.npz'}")
            report += f"\nSaved the screening order to {r.save(target)}"
        report += "\n"
    if plot is not None:
        from screener.plots import Curve, plot_recall_curves

        curves = [Curve(r.labels, r.system if len(results) == 1 else f"seed {r.seed}", n_priors=r.n_priors,
                        group=r.system, stops=r.stop_points(target_recall) if r.metrics()["R"] else {})
                  for r in results]  # no include left to find: no stop to mark, as the report says
        p = plot_recall_curves(curves, plot, title=f"{dataset.stem}: includes found while screening",
                               subtitle=f"{results[0].system}{_protocol_note(results[0])}, "
                                        f"seed{'s' if len(seeds) > 1 else ''} "
                                        f"{', '.join(map(str, seeds))}",
                               target=target_recall)  # where each stop is judged
        report += f"Saved the recall curve to {p}\n"
    return results, report


def format_summary(results: list[SimulationResult], target: float = 0.95) -> str:
    """Several seeds of one replay: each figure's mean and range, and how often each stopping
    method stopped before reaching the ``target`` recall (the one figure a reviewer must not average away)."""
    from screener.stopping.base import level_pct

    ms = [r.metrics() for r in results]

    def span(key, pct=True):
        vals = [m[key] for m in ms if m[key] is not None and not (isinstance(m[key], float) and math.isnan(m[key]))]
        if not vals:
            return "–"
        f = _pct if pct else (lambda x: str(math.floor(x + 0.5)))  # records: a half up, as by hand (not 150.5 to 150)
        lo, hi = f(min(vals)), f(max(vals))
        if lo == hi:  # every seed alike: "48 (from 48 to 48)" said one figure three times
            return f(float(np.mean(vals)))
        return f"{f(float(np.mean(vals)))} (from {lo} to {hi})"

    # (figures read without the order they came from give none)
    target_line = _target_line(target) and all(hasattr(r, "labels") for r in results)
    if target_line:
        for m, r in zip(ms, results):
            m["n@target"] = M.n_at_recall(r.labels, target, r.n_priors)
    lines = [f"Over the {len(results)} seeds ({', '.join(str(r.seed) for r in results)}), mean (range):",
             f"  Recall after screening 5%: {span('recall@5%')}",
             f"  Recall after screening 10%: {span('recall@10%')}",
             f"  Recall after screening 20%: {span('recall@20%')}",
             f"  Records screened to find 90% of the includes: {span('n@90', pct=False)}",
             f"  Records screened to find 95% of the includes: {span('n@95', pct=False)}; WSS@95 {span('wss@95')}",
             f"  Records screened to find all includes: {span('n@100', pct=False)}; WSS@100 {span('wss@100')}",
             f"  Average position of an include (ATD): {span('atd')} of the records"]
    if target_line:
        _insert_target_line(lines, target, span("n@target", pct=False))
    if all(m["R"] == 0 for m in ms):
        lines.insert(1, "  " + nothing_to_find(results[0]))
    rows = [row for r, m in zip(results, ms) if m["R"] for row in r.stopping_rows()
            if math.isclose(row["target"], target)]
    if rows:
        lines += ["", f"Stopping methods over the seeds (target recall {level_pct(target)}):"]
        for method in dict.fromkeys(row["method"] for row in rows):
            mine = [row for row in rows if row["method"] == method]
            # short as ``metrics.stopping_outcome`` judges it: 9 of 10 includes is 90% recall, not a float below it
            short = sum(1 for row in mine if row["stop_n"] is not None and row["recall_at_stop"] + 1e-9 < target)
            never = sum(1 for row in mine if row["stop_n"] is None)
            screened = [row["screened_at_stop"] for row in mine if row["stop_n"] is not None]
            if not screened:  # no stop to count short of the target (as evaluate says it)
                lines.append(f"  {method_name(method):<30} never stopped before the end in the {len(mine)} seeds "
                             "(every record screened)")
                continue
            of = f"the {counted(len(screened), 'seed')} it stopped in" if never else f"{len(mine)} seeds"
            lines.append(f"  {method_name(method):<30} screened {_pct(float(np.mean(screened)))} on average when it "
                         f"stopped; below {level_pct(target)} recall in {short} of {of}"
                         + (f"; no stop in {never}" if never else ""))
    return "\n".join(lines) + "\n"


#: The recall levels the replay's figures give the records screened to reach (90%, 95%, all of the includes)
_LEVELS = (0.9, 0.95, 1.0)


def _target_line(target: float) -> bool:
    """Whether the target the stops are judged at is a recall level the figures do not give already ('--target-recall
    0.8': the stops judged at 80% beside the records screened to find 90%, 95% and all of the includes only)."""
    return not any(math.isclose(target, x) for x in _LEVELS)


def _insert_target_line(lines: list[str], target: float, figure: str) -> None:
    """``lines`` with 'Records screened to find 80% of the includes (the target recall): N' put among the lines of the
    other levels, in order."""
    from screener.stopping.base import level_pct

    words = f"  Records screened to find {level_pct(target)} of the includes (the target recall): {figure}"
    at = next(i for i, line in enumerate(lines) if "Records screened to find 90%" in line)
    at += sum(target > x for x in _LEVELS)
    lines.insert(at, words)


def _pct(x, target: float | None = None) -> str:
    """A share to a tenth of a percent that never reads as the target, or 100%, where it falls short of it
    (a stop at 94.96% recall read "95.0%" under 'target recall 95%')."""
    from screener.stopping.base import recall_pct

    return recall_pct(x, target, "–", places=1)


def _seconds(x: float) -> str:
    """Seconds to a tenth; below one, 'under 0.1 s' (a quick replay read '0.0 s', as if it took no time)."""
    return f"{x:.1f} s" if x >= 0.05 else "under 0.1 s"


def _ms(x: float) -> str:
    """Seconds as whole milliseconds; below one, 'under 1 ms', not '0 ms'."""
    return f"{1000 * x:.0f} ms" if 1000 * x >= 0.5 else "under 1 ms"


def _protocol_note(res: SimulationResult) -> str:
    """Said beside the system's name when a protocol ranked alongside the priors (a cold start's name says it):
    otherwise the replays with and without one read alike."""
    if not res.meta.get("protocol") or not res.n_priors:
        return ""
    return f", ranked with the {res.meta.get('protocol_from', 'review question')} as well"


def format_report(res: SimulationResult, target: float = 0.95, missing: bool = True) -> str:
    """One seed's replay as the terminal shows it, each stopping method's stop judged at the ``target`` recall;
    ``missing``: with the protocol's known relevant entries no record matches (said once over several seeds)."""
    from screener.stopping.base import level_pct

    m = res.metrics()

    def num(x):
        return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{int(x)}"

    lines = [
        f"Simulated screening of {res.dataset}: {res.n_records} records, seed {res.seed}, {res.system}"
        f"{_protocol_note(res)}",
        f"Prior knowledge: {res.n_priors} record{'' if res.n_priors == 1 else 's'}; after them {m['N']} record"
        f"{'' if m['N'] == 1 else 's'} to screen, {m['R']} include{'' if m['R'] == 1 else 's'}.",
        *([nothing_to_find(res)] if m["R"] == 0 else []),
        *_known_first_words(res, missing),
        "",
        f"  Recall after screening 5% / 10% / 20%: {_pct(m['recall@5%'])} / {_pct(m['recall@10%'])} / "
        f"{_pct(m['recall@20%'])}",
        f"  Records screened to find 90% of the includes: {num(m['n@90'])}",
        f"  Records screened to find 95% of the includes: {num(m['n@95'])} (work saved WSS@95 {_pct(m['wss@95'])})",
        f"  Records screened to find all includes: {num(m['n@100'])} (WSS@100 {_pct(m['wss@100'])})",
        f"  Average position of an include (ATD): {_pct(m['atd'])} of the records",
        f"  Time: {_seconds(m['wall_time_s'])} screening ({m['n_retrains']} times the model was retrained"
        + (f"; reordering the records after a decision took {_ms(m['latency_median_s'])} typically, "
           f"{_ms(m['latency_p95_s'])} at most in 95 of 100)" if m["n_retrains"] else ")")
        + (f"; embedding the records {res.embedding_time_s:.1f} s" if res.embedding_time_s > 0.05 else ""),
    ]
    if _target_line(target):
        _insert_target_line(lines, target, num(M.n_at_recall(res.labels, target, res.n_priors)))
    rows = [r for r in res.stopping_rows() if math.isclose(r["target"], target)] if m["R"] else []
    if rows:
        lines += ["", f"Where each stopping method would have stopped (target recall {level_pct(target)}):"]
        for r in rows:
            where = "not before the end (screen everything)" if r["stop_n"] is None else \
                f"after {r['stop_n']} records ({_pct(r['screened_at_stop'])})"
            lines.append(f"  {method_name(r['method']):<30} {where}; recall then {_pct(r['recall_at_stop'], target)}")
    return "\n".join(lines) + "\n"


def _known_first_words(res: SimulationResult, say_missing: bool = True) -> list[str]:
    """The lines that say the protocol's known relevant records were screened first (``simulate``'s ``first``),
    and which entries matched no record (unless not ``say_missing``); none where the protocol names none."""
    k, missing = int(res.meta.get("known_first") or 0), (res.meta.get("known_missing") or []) if say_missing else []
    out = []
    if k:
        it, named = noun(k, "it", "them"), f"The {counted(k, 'record')} the protocol names as known relevant"
        drawn = k - int(res.meta.get("first", k))  # drawn by this seed as prior records: prior records they stay
        as_priors = noun(drawn, "a prior record", "prior records")
        if drawn == k:  # none screened first, none read apart
            out.append(f"{named} (by DOI or title) {noun(k, 'was', 'were')} drawn as {as_priors} in this replay; "
                       f"'screener next' shows {it} first.")
        else:
            after = ("" if not res.n_priors else ", right after the prior records" + (
                f" ({drawn} of them {noun(drawn, 'was', 'were')} drawn as {as_priors})" if drawn else ""))
            out.append(f"{named} (by DOI or title) {noun(k, 'was', 'were')} screened first{after}, as 'screener "
                       f"next' shows {it} first; the stopping methods read {it} apart, as 'screener status' "
                       "does.")
    if missing:
        out.append(known_missing_words(missing) + ".")
    return out


def known_missing_words(missing: list[str], protocol: str = "the protocol", records: str = "record") -> str:
    """'2 known relevant records the protocol names match no record (DOI; title), so they were not put first': the
    entries of a protocol's known relevant records (``missing``, each its DOI or title) that no record matched, five
    named at most; for 'simulate' and 'evaluate' (``protocol``: "the project's protocol", ``records``: "candidate
    record")."""
    k = len(missing)
    said = "; ".join(map(str, missing[:5])) + (f"; and {k - 5} more" if k > 5 else "")
    return (f"{counted(k, 'known relevant record')} {protocol} names {noun(k, 'matches', 'match')} no {records} "
            f"({said}), so {noun(k, 'it was', 'they were')} not put first")


def nothing_to_find(res: SimulationResult) -> str:
    """The warning for a replay with no include left after the prior records: every figure of
    recall is empty and a stopping point means nothing (it stops short of no include)."""
    n_inc = int(np.asarray(res.labels[: res.n_priors]).sum())
    if not int(np.asarray(res.labels).sum()):
        return ("Nothing to measure: the dataset has no include (every record is an exclude), so there is no "
                "include to find. The figures below are empty and no stopping point is given. Check the decision "
                "column: for a project's export, the final includes are those included at full text.")
    return (f"Nothing to measure: the dataset's {'only include is' if n_inc == 1 else f'{n_inc} includes are all'} "
            "among the prior records, so no include is left to find. The figures below are empty and no stopping "
            "point is given. Use a dataset with more includes, or start cold: --priors 0 with --question.")


def method_name(method: str) -> str:
    """A stopping method as the README and ``screener status`` call it (the recommended one marked)."""
    from screener.report import METHOD_SHORT
    from screener.stopping.advice import RECOMMENDED

    name = METHOD_SHORT.get(method, method.replace("_", " "))
    return f"{name} (recommended)" if method == RECOMMENDED else name
