"""Run ASReview 3 on a dataset from its own virtualenv and read its order back as a SimulationResult.

ASReview is never imported: it runs as ``asreview simulate`` in a subprocess (its own venv,
``/work/asreview-venv`` unless ``ASREVIEW_BIN`` says otherwise), on a CSV written from the same
DataFrame screener simulates, with the prior records passed by row (``--prior-idx``) so both
systems start from the same knowledge for a seed. The project file it writes (a zip holding an
SQLite ``results`` table, one row per label in the order given) becomes the same order/labels
format, so every metric is computed by the same code for both systems.

``until_last_include=True`` lets ASReview stop where its own ``simulate`` stops by default:
after the last include. Every ranking metric depends only on where the includes are, so the
records it never reached (all excludes, checked) are appended in file order and the metrics are
the same as for a full run; the time is not (``meta["complete"]`` is False, and the benchmark
leaves such runs out of its speed comparison). This is what made five seeds of the largest set
affordable: a full run there takes over half an hour per seed.

Timing: ``wall_time_s`` is the span of ASReview's own label timestamps, from the prior knowledge
to the last record (feature extraction, every refit and every ranking; not Python start-up or
reading the CSV); ``meta["process_time_s"]`` is the whole subprocess. The rerank latency is the
time between consecutive labels once a model is in use (ASReview refits after every label).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from screener.errors import ScreenerError  # noqa: E402
from screener.simulate import SimulationResult, check_dataset, choose_priors  # noqa: E402

DEFAULT_BIN = os.environ.get("ASREVIEW_BIN", "/work/asreview-venv/bin/asreview")
#: The ASReview presets that work offline (TF-IDF features): default SVM, and naive Bayes.
PRESETS = ("elas_u4", "elas_u3")


def asreview_version(asreview_bin: str = DEFAULT_BIN) -> str:
    try:
        out = subprocess.run([asreview_bin, "--version"], capture_output=True, text=True, timeout=120)
    except OSError as exc:
        raise ScreenerError(f"ASReview is not runnable at {asreview_bin}: {exc}") from exc
    return (out.stdout or out.stderr).strip().split()[-1] if (out.stdout or out.stderr).strip() else "unknown"


def available(asreview_bin: str = DEFAULT_BIN) -> bool:
    return Path(asreview_bin).is_file() and os.access(asreview_bin, os.X_OK)


def run_asreview(
    dataset: pd.DataFrame,
    *,
    dataset_name: str,
    seed: int,
    preset: str = "elas_u4",
    priors: int = 1,
    asreview_bin: str = DEFAULT_BIN,
    timeout_s: float | None = None,
    keep_dir: str | Path | None = None,
    until_last_include: bool = False,
) -> SimulationResult:
    """Simulate ``dataset`` with ASReview preset ``preset`` from screener's priors for ``seed``."""
    if preset not in PRESETS:
        raise ScreenerError(f"ASReview preset {preset!r} is not one of the offline presets {PRESETS}")
    if priors < 1:
        raise ScreenerError("ASReview needs at least one include and one exclude as prior knowledge")
    if not available(asreview_bin):
        raise ScreenerError(f"ASReview is not installed at {asreview_bin} (set ASREVIEW_BIN)")
    df = check_dataset(dataset, dataset_name)
    prior_rows = choose_priors(df["label_included"].to_numpy(), seed, priors)

    tmp = Path(tempfile.mkdtemp(prefix="asreview-sim-"))
    try:
        csv = tmp / f"{_safe(dataset_name)}.csv"
        # Row i of this CSV is row i of df: ASReview numbers records by row from 0.
        df[["title", "abstract", "label_included"]].to_csv(csv, index=False)
        project = tmp / "sim.asreview"
        cmd = [
            asreview_bin, "simulate", str(csv), "--ai", preset,
            "--prior-idx", *[str(i) for i in prior_rows],
            "--seed", str(int(seed)), *([] if until_last_include else ["--n-stop", "-1"]), "-o", str(project),
        ]
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TQDM_DISABLE="1",
                   PYTHONWARNINGS="ignore")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout_s)
        process_time = time.perf_counter() - t0
        if proc.returncode != 0 or not project.exists():
            tail = (proc.stderr or proc.stdout or "")[-2000:]
            raise ScreenerError(f"ASReview simulate failed on {dataset_name} (exit {proc.returncode}):\n{tail}")
        res = read_project(project, df, prior_rows, allow_partial=until_last_include)
        if keep_dir is not None:
            Path(keep_dir).mkdir(parents=True, exist_ok=True)
            shutil.copy(project, Path(keep_dir) / f"{_safe(dataset_name)}-{preset}-seed{seed}.asreview")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    order, labels, times, model_used, n_labelled = res
    post = times[priors * 2:]
    used = model_used[priors * 2:n_labelled]
    steps = np.diff(np.concatenate([[times[0]], post]))
    latencies = steps[used]
    return SimulationResult(
        dataset=dataset_name,
        system=f"asreview-{preset}",
        seed=int(seed),
        n_priors=len(prior_rows),
        order=order,
        labels=labels,
        retrained=model_used,
        wall_time_s=float(times[-1] - times[0]),
        embedding_time_s=0.0,
        latencies_s=latencies,
        config={"system": "asreview", "preset": preset, "version": asreview_version(asreview_bin),
                "retrain": "every record", "n_query": 1},
        meta={"process_time_s": process_time, "command": " ".join(cmd[:2] + ["DATASET.csv"] + cmd[3:-2]),
              "prior_rows": prior_rows, "complete": n_labelled == len(df), "n_labelled_by_asreview": n_labelled},
    )


def read_project(project: str | Path, df: pd.DataFrame, prior_rows: list[int] | None = None,
                 allow_partial: bool = False):
    """(record ids, labels, label times, model-in-use flags, records ASReview labelled) in
    screening order from a ``.asreview``. With ``allow_partial``, a simulation that stopped after
    the last include is completed with the records it did not reach (all excludes), in file
    order; times and flags cover only what ASReview labelled."""
    project = Path(project)
    with tempfile.TemporaryDirectory(prefix="asreview-read-") as d:
        with zipfile.ZipFile(project) as z:
            names = [n for n in z.namelist() if n.endswith("results.db")]
            if not names:
                raise ScreenerError(f"{project} holds no results.db; is it an ASReview 2/3 project file?")
            z.extract(names[0], d)
        con = sqlite3.connect(Path(d) / names[0])
        try:
            rows = con.execute(
                "SELECT r.record_id, rec.dataset_row, r.label, r.time, r.classifier "
                "FROM results r JOIN record rec ON rec.record_id = r.record_id ORDER BY r.rowid"
            ).fetchall()
        finally:
            con.close()
    n_labelled = len(rows)
    if n_labelled != len(df) and not allow_partial:
        raise ScreenerError(
            f"ASReview labelled {len(rows)} of {len(df)} records; a full simulation (--n-stop -1) was expected")
    ds_rows = np.array([r[1] for r in rows], dtype=np.int64)
    if len(set(ds_rows.tolist())) != n_labelled:
        raise ScreenerError("ASReview's results list a record more than once")
    if n_labelled < len(df):
        rest = np.setdiff1d(np.arange(len(df)), ds_rows)
        if df["label_included"].to_numpy()[rest].any():
            raise ScreenerError(f"ASReview stopped after {n_labelled} of {len(df)} records with includes still "
                                "unscreened; it should only stop after the last include")
        ds_rows = np.concatenate((ds_rows, rest))
    labels = np.array([r[2] for r in rows], dtype=np.int8)
    labels = np.concatenate((labels, np.zeros(len(df) - n_labelled, dtype=np.int8)))
    truth = df["label_included"].to_numpy()[ds_rows]
    if not np.array_equal(labels, truth):
        raise ScreenerError("ASReview's labels do not match the dataset's; the CSV rows were misread")
    if prior_rows is not None:
        k = len(prior_rows)
        if sorted(ds_rows[:k].tolist()) != sorted(prior_rows):
            raise ScreenerError("ASReview did not start from the prior records it was given")
        # Same prior order as screener (includes first) so the two orders line up record for record.
        ds_rows[:k] = prior_rows
        labels[:k] = df["label_included"].to_numpy()[prior_rows]
    order = df["record_id"].to_numpy()[ds_rows].astype(str)
    times = np.array([r[3] for r in rows], dtype=float)
    model_used = np.array([r[4] is not None for r in rows], dtype=bool)
    model_used = np.concatenate((model_used, np.zeros(len(df) - n_labelled, dtype=bool)))
    return order, labels, times, model_used, n_labelled


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "dataset"


__all__ = ["PRESETS", "available", "asreview_version", "read_project", "run_asreview"]
