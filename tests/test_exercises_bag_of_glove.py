"""Notebook 10's exercise checks, fed right and wrong answers built from tiny vectors, parts and models."""
import keras
import numpy as np
import pandas as pd
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


def test_random_sample_positions_wants_every_random_sample_tweet_and_only_those():
    parts = pd.Series([tweets.SAMPLE_PARTS[index] for index in [0, 2, 1, 2, 2, 0]])
    labels = np.array([0, 1, 1, 0, 1, 0])
    assert checks.random_sample_positions([1, 3, 4], parts, labels).startswith("3 random-sample training tweets (66.7%")
    for wrong, hint in [([1, 3], "keep them all"), ([0, 1, 3, 4], "only random-sample"), ([1, 3, 4, 6], "positions go"),
                        ([1, 1, 3, 4], "twice")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.random_sample_positions(wrong, parts, labels)


def test_order_trap_wants_the_same_words_in_another_order():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1, activation="sigmoid")])
    vectors = tiny_vectors()
    assert checks.order_trap(("it is good, not bad", "it is bad, not good"), model, vectors).startswith("same words")
    for wrong, hint in [(("it is good", "it is bad"), "same words"), (("it is good", "it is good"), "different order"),
                        (tweets.FOOD_SENTENCES, "your own"), ("it is good", "pair")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.order_trap(wrong, model, vectors)
