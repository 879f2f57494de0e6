"""The recall curve of a live review: includes found against records screened so far.

Unlike the benchmark plots (``screener.plots``), the true number of includes is unknown here, so
the curve is drawn with the recall estimate's reading of it: a line at the estimated total number
of includes and a band for its interval. A reviewer sees at a glance whether the curve has
flattened and how much room the estimate leaves.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Sequence

import numpy as np


def recall_curve_png(
    labels: Sequence[int],
    n_total: int,
    *,
    recall: float | None = None,
    recall_low: float | None = None,
    recall_high: float | None = None,
    method: str | None = None,
    stop_at: int | None = None,
    title: str = "Includes found as screening went on",
    subtitle: str | None = None,
    dpi: int = 110,
    maybes: int = 0,
) -> bytes:
    """PNG bytes of the curve.

    ``labels``: 0/1 in screening order (1 = include or maybe). ``n_total``: records to screen
    after de-duplication. ``recall*``: the estimate now (point, low, high), drawn as the estimated
    total includes ``found / recall`` with its band. ``stop_at``: records screened when the
    stopping rule said stop (a vertical marker). ``maybes``: how many of the 1s are maybes: the line then says
    'includes and maybes found' (called 'includes found', 2 includes and 1 maybe read as 3 includes).
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from screener.report import fmt_num  # the numbers as the estimates table beside the plot gives them

    y = np.asarray(labels, dtype=np.int64)
    found = np.concatenate([[0], np.cumsum(y)])
    n = len(y)
    k = int(found[-1])
    N = max(int(n_total), n, 1)

    def total_from(r):
        if r is None or not math.isfinite(r) or r <= 0:
            return None
        return k / r

    found_words = "includes and maybes" if maybes else "includes"
    est_total = total_from(recall)
    band_high = total_from(recall_low)  # a lower recall means more includes are still out there
    band_low = total_from(recall_high)

    # the legend goes under the plot: in its lower right it lay over the stopping line, the random-order line and
    # the records not screened (the height is the report's <img>'s: 836 x 594 at 110 dpi)
    fig, ax = plt.subplots(figsize=(7.6, 5.4), dpi=dpi, layout="constrained")
    xs = np.arange(n + 1)
    top = max(k, est_total or 0, band_high or 0, 1)
    if n < N:
        ax.axvspan(n, N, color="0.93", lw=0, zorder=0, label="not screened")
    if est_total is not None:
        ax.plot([0, N], [0, est_total], color="0.6", ls="--", lw=1.1, zorder=2, label="random order (expected)")
    if band_low is not None and band_high is not None:
        ax.fill_between([0, N], band_low, band_high, color="#4c78a8", alpha=0.16, lw=0, zorder=1,
                        label=f"estimated total {found_words}, interval{f' ({method})' if method else ''}")
    if est_total is not None:
        ax.axhline(est_total, color="#4c78a8", lw=1.2, ls=":", zorder=2,
                   label=f"estimated total {found_words} ({fmt_num(est_total)})")
    ax.plot(xs, found, color="#e45756", lw=2.0, drawstyle="steps-post", zorder=3, label=f"{found_words} found")
    if stop_at is not None and 0 <= stop_at <= n:
        ax.axvline(stop_at, color="0.25", lw=1.0, zorder=3)
        left = stop_at > 0.7 * N  # keep the label inside the axes
        ax.annotate("stopping rule met", xy=(stop_at, found[stop_at]), xytext=(-6 if left else 6, -16),
                    textcoords="offset points", fontsize=8, color="0.25", ha="right" if left else "left")
    ax.set_xlim(0, N)
    ax.set_ylim(0, top * 1.12 + 0.5)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Records screened")
    ax.set_ylabel(f"{found_words.capitalize()} found")
    ax.set_title(title if subtitle is None else f"{title}\n{subtitle}", fontsize=11)
    ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def save_png(data: bytes, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
