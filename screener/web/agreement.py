"""Agreement between two screeners: counts, percent agreement and Cohen's kappa.

Kept pure (lists and frames in, numbers out) so the figures a team reports in its methods
section can be checked by hand and tested without a web server.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Sequence

import pandas as pd

CATEGORIES = ("include", "exclude", "maybe")


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


def interpret_kappa(kappa: float) -> str:
    """Landis & Koch's words for a kappa value, the scale reviews usually quote."""
    if kappa is None or math.isnan(kappa):
        return "not defined"
    if kappa < 0:
        return "poor"
    for bound, word in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if kappa <= bound:
            return word
    return "almost perfect"


def agreement_table(votes: pd.DataFrame, categories: Sequence[str] = CATEGORIES) -> pd.DataFrame:
    """One row per pair of reviewers over the studies both screened.

    ``votes``: one row per (study, reviewer) with columns ``record_id``, ``reviewer`` and
    ``decision`` (each reviewer's latest standing decision; resolver decisions left out).
    Columns: reviewer_a, reviewer_b, both_screened, agree, disagree, percent_agreement,
    kappa, and one ``a_X_b_Y`` count per pair of categories.
    """
    cols = ["reviewer_a", "reviewer_b", "both_screened", "agree", "disagree", "percent_agreement", "kappa"]
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
            "percent_agreement": round(100.0 * agree / n, 1) if n else math.nan,
            "kappa": cohen_kappa(a, b, categories) if n else math.nan,
        }
        for x in categories:
            for y in categories:
                row[f"a_{x}_b_{y}"] = sum(p == x and q == y for p, q in zip(a, b))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols + cells)


__all__ = ["CATEGORIES", "agreement_table", "cohen_kappa", "interpret_kappa"]
