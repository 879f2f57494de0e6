"""Web screening latency: keypress to next record shown, in real headless Chromium.

    nice .venv/bin/python benchmarks/bench_web.py [--shared ../shared] [--dataset smartphone_addiction]
        [--n-idle 30] [--n-busy 60] [--synthetic 5000] [--out benchmarks/results/web_latency.md]

A ~5,000-record project (the shared ``smartphone_addiction`` set, 5,340 records, imported
without its labels; or ``--synthetic N`` records when the shared folder is absent) is served by
the real app (``screener serve`` code path, threaded werkzeug server) on a free port. A
simulated reviewer presses ``i`` or ``e`` (from the dataset's labels) in headless Chromium.

The time is measured inside the page: from the keydown event's timestamp to just after the
next paint that shows the new record (``requestAnimationFrame`` then a zero timeout), so it
includes the POST, the database write (one transaction, fsync'd), the choice of the next
record, the JSON and the DOM swap, but not Selenium's own overhead.

Two conditions, recorded per keypress from the server's state at the moment of the keypress:

* idle: the background reranking has finished before the key is pressed;
* busy: a retrain (refit of the model + rescoring every unscreened record, ~1.5 s here) is
  running in the background thread of the same process when the key is pressed.

TF-IDF features only (``embedding_model = none``) so the project builds in seconds; the
latency path does not touch embeddings.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.cli.web_cmds import serve_project  # noqa: E402
from screener.project import Project  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def dataset_frame(shared: Path, name: str, synthetic: int | None) -> pd.DataFrame:
    if synthetic:
        return synthetic_frame(synthetic)
    path = shared / "datasets" / f"{name}.csv"
    if not path.exists():
        raise SystemExit(f"{path} not found: pass --shared DIR, or --synthetic 5000 for generated records")
    df = pd.read_csv(path)
    return df[["title", "abstract", "label_included"]]


def synthetic_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """Records with a topic vocabulary (10% includes) and a shared background vocabulary."""
    rng = random.Random(seed)
    topic = "peer support harm reduction qualitative interviews lived experience drug services".split()
    other = ("cardiac surgery randomised trial insulin knee replacement mortality blood pressure statin "
             "therapy fracture chemotherapy cohort outcomes adults hospital").split()
    common = "study patients results methods data analysis group years care health effect".split()
    rows = []
    for _ in range(n):
        inc = rng.random() < 0.1
        words = [rng.choice(topic if inc and rng.random() < 0.4 else other) for _ in range(12)]
        words += [rng.choice(common) for _ in range(150)]
        rng.shuffle(words)
        rows.append({"title": " ".join(words[:10]).capitalize(), "abstract": " ".join(words[10:]) + ".",
                     "label_included": int(inc)})
    return pd.DataFrame(rows)


def build(tmp: Path, df: pd.DataFrame) -> tuple[Path, dict[int, int]]:
    src = tmp / "records.csv"
    df[["title", "abstract"]].to_csv(src, index_label="id")  # the labels stay with the simulated reviewer
    directory = tmp / "project"
    with Project.init(directory, settings={"embedding_model": "none"}) as p:
        p.import_files([src], source_db="benchmark", dedup=False)
        ids = list(p.records_frame().index)
    return directory, dict(zip(ids, df["label_included"].astype(int)))


def make_driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def pct(xs, q):
    return float(np.percentile(np.asarray(xs, dtype=float), q)) if xs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--dataset", default="smartphone_addiction")
    ap.add_argument("--synthetic", type=int, default=None, help="generate N records instead of a shared dataset")
    ap.add_argument("--n-idle", type=int, default=30, help="keypresses with no retrain running")
    ap.add_argument("--n-busy", type=int, default=60, help="keypresses while a retrain runs")
    ap.add_argument("--out", type=Path, default=None, help="also write the summary (markdown) here")
    args = ap.parse_args()

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        df = dataset_frame(args.shared, args.dataset, args.synthetic)
        t0 = time.perf_counter()
        directory, truth = build(tmp, df)
        print(f"project: {len(truth)} records ({int(sum(truth.values()))} includes) built in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        server, url, app = serve_project(directory, host="127.0.0.1", port=0)
        eng = app.extensions["screener"]
        assert eng.wait_ready(600), eng.error
        print(f"first ranking ready in {time.perf_counter() - t0:.1f} s", flush=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        driver = make_driver(tmp / "profile")
        try:
            driver.get(url + "reviewer?next=/screen")
            driver.find_element(By.ID, "name").send_keys("bench")
            driver.find_element(By.CSS_SELECTOR, "#reviewer-form button").click()
            wait = WebDriverWait(driver, 60, poll_frequency=0.01)
            wait.until(lambda d: d.find_element(By.ID, "record").get_attribute("data-record-id"))
            body = driver.find_element(By.TAG_NAME, "body")
            # (condition, keypress to shown, request round trip, server time, of which the database write) ms
            samples: list[tuple[str, float, float, float, float]] = []

            def press() -> None:
                rid = int(driver.find_element(By.ID, "record").get_attribute("data-record-id"))
                n = driver.execute_script("return window.screenerTimings.length")
                cond = "busy" if eng.status()["retraining"] else "idle"
                body.send_keys("i" if truth[rid] else "e")
                wait.until(lambda d: d.execute_script("return window.screenerTimings.length") > n)
                last = driver.execute_script(
                    "const t = window.screenerTimings[window.screenerTimings.length - 1];"
                    "const r = performance.getEntriesByType('resource').filter(e => e.name.endsWith('/api/decide'));"
                    "const st = r.length ? r[r.length - 1].serverTiming : [];"
                    "const get = (n) => { const x = st.find(e => e.name === n); return x ? x.duration : null; };"
                    "return {ms: t.ms, net: t.net, app: get('app'), save: get('save')};")
                num = lambda v: float(v) if v is not None else float("nan")  # noqa: E731
                samples.append((cond, float(last["ms"]), num(last.get("net")), num(last.get("app")),
                                num(last.get("save"))))

            # warm-up: the first decisions move the ranker from random order to the model
            for _ in range(5):
                press()
                eng.wait_idle(120)
            samples.clear()
            want = {"idle": args.n_idle, "busy": args.n_busy}
            got = {"idle": 0, "busy": 0}
            guard = 0
            while (got["idle"] < want["idle"] or got["busy"] < want["busy"]) and guard < 10 * sum(want.values()):
                guard += 1
                if got["idle"] < want["idle"] and (got["busy"] >= want["busy"] or guard % 3 == 0):
                    eng.wait_idle(120)  # let the retrain finish: an idle sample
                else:
                    # a decision was just made, so a retrain is due; wait until it has started
                    t_end = time.perf_counter() + 5
                    while not eng.status()["retraining"] and time.perf_counter() < t_end:
                        time.sleep(0.005)
                    time.sleep(0.06)  # past the debounce: the model is fitting now
                press()
                got[samples[-1][0]] += 1
            eng.wait_idle(120)
            retrains = eng.status()["retrains"]
        finally:
            driver.quit()
            server.shutdown()
            server.server_close()
            eng.stop()
            app.config["SCREENER_PROJECT"].close()

        lines = [f"# Web screening latency: keypress to next record shown ({len(truth)} records)", ""]
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        lines.append(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, load average {load_before:.1f} at the "
                     f"start and {os.getloadavg()[0]:.1f} at the end, Python {platform.python_version()}; "
                     f"commit {commit} (+ working tree); "
                     f"command: nice .venv/bin/python benchmarks/bench_web.py {' '.join(sys.argv[1:])}")
        lines.append(f"Dataset: {'synthetic' if args.synthetic else args.dataset}; "
                     f"model retrained {retrains} times during the run (schedule: after every decision below 100).")
        lines.append("")
        lines.append("| condition | keypresses | median ms | p95 ms | max ms | round trip median / p95 "
                     "| server median / p95 | database write median / p95 |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for cond, label in (("idle", "no retrain running"), ("busy", "retrain running"), (None, "all")):
            rows = [x for x in samples if cond is None or x[0] == cond]
            if not rows:
                lines.append(f"| {label} | 0 | - | - | - | - | - | - |")
                continue
            xs = [x[1] for x in rows]

            def mp(i, rows=rows):
                v = [x[i] for x in rows if x[i] == x[i]]
                return f"{statistics.median(v):.0f} / {pct(v, 95):.0f}" if v else "-"

            lines.append(f"| {label} | {len(xs)} | {statistics.median(xs):.0f} | {pct(xs, 95):.0f} | {max(xs):.0f} "
                         f"| {mp(2)} | {mp(3)} | {mp(4)} |")
        lines.append("")
        lines.append("keypress to shown: keydown to the first paint with the next record (in the page); round trip: "
                     "the POST /api/decide as the page saw it; server: the app's own time for that request, and "
                     "of it the decision's database write (Server-Timing header).")
        text = "\n".join(lines)
        print(text)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
