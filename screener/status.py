"""Where a review stands: the decision log seen by the recall estimators, and their advice.

The CLI's ``status``, the web dashboard, the report and the demo all read recall from here,
so they always agree.
"""

from __future__ import annotations

import numpy as np


def screening_history(project):
    """The decision log as the recall estimators see it (``screener.stopping.ScreeningHistory``).

    A 'maybe' counts as found: it goes on to full-text screening, so it is not missed. The
    scores of the unscreened records come from the last stored ranking when it still covers
    exactly the unscreened records (otherwise the score-based estimate has none to use).
    """
    from .stopping import ScreeningHistory

    primary = project.records_frame().index
    cur = project.current_decisions()
    cur = cur[cur.index.isin(primary)]
    labels = (cur["decision"] != "exclude").astype(int).to_numpy()
    sampled = cur["sampled"].astype(bool).to_numpy()
    probs = cur["sample_prob"].astype(float).to_numpy()
    drawn = None
    if sampled.any() and cur.loc[sampled, "sample_drawn_at"].notna().all():
        # when each draw was made, never later than the study's own place in the order (an undo
        # of an earlier study can move it forward)
        pos = np.arange(len(cur))
        drawn = np.where(sampled, np.minimum(cur["sample_drawn_at"].fillna(-1).to_numpy(dtype=float), pos), -1)
        drawn = drawn.astype(np.int64)
    remaining = None
    latest = project.store.latest_ranking()
    if latest is not None:
        items = latest[1]
        items = items[~items["record_id"].isin(cur.index) & items["record_id"].isin(primary)]
        if len(items) == len(primary) - len(cur) and len(items):
            remaining = items["score"].to_numpy(dtype=float)
    return ScreeningHistory(labels=labels, n_total=len(primary), sampled=sampled,
                            sample_probs=probs if sampled.any() else None, sample_drawn_at=drawn,
                            remaining_scores=remaining)


def recall_status(project, *, target_recall: float | None = None, confidence: float | None = None,
                  history=None) -> dict:
    """Records screened and left, includes found, every estimator's reading and the advice."""
    from .stopping import recommend, run_all

    settings = project.settings
    target = float(target_recall or settings.get("target_recall", 0.95))
    conf = float(confidence or settings.get("confidence", 0.95))
    hist = screening_history(project) if history is None else history
    estimates = run_all(hist, target_recall=target, confidence=conf)
    advice = recommend(hist, estimates, target_recall=target, confidence=conf)
    return {"n_total": hist.n_total, "n_screened": hist.n_screened, "n_remaining": hist.n_remaining,
            "includes_found": hist.includes_found, "target_recall": target, "confidence": conf,
            "estimates": estimates, "advice": advice, "history": hist}


def advised_sample(project, n: int, status: dict | None = None) -> int:
    """Random-sample records to mix into a batch of ``n``: what the stopping advice asks for,
    spread over the batches (at most a fifth of each); none before the first include, and
    none while no sample of what is left could certify the target (the advice's number is
    then everything left). ``status``: a ``recall_status`` reading already made for this
    state of the project."""
    st = recall_status(project) if status is None else status
    need = st["advice"].sample_records  # further sampled records, as QBCB counts them
    if not need or st["includes_found"] == 0 or need >= st["n_remaining"]:
        return 0
    return int(max(0, min(n // 5, int(need))))
