"""Checks of notebook 11's exercises (Sentiment140: an LSTM that reads tweets in order)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
import pandas as pd

from utils.exercises import require, trainable_count
from utils.tweets import confusion_matrix


def frozen_glove(model: keras.Model, embedding_matrix: np.ndarray, fine_tuned: keras.Model) -> str:
    """Check exercise 1: an LSTM whose embedding stays the GloVe matrix, trained; return its trainable count."""
    require(trainable_count(model) == fine_tuned.count_params() - embedding_matrix.size,
            f"{trainable_count(model):,} trainable parameters: build it with trainable_embedding=False")
    require(np.allclose(model.layers[0].get_weights()[0], embedding_matrix),
            "the embedding should start from glove_matrix and stay there")
    require(int(model.optimizer.iterations.numpy()) > 0,
            "the model is built but not trained: train it with fit_and_record like the others")
    return f"{trainable_count(model):,} trainable parameters instead of {fine_tuned.count_params():,}"


def fooling_tweets(answer: tuple[Sequence[str], Sequence[int]],
                   positive_probability: Callable[[Sequence[str]], np.ndarray]) -> str:
    """Check exercise 2: at least two tweets with 0/1 labels, each on the wrong side of 0.5 for the model."""
    require(isinstance(answer, tuple) and len(answer) == 2, "answer with a pair: ([tweet, ...], [label, ...])")
    texts, labels = answer
    require(len(texts) >= 2 and len(texts) == len(labels), "give at least two tweets and one label per tweet")
    require(set(labels) <= {0, 1}, "labels are 0 (negative) or 1 (positive)")
    probabilities = np.asarray(positive_probability(list(texts)))
    fooled = (probabilities > 0.5) != np.asarray(labels, dtype=bool)
    require(bool(fooled.all()), f"the model gets {int((~fooled).sum())} of them right: P(positive) = "
                                f"{probabilities.round(3).tolist()}")
    return f"the model is wrong on all of them, P(positive) = {probabilities.round(3).tolist()}"


def confusion_table(answer: pd.DataFrame, labels: np.ndarray, probabilities: np.ndarray) -> str:
    """Check exercise 3: the confusion matrix of the 0.5 threshold; return which error is more frequent."""
    expected = confusion_matrix(labels, (probabilities > 0.5).astype(int))
    require(np.asarray(answer).shape == (2, 2), "a 2 x 2 table: use tweets.confusion_matrix(labels, predictions)")
    require(np.asarray(answer).sum() == len(labels), f"the table should count all {len(labels)} test tweets")
    require(np.array_equal(np.asarray(answer), expected.to_numpy()),
            "predict positive where test_probabilities > 0.5, then tweets.confusion_matrix(y_test, predictions)")
    negative_as_positive, positive_as_negative = int(expected.iloc[0, 1]), int(expected.iloc[1, 0])
    return (f"{negative_as_positive} negative tweets read as positive, {positive_as_negative} positive ones as "
            f"negative")
