"""Checks of notebook 05's exercises (Embedding + Flatten)."""
from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from gensim.models import KeyedVectors

from utils.exercises import require


def parameter_count(answer: int, model: keras.Model) -> str:
    """Check the number of parameters of model."""
    expected = model.count_params()
    require(answer == expected, "count the Embedding table (vocabulary size x dimension), then the Dense layer: one "
                                "weight per flattened input (maxlen x dimension) plus its bias")
    return f"{expected:,} parameters"


def nearest_rows(answer: Sequence[str], embedding_table: np.ndarray, vocabulary: Sequence[str], word: str) -> str:
    """Check the five words whose rows are most cosine-similar to word's row, most similar first."""
    learned = KeyedVectors(vector_size=embedding_table.shape[1])
    learned.add_vectors(list(vocabulary), embedding_table)
    expected = [neighbour for neighbour, _ in learned.most_similar(word, topn=5)]
    require(list(answer) == expected, f"divide every row by its norm, take the dot product with {word!r}'s unit row, "
                                      f"sort largest first and leave out {word!r} itself")
    return ", ".join(expected)


def more_positive_review(answer: str, reviews: Sequence[str], probabilities: np.ndarray) -> str:
    """Check which of reviews the model scores higher; return both probabilities."""
    require(answer in reviews, "answer with one of the two strings of `swapped`")
    require(answer == reviews[int(np.argmax(probabilities))], "the model disagrees: look at the contributions again")
    return "P(positive) = " + ", ".join(f"{probability:.3f}" for probability in probabilities)
