"""Checks of the exercises of notebooks 13a (language model) and 13b (memory)."""
from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

from utils.exercises import require
from utils.memory_task import AT_CHANCE


def parameter_formula(answer: Callable[[int], int], model: keras.Model) -> str:
    """Check answer(V) counts the character model's parameters for its V ids, and for other vocabulary sizes too."""
    require(callable(answer), "write the count as a function of V, e.g. lambda V: V * 32 + ..., so that it holds for "
                              "any vocabulary size")
    embedding = next(layer for layer in model.layers if isinstance(layer, keras.layers.Embedding))
    ids_size, count = embedding.input_dim, answer(embedding.input_dim)
    require(count == model.count_params(),
            f"{count:,} is not the {model.count_params():,} Keras counts for V = {ids_size}: embedding, "
            "GRU (3 blocks, each with an input kernel, a recurrent kernel and two biases), Dense")
    # One more id adds a row to the embedding, and a column and a bias to the Dense layer.
    per_id = embedding.output_dim + model.layers[-1].kernel.shape[0] + 1
    for other in (ids_size + 1, 2 * ids_size):
        require(answer(other) == model.count_params() + (other - ids_size) * per_id,
                f"right for V = {ids_size} but not for V = {other}: which layers grow with the number of ids?")
    return f"{model.count_params():,} parameters"


def perplexity(answer: float, bits_per_character: float) -> str:
    """Check answer is the per-character perplexity of a model measured at bits_per_character."""
    require(bool(np.isclose(answer, 2**bits_per_character, rtol=0.01)),
            f"{answer!r} is not it: perplexity is the number of equally likely characters that would cost the same "
            "bits per character")
    return f"the GRU hesitates between about {answer:.1f} characters"


def fixed_distance_accuracy(answer: float, varying_accuracy: float) -> str:
    """Check answer, a test accuracy at a fixed distance of 50, beats chance and the varying-distance accuracy."""
    require(0 <= answer <= 1, f"{answer!r} is not an accuracy: a fraction between 0 and 1")
    varying = 0.0 if np.isnan(varying_accuracy) else varying_accuracy
    require(answer > max(varying, AT_CHANCE),
            f"{answer:.0%} is no better than with a varying distance ({varying:.0%}) or chance: did you pass "
            "shortest=50 for both the training and the test set, and train for 4 epochs?")
    return f"{answer:.0%} at a fixed distance of 50, against {varying:.0%} with a varying distance"
