"""utils.stats against SciPy and against cases worked by hand."""
import numpy as np
import pytest
from scipy import stats as scipy_stats

from utils import stats


def test_correct_thresholds_probabilities_at_one_half():
    assert stats.correct([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.6]).tolist() == [True, True, False, False]


def test_accuracy_interval_is_wilsons_and_holds_the_accuracy():
    answers = np.array([True] * 80 + [False] * 20)
    low, high = stats.accuracy_interval(answers)
    assert low < 0.8 < high
    # Wilson's interval by its formula, z = 1.96.
    z, n, p = scipy_stats.norm.ppf(0.975), 100, 0.8
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert (low, high) == pytest.approx((centre - half, centre + half), abs=1e-9)
    assert stats.wilson_interval(80, 100) == (low, high)
    assert stats.interval_of_accuracy(0.8, 100) == (low, high)  # 80 right answers out of 100
    assert stats.interval_of_accuracy(0.8049, 41) == stats.wilson_interval(33, 41)  # 33.0 right answers, rounded


def test_paired_test_counts_discordant_examples_and_is_exact():
    first = np.array([True, True, True, False, True, False])
    second = np.array([True, False, False, False, True, True])
    result = stats.paired_test(first, second)
    assert (result.only_first_right, result.only_second_right) == (2, 1)
    assert result.p_value == pytest.approx(1.0)  # 2 of 3 discordant pairs: as likely as chance
    lopsided = stats.paired_test([True] * 20, [False] * 20)
    assert lopsided.p_value == pytest.approx(2 * 0.5**20)
    assert "McNemar exact p" in str(lopsided)


def test_paired_test_of_identical_answers_finds_nothing_and_refuses_mismatched_lengths():
    assert stats.paired_test([True, False], [True, False]).p_value == 1.0
    with pytest.raises(ValueError, match="same examples"):
        stats.paired_test([True], [True, False])


def test_bootstrap_interval_covers_the_mean_and_narrows_with_more_examples():
    rng = np.random.default_rng(1)
    small, large = rng.normal(size=50), rng.normal(size=5_000)
    small_low, small_high = stats.bootstrap_interval(small)
    large_low, large_high = stats.bootstrap_interval(large)
    assert small_low < small.mean() < small_high and large_low < large.mean() < large_high
    assert large_high - large_low < (small_high - small_low) / 5
    assert stats.bootstrap_interval(small) == (small_low, small_high), "seeded: the same interval every time"


def test_paired_difference_interval_holds_the_difference_and_excludes_zero_for_a_clear_gap():
    first = np.array([True] * 90 + [False] * 10)
    second = np.array([True] * 60 + [False] * 40)
    low, high = stats.paired_difference_interval(first, second)
    assert low < 0.30 < high and low > 0
    same_low, same_high = stats.paired_difference_interval(first, first)
    assert same_low == same_high == 0.0
    with pytest.raises(ValueError, match="same examples"):
        stats.paired_difference_interval(first, second[:50])


def test_over_seeds_calls_once_per_seed_with_keras_seeded_and_summarises():
    import keras

    summary = stats.over_seeds(lambda seed: keras.random.uniform(()).numpy() + seed, seeds=(1, 2, 3))
    repeated = stats.over_seeds(lambda seed: keras.random.uniform(()).numpy() + seed, seeds=(1, 2, 3))
    assert summary == repeated and summary.seeds == (1, 2, 3)
    values = np.array(summary.values)
    assert summary.mean == pytest.approx(values.mean())
    assert summary.standard_error == pytest.approx(values.std(ddof=1) / np.sqrt(3))
    assert "3 seeds" in str(summary)


def test_differs_over_seeds_needs_more_than_twice_the_standard_error():
    tight = stats.SeedSummary((1, 2, 3), (0.80, 0.81, 0.82))
    close = stats.SeedSummary((1, 2, 3), (0.81, 0.82, 0.83))
    far = stats.SeedSummary((1, 2, 3), (0.90, 0.91, 0.92))
    assert not stats.differs_over_seeds(tight, close)
    assert stats.differs_over_seeds(tight, far)
