"""Uncertainty of accuracies: intervals for one model, a paired test for two models on the same examples."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class PairedTest:
    """McNemar's exact test of two classifiers on the same examples."""

    only_first_right: int
    only_second_right: int
    p_value: float

    def __str__(self) -> str:
        """Return the test in one line: the discordant counts and the two-sided p-value."""
        return (f"right only for the first: {self.only_first_right}, only for the second: {self.only_second_right}, "
                f"McNemar exact p = {self.p_value:.3g}")


def correct(labels: np.ndarray, probabilities: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Return, for each example, whether probability > threshold matches its 0/1 label."""
    return (np.asarray(probabilities).ravel() > threshold) == np.asarray(labels).ravel().astype(bool)


def wilson_interval(right: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson interval of an accuracy of right answers out of total."""
    interval = stats.binomtest(int(right), int(total)).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


def interval_of_accuracy(accuracy: float, examples: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson interval of an accuracy reported as a fraction of `examples` (its right answers rounded)."""
    return wilson_interval(round(accuracy * examples), examples, confidence)


def accuracy_interval(correct_answers: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Return the Wilson interval of an accuracy measured on these right/wrong answers."""
    answers = np.asarray(correct_answers, dtype=bool).ravel()
    return wilson_interval(int(answers.sum()), answers.size, confidence)


def paired_answers(first_correct: np.ndarray, second_correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return two models' right/wrong answers as flat boolean arrays, refusing answers to different examples."""
    first, second = (np.asarray(answers, dtype=bool).ravel() for answers in (first_correct, second_correct))
    if first.shape != second.shape:
        raise ValueError(f"both models must answer the same examples: {first.size} and {second.size} answers")
    return first, second


def paired_test(first_correct: np.ndarray, second_correct: np.ndarray) -> PairedTest:
    """Return McNemar's exact test: do two classifiers right on different examples differ more than by chance?"""
    first, second = paired_answers(first_correct, second_correct)
    only_first, only_second = int(np.sum(first & ~second)), int(np.sum(~first & second))
    discordant = only_first + only_second
    p_value = 1.0 if discordant == 0 else stats.binomtest(only_first, discordant, 0.5).pvalue
    return PairedTest(only_first, only_second, float(p_value))


def bootstrap_interval(values: np.ndarray, statistic=np.mean, *, rounds: int = 2_000, confidence: float = 0.95,
                       seed: int = 0) -> tuple[float, float]:
    """Return the percentile bootstrap interval of statistic over examples resampled with replacement."""
    values = np.asarray(values)
    rng = np.random.default_rng(seed)
    draws = [statistic(values[rng.integers(0, len(values), len(values))]) for _ in range(rounds)]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def paired_difference_interval(first_correct: np.ndarray, second_correct: np.ndarray, *, rounds: int = 2_000,
                               confidence: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Return the paired bootstrap interval of accuracy(first) - accuracy(second) on the same examples."""
    first, second = paired_answers(first_correct, second_correct)
    return bootstrap_interval(first.astype(int) - second.astype(int), rounds=rounds, confidence=confidence, seed=seed)


@dataclass(frozen=True)
class SeedSummary:
    """One score measured over several seeds: the values, their mean and the standard error of the mean."""

    seeds: tuple[int, ...]
    values: tuple[float, ...]

    @property
    def mean(self) -> float:
        """Return the mean over seeds."""
        return float(np.mean(self.values))

    @property
    def standard_error(self) -> float:
        """Return the standard error of the mean (sample standard deviation / sqrt(number of seeds))."""
        return float(np.std(self.values, ddof=1) / np.sqrt(len(self.values))) if len(self.values) > 1 else float("nan")

    def __str__(self) -> str:
        """Return the mean ± standard error and the number of seeds in one line."""
        return f"{self.mean:.4f} ± {self.standard_error:.4f} (mean ± s.e., {len(self.values)} seeds)"


def over_seeds(score_with_seed, seeds=(42, 43, 44)) -> SeedSummary:
    """Return score_with_seed(seed) for each seed (Keras, NumPy and Python seeded first) as a SeedSummary."""
    import keras

    values = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        values.append(float(score_with_seed(seed)))
    return SeedSummary(tuple(int(seed) for seed in seeds), tuple(values))


def differs_over_seeds(first: SeedSummary, second: SeedSummary) -> bool:
    """Return True when two means over seeds differ by more than twice their combined standard error."""
    return abs(first.mean - second.mean) > 2 * float(np.hypot(first.standard_error, second.standard_error))
