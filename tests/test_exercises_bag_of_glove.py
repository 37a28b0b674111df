"""Notebook 10's exercise checks, fed right and wrong answers built from tiny vectors, parts and models."""
import keras
import numpy as np
import pytest
from gensim.models import KeyedVectors

from utils import tweets
from utils.exercises import WrongAnswer
from utils.exercises import bag_of_glove as checks


def tiny_vectors() -> KeyedVectors:
    """Return 4-dimensional vectors for a few words."""
    vectors = KeyedVectors(vector_size=4)
    words = ["good", "not", "bad", "it", "is"]
    vectors.add_vectors(words, np.random.default_rng(0).normal(size=(len(words), 4)).astype("float32"))
    return vectors


def right_mean(tokens, vectors):
    """The mean of the known tokens' vectors, zeros if none."""
    known = [vectors[token] for token in tokens if token in vectors.key_to_index]
    return np.mean(known, axis=0) if known else np.zeros(vectors.vector_size, dtype=np.float32)


def test_mean_of_vectors_wants_the_mean_of_the_known_tokens():
    vectors = tiny_vectors()
    assert checks.mean_of_vectors(right_mean, vectors).startswith("the mean")

    def over_every_token(tokens, vectors):
        return tweets.bag_of_vectors(tokens, vectors) / max(len(tokens), 1)

    def divides_by_zero(tokens, vectors):
        return tweets.bag_of_vectors(tokens, vectors) / sum(token in vectors.key_to_index for token in tokens)

    with np.errstate(invalid="ignore", divide="ignore"):
        for wrong, hint in [(tweets.bag_of_vectors, "the sum"), (over_every_token, "divided by every token"),
                            (divides_by_zero, "zeros"), (lambda tokens, vectors: None, "returns None"),
                            (None, "your function")]:
            with pytest.raises(WrongAnswer, match=hint):
                checks.mean_of_vectors(wrong, vectors)


def test_discordant_pairs_wants_each_direction_of_disagreement():
    first = np.array([True, True, True, False, True, False, True])
    second = np.array([True, False, False, False, True, True, True])
    assert checks.discordant_pairs((2, 1), first, second).startswith("right only for the first: 2")
    for wrong, hint in [((1, 2), "swapped"), ((3, 1), "both models get right"), ((2, 0), "in each direction"),
                        ((2.0, 1), "whole counts"), (3, "whole counts")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.discordant_pairs(wrong, first, second)


def test_order_trap_wants_the_same_words_in_another_order():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
    vectors = tiny_vectors()
    assert checks.order_trap(("it is good, not bad", "it is bad, not good"), model, vectors).startswith("same words")
    for wrong, hint in [(("it is good", "it is bad"), "same words"), (("it is good", "it is good"), "different order"),
                        (tweets.FOOD_SENTENCES, "your own"), ("it is good", "pair")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.order_trap(wrong, model, vectors)
