"""Shared test fixtures.

``shared_dir`` is ``../shared`` beside the repository (datasets, real database exports). Tests
that need it are skipped, with the reason, on a checkout that lacks it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCREENER_SHARED", REPO.parent / "shared"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "datasets").is_dir() or not (SHARED / "fixtures").is_dir():
        pytest.skip(f"needs the shared data folder at {SHARED} (datasets/ and fixtures/); it is absent here")
    return SHARED


@pytest.fixture
def zone(monkeypatch):
    """``zone("EST5")``: the reviewer's local time zone (POSIX TZ rule), put back after the test: the days a report
    gives are the reviewer's own, so a test that reads one names the zone, or it passes in one zone only."""
    import time

    def put(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()

    yield put
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def toy_review():
    """``toy_review(path, n=60, n_include=6)`` writes a small labelled CSV and returns its path."""
    return write_toy_review


def write_toy_review(path: Path, n: int = 60, n_include: int = 6, seed: int = 0) -> Path:
    """A small labelled CSV whose includes share a vocabulary (peer workers in harm reduction)."""
    import random

    import pandas as pd

    rng = random.Random(seed)
    inc_words = ["peer worker", "lived experience", "harm reduction", "qualitative interviews", "peer support"]
    exc_words = ["randomised trial", "pharmacokinetics", "mice", "blood pressure", "cohort mortality",
                 "dosage", "survey prevalence", "hospital costs"]
    rows = []
    for i in range(n):
        inc = i % (n // n_include) == 0 and sum(r["label_included"] for r in rows) < n_include
        words = rng.sample(inc_words, 3) if inc else rng.sample(exc_words, 3)
        rows.append({
            "record_id": i + 1,
            "title": f"Study {i + 1} of {words[0]} and {words[1]}",
            "abstract": f"We report {words[0]}, {words[1]} and {words[2]} in setting {rng.randint(1, 99)}.",
            "authors": f"Author{i}, A; Other, B",
            "year": 2000 + i % 20,
            "doi": f"10.5555/toy.{i + 1}",
            "label_included": int(inc),
        })
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server started for the tests (``screener.store.pgcluster``), or None
    when ``SCREENER_TEST_DATABASE_URL`` names one. Skips, saying why, when none can be started."""
    if os.environ.get("SCREENER_TEST_DATABASE_URL"):
        yield None
        return
    from screener.store.pgcluster import LocalCluster

    try:
        cluster = LocalCluster().init().start()
    except Exception as exc:  # any failure to start one means: skip, and say why (CI: fail)
        why = (f"needs a PostgreSQL server and none could be started here ({exc}); install Debian's "
               "'postgresql' or set SCREENER_TEST_DATABASE_URL")
        if os.environ.get("SCREENER_REQUIRE_POSTGRES"):
            pytest.fail(why)
        pytest.skip(why)
    try:
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture(scope="session")
def pg_server(pg_cluster):
    """The URL of an empty database on the test server."""
    import uuid

    if pg_cluster is None:
        return os.environ["SCREENER_TEST_DATABASE_URL"]
    return pg_cluster.create_database(f"t{uuid.uuid4().hex[:8]}")


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty schema on the test server: a URL that puts a review there."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in pg_server else "?"
    return f"{pg_server}{sep}options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """Where a test's store lives: an SQLite file, then a PostgreSQL schema (the same tests run on both)."""
    if request.param == "sqlite":
        return tmp_path / "db.sqlite"
    return request.getfixturevalue("pg_url")



def screen_a_batch_from_its_bottom(project, n: int = 30, passed: int = 10, **session) -> list[int]:
    """A batch of ``n`` whose bottom ``n - passed`` are excluded and top ``passed`` left
    unscreened, then a new ranking stored: the top records are held as passed over. Returns the
    batch's ids in its order."""
    from screener.screening import ScreeningSession

    ids = [int(r) for r in ScreeningSession(project, **session).next_batch(n, explain=False)["record_id"]]
    for rid in ids[passed:]:
        project.decide(rid, "exclude")
    ScreeningSession(project, **session).ranking(refit=True)  # a new ranking stored
    return ids


@pytest.fixture
def passed_over():
    """``passed_over(project, ...)``: see ``screen_a_batch_from_its_bottom``."""
    return screen_a_batch_from_its_bottom
