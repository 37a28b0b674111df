"""Notebook 09's exercise checks, fed right and wrong answers built from tiny models."""
import keras
import numpy as np
import pytest

from utils import models
from utils.exercises import WrongAnswer
from utils.exercises import bidirectional as checks


def test_left_padded_wants_zeros_in_front_and_reports_the_masked_logit():
    keras.utils.set_random_seed(0)
    model = models.bidirectional_lstm(vocab_size=20, embedding_dim=4, units=4)
    review = np.array([[3, 4, 5]], dtype="int32")
    assert checks.left_padded(np.pad(review, ((0, 0), (5, 0))), review, model).endswith(
        "the same, the masked steps are skipped wherever they are")
    for wrong, hint in [(np.pad(review, ((0, 0), (0, 5))), "padded at the end"), (review, "with zeros at the start"),
                        (np.pad(review, ((0, 0), (5, 1))), "after zeros only")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.left_padded(wrong, review, model)


def word_score_model() -> keras.Model:
    """Return a raw-text model whose logit is +1 per "great" and -3 per "awful"."""
    counter = keras.layers.TextVectorization(vocabulary=["great", "awful"], output_mode="count")
    dense = keras.layers.Dense(1)
    model = keras.Sequential([keras.Input(shape=(), dtype="string"), counter, dense])
    dense.set_weights([np.array([[0.0], [1.0], [-3.0]]), np.zeros(1)])
    return model


def test_negative_with_great_wants_a_review_with_great_scored_negative():
    model = word_score_model()
    assert checks.negative_with_great("Great? No: awful.", model).startswith("P(positive) = 0.119")
    for wrong, hint in [("A great film.", "probability of 0.731"), ("An awful film.", 'the word "great"'),
                        ("", "non-empty"), ("greatly awful", 'the word "great"')]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.negative_with_great(wrong, model)
