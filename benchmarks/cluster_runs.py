"""``run.py --cluster``: the benchmark's (system, dataset, seed) runs as tasks on a Dask cluster.

Each task is ``run.run_one`` with the arguments a local worker would get, imported on the worker
from this folder, so it saves its run file exactly where a local run would (under a temporary
name, then renamed: a task that Dask runs again after its worker died writes the same file
again). The workers must see the results, cache and shared folders at the same paths (this
machine, or a shared file system); a run file the worker saved but this machine cannot see is
reported as a failure rather than counted.
"""

from __future__ import annotations

from pathlib import Path

RUN_PY = Path(__file__).resolve().parent / "run.py"


def run_on_cluster(address: str, job_args: list[tuple], log, run_path):
    """Yield run_one's report for each job as the cluster finishes it (``run_path``: run.py's)."""
    from screener.cluster import connect, map_by_path
    from screener.records import counted

    client = connect(address)
    try:
        log(f"running on the Dask cluster at {address} ({counted(len(client.nthreads()), 'worker')})")
        for args, r in map_by_path(client, str(RUN_PY), "run_one", job_args, module_name="screener_benchmark_run"):
            system, dataset, seed, results = args[:4]
            if r.get("ok") and not run_path(Path(results), system, dataset, seed).exists():
                r = {**r, "ok": False, "error": f"the worker saved the run where this machine cannot see it "
                                                f"({results}): give the workers a shared file system",
                     "traceback": ""}
            yield r
    finally:
        client.close()
