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


def test_a_project_without_records_says_to_import_first(tmp_path):
    from screener.errors import ProjectError

    p = Project.init(tmp_path / "empty")
    s = ScreeningSession(p, embedding_model="none")
    for start in (s.prepare, s.ranking, lambda: s.next_batch(5)):
        with pytest.raises(ProjectError, match=r"no records yet: import your search results with 'screener import"):
            start()


def test_records_without_title_or_abstract_still_rank_and_say_so(tmp_path, toy_review):
    import pandas as pd

    bare = tmp_path / "bare.csv"
    pd.DataFrame({"record_id": [1, 2, 3], "title": ["", "", ""], "abstract": ["", "", ""],
                  "doi": ["10.1/a", "10.1/b", "10.1/c"]}).to_csv(bare, index=False)
    p = Project.init(tmp_path / "bare")
    p.import_files([bare])
    s = ScreeningSession(p, embedding_model="none")
    assert len(s.next_batch(5)) == 3 and not s.has_text
    first, second = (int(r) for r in p.records_frame().index[:2])
    p.decide(first, "include")
    p.decide(second, "exclude")
    assert len(ScreeningSession(p, embedding_model="none").next_batch(5)) == 1  # the model phase, no words
    texts = Project.init(tmp_path / "toy")
    texts.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
    assert ScreeningSession(texts, embedding_model="none").has_text


def test_a_blind_reviewers_queue_does_not_depend_on_how_the_others_decided(tmp_path, toy_review):
    """Studies the owner and another reviewer settled stay in the third reviewer's queue where they
    stood when first decided: scored by a model trained on their agreed decisions, the agreed
    includes came first and told him how the others decided."""
    from screener.project import Project

    csv = toy_review(tmp_path / "toy.csv", n=60, n_include=6)
    queues = []
    for label in ("include", "exclude"):
        with Project.init(tmp_path / label, settings={"mode": "dual", "embedding_model": "none"}) as p:
            p.import_files([csv], column_map={"label": None})
            top = [int(r) for r in ScreeningSession(p, embedding_model="none", reviewer="olga").ranking()["record_id"]]
            for who in ("olga", "ana"):
                for rid in top[:6]:
                    p.decide(rid, "exclude", reviewer=who)
                for rid in top[6:9]:  # the three the team's label differs on
                    p.decide(rid, label, reviewer=who)
            queue = ScreeningSession(p, embedding_model="none", reviewer="ben").ranking()
            assert set(top[:9]) <= set(queue["record_id"])  # ben still screens them
            order = queue["record_id"].tolist()
            queues.append([order.index(rid) for rid in top[:9]])  # where the settled studies stand
    # (the order of the unsettled ones may change: the model learns from agreed decisions, as
    # the README says; the settled studies' own places must not)
    assert queues[0] == queues[1]


def test_a_known_relevant_study_named_by_the_doi_of_its_duplicate_copy_comes_first(tmp_path, toy_review):
    """The protocol's DOI was looked for on each study's primary record only: a study whose kept
    copy (the one with the abstract) lacks the DOI its other copy has was not put first."""
    import pandas as pd

    df = pd.read_csv(toy_review(tmp_path / "toy.csv", n=30, n_include=3)).drop(columns=["label_included"])
    df.loc[7, "doi"] = None  # record 8: mice or dosage, no DOI; its copy below has the DOI and no abstract
    df.to_csv(tmp_path / "a.csv", index=False)
    df.iloc[[7]].assign(doi="10.5555/known", abstract="").to_csv(tmp_path / "b.csv", index=False)
    proto = tmp_path / "protocol.toml"
    proto.write_text('title = "Peer workers in harm reduction"\nknown_relevant = ["10.5555/known"]\n')
    p = Project.init(tmp_path / "r", protocol=proto)
    p.import_files([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert int(p._primary_of()[31]) == 8  # one study; its kept copy has no DOI
    batch = ScreeningSession(p, embedding_model="none").next_batch(3)
    assert batch["record_id"].iloc[0] == 8


def test_embedding_model_none_in_any_case_ranks_without_embeddings(tmp_path, toy_review):
    # the option check accepts 'None' and 'NONE' as 'none'; the session read them as a model's name
    # (the default ranker with embeddings, then "cannot load embedding model 'None'")
    from screener.rankers import default_ranker

    p = Project.init(tmp_path / "r")
    p.import_files([toy_review(tmp_path / "toy.csv", n=12, n_include=2)], column_map={"label": None})
    s = ScreeningSession(p, embedding_model="None")
    assert s.model == "none" and not s.use_embeddings and s.ranker_name == default_ranker(False)
    assert len(s.next_batch(3)) == 3 and s.embeddings is None
    p.set_setting("embedding_model", " NONE")
    s = ScreeningSession(Project.open(p.dir))
    assert not s.use_embeddings and s.ranker_name == default_ranker(False)


def test_the_same_exports_imported_in_another_order_rank_the_same(tmp_path, toy_review):
    """Record ids follow the import order, and ties and the random order before the first include
    were broken by record id: importing the update search before the first search showed the
    reviewer other records first, and a lexical protocol's ties (records with none of its words)
    came in another order. Now the order follows the records and the seed."""
    import pandas as pd

    full = pd.read_csv(toy_review(tmp_path / "all.csv", n=40, n_include=4)).drop(columns="label_included")
    a, b = tmp_path / "first_search.csv", tmp_path / "update_search.csv"
    full.iloc[:25].to_csv(a, index=False)
    full.iloc[25:].to_csv(b, index=False)
    protocol = tmp_path / "protocol.txt"
    protocol.write_text("# Question\nPeer workers in harm reduction\n")

    def batches(files, name):
        p = Project.init(tmp_path / name)
        p.import_files(files)
        out = [ScreeningSession(p, embedding_model="none").next_batch(40, explain=False)["doi"].tolist()]
        p.set_protocol(protocol)
        out.append(ScreeningSession(p, embedding_model="none").next_batch(40, explain=False)["doi"].tolist())
        return out

    ab, ba = batches([a, b], "ab"), batches([b, a], "ba")
    assert ab == ba and ab == batches([a, b], "ab_again")
    assert ab[0] != full["doi"].tolist()[:40]  # still a random start, not the import order


def test_a_protocol_whose_words_no_record_holds_is_a_random_start_and_says_so(tmp_path, toy_review):
    """Ranked without embeddings, a protocol none of whose words occur in the records (another topic,
    another language) scores every record 0: 'next' showed a '(protocol ranking)', each record 'no
    strong reason: few terms in common with the protocol', and 'status' read that random order as a
    ranking's best (5 includes in the first 60 of a 254-record review read as 'recall 56%, about 4
    left', 10 left). It is the random start it is, and says why."""
    import pandas as pd

    from screener.status import recall_status

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=40)
    truth = dict(zip(pd.read_csv(csv)["record_id"], pd.read_csv(csv)["label_included"]))
    proto = tmp_path / "protocol.txt"
    proto.write_text("Question: How do astronauts cope with microgravity aboard spacecraft?\n"
                     "Key terms: astronaut, spaceflight\n", encoding="utf-8")
    p = Project.init(tmp_path / "r", protocol=proto)
    p.import_files([csv], column_map={"label": None})
    s = ScreeningSession(p, embedding_model="none")
    batch = s.next_batch(10)
    assert s.last_rank_info["phase"] == "random" and s.protocol_unmatched
    assert batch["reason"].str.contains("random order: none of the records holds a word of the protocol").all()
    for rid in batch["record_id"]:
        p.decide(int(rid), "include" if truth[int(rid)] else "exclude")
    st = recall_status(p)
    assert "read as a random sample" in st["estimates"]["score_sample"].note
    # a protocol the records do match ranks from it, as before
    proto.write_text("Question: peer workers in harm reduction\n", encoding="utf-8")
    p.set_protocol(proto)
    s = ScreeningSession(p, embedding_model="none")
    s.next_batch(5)
    assert s.last_rank_info["phase"] == "model" and not s.protocol_unmatched


def test_the_random_start_shows_the_order_it_stored_batch_after_batch(tmp_path, toy_review):
    """Before the first include (no protocol) the random order was drawn again at every decision but
    stored once: the second batch was no part of the top of the stored order, so 'status' read its
    records as picked far below the top and the stored order's next ten as passed over ('10 records
    that a ranking put before records you screened from it are still unscreened: screen them
    first'), after a reviewer had screened exactly the batches 'next' gave."""
    from screener.status import ranking_provenance

    csv = toy_review(tmp_path / "toy.csv", n=200, n_include=2)
    p = Project.init(tmp_path / "r")
    p.import_files([csv], column_map={"label": None})
    s = ScreeningSession(p, embedding_model="none")
    first = s.next_batch(10, explain=False)
    assert s.last_rank_info["phase"] == "random"
    stored = [int(r) for r in p.store.ranking_order(int(p.store.latest_ranking_id()))]
    assert [int(r) for r in first["record_id"]] == stored[:10]
    for rid in first["record_id"]:
        p.decide(int(rid), "exclude")
    second = s.next_batch(10, explain=False)
    assert s.last_rank_info["phase"] == "random"
    assert [int(r) for r in second["record_id"]] == stored[10:20]  # the stored order, less the records screened
    for rid in second["record_id"]:
        p.decide(int(rid), "exclude")
    prov = ranking_provenance(p, p.current_decisions(), p.store.duplicate_ids())
    assert len(prov.skipped) == 0 and set(prov.why) == {"random"}


def test_a_maybe_trains_the_queue_as_an_include_does(tmp_path, toy_review):
    """A reviewer who marked the first relevant record maybe got the random order still (the ranking
    learned only from includes and excludes), while the recall estimate counted the maybe as found."""
    import pandas as pd

    csv = toy_review(tmp_path / "toy.csv", n=40, n_include=4)
    truth = pd.read_csv(csv).set_index("record_id")["label_included"]
    queues, info = {}, {}
    for word in ("include", "maybe"):
        with Project.init(tmp_path / word, settings={"embedding_model": "none"}) as p:
            p.import_files([csv], column_map={"label": None})
            ids = p.records_frame()["source_ref"].astype(int)
            relevant = int(ids.index[ids.map(truth) == 1][0])
            p.decide(relevant, word)
            for rid in ids.index[ids.map(truth) == 0][:3]:
                p.decide(int(rid), "exclude")
            s = ScreeningSession(p, embedding_model="none")
            queues[word] = s.ranking()["record_id"].tolist()
            info[word] = s.last_rank_info
    assert info["maybe"]["n_includes"] == 1 and info["maybe"]["phase"] == info["include"]["phase"] != "random"
    assert queues["maybe"] == queues["include"]


def test_a_record_like_a_maybe_says_so_not_like_an_included_one(tmp_path, toy_review):
    """The ranking learns a maybe as an include: the record it resembles is named as marked maybe, not as
    'like included record 3', which the reviewer never included."""
    import pandas as pd

    csv = toy_review(tmp_path / "toy.csv", n=40, n_include=8)
    truth = pd.read_csv(csv).set_index("record_id")["label_included"]
    with Project.init(tmp_path / "r", settings={"embedding_model": "none"}) as p:
        p.import_files([csv], column_map={"label": None})
        ids = p.records_frame()["source_ref"].astype(int)
        relevant = [int(r) for r in ids.index[ids.map(truth) == 1]]
        maybe, include = relevant[:2]
        p.decide(maybe, "maybe")
        p.decide(include, "include")
        for rid in ids.index[ids.map(truth) == 0][:3]:
            p.decide(int(rid), "exclude")
        s = ScreeningSession(p, embedding_model="none")
        said = {int(r): s.explain(int(r)) for r in s.ranking()["record_id"]}
        like = {r: s.explainer.similar_include(int(s.row_of[r])) for r in said}
        like = {r: sim["id"] if sim["similarity"] > 0 else None for r, sim in like.items()}
    assert maybe in like.values() and include in like.values()
    for r, text in said.items():
        assert (f"like record {maybe} (marked maybe)" in text) == (like[r] == maybe), text
        assert (f"like included record {include}" in text) == (like[r] == include), text
