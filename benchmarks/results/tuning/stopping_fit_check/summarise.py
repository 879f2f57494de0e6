"""Bias table from fit_check_*.csv: median d - d_true, median s, share s < 1, median c - c_true, median
log(includes left predicted / left true), per generator, covariate, prior, window, spread model."""
import sys

import numpy as np
import pandas as pd

pd.set_option("display.width", 250)
pd.set_option("display.max_rows", 500)
df = pd.concat([pd.read_csv(f) for f in sys.argv[1:]])
df = df[df.left_true > 0]
df["cold"] = df["cold"].fillna(pd.Series(np.where(df.gen == "exact", 0, 2), index=df.index)).astype(int)
df["head"] = df["head"].fillna(0).astype(int)
df["dd"] = df.d - df.d_true
df["dc"] = df.c - df.c_true
df["lr"] = np.log(df.left / df.left_true)
keys = ["gen", "cold", "head", "prior", "burn", "spread", "cov"]


def table(g):
    return g.groupby(keys).agg(n=("dd", "size"), d_bias=("dd", "median"), s_med=("s", "median"),
                               s_below1=("s", lambda s: (s < 0.999).mean()), c_bias=("dc", "median"),
                               log_left=("lr", "median"), under=("lr", lambda v: (v < 0).mean())).round(3)


print(table(df).to_string())

if "--cells" in sys.argv[1:2] or True:
    sel = df[(df.prior == "shipped") & (df.burn == 0) & df.spread & (df["cov"] == "rank")]
    cells = sel.groupby(["gen", "cold", "head", "p", "sep"]).agg(
        s_med=("s", "median"), s_below1=("s", lambda s: (s < 0.999).mean()), d_bias=("dd", "median"),
        log_left=("lr", "median")).round(2).unstack(["gen", "cold", "head"])
    print("\nshipped priors, whole history (burn 0), free spread, rank covariate, per (p, sep):")
    print(cells.to_string())
