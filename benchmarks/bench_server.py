"""The team server under load and faults: PostgreSQL, gunicorn workers, ten reviewers at once.

    nice .venv/bin/python benchmarks/bench_server.py [--shared ../shared] [--reviewers 10]
        [--decisions 500] [--workers 3] [--threads 8] [--think 0.2 0.6] [--max-seconds 1200]
        [--out benchmarks/results/server.md]

Everything runs on loopback and is torn down afterwards: a throwaway PostgreSQL cluster
(``screener.store.pgcluster``, Debian's postgresql), and ``screener serve --workers W`` (the real
CLI, gunicorn) on a ~5,000-record project (the shared ``smartphone_addiction`` set imported
without its labels; ``--synthetic N`` when the shared folder is absent).

Part 1, migration: the same records in an SQLite project get 300 decisions (the top of the
ranking, plus a random sample for the recall check), then ``migrate_to_server`` moves the review;
PRISMA counts, current decisions, the ranking and the recall estimate are compared before and
after the move.

Part 2, load: each simulated reviewer is a thread with its own HTTP connection and cookies. It
asks for a record, "presses a key" (the dataset's label) after a think time, POSTs the decision
with a fresh request id and takes the next record from the answer: the time of that POST is
the keypress-to-next-record latency (server and network; the page's DOM swap is measured by
bench_web.py). A request that fails (no answer, 5xx) is sent again with the same request id.
Faults, once each: at 30% of the decisions the worker process that leads the retraining is
killed with SIGKILL (gunicorn starts another); at 60% PostgreSQL is stopped and started again.

Checks afterwards, from the decision log on the server: every acknowledged decision (answer 200)
is in the log exactly once; no request id twice; which 5xx answers came outside the
PostgreSQL restart window; the latency percentiles.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_web import dataset_frame  # noqa: E402

from screener.project import Project  # noqa: E402
from screener.store.pgcluster import LocalCluster, free_port  # noqa: E402

RESTART_GRACE = 3.0  # seconds after PostgreSQL is back in which a request may still meet a lost connection


def pct(xs, q):
    return float(np.percentile(np.asarray(xs, dtype=float), q)) if len(xs) else float("nan")


def write_records(tmp: Path, df: pd.DataFrame) -> tuple[Path, list[int]]:
    src = tmp / "records.csv"
    df[["title", "abstract"]].to_csv(src, index_label="id")  # the labels stay with the simulated reviewers
    return src, df["label_included"].astype(int).tolist()


# -- part 1: migration ---------------------------------------------------------------------------
def migration_check(tmp: Path, src: Path, truth: list[int], url: str, n_decided: int = 300) -> dict:
    from screener.migrate import migrate_to_server
    from screener.screening import ScreeningSession
    from screener.status import recall_status

    directory = tmp / "solo"
    with Project.init(directory, settings={"embedding_model": "none", "seed": 1}) as p:
        p.import_files([src], source_db="benchmark", dedup=False)
        label = dict(zip(p.records_frame().index, truth))
        session = ScreeningSession(p)
        while len(p.current_decisions()) < n_decided:
            batch = session.next_batch(25, explain=False, sample=5)
            for rid in batch["record_id"]:
                p.decide(int(rid), "include" if label[int(rid)] else "exclude", reviewer="solo")

    def outcome(project):
        status = recall_status(project)
        return {"PRISMA counts": project.prisma_counts(),
                "decisions": project.current_decisions().reset_index().to_dict("records"),
                "ranking": ScreeningSession(project).ranking(save=False)[["record_id", "score"]].to_dict("records"),
                "recall estimate": status}

    with Project.open(directory) as p:
        before = outcome(p)
    t = time.perf_counter()
    report = migrate_to_server(directory, url)
    seconds = time.perf_counter() - t
    with Project.open(directory) as p:
        after = outcome(p)

    def same(a, b):
        return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)

    return {"seconds": round(seconds, 2), "ok": report.ok,
            "tables": [{"table": c.table, "rows_before": c.rows_before, "rows_after": c.rows_after,
                        "checksum_same": c.checksum_before == c.checksum_after} for c in report.tables],
            "same_after_move": {k: same(before[k], after[k]) for k in before},
            "decisions": len(before["decisions"]), "recall_advice": str(before["recall estimate"].get("advice"))[:300]}


# -- part 2: load and faults ----------------------------------------------------------------------
class Reviewer(threading.Thread):
    def __init__(self, name: str, port: int, truth: dict[int, int], n: int, think: tuple[float, float],
                 deadline: float, progress, seed: int):
        super().__init__(daemon=True)
        self.name_, self.port, self.truth, self.n, self.think = name, port, truth, n, think
        self.deadline, self.progress, self.rng = deadline, progress, random.Random(seed)
        self.conn = None
        self.cookies: dict[str, str] = {}
        self.csrf = None
        self.acked: list[dict] = []  # acknowledged decisions
        self.failures: list[dict] = []  # answers that were not 200 (or no answer), with when
        self.done = False

    def _request(self, method, path, body=None, form=None):
        """(status, json or None); status 0 when no answer came (connection refused, reset)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers.update({"Content-Type": "application/json", "X-CSRF-Token": self.csrf or ""})
        if form is not None:
            data = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            for h, v in resp.getheaders():
                if h.lower() == "set-cookie":
                    k, _, rest = v.partition("=")
                    self.cookies[k.strip()] = rest.split(";")[0]
            try:
                payload = json.loads(raw) if raw and raw[:1] in (b"{", b"[") else raw.decode("utf-8", "replace")
            except ValueError:
                payload = None
            return resp.status, payload
        except (OSError, http.client.HTTPException):
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return 0, None

    def _login(self):
        """Tell the app who this reviewer is, as the name form in a browser does."""
        while time.time() < self.deadline:
            status, page = self._request("GET", "/reviewer")
            m = re.search(r'name="csrf_token" value="([^"]+)"', page) if isinstance(page, str) else None
            if m is None:
                time.sleep(0.5)
                continue
            self._request("POST", "/reviewer", form={"name": self.name_, "csrf_token": m.group(1)})
            status, page = self._request("GET", "/screen")
            if status == 200 and isinstance(page, str):
                m = re.search(r'name="csrf-token" content="([^"]+)"', page)
                if m:
                    self.csrf = m.group(1)
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name_}: could not open the screening page")

    def _fail(self, status, payload, what, ms=None):
        self.failures.append({"t": time.time(), "status": status, "what": what, "ms": ms,
                              "retry_flag": isinstance(payload, dict) and bool(payload.get("retry"))})

    def run(self):
        self._login()
        record = None
        while len(self.acked) < self.n and time.time() < self.deadline:
            if record is None:
                status, data = self._request("GET", "/api/next")
                if status != 200:
                    self._fail(status, data, "next")
                    time.sleep(0.5)
                    continue
                if data.get("done"):
                    break
                record = data.get("record")
                if record is None:
                    time.sleep(0.5)  # the first ranking is being prepared
                    continue
            time.sleep(self.rng.uniform(*self.think))
            rid = int(record["record_id"])
            decision = "include" if self.truth[rid] else "exclude"
            key = "%024x" % self.rng.getrandbits(96)
            while time.time() < self.deadline:  # the same request again until it is answered
                t = time.perf_counter()
                status, data = self._request("POST", "/api/decide",
                                             {"record_id": rid, "decision": decision, "request_id": key})
                ms = 1000 * (time.perf_counter() - t)
                if status == 200:
                    self.acked.append({"request_id": f"web:{self.name_}:{key}", "record_id": rid,
                                       "decision": decision, "ms": ms, "t": time.time()})
                    self.progress()
                    record = data.get("record")
                    if record is None and data.get("done"):
                        self.done = True
                    break
                self._fail(status, data, "decide", round(ms, 1))
                time.sleep(0.5)
            if self.done:
                break


def find_leader(port: int, tries: int = 200) -> int | None:
    """The pid of the worker that leads the retraining (asking until a request lands on it)."""
    probe = Reviewer("faults", port, {}, 0, (0, 0), time.time() + 60, lambda: None, 0)
    probe._login()
    for _ in range(tries):
        probe.conn = None  # a new connection: gunicorn hands it to any worker
        status, data = probe._request("GET", "/api/status")
        if status == 200 and isinstance(data, dict) and data.get("leading"):
            return int(data["worker"])
        time.sleep(0.05)
    return None


def load_test(tmp: Path, src: Path, truth_list: list[int], cluster: LocalCluster | None, args, *,
              decisions: int | None = None, faults_on: bool = True) -> dict:
    """``cluster`` None: the baseline, the same load on the SQLite file (one worker process)."""
    from screener.store import PostgresStore

    decisions = decisions or args.decisions
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-c", "from screener.cli import main; main()"]
    if cluster is not None:
        url = cluster.create_database("load")
        directory = tmp / "team"
        subprocess.run([*cli, "init", str(directory), "--database", url], check=True, env=env, capture_output=True)
        workers = args.workers
    else:
        directory = tmp / "baseline"
        subprocess.run([*cli, "init", str(directory)], check=True, env=env, capture_output=True)
        workers = 1
    with Project.open(directory) as p:
        p.set_setting("embedding_model", "none")
        p.import_files([src], source_db="benchmark", dedup=False)
        ids = list(p.records_frame().index)
    truth = dict(zip(ids, truth_list))
    port = free_port()
    log = open(tmp / "server.log", "w")
    server = subprocess.Popen([*cli, "serve", str(directory), "--port", str(port), "--workers", str(workers),
                               "--threads", str(args.threads)], env=env, stdout=log, stderr=subprocess.STDOUT)
    target = args.reviewers * decisions
    count = [0]
    lock = threading.Lock()
    faults: dict = {}
    fault_state = {"kill_at": int(0.3 * target), "restart_at": int(0.6 * target)}
    wake = threading.Event()

    def progress():
        with lock:
            count[0] += 1
        if count[0] in (fault_state["kill_at"], fault_state["restart_at"]):
            wake.set()

    def injector():
        wake.wait()
        wake.clear()
        pid = find_leader(port)
        if pid is not None:
            faults["kill_time"] = time.time()
            faults["killed_pid"] = pid
            os.kill(pid, signal.SIGKILL)
        wake.wait()
        faults["restart_begin"] = time.time()
        cluster.restart()
        faults["restart_end"] = time.time()

    deadline = time.time() + args.max_seconds
    try:
        setup = Reviewer("setup", port, {}, 0, (0, 0), time.time() + 120, lambda: None, 0)
        setup._login()
        for _ in range(240):  # the first ranking
            status, data = setup._request("GET", "/api/status")
            if status == 200 and isinstance(data, dict) and data.get("ready"):
                break
            time.sleep(0.5)
        reviewers = [Reviewer(f"reviewer{i + 1}", port, truth, decisions, tuple(args.think), deadline,
                              progress, seed=i) for i in range(args.reviewers)]
        t0 = time.time()
        if faults_on:
            threading.Thread(target=injector, daemon=True).start()
        for r in reviewers:
            r.start()
        for r in reviewers:
            r.join(max(1.0, deadline - time.time() + 5))
        wall = time.time() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    print("server log (last lines):\n" + "".join((tmp / "server.log").read_text().splitlines(True)[-15:]), flush=True)
    acked = [a for r in reviewers for a in r.acked]
    failures = [f for r in reviewers for f in r.failures]
    if cluster is not None:
        store = PostgresStore(url)
        logf = store.decisions_frame()
        store.close()
    else:
        with Project.open(directory) as p:
            logf = p.decision_log()
    web = logf[logf["origin"] == "web"]
    counts = web["request_id"].value_counts()
    missing = [a for a in acked if counts.get(a["request_id"], 0) == 0]
    twice = counts[counts > 1]
    window = (faults.get("restart_begin", 0), faults.get("restart_end", 0) + RESTART_GRACE)
    in_window = [f for f in failures if window[0] <= f["t"] <= window[1]]
    outside = [f for f in failures if not (window[0] <= f["t"] <= window[1])]
    kill_window = (faults.get("kill_time", 0), faults.get("kill_time", 0) + 5)
    ms = [a["ms"] for a in acked]
    calm = [a["ms"] for a in acked if not (window[0] <= a["t"] <= window[1] + 2)
            and not (kill_window[0] <= a["t"] <= kill_window[1])]
    per_record = web[web["decision"] != "retract"].groupby("record_id")["reviewer"].nunique()
    return {
        "reviewers": args.reviewers, "decisions_each": decisions, "workers": workers,
        "threads": args.threads, "think_s": list(args.think), "records": len(ids), "wall_s": round(wall, 1),
        "acknowledged": len(acked), "target": target, "finished_all": len(acked) == target,
        "acknowledged_missing_from_log": len(missing), "request_ids_logged_twice": int(len(twice)),
        "web_log_entries": int(len(web)), "records_decided_by_two_reviewers": int((per_record > 1).sum()),
        "two_reviewer_examples": web[web["record_id"].isin(per_record.index[per_record > 1][:5])][
            ["decision_id", "record_id", "reviewer", "created_at"]].to_dict("records"),
        "faults": {k: round(v - t0, 2) if isinstance(v, float) else v for k, v in faults.items()},
        "failed_answers_in_restart_window": len(in_window),
        "in_window_statuses": sorted({f["status"] for f in in_window}),
        "in_window_5xx_marked_retryable": all(f["retry_flag"] for f in in_window if f["status"] >= 500),
        "failed_answers_outside_restart_window": len(outside),
        "outside_window_statuses": sorted({f["status"] for f in outside}),
        "outside_window_5xx": sum(f["status"] >= 500 for f in outside),
        "outside_window_no_answer_near_kill": sum(f["status"] == 0 and kill_window[0] <= f["t"] <= kill_window[1]
                                                  for f in outside),
        "latency_ms": {"p50": round(pct(ms, 50), 1), "p95": round(pct(ms, 95), 1), "p99": round(pct(ms, 99), 1),
                       "max": round(max(ms), 1) if ms else None},
        "failures_outside_window": [{"t": round(f["t"] - t0, 2), "status": f["status"], "what": f["what"],
                                     "ms": f["ms"]} for f in outside][:20],
        "slowest": sorted(({"t": round(a["t"] - t0, 2), "ms": round(a["ms"], 1)} for a in acked),
                          key=lambda a: -a["ms"])[:10],
        "latency_ms_outside_fault_windows": {"p50": round(pct(calm, 50), 1), "p95": round(pct(calm, 95), 1),
                                             "n": len(calm)},
    }


def render(result: dict, cmd: str) -> str:
    load, mig = result["load"], result["migration"]
    lat = load["latency_ms"]
    bars = [
        ("every acknowledged decision is in the log", load["acknowledged_missing_from_log"] == 0,
         f"{load['acknowledged']} acknowledged, {load['acknowledged_missing_from_log']} missing"),
        ("no decision duplicated", load["request_ids_logged_twice"] == 0,
         f"{load['request_ids_logged_twice']} request ids logged twice; {load['web_log_entries']} web entries"),
        ("no 5xx outside the PostgreSQL restart window", load["outside_window_5xx"] == 0,
         f"{load['outside_window_5xx']} outside; {load['failed_answers_in_restart_window']} failed answers inside "
         f"(statuses {load['in_window_statuses']}, 5xx marked retryable: {load['in_window_5xx_marked_retryable']}), "
         "all sent again and answered"),
        ("p95 keypress-to-next-record <= 300 ms", lat["p95"] <= 300,
         f"p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms"),
        ("a migrated review is the same review", mig["ok"] and all(mig["same_after_move"].values()),
         ", ".join(f"{k}: {'same' if v else 'DIFFERENT'}" for k, v in mig["same_after_move"].items())),
    ]
    lines = [
        "# Team server under load and faults (benchmarks/bench_server.py)", "",
        f"Command: `{cmd}`", "",
        f"Machine: {result['machine']}. {load['reviewers']} reviewers x {load['decisions_each']} decisions, "
        f"think time {load['think_s'][0]}-{load['think_s'][1]} s, against `screener serve --workers "
        f"{load['workers']} --threads {load['threads']}` on PostgreSQL {result['postgres']}, "
        f"{load['records']} records; {load['wall_s']} s of load.",
        f"Faults: worker {load['faults'].get('killed_pid')} (the one leading the retraining) killed with SIGKILL at "
        f"{load['faults'].get('kill_time')} s; PostgreSQL stopped at {load['faults'].get('restart_begin')} s and "
        f"back at {load['faults'].get('restart_end')} s.", "",
        "| bar | met | measured |", "|---|---|---|",
        *[f"| {b} | {'yes' if ok else 'NO'} | {m} |" for b, ok, m in bars],
        "",
        f"Also: {load['acknowledged']} of {load['target']} decisions made; records decided by two reviewers (a "
        f"record handed to two at once): {load['records_decided_by_two_reviewers']}; answers that failed outside "
        f"the restart window: {load['failed_answers_outside_restart_window']} (statuses "
        f"{load['outside_window_statuses']}; no answer near the kill: {load['outside_window_no_answer_near_kill']}); "
        f"p95 outside both fault windows: {load['latency_ms_outside_fault_windows']['p95']} ms.",
        *([""] if "baseline_sqlite" not in result else [
            "", f"Baseline in the same run: the same {result['baseline_sqlite']['reviewers']} reviewers, "
            f"{result['baseline_sqlite']['decisions_each']} decisions each, no faults, against the SQLite file "
            f"(one process, {result['baseline_sqlite']['threads']} threads): p50 "
            f"{result['baseline_sqlite']['latency_ms']['p50']} ms, p95 {result['baseline_sqlite']['latency_ms']['p95']} "
            f"ms, max {result['baseline_sqlite']['latency_ms']['max']} ms."]),
        "",
        f"Migration ({mig['decisions']} decisions, moved in {mig['seconds']} s):", "",
        "| table | rows in the file | rows on the server | checksum |", "|---|---|---|---|",
        *[f"| {t['table']} | {t['rows_before']} | {t['rows_after']} | {'same' if t['checksum_same'] else 'DIFFERENT'} |"
          for t in mig["tables"]],
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--dataset", default="smartphone_addiction")
    ap.add_argument("--synthetic", type=int, default=None)
    ap.add_argument("--reviewers", type=int, default=10)
    ap.add_argument("--decisions", type=int, default=500)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--think", type=float, nargs=2, default=(0.2, 0.6))
    ap.add_argument("--max-seconds", type=float, default=1200)
    ap.add_argument("--skip-migration", action="store_true")
    ap.add_argument("--baseline-decisions", type=int, default=100,
                    help="decisions per reviewer in the same-run baseline on SQLite (0: none)")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still tear the servers down
    df = dataset_frame(args.shared, args.dataset, args.synthetic)
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    os.chmod(tmp, 0o755)
    try:
        return _run(args, df, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run(args, df, tmp: Path) -> int:
    with LocalCluster(root=tmp / "pg") as cluster:
        src, truth = write_records(tmp, df)
        result = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at start",
                  "postgres": subprocess.run([str(cluster.bin / "postgres"), "--version"], capture_output=True,
                                             text=True).stdout.strip().split(" ")[-1]}
        if not args.skip_migration:
            print("migration check...", flush=True)
            result["migration"] = migration_check(tmp, src, truth, cluster.create_database("moved"))
            print(json.dumps(result["migration"]["same_after_move"]), flush=True)
        if args.baseline_decisions:
            print("baseline: the same reviewers on the SQLite file, one process...", flush=True)
            base = load_test(tmp, src, truth, None, args, decisions=args.baseline_decisions, faults_on=False)
            result["baseline_sqlite"] = {k: base[k] for k in ("reviewers", "decisions_each", "workers", "threads",
                                                              "acknowledged", "latency_ms", "wall_s")}
        print("load...", flush=True)
        result["load"] = load_test(tmp, src, truth, cluster, args)
    print(json.dumps(result, indent=1, default=str))
    if args.out and "migration" in result:
        cmd = "nice .venv/bin/python benchmarks/bench_server.py " + " ".join(sys.argv[1:])
        args.out.write_text(render(result, cmd))
        args.out.with_suffix(".json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
