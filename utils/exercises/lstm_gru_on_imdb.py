"""Checks of notebook 08b's exercises (LSTM and GRU trained on IMDb: the trained GRU in NumPy, a wider LSTM)."""
from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import pandas as pd

from utils import models, rnn_numpy
from utils.exercises import require


def numpy_probabilities_of_gru(model: keras.Model, ids: np.ndarray, masked: bool = True) -> np.ndarray:
    """Return P(positive) of an Embedding -> GRU -> Dense(sigmoid) model, computed with rnn_numpy."""
    embedding_matrix = model.layers[0].get_weights()[0]
    dense_kernel, dense_bias = model.layers[2].get_weights()
    final_states = rnn_numpy.gru_forward(embedding_matrix[ids], *model.layers[1].get_weights(),
                                         mask=ids > 0 if masked else None)
    return rnn_numpy.sigmoid(final_states @ dense_kernel + dense_bias)


def trained_gru_in_numpy(answer: np.ndarray, model: keras.Model, ids: np.ndarray) -> str:
    """Check exercise 1: P(positive) of the trained GRU on the reviews `ids`, computed in NumPy like model.predict."""
    answer = np.asarray(answer, dtype="float64")
    if answer.shape == (len(ids),):
        answer = answer[:, None]
    require(answer.shape == (len(ids), 1), f"one probability per review: shape ({len(ids)}, 1), got {answer.shape}")
    expected = model.predict(ids, verbose=0)
    if not np.allclose(answer, expected, atol=1e-4):
        require(not np.allclose(answer, numpy_probabilities_of_gru(model, ids, masked=False), atol=1e-4),
                "padded steps changed the state: pass mask=sample_ids > 0 to rnn_numpy.gru_forward")
        require(False, "not the GRU's predictions: use gru_model's own layers (embedding matrix, the GRU's three "
                       "weight arrays, dense kernel and bias) on the ids of sample_ids")
    return f"NumPy == model.predict on {len(ids)} reviews (largest gap {np.abs(answer - expected).max():.1e})"


def wider_lstm_gain(answer: float, results: pd.DataFrame, lstm_val_accuracy: Sequence[float],
                    epochs: int = 2) -> str:
    """Check exercise 2: lstm_64's best validation accuracy minus LSTM(32)'s over the same epochs, in points.

    epochs is what the profile gives the exercise's 2 epochs (profile.epochs(2): 1 under smoke).
    """
    require("lstm_64" in results.index, "no lstm_64 in the results table yet: train it with fit_and_record and "
                                        'name="lstm_64" first')
    wide = results.loc["lstm_64"]
    require(int(wide["trainable_params"]) == models.lstm(embedding_dim=64, units=64).count_params(),
            f"lstm_64 has {int(wide['trainable_params']):,} trainable parameters: build it with "
            "models.lstm(embedding_dim=64, units=64)")
    require(int(wide["epochs"]) >= epochs,
            f"lstm_64 trained for {int(wide['epochs'])} epoch(s): give it {epochs} (epochs=profile.epochs(2))")
    narrow = max(lstm_val_accuracy[:int(wide["epochs"])])
    gain = 100 * (float(wide["best_val_accuracy"]) - narrow)
    require(abs(answer - gain) < 0.05,
            f"not {answer:+.2f} points: take lstm_64's best_val_accuracy minus the best of LSTM(32)'s first "
            f"{int(wide['epochs'])} val_accuracy values, times 100")
    cost = float(wide["seconds_per_epoch"]) / float(results.loc["lstm", "seconds_per_epoch"])
    return f"{gain:+.2f} points of validation accuracy for {cost:.1f}× the seconds per epoch"
