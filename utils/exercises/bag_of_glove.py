"""Checks of notebook 10's exercises: a mean of word vectors, a paired comparison, an order trap."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
from gensim.models import KeyedVectors

from utils import stats, tweets
from utils.exercises import require


def mean_of_vectors(answer: Callable[[Sequence[str], KeyedVectors], np.ndarray], vectors: KeyedVectors) -> str:
    """Check answer as a function returning the mean vector of the tokens that have one (zeros if none)."""
    require(callable(answer), "answer with your function itself: my_mean_of_vectors = mean_of_vectors")
    known = vectors.index_to_key[:2]
    tokens = [known[0], known[1], "zzqqxx", known[0]]
    result = answer(tokens, vectors)
    require(result is not None, "your function returns None: return the mean vector")
    result = np.asarray(result, dtype=np.float64)
    require(result.shape == (vectors.vector_size,), f"return one vector of {vectors.vector_size} numbers, "
                                                    f"not shape {result.shape}")
    total = 2 * vectors[known[0]] + vectors[known[1]]
    require(not np.allclose(result, total), "that is the sum (tweets.bag_of_vectors): divide it by the number of "
                                            "tokens that have a vector")
    require(not np.allclose(result, total / len(tokens)), "you divided by every token: count only the tokens that "
                                                          "have a vector (zzqqxx has none)")
    require(np.allclose(result, total / 3, rtol=1e-5, atol=1e-6),
            f"for {tokens} expected the mean of the vectors of the three known tokens (a repeated word counts twice)")
    empty = answer(["zzqqxx"], vectors)
    require(empty is not None and np.shape(empty) == (vectors.vector_size,) and not np.any(empty),
            f"a tweet without a known token should get {vectors.vector_size} zeros, not a division by zero")
    return "the mean of the known tokens' vectors, zeros when there is none"


def discordant_pairs(answer: tuple[int, int], first_correct: np.ndarray, second_correct: np.ndarray) -> str:
    """Check answer as (right only for the first model, right only for the second) on the same examples."""
    require(isinstance(answer, (tuple, list)) and len(answer) == 2
            and all(isinstance(count, (int, np.integer)) for count in answer),
            "answer with two whole counts: (right only for the first model, right only for the second)")
    result = stats.paired_test(first_correct, second_correct)
    expected = (result.only_first_right, result.only_second_right)
    require(tuple(answer) != expected[::-1], "the two counts are swapped: the first model's comes first")
    both = int(np.sum(np.asarray(first_correct) & np.asarray(second_correct)))
    require(both not in answer, f"{both} is the number of tweets both models get right: count the tweets where "
                                "exactly one of them is right")
    require(tuple(answer) == expected, "count the test tweets where one model is right and the other wrong, "
                                       "in each direction")
    return f"{result}; the tweets both get right, or both wrong, are the same for both models"


def order_trap(answer: tuple[str, str], model: keras.Model, vectors: KeyedVectors) -> str:
    """Check answer as two different sentences with the same tokens, and show that model scores them alike."""
    require(isinstance(answer, (tuple, list)) and len(answer) == 2 and all(isinstance(text, str) for text in answer),
            'answer with a pair of sentences: ("...", "...")')
    require(tuple(answer) not in {tweets.FOOD_SENTENCES, tweets.FOOD_SENTENCES[::-1]}, "find a pair of your own")
    tokens = [tweets.tweet_tokens(text) for text in answer]
    require(tokens[0] != tokens[1], "the two sentences should put the words in a different order")
    require(sorted(tokens[0]) == sorted(tokens[1]), "the two sentences must use the same words, each as often: "
                                                    "compare sorted(tweets.tweet_tokens(...))")
    probabilities = model.predict(tweets.bag_of_vectors_matrix(tokens, vectors), verbose=0)[:, 0]
    require(probabilities[0] == probabilities[1], "the model scores them differently: is it the bag-of-vectors model?")
    return f"same words, same prediction: P(positive) = {probabilities[0]:.4f} for both"
