"""Work on a real local Dask cluster (two worker processes, one thread each) equals local work.

Embeddings match a plain local run within float tolerance and land in the cache under the same
key; a worker killed (SIGKILL) in the middle of a task is replaced, its task runs again, and no
record is lost or stored twice; benchmark runs through the cluster are bit for bit the local
ones, and a second call resumes from the files.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")

from screener.features import embeddings as E  # noqa: E402
from screener.features.embeddings import EmbeddingCache, embed_texts, model_key, text_hash  # noqa: E402
from scripts import REPO, load_script  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as lc, Client(lc) as client:
        yield lc, client


def _texts(n: int = 36) -> list[str]:
    rng = np.random.default_rng(7)
    words = ("peer support harm reduction lived experience randomised trial mice blood pressure cohort "
             "mortality dosage hospital costs qualitative interviews outreach naloxone").split()
    out = [f"Study {i}: " + " ".join(rng.choice(words, int(rng.integers(4, 30)))) for i in range(n)]
    return out + out[:4]  # repeated texts are embedded once and returned for every row


class RecordingCache(EmbeddingCache):
    """The real SQLite cache, also noting each hash it is asked to store (to see duplicates)."""

    def __init__(self, path):
        super().__init__(path)
        self.stored: list[str] = []

    def put(self, model, hashes, vectors):
        self.stored.extend(hashes)
        super().put(model, hashes, vectors)


def test_embeddings_on_cluster_match_local(cluster, tmp_path):
    _, client = cluster
    texts = _texts()
    local_cache, remote_cache = RecordingCache(tmp_path / "local.sqlite"), RecordingCache(tmp_path / "remote.sqlite")
    local = embed_texts(texts, cache=local_cache, progress=False, chunk_size=6)
    remote = embed_texts(texts, cache=remote_cache, progress=False, chunk_size=6, client=client)
    assert remote.shape == local.shape == (len(texts), 384)
    np.testing.assert_allclose(remote, local, atol=1e-4)
    key = model_key("default")
    distinct = set(map(text_hash, texts))
    assert remote_cache.count(key) == remote_cache.count() == len(distinct)
    assert sorted(remote_cache.stored) == sorted(distinct)  # each text stored once
    got = remote_cache.get(key, list(distinct))
    want = local_cache.get(key, list(distinct))
    for h in distinct:
        np.testing.assert_allclose(got[h], want[h], atol=1e-4)

    # a second run finds everything in the cache and sends nothing to the cluster
    again = RecordingCache(tmp_path / "remote.sqlite")
    np.testing.assert_array_equal(embed_texts(texts, cache=again, progress=False, client=client), remote)
    assert again.stored == [] and again.misses == 0


def test_worker_killed_mid_task_is_retried(cluster, tmp_path):
    lc, client = cluster
    # long texts (about the 128-word-piece cap) in chunks of 6, so that a task runs long enough
    # to be seen running even on a fast processor
    texts = [t + " " + " ".join(t.split()[2:]) * 4 for t in _texts(48)]
    cache = RecordingCache(tmp_path / "killed.sqlite")
    distinct = set(map(text_hash, texts))
    out: dict = {}

    def work():
        try:
            out["vectors"] = embed_texts(texts, cache=cache, progress=False, chunk_size=6, client=client)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            out["error"] = e

    t = threading.Thread(target=work)
    t.start()
    victim = None
    deadline = time.time() + 120
    while victim is None and time.time() < deadline:
        busy = {w: ks for w, ks in client.processing().items() if ks}
        if busy and len(cache.stored) < len(distinct):  # a task is running and the work is not done
            victim = next(iter(busy))
        else:
            time.sleep(0.01)
    assert victim is not None, "no task was seen running on the cluster"
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    t.join(timeout=300)
    assert not t.is_alive()
    assert "error" not in out, out.get("error")
    assert victim not in client.nthreads()  # that worker is gone (its nanny starts a new one)

    assert sorted(cache.stored) == sorted(distinct)  # nothing lost, nothing stored twice
    assert cache.count() == len(distinct)
    local = embed_texts(texts, progress=False, chunk_size=6)
    np.testing.assert_allclose(out["vectors"], local, atol=1e-4)


def test_screener_embed_cli_fills_the_project_cache_the_session_reads(cluster, tmp_path, toy_review, monkeypatch):
    """`screener embed DIR --cluster ADDRESS` stores what a screening session then reads without
    computing anything: the same records, the same key."""
    from typer.testing import CliRunner

    from screener.cli import app
    from screener.project import Project
    from screener.records import record_text
    from screener.screening import ScreeningSession

    lc, _ = cluster
    d = tmp_path / "review"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["import", str(d), str(toy_review(tmp_path / "toy.csv", n=30))]).exit_code == 0
    r = runner.invoke(app, ["embed", str(d), "--cluster", lc.scheduler_address])
    assert r.exit_code == 0, r.output
    assert "30 records: 30 read now, 0 were already saved" in " ".join(r.output.split())
    with Project.open(d) as project:
        texts = [record_text(t, a) for t, a in zip(*project.records_frame()[["title", "abstract"]].T.values)]
        cache = EmbeddingCache(project.cache_path)
        assert cache.count(model_key("default")) == len(set(texts)) == cache.count()
        monkeypatch.setattr(E, "load_model", lambda *a, **k: pytest.fail("the session had to compute vectors"))
        session = ScreeningSession(project, ranker="logreg-embed")
        session.ranking(save=False)  # (the toy file's labels came in too: nothing is left to rank)
        assert session.embeddings.shape == (30, 384)
    monkeypatch.undo()
    again = runner.invoke(app, ["embed", str(d)])  # locally: nothing left to do
    assert "0 read now, 30 were already saved" in " ".join(again.output.split())


# --------------------------------------------------------------------------- benchmark runs


@pytest.fixture(scope="module")
def bench():
    return load_script(REPO / "benchmarks" / "run.py", "bench_run_cluster")


def _shared(tmp_path) -> Path:
    rng = np.random.default_rng(3)
    inc, exc = ["peer", "worker", "harm", "reduction"], ["cardiac", "surgery", "mouse", "enzyme"]
    rows = [{"record_id": i + 1, "title": " ".join(rng.choice(inc if i % 6 == 0 else exc, 4)),
             "abstract": " ".join(rng.choice(inc if i % 6 == 0 else exc, 15)), "label_included": int(i % 6 == 0)}
            for i in range(36)]
    d = tmp_path / "shared" / "datasets"
    d.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(d / "tiny.csv", index=False)
    pd.DataFrame([{"dataset": "tiny", "file": "tiny.csv", "review_title": "Peer workers in harm reduction",
                   "prevalence": 6 / 36}]).to_csv(d / "index.csv", index=False)
    return tmp_path / "shared"


def test_benchmark_on_cluster_equals_local(cluster, bench, tmp_path, capsys):
    lc, _ = cluster
    shared = _shared(tmp_path)
    common = ["--datasets", "tiny", "--seeds", "1,2", "--systems", "screener-default,screener-svm-tfidf,random",
              "--cache", str(tmp_path / "cache"), "--shared", str(shared), "--no-plots"]
    assert bench.main(common + ["--results", str(tmp_path / "local"), "--jobs", "1"]) == 0
    remote = common + ["--results", str(tmp_path / "remote"), "--cluster", lc.scheduler_address]
    assert bench.main(remote) == 0
    out = capsys.readouterr().out
    assert "running on the Dask cluster" in out

    local_runs = sorted((tmp_path / "local" / "runs").rglob("*.npz"))
    assert len(local_runs) == 6
    from screener.simulate import SimulationResult

    for p in local_runs:
        q = tmp_path / "remote" / p.relative_to(tmp_path / "local")
        a, b = SimulationResult.load(p), SimulationResult.load(q)
        np.testing.assert_array_equal(a.order, b.order)
        np.testing.assert_array_equal(a.labels, b.labels)
        np.testing.assert_array_equal(a.retrained, b.retrained)
        pd.testing.assert_frame_equal(a.estimates, b.estimates)
    timing = [c for c in pd.read_csv(tmp_path / "local" / "results.csv").columns
              if "time" in c or "latency" in c or c.endswith("_s")]
    ta = pd.read_csv(tmp_path / "local" / "results.csv").drop(columns=timing)
    tb = pd.read_csv(tmp_path / "remote" / "results.csv").drop(columns=timing)
    pd.testing.assert_frame_equal(ta, tb)

    # resume by file: a second call through the cluster recomputes nothing
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "remote" / "runs").rglob("*.npz")}
    assert bench.main(remote) == 0
    assert "0 runs to do, 6 already on disk" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "remote" / "runs").rglob("*.npz")} == mtimes


def test_unreachable_cluster_is_a_plain_message():
    from screener.cluster import connect
    from screener.errors import ScreenerError

    with pytest.raises(ScreenerError, match="cannot reach the Dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout=2)
