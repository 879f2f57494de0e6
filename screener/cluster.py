"""Work spread over a Dask cluster: embedding a project's records, benchmark runs.

Dask distributed does the scheduling, the retries of tasks whose worker died, and the moving
of data; screener only cuts the work into tasks and collects what comes back. Two rules keep a
cluster run equal to a local one:

* a task computes and returns; it never writes to the review. Embedding chunks come back to
  the process that asked for them and are stored there, keyed by (model key, text hash), so a
  task that runs twice (its worker was killed, Dask ran it again) writes the same rows again:
  nothing is lost and nothing is stored twice;
* a task gets exactly the inputs the local code would use (the same length-sorted chunks, the
  same seeds), so the results are the same up to float rounding (embeddings) or bit for bit
  (simulations).

Start a cluster with ``dask scheduler`` on one machine and ``dask worker tcp://HOST:8786
--nthreads 1 --nworkers N`` on each (see the README); give its address to ``--cluster``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from screener.errors import ScreenerError


def connect(address: str, timeout: float = 20):
    """A client of the Dask scheduler at ``address`` (``tcp://host:8786``), or a plain message."""
    try:
        from distributed import Client
    except ImportError:
        raise ScreenerError("--cluster needs Dask distributed: pip install \"dask[distributed]\"") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as e:
        raise ScreenerError(f"cannot reach the Dask scheduler at {address!r} ({type(e).__name__}: {e}). Start one "
                            "with 'dask scheduler' and workers with 'dask worker ADDRESS', then give the "
                            "address it prints (tcp://HOST:8786)") from None


def _in_flight(client) -> int:
    """How many tasks to keep submitted: enough to keep every worker thread busy, few enough that
    the texts of a very large project are not all held by the scheduler at once."""
    try:
        threads = sum(client.nthreads().values())
    except Exception:  # noqa: BLE001 - an estimate is enough
        threads = 0
    return max(4, 3 * threads)


def _bounded(client, fn, items: Sequence, make_args, key_of) -> Iterator[tuple[object, object]]:
    """(item, result) as tasks finish, with at most ``_in_flight`` submitted at a time.

    Dask runs a task again when its worker dies (``distributed.scheduler.allowed-failures``),
    and each future here is read once, so each item's result arrives exactly once."""
    from distributed import as_completed

    it = iter(items)
    pending: dict = {}  # future -> item; holding the future keeps its result on the cluster
    ac = as_completed()

    def submit_next() -> None:
        for item in it:
            fut = client.submit(fn, *make_args(item), key=key_of(item), pure=False)
            pending[fut] = item
            ac.add(fut)
            return

    for _ in range(_in_flight(client)):
        submit_next()
    try:
        for fut in ac:
            item = pending.pop(fut)
            try:
                result = fut.result()
            except Exception as e:  # noqa: BLE001 - said in the reviewer's terms below
                raise ScreenerError(f"a task failed on the cluster ({type(e).__name__}: {e}); everything "
                                    "finished before it is kept: run the same command again to go on") from None
            fut.release()
            yield item, result
            submit_next()
    finally:
        for fut in pending:
            fut.cancel()


# --------------------------------------------------------------------------- embeddings


def _embed_chunk(texts: list[str], model: str, max_seq_length, quantize, device: str, batch_size: int) -> np.ndarray:
    """Runs on a worker: the vectors of one chunk (the model is loaded once per worker process)."""
    from screener.features.embeddings import _encode, load_model, resolve_device, use_int8

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    dev = resolve_device(device, use_int8(model, quantize))
    m = load_model(model, max_seq_length=max_seq_length, device=dev, quantize=quantize)
    try:  # as many torch threads as the worker has task threads, not every core of the machine
        import torch
        from distributed import get_worker

        torch.set_num_threads(max(1, int(get_worker().state.nthreads)))
    except (ImportError, ValueError, AttributeError):
        pass
    return _encode(m, texts, batch_size)


def embed_chunks(client, chunks: Sequence[tuple[list[str], list[str]]], *, model: str, max_seq_length, quantize,
                 device: str, batch_size: int) -> Iterator[tuple[list[str], np.ndarray]]:
    """(hashes, vectors) per chunk of (hashes, texts), in the order the workers finish them.

    Each chunk is one task, named after its model key and first text hash: a retried task
    returns the same vectors for the same hashes."""
    from screener.features.embeddings import model_key

    key = model_key(model, max_seq_length, quantize)
    for (hs, _), vecs in _bounded(
            client, _embed_chunk, chunks,
            make_args=lambda c: (c[1], model, max_seq_length, quantize, device, batch_size),
            key_of=lambda c: f"screener-embed-{key}-{c[0][0][:16]}-{len(c[0])}"):
        yield hs, np.asarray(vecs, dtype=np.float32)


def embed_project(project, client=None, *, model: str | None = None, device: str = "cpu",
                  progress: bool = True, chunk_size: int = 256) -> dict:
    """Embed a project's records (those the ranking reads) into its own cache; what was done."""
    from screener.features.embeddings import EmbeddingCache, embed_texts, model_key, no_model
    from screener.records import record_text

    model = model or project.settings.get("embedding_model") or "default"
    if no_model(model):
        raise ScreenerError("this project ranks without embeddings (embedding model 'none'): nothing to embed")
    records = project.records_frame()
    texts = [record_text(t, a) for t, a in zip(records["title"], records["abstract"])]
    cache = EmbeddingCache(project.cache_path, own_file=project.store.shared)
    embed_texts(texts, model=model, cache=cache, progress=progress, device=device, client=client,
                chunk_size=chunk_size)
    return {"records": len(texts), "computed": cache.misses, "cached": cache.hits, "key": model_key(model)}


# --------------------------------------------------------------------------- benchmark runs


def _call_by_path(path: str, module_name: str, function: str, args: tuple):
    """Runs on a worker: ``function(*args)`` from the file at ``path`` (imported once per process)."""
    import importlib.util
    import sys

    mod = sys.modules.get(module_name)
    if mod is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ScreenerError(f"{path}: the worker cannot read it (do the workers see the same files?)")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = mod
        spec.loader.exec_module(mod)
    return getattr(mod, function)(*args)


def map_by_path(client, path: str, function: str, arg_tuples: Iterable[tuple],
                module_name: str = "screener_cluster_job") -> Iterator[tuple[tuple, object]]:
    """(args, result) of ``function(*args)`` from the Python file ``path``, one task per tuple,
    as they finish. The workers must see ``path`` (one machine, or a shared file system)."""
    items = list(arg_tuples)
    for args, result in _bounded(client, _call_by_path, items,
                                 make_args=lambda a: (str(path), module_name, function, tuple(a)),
                                 key_of=lambda a: f"{module_name}-{function}-" + "-".join(map(str, a[:3]))):
        yield args, result
