"""The screening session with the real embedding model: cold start from the protocol, cache reuse."""

import numpy as np
import pytest

from screener.features.embeddings import EmbeddingCache, model_key, text_hash
from screener.project import Project
from screener.screening import ScreeningSession


@pytest.mark.slow
def test_protocol_cold_start_with_embeddings_and_cache(tmp_path, toy_review):
    csv = toy_review(tmp_path / "toy.csv", n=24, n_include=3)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers with lived experience in harm reduction"\n'
                     'key_terms = ["peer worker", "lived experience"]\n')
    p = Project.init(tmp_path / "r", protocol=proto)
    p.import_files([csv], column_map={"label": None})
    s = ScreeningSession(p)
    batch = s.next_batch(5)
    from screener.rankers import RANKER_FEATURES

    assert s.X.kind == RANKER_FEATURES[s.ranker_name] and s.embeddings is not None and s.embeddings.shape[0] == 24
    assert batch["title"].head(3).str.contains("peer|lived|harm|qualitative").all()
    assert EmbeddingCache(p.db_path).count() >= 24
    # plant a marker vector for the first record: a second session must read it back, not recompute
    cache = EmbeddingCache(p.db_path)
    marker = np.zeros((1, s.embeddings.shape[1]), dtype=np.float32)
    marker[0, 0] = 1.0
    cache.put(model_key("default"), [text_hash(s.texts[0])], marker)
    again = ScreeningSession(Project.open(p.dir))
    again.next_batch(5)
    assert again.embeddings[0, 0] == 1.0 and abs(again.embeddings[0]).sum() == 1.0
    assert (again.embeddings[1:] == s.embeddings[1:]).all()
