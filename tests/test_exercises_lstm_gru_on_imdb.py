"""Notebook 08b's exercise checks: a right answer passes, a wrong one raises WrongAnswer with a hint."""
import keras
import numpy as np
import pandas as pd
import pytest

from utils.exercises import WrongAnswer
from utils.exercises import lstm_gru_on_imdb as checks


@pytest.fixture(scope="module")
def tiny_gru_and_ids():
    """A small Embedding(mask_zero) -> GRU -> Dense(sigmoid) model and four right-padded reviews."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(20, 4, mask_zero=True),
                              keras.layers.GRU(3), keras.layers.Dense(1, activation="sigmoid")])
    ids = np.array([[3, 5, 7, 0, 0], [1, 2, 3, 4, 5], [9, 0, 0, 0, 0], [4, 4, 8, 2, 0]], dtype="int32")
    model.layers[0].set_weights([np.random.default_rng(0).normal(scale=2.0, size=(20, 4)).astype("float32")])
    return model, ids


def test_trained_gru_in_numpy_accepts_the_masked_forward_pass(tiny_gru_and_ids):
    model, ids = tiny_gru_and_ids
    right = checks.numpy_probabilities_of_gru(model, ids)
    assert "NumPy == model.predict on 4 reviews" in checks.trained_gru_in_numpy(right, model, ids)
    assert checks.trained_gru_in_numpy(right[:, 0], model, ids)


def test_trained_gru_in_numpy_names_the_missing_mask_and_the_wrong_shape(tiny_gru_and_ids):
    model, ids = tiny_gru_and_ids
    with pytest.raises(WrongAnswer, match="mask=sample_ids > 0"):
        checks.trained_gru_in_numpy(checks.numpy_probabilities_of_gru(model, ids, masked=False), model, ids)
    with pytest.raises(WrongAnswer, match="not the GRU's predictions"):
        checks.trained_gru_in_numpy(np.full((4, 1), 0.5), model, ids)
    with pytest.raises(WrongAnswer, match=r"shape \(4, 1\)"):
        checks.trained_gru_in_numpy(np.full((3, 1), 0.5), model, ids)


def results_with(wide_params=673_089, wide_epochs=2, wide_best_val=0.87):
    """A results table like utils.results_table's, with an lstm_64 row."""
    return pd.DataFrame(
        {"trainable_params": [328_353, wide_params], "epochs": [10, wide_epochs], "seconds_per_epoch": [20.0, 50.0],
         "best_val_accuracy": [0.894, wide_best_val], "test_accuracy": [0.876, 0.86]},
        index=pd.Index(["lstm", "lstm_64"], name="model"),
    )


def test_wider_lstm_gain_compares_the_same_epochs():
    lstm_val_accuracy = [0.80, 0.865, 0.78, 0.89]
    assert checks.wider_lstm_gain(0.5, results_with(), lstm_val_accuracy) == (
        "+0.50 points of validation accuracy for 2.5× the seconds per epoch")
    with pytest.raises(WrongAnswer, match="first 2 val_accuracy"):
        checks.wider_lstm_gain(-2.0, results_with(), lstm_val_accuracy)  # against the best of all 10 epochs


def test_wider_lstm_gain_wants_the_model_built_and_trained_as_asked():
    with pytest.raises(WrongAnswer, match="no lstm_64"):
        checks.wider_lstm_gain(0.5, results_with().drop("lstm_64"), [0.8, 0.865])
    with pytest.raises(WrongAnswer, match="embedding_dim=64, units=64"):
        checks.wider_lstm_gain(0.5, results_with(wide_params=328_353), [0.8, 0.865])
    with pytest.raises(WrongAnswer, match="trained for 1 epoch"):
        checks.wider_lstm_gain(6.0, results_with(wide_epochs=1), [0.8, 0.865])


def test_wider_lstm_gain_takes_the_profiles_epochs():
    assert checks.wider_lstm_gain(7.0, results_with(wide_epochs=1), [0.8, 0.865], epochs=1).startswith("+7.00 points")
