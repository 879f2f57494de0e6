import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.features import build_features
from screener.rankers import DEFAULT_RANKER, RANKER_FEATURES, RANKERS, make_ranker
from screener.rankers.fusion import FusionRanker, fuse_scores
from screener.rankers.linear import LogisticRanker, NaiveBayesRanker, SVMRanker

INC = ["peer", "worker", "harm", "reduction", "lived", "experience", "support", "naloxone"]
EXC = ["cardiac", "surgery", "mouse", "tumour", "protein", "enzyme", "bone", "fracture", "kidney"]
COMMON = ["study", "results", "methods", "patients", "outcomes", "data"]


def synthetic(n=200, n_inc=6, seed=0):
    """Low-prevalence records (3% includes) whose topics differ, and embeddings that agree."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_inc, replace=False)] = 1
    texts = []
    for lab in y:
        words = INC if lab else EXC
        texts.append(" ".join(rng.choice(words, 6)) + " " + " ".join(rng.choice(COMMON + EXC[:2], 20)))
    centre = rng.normal(size=16)
    dense = rng.normal(size=(n, 16)) + np.outer(y, centre) * 3.0
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return build_features(texts, "both", embeddings=dense), y


def labelled_split(y, seed=0):
    rng = np.random.default_rng(seed)
    inc = rng.choice(np.flatnonzero(y == 1), 2, replace=False)
    exc = rng.choice(np.flatnonzero(y == 0), 20, replace=False)
    lab = np.concatenate([inc, exc])
    unl = np.setdiff1d(np.arange(len(y)), lab)
    return lab, unl


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_every_registered_ranker_moves_includes_up(name):
    X, y = synthetic()
    lab, unl = labelled_split(y)
    r = make_ranker(name, random_state=0).fit(X[lab], y[lab])
    s = r.scores(X[unl])
    assert s.shape == (len(unl),) and np.isfinite(s).all()
    top = unl[np.argsort(-s)[:4]]
    assert y[top].sum() == 4  # the 4 unlabelled includes are ranked first
    m = r.margins(X[unl])
    assert m.shape == s.shape and (m >= 0).all()
    settings = r.settings()
    assert settings["class"] == type(r).__name__


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_same_seed_same_scores(name):
    X, y = synthetic(seed=3)
    lab, unl = labelled_split(y, seed=3)
    a = make_ranker(name, 5).fit(X[lab], y[lab]).scores(X[unl])
    b = make_ranker(name, 5).fit(X[lab], y[lab]).scores(X[unl])
    assert np.array_equal(a, b)


def test_registry_is_consistent():
    assert DEFAULT_RANKER in RANKERS
    assert set(RANKER_FEATURES) == set(RANKERS)
    with pytest.raises(ScreenerError, match="unknown ranker 'forest'"):
        make_ranker("forest")


def test_balance_lifts_rare_includes():
    # Without class weights a handful of includes barely move a regularised model; with them the
    # includes' scores sit clearly above the excludes'.
    X, y = synthetic(n=400, n_inc=6, seed=1)
    lab, unl = labelled_split(y, seed=1)
    bal = LogisticRanker(C=1.0, balance="balanced").fit(X[lab], y[lab])
    raw = LogisticRanker(C=1.0, balance="none").fit(X[lab], y[lab])
    inc = unl[y[unl] == 1]
    assert (bal.scores(X[inc]) > 0).all()
    assert bal.scores(X[inc]).mean() > raw.scores(X[inc]).mean()


def test_feature_block_must_exist():
    X, y = synthetic()
    lab, _ = labelled_split(y)
    tfidf_only = X[np.arange(X.n_rows)]
    tfidf_only.dense = None
    with pytest.raises(ScreenerError, match="embeddings"):
        LogisticRanker(features="embedding").fit(tfidf_only[lab], y[lab])
    with pytest.raises(ScreenerError, match="kind='both'"):
        SVMRanker(features="concat").fit(tfidf_only[lab], y[lab])
    with pytest.raises(ScreenerError, match="fitted"):
        LogisticRanker().scores(X)


def test_labels_are_checked():
    X, y = synthetic()
    with pytest.raises(ScreenerError, match="only excludes"):
        LogisticRanker().fit(X[:5], np.zeros(5))
    with pytest.raises(ScreenerError, match="one 0/1 label"):
        LogisticRanker().fit(X[:5], np.array([0, 1]))
    with pytest.raises(ScreenerError, match="1 \\(include\\) or 0"):
        NaiveBayesRanker().fit(X[:3], np.array([0, 1, 2]))


def test_term_weights_point_at_include_words():
    X, y = synthetic()
    lab, _ = labelled_split(y)
    names = list(X.feature_names)
    for r in (LogisticRanker(), SVMRanker(), NaiveBayesRanker(), LogisticRanker(features="concat")):
        w = r.fit(X[lab], y[lab]).term_weights()
        assert w is not None and len(w) == X.n_sparse
        assert w[names.index("peer")] > 0 > w[names.index("fracture")]
    assert LogisticRanker(features="embedding").fit(X[lab], y[lab]).term_weights() is None


def test_fusion_methods():
    a = np.array([3.0, 2.0, 1.0, 0.0])
    b = np.array([0.0, 10.0, 20.0, 30.0])
    rrf = fuse_scores([a, b], "rrf")
    assert rrf[1] == pytest.approx(rrf[2])  # ranks 2+3 and 3+2
    assert rrf[0] == pytest.approx(rrf[3])
    z = fuse_scores([a, b], "zscore", weights=[2.0, 1.0])
    assert np.argmax(z) == 0  # the heavier vote wins
    with pytest.raises(ScreenerError):
        fuse_scores([a], "borda")
    with pytest.raises(ScreenerError):
        FusionRanker([], method="rrf")


def test_rank_normal_fusion_ignores_the_shape_of_the_scores():
    from scipy.stats import norm

    a = np.append(np.arange(19.0), 1000.0)  # one score far out: its z-score swamps the other model
    b = np.arange(19.0, -1.0, -1.0)  # the same records in the opposite order, no score far out
    z = fuse_scores([a, b], "zscore")
    assert np.argmax(z) == 19
    q = fuse_scores([a, b], "rankz")
    expected = norm.ppf((np.arange(1, 21) - 0.5) / 20)
    assert fuse_scores([a], "rankz") == pytest.approx(expected)  # the same for any increasing transform of a
    assert fuse_scores([np.log1p(a)], "rankz") == pytest.approx(expected)
    assert q == pytest.approx(np.zeros(20), abs=1e-12)  # two opposite rankings cancel, the far-out score too
    tied = fuse_scores([np.array([1.0, 1.0, 0.0])], "rankz")
    assert tied[0] == tied[1] > tied[2]
    w = fuse_scores([a, b], "rankz", weights=[2.0, 1.0])
    assert np.argmax(w) == 19 and np.argmin(w) == 0  # with weights, the heavier ranking leads


def test_interleaved_fusion_deals_the_queue_out_of_each_ranking_by_its_share():
    a = np.array([9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 0.0, 1.0])  # rows 0..5 top for a
    b = a[::-1].copy()  # the opposite order: rows 7, 6, ... top for b
    even = fuse_scores([a, b], "interleave")
    assert list(np.argsort(-even)[:4]) in ([0, 7, 1, 6], [7, 0, 6, 1])  # one each in turn
    assert sorted(even) == list(range(1, 9))  # a position for every row, no ties
    lean = fuse_scores([a, b], "interleave", weights=[3.0, 1.0])
    top = list(np.argsort(-lean)[:4])
    assert top.count(7) == 1 and set(top) - {7} == {0, 1, 2}  # three of a's for one of b's
    assert list(np.argsort(-fuse_scores([a, b], "interleave", weights=[1.0, 0.0]))) == list(np.argsort(-a))
    # a row either ranking puts first stands first, where a z-score sum buries it in the middle
    c = np.array([10.0, 0.0, 1.0, 2.0, 3.0])
    d = np.array([-10.0, 3.0, 2.0, 1.0, 0.0])
    assert np.argmax(fuse_scores([c, d], "interleave")) in (0, 1)
    assert np.argsort(-fuse_scores([c, d], "zscore"))[0] != 0


def test_learned_fusion_fuses_by_the_method_it_is_given():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative="tfidf", seed=4)
    lab = np.concatenate([np.flatnonzero(y == 1)[:8], np.flatnonzero(y == 0)[:60]])
    parts = [LogisticRanker(features="tfidf", C=0.1, balance=10.0), LogisticRanker(features="embedding", C=0.1)]
    z = LearnedFusionRanker(parts, random_state=3).fit(X[lab], y[lab])
    q = LearnedFusionRanker(parts, method="rankz", random_state=3).fit(X[lab], y[lab])
    assert q.weights == z.weights  # the weights are learnt the same way
    each = [c.scores(X) for c in q.components]
    assert q.scores(X) == pytest.approx(fuse_scores(each, "rankz", q.weights))
    assert z.scores(X) == pytest.approx(fuse_scores(each, "zscore", z.weights))
    assert q.settings()["method"] == "rankz" and q.get_params()["method"] == "rankz"
    with pytest.raises(ScreenerError, match="unknown fusion method"):
        LearnedFusionRanker(parts, method="borda")


def test_learned_fusion_leans_lexical_as_far_as_includes_fill_the_labels():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative="embedding", seed=4)
    rng = np.random.default_rng(1)
    inc, exc = np.flatnonzero(y == 1), rng.choice(np.flatnonzero(y == 0), 60, replace=False)

    def weights(lab, share):
        parts = [LogisticRanker(features="tfidf", C=0.1, balance=10.0), LogisticRanker(features="embedding", C=0.1)]
        r = LearnedFusionRanker(parts, prior_lean=1.5, lean_share=share, random_state=3).fit(X[lab], y[lab])
        return r.weights, r

    many = np.concatenate([inc[:10], exc[:10]])  # half the labels are includes
    few = np.concatenate([inc[:2], exc[:38]])  # one in twenty
    (w0, e0), _ = weights(many, 0.0)
    (w, e), r = weights(many, 30.0)
    assert e == pytest.approx(e0) and w == pytest.approx(w0 * (1 + 30 * 0.5))  # only the lexical weight moves
    assert w0 < e0 < w  # the words, whose AUC is the lower, take the lead
    (f0, g0), _ = weights(few, 0.0)
    (f, g), _ = weights(few, 30.0)
    assert f == pytest.approx(f0 * (1 + 30 * 0.05)) and g == pytest.approx(g0)
    assert r.settings()["lean_share"] == 30.0 and "lean_share" not in weights(many, 0.0)[1].settings()


def test_learned_fusion_caps_the_weaker_models_spread_over_the_records_left():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative="tfidf", seed=4)
    rng = np.random.default_rng(1)
    lab = np.concatenate([np.flatnonzero(y == 1)[:8], rng.choice(np.flatnonzero(y == 0), 60, replace=False)])
    left = ~np.isin(np.arange(len(y)), lab)

    def fitted(labelled, **kw):
        parts = [LogisticRanker(features="tfidf", C=0.1, balance=10.0), LogisticRanker(features="embedding", C=0.1)]
        return LearnedFusionRanker(parts, prior_lean=1.5, random_state=3, **kw).fit(X[labelled], y[labelled])

    plain, capped, lax = fitted(lab), fitted(lab, spread_cap=1.0), fitted(lab, spread_cap=1.0, cap_lead=1e6)
    assert plain.weights == capped.weights and plain.cv_auc_[0][0] > plain.cv_auc_[1][0]  # the words separate
    z = [c.scores(X) for c in plain.components]
    z = [(s - s.mean()) / s.std() for s in z]
    words, embedding = z[0][left].std(), z[1][left].std()
    assert embedding > words  # the weaker model spreads the records left wider: it is narrowed to the words'
    w = plain.weights
    assert capped.scores(X) == pytest.approx(w[0] * z[0] + w[1] * z[1] * words / embedding)
    assert plain.scores(X) == pytest.approx(w[0] * z[0] + w[1] * z[1])
    assert lax.scores(X) == pytest.approx(plain.scores(X))  # the words' weight not 10^6 x: left as it is
    one = np.concatenate([np.flatnonzero(y == 1)[:1], lab[8:]])  # one include: no cross-validation, AUCs tie
    assert fitted(one, spread_cap=1.0).scores(X) == pytest.approx(fitted(one).scores(X))
    assert capped.settings()["spread_cap"] == 1.0 and "spread_cap" not in plain.settings()
    assert "cap_lead" not in capped.settings() and lax.settings()["cap_lead"] == 1e6
    with pytest.raises(ScreenerError, match="spread_cap"):
        LearnedFusionRanker(plain.components, method="rankz", spread_cap=1.0)


def test_learned_fusion_scales_z_scores_over_the_records_left_once_includes_are_many():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative="tfidf", seed=4)
    rng = np.random.default_rng(1)
    inc, exc = np.flatnonzero(y == 1), rng.choice(np.flatnonzero(y == 0), 60, replace=False)

    def fitted(labelled, **kw):
        parts = [LogisticRanker(features="tfidf", C=0.1, balance=10.0), LogisticRanker(features="embedding", C=0.1)]
        return LearnedFusionRanker(parts, prior_lean=1.5, random_state=3, **kw).fit(X[labelled], y[labelled])

    lab = np.concatenate([inc[:8], exc[:16]])  # 8 includes, a third of the labels
    left = ~np.isin(np.arange(len(y)), lab)
    plain, scaled = fitted(lab), fitted(lab, left_scale_from=8, left_scale_share=0.3)
    assert plain.weights == scaled.weights  # the weights are learnt as before: only the scale moves
    each = [c.scores(X) for c in plain.components]
    w = plain.weights
    assert plain.scores(X) == pytest.approx(fuse_scores(each, "zscore", w))  # without the setting: as before
    over_left = [(s - s[left].mean()) / s[left].std() for s in each]
    assert scaled.scores(X) == pytest.approx(w[0] * over_left[0] + w[1] * over_left[1])
    rows = np.flatnonzero(left)
    assert list(np.argsort(-plain.scores(X)[rows])) != list(np.argsort(-scaled.scores(X)[rows]))
    # too few includes, or too few among the labels: the scale over every record stays
    assert fitted(lab, left_scale_from=9).scores(X) == pytest.approx(plain.scores(X))
    many = np.concatenate([inc[:8], exc[:40]])  # 8 includes, one in six
    assert fitted(many, left_scale_from=8, left_scale_share=0.3).scores(X) == pytest.approx(fitted(many).scores(X))
    assert scaled.settings()["left_scale_from"] == 8 and scaled.settings()["left_scale_share"] == 0.3
    assert "left_scale_from" not in plain.settings() and "left_scale_share" not in plain.settings()
    with pytest.raises(ScreenerError, match="left_scale_from"):
        LearnedFusionRanker(plain.components, method="rankz", left_scale_from=8)


def test_concat_scores_blockwise_equal_the_stacked_model():
    X, y = synthetic()
    lab, _ = labelled_split(y)
    for cls in (LogisticRanker, SVMRanker):
        r = cls(features="concat", dense_weight=0.7).fit(X[lab], y[lab])
        assert np.allclose(r.scores(X), r.model_.decision_function(X.concat(0.7)), atol=1e-5)


def _blocks_that_disagree(n=300, n_inc=12, seed=0, informative="embedding"):
    """One feature block separates includes from excludes, the other is noise."""
    rng = np.random.default_rng(seed)
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_inc, replace=False)] = 1
    noise_words = INC + EXC + COMMON
    if informative == "tfidf":
        texts = [" ".join(rng.choice(INC if lab else EXC, 6)) + " " + " ".join(rng.choice(COMMON, 10)) for lab in y]
        dense = rng.normal(size=(n, 16))
    else:
        texts = [" ".join(rng.choice(noise_words, 16)) for _ in y]
        dense = rng.normal(size=(n, 16)) + np.outer(y, rng.normal(size=16)) * 3.0
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return build_features(texts, "both", embeddings=dense), y


@pytest.mark.parametrize("informative", ["tfidf", "embedding"])
def test_learned_fusion_trusts_the_block_that_separates_the_labels(informative):
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative=informative, seed=4)
    rng = np.random.default_rng(1)
    lab = np.concatenate([np.flatnonzero(y == 1)[:8], rng.choice(np.flatnonzero(y == 0), 60, replace=False)])
    r = LearnedFusionRanker([LogisticRanker(features="tfidf", C=0.1, balance=10.0),
                             LogisticRanker(features="embedding", C=0.1, balance=10.0)]).fit(X[lab], y[lab])
    w_tfidf, w_embed = r.weights
    assert (w_embed > 2 * w_tfidf) if informative == "embedding" else (w_tfidf > 2 * w_embed)
    (a_tfidf, pairs), (a_embed, _) = r.cv_auc_
    assert 0 < pairs < 8 * 60  # include/exclude pairs held out together in one of the folds
    assert (a_embed > a_tfidf) == (informative == "embedding")


def test_learned_fusion_starts_from_equal_weights():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(seed=2)
    lab = np.concatenate([np.flatnonzero(y == 1)[:1], np.flatnonzero(y == 0)[:5]])
    r = LearnedFusionRanker([LogisticRanker(features="tfidf"), LogisticRanker(features="embedding")])
    r.fit(X[lab], y[lab])  # one include: nothing can be held out
    assert r.weights[0] == pytest.approx(r.weights[1]) and r.cv_auc_ == [(0.5, 0.0), (0.5, 0.0)]


def test_weight_grid_points_grow_geometrically_and_never_pass_n():
    from screener.rankers.fusion import weight_rows

    assert [weight_rows(n, 0.0) for n in (3, 50, 999)] == [3, 50, 999]  # off: every label counts
    assert [weight_rows(n, 0.25) for n in (4, 10, 12, 13, 16, 17)] == [4, 10, 10, 13, 13, 17]
    pts = sorted({weight_rows(n, 0.25) for n in range(10, 5000)})
    assert all(b >= 1.25 * a - 1 and b <= 1.25 * a + 1 for a, b in zip(pts, pts[1:]))
    assert all(weight_rows(n, 0.25) <= n for n in range(1, 3000))


def test_learned_fusion_on_a_grid_reuses_the_weights_between_grid_points():
    from screener.rankers import LearnedFusionRanker
    from screener.rankers.fusion import _CV_MEMO

    X, y = _blocks_that_disagree(informative="embedding", seed=4)
    rng = np.random.default_rng(1)
    lab = np.concatenate([np.flatnonzero(y == 1)[:8], rng.choice(np.flatnonzero(y == 0), 60, replace=False)])
    rng.shuffle(lab)

    def fit(rows, growth):
        return LearnedFusionRanker([LogisticRanker(features="tfidf", C=0.1, balance=10.0),
                                    LogisticRanker(features="embedding", C=0.1, balance=10.0)],
                                   reweight_growth=growth).fit(X[rows], y[rows])

    _CV_MEMO.clear()
    a, b = fit(lab[:56], 0.25), fit(lab[:64], 0.25)  # both between the grid points 55 and 69
    assert a.weight_rows_ == b.weight_rows_ == 55 and a.weights == b.weights
    assert len(_CV_MEMO) == 1  # the second fit cross-validated nothing
    # the weights are those of a plain learned fusion on the first 55 labels: a fresh process
    # that sees the whole history gets what a long session got
    w64 = fit(lab[:64], 0.25).weights
    _CV_MEMO.clear()
    assert w64 == fit(lab[:55], 0.0).weights
    # another history (another order of the same records) is another prefix, not a stale hit
    c = fit(lab[::-1][:64], 0.25)
    _CV_MEMO.clear()
    assert c.weights == fit(lab[::-1][:55], 0.0).weights
    with pytest.raises(ScreenerError):  # the weights still need both classes in the labels
        fit(np.flatnonzero(y == 0)[:20], 0.25)


def test_learned_fusion_lexical_head_start_scales_the_first_weight():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(seed=2)
    lab = np.concatenate([np.flatnonzero(y == 1)[:1], np.flatnonzero(y == 0)[:5]])
    r = LearnedFusionRanker([LogisticRanker(features="tfidf"), LogisticRanker(features="embedding")],
                            prior_lean=1.5).fit(X[lab], y[lab])
    assert r.weights[0] == pytest.approx(1.5 * r.weights[1])


def test_learned_fusion_weight_power_raises_the_odds():
    from screener.rankers import LearnedFusionRanker

    X, y = _blocks_that_disagree(informative="tfidf", seed=4)
    rng = np.random.default_rng(1)
    lab = np.concatenate([np.flatnonzero(y == 1)[:8], rng.choice(np.flatnonzero(y == 0), 60, replace=False)])

    def fit(power):
        return LearnedFusionRanker([LogisticRanker(features="tfidf", C=0.1, balance=10.0),
                                    LogisticRanker(features="embedding", C=0.1, balance=10.0)],
                                   weight_power=power).fit(X[lab], y[lab])

    one, two = fit(1.0), fit(2.0)
    assert one.cv_auc_ == two.cv_auc_  # the same evidence ...
    assert two.weights == pytest.approx([w ** 2 for w in one.weights])  # ... its odds squared
    assert two.weights[0] / two.weights[1] > one.weights[0] / one.weights[1] > 2  # the better block leads more


def test_lexical_fallback_without_embeddings():
    from screener.rankers import DEFAULT_RANKER, LEXICAL_RANKER, default_ranker

    assert RANKER_FEATURES[LEXICAL_RANKER] == "tfidf"
    assert default_ranker(embeddings=True) == DEFAULT_RANKER
    assert RANKER_FEATURES[default_ranker(embeddings=False)] == "tfidf"


def test_the_cross_validation_memo_names_taken_rows_by_where_they_came_from():
    from screener.rankers.fusion import _fingerprint

    X, y = synthetic(n=60, seed=3)
    rows = np.arange(40)[::-1]
    a, b = X[rows], X[rows]
    assert _fingerprint(a, y[rows]) == _fingerprint(b, y[rows])  # the same rows of the same matrix
    assert _fingerprint(a, y[rows][:30]) == _fingerprint(X[rows[:30]], y[rows][:30])  # a prefix: its own rows
    assert _fingerprint(X[rows[::-1]], y[rows[::-1]]) != _fingerprint(a, y[rows])  # another order
    flipped = y[rows].copy()
    flipped[0] = 1 - flipped[0]
    assert _fingerprint(a, flipped) != _fingerprint(a, y[rows])  # other labels
    Y, _ = synthetic(n=60, seed=3)  # the same numbers in another matrix: another name, never a false hit
    assert _fingerprint(Y[rows], y[rows]) != _fingerprint(a, y[rows])
    # a matrix made whole (not taken from another) is hashed by its content, as before
    from screener.features import FeatureMatrix

    whole = FeatureMatrix(a.sparse, a.dense)
    assert _fingerprint(whole, y[rows]) == _fingerprint(FeatureMatrix(a.sparse.copy(), a.dense.copy()), y[rows])


def test_folds_are_fitted_on_copies_and_a_fitted_model_is_copied_deeply():
    from screener.rankers.fusion import _fresh_copy

    X, y = synthetic(n=80, seed=2)
    lab, _ = labelled_split(y, seed=2)
    svm = SVMRanker(features="tfidf", C=0.11, balance=9.8, random_state=1)
    c = _fresh_copy(svm)
    assert c is not svm and vars(c) == vars(svm)
    c.fit(X[lab], y[lab])
    assert not hasattr(svm, "model_")  # fitting the copy leaves the original unfitted
    d = _fresh_copy(c)
    assert d.model_ is not c.model_  # a fitted model's parts are copied, not shared
    fusion = FusionRanker([SVMRanker(), LogisticRanker(features="embedding")])
    assert _fresh_copy(fusion).components[0] is not fusion.components[0]


def test_scores_from_the_widened_values_equal_the_ones_widened_at_each_call():
    import screener.features as F

    X, y = synthetic(n=300, seed=5)
    lab, _ = labelled_split(y, seed=5)
    for ranker in (SVMRanker(features="tfidf"), LogisticRanker(features="embedding"), make_ranker(DEFAULT_RANKER, 3)):
        ranker.fit(X[lab], y[lab])
        kept = ranker.scores(X)
        old = F.WIDE_MAX
        try:
            F.WIDE_MAX = 0
            Y, _ = synthetic(n=300, seed=5)
            assert Y.wide("sparse") is None
            assert np.array_equal(ranker.scores(Y), kept)
        finally:
            F.WIDE_MAX = old


def test_learned_fusion_can_let_the_better_model_rank_alone():
    """With ``select_pairs``, a model that alone separates held-out records better than the
    fusion takes all the weight, once the AUCs rest on enough pairs; below that floor, or off,
    the weights are the usual fused ones."""
    from screener.rankers import LearnedFusionRanker
    from screener.rankers.fusion import _CV_MEMO

    rng = np.random.default_rng(0)  # words are noise, the embeddings a weak signal
    y = np.zeros(300, dtype=int)
    y[rng.choice(300, 30, replace=False)] = 1
    texts = [" ".join(rng.choice(INC + EXC + COMMON, 16)) for _ in y]
    X = build_features(texts, "both", embeddings=rng.normal(size=(300, 16)) + np.outer(y, rng.normal(size=16)) * 0.6)
    lab = np.concatenate([np.flatnonzero(y == 1)[:15], rng.choice(np.flatnonzero(y == 0), 80, replace=False)])

    def fit(select_pairs):
        _CV_MEMO.clear()
        return LearnedFusionRanker([LogisticRanker(features="tfidf", C=0.1, balance=10.0),
                                    LogisticRanker(features="embedding", C=0.1, balance=10.0)],
                                   prior_lean=3.0, select_pairs=select_pairs).fit(X[lab], y[lab])

    plain, chosen, floor = fit(0.0), fit(100.0), fit(10_000.0)
    cv = chosen._cv_auc_cached(X[lab], y[lab], len(lab))
    assert len(cv) == 3 and cv[1][0] > cv[2][0] > cv[0][0]  # embeddings alone > the fusion > words
    assert plain.selected_ is None and plain.weights[0] > 0 and plain.weights[1] > 0
    assert chosen.selected_ == 1 and chosen.weights == [0.0, 1.0]  # the embedding model alone
    assert floor.selected_ is None and floor.weights == plain.weights  # 400 pairs < the floor
    assert chosen.cv_auc_ == plain.cv_auc_  # the components' AUCs are the same either way
    unl = np.setdiff1d(np.arange(len(y)), lab)
    alone = LogisticRanker(features="embedding", C=0.1, balance=10.0).fit(X[lab], y[lab]).scores(X[unl])
    assert np.array_equal(np.argsort(-chosen.scores(X[unl]), kind="stable"), np.argsort(-alone, kind="stable"))


def test_asreview_c_under_screener_class_weights_is_the_same_svm():
    # ASReview's balancer weighs excludes n1 / (9.8 n0), includes 1, then scales the weights to sum
    # to n; screener's to n / 2 * (1 + 9.8). The same fit needs C x 2 / 10.8 here (the tenth selection's
    # ELAS_U4_C in benchmarks/select_ranker.py), and C 0.11 as it stands is another model.
    from sklearn.svm import LinearSVC

    X, y = synthetic(n=300, n_inc=20, seed=4)
    n1, n0 = int(y.sum()), int(len(y) - y.sum())
    w = np.where(y == 1, 1.0, n1 / (9.8 * n0))
    w *= len(y) / w.sum()
    theirs = LinearSVC(C=0.11, loss="squared_hinge", tol=1e-4).fit(X.sparse, y, sample_weight=w).coef_.ravel()
    ours = SVMRanker(C=0.11 * 2 / 10.8, balance=9.8).fit(X, y).model_.coef_.ravel()
    as_is = SVMRanker(C=0.11, balance=9.8).fit(X, y).model_.coef_.ravel()
    assert np.allclose(ours, theirs, rtol=1e-3, atol=1e-4)
    assert not np.allclose(as_is, theirs, rtol=1e-2, atol=1e-3)


def test_prequential_weights_score_each_stretch_with_the_model_of_its_start():
    """``auc_from="prequential"``: each model trained on the labels up to a grid point is scored
    on the records labelled next, up to the following point, pooled over the history; "both"
    pools those pairs with the cross-validated ones. The weights are a function of the history
    alone (a fresh memo gives the same)."""
    from screener.rankers import LearnedFusionRanker
    from screener.rankers.fusion import _CV_MEMO, _PREQ_MEMO, _pair_hits, weight_grid

    X, y = _blocks_that_disagree(informative="tfidf", seed=4, n_inc=30)
    rng = np.random.default_rng(3)
    lab = rng.permutation(np.concatenate([np.flatnonzero(y == 1)[:20], rng.choice(np.flatnonzero(y == 0), 80,
                                                                                 replace=False)]))
    Xl, yl = X[lab], y[lab]

    def fit(source):
        return LearnedFusionRanker([LogisticRanker(features="tfidf", C=0.1, balance=10.0),
                                    LogisticRanker(features="embedding", C=0.1, balance=10.0)],
                                   reweight_growth=0.25, auc_from=source).fit(Xl, yl)

    _PREQ_MEMO.clear()
    preq, cv, both = fit("prequential"), fit("cv"), fit("both")
    m = preq.weight_rows_
    pts = weight_grid(m, 0.25)
    assert pts[0] == 10 and pts[-1] == m == 87  # 10, 13, 17, ..., 69, 87 (109 > 100 labels)
    by_hand = []
    for feats in ("tfidf", "embedding"):
        hits = pairs = 0.0
        for a, b in zip(pts, pts[1:]):
            if 0 < yl[a:b].sum() < b - a and 0 < yl[:a].sum() < a:
                s = LogisticRanker(features=feats, C=0.1, balance=10.0).fit(Xl[np.arange(a)], yl[:a])
                h, p = _pair_hits(s.scores(Xl[np.arange(a, b)]), yl[a:b])
                hits, pairs = hits + h, pairs + p
        by_hand.append((hits / pairs, pairs))
    assert np.allclose(preq.cv_auc_, by_hand)
    assert by_hand[0][0] > by_hand[1][0] and preq.weights[0] > 2 * preq.weights[1]  # the words separate
    (ca, cp), (pa, pp) = cv.cv_auc_[0], preq.cv_auc_[0]
    assert np.allclose(both.cv_auc_[0], ((ca * cp + pa * pp) / (cp + pp), cp + pp))
    memo = len(_PREQ_MEMO)
    _PREQ_MEMO.clear()
    _CV_MEMO.clear()
    again = fit("prequential")
    assert again.weights == preq.weights and len(_PREQ_MEMO) == memo
    with pytest.raises(ScreenerError, match="AUC source"):
        LearnedFusionRanker([LogisticRanker()], auc_from="holdout")
    with pytest.raises(ScreenerError, match="select_pairs"):
        LearnedFusionRanker([LogisticRanker()], select_pairs=100.0, auc_from="both")
