import numpy as np

from screener.explain import Explainer, explain, highlight_terms
from screener.features import build_features
from screener.protocol import Protocol, protocol_scores
from screener.queue import Prioritizer

TEXTS = [
    "Peer workers in harm reduction services: a qualitative study",          # 0 include
    "Bone fracture healing in mice",                                          # 1 exclude
    "Peer workers and naloxone distribution in harm reduction programmes",   # 2 unlabelled, like 0
    "Cardiac surgery outcomes in older adults",                               # 3 exclude
    "Kidney enzyme activity after surgery",                                   # 4 unlabelled
    "Lived experience of peer support workers in drug treatment",             # 5 include
]
TITLES = [t.split(":")[0] for t in TEXTS]


def test_model_phase_names_terms_and_similar_include():
    X = build_features(TEXTS, "tfidf")
    p = Prioritizer("logreg-tfidf")
    p.rank(X, [0, 1, 3, 5], [1, 0, 0, 1])
    e = explain(p, X, 2, titles=TITLES, ids=[f"r{i}" for i in range(6)])
    assert e["phase"] == "model"
    assert e["terms"] and set(e["terms"]) & {"peer", "peer workers", "harm reduction", "harm", "workers"}
    assert all(w > 0 for _, w in e["term_pushes"])
    assert e["similar_include"]["row"] == 0 and e["similar_include"]["id"] == "r0"
    assert e["text"].startswith("terms: ") and "like included record r0: 'Peer workers in harm reduction services'" in e["text"]
    # the exclude-like record gets no include terms
    assert not set(explain(p, X, 4)["terms"]) & {"peer", "harm reduction"}


def test_cold_start_explains_with_protocol_terms_and_highlights():
    X = build_features(TEXTS, "tfidf")
    proto = Protocol(title="Peer workers in harm reduction", key_terms=["naloxone"])
    p = Prioritizer()
    r = p.rank(X, [], [], protocol_scores=protocol_scores(proto, TEXTS))
    assert r.phase == "protocol" and r.order[0] in (0, 2)
    ex = Explainer(p, X, protocol=proto, texts=TEXTS)
    e = ex.explain(2)
    assert e["text"].startswith("protocol terms: ") and "naloxone" in e["terms"]
    assert e["similar_include"] is None
    hl = ex.highlight_terms(2)
    assert "naloxone" in hl and "harm reduction" in hl
    assert "naloxone" not in ex.highlight_terms(0)  # protocol term absent from this record
    # without the texts the key terms are offered as they are; no protocol word is in record 4
    assert highlight_terms(p, X, 4, protocol=proto) == ["naloxone"]


def test_random_phase_says_so():
    X = build_features(TEXTS, "tfidf")
    p = Prioritizer()
    p.rank(X, [], [])
    e = explain(p, X, 1)
    assert e["terms"] == [] and "random order" in e["text"]


def test_embedding_ranker_falls_back_to_include_terms_and_dense_similarity():
    dense = np.random.default_rng(0).normal(size=(6, 8)).astype(np.float32)
    dense[2] = dense[5] + 0.01  # record 2 is nearly the same as include 5 in embedding space
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    X = build_features(TEXTS, "both", embeddings=dense)
    p = Prioritizer("logreg-embed")
    p.rank(X, [0, 1, 3, 5], [1, 0, 0, 1])
    e = explain(p, X, 2)
    assert e["similar_include"]["row"] == 5 and e["similar_include"]["similarity"] > 0.99
    assert "peer workers" in e["terms"] or "peer" in e["terms"]
    # the words are the includes', not the model's: said so, not offered as what ranked the record
    assert e["text"].startswith("ranked by meaning (sentence embeddings); terms in common with the includes: ")
    assert Explainer(p, X).explain(2, blind=True)["text"].startswith("terms: ")  # blind: the same words in every phase


def test_cold_start_names_the_protocol_words_the_ranking_used_in_the_records_own_spelling():
    """The protocol's match ignores words every review uses (review, studies, systematic): the
    explanation named them as the reason a knee-surgery review ranked high, and told a record
    with no protocol word that it had few terms 'in common with the includes' before any include."""
    texts = ["A systematic review of studies of knee surgery in adults",
             "Quitting smoking: cessation therapies for smokers",
             "Asthma inhalers for children"]
    proto = Protocol(title="A systematic review of studies on quitting smoking in adults",
                     inclusion=["cessation therapy"], exclusion=["children"])
    X = build_features(texts, "tfidf")
    p = Prioritizer()
    p.rank(X, [], [], protocol_scores=protocol_scores(proto, texts))
    ex = Explainer(p, X, protocol=proto, texts=texts)
    e = ex.explain(0)
    assert e["terms"] == ["adults"] and e["text"] == "protocol terms: adults"
    assert set(ex.explain(1)["terms"]) == {"quitting smoking", "cessation therapies"}
    assert "cessation therapies" in ex.highlight_terms(1)
    assert ex.explain(2)["text"] == "no strong reason: few terms in common with the protocol"


def test_a_record_ranked_by_meaning_is_not_said_to_rank_for_few_terms_in_common():
    """A record the embeddings ranked first, sharing no word with the includes, read 'no strong
    reason: few terms in common with the includes' (blind, or when no include is alike): the
    reason it ranked was its meaning, not its words."""
    texts = ["Peer workers in harm reduction services: a qualitative study",  # include
             "Bone fracture healing in mice",
             "Lay supporters for people who inject substances",  # no word of an include, close in meaning
             "Cardiac surgery outcomes in older adults",
             "Kidney enzyme activity after surgery",
             "Lived experience of peer support workers in drug treatment"]  # include
    dense = np.random.default_rng(0).normal(size=(6, 8)).astype(np.float32)
    dense[2] = dense[0] + 0.01
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    X = build_features(texts, "both", embeddings=dense)
    for ranker, said in (("svm-embed", "ranked by meaning (sentence embeddings)"),
                         ("learned-fusion-svm-p3-c047", "ranked by meaning too (sentence embeddings)")):
        p = Prioritizer(ranker)
        assert p.rank(X, [0, 1, 3, 5], [1, 0, 0, 1]).order[0] == 2
        text = Explainer(p, X).explain(2, blind=True)["text"]
        assert "few terms in common" not in text and said in text, (ranker, text)
    # a TF-IDF ranker still says so: its ranking is the words
    p = Prioritizer("logreg-tfidf")
    p.rank(X, [0, 1, 3, 5], [1, 0, 0, 1])
    assert Explainer(p, X).explain(2, blind=True)["text"] == "no strong reason: few terms in common with the includes"
    # blind: the same words before any include (the project's ranker reads embeddings)
    p = Prioritizer("svm-embed")
    p.rank(X, [], [])
    assert "ranked by meaning (sentence embeddings)" in Explainer(p, X).explain(2, blind=True)["text"]


INFORMATIVE_TEXTS = [
    "HIV PrEP uptake around 2019 among 2SLGBTQ men: COVID-19 survey 001",   # 0 include
    "Bone fracture healing in mice",                                           # 1 exclude
    "PrEP and HIV testing around 2019 for 2SLGBTQ people during COVID-19, 001",  # 2 unlabelled, like 0
    "Cardiac surgery outcomes in older adults",                                # 3 exclude
    "HIV PrEP use around 2019 in 2SLGBTQ youth after COVID-19 lockdowns 001",  # 4 include
]


def _numbers_or_function_words(term):
    return all(w.isdigit() or w in ("around", "among", "and", "for", "during", "in") for w in term.split())


def test_explanations_name_no_bare_numbers_or_function_words_and_leave_the_ranking_alone():
    """A record was ranked high "for" 2019, 001 and "around 2019": a reviewer read noise as the
    reasons. Only words that tell something are named (HIV, PrEP, COVID-19, 2SLGBTQ); the ranking
    (order and scores) is the same with or without explaining it."""
    X = build_features(INFORMATIVE_TEXTS, "tfidf")
    p = Prioritizer("logreg-tfidf")
    before = p.rank(X, [0, 1, 3, 4], [1, 0, 0, 1])
    ex = Explainer(p, X)
    terms = ex.explain(2, k=50)["terms"] + ex.highlight_terms(2, k=50)
    assert {"hiv", "prep", "2slgbtq", "covid 19"} <= set(terms)
    assert not [t for t in terms if _numbers_or_function_words(t)]
    after = p.rank(X, [0, 1, 3, 4], [1, 0, 0, 1])
    assert np.asarray(after.order).tobytes() == np.asarray(before.order).tobytes()
    assert np.asarray(after.scores).tobytes() == np.asarray(before.scores).tobytes()


def test_cold_start_names_no_bare_numbers_or_function_words_of_the_protocol():
    proto = Protocol(title="HIV PrEP around 2019 in 2SLGBTQ people during COVID-19")
    p = Prioritizer()
    X = build_features(INFORMATIVE_TEXTS, "tfidf")
    p.rank(X, [], [], protocol_scores=protocol_scores(proto, INFORMATIVE_TEXTS))
    terms = Explainer(p, X, protocol=proto, texts=INFORMATIVE_TEXTS).explain(2, k=50)["terms"]
    assert {"hiv", "prep", "2slgbtq"} <= {w.lower() for t in terms for w in t.split()}
    assert not [t for t in terms if _numbers_or_function_words(t.lower())]
