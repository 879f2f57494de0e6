import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.features import build_features
from screener.protocol import Protocol, protocol_scores
from screener.queue import Prioritizer, RetrainSchedule, query_order

INC = ["peer", "worker", "harm", "reduction", "lived", "experience", "support", "naloxone"]
EXC = ["cardiac", "surgery", "mouse", "tumour", "protein", "enzyme", "bone", "fracture", "kidney"]
COMMON = ["study", "results", "methods", "patients", "outcomes", "data"]


def synthetic(n=150, n_inc=8, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_inc, replace=False)] = 1
    texts = [" ".join(rng.choice(INC if lab else EXC, 5)) + " " + " ".join(rng.choice(COMMON, 15)) for lab in y]
    return texts, build_features(texts, "tfidf"), y


# --- schedule ---------------------------------------------------------------------------
def test_schedule_every_decision_early_then_growing_batches():
    s = RetrainSchedule(every_until=100, growth=0.05)
    assert s.due(5, 1) and s.due(99, 1)
    assert not s.due(50, 0)  # nothing new: nothing to learn
    assert not s.due(200, 9) and s.due(200, 10)  # 5% of 200
    assert not s.due(2000, 99) and s.due(2000, 100)
    assert RetrainSchedule(every_until=0, growth=0.0).due(10_000, 1)  # max(1, ...)
    assert s.to_dict() == {"every_until": 100, "growth": 0.05, "after_include": False, "after_include_until": 0}


def test_schedule_after_include_refits_on_a_new_include_only():
    s = RetrainSchedule(every_until=20, growth=0.10, after_include=True)
    assert s.due(15, 1)  # below every_until: every decision
    assert not s.due(200, 3, 0) and s.due(200, 3, 1)  # 3 new excludes wait; one new include does not
    assert s.due(200, 20, 0)  # 10% of 200
    assert not RetrainSchedule(every_until=20, growth=0.10).due(200, 3, 1)  # off: the include waits too
    capped = RetrainSchedule(every_until=20, growth=0.10, after_include=True, after_include_until=20)
    assert capped.due(200, 3, 1, n_includes=20)  # the 20th include still refits at once
    assert not capped.due(200, 3, 1, n_includes=21) and capped.due(200, 20, 1, n_includes=21)  # then growth only
    assert capped.due(15, 1, 0, n_includes=30)  # below every_until: every decision, as before


def test_a_ranker_brings_its_own_schedule_unless_one_is_given():
    from screener.rankers import DEFAULT_RANKER, RANKER_SCHEDULES
    from screener.simulate import resolve_config

    assert Prioritizer("logreg-tfidf").schedule == RetrainSchedule()
    own = RetrainSchedule(**RANKER_SCHEDULES[DEFAULT_RANKER])
    assert Prioritizer(DEFAULT_RANKER).schedule == own and own.after_include
    assert Prioritizer(DEFAULT_RANKER, schedule=RetrainSchedule(every_until=5)).schedule.every_until == 5
    # simulations and benchmarks measure the schedule users get; an explicit one still wins
    assert resolve_config("default")["schedule"] == own.to_dict()
    assert resolve_config({"schedule": {"every_until": 7}})["schedule"]["every_until"] == 7
    assert resolve_config("lexical")["schedule"] == RetrainSchedule().to_dict()


def test_prioritizer_follows_the_schedule():
    texts, X, y = synthetic(n=300, n_inc=20)
    p = Prioritizer("logreg-tfidf", schedule=RetrainSchedule(every_until=10, growth=0.3))
    lab = list(np.flatnonzero(y == 1)[:2]) + list(np.flatnonzero(y == 0)[:8])
    r = p.rank(X, lab, y[lab])
    assert r.refitted and r.phase == "model"
    lab.append(int(r.order[0]))
    r2 = p.rank(X, lab, y[lab])  # 11 labelled, 1 new < 30% of 11: reuse the fitted model
    assert not r2.refitted and lab[-1] not in r2.order
    lab += [int(i) for i in r2.order[:5]]
    assert p.rank(X, lab, y[lab]).refitted  # 16 labelled, 6 new >= 30% of 16
    assert p.rank(X, lab, y[lab], refit=True).refitted


def test_scores_kept_between_refits_are_the_models_scores():
    texts, X, y = synthetic(n=300, n_inc=20)
    p = Prioritizer("logreg-tfidf", schedule=RetrainSchedule(every_until=10, growth=0.5))
    lab = list(np.flatnonzero(y == 1)[:2]) + list(np.flatnonzero(y == 0)[:8])
    first = p.rank(X, lab, y[lab])
    model = p.ranker_
    lab += [int(i) for i in first.order[:3]]
    again = p.rank(X, lab, y[lab])  # no refit: the kept scores, less the newly labelled rows
    assert not again.refitted and p.ranker_ is model
    assert np.array_equal(again.scores, model.scores(X)[again.order])
    X2 = build_features(texts[::-1], "tfidf")  # other features, same model: scored afresh
    other = p.rank(X2, lab, y[lab], refit=False)
    assert np.array_equal(other.scores, model.scores(X2)[other.order])
    refit = p.rank(X, lab, y[lab], refit=True)  # a new model: new scores
    assert p.ranker_ is not model and np.array_equal(refit.scores, p.ranker_.scores(X)[refit.order])


def test_new_includes_since_the_last_fit_are_counted():
    texts, X, y = synthetic(n=300, n_inc=20)
    p = Prioritizer("logreg-tfidf", schedule=RetrainSchedule(every_until=10, growth=0.5, after_include=True))
    inc, exc = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    lab = [int(inc[0])] + [int(i) for i in exc[:11]]
    assert p.rank(X, lab, y[lab]).refitted
    lab2 = lab + [int(i) for i in exc[11:13]]
    assert p._new_since_fit(np.array(lab2), y[lab2]) == (2, 0)
    assert not p.rank(X, lab2, y[lab2]).refitted  # two excludes: wait for 50% growth
    lab3 = lab2 + [int(inc[1])]
    assert p._new_since_fit(np.array(lab3), y[lab3]) == (3, 1)
    assert p.rank(X, lab3, y[lab3]).refitted  # a new include: refit at once
    flipped = y[lab3].copy()
    flipped[1] = 1  # a decision changed from exclude to include counts as a new include
    assert p._new_since_fit(np.array(lab3), flipped) == (1, 1)
    assert p.fitted_on(np.array(lab3), y[lab3]) and not p.fitted_on(np.array(lab3), flipped)
    assert not p.fitted_on(np.array(lab2), y[lab2])  # the fit was on lab3


# --- phases -----------------------------------------------------------------------------
def test_no_labels_no_protocol_is_seeded_random_order():
    texts, X, y = synthetic()
    a = Prioritizer(random_state=1).rank(X, [], [])
    b = Prioritizer(random_state=1).rank(X, [], [])
    c = Prioritizer(random_state=2).rank(X, [], [])
    assert a.phase == "random"
    assert np.array_equal(a.order, b.order) and not np.array_equal(a.order, c.order)
    assert sorted(a.order) == list(range(X.n_rows))  # every record, once


def test_cold_start_ranks_protocol_match_first():
    texts, X, y = synthetic()
    texts = list(texts)
    texts[17] = "Peer workers with lived experience in harm reduction naloxone programmes"
    X = build_features(texts, "tfidf")
    proto = Protocol(title="Peer workers in harm reduction", key_terms=["naloxone", "lived experience"])
    ps = protocol_scores(proto, texts)
    r = Prioritizer().rank(X, [3], [0], protocol_scores=ps)  # one exclude, no include yet
    assert r.phase == "protocol" and r.order[0] == 17 and 3 not in r.order
    assert r.protocol_weight == 0.0


def test_includes_only_uses_similarity_then_model():
    texts, X, y = synthetic()
    inc = np.flatnonzero(y == 1)
    p = Prioritizer()
    r = p.rank(X, inc[:2], [1, 1])
    assert r.phase == "similarity"
    assert set(r.order[: len(inc) - 2]) == set(inc[2:])
    exc = np.flatnonzero(y == 0)[:3]
    r2 = p.rank(X, np.concatenate([inc[:2], exc]), [1, 1, 0, 0, 0])
    assert r2.phase == "model" and set(r2.order[: len(inc) - 2]) == set(inc[2:])
    assert len(r2.order) == X.n_rows - 5 and len(r2.scores) == len(r2.order)
    assert np.all(np.diff(r2.scores) <= 0)  # "max": best first


def test_protocol_weight_decays_and_drops_when_unhelpful():
    texts, X, y = synthetic(n=200, n_inc=12)
    proto = Protocol(title="peer worker harm reduction")
    good = protocol_scores(proto, texts)
    bad = -good
    inc, exc = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    p = Prioritizer(protocol_weight=1.0, protocol_halflife=5, protocol_gate=True)
    lab1 = np.concatenate([inc[:1], exc[:5]])
    lab8 = np.concatenate([inc[:8], exc[:5]])
    w1 = p.rank(X, lab1, y[lab1], protocol_scores=good).protocol_weight
    w8 = p.rank(X, lab8, y[lab8], protocol_scores=good).protocol_weight
    assert 0 < w8 < w1
    assert p.rank(X, lab8, y[lab8], protocol_scores=bad).protocol_weight == 0.0


def test_protocol_row_is_a_pseudo_include():
    texts, X, y = synthetic()
    proto = Protocol(title="peer worker harm reduction")
    row = X.transform_text([proto.text()])
    p = Prioritizer(protocol_pseudo=True)
    lab = np.concatenate([np.flatnonzero(y == 1)[:1], np.flatnonzero(y == 0)[:5]])
    p.rank(X, lab, y[lab], protocol_row=row)
    assert p.ranker_.scores(row)[0] > 0  # trained on it as an include


# --- strategies and determinism -----------------------------------------------------------
@pytest.mark.parametrize("strategy", ["max", "uncertainty", "mixed", "random"])
def test_same_seed_same_ranking(strategy):
    texts, X, y = synthetic()
    lab = np.concatenate([np.flatnonzero(y == 1)[:2], np.flatnonzero(y == 0)[:10]])
    a = Prioritizer(strategy=strategy, random_state=4).rank(X, lab, y[lab])
    b = Prioritizer(strategy=strategy, random_state=4).rank(X, lab, y[lab])
    assert np.array_equal(a.order, b.order) and np.array_equal(a.scores, b.scores)
    assert sorted(a.order) == sorted(set(range(X.n_rows)) - set(lab.tolist()))
    if strategy in ("mixed", "random"):
        c = Prioritizer(strategy=strategy, random_state=5).rank(X, lab, y[lab])
        assert not np.array_equal(a.order, c.order)
    assert a.settings["strategy"] == strategy and a.settings["random_state"] == 4


def test_query_order_strategies():
    scores = np.array([0.9, 0.1, 0.5, 0.7, 0.3])
    margins = np.abs(scores - 0.5)
    assert list(query_order(scores, "max")) == [0, 3, 2, 4, 1]
    assert list(query_order(scores, "uncertainty", margins=margins))[0] == 2
    mixed = query_order(np.linspace(1, 0, 500), "mixed", 0, margins=np.abs(np.linspace(1, 0, 500) - 0.5),
                        mix=(0.8, 0.1, 0.1))
    assert sorted(mixed) == list(range(500))
    front = mixed[:100]
    assert 60 <= np.sum(front < 100) < 100  # mostly the top, with some exploration
    assert list(query_order(scores, "mixed", 0, margins=margins, mix=(1, 0, 0))) == [0, 3, 2, 4, 1]
    with pytest.raises(ScreenerError, match="unknown query strategy"):
        query_order(scores, "greedy")


def test_mixed_says_which_picks_were_not_the_likeliest_include_left():
    """Its uncertain and random picks are no ranking's best (``screener.status`` reads them apart),
    one by one: the rest of its queue is the ranking by likelihood, in its order."""
    from screener.queue import query_picks

    s = np.linspace(1, 0, 500)
    order, off = query_picks(s, "mixed", 0, margins=np.abs(s - 0.5), step=7)
    assert list(order) == list(query_order(s, "mixed", 0, margins=np.abs(s - 0.5), step=7))
    assert off.dtype == bool and len(off) == 500 and 10 <= off[:100].sum() <= 40  # about a fifth
    likeliest = order[~off]
    assert list(likeliest) == sorted(likeliest)  # the others: the best-scored records left, best first
    for k in np.flatnonzero(off)[:20]:  # each one passed over a better-scored record not picked yet
        assert order[k] > min(set(range(500)) - set(order[:k].tolist()))
    picks_of_max = query_picks(s, "mixed", 0, margins=np.abs(s - 0.5), mix=(1, 0, 0))[1]
    assert not picks_of_max.any()
    assert query_picks(s, "max")[1] is None and query_picks(s, "uncertainty", margins=np.abs(s - 0.5))[1] is None


def test_settings_are_json_serialisable():
    import json

    s = Prioritizer("fusion", strategy="mixed", random_state=3).settings()
    again = json.loads(json.dumps(s))
    assert again["ranker"] == "fusion" and again["schedule"]["every_until"] == 100
    assert again["ranker_settings"]["class"] == "FusionRanker"


def test_bad_inputs_are_clear():
    texts, X, y = synthetic()
    p = Prioritizer()
    with pytest.raises(ScreenerError, match="outside"):
        p.rank(X, [X.n_rows], [1])
    with pytest.raises(ScreenerError, match="labelled twice"):
        p.rank(X, [1, 1], [1, 0])
    with pytest.raises(ScreenerError, match="protocol scores"):
        p.rank(X, [], [], protocol_scores=np.zeros(3))
    with pytest.raises(ScreenerError, match="unknown query strategy"):
        Prioritizer(strategy="best")


# --- a real low-prevalence review -------------------------------------------------------------
def test_opioids_includes_move_up_after_a_few_batches(shared_dir):
    """cohen_opioids: 15 includes in 1,915 records. Cold start from the review title alone, then
    two batches of 25 labelled with the true labels: the remaining includes rank higher than
    they did at cold start, and the 50 screened hold more includes than the cold start's top 50."""
    import pandas as pd

    from screener.records import record_text

    index = pd.read_csv(shared_dir / "datasets" / "index.csv").set_index("dataset")
    df = pd.read_csv(shared_dir / "datasets" / "cohen_opioids.csv")
    texts = [record_text(t, a) for t, a in zip(df["title"].fillna(""), df["abstract"].fillna(""))]
    y = df["label_included"].to_numpy().astype(int)
    X = build_features(texts, "tfidf")
    proto = Protocol.from_text(index.loc["cohen_opioids", "review_title"])
    ps = protocol_scores(proto, texts)
    p = Prioritizer("logreg-tfidf", random_state=1)
    cold = p.rank(X, [], [], protocol_scores=ps)
    assert cold.phase == "protocol"
    lab: list[int] = []
    r = cold
    for _ in range(2):
        lab += [int(i) for i in r.order[:25]]
        r = p.rank(X, lab, y[lab], protocol_scores=ps)
    assert r.phase == "model"
    assert y[lab].sum() > y[cold.order[:50]].sum()
    remaining = sorted(set(np.flatnonzero(y == 1).tolist()) - set(lab))

    def ranks(order):
        labelled = set(lab)
        pos = {rec: k for k, rec in enumerate(i for i in order if i not in labelled)}
        return np.array([pos[i] for i in remaining])

    now, before = ranks(r.order), ranks(cold.order)
    assert now.mean() < 0.75 * before.mean()
    assert np.median(now) < 0.5 * np.median(before)


def test_query_order_is_lexsort_order_by_score_then_seeded_tiebreak():
    """One stable sort laid out in tie-break order gives exactly np.lexsort's order, ties and
    missing scores included (the faster sort must not move a single record)."""
    rng = np.random.default_rng(3)
    for n in (1, 10, 5000):
        scores = np.round(rng.standard_normal(n), 1)
        scores[: n // 10] = np.nan
        margins = np.abs(np.round(rng.standard_normal(n), 1))
        tiebreak = rng.permutation(3 * n)[:n]
        assert np.array_equal(query_order(scores, "max", tiebreak=tiebreak), np.lexsort((tiebreak, -scores)))
        assert np.array_equal(query_order(scores, "uncertainty", tiebreak=tiebreak, margins=margins),
                              np.lexsort((tiebreak, margins)))


def test_between_refits_the_order_is_the_last_one_less_the_records_decided():
    """Between refits the ranking is the last one with the newly decided records taken out, not
    recomputed; it must be exactly the order a full recomputation gives, ties included (half the
    records here are copies of others, so many scores tie), and a record whose decision is taken
    back must come back into the queue."""
    texts, _, y = synthetic(n=200, n_inc=12, seed=3)
    texts = texts[:100] + texts[:100]  # every record twice: equal scores everywhere
    y = np.concatenate([y[:100], y[:100]])
    X = build_features(texts, "tfidf")
    sched = RetrainSchedule(every_until=5, growth=0.5)
    kept, fresh = Prioritizer("logreg-tfidf", schedule=sched, random_state=4), \
        Prioritizer("logreg-tfidf", schedule=sched, random_state=4)
    lab = list(np.flatnonzero(y == 1)[:2]) + list(np.flatnonzero(y == 0)[:6])
    reused = 0
    for _ in range(40):
        a = kept.rank(X, lab, y[lab])
        fresh._last_key = None  # always recomputed
        b = fresh.rank(X, lab, y[lab])
        assert a.refitted == b.refitted
        assert np.array_equal(a.order, b.order) and np.array_equal(a.scores, b.scores)
        reused += not a.refitted
        lab.append(int(a.order[0]))
    assert reused > 20  # the shortcut was taken
    back = lab[:-3]  # three decisions taken back: those records are unlabelled again
    a, b = kept.rank(X, back, y[back], refit=False), fresh.rank(X, back, y[back], refit=False)
    assert np.array_equal(a.order, b.order) and set(lab[-3:]) <= set(a.order.tolist())


def test_mixed_keeps_its_queue_and_its_picks_between_refits():
    """"mixed" drew its uncertain and random picks again at every decision, while only the queue
    of each refit is stored (and read by the recall estimate): a session kept open showed picks the
    stored queue did not have. Between refits its queue is now the last one less the records
    decided, each pick still marked as it was."""
    texts, X, y = synthetic(n=300, n_inc=20, seed=5)
    p = Prioritizer("logreg-tfidf", strategy="mixed", schedule=RetrainSchedule(every_until=5, growth=0.5),
                    random_state=2)
    lab = list(np.flatnonzero(y == 1)[:3]) + list(np.flatnonzero(y == 0)[:5])
    last, held = None, 0
    for _ in range(30):
        r = p.rank(X, lab, y[lab])
        assert r.off_likelihood is not None and len(r.off_likelihood) == len(r.order)
        if not r.refitted:
            keep = ~np.isin(last.order, lab)
            assert np.array_equal(r.order, last.order[keep])
            assert np.array_equal(r.off_likelihood, last.off_likelihood[keep])
            held += 1
        last = r
        lab.append(int(r.order[0]))
    assert held > 15


def test_mixed_keeps_its_picks_when_a_decision_is_undone_between_refits():
    """An undo between refits brought a record back, and "mixed" drew its uncertain and random picks
    anew (unstored), so the queue shown until the next refit was not the stored one the recall estimate
    reads. The record comes back at its place in the queue of the last refit, with every pick as it was."""
    texts, X, y = synthetic(n=300, n_inc=20, seed=5)
    p = Prioritizer("logreg-tfidf", strategy="mixed", schedule=RetrainSchedule(every_until=5, growth=0.5),
                    random_state=2)
    lab = list(np.flatnonzero(y == 1)[:3]) + list(np.flatnonzero(y == 0)[:5])
    base = None
    for _ in range(40):
        r = p.rank(X, lab, y[lab])
        if r.refitted:
            base = r
        elif base is not None and len(lab) - base.n_labelled >= 3:
            break
        lab.append(int(r.order[0]))
    assert base is not None and not r.refitted
    back = lab.pop()  # undone: unscreened again
    after = p.rank(X, lab, y[lab])
    assert not after.refitted and back in after.order.tolist()
    keep = ~np.isin(base.order, lab)
    assert np.array_equal(after.order, base.order[keep])
    assert np.array_equal(after.off_likelihood, base.off_likelihood[keep])


def test_mixed_says_when_its_picks_were_drawn_again_without_a_refit():
    """A record decided at a refit and then undone is not in that refit's queue: "mixed" draws its
    picks again without a refit, and the queue shown is not the stored one until it is stored too
    (``Ranking.redrawn``; the session stores such a queue). A held queue is not redrawn."""
    texts, X, y = synthetic(n=300, n_inc=20, seed=5)
    p = Prioritizer("logreg-tfidf", strategy="mixed", schedule=RetrainSchedule(every_until=5, growth=0.5),
                    random_state=2)
    lab = list(np.flatnonzero(y == 1)[:3]) + list(np.flatnonzero(y == 0)[:5])
    seen = []
    for _ in range(40):
        r = p.rank(X, lab, y[lab])
        seen.append((r.refitted, r.redrawn))
        if r.refitted and len(seen) > 3:
            break
        lab.append(int(r.order[0]))
    assert any(not f and not d for f, d in seen) and not any(f and d for f, d in seen)
    back = lab.pop()  # decided just before this refit, undone now: not in its queue
    after = p.rank(X, lab, y[lab], refit=False)
    assert not after.refitted and after.redrawn and back in after.order.tolist()
    assert not p.rank(X, lab + [int(after.order[0])], y[lab + [int(after.order[0])]], refit=False).redrawn


def test_content_keys_order_ties_and_the_random_start_by_record_not_by_row():
    """Rows follow the record ids, which follow the order the exports were imported in: equal
    scores and the random order before the first include were broken by row, so importing file B
    before file A showed the reviewer other records first. With content keys, the same records
    come in the same order whatever their rows; the seed still decides it."""
    from screener.queue import content_keys

    texts, _, y = synthetic(n=80, n_inc=6)
    texts[10] = texts[50] = texts[70] = "unrelated words only"  # equal texts, equal scores
    perm = np.random.default_rng(3).permutation(len(texts))  # B before A: the same records, other rows
    protocol = Protocol.from_text("peer workers in harm reduction")

    def order(rows, seed=0, labelled=(), strategy="max"):
        t = [texts[i] for i in rows]
        X = build_features(t, "tfidf")
        at = {r: k for k, r in enumerate(rows)}
        idx = [at[r] for r in labelled]
        ps = protocol_scores(protocol, t)
        out = []
        for scores in (None, ps):  # the random start, then the protocol's cold start (ties in BM25 zeros)
            pr = Prioritizer(random_state=seed, strategy=strategy)
            r = pr.rank(X, idx, y[list(labelled)], scores, row_keys=content_keys(t))
            out.append([t[i] for i in r.order])
        return out

    rows = np.arange(len(texts))
    first = order(rows)
    assert first == order(perm) == order(rows)  # import order does not matter; run after run the same
    assert order(rows, seed=1)[0] != first[0]  # another seed, another random start
    labelled = (int(np.flatnonzero(y == 1)[0]), int(np.flatnonzero(y == 0)[0]))
    for strategy in ("max", "mixed", "random"):  # the model phase: ties, and the seeded random picks
        assert order(rows, labelled=labelled, strategy=strategy) == order(perm, labelled=labelled, strategy=strategy)
    # keys read lazily are read only for the rows whose scores tie
    X = build_features(texts, "tfidf")
    asked = []

    def keys_of(r):
        asked.append(np.asarray(r))
        return content_keys([texts[i] for i in r])

    Prioritizer().rank(X, list(labelled), [1, 0], row_keys=keys_of)
    assert sorted(np.concatenate(asked).tolist()) == [10, 50, 70]
    # and without keys the order of a dataset replay is the one it always was
    assert np.array_equal(Prioritizer().rank(X, [], []).order, query_order(np.zeros(len(texts)), "random", 0))


def test_random_start_spreads_exact_copies_as_a_random_sample_would():
    """84 exact copies of one record share a content key: the random start showed them one after
    another, all among the records screened first or none of them, and the recall interval of the
    random start reads those records as a uniform sample. Each copy now has its own place, and keeps
    it while the others are screened (no copy is pulled to the top when one is screened)."""
    from screener.queue import content_keys

    texts = [f"record {i} on topic {i % 37}" for i in range(916)] + ["conference abstract book"] * 84
    X = build_features(texts, "tfidf")
    keys = content_keys(texts)
    copy = np.array([t == "conference abstract book" for t in texts])
    in_first_100 = []
    for seed in range(12):
        order = Prioritizer(random_state=seed).rank(X, [], [], row_keys=keys).order
        in_first_100.append(int(copy[order[:100]].sum()))
    # a uniform sample of 100 of 1000 holds about 8 of the 84 copies (30 or more: under 1 in 10^9)
    assert max(in_first_100) < 30 and 40 <= sum(in_first_100) <= 170, in_first_100
    pr = Prioritizer(random_state=5)
    first = pr.rank(X, [], [], row_keys=keys).order
    done = first[:150].tolist()
    after = pr.rank(X, done, [0] * len(done), row_keys=keys).order
    assert [texts[i] for i in after] == [texts[i] for i in first[150:]]
