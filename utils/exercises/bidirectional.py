"""Checks of notebook 09's exercises: padding at the start under a mask, and a review the raw-text model gets negative."""
from __future__ import annotations

import re

import keras
import numpy as np
import tensorflow as tf

from utils.exercises import require


def left_padded(answer: np.ndarray, review: np.ndarray, model: keras.Model) -> str:
    """Check answer as review with padding zeros in front; compare model's logit on it with the unpadded one."""
    answer = np.asarray(answer)
    length = review.shape[1]
    require(answer.ndim == 2 and answer.shape[0] == review.shape[0] and answer.shape[1] > length,
            f"pad the review (shape {review.shape}) with zeros at the start of its second axis (np.pad takes a "
            "(before, after) width per axis)")
    require(not np.array_equal(answer[:, :length], review), "this is padded at the end, as in the cell above: put the "
                                                            "zeros before the review's first word")
    require(np.array_equal(answer[:, -length:], review) and not answer[:, :-length].any(),
            "the review should end the row, after zeros only")
    left, alone = model.predict(answer, verbose=0)[0, 0], model.predict(review, verbose=0)[0, 0]
    same = bool(np.isclose(left, alone, rtol=1e-5))
    return (f"logit {left:.4f} left-padded, {alone:.4f} alone: "
            + ("the same, the masked steps are skipped wherever they are" if same else "different"))


def negative_with_great(answer: str, text_model: keras.Model) -> str:
    """Check answer as a review holding the word "great" that text_model (raw strings to a logit) scores negative."""
    require(isinstance(answer, str) and answer.strip(), "answer with a review, a non-empty string")
    require("great" in re.findall(r"[a-z]+", answer.lower()), 'the review must contain the word "great"')
    probability = float(keras.ops.sigmoid(text_model.predict(tf.constant([answer]), verbose=0))[0, 0])
    require(probability < 0.5, f"the model gives it a probability of {probability:.3f} of being positive: make it "
                               "read as negative despite the word (what comes around it?)")
    return f"P(positive) = {probability:.3f}, predicted from the raw string"
