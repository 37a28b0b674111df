"""Checks of notebook 08a's exercises (the LSTM and GRU gates in NumPy: parameter counts, the forget bias)."""
from __future__ import annotations

import math

import keras
import numpy as np

from utils import models, rnn_numpy
from utils.exercises import require


def gru_parameters(answer: int, units: int, features: int) -> str:
    """Check exercise 1: the parameter count of GRU(units, reset_after=False) on inputs of `features` features."""
    layer = keras.layers.GRU(units, reset_after=False)
    layer.build((None, None, features))
    with_second_bias = layer.count_params() + 3 * units
    require(answer != with_second_bias, "that is the count with reset_after=True: reset_after=False has one bias")
    require(answer == layer.count_params(),
            f"not {answer:,}: three blocks (z, r, h), each d·u + u² + u for d = {features} inputs and u = {units} "
            "units")
    return f"{answer:,} parameters, {with_second_bias:,} with reset_after=True"


def smallest_forget_bias(steps: int, kept: float) -> float:
    """Return the forget-gate bias b with sigmoid(b) ** steps == kept (zero weights, closed input gate)."""
    gate = kept ** (1 / steps)
    return math.log(gate / (1 - gate))


def cell_after(forget_bias: float, steps: int) -> float:
    """Return c_T of an LSTM unit run by rnn_numpy.lstm_step: zero weights and inputs, input gate closed, c_0 = 1."""
    step_bias = np.array([-10.0, forget_bias, 0.0, 0.0])  # gates i, f, c, o
    h, c = np.zeros((1, 1)), np.ones((1, 1))
    for _ in range(steps):
        h, c = rnn_numpy.lstm_step(np.zeros((1, 1)), h, c, np.zeros((1, 4)), np.zeros((1, 4)), step_bias)
    return float(c[0, 0])


def forget_bias(answer: float, steps: int, kept: float) -> str:
    """Check exercise 2: the smallest forget-gate bias (to 0.25) that keeps c_steps >= kept."""
    cell = cell_after(answer, steps)
    require(cell >= kept - 1e-9, f"c_{steps} = {cell:.3f}: the cell forgot too much; solve sigmoid(b) ** {steps} = {kept}")
    require(answer <= smallest_forget_bias(steps, kept) + 0.25,
            f"c_{steps} = {cell:.3f} works, but that is not the smallest bias: solve sigmoid(b) ** {steps} = {kept}")
    return (f"c_{steps} = {cell:.3f}: the forget gate must stay at sigmoid(b) = {rnn_numpy.sigmoid(answer):.5f}, "
            f"within {1 - rnn_numpy.sigmoid(answer):.1e} of 1")


def lstm_classifier_parameters(answer: int, embedding_dim: int, units: int) -> str:
    """Check exercise 3: the parameter count of models.lstm(embedding_dim=..., units=...), embedding included."""
    model = models.lstm(embedding_dim=embedding_dim, units=units)
    embedding, recurrent, dense = (layer.count_params() for layer in model.layers)
    require(answer != recurrent, "that is the LSTM layer alone: add the embedding and the dense layer")
    require(answer == model.count_params(),
            f"not {answer:,}: add the embedding (vocabulary × dimension), the LSTM (four blocks of d·u + u² + u) "
            "and the dense layer (u weights and a bias)")
    return f"{answer:,} parameters, {embedding / answer:.0%} of them in the embedding"
