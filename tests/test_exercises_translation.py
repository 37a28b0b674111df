"""Notebook 14's exercise checks, fed right and wrong answers."""
import math

import numpy as np
import pytest

from utils.exercises import WrongAnswer
from utils.exercises import translation as checks


def test_predictions_per_sentence_counts_every_token_but_start():
    assert "'[start] ¿ dónde está el baño ?' in" in checks.predictions_per_sentence(7, "¿Dónde está el baño?")
    with pytest.raises(WrongAnswer, match="never predicted"):
        checks.predictions_per_sentence(8, "¿Dónde está el baño?")
    with pytest.raises(WrongAnswer, match="leaves out"):
        checks.predictions_per_sentence(6, "¿Dónde está el baño?")
    with pytest.raises(WrongAnswer, match="as tokens of their own"):
        checks.predictions_per_sentence(5, "¿Dónde está el baño?")
    with pytest.raises(WrongAnswer, match="whole number"):
        checks.predictions_per_sentence(7.0, "¿Dónde está el baño?")


def test_most_attended_source_token_is_the_argmax_of_the_first_row():
    weights = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]])
    tokens = ["where", "is", "tom"]
    assert "'is' takes 70%" in checks.most_attended_source_token(" Is", weights, tokens)
    with pytest.raises(WrongAnswer, match="does not take the largest weight"):
        checks.most_attended_source_token("where", weights, tokens)
    with pytest.raises(WrongAnswer, match="not a token"):
        checks.most_attended_source_token("dónde", weights, tokens)


def test_brevity_penalty_of_a_short_translation():
    hypothesis, reference = ["tom", "está", "aquí"], ["tom", "está", "aquí", "conmigo", "."]
    assert "0.513" in checks.brevity_penalty(math.exp(1 - 5 / 3), hypothesis, reference)
    with pytest.raises(WrongAnswer, match="ratio of the lengths"):
        checks.brevity_penalty(3 / 5, hypothesis, reference)
    with pytest.raises(WrongAnswer, match="exp\\(1 - r / c\\)"):
        checks.brevity_penalty(math.exp(1 - 3 / 5), hypothesis, reference)
    assert "1.000" in checks.brevity_penalty(1.0, reference, hypothesis)
