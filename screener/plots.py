"""Recall curves: includes found against records screened, the picture a reviewer reads first.

Each curve is one screening order (one system, one seed). The random order (diagonal) and the
ideal order (every include first) are drawn for reference, one pair for each number of records and
includes left after the priors (a cold start beside runs with priors has two), and the point where
each stopping method would have stopped is marked on its curve. Only matplotlib's Agg backend is used, so
plots work on a server without a display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from screener.errors import ScreenerError
from screener.metrics import includes_needed

_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "<", ">", "h", "p")


@dataclass
class Curve:
    """One screening order to draw.

    ``labels``: 0/1 in screening order, priors first; ``n_priors`` of them are left out (the
    x axis counts records screened after the priors). ``group`` gives the colour and the legend
    entry, so several seeds of one system share both. ``stops``: method name -> number of
    post-prior records screened when it first said stop (None = never); the legend names a method
    as the reports do (``screener.simulate.method_name``: score_sample is "model-based").
    """

    labels: Sequence[int]
    name: str
    n_priors: int = 0
    group: str | None = None
    stops: Mapping[str, int | None] = field(default_factory=dict)


def _found(labels, n_priors):
    y = np.asarray(labels, dtype=np.int64)[n_priors:]
    return np.concatenate([[0], np.cumsum(y)])


def plot_recall_curves(
    curves: Sequence[Curve],
    path: str | Path,
    *,
    title: str,
    subtitle: str | None = None,
    colors: Mapping[str, str] | None = None,
    target: float | None = None,
    dpi: int = 110,
) -> Path:
    """Draw ``curves`` with random and ideal references into a PNG at ``path``; returns it.

    ``colors``: optional group -> matplotlib colour, so a system keeps its colour across plots. ``target``: a
    target recall (0.95) to draw as a line at the includes that reach it (``screener.metrics.includes_needed``:
    19 of 19, since 18 is 94.7%), so a stop marked below the line is one short of the target, and one on it is not;
    a line at 0.95 x 19 = 18.05 could not be told from 18 at any size."""
    if not curves:
        raise ScreenerError("no screening orders to plot")
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    found = [_found(c.labels, c.n_priors) for c in curves]
    N = max(len(f) - 1 for f in found)
    R = max(int(f[-1]) for f in found)

    # the legend goes under the plot: in its lower right it lay over the curves' ends and the stop markers
    fig, ax = plt.subplots(figsize=(7.5, 6.0), dpi=dpi, layout="constrained")
    # one pair of references per (N, R): a cold start has the prior records and includes still to find, so
    # references drawn to the largest N and R would be wrong for the curves that started from priors
    refs: dict[tuple[int, int], int] = {}
    for c, f in zip(curves, found):
        refs.setdefault((len(f) - 1, int(f[-1])), c.n_priors)
    for i, ((n, r), k) in enumerate(refs.items()):
        said = "" if len(refs) == 1 else f", {'cold start' if k == 0 else f'{k} prior records'}: {r} includes in {n}"
        grey = "0.55" if i == 0 else "0.75"
        x = np.arange(n + 1)
        ax.plot(x, np.minimum(x, r), color=grey, ls=":", lw=1.2, label=f"ideal order{said}")
        ax.plot([0, n], [0, r], color=grey, ls="--", lw=1.2,
                label="random order (expected)" if not said else f"random order (expected{said})")
        if target is not None and r:
            need = includes_needed(r, target)
            ax.plot([0, n], [need, need], color="tab:red", ls="-.", lw=0.9, alpha=0.6,
                    label=f"{100 * target:g}% recall: {need} of {r} includes{said}")

    groups: list[str] = []
    for c in curves:
        g = c.group or c.name
        if g not in groups:
            groups.append(g)
    cmap = plt.get_cmap("tab10")
    colour = {g: (colors or {}).get(g, cmap(i % 10)) for i, g in enumerate(groups)}
    seen_groups: set[str] = set()
    methods: list[str] = []
    for c in curves:
        for m in c.stops:
            if m not in methods:
                methods.append(m)
    marker = {m: _MARKERS[i % len(_MARKERS)] for i, m in enumerate(methods)}
    many = len(curves) > len(groups)

    for c, f in zip(curves, found):
        g = c.group or c.name
        label = g if g not in seen_groups else None
        seen_groups.add(g)
        ax.plot(np.arange(len(f)), f, color=colour[g], lw=1.4, alpha=0.7 if many else 0.95,
                label=label, drawstyle="steps-post")
        for m, n in c.stops.items():
            if n is None:
                continue
            n = int(min(max(n, 0), len(f) - 1))
            ax.plot([n], [f[n]], marker=marker[m], ms=7, mfc="none", mec=colour[g], mew=1.5, ls="none")

    from screener.simulate import method_name

    for m in methods:  # legend entries for the stop markers, drawn once, named as the reports name them
        never = all(c.stops.get(m) is None for c in curves)
        ax.plot([], [], marker=marker[m], ms=7, mfc="none", mec="0.2", ls="none",
                label=f"stop: {method_name(m)}" + (" (not before the end)" if never else ""))

    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(N, 1))
    # with no include left to find the axis ran to 0.5 and counted "0.05 ... 0.50 includes", in an empty picture
    ax.set_ylim(0, R * 1.04 + 0.5 if R else 1)
    if not R:
        where = "after the prior records" if any(c.n_priors for c in curves) else "among these records"
        ax.text(0.5, 0.5, f"No include left to find {where}: nothing to measure",
                transform=ax.transAxes, ha="center", va="center", fontsize=10, color="0.3")
    ax.set_xlabel("Records screened (after the prior knowledge)" if any(c.n_priors for c in curves)
                  else "Records screened")  # a cold start alone has none to start after
    ax.set_ylabel("Includes found")
    ax.set_title(title if subtitle is None else f"{title}\n{subtitle}", fontsize=11)
    ax.grid(True, alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


__all__ = ["Curve", "plot_recall_curves"]
