"""Checks of notebook 03's exercises (word embeddings)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from gensim.models import KeyedVectors

from utils import embeddings
from utils.exercises import require


def odd_one_out(my_doesnt_match: Callable[[list[str]], str], vectors: KeyedVectors, word_lists: Sequence[list[str]]) -> str:
    """Check my_doesnt_match against gensim's doesnt_match on word_lists."""
    for words in word_lists:
        got, expected = my_doesnt_match(list(words)), vectors.doesnt_match(list(words))
        require(got == expected, f"on {words} your function returns {got!r}, gensim {expected!r}: compare each word's "
                                 "unit vector with the mean of the unit vectors and return the least similar")
    return f"same odd one out as gensim on {len(word_lists)} lists"


def dot_product_neighbours(answer: Sequence[str], vectors: KeyedVectors, word: str) -> str:
    """Check the five words of largest raw dot product with word's vector; return their mean norm."""
    dot_products = vectors.vectors @ vectors[word]
    expected = [vectors.index_to_key[i] for i in np.argsort(-dot_products) if vectors.index_to_key[i] != word][:5]
    require(list(answer) == expected, f"sort every word by vectors @ vectors[{word!r}], largest first, leave out "
                                      f"{word!r} and keep five")
    mean_norm = np.mean([np.linalg.norm(vectors[neighbour]) for neighbour in expected])
    all_norms = np.linalg.norm(vectors.vectors, axis=1)
    return f"mean norm of these words {mean_norm:.2f}, of all words {all_norms.mean():.2f}"


def neutralised(answer: np.ndarray, vector: np.ndarray, direction: np.ndarray) -> str:
    """Check that answer is vector without its component along the unit vector direction."""
    answer = np.asarray(answer, dtype=np.float64)
    require(answer.shape == np.shape(vector), f"the vector has shape {answer.shape}, expected {np.shape(vector)}")
    require(abs(float(answer @ direction)) < 1e-5, "the projection on the direction should be 0: subtract (v . g) g")
    removed = np.asarray(vector, dtype=np.float64) - answer
    require(embeddings.cosine_similarity(removed, direction) ** 2 > 0.9999,
            "remove only the component along the direction: v - (v . g) g changes nothing else")
    return f"removed a component of length {np.linalg.norm(removed):.3f}"
