"""Notebook 07's exercise checks, fed right and wrong answers built from tiny models and sequences."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from utils import models, stats
from utils.exercises import WrongAnswer
from utils.exercises import simple_rnn as checks


def test_stacked_count_wants_every_layer_counted():
    model = models.simple_rnn(vocab_size=50, embedding_dim=4, units=6, stacked_layers=2)
    embedding, first, second, head = 50 * 4, 4 * 6 + 36 + 6, 6 * 6 + 36 + 6, 7
    assert model.count_params() == embedding + first + second + head
    assert checks.stacked_count(embedding + first + second + head, model).endswith(f"= {model.count_params():,}")
    for wrong, hint in [(embedding + first + second, "Dense"), (embedding + 2 * first + head, "reads the states"),
                        (model.count_params() + 1, "recount"), (str(model.count_params()), "an int")]:
        with pytest.raises(WrongAnswer, match=hint):
            checks.stacked_count(wrong, model)


def test_two_states_wants_keras_first_two_states():
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype("float32")
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    states = keras.ops.convert_to_numpy(layer(x))
    kernel, recurrent_kernel, bias = layer.get_weights()
    assert checks.two_states(states[0, :2], x, kernel, recurrent_kernel, bias) == "both states match"
    h1 = np.tanh(x[0, 0] @ kernel + bias)
    without_memory = np.tanh(x[0, 1] @ kernel + bias)
    with pytest.raises(WrongAnswer, match="h_1 is right"):
        checks.two_states(np.stack([h1, without_memory]), x, kernel, recurrent_kernel, bias)
    with pytest.raises(WrongAnswer, match="h_1 is off"):
        checks.two_states(states[0, 1::-1], x, kernel, recurrent_kernel, bias)
    with pytest.raises(WrongAnswer, match="shape"):
        checks.two_states(states[0, 0], x, kernel, recurrent_kernel, bias)


def end_padded_reviews() -> tf.data.Dataset:
    """Return 32 reviews of 2 to 6 ids padded with zeros to 12, labelled by whether they hold id 2, in batches of 8."""
    rng = np.random.default_rng(0)
    ids = np.zeros((32, 12), dtype="int32")
    for row, length in enumerate(rng.integers(2, 7, size=32)):
        ids[row, :length] = rng.integers(2, 20, size=length)
    labels = (ids == 2).any(axis=1).astype("float32")
    return tf.data.Dataset.from_tensor_slices((ids, labels)).batch(8)


def masked_history() -> keras.callbacks.History:
    """Return the History of a masked model whose best validation epoch is the second."""
    history = keras.callbacks.History()
    history.history = {"val_accuracy": [0.6, 0.8, 0.7]}
    return history


def trained_rnn(mask_zero: bool, epochs: int) -> keras.Model:
    """Return a tiny SimpleRNN classifier trained on the end-padded reviews."""
    keras.utils.set_random_seed(0)
    model = models.simple_rnn(vocab_size=20, embedding_dim=4, units=4, mask_zero=mask_zero)
    model.fit(end_padded_reviews(), epochs=epochs, verbose=0, shuffle=False)
    return model


def test_unmasked_rnn_wants_no_mask_and_as_much_training_as_the_masked_model():
    data, masked = end_padded_reviews(), trained_rnn(mask_zero=True, epochs=2)
    unmasked = trained_rnn(mask_zero=False, epochs=2)
    remark = checks.unmasked_rnn(unmasked, data, masked, masked_history(), 4)
    (_, unmasked_accuracy), (_, masked_accuracy) = unmasked.evaluate(data, verbose=0), masked.evaluate(data, verbose=0)
    assert remark.startswith(f"on the same 32 validation reviews: without the mask {unmasked_accuracy:.4f}, "
                             f"with it {masked_accuracy:.4f}; right only without the mask on ")
    with pytest.raises(WrongAnswer, match="train at least as long"):
        checks.unmasked_rnn(trained_rnn(mask_zero=False, epochs=1), data, masked, masked_history(), 4)
    with pytest.raises(WrongAnswer, match="still masks"):
        checks.unmasked_rnn(trained_rnn(mask_zero=True, epochs=2), data, masked, masked_history(), 4)


def test_unmasked_rnn_pairs_the_two_models_review_by_review():
    data, unmasked = end_padded_reviews(), trained_rnn(mask_zero=False, epochs=2)
    labels = np.concatenate([keras.ops.convert_to_numpy(batch_labels) for _, batch_labels in data])
    flipped = keras.Sequential([unmasked, keras.layers.Lambda(lambda probability: 1 - probability)])
    unmasked_right = (unmasked.predict(data, verbose=0).ravel() > 0.5) == labels.astype(bool)
    assert np.array_equal(checks.correct_on(unmasked, data), unmasked_right)
    assert np.array_equal(checks.correct_on(flipped, data), ~unmasked_right)
    itself = checks.unmasked_rnn(unmasked, data, unmasked, masked_history(), 4)
    assert "right only without the mask on 0, only with it on 0, McNemar exact p = 1;" in itself
    opposite = checks.unmasked_rnn(unmasked, data, flipped, masked_history(), 4)
    expected = stats.paired_test(unmasked_right, ~unmasked_right)
    assert (f"right only without the mask on {unmasked_right.sum()}, only with it on {(~unmasked_right).sum()}, "
            f"McNemar exact p = {expected.p_value:.3g};") in opposite


def test_padding_drift_is_zero_for_a_masked_model_only():
    ids = keras.ops.convert_to_numpy(next(iter(end_padded_reviews()))[0])
    keras.utils.set_random_seed(0)
    assert checks.padding_drift(models.simple_rnn(vocab_size=20, embedding_dim=4, units=4), ids) < 1e-6
    keras.utils.set_random_seed(0)
    assert checks.padding_drift(models.simple_rnn(vocab_size=20, embedding_dim=4, units=4, mask_zero=False), ids) > 1e-4
