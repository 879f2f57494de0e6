import numpy as np
import pytest

from screener.errors import ScreenerError
from screener.stopping import ScreeningHistory, default_estimators, recommend, run_all
from screener.stopping.consecutive import ConsecutiveExcludesStop


def test_run_all_names_every_estimator():
    h = ScreeningHistory.from_positions([1, 2, 4, 7, 12], 80, 1000)
    ests = run_all(h)
    assert set(ests) == set(default_estimators()) == {"score_sample", "hypergeometric", "qbcb", "knee", "consecutive"}
    assert all(e.n_screened == 80 for e in ests.values())


def test_advice_mid_review_gives_figures_and_records_to_go():
    h = ScreeningHistory.from_positions([1, 2, 4, 7, 12, 20, 33, 50], 120, 2000)
    a = recommend(h)
    assert a.recommended == "score_sample" and not a.stop
    assert a.message.startswith("Estimated recall ")
    assert "95% interval" in a.message
    assert f"screen about {a.more_records} more records" in a.message
    assert "hypergeometric test" in a.message
    assert a.sample_records and "random sample" in a.message


def test_advice_to_stop_flags_disagreement():
    h = ScreeningHistory.from_positions(range(1, 16), 1875, 2000)
    a = recommend(h)
    assert a.stop and "can stop" in a.message and not a.confirmed
    # the hypergeometric test cannot rule out one more include yet: said with the stop itself
    assert "you can stop with 95% recall (95% confidence), but the hypergeometric test" in a.message


def test_advice_edge_cases():
    done = recommend(ScreeningHistory.from_labels([1, 0, 0]))
    assert done.stop and "Every record" in done.message
    none = recommend(ScreeningHistory.from_labels(np.zeros(50, int), n_total=500))
    assert not none.stop and "No includes found yet" in none.message
    h = ScreeningHistory.from_positions([1], 10, 100)
    with pytest.raises(ScreenerError, match="besides the consecutive"):
        recommend(h, {"consecutive": ConsecutiveExcludesStop(5).estimate(h)})


def test_advice_says_why_in_plain_words():
    # every include in the first 50 of 343 records, then a long run of excludes: the stop is
    # explained by what was seen, the assumption it leans on, and what would make it sure
    h = ScreeningHistory.from_positions([1, 2, 3, 5, 8, 12, 20, 33, 50], 300, 343)
    a = recommend(h)
    assert a.stop and a.why.startswith("Why stop here:")
    assert "The last 250 records screened held no include" in a.why
    assert "9 includes in 50 records" in a.why
    assert "assumption" in a.why and "not a proof" in a.why
    assert a.why in a.message
    wait = recommend(h.prefix(60))
    assert not wait.stop and wait.why.startswith("Why not yet:")
    assert "assumption" in wait.why and wait.why in wait.message


def test_advice_with_no_records_says_import_not_stop():
    a = recommend(ScreeningHistory.from_labels(np.zeros(0, int), n_total=0))
    assert not a.stop and a.estimate is None and a.estimates == {}
    assert "no records to screen yet" in a.message and "nothing is left" not in a.message


def test_advice_right_after_an_include_does_not_count_zero_records():
    # the last decision is an include (e.g. the prior includes were labelled last): no run of excludes
    h = ScreeningHistory.from_labels([0, 1, 0, 1], n_total=60)
    a = recommend(h)
    assert "The last 0 records" not in a.message
    assert "The last record screened was an include; so far the ranking found 2 includes in 4 records." in a.why
    one = recommend(ScreeningHistory.from_labels([1, 0], n_total=60))
    # it read "The last 1 record you screened held no include"
    assert "The last record screened was an exclude; before that the ranking found 1 include in 1 record." \
        in one.why


def test_an_early_reading_says_it_is_early():
    """Four includes at the top of a ranking, then excludes: the model reads a steep fall and can
    put the includes left near 0 while most are unscreened (a tuning review: 0-2 left with 16);
    the advice says the reading is early until 5 includes are found."""
    from screener.stopping.advice import EARLY_INCLUDES

    def advice(found):
        h = ScreeningHistory(labels=np.r_[np.ones(found, int), np.zeros(16, int)], n_total=350)
        return recommend(h, target_recall=0.95, confidence=0.95)

    early = advice(EARLY_INCLUDES - 1)
    assert f"This is an early reading: with only {EARLY_INCLUDES - 1} includes found" in early.message
    assert not early.stop
    assert "early reading" not in advice(EARLY_INCLUDES).message


def test_a_stop_settled_by_the_records_left_names_no_random_sample():
    """40 includes found and 2 records left: recall is at least 95% whatever they hold. The advice
    said 'The random sample certifies ...' with no random sample screened at all."""
    h = ScreeningHistory.from_labels([1] * 40 + [0] * 10, n_total=52)
    a = recommend(h)
    assert a.stop and not h.has_sample
    assert "random sample" not in a.message
    assert "Even if all 2 records left were includes, recall would be at least 95%: you can stop." in a.message
    one = recommend(ScreeningHistory.from_labels([1] * 40 + [0] * 10, n_total=51)).message
    assert "Even if the 1 record left were an include, recall would be at least 95%: you can stop." in one
    # a certificate from a sample still names the sample: 190 of the 200 records left drawn at random, no include
    labels = np.r_[np.ones(20, int), np.zeros(80, int), np.zeros(190, int)]
    sampled = np.r_[np.zeros(100, bool), np.ones(190, bool)]
    s = ScreeningHistory(labels=labels, n_total=300, sampled=sampled, sample_probs=np.where(sampled, 0.95, np.nan),
                         sample_drawn_at=np.where(sampled, 100, -1))
    a = recommend(s)
    assert a.stop and "The random sample certifies at least 95% recall" in a.message and "Even if" not in a.message


def test_a_target_of_97_5_percent_is_not_claimed_as_98():
    """The target and the confidence as the reviewer set them: 'you can stop with 98% recall' was
    said for a target of 97.5% (and 100% for 99.9%), a stronger claim than the test made."""
    from screener.stopping.base import level_pct

    assert [level_pct(x) for x in (0.95, 0.975, 0.999, 1.0, 0.5, 0.57)] == ["95%", "97.5%", "99.9%", "100%", "50%", "57%"]
    h = ScreeningHistory.from_positions([1, 2, 3, 5, 8, 12, 20, 33, 50], 300, 343)
    a = recommend(h, target_recall=0.975, confidence=0.975)
    assert a.stop and "you can stop with 97.5% recall (97.5% confidence)" in a.message
    assert "(97.5% interval 100%–100%)" in a.message and "98%" not in a.message
    wait = recommend(h.prefix(60), target_recall=0.975).message
    assert "To claim 97.5% recall" in wait and "98%" not in wait
    assert "at least 97.5% of the includes have been found" in wait


def test_the_advice_says_how_to_get_the_random_sample_next_no_longer_mixes_in():
    """'screener next' mixes the sample in by itself only while the target allows no include to be
    missed (fewer than 19 found at 95%): after that, the advice names --sample."""
    from screener.status import advised_sample

    few = ScreeningHistory.from_positions([1, 2, 5, 9, 14, 30], n_screened=200, n_total=2000)
    many = ScreeningHistory.from_positions(list(range(1, 191, 10)), n_screened=400, n_total=2000)
    for h, how in ((few, "'screener next' mixes it into the batches"), (many, "'screener next --sample 5'")):
        adv = recommend(h)
        assert not adv.stop and adv.sample_records and how in adv.message
    # the status reads the ranked part, but 'next' counts every include found (a random start's too)
    assert "'screener next --sample 5'" in recommend(few, sample_found=19).message
    # a stop says how to get the sample that would make it sure, too
    done = ScreeningHistory.from_positions(list(range(1, 2000, 5)), n_screened=6000, n_total=20000)
    adv = recommend(done)
    assert adv.stop and adv.sample_records and "--sample 5" in adv.message.split("To be sure")[1]

    class Advice:
        sample_records = 60

    def status(found):
        return {"advice": Advice, "includes_found": found, "n_remaining": 1500, "target_recall": 0.95}

    assert advised_sample(None, 25, status(18)) == 5  # a fifth of the batch
    assert advised_sample(None, 25, status(19)) == 0  # one of 20 may be missed: no sample
    assert advised_sample(None, 25, {**status(40), "target_recall": 0.99}) == 5  # 99% allows none of 40


def test_a_reading_at_another_target_than_the_projects_names_the_sample_option():
    """'screener next' mixes in the sample the project's target asks for: read with 'screener status
    --target-recall 0.95' in a project set to 80%, the advice said "'screener next' mixes it into the
    batches", and next mixed in none (80% allows one of 6 includes to be missed)."""
    few = ScreeningHistory.from_positions([1, 2, 5, 9, 14, 30], n_screened=200, n_total=2000)
    assert "'screener next' mixes it into the batches" in recommend(few, next_target=0.95).message
    for project_target in (0.8, 0.99):
        adv = recommend(few, target_recall=0.95, next_target=project_target)
        assert adv.sample_records and "mixes it into" not in adv.message
        assert "'screener next --sample 5' draws 5 records of each batch at random" in adv.message


def test_an_early_reading_of_the_ranked_part_says_so_beside_every_include_found():
    """The status reads the part screened from rankings: 'with only 4 includes found' was printed
    under a count of 8 includes (the others read in from another tool, or from a random start)."""
    h = ScreeningHistory(labels=np.r_[np.ones(4, int), np.zeros(16, int)], n_total=350)
    msg = recommend(h, target_recall=0.95, confidence=0.95, sample_found=8).message
    assert "with only 4 includes found in the records screened from screener's ranking (8 in all)" in msg
    assert "with only 4 includes found, the curve" in recommend(h, target_recall=0.95, confidence=0.95).message


def test_a_recall_just_below_the_target_is_not_rounded_up_to_it():
    """'Estimated recall 95% ... To claim 95% recall, screen about 120 more records': the estimate
    was 94.6% (35 includes found, about 2 left), rounded up to the target it falls short of."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions(list(range(1, 36)), 400, 2000)
    e = Estimate("score_sample", 400, 35, 2.0, 0.4, 4.0, 35 / 37, 35 / 39, 35 / 35.4, False, needs=120)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert not a.stop
    assert a.message.startswith("Estimated recall 94.6% (95% interval 90%–99%)")


def test_a_sample_certificate_beside_a_lower_model_estimate_says_which_one_stops():
    """The random sample certified 95% recall while the model-based estimate, whose figures lead the
    message, read 94%: "Estimated recall 94% (...), about 2 includes still unscreened (...). The random
    sample certifies at least 95% recall with 95% confidence (QBCB): you can stop." read as a stop below
    the target, with no word on which figure the stop rests on."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions(list(range(1, 31)), 400, 2000)
    e = Estimate("score_sample", 400, 30, 2.0, 0.0, 5.0, 30 / 32, 30 / 35, 1.0, False, needs=120)
    q = Estimate("qbcb", 400, 30, float("nan"), 0.0, 1.0, float("nan"), 30 / 31, 1.0, True)
    a = recommend(h, {"score_sample": e, "qbcb": q}, target_recall=0.95)
    assert a.stop and a.basis == "qbcb"
    assert a.message.startswith("Estimated recall 94% ")
    assert "the stop rests on the random sample's certificate, not on that estimate" in a.message
    # an estimate at the target needs no such word
    e = Estimate("score_sample", 400, 30, 1.0, 0.0, 1.0, 30 / 31, 30 / 31, 1.0, False, needs=120)
    assert "rests on" not in recommend(h, {"score_sample": e, "qbcb": q}, target_recall=0.95).message


def test_a_point_estimate_under_one_include_does_not_read_about_0_beside_an_interval_up_to_5():
    """0.3 includes estimated left, 0-5 in the interval: "about 0 includes still unscreened (95% interval
    0-5)" read as none left beside an interval that allows five, and beside 'keep screening'."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions(list(range(1, 31)), 400, 2000)
    e = Estimate("score_sample", 400, 30, 0.3, 0.0, 5.0, 30 / 30.3, 30 / 35, 1.0, False, needs=120)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert "about 0 includes" not in a.message
    assert "most likely none still unscreened, but up to 5 (95% interval 0–5)" in a.message
    e = Estimate("score_sample", 400, 30, 2.0, 0.0, 5.0, 30 / 32, 30 / 35, 1.0, False, needs=120)
    assert "about 2 includes still unscreened (95% interval 0–5)" in recommend(h, {"score_sample": e}).message


def test_a_wait_judged_on_the_ranked_part_says_so_beside_the_whole_reviews_figures():
    """60 decisions brought in with 'label' before any ranking held 5 includes; the screening from the
    ranking found 17 more. The figures are the whole review's (22 found, 0-1 left: "95% interval
    96%-100%"), but the wait is judged on the ranked part, where 1 more include would be below 95%.
    The advice said "the estimate still allows up to 1 include among the unscreened records, more
    than 95% recall permits", which is not so of 22 includes (22 of 23 is 95.7%)."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions([1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25, 31, 38, 46, 55, 70, 90], 300, 340)
    e = Estimate("score_sample", 360, 22, 0.2, 0.0, 1.0, 22 / 22.2, 22 / 23, 1.0, False, needs=9)
    a = recommend(h, {"score_sample": e}, target_recall=0.95, sample_found=22)
    assert not a.stop and "(95% interval 96%–100%)" in a.message
    assert "more than 95% recall permits." not in a.message
    assert ("more than 95% recall of the 17 includes found in the records screened from screener's ranking permits "
            "(the stop is judged on those)") in a.message
    # screened from the ranking throughout: the plain words
    e = replace_found(e, 17)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert "more than 95% recall permits." in a.message


def replace_found(e, found):
    from dataclasses import replace

    return replace(e, includes_found=found, recall=found / (found + e.remaining), recall_low=found / (found + 1))


def test_the_random_sample_asked_for_is_a_further_one_when_some_was_drawn_already():
    """A review screened with 'screener next --sample 5', 55 records drawn at random so far, none an
    include: QBCB asks for about N more, but the advice said "screen a random sample of about N of the
    records left", as if the 60 did not count."""
    from screener.stopping.base import Estimate

    n = 300
    labels = np.r_[np.ones(20, int), np.zeros(n - 20, int)]
    sampled = np.zeros(n, bool)
    sampled[np.arange(25, n, 5)] = True  # one record in five drawn at random
    h = ScreeningHistory(labels=labels, n_total=1000, sampled=sampled, sample_probs=np.where(sampled, 0.01, np.nan),
                         sample_drawn_at=np.where(sampled, np.arange(n), -1))
    e = Estimate("score_sample", n, 20, 3.0, 0.0, 8.0, 20 / 23, 20 / 28, 1.0, False, needs=150)
    q = Estimate("qbcb", n, 20, float("nan"), 0.0, 30.0, float("nan"), 0.4, 1.0, False, sample_needs=200)
    a = recommend(h, {"score_sample": e, "qbcb": q}, target_recall=0.95)
    assert "screen a further random sample of about 200 of the records left (besides the records drawn so far" \
        in a.message
    assert "screen a random sample of about 200" not in a.message


def test_a_random_orders_advice_quotes_no_records_to_go_before_any_ranking():
    """25 records in the random order a review without protocol text starts in, 1 include of 400:
    the methods' records still needed ("screen about 375 more", "the hypergeometric test ... about 356
    more") read that order as a ranking's best; the advice says they come from the ranking to come."""
    h = ScreeningHistory.from_positions([9], 25, 400)
    ests = run_all(h)
    a = recommend(h, ests, random_order=True)
    assert ests["hypergeometric"].needs and a.more_records == ests["score_sample"].needs  # figures kept
    assert f"about {ests['hypergeometric'].needs} more" not in a.message and "more records (if" not in a.message
    assert "not known yet: from the next batch on, screener ranks the records by the include found" in a.message
    ranked = recommend(h, ests)  # the same figures from a ranking are quoted as before
    assert f"would need about {ests['hypergeometric'].needs} more" in ranked.message


def test_a_stop_says_what_the_hypergeometric_test_still_needs_once():
    """At a stop the hypergeometric test did not share, the advice said it twice: "To be sure, screen the 125
    records left or keep going until the hypergeometric test, which assumes only that the ranking beats random
    order, agrees (about 26 more records, if they are all excludes)" and, as a note, "The hypergeometric test,
    which assumes less, does not confirm this yet (it would need about 26 more records)". Now once, with the stop."""
    h = ScreeningHistory.from_positions(range(1, 16), 1875, 2000)
    a = recommend(h)
    hg = a.estimates["hypergeometric"]
    assert a.stop and not hg.stop and hg.needs
    said = " ".join([a.message, *a.warnings])
    assert said.count("hypergeometric test") == 1 and said.count(f"about {hg.needs} more") == 1, said
    assert f"does not confirm it yet: screen about {hg.needs} more records to confirm it (if they are all excludes)" \
        in a.message
    assert "To be sure, screen the 125 records left." in a.why


def test_the_advice_names_the_estimates_assumption_once():
    """The advice's "Why" says "The estimate leans on one assumption: the ranking keeps putting includes first
    ... This is a judgement, not a proof." and its note below said it again: "Assumes the include rate keeps
    falling down the ranking; no guarantee." The note now keeps its figures only; the method's own note (the
    report's table of methods) keeps the sentence."""
    from screener.stopping.score_sample import ASSUMES

    for h in (ScreeningHistory.from_positions([1, 2, 3, 5, 8, 12, 20, 33, 50], 300, 343),  # stop
              ScreeningHistory.from_positions([1, 2, 4, 7, 12, 20, 33, 50], 120, 2000)):  # not yet
        a = recommend(h)
        assert "leans on one assumption" in a.message
        assert ASSUMES in a.estimate.note
        notes = " ".join(a.warnings)
        assert "keeps falling down the ranking" not in notes and "no guarantee" not in notes, notes
        assert "the chance that recall has already reached 95% is" in notes


def test_records_to_go_are_counted_among_the_records_left_to_screen_when_fewer_are_left():
    """``n_left``: 250 of the 1880 unscreened were excluded unread at a stop and 'screener next' cannot give
    them, 30 records of a search update wait. "screen about N more records", "a random sample of about N of the
    records left" and "screen the N records left" counted the 250 among the records left; with more to go than
    are left to screen, the advice now says that screening the records left cannot be enough."""
    h = ScreeningHistory.from_positions([1, 2, 4, 7, 12, 20, 33, 50], 120, 2000)
    full = recommend(h)
    assert full.more_records > 30 and full.sample_records > 30
    a = recommend(h, n_left=30)
    assert (a.more_records, a.sample_records, a.stop) == (full.more_records, full.sample_records, full.stop)
    assert f"screen about {a.more_records} more records" not in a.message
    assert "Screening the 30 records left to screen cannot claim 95% recall, even if they are all excludes" \
        in a.message
    assert "would be more than the 30 records left to screen" in a.message
    assert "of the records left" not in a.message and "mixes it into the batches" not in a.message


def test_no_random_sample_is_offered_while_records_excluded_at_the_stop_stay_unread():
    """``n_left``: 20 of the 1880 unscreened were excluded unread at a stop, 1860 records of a search update
    wait. 'screener next' draws a sample only from those 1860, never from the 20, so no sample of it can
    certify recall: "For a guaranteed bound instead, screen a random sample of about N of the records left
    ('screener next' mixes it into the batches)" was a bound the reviewer could never get."""
    h = ScreeningHistory.from_positions([1, 2, 4, 7, 12, 20, 33, 50], 120, 2000)
    a = recommend(h, n_left=1860)
    assert a.sample_records and a.sample_records < 1860 and not a.stop
    assert "For a guaranteed bound instead" not in a.message and "mixes it into the batches" not in a.message
    assert "excluded without screening at the stop" in a.message, a.message


def test_one_more_record_to_go_is_said_in_the_singular():
    """'To claim 95% recall, screen about 1 more records' was said when one record was to go."""
    from dataclasses import replace

    h = ScreeningHistory.from_positions([1, 2, 4, 7, 12, 20, 33, 50], 120, 2000)
    ests = run_all(h)
    ests["score_sample"] = replace(ests["score_sample"], stop=False, needs=1)
    a = recommend(h, ests)
    assert "screen about 1 more record (if they are all excludes" in a.message, a.message
    assert "1 more records" not in a.message


def test_a_stop_beside_an_interval_under_the_target_says_which_is_one_sided():
    """The interval is two-sided (2.5% below its lower end), the stop one-sided (a 95% chance that recall is at
    least 95%): "interval 92%-100%" beside "you can stop with 95% recall" read as a contradiction. Where the lower
    end sits under the target, the message says what each is; the figures and the stop are the estimator's."""
    from dataclasses import replace

    h = ScreeningHistory.from_positions(range(1, 16), 1875, 2000)
    ests = run_all(h)
    ests["score_sample"] = replace(ests["score_sample"], recall=0.97, recall_low=0.92, recall_high=1.0, stop=True)
    a = recommend(h, ests)
    assert a.stop and "(95% interval 92%–100%)" in a.message and "can stop with 95% recall" in a.message
    assert ("The interval is two-sided: recall lies below its lower end (92%) with a 2.5% chance. The stop is "
            "one-sided: a 95% chance that recall is at least 95%, so a lower end under 95% does not contradict "
            "it.") in a.message, a.message
    assert a.estimate.recall_low == 0.92  # the estimate as the estimator gave it
    clear = recommend(h)  # lower end at or over the target: nothing to reconcile, nothing said
    assert "two-sided" not in clear.message


def test_why_stop_counts_only_the_records_screened_from_the_ranking_not_the_random_sample():
    """Records drawn at random for the recall check, mixed into the batches, are no part of the ranking's
    run: "The last 245 records you screened from screener's ranking held no include; before that the ranking
    found 10 includes" counted 49 random draws in the run, and the include one of them found as the ranking's."""
    labels = np.zeros(300, dtype=int)
    labels[[0, 1, 2, 4, 7, 11, 19, 32, 49]] = 1  # the ranking's includes, all in its first 50
    sampled = np.zeros(300, dtype=bool)
    sampled[np.arange(54, 300, 5)] = True  # one record of five drawn at random from the 55th on
    labels[54] = 1  # the first draw found an include
    h = ScreeningHistory(labels=labels, n_total=343, sampled=sampled, sample_probs=np.full(300, 0.05),
                         sample_drawn_at=np.where(sampled, np.arange(300), -1))
    a = recommend(h, ranked_part=True)
    assert a.why, a.message
    n_run = int((~sampled[50:]).sum())  # the ranking's records after its last include
    assert f"The last {n_run} records screened from screener's ranking held no include" in a.why, a.why
    assert "before that the ranking found 9 includes in 50 records" in a.why, a.why
    assert f"The {int(sampled.sum())} records drawn at random for the recall check held 1 include" in a.why, a.why


def test_an_80_target_that_waits_beside_an_interval_reaching_80_says_why():
    """Below 95% the stop reads the estimate widened (round 13), the interval shown is not: "Estimated recall 95%
    (95% interval 80%–100%) ... To claim 80% recall, screen about 20 more records" came with a "Why not yet" that
    gave no reason, and a quoted chance of 92% beside an interval that puts 97.5% on at least 80%. The wait says
    why, and the chance says how it was read; at 95% nothing is said (there the two readings are one)."""
    from screener.stopping.synthetic import synthetic_run

    sr = synthetic_run(n_total=2000, prevalence=0.01, separation=2.0, hard_share=0.0, drift=1.0, learning=0.05,
                       seed=1000 + 100 + 2000 + 20)  # round 13's N2000, 1% includes, separation 2, seed 1
    h = sr.history(340)
    a = recommend(h, target_recall=0.8)
    assert not a.stop and a.estimate.recall_low >= 0.8 and "(95% interval 80%–100%)" in a.message, a.message
    cautious = ("The interval already reaches 80%, but below a 95% target the stop asks more than the interval: it "
                "allows for the model fitting the ranking only roughly")
    assert cautious in a.why, a.why
    assert ("the chance that recall has already reached 80%, allowing for the model fitting the ranking only "
            "roughly (as at every target under 95%), is 92%") in a.estimate.note, a.estimate.note
    at95 = recommend(h, target_recall=0.95)
    assert "only roughly" not in at95.message + " ".join(at95.warnings)


def test_an_interval_without_a_point_estimate_is_not_read_as_an_unknown_recall_of_about_an_unknown_number():
    """A search update with no include found yet among its first records screened gives the model no point
    estimate for its part, only an interval: the advice opened "Estimated recall unknown (95% interval
    49%–91%), about an unknown number of includes still unscreened (95% interval 13–144)". It now says there
    is no point estimate yet and gives the intervals, as the report's methods text does."""
    from screener.stopping.advice import estimate_words
    from screener.stopping.base import Estimate

    nan = float("nan")
    e = Estimate("score_sample", 210, 138, nan, 13.0, 144.0, nan, 138 / 282, 138 / 151, False)
    words = estimate_words(e, 0.95, 0.95)
    assert words == ("Recall has no point estimate yet (95% interval 49%–91%); between 13 and 144 includes are "
                     "still unscreened (95% interval).")
    assert "unknown" not in words and "about" not in words


def test_decisions_not_made_from_the_ranking_are_not_said_found_by_it():
    """With a search update, the advice reads every decision, the 50 screened in random order before the
    first include among them: "so far the ranking found 138 includes in 210 records" stood beside "50 of the
    210 decisions were not made from screener's ranking". Those finds are now the reviewer's."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions(list(range(1, 31)), 400, 2000)
    e = Estimate("score_sample", 400, 30, 2.0, 0.0, 5.0, 30 / 32, 30 / 35, 1.0, False, needs=120)
    said = recommend(h, {"score_sample": e}, target_recall=0.95).message
    assert "before that the ranking found 30 includes in 30 records" in said
    off = recommend(h, {"score_sample": e}, target_recall=0.95, off_ranking=True).message
    assert "before that the screening found 30 includes in 30 records" in off
    assert "the ranking found" not in off


def test_advice_before_any_record_is_screened_says_to_start_not_to_keep_screening():
    """A new review (the peer-work search imported, nothing screened) read "No includes found yet after 0 of 290
    records, so recall cannot be estimated. Keep screening": screening that had not begun, counted as if it had."""
    fresh = recommend(ScreeningHistory.from_labels(np.zeros(0, int), n_total=290))
    assert not fresh.stop
    assert fresh.message.startswith("No includes found yet: no record has been screened, so recall cannot be "
                                    "estimated. Start screening;"), fresh.message
    assert "after 0 of" not in fresh.message and "Keep screening" not in fresh.message
    some = recommend(ScreeningHistory.from_labels(np.zeros(50, int), n_total=500))
    assert "No includes found yet after 50 of 500 records" in some.message and "Keep screening" in some.message


def test_a_wait_gives_the_chance_the_stop_reads_not_an_interval_that_reads_as_met():
    """A small review (290 records, 22 includes found by decision 120): the wait said "the estimate still allows up
    to 2 includes among the unscreened records, more than 95% recall permits", and later the same kind of interval
    said stop. The stop reads the chance that recall has reached the target (94% here, 95% needed): the wait says
    so. Words only: the stop is the estimator's, unchanged."""
    from screener.stopping.score_sample import ScoreSampleEstimator
    from screener.stopping.synthetic import synthetic_run

    h = synthetic_run(n_total=290, prevalence=0.08, separation=2.5, seed=18).history(120)
    a = recommend(h)
    assert h.includes_found == 22 and a.estimate.remaining_high == 2
    assert not a.stop and a.stop == ScoreSampleEstimator().stops(h) and a.estimate.chance < 0.95
    assert a.why.startswith("Why not yet: the chance that at least 95% of the includes have been found is 94%; a "
                            "stop needs 95%."), a.why
    assert "allows up to" not in a.why and "recall permits" not in a.why
    assert "is 94%" in a.estimate.note  # the same figure as the estimate's own note
    later = recommend(synthetic_run(n_total=290, prevalence=0.08, separation=2.5, seed=18).history(200))
    assert later.stop and later.estimate.chance >= 0.95


def test_a_wait_on_the_ranked_part_gives_the_chance_of_those_includes():
    """The figures are the whole review's (22 found), the wait the ranked part's (17): the chance says so."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions([1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25, 31, 38, 46, 55, 70, 90], 300, 340)
    e = Estimate("score_sample", 360, 22, 0.2, 0.0, 1.0, 22 / 22.2, 22 / 23, 1.0, False, needs=9, chance=0.9)
    a = recommend(h, {"score_sample": e}, target_recall=0.95, sample_found=22)
    assert not a.stop
    assert ("Why not yet: the chance that at least 95% of the includes have been found of the 17 includes found in "
            "the records screened from screener's ranking (the stop is judged on those) is 90%; a stop needs 95%.") \
        in a.why, a.why


def test_a_wait_on_a_ranked_part_with_too_few_includes_says_so_beside_a_high_chance():
    """The ranked part holds 2 includes, the whole review 5 (3 picked off the ranking): the estimate's stop waits
    for 3 includes in the part it reads, whatever its chance. The wait said "the chance ... is over 99%; a stop
    needs 95%" and not yet, with no reason: it checked the whole review's 5 includes, not the part's 2."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions([1, 3], 300, 340)
    e = Estimate("score_sample", 340, 5, 0.0, 0.0, 1.0, 1.0, 5 / 6, 1.0, False, needs=40, chance=0.999)
    a = recommend(h, {"score_sample": e}, target_recall=0.95, sample_found=5)
    assert not a.stop
    said = ("of the 2 includes found in the records screened from screener's ranking (the stop is judged on those) "
            "is over 99%; a stop needs 95%, and the estimate does not say stop before 3 includes are found.")
    assert said in a.why, a.why


def test_a_wait_with_an_include_drawn_at_random_gives_the_chance_of_every_include_found():
    """A draw for the recall check found the 10th include: the estimate's chance reads all 10 (the random sample's
    finds count as found), and the wait said it was "of the 9 includes found in the records screened from
    screener's ranking (the stop is judged on those)", a count the stop does not read."""
    from screener.stopping.base import Estimate

    labels = np.zeros(300, dtype=int)
    labels[[0, 1, 2, 4, 7, 11, 19, 32, 49]] = 1  # the ranking's includes, all in its first 50
    sampled = np.zeros(300, dtype=bool)
    sampled[np.arange(54, 300, 5)] = True
    labels[54] = 1  # the first draw found an include
    h = ScreeningHistory(labels=labels, n_total=343, sampled=sampled, sample_probs=np.full(300, 0.05),
                         sample_drawn_at=np.where(sampled, np.arange(300), -1))
    e = Estimate("score_sample", 343, 10, 0.3, 0.0, 2.0, 10 / 10.3, 10 / 12, 1.0, False, needs=20, chance=0.9)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert not a.stop and h.includes_found == 10
    assert a.why.startswith("Why not yet: the chance that at least 95% of the includes have been found is 90%; a "
                            "stop needs 95%."), a.why
    assert "of the 9 includes" not in a.why, a.why


def test_a_wait_read_with_includes_found_off_the_ranking_names_no_count_it_did_not_read():
    """The ranked part held 9 includes, the review 12: 3 found among records picked far below the ranking's top held
    the stop back, read where they were found (``status._with_includes_off_the_ranking``). That reading's chance
    counts them too; the wait said it was "of the 9 includes found in the records screened from screener's
    ranking (the stop is judged on those)"."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions([1, 2, 3, 5, 8, 12, 20, 33, 50], 300, 343)
    e = Estimate("score_sample", 343, 12, 0.4, 0.0, 2.0, 12 / 12.4, 12 / 14, 1.0, False, needs=30, chance=0.8,
                 found_off_ranking=True)
    a = recommend(h, {"score_sample": e}, target_recall=0.95, sample_found=12, ranked_part=True)
    assert not a.stop
    assert a.why.startswith("Why not yet: the chance that at least 95% of the includes have been found is 80%; a "
                            "stop needs 95%."), a.why
    assert "of the 9 includes" not in a.why, a.why


def _ranked_with_one_include_drawn(ranked_includes: int) -> ScreeningHistory:
    """300 records screened of 343: the ranking's includes in its first 50, one record in five drawn at random for
    the recall check from record 55 on, the first draw an include."""
    labels = np.zeros(300, dtype=int)
    labels[[0, 1, 2, 4, 7, 11, 15, 19, 24, 28, 32, 36, 40, 43, 45, 47, 48, 49][:ranked_includes]] = 1
    sampled = np.zeros(300, dtype=bool)
    sampled[np.arange(54, 300, 5)] = True
    labels[54] = 1
    return ScreeningHistory(labels=labels, n_total=343, sampled=sampled, sample_probs=np.full(300, 0.05),
                            sample_drawn_at=np.where(sampled, np.arange(300), -1))


def test_a_wait_on_the_interval_counts_the_include_drawn_at_random():
    """18 includes from the ranking and 1 a draw found: 19, and up to 1 left is 95% (19 of 20). The interval's
    wait (an estimate with no chance to quote) said "allows up to 1 include among the unscreened records, more than
    95% recall of the 18 includes found in the records screened from screener's ranking permits", a count one short
    and a limit the stop does not read (it counts the draw's include, as the chance's words do)."""
    from screener.stopping.base import Estimate

    h = _ranked_with_one_include_drawn(18)
    assert h.includes_found == 19
    e = Estimate("score_sample", 300, 19, 0.3, 0.0, 1.0, 19 / 19.3, 19 / 20, 1.0, False, needs=20)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert not a.stop
    assert "allows up to" not in a.why and "of the 18 includes" not in a.why, a.why
    e = Estimate("score_sample", 300, 19, 0.6, 0.0, 2.0, 19 / 19.6, 19 / 21, 1.0, False, needs=20)
    a = recommend(h, {"score_sample": e}, target_recall=0.95)
    assert a.why.startswith("Why not yet: the estimate still allows up to 2 includes among the unscreened records, "
                            "more than 95% recall permits. "), a.why


def test_an_80_target_wait_says_the_interval_reaches_it_counting_the_include_drawn_at_random():
    """7 includes from the ranking and 1 a draw found: 8, and up to 2 left is 80% (8 of 10). The wait did not say
    "The interval already reaches 80%" (it counted 7, which allow only 1 left), and without a chance to quote it
    said "allows up to 2 includes ... more than 80% recall of the 7 includes found ... permits"."""
    from screener.stopping.base import Estimate

    h = _ranked_with_one_include_drawn(7)
    assert h.includes_found == 8
    e = Estimate("score_sample", 300, 8, 0.5, 0.0, 2.0, 8 / 8.5, 8 / 10, 1.0, False, needs=20, chance=0.9)
    a = recommend(h, {"score_sample": e}, target_recall=0.8)
    assert not a.stop
    assert "is 90%; a stop needs 95%. The interval already reaches 80%, but below a 95% target" in a.why, a.why
    e = Estimate("score_sample", 300, 8, 0.5, 0.0, 2.0, 8 / 8.5, 8 / 10, 1.0, False, needs=20)
    a = recommend(h, {"score_sample": e}, target_recall=0.8)
    assert a.why.startswith("Why not yet: the interval already reaches 80%, but below a 95% target"), a.why
    assert "allows up to" not in a.why and "of the 7 includes" not in a.why, a.why


def test_a_wait_read_as_a_random_sample_does_not_say_it_is_judged_on_a_rankings_includes():
    """Every record screened came in the random order a review without protocol text starts in: 60 drawn from it
    held 2 includes, and 2 more were found among records picked far below its top (a keyword search). The estimate
    reads the draws as a random sample and counts all 4 found (``status._as_random_sample``); the wait said "more
    than 95% recall of the 2 includes found in the records screened from screener's ranking permits (the stop is
    judged on those)": no ranking had screened anything, and the stop reads the 4."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions([5, 30], 60, 400)
    e = Estimate("score_sample", 64, 4, 10.0, 3.0, 25.0, 4 / 14, 4 / 29, 4 / 7, False)
    a = recommend(h, {"score_sample": e}, target_recall=0.95, sample_found=4, random_order=True)
    assert not a.stop
    assert ("Why not yet: the estimate still allows up to 25 includes among the unscreened records, more than 95% "
            "recall permits.") in a.why, a.why
    assert "ranking" not in a.why.split(". The")[0], a.why


@pytest.mark.parametrize("target", [0.8, 0.95])
def test_a_random_start_whose_interval_reaches_the_target_says_why_it_waits_without_a_ranking(target):
    """A review without protocol text: 185 of 200 records screened in random order held 35 includes, and the
    random sample's interval (0-1 left) reaches the target, but the stop also waits for the estimate's own
    reading of the order. At 80% the wait said "below a 95% target the stop asks more than the interval: it
    allows for the model fitting the ranking only roughly", with no ranking yet; at 95% it gave no reason."""
    from screener.stopping.base import Estimate

    h = ScreeningHistory.from_positions(list(range(1, 176, 5)), 185, 200)
    assert h.includes_found == 35
    e = Estimate("score_sample", 185, 35, 0.4, 0.0, 1.0, 35 / 35.4, 35 / 36, 1.0, False)
    a = recommend(h, {"score_sample": e}, target_recall=target, random_order=True)
    tgt = f"{round(100 * target)}%"
    assert not a.stop
    assert "fitting the ranking" not in a.why, a.why
    assert a.why.startswith(f"Why not yet: the interval already reaches {tgt}, but in the random start a stop also "
                            "needs the estimate's own reading of the records in the order they came"), a.why


def test_a_stop_the_hypergeometric_test_does_not_share_says_so_with_the_stop():
    """A hunt stopped at 88.6% recall for a 95% target: the advice said "The model-based estimate says you can stop"
    and only a note below it that the hypergeometric test did not confirm it. The stop's own sentence says it now,
    with what to do; a stop both share reads as before."""
    h = ScreeningHistory.from_positions(range(1, 16), 1875, 2000)
    a = recommend(h)
    hg = a.estimates["hypergeometric"]
    assert a.stop and not hg.stop and not a.confirmed
    assert (f"The model-based estimate says you can stop with 95% recall (95% confidence), but the hypergeometric "
            f"test, which assumes less, does not confirm it yet: screen about {hg.needs} more records to confirm it "
            "(if they are all excludes), or stop if you accept the model's assumption (see 'Why stop here' below)."
            ) in a.message
    assert not any("hypergeometric" in w for w in a.warnings)
    both = recommend(ScreeningHistory.from_positions(range(1, 16), 1990, 2000))
    assert both.stop and both.estimates["hypergeometric"].stop and both.confirmed
    assert "The model-based estimate says you can stop with 95% recall (95% confidence)." in both.message
    assert "does not confirm" not in both.message
    # beyond the records 'next' can give, no count to screen: what stopping now accepts
    far = recommend(h, n_left=hg.needs - 1)
    assert not far.confirmed and f"about {hg.needs} more" not in far.message
    assert ("does not confirm it yet: screen on until it confirms it, or stop only if you accept the model's "
            "assumption (see 'Why stop here' below).") in far.message
