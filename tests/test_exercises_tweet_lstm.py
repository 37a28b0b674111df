"""Notebook 11's exercise checks, fed right and wrong answers on tiny models and arrays."""
import numpy as np
import pytest

from utils.exercises import WrongAnswer, tweet_lstm
from utils.tweets import confusion_matrix, tweet_rnn


@pytest.fixture(scope="module")
def matrix():
    return np.random.default_rng(0).normal(size=(20, 50)).astype("float32")


def trained(model):
    """Return the model after one training step on a tiny batch."""
    model.train_on_batch(np.array([[2, 3, 4], [5, 6, 0]]), np.array([1.0, 0.0]))
    return model


def test_frozen_glove_accepts_a_trained_frozen_lstm(matrix):
    fine_tuned = tweet_rnn(matrix, units=4)
    remark = tweet_lstm.frozen_glove(trained(tweet_rnn(matrix, units=4, trainable_embedding=False)), matrix, fine_tuned)
    assert f"instead of {fine_tuned.count_params():,}" in remark


def test_frozen_glove_rejects_a_fine_tuned_or_untrained_model(matrix):
    fine_tuned = tweet_rnn(matrix, units=4)
    with pytest.raises(WrongAnswer, match="trainable_embedding=False"):
        tweet_lstm.frozen_glove(trained(tweet_rnn(matrix, units=4)), matrix, fine_tuned)
    with pytest.raises(WrongAnswer, match="not trained"):
        tweet_lstm.frozen_glove(tweet_rnn(matrix, units=4, trainable_embedding=False), matrix, fine_tuned)


def always_positive(texts):
    """A stand-in model: P(positive) = 0.9 for every tweet."""
    return np.full(len(texts), 0.9)


def test_fooling_tweets_needs_every_tweet_misread():
    assert "wrong on all" in tweet_lstm.fooling_tweets((["awful", "terrible"], [0, 0]), always_positive)
    with pytest.raises(WrongAnswer, match="gets 1 of them right"):
        tweet_lstm.fooling_tweets((["awful", "lovely"], [0, 1]), always_positive)
    with pytest.raises(WrongAnswer, match="at least two"):
        tweet_lstm.fooling_tweets((["awful"], [0]), always_positive)


def test_confusion_table_wants_the_half_threshold():
    labels = np.array([0, 0, 1, 1, 1])
    probabilities = np.array([0.7, 0.2, 0.9, 0.4, 0.51])
    right = confusion_matrix(labels, (probabilities > 0.5).astype(int))
    assert tweet_lstm.confusion_table(right, labels, probabilities) == (
        "1 negative tweets read as positive, 1 positive ones as negative")
    wrong = confusion_matrix(labels, (probabilities > 0.6).astype(int))
    with pytest.raises(WrongAnswer, match="test_probabilities > 0.5"):
        tweet_lstm.confusion_table(wrong, labels, probabilities)
