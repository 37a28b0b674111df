"""Notebook 02's exercise checks, fed right and wrong answers on tiny corpora and tiny TF-IDF models."""
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from utils import stats, vectorize
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


def trained_run(vectorizer, epochs):
    """Return (model, SeedSummary of three validation accuracies, the first being the model's own)."""
    model = trained_classifier(vectorizer, epochs)
    _, accuracy = model.evaluate(vectorize.tfidf_dataset(TEXTS, LABELS, vectorizer, shuffle=False), verbose=0)
    return model, stats.SeedSummary((42, 43, 44), (accuracy, accuracy - 0.01, accuracy + 0.01))


@pytest.fixture(scope="module")
def unigram():
    vectorizer = tfidf_vectorizer(None)
    model, validation = trained_run(vectorizer, epochs=20)
    return vectorizer, model, validation


@pytest.fixture(scope="module")
def bigram():
    vectorizer = tfidf_vectorizer(2)
    model, validation = trained_run(vectorizer, epochs=20)
    probabilities = model.predict(vectorize.tfidf_dataset(TEXTS, LABELS, vectorizer, shuffle=False), verbose=0)
    return vectorizer, model, validation, stats.correct(LABELS, probabilities)


def check(answer, bigram):
    vectorizer, _, validation, test_correct = bigram
    return checks.unigram_model(answer, vectorizer, validation, TEXTS, LABELS, TEXTS, LABELS, test_correct)


def test_unigram_model_accepts_a_trained_unigram_model_and_reports_both_comparisons(unigram, bigram):
    report = check(unigram, bigram)
    assert "no measurable difference at this size" in report and "McNemar exact p = 1" in report


def test_unigram_model_says_when_the_validation_means_differ(unigram, bigram):
    vectorizer, model, validation = unigram
    lower = stats.SeedSummary(validation.seeds, (0.7, 0.69, 0.71))
    bigram_vectorizer, bigram_model, _, test_correct = bigram
    report = checks.unigram_model((vectorizer, model, validation), bigram_vectorizer, lower, TEXTS, LABELS, TEXTS, LABELS,
                                  test_correct)
    assert "differ by more than twice their standard error" in report


def test_unigram_model_rejects_bigrams_an_untrained_model_missing_seeds_and_a_model_from_another_run(unigram, bigram):
    vectorizer, model, validation = unigram
    bigram_pair = (bigram[0], bigram[1], bigram[2])
    untrained = trained_classifier(vectorizer, epochs=0)
    one_seed = stats.SeedSummary((42,), validation.values[:1])
    other_run = stats.SeedSummary(validation.seeds, (0.1, 0.2, 0.3))
    for answer, hint in [((vectorizer, model), "triple"), (bigram_pair, "ngrams=1"),
                         ((vectorizer, untrained, validation), "train it the same way"),
                         ((vectorizer, model, one_seed), "at least three seeds"),
                         ((vectorizer, model, other_run), "none of the SeedSummary")]:
        with pytest.raises(WrongAnswer, match=hint):
            check(answer, bigram)
