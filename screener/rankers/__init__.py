"""Classifiers that score records by how likely they are includes, refitted on the current labels.

Every ranker is scikit-learn shaped: the constructor takes settings and ``random_state``;
``fit(X, y)`` learns from a ``FeatureMatrix`` and 0/1 labels; ``scores(X)`` returns one float
per row, higher = more likely include. ``make_ranker(name)`` builds one by its registry name so
a project can store the name and rebuild the same model later.
"""

from __future__ import annotations

from typing import Callable

from screener.errors import ScreenerError
from screener.rankers.base import Ranker
from screener.rankers.fusion import FusionRanker, LearnedFusionRanker
from screener.rankers.linear import LogisticRanker, NaiveBayesRanker, SVMRanker



def _lr10(features: str, rs: int, C: float = 0.1, **kw) -> LogisticRanker:
    """The lexical default's settings (C 0.1, includes weighted 10x) on any feature block."""
    return LogisticRanker(features=features, C=C, balance=10.0, random_state=rs, **kw)


#: ASReview's ELAS u4 C (0.11) under screener's class weights. Both weigh includes 9.8x "balanced",
#: but ASReview scales the weights to sum to the number of labelled records, screener to (1 + 9.8) / 2
#: times that; weights x k with C is the same fit as weights x 1 with C x k, so ELAS u4's SVM is
#: C 0.11 x 2 / 10.8 here. C 0.11 here (the fourth to tenth selections' SVM) is ~5.4x less regularised.
ELAS_U4_C = 0.11 * 2.0 / (1.0 + 9.8)
#: The eleventh selection's SVM Cs: between ELAS u4's and 0.11 on a log scale, half and 3/4 of the
#: way to ELAS u4's.
SVM_C_HALF = 0.11 * (2.0 / (1.0 + 9.8)) ** 0.5
SVM_C_3Q = 0.11 * (2.0 / (1.0 + 9.8)) ** 0.75


def learned_fusion_svm(rs: int, svm_C: float = 0.11, embed_C: float = 0.1, **fusion) -> LearnedFusionRanker:
    """The fourth to eleventh selections' family: a linear SVM on TF-IDF (includes weighted 9.8x, as
    in ASReview's ELAS u4) beside the embedding model, weights learnt once per 25% more labels, the
    SVM's head start x1.5; ``fusion`` overrides those fusion settings or adds others
    (``weight_power``). ``svm_C`` / ``embed_C``: the two models' C (see ``ELAS_U4_C``)."""
    return LearnedFusionRanker([SVMRanker(features="tfidf", C=svm_C, balance=9.8, random_state=rs),
                                _lr10("embedding", rs, C=embed_C)],
                               **{"reweight_growth": 0.25, "prior_lean": 1.5, **fusion}, random_state=rs)


#: name -> factory(random_state) -> Ranker. The names are what a project stores and the CLI takes.
RANKERS: dict[str, Callable[[int], Ranker]] = {
    # strong smoothing and includes weighted 10x "balanced": best of the candidates in
    # benchmarks/select_ranker.py (results/ranker_selection_seeds*.md), at low prevalence too
    "logreg-tfidf": lambda rs: LogisticRanker(features="tfidf", C=0.1, balance=10.0, random_state=rs),
    # ASReview's published ELAS u4 numbers (C 0.11, includes weighted 9.8x), but under screener's
    # class weights, so about 5.4x ELAS u4's C (see ELAS_U4_C); runner-up there
    "svm-tfidf": lambda rs: SVMRanker(features="tfidf", C=0.11, balance=9.8, random_state=rs),
    "nb-tfidf": lambda rs: NaiveBayesRanker(random_state=rs),
    "logreg-embed": lambda rs: LogisticRanker(features="embedding", random_state=rs),
    "svm-embed": lambda rs: SVMRanker(features="embedding", random_state=rs),
    "logreg-concat": lambda rs: LogisticRanker(features="concat", random_state=rs),
    "svm-concat": lambda rs: SVMRanker(features="concat", random_state=rs),
    "fusion": lambda rs: FusionRanker(
        [LogisticRanker(features="tfidf", random_state=rs), LogisticRanker(features="embedding", random_state=rs)],
        method="zscore",  # beat reciprocal rank fusion on the shared sets we tried
        random_state=rs,
    ),
    # The candidates of the second selection (issue 14, benchmarks/select_ranker.py --corpus
    # tuning; results/ranker_selection_tuning_seeds*.md), each on the lexical default's settings:
    # one model on TF-IDF and MiniLM side by side ...
    "logreg-concat-w10": lambda rs: _lr10("concat", rs),
    # ... or a TF-IDF model and an embedding model, z-scores added with equal weights ...
    "fusion-logreg": lambda rs: FusionRanker([_lr10("tfidf", rs), _lr10("embedding", rs)], method="zscore",
                                             random_state=rs),
    # ... or weighted by each model's cross-validated AUC on the review's own labels.
    "learned-fusion": lambda rs: LearnedFusionRanker([_lr10("tfidf", rs), _lr10("embedding", rs)],
                                                     random_state=rs),
    # The third selection's choice (results/ranker_selection_tuning_round3.md): the same two
    # models, the weights learnt once per 25% more labels (not at every refit), the lexical model
    # given a head start (its weight x1.5), refitted on the schedule in RANKER_SCHEDULES.
    "learned-fusion-grid": lambda rs: LearnedFusionRanker([_lr10("tfidf", rs), _lr10("embedding", rs)],
                                                          reweight_growth=0.25, prior_lean=1.5, random_state=rs),
    # The fourth selection's choice (results/ranker_selection_tuning_round4.md): the same, but the
    # lexical model is a linear SVM with ASReview's ELAS u4 numbers (C 0.11, includes weighted
    # 9.8x; ~5.4x ELAS u4's C under screener's class weights): fewer tuning reviews far behind that
    # SVM, a higher macro WSS@95.
    "learned-fusion-svm": lambda rs: learned_fusion_svm(rs),
    # The fifth selection's choice (results/ranker_selection_tuning_round5.md): the same two
    # models, but each weight is its AUC's odds cubed, so the model that clearly separates the
    # review's includes better leads instead of being averaged with the other.
    "learned-fusion-svm-p3": lambda rs: learned_fusion_svm(rs, weight_power=3.0),
    # The sixth selection's choice (results/ranker_selection_tuning_round6.md): the odds to the
    # fifth power, the weaker model's say smaller still.
    "learned-fusion-svm-p5": lambda rs: learned_fusion_svm(rs, weight_power=5.0),
    # The eleventh selection's eligible candidates (results/ranker_selection_tuning_round11.md): the
    # cube, with the SVM more regularised (C 0.031 or 0.047, between ELAS u4's true C and 0.11); on
    # the tuning reviews each had one review more than 3 points behind ASReview itself instead of
    # two, and more early recall. The first missed a stopping bar on the tuning reviews (round 12).
    "learned-fusion-svm-p3-c031": lambda rs: learned_fusion_svm(rs, svm_C=SVM_C_3Q, weight_power=3.0),
    "learned-fusion-svm-p3-c047": lambda rs: learned_fusion_svm(rs, svm_C=SVM_C_HALF, weight_power=3.0),
    # The fourteenth selection's eligible candidate (results/ranker_selection_tuning_round14.md): the
    # same, each model's AUC read from the cross-validation and from how it ranked the records
    # screened next (prequential), pooled pair for pair; set aside after the reported runs
    # (results/summary_round14_cvpreq.md).
    "learned-fusion-svm-p3-c047-cvpreq": lambda rs: learned_fusion_svm(rs, svm_C=SVM_C_HALF, weight_power=3.0,
                                                                       auc_from="both"),
}

#: Retraining schedules that belong to a ranker (``screener.queue.RetrainSchedule`` settings);
#: the others refit after every decision to 100 labels, then after each 5% more. Chosen with
#: the ranker: after every decision to 20 labels, then after each 10% more, and at once after a
#: new include (includes move the model most; runs of excludes little).
_SPARSE_SCHEDULE = {"every_until": 20, "growth": 0.10, "after_include": True}
RANKER_SCHEDULES: dict[str, dict] = {
    name: _SPARSE_SCHEDULE
    for name in ("learned-fusion-grid", "learned-fusion-svm", "learned-fusion-svm-p3", "learned-fusion-svm-p5",
                 "learned-fusion-svm-p3-c031", "learned-fusion-svm-p3-c047", "learned-fusion-svm-p3-c047-cvpreq")
}

#: The ranker a new project uses: the choice of the twelfth selection on the tuning reviews (round
#: 11's eligible candidates, ``choose_round10`` on ``ROUND11_CANDIDATES`` in
#: benchmarks/select_ranker.py, committed at 4b0a629 before its results, in that rule's order, the
#: first to meet every stopping bar on the tuning reviews: ``ROUND12_CANDIDATES``, committed at
#: d2e1b23; the choice frozen at 455e60b before any run on the reported sets; see the README).
#: The fourteenth selection's pick, "learned-fusion-svm-p3-c047-cvpreq", was the default from
#: dedf690 until its run on the reported sets, where it did worse (results/summary_round14_cvpreq.md):
#: set aside, as the sixth's was (the odds to the fifth power), said so in the README.
#: Before it: "learned-fusion-svm-p3", the fifth selection's choice.
#: It reads the packaged MiniLM embeddings, offline; without them a project uses ``LEXICAL_RANKER``.
#: Projects that stored "default" follow it; a project that stored a ranker by name keeps that one.
DEFAULT_RANKER = "learned-fusion-svm-p3-c047"

#: Feature kind each registered ranker needs ("tfidf", "embedding" or "both").
RANKER_FEATURES: dict[str, str] = {
    "logreg-tfidf": "tfidf",
    "svm-tfidf": "tfidf",
    "nb-tfidf": "tfidf",
    "logreg-embed": "embedding",
    "svm-embed": "embedding",
    "logreg-concat": "both",
    "svm-concat": "both",
    "fusion": "both",
    "logreg-concat-w10": "both",
    "fusion-logreg": "both",
    "learned-fusion": "both",
    "learned-fusion-grid": "both",
    "learned-fusion-svm": "both",
    "learned-fusion-svm-p3": "both",
    "learned-fusion-svm-p5": "both",
    "learned-fusion-svm-p3-c031": "both",
    "learned-fusion-svm-p3-c047": "both",
    "learned-fusion-svm-p3-c047-cvpreq": "both",
}

#: What a project ranks with when it has no embeddings (``--embedding-model none``): the best
#: lexical ranker of the first selection (results/ranker_selection_seeds*.md).
LEXICAL_RANKER = "logreg-tfidf"


def default_ranker(embeddings: bool = True) -> str:
    """The default ranker for a project with (or without) sentence embeddings."""
    if embeddings or RANKER_FEATURES[DEFAULT_RANKER] == "tfidf":
        return DEFAULT_RANKER
    return LEXICAL_RANKER


def ranker_schedule(name) -> dict:
    """The retraining schedule settings a ranker (by registry name) comes with ({}: the usual)."""
    return dict(RANKER_SCHEDULES.get(name, {})) if isinstance(name, str) else {}


def make_ranker(name: str, random_state: int = 0) -> Ranker:
    """A fresh, unfitted ranker by registry name (see ``RANKERS``)."""
    try:
        factory = RANKERS[name]
    except KeyError:
        raise ScreenerError(
            f"unknown ranker {name!r}; choose one of: {', '.join(RANKERS)}"
        ) from None
    return factory(int(random_state))


__all__ = [
    "DEFAULT_RANKER",
    "LEXICAL_RANKER",
    "LearnedFusionRanker",
    "RANKERS",
    "RANKER_FEATURES",
    "RANKER_SCHEDULES",
    "FusionRanker",
    "LogisticRanker",
    "NaiveBayesRanker",
    "Ranker",
    "SVMRanker",
    "ELAS_U4_C",
    "default_ranker",
    "learned_fusion_svm",
    "make_ranker",
    "ranker_schedule",
]
