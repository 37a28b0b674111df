"""Checks of notebook 12's exercises (attention)."""
from __future__ import annotations

import keras
import numpy as np

from utils.attention import MaskedMaxPooling
from utils.exercises import require

PADDING_REVIEW = np.array([[5, 9, 2]])
PADDED_REVIEW = np.pad(PADDING_REVIEW, ((0, 0), (0, 50)))


def most_attended_word(answer: str, weights: np.ndarray, review_ids: np.ndarray, vocabulary: np.ndarray) -> str:
    """Check that answer is the word of the review (its ids, one attention weight per id) with the largest weight."""
    word = str(answer).strip().lower()
    review_words = {str(known).lower() for known in vocabulary[review_ids[review_ids != 0]]}
    require(word in review_words, f"{answer!r} is not a word of the first review of section 8: its words are the ids "
                                  "of test_ids[first_row] looked up in vocabulary")
    largest = str(vocabulary[review_ids[np.argmax(weights)]])
    require(word == largest.lower(), f"{answer!r} is in the review but does not take its largest weight: look for the darkest "
                             "word of the first review, or take the argmax of first_weights")
    return f"{largest!r} takes {np.max(weights):.0%} of the weight"


def logit(model: keras.Model, ids: np.ndarray) -> float:
    """Return the model's logit for one review of ids, in inference mode."""
    return float(keras.ops.convert_to_numpy(model(ids, training=False))[0, 0])


def padding_gap(answer: float, model: keras.Model | None) -> str:
    """Check the model pools with GlobalMaxPooling1D and answer is |logit([[5, 9, 2]]) - logit(same + 50 zeros)|."""
    require(model is not None, "put the rebuilt model in my_global_max_model as well, so its gap can be checked")
    layer_types = [type(layer) for layer in model.layers]
    require(keras.layers.GlobalMaxPooling1D in layer_types and MaskedMaxPooling not in layer_types,
            "the model should pool with keras.layers.GlobalMaxPooling1D in place of MaskedMaxPooling: rebuild it "
            "layer by layer from its input, swapping that one layer")
    gap = abs(logit(model, PADDING_REVIEW) - logit(model, PADDED_REVIEW))
    require(np.isclose(answer, gap, rtol=1e-3, atol=1e-7),
            f"{answer!r} is not the gap of my_global_max_model: predict [[5, 9, 2]] and the same review followed "
            "by 50 zeros, and take the absolute difference of the two logits")
    if gap == 0:
        return "a gap of 0 with these weights: every pooled feature peaked above the padding's value; rebuild with another seed"
    return f"a gap of {gap:.2g}: the maximum read padded steps"
