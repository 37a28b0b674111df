"""Notebook 02's exercise checks, fed right and wrong answers on tiny corpora and a tiny TF-IDF model."""
import math

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from utils import vectorize
from utils.exercises import WrongAnswer
from utils.exercises import vectorizing as checks

WORDS = [f"word{i}" for i in range(200)]


def test_hash_bits_accepts_the_smallest_number_of_bits():
    shares = {bits: vectorize.expected_colliding_words(200, 2**bits) / 200 for bits in range(1, 20)}
    smallest = min(bits for bits, share in shares.items() if share < 0.05)
    assert "measured" in checks.hash_bits(smallest, WORDS)


@pytest.mark.parametrize("offset", [-1, 1])
def test_hash_bits_rejects_one_bit_too_few_or_too_many(offset):
    smallest = next(bits for bits in range(1, 20) if vectorize.expected_colliding_words(200, 2**bits) / 200 < 0.05)
    with pytest.raises(WrongAnswer):
        checks.hash_bits(smallest + offset, WORDS)


CORPUS = [["a", "bad", "bad", "film"], ["a", "good", "film"], ["a", "film"]]


def test_textbook_tfidf_accepts_tf_times_log_idf():
    assert "bad" in checks.textbook_tfidf(2 / 4 * math.log(3 / 1), CORPUS, 0, "bad")


@pytest.mark.parametrize("wrong", [2 * math.log(3 / 1), 2 / 4 * math.log(1 + 3 / 2), None])
def test_textbook_tfidf_rejects_raw_counts_smoothed_idf_and_no_answer(wrong):
    with pytest.raises(WrongAnswer):
        checks.textbook_tfidf(wrong, CORPUS, 0, "bad")


TEXTS = ["good great fine", "great good movie", "fine good film", "bad awful dull", "awful bad movie", "dull bad film"] * 4
LABELS = np.array([1, 1, 1, 0, 0, 0] * 4)


def tfidf_vectorizer(ngrams):
    vectorizer = keras.layers.TextVectorization(max_tokens=9, ngrams=ngrams, output_mode="tf_idf")
    vectorizer.adapt(tf.constant(TEXTS))
    return vectorizer


def trained_classifier(vectorizer, epochs):
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(9,), sparse=True)
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    if epochs:
        model.fit(vectorize.tfidf_dataset(TEXTS, LABELS, vectorizer), epochs=epochs, shuffle=False, verbose=0)
    return model


@pytest.fixture(scope="module")
def unigram():
    vectorizer = tfidf_vectorizer(None)
    return vectorizer, trained_classifier(vectorizer, epochs=20)


def recorded(accuracy):
    return pd.DataFrame({"test_accuracy": [accuracy]}, index=[checks.UNIGRAM_NAME])


def test_unigram_model_accepts_a_trained_and_recorded_unigram_model(unigram):
    bigram_vectorizer = tfidf_vectorizer(2)
    assert "unigrams 100.0%" in checks.unigram_model(unigram, bigram_vectorizer, TEXTS, LABELS, 1.0, recorded(1.0))


def test_unigram_model_rejects_bigrams_an_untrained_model_and_a_missing_record(unigram):
    bigram_vectorizer = tfidf_vectorizer(2)
    bigram_pair = (bigram_vectorizer, trained_classifier(bigram_vectorizer, epochs=20))
    untrained = (unigram[0], trained_classifier(unigram[0], epochs=0))
    for answer, table, hint in [(bigram_pair, recorded(1.0), "ngrams=1"), (untrained, recorded(0.5), "train it"),
                                (unigram, pd.DataFrame({"test_accuracy": []}), "record"),
                                (unigram, recorded(0.7), "not this model")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.unigram_model(answer, bigram_vectorizer, TEXTS, LABELS, 1.0, table)
