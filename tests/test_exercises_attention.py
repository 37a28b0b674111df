"""Notebook 12's exercise checks, fed right and wrong answers."""
import keras
import numpy as np
import pytest

from utils import attention
from utils.exercises import WrongAnswer
from utils.exercises import attention as checks

VOCABULARY = np.array(["", "[UNK]", "the", "film", "was", "excellent"])


def test_most_attended_word_is_the_argmax_of_the_review_weights():
    review_ids = np.array([2, 3, 4, 5, 0, 0])
    weights = np.array([0.1, 0.2, 0.3, 0.4, 0.0, 0.0])
    assert "'excellent' takes 40%" in checks.most_attended_word("excellent", weights, review_ids, VOCABULARY)
    assert checks.most_attended_word(" Excellent", weights, review_ids, VOCABULARY)
    with pytest.raises(WrongAnswer, match="does not take its largest weight"):
        checks.most_attended_word("was", weights, review_ids, VOCABULARY)
    with pytest.raises(WrongAnswer, match="not a word of the first review"):
        checks.most_attended_word("boring", weights, review_ids, VOCABULARY)


def global_max_model(masked: keras.Model) -> keras.Model:
    """Return masked's layers (the same weights) with keras.layers.GlobalMaxPooling1D in place of MaskedMaxPooling."""
    states = masked.input
    for layer in masked.layers[1:]:
        is_masked_max = isinstance(layer, attention.MaskedMaxPooling)
        states = keras.layers.GlobalMaxPooling1D()(states) if is_masked_max else layer(states)
    return keras.Model(masked.input, states)


@pytest.fixture(scope="module")
def max_models():
    """A tiny max-pooled classifier, and the same one rebuilt with GlobalMaxPooling1D."""
    keras.utils.set_random_seed(0)
    masked = attention.pooled_classifier(pooling="max", vocab_size=50, embedding_dim=8, units=4)
    return masked, global_max_model(masked)


def test_padding_gap_is_the_rebuilt_models_logit_difference(max_models):
    _, rebuilt = max_models
    review = np.array([[5, 9, 2]])
    gap = abs(rebuilt.predict(review, verbose=0) - rebuilt.predict(np.pad(review, ((0, 0), (0, 50))), verbose=0))
    assert "the maximum read padded steps" in checks.padding_gap(gap.item(), rebuilt)
    with pytest.raises(WrongAnswer, match="is not the gap"):
        checks.padding_gap(2 * gap.item(), rebuilt)
    with pytest.raises(WrongAnswer, match="is not the gap"):
        checks.padding_gap(0.0, rebuilt)


def test_padding_gap_needs_the_model_rebuilt_with_global_max_pooling(max_models):
    masked, _ = max_models
    with pytest.raises(WrongAnswer, match="GlobalMaxPooling1D in place of MaskedMaxPooling"):
        checks.padding_gap(0.0, masked)
    with pytest.raises(WrongAnswer, match="my_global_max_model"):
        checks.padding_gap(0.01, None)
