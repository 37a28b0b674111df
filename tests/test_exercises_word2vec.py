"""Notebook 04's exercise checks, fed right and wrong answers on tiny vectors and tiny gensim models."""
import numpy as np
import pytest
from gensim.models import KeyedVectors, Word2Vec

from utils.exercises import WrongAnswer
from utils.exercises import word2vec as checks


def test_int64_overflow_power_accepts_the_smallest_overflowing_power():
    assert checks.int64_overflow_power(5, 10_000) == "10000**4 fits, 10000**5 does not"


@pytest.mark.parametrize("wrong", [4, 6, 4.8])
def test_int64_overflow_power_rejects_its_neighbours(wrong):
    with pytest.raises(WrongAnswer):
        checks.int64_overflow_power(wrong, 10_000)


WORDS = ["superb", "boring", "mediocre", "brilliant"]


@pytest.fixture(scope="module")
def vectors() -> KeyedVectors:
    small = KeyedVectors(vector_size=2)
    small.add_vectors(["great", "awful", *WORDS],
                      np.array([[1, 0], [-1, 0], [0.9, 0.1], [-0.9, 0.2], [-0.5, 0.5], [0.7, 0.3]], dtype=np.float32))
    return small


def test_most_negative_words_accepts_the_two_lowest_projections(vectors):
    assert checks.most_negative_words(["boring", "mediocre"], vectors, WORDS).startswith("boring")


@pytest.mark.parametrize("wrong", [["mediocre", "boring"], ["superb", "brilliant"]])
def test_most_negative_words_rejects_a_wrong_order_or_the_positive_words(vectors, wrong):
    with pytest.raises(WrongAnswer):
        checks.most_negative_words(wrong, vectors, WORDS)


REVIEWS = [["the", "actor", "was", "good", "and", "the", "plot", "was", "bad"]] * 20 + [["an", "actor", "plot"]] * 5
SETTINGS = {"vector_size": 8, "min_count": 5, "negative": 2, "epochs": 2, "workers": 1, "seed": 0}


@pytest.fixture(scope="module")
def reference() -> Word2Vec:
    return Word2Vec(REVIEWS, sg=1, window=5, **SETTINGS)


def test_small_window_model_accepts_a_window_2_skip_gram_on_the_same_reviews(reference):
    assert "window 2:" in checks.small_window_model(Word2Vec(REVIEWS, sg=1, window=2, **SETTINGS), reference)


def test_small_window_model_rejects_cbow_other_settings_other_reviews_and_an_untrained_model(reference):
    wrong_models = {
        "sg=1": Word2Vec(REVIEWS, sg=0, window=2, **SETTINGS),
        "epochs": Word2Vec(REVIEWS, sg=1, window=2, **SETTINGS | {"epochs": 1}),
        "same reviews": Word2Vec(REVIEWS[:22], sg=1, window=2, **SETTINGS),
        "not been trained": Word2Vec(sg=1, window=2, **SETTINGS),
    }
    wrong_models["not been trained"].build_vocab(REVIEWS)
    for hint, model in wrong_models.items():
        with pytest.raises(WrongAnswer, match=hint):
            checks.small_window_model(model, reference)
