"""Notebook 05's exercise checks, fed right and wrong answers on a tiny model and a tiny embedding table."""
import keras
import numpy as np
import pytest

from utils.exercises import WrongAnswer
from utils.exercises import embedding_flatten as checks


@pytest.fixture(scope="module")
def tiny_model() -> keras.Model:
    inputs = keras.Input(shape=(5,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(10, 3)(inputs))
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(embedded))


def test_parameter_count_accepts_embedding_plus_dense_weights_and_bias(tiny_model):
    assert checks.parameter_count(10 * 3 + 5 * 3 + 1, tiny_model) == "46 parameters"


@pytest.mark.parametrize("wrong", [10 * 3 + 5 * 3, 10 * 3 + 3 + 1])
def test_parameter_count_rejects_a_forgotten_bias_or_one_position(tiny_model, wrong):
    with pytest.raises(WrongAnswer):
        checks.parameter_count(wrong, tiny_model)


VOCABULARY = ["", "[UNK]", "excellent", "great", "superb", "fine", "bad", "awful", "dull"]
TABLE = np.array([[0.05, -0.3], [0.1, 0.1], [1, 0], [2, 0.1], [0.9, 0.3], [1, 1.5], [-1, 0.2], [-1, -0.1], [0.2, 1]],
                 dtype=np.float32)


def test_nearest_rows_accepts_the_cosine_neighbours():
    assert checks.nearest_rows(["great", "superb", "[UNK]", "fine", "dull"], TABLE, VOCABULARY, "excellent") == (
        "great, superb, [UNK], fine, dull")


@pytest.mark.parametrize("wrong", [["great", "superb", "[UNK]", "fine"], ["excellent", "great", "superb", "[UNK]", "fine"],
                                   ["great", "fine", "superb", "dull", "[UNK]"]])
def test_nearest_rows_rejects_four_words_the_word_itself_and_dot_product_order(wrong):
    with pytest.raises(WrongAnswer):
        checks.nearest_rows(wrong, TABLE, VOCABULARY, "excellent")


REVIEWS = ["it was good not bad", "it was bad not good"]


def test_more_positive_review_accepts_the_higher_scored_review():
    assert checks.more_positive_review(REVIEWS[1], REVIEWS, np.array([0.3, 0.6])) == "P(positive) = 0.300, 0.600"


@pytest.mark.parametrize("wrong", [REVIEWS[0], "it was good"])
def test_more_positive_review_rejects_the_other_review_and_another_string(wrong):
    with pytest.raises(WrongAnswer):
        checks.more_positive_review(wrong, REVIEWS, np.array([0.3, 0.6]))
