"""The exercise checks of notebooks 13a and 13b, fed right and wrong answers."""
import math

import pytest

from utils import language_model
from utils.exercises import WrongAnswer
from utils.exercises import language_model as checks


@pytest.fixture(scope="module")
def character_model():
    """A tiny character GRU: 4 characters + [UNK] (V = 5), embedding 3, 4 units."""
    return language_model.character_language_model(list("abcd"), cell="gru", units=4, embedding_dim=3)


def test_parameter_formula_right_for_any_vocabulary_size(character_model):
    def count(V):
        return V * 3 + 3 * (3 * 4 + 4 * 4 + 2 * 4) + 4 * V + V

    assert checks.parameter_formula(count, character_model) == f"{5 * 3 + 108 + 25} parameters"


def test_parameter_formula_wrong_with_one_gru_bias_or_a_copied_total(character_model):
    with pytest.raises(WrongAnswer, match="two biases"):
        checks.parameter_formula(lambda V: V * 3 + 3 * (3 * 4 + 4 * 4 + 4) + 4 * V + V, character_model)
    total = character_model.count_params()
    with pytest.raises(WrongAnswer, match="not for V = 6"):
        checks.parameter_formula(lambda V: total, character_model)
    with pytest.raises(WrongAnswer, match="function of V"):
        checks.parameter_formula(total, character_model)


def test_perplexity_is_two_to_the_bits():
    assert "about 4.0 characters" in checks.perplexity(2**2.0, 2.0)
    assert "about 4.0 characters" in checks.perplexity(3.99, 2.0)  # rounded by hand, still right
    with pytest.raises(WrongAnswer, match="equally likely characters"):
        checks.perplexity(math.e**2.0, 2.0)


def test_fixed_distance_accuracy_must_beat_the_varying_distance_and_chance():
    assert "90% at a fixed distance of 50, against 13%" in checks.fixed_distance_accuracy(0.9, 0.13)
    assert checks.fixed_distance_accuracy(0.5, math.nan)
    with pytest.raises(WrongAnswer, match="shortest=50"):
        checks.fixed_distance_accuracy(0.12, 0.13)
    with pytest.raises(WrongAnswer, match="shortest=50"):
        checks.fixed_distance_accuracy(0.15, math.nan)
    with pytest.raises(WrongAnswer, match="not an accuracy"):
        checks.fixed_distance_accuracy(90, 0.13)
