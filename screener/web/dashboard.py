"""What the dashboard shows: progress, the recall curve, recall and stopping advice, PRISMA.

The recall figures come from ``screener.status.recall_status`` (the same summary the CLI
``status`` and the report print), so every place quotes the same numbers. Downloads are built in memory
(or in a private temporary folder) and never from a path a request names.
"""

from __future__ import annotations

import functools
import logging
import math
import tempfile
from pathlib import Path

import pandas as pd

from ..project import Project
from ..stopping.advice import found_count_words
from ..stopping.base import NO_INCLUDE_INTERVAL, interval_sides, not_estimable
from .engine import STAGE, WebScreener

log = logging.getLogger(__name__)


def stopping_summary(project: Project) -> dict:
    """The recall estimate with its interval and the stopping advice, or why it is missing."""
    try:
        from ..status import (NOT_YET_SETTLED, conflicts_only, in_conflict_words, no_estimate_words, recall_status,
                              still_screening_words, waiting_parts)

        st = recall_status(project)
    except Exception as exc:  # a failed estimate must not take the dashboard down
        log.exception("stopping advice failed")
        return {"available": False, "message": f"The recall estimate could not be computed: {exc}"}
    adv = st["advice"]
    est = adv.estimate
    from ..report import METHOD_SHORT, METHOD_WORDS
    from ..stopping.base import level_pct

    since = st.get("read_since_stop")
    since = pd.Series(dtype=object) if since is None else since
    counts = st.get("counts")
    # no include found yet: the interval says so as 'screener status' does, not '0%–100%'
    none_found = functools.partial(not_estimable, st["includes_found"], st.get("n_remaining"))
    rows = []
    for name, e in st["estimates"].items():
        rows.append({"method": name, "label": METHOD_WORDS.get(name, name.replace("_", " ")), "recall": e.recall, "recall_low": e.recall_low, "recall_high": e.recall_high,
                     "remaining": e.remaining, "stop": e.stop, "note": e.note, "sides": interval_sides(name, e),
                     "held": bool(e.held),  # a stop withheld ('Not yet'): 'no' beside a note that said stop
                     "recommended": name == adv.recommended, "not_estimable": none_found(e.recall_low, e.recall_high)})
    dual = st.get("dual")
    left_after_stop = (max(0, counts.left - (dual.conflicts if dual else 0))
                       if counts is not None and counts.excluded_unscreened else 0)
    by_one = min(dual.one_reviewer, left_after_stop) if dual else 0
    return {
        "available": True,
        "stop": bool(adv.stop),
        # a stop on the model-based estimate alone, the hypergeometric test not sharing it: shown as a caution
        "confirmed": bool(adv.stop and adv.confirmed),
        # only conflicts left: status's and the report's words ('from the next batch on' had no batch to give)
        "message": f"{conflicts_only(st)} {NOT_YET_SETTLED}" if conflicts_only(st) else adv.message,
        "warnings": list(adv.warnings),
        "method": adv.recommended,
        "method_words": METHOD_WORDS.get(adv.recommended, str(adv.recommended).replace("_", " ")),
        "method_short": METHOD_SHORT.get(adv.recommended, str(adv.recommended).replace("_", " ")),
        "recall": _num(est.recall) if est else None,
        "recall_low": _num(est.recall_low) if est else None,
        "recall_high": _num(est.recall_high) if est else None,
        "not_estimable": bool(est) and none_found(est.recall_low, est.recall_high),
        "no_include_interval": NO_INCLUDE_INTERVAL,
        "remaining": _num(est.remaining) if est else None,
        "remaining_high": _num(est.remaining_high) if est else None,
        # only conflicts left: said beside the includes left ('most likely none (up to 0)' read as nothing left)
        "in_conflict": in_conflict_words(st),
        "target_recall": st["target_recall"],
        "confidence": st["confidence"],
        "target_pct": level_pct(st["target_recall"]),  # as set: 97.5%, not 98%
        "confidence_pct": level_pct(st["confidence"]),
        "includes_found": st["includes_found"],
        "n_screened": st["n_screened"],
        "estimates": rows,
        "no_estimate": "" if rows else no_estimate_words(st),  # said in place of the table
        "history": st["history"],
        # '2 includes and 1 maybe': the estimate counts a maybe as found, but it is no include
        "history_found": found_count_words(st["history"].includes_found, st["history"].maybes_found),
        "waiting": _waiting_words(st.get("dual")),
        # a team of three: who still screens records the counts do not wait for ('0 left' beside Cara's 20)
        "still_screening": still_screening_words(st.get("still_screening") or [],
                                                  st.get("still_screening_disabled", ())),
        # "left": the records still to screen, the conflicts apart ("in_conflict"), as 'status' says them
        "counts": counts.as_dict(st["dual"].conflicts if st.get("dual") else 0) if counts is not None else None,
        # the rest excluded unread at the stop: the estimate and the curve are the reading at the stop
        "at_stop": bool(len(since) or (counts is not None and counts.excluded_unscreened)),
        # records left to screen since that stop (a search update): the estimate counts the records excluded at
        # the stop as not screened, as the advice says ("Keep screening"), so it is not the reading at the stop
        # (dual screening: less the conflicts among them, which wait to be settled, not screened, as the advice
        # and 'status' say; '4 records left to screen' stood above 'Besides the 1 record left to screen')
        "left_after_stop": left_after_stop,
        # ... in the words of 'status': a record one reviewer has screened is named so, not 'left to screen'
        "left_after_stop_words": " and ".join(waiting_parts(left_after_stop - by_one, by_one, records=True,
                                                            reviewers=dual.reviewers if dual else 2)),
        "after_stop": _after_stop(since),
        "dual_words": st["dual"].describe() if st.get("dual") and (st["dual"].conflicts or st["dual"].one_reviewer)
        else "",
    }


def _after_stop(since: pd.Series) -> dict:
    """What was found among the rest excluded at the stop since (``status._decided_since_the_stop``): counted
    as found and screened, not in the estimate and curve read at the stop. Without it the page read '2 includes'
    beside a curve and an estimate that count 1."""
    from ..records import counted

    inc = sorted(int(i) for i in since.index[since == "include"])
    maybe = sorted(int(i) for i in since.index[since == "maybe"])
    found = " and ".join(w for w in (counted(len(inc), "include") if inc else "",
                                     f"{len(maybe)} maybe" if maybe else "") if w)
    return {"read": int(len(since)), "included": inc, "maybe": maybe, "found_words": found,
            "n_found": len(inc) + len(maybe)}


def _records(ids: list[int]) -> str:
    """'record 11', 'records 11, 12 and 3 more'."""
    from ..records import noun

    shown = ", ".join(map(str, ids[:10])) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    return f"{noun(len(ids), 'record')} {shown}"


def found_after_stop_words(after: dict | None, decision: str = "include") -> str:
    """' (1 found after the stop, record 11)' after the count of includes (or maybes), or ''."""
    ids = (after or {}).get("included" if decision == "include" else "maybe") or []
    return f" ({len(ids)} found after the stop, {_records(ids)})" if ids else ""


def curve_subtitle(summary: dict, *, dual: bool) -> str:
    """The recall curve's subtitle: at a stop with the rest excluded unread it is the review at the stop, and
    what was found among that rest since is not in it (the page's counts do count it)."""
    hist = summary["history"]
    who = "agreed and resolved decisions" if dual else "all reviewers"
    at = " at the stop" if summary.get("at_stop") else ""
    sub = f"{hist.n_screened} of {hist.n_total} records screened{at} ({who}); a maybe counts as found"
    after = summary.get("after_stop") or {}
    if after.get("n_found"):
        from ..records import noun

        sub += (f"; the {after['found_words']} found after the stop {noun(after['n_found'], 'is', 'are')} "
                "not in the curve")
    return sub


def _waiting_words(dual) -> str:
    """Dual screening: the studies the estimate counts as unscreened that wait for the reviewers
    (``DualProgress.waiting_words``; the report says the same)."""
    return dual.waiting_words() if dual is not None else ""


def discovery_png(project: Project, eng: WebScreener, summary: dict | None = None) -> bytes | None:
    """The live recall curve, with the recall estimate's reading of the total includes."""
    summary = summary if summary is not None else stopping_summary(project)
    if not summary.get("available"):
        return None
    hist = summary["history"]
    if hist.n_screened == 0:
        return None
    sub = curve_subtitle(summary, dual=eng.dual)
    try:
        from ..report.figures import recall_curve_png
    except ImportError:  # the benchmark plot still shows the curve
        return _plots_png(hist, sub)
    return recall_curve_png(hist.labels, hist.n_total, recall=summary["recall"], recall_low=summary["recall_low"],
                               recall_high=summary["recall_high"], method=summary.get("method_short"),
                               stop_at=hist.n_screened if summary["stop"] else None, subtitle=sub, dpi=100,
                               maybes=hist.maybes_found)


def _plots_png(hist, subtitle: str) -> bytes:
    from ..plots import Curve, plot_recall_curves

    with tempfile.TemporaryDirectory(prefix="screener-web-") as tmp:
        path = plot_recall_curves([Curve(labels=hist.labels.tolist(), name="this review")],
                                  Path(tmp) / "discovery.png", title="Includes found as screening went on",
                                  subtitle=subtitle, dpi=90)
        return Path(path).read_bytes()


def prisma(project: Project) -> dict | None:
    """The PRISMA counts, with the previous version's (``Project.previous_version``) where the review updates one."""
    try:
        return {**project.prisma_counts(), "previous": project.previous_version()}
    except Exception as exc:
        log.warning("PRISMA counts failed: %s", exc)
        return None


def report_html(project: Project) -> str | None:
    try:
        from ..report import build_report
    except ImportError:
        return None
    return build_report(project)


def report_available() -> bool:
    try:
        from ..report import build_report  # noqa: F401
    except ImportError:
        return False
    return True


def export_bytes(project: Project, fmt: str, *, only: str | None = None, reviewer: str | None = None,
                 full_text_reviewer: str | None = None) -> bytes:
    """The records with their decisions as a download, written in a private temporary folder.

    ``reviewer``: blind dual screening; the decisions and notes are that reviewer's own.
    ``full_text_reviewer``: the full-text decisions and notes only are that reviewer's own (blind at
    full text, the title/abstract blinding over)."""
    from ..io import write_records

    raw = fmt == "ris"  # the RIS export copies ISSN, publisher, language ... from each record's original
    df = project.export_frame(only=only, with_raw=raw, full_text_reviewer=full_text_reviewer) if reviewer is None \
        else own_export_frame(project, reviewer, only=only, with_raw=raw)
    with tempfile.TemporaryDirectory(prefix="screener-web-") as tmp:
        path = Path(tmp) / f"export.{fmt}"
        write_records(df.reset_index(), path, fmt)
        return path.read_bytes()


def own_export_frame(project: Project, reviewer: str, *, only: str | None = None, with_raw: bool = False):
    """The export with one reviewer's own standing decisions and notes in place of the team's."""
    return project.export_frame(only=only, reviewer=reviewer, with_raw=with_raw)


def dashboard_context(project: Project, eng: WebScreener, reviewer: str, *, team: bool = True,
                      full_text: bool = True) -> dict:
    """What the dashboard shows; ``team=False`` (blind dual screening) leaves out every figure
    that counts the team's agreed decisions (PRISMA screening counts, recall, agreement);
    ``full_text=False`` (still blind at full text) the count of full-text conflicts."""
    from .agreement import interpret_kappa
    from .app import agreement_frame

    # the counts read now: reused from a request a second ago, they could miss decisions the recall
    # estimate beside them counts ('screener label' in a terminal just before)
    ctx = {"mine": eng.counts(reviewer, fresh=True), "status": eng.status(), "prisma": prisma(project),
           "stopping": stopping_summary(project) if team else {"available": False, "blind": True, "message": ""},
           "report_available": report_available(), "settings": project.settings}
    if not team:
        return ctx
    after = ctx["stopping"].get("after_stop")
    ctx["after_stop_included"] = found_after_stop_words(after, "include")
    ctx["after_stop_maybe"] = found_after_stop_words(after, "maybe")
    if eng.dual:
        table = agreement_frame(project).to_dict("records")
        for row in table:
            row["words"] = interpret_kappa(row["kappa"], row["both_screened"])
        ctx["agreement"] = table
        ctx["n_conflicts"] = int(project.conflicts(stage=STAGE)["record_id"].nunique())
        ctx["n_full_text_conflicts"] = int(project.conflicts(stage="full_text")["record_id"].nunique()) \
            if full_text else 0
        # an owner who screens nothing read '0 of N records screened by you' while the team was done
        if not ctx["mine"]["screened"] and ctx["stopping"].get("counts"):
            ctx["team_counts"] = ctx["stopping"]["counts"]
            ctx["team_waiting"] = ctx["stopping"].get("dual_words", "")
    return ctx


def _num(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
