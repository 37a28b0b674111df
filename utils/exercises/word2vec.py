"""Checks of notebook 04's exercises (word2vec)."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from gensim.models import KeyedVectors, Word2Vec

from utils import embeddings
from utils.exercises import require


def int64_overflow_power(answer: int, vocab_size: int) -> str:
    """Check the smallest n for which vocab_size**n exceeds the largest int64."""
    require(isinstance(answer, (int, np.integer)), f"answer with an int, not a {type(answer).__name__}")
    largest = int(np.iinfo(np.int64).max)
    require(vocab_size**answer > largest, f"{vocab_size}**{answer} still fits in an int64: take a larger n")
    require(vocab_size ** (answer - 1) <= largest, f"{vocab_size}**{answer - 1} already overflows: take a smaller n")
    return f"{vocab_size}**{answer - 1} fits, {vocab_size}**{answer} does not"


def most_negative_words(answer: Sequence[str], vectors: KeyedVectors, words: Sequence[str]) -> str:
    """Check the two words with the lowest projection on the great - awful axis, most negative first."""
    axis = embeddings.unit_direction(vectors, "great", "awful")
    ranked = embeddings.project_on_direction(vectors, words, axis)
    require(list(answer) == list(ranked.index[:2]),
            "project the words with embeddings.project_on_direction and keep the two lowest, lowest first")
    return ", ".join(f"{word} {ranked[word]:+.2f}" for word in ranked.index[:2])


def small_window_model(answer: Word2Vec, reference: Word2Vec) -> str:
    """Check a skip-gram model with window=2, trained like reference; return both models' neighbours of 'actor'."""
    require(answer.sg == 1 and answer.window == 2, "train a skip-gram (sg=1) with window=2")
    for setting in ("vector_size", "min_count", "negative", "epochs"):
        require(getattr(answer, setting) == getattr(reference, setting),
                f"{setting} is {getattr(answer, setting)}, not {getattr(reference, setting)}: keep the other settings")
    require(answer.corpus_total_words == reference.corpus_total_words and len(answer.wv) == len(reference.wv),
            "train on the same reviews as the window-5 model")
    require(answer.train_count > 0, "the model has not been trained: give Word2Vec the reviews")
    neighbours = {name: [word for word, _ in model.wv.most_similar("actor", topn=3)]
                  for name, model in (("window 2", answer), ("window 5", reference))}
    return "; ".join(f"{name}: {', '.join(words)}" for name, words in neighbours.items())
