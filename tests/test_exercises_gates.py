"""Notebook 08a's exercise checks: a right answer passes, a wrong one raises WrongAnswer with a hint."""
import math

import pytest

from utils.exercises import WrongAnswer
from utils.exercises import gates as checks


def test_gru_parameters_counts_three_blocks_with_one_bias():
    assert "18,624 parameters" in checks.gru_parameters(3 * (32 * 64 + 64 * 64 + 64), 64, 32)
    with pytest.raises(WrongAnswer, match="reset_after=True"):
        checks.gru_parameters(3 * (32 * 64 + 64 * 64 + 2 * 64), 64, 32)
    with pytest.raises(WrongAnswer, match="three blocks"):
        checks.gru_parameters(4 * (32 * 64 + 64 * 64 + 64), 64, 32)


def test_smallest_forget_bias_solves_the_power_equation():
    bias = checks.smallest_forget_bias(1000, 0.9)
    assert (1 / (1 + math.exp(-bias))) ** 1000 == pytest.approx(0.9)
    assert checks.cell_after(bias + 1e-6, 1000) == pytest.approx(0.9, abs=1e-6)


def test_forget_bias_wants_the_smallest_bias_that_remembers():
    assert checks.forget_bias(9.2, 1000, 0.9).startswith("c_1000 = 0.90")
    with pytest.raises(WrongAnswer, match="forgot too much"):
        checks.forget_bias(5.0, 1000, 0.9)
    with pytest.raises(WrongAnswer, match="not the smallest"):
        checks.forget_bias(12.0, 1000, 0.9)
    assert checks.forget_bias(4.6, 10, 0.9)  # the same check for a shorter memory


def test_lstm_classifier_parameters_counts_the_embedding_too():
    lstm = 4 * (8 * 4 + 4 * 4 + 4)
    assert "parameters" in checks.lstm_classifier_parameters(10_000 * 8 + lstm + 5, 8, 4)
    with pytest.raises(WrongAnswer, match="LSTM layer alone"):
        checks.lstm_classifier_parameters(lstm, 8, 4)
    with pytest.raises(WrongAnswer, match="embedding"):
        checks.lstm_classifier_parameters(10_000 * 8 + lstm, 8, 4)
