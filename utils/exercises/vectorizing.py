"""Checks of notebook 02's exercises (vectorizing text)."""
from __future__ import annotations

import math
from collections.abc import Sequence

import keras
import numpy as np

from utils import stats, vectorize
from utils.exercises import require


def _expected_share(num_words: int, bits: int) -> float:
    """Return the expected share of num_words words that collide in 2**bits buckets."""
    return vectorize.expected_colliding_words(num_words, 2**bits) / num_words


def hash_bits(answer: int, words: Sequence[str]) -> str:
    """Check the smallest number of bits with under 5% of the words expected to collide; return the measured share."""
    unique_words = sorted(set(words))
    require(isinstance(answer, (int, np.integer)) and answer > 0, "give the number of bits b, a positive int")
    share = _expected_share(len(unique_words), answer)
    require(share < 0.05, f"with 2**{answer} buckets {share:.1%} of the words are expected to collide: take more bits")
    fewer = _expected_share(len(unique_words), answer - 1)
    require(fewer >= 0.05, f"2**{answer - 1} buckets already give {fewer:.1%}, under 5%: take fewer bits")
    measured = vectorize.hash_collisions(unique_words, [2**answer]).iloc[0]
    return f"expected {share:.1%}, measured with keras.layers.Hashing {measured['colliding_words'] / len(unique_words):.1%}"


def textbook_tfidf(answer: float, corpus: Sequence[Sequence[str]], document: int, term: str) -> str:
    """Check the textbook TF-IDF of term in corpus[document], recomputed with math.log."""
    tokens = corpus[document]
    term_frequency = tokens.count(term) / len(tokens)
    documents_with_term = sum(term in set(words) for words in corpus)
    expected = term_frequency * math.log(len(corpus) / documents_with_term)
    require(answer is not None and np.isclose(answer, expected, rtol=1e-6),
            "TF is the term's count in the review divided by the review's length; IDF is log(N / df), with N the number"
            " of reviews and df the number of reviews that contain the term")
    return f"TF-IDF({term!r}) = {expected:.4f}"


def unigram_model(
    answer: tuple[keras.layers.TextVectorization, keras.Model, stats.SeedSummary],
    bigram_vectorizer: keras.layers.TextVectorization,
    bigram_validation: stats.SeedSummary,
    val_texts: Sequence[str],
    val_labels: np.ndarray,
    test_texts: Sequence[str],
    test_labels: np.ndarray,
    bigram_test_correct: np.ndarray,
) -> str:
    """Check a (unigram vectorizer, trained model, validation scores over seeds) answer; compare it with the bigrams."""
    require(isinstance(answer, tuple) and len(answer) == 3,
            "answer with a triple: (your vectorizer, your seed-42 model, your SeedSummary of validation accuracies)")
    vectorizer, model, validation = answer
    config, bigram_config = vectorizer.get_config(), bigram_vectorizer.get_config()
    require(config["ngrams"] in (None, 1), f"the vectorizer uses ngrams={config['ngrams']}: build it with ngrams=1")
    for option in ("max_tokens", "output_mode"):
        require(config[option] == bigram_config[option],
                f"{option} is {config[option]!r}, not {bigram_config[option]!r} as in the bigram vectorizer: only ngrams changes")
    require(len(vectorizer.get_vocabulary()) > 1, "adapt the vectorizer on the training reviews")
    require(isinstance(validation, stats.SeedSummary) and len(validation.values) >= 3,
            "the third item is what stats.over_seeds returns, with at least three seeds (SEEDS)")
    _, val_accuracy = model.evaluate(vectorize.tfidf_dataset(val_texts, val_labels, vectorizer, shuffle=False), verbose=0)
    require(val_accuracy > bigram_validation.mean - 0.05,
            f"the unigram model scores {val_accuracy:.1%} on the validation reviews, far below the bigram models' "
            f"{bigram_validation.mean:.1%}: train it the same way (same datasets, epochs and early stopping)")
    require(min(abs(val_accuracy - value) for value in validation.values) < 2e-3,
            f"this model's validation accuracy ({val_accuracy:.4f}) is none of the SeedSummary's values "
            f"{validation.values}: answer with a model trained in that run")
    verdict = ("differ by more than twice their standard error" if stats.differs_over_seeds(validation, bigram_validation)
               else "no measurable difference at this size")
    probabilities = model.predict(vectorize.tfidf_dataset(test_texts, test_labels, vectorizer, shuffle=False), verbose=0)
    unigram_correct = stats.correct(test_labels, probabilities)
    low, high = stats.accuracy_interval(unigram_correct)
    return (f"validation: unigrams {validation}, bigrams {bigram_validation}: {verdict}; test, seed-42 models: "
            f"unigrams {unigram_correct.mean():.1%} [{low:.1%}, {high:.1%}], bigrams {np.mean(bigram_test_correct):.1%}, "
            f"{stats.paired_test(unigram_correct, bigram_test_correct)}")
