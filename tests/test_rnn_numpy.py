"""The NumPy recurrent layers give the same outputs as the Keras layers with the same weights."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from numpy.testing import assert_allclose

from utils import rnn_numpy

BATCH, TIME, FEATURES, UNITS = 3, 7, 5, 4
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)


@pytest.fixture
def inputs(rng: np.random.Generator) -> np.ndarray:
    return rng.normal(size=(BATCH, TIME, FEATURES)).astype("float32")


def randomize(layer: keras.layers.Layer, rng: np.random.Generator) -> list[np.ndarray]:
    """Give a built layer random weights (bias included, so that no term is zero) and return them."""
    weights = [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    return weights


def keras_output(layer_class: type, inputs: np.ndarray, rng: np.random.Generator, **kwargs) -> tuple:
    """A Keras layer's output on inputs, with random weights, and those weights."""
    layer = layer_class(UNITS, **kwargs)
    layer.build(inputs.shape)
    weights = randomize(layer, rng)
    return keras.ops.convert_to_numpy(layer(inputs)), weights


@pytest.mark.parametrize("return_sequences", [False, True])
def test_simple_rnn_forward_matches_keras(inputs, rng, return_sequences):
    expected, weights = keras_output(keras.layers.SimpleRNN, inputs, rng, return_sequences=return_sequences)
    actual = rnn_numpy.simple_rnn_forward(inputs, *weights, return_sequences=return_sequences)
    assert actual.shape == expected.shape
    assert_allclose(actual, expected, **TOLERANCE)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_forward_matches_keras(inputs, rng, return_sequences):
    expected, weights = keras_output(keras.layers.LSTM, inputs, rng, return_sequences=return_sequences)
    actual = rnn_numpy.lstm_forward(inputs, *weights, return_sequences=return_sequences)
    assert actual.shape == expected.shape
    assert_allclose(actual, expected, **TOLERANCE)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_gru_forward_matches_keras(inputs, rng, return_sequences, reset_after):
    expected, weights = keras_output(
        keras.layers.GRU, inputs, rng, return_sequences=return_sequences, reset_after=reset_after
    )
    assert weights[2].shape == ((2, 3 * UNITS) if reset_after else (3 * UNITS,))
    actual = rnn_numpy.gru_forward(inputs, *weights, return_sequences=return_sequences)
    assert actual.shape == expected.shape
    assert_allclose(actual, expected, **TOLERANCE)


def test_lstm_gate_order_is_i_f_c_o(inputs, rng):
    """Swapping the input and forget gate blocks changes the output: the order is not arbitrary."""
    expected, (kernel, recurrent_kernel, bias) = keras_output(keras.layers.LSTM, inputs, rng)
    swap = np.r_[UNITS : 2 * UNITS, 0:UNITS, 2 * UNITS : 4 * UNITS]
    swapped = rnn_numpy.lstm_forward(inputs, kernel[:, swap], recurrent_kernel[:, swap], bias[swap])
    assert not np.allclose(swapped, expected, **TOLERANCE)


def test_initial_states_match_keras(inputs, rng):
    h0, c0 = (rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(2))
    cases = [
        (keras.layers.SimpleRNN, rnn_numpy.simple_rnn_forward, [h0], {"h0": h0}),
        (keras.layers.LSTM, rnn_numpy.lstm_forward, [h0, c0], {"h0": h0, "c0": c0}),
        (keras.layers.GRU, rnn_numpy.gru_forward, [h0], {"h0": h0}),
    ]
    for layer_class, forward, keras_state, numpy_state in cases:
        layer = layer_class(UNITS, return_sequences=True)
        layer.build(inputs.shape)
        weights = randomize(layer, rng)
        expected = keras.ops.convert_to_numpy(layer(inputs, initial_state=keras_state))
        actual = forward(inputs, *weights, return_sequences=True, **numpy_state)
        assert_allclose(actual, expected, **TOLERANCE, err_msg=layer_class.__name__)


@pytest.mark.parametrize(
    ("layer_class", "forward"),
    [
        (keras.layers.SimpleRNN, rnn_numpy.simple_rnn_forward),
        (keras.layers.LSTM, rnn_numpy.lstm_forward),
        (keras.layers.GRU, rnn_numpy.gru_forward),
    ],
)
def test_mask_matches_keras_and_ignores_padding(inputs, rng, layer_class, forward):
    lengths = np.array([TIME, 4, 1])
    mask = np.arange(TIME)[None, :] < lengths[:, None]
    layer = layer_class(UNITS, return_sequences=True)
    layer.build(inputs.shape)
    weights = randomize(layer, rng)
    expected = keras.ops.convert_to_numpy(layer(inputs, mask=mask))
    actual = forward(inputs, *weights, return_sequences=True, mask=mask)
    assert_allclose(actual, expected, **TOLERANCE)
    short = forward(inputs[1:2, :4], *weights)
    assert_allclose(forward(inputs, *weights, mask=mask)[1:2], short, **TOLERANCE)


def test_lstm_step_keeps_the_cell_when_forget_gate_is_open_and_input_gate_closed():
    kernel = np.zeros((1, 4))
    recurrent_kernel = np.zeros((1, 4))
    bias = np.array([-50.0, 50.0, 0.0, 50.0])  # i closed, f open, o open
    c_prev = np.array([[0.7]])
    h_t, c_t = rnn_numpy.lstm_step(np.ones((1, 1)), np.zeros((1, 1)), c_prev, kernel, recurrent_kernel, bias)
    assert_allclose(c_t, c_prev)
    assert_allclose(h_t, np.tanh(c_prev))


def test_wrong_shapes_raise_helpful_errors(inputs, rng):
    _, (kernel, recurrent_kernel, bias) = keras_output(keras.layers.LSTM, inputs, rng)
    with pytest.raises(ValueError, match="GRU expects kernel"):
        rnn_numpy.gru_forward(inputs, kernel, recurrent_kernel, bias)
    with pytest.raises(ValueError, match="time, features"):
        rnn_numpy.lstm_forward(inputs[:, 0, :], kernel, recurrent_kernel, bias)
    _, (kernel, recurrent_kernel, _) = keras_output(keras.layers.GRU, inputs, rng)
    with pytest.raises(ValueError, match="reset_after"):
        rnn_numpy.gru_forward(inputs, kernel, recurrent_kernel, np.zeros(UNITS))


def test_simple_rnn_jacobian_norms_match_tensorflow(inputs, rng):
    layer = keras.layers.SimpleRNN(UNITS)
    layer.build(inputs.shape)
    kernel, recurrent_kernel, bias = randomize(layer, rng)
    states = rnn_numpy.simple_rnn_forward(inputs, kernel, recurrent_kernel, bias, return_sequences=True)
    norms = rnn_numpy.simple_rnn_jacobian_norms(states, recurrent_kernel)
    assert norms.shape == (BATCH, TIME)
    for t in range(1, TIME):  # from h_t, Keras runs the steps t+1 ... T; the tape differentiates h_T with respect to h_t
        h_t = tf.constant(states[:, t - 1, :])
        with tf.GradientTape() as tape:
            tape.watch(h_t)
            h_last = layer(inputs[:, t:, :], initial_state=[h_t])
        jacobian = keras.ops.convert_to_numpy(tape.batch_jacobian(h_last, h_t))
        assert_allclose(norms[:, t - 1], np.linalg.norm(jacobian, ord=2, axis=(1, 2)), rtol=1e-4)
    assert_allclose(norms[:, -1], 1.0)
    with pytest.raises(ValueError, match="recurrent_kernel"):
        rnn_numpy.simple_rnn_jacobian_norms(states, kernel)
