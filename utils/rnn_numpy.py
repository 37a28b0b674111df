"""Recurrent layers in NumPy, weight for weight the same as Keras's SimpleRNN, LSTM and GRU.

Every function takes the arrays that `layer.get_weights()` returns, in Keras's layout:

- SimpleRNN: kernel (features, units), recurrent_kernel (units, units), bias (units,).
- LSTM: kernel (features, 4*units), recurrent_kernel (units, 4*units), bias (4*units,);
  the four blocks of columns are the gates in the order i, f, c, o
  (input gate, forget gate, candidate cell, output gate).
- GRU: kernel (features, 3*units), recurrent_kernel (units, 3*units); the blocks are
  z, r, h (update gate, reset gate, candidate state). With Keras's default
  reset_after=True the bias has shape (2, 3*units): row 0 is added to the input
  projection, row 1 to the recurrent projection, and the reset gate multiplies the
  recurrent projection after the matrix product (the cuDNN variant). With
  reset_after=False the bias has shape (3*units,) and the reset gate multiplies the
  previous state before the product (the original Cho et al. 2014 variant).

Inputs x have shape (batch, time, features). A boolean mask (batch, time) skips the
steps where it is False: the state is carried over unchanged, as Keras does for
`Embedding(mask_zero=True)` padding.
"""

from collections.abc import Callable

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x)), elementwise."""
    return 1.0 / (1.0 + np.exp(-x))


def simple_rnn_step(
    x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """The next state h_t = tanh(x_t W^T + h_{t-1} U^T + b) on row vectors: kernel = W^T, recurrent_kernel = U^T."""
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def lstm_step(
    x_t: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The next (hidden state h_t, cell state c_t) of an LSTM; gates in Keras's order i, f, c, o."""
    pre_activations = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i_pre, f_pre, c_pre, o_pre = np.split(pre_activations, 4, axis=-1)
    input_gate = sigmoid(i_pre)
    forget_gate = sigmoid(f_pre)
    candidate = np.tanh(c_pre)
    output_gate = sigmoid(o_pre)
    c_t = forget_gate * c_prev + input_gate * candidate
    h_t = output_gate * np.tanh(c_t)
    return h_t, c_t


def gru_step(
    x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    """The next hidden state of a GRU; blocks z, r, h; reset_after when bias has shape (2, 3*units)."""
    reset_after = bias.ndim == 2
    input_bias, recurrent_bias = (bias[0], bias[1]) if reset_after else (bias, np.zeros_like(bias))
    x_z, x_r, x_h = np.split(x_t @ kernel + input_bias, 3, axis=-1)
    u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=-1)
    b_z, b_r, b_h = np.split(recurrent_bias, 3)
    update_gate = sigmoid(x_z + h_prev @ u_z + b_z)
    reset_gate = sigmoid(x_r + h_prev @ u_r + b_r)
    if reset_after:
        candidate = np.tanh(x_h + reset_gate * (h_prev @ u_h + b_h))
    else:
        candidate = np.tanh(x_h + (reset_gate * h_prev) @ u_h)
    return update_gate * h_prev + (1.0 - update_gate) * candidate


def _run(
    step: Callable[..., tuple[np.ndarray, ...]],
    x: np.ndarray,
    states: tuple[np.ndarray, ...],
    mask: np.ndarray | None,
    return_sequences: bool,
) -> np.ndarray:
    """Loop `step` over the time axis of x; the last hidden state, or all of them."""
    if x.ndim != 3:
        raise ValueError(f"x must have shape (batch, time, features), got shape {x.shape}.")
    outputs = []
    for t in range(x.shape[1]):
        new_states = step(x[:, t, :], *states)
        if mask is not None:
            keep = mask[:, t, None].astype(bool)
            new_states = tuple(np.where(keep, new, old) for new, old in zip(new_states, states))
        states = new_states
        outputs.append(states[0])
    return np.stack(outputs, axis=1) if return_sequences else states[0]


def _zeros_or(state: np.ndarray | None, batch_size: int, units: int, dtype: np.dtype) -> np.ndarray:
    """The given initial state, or zeros of shape (batch_size, units)."""
    return np.zeros((batch_size, units), dtype=dtype) if state is None else np.asarray(state)


def _check_shapes(kernel: np.ndarray, recurrent_kernel: np.ndarray, blocks: int, layer: str) -> int:
    """The number of units, after checking that the kernels have Keras's shapes for `layer`."""
    units = recurrent_kernel.shape[0]
    if kernel.shape[1] != blocks * units or recurrent_kernel.shape != (units, blocks * units):
        raise ValueError(
            f"{layer} expects kernel (features, {blocks}*units) and recurrent_kernel (units, {blocks}*units), "
            f"got {kernel.shape} and {recurrent_kernel.shape}; pass the arrays of layer.get_weights() in order."
        )
    return units


def simple_rnn_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
    return_sequences: bool = False,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """keras.layers.SimpleRNN's output: h_T (batch, units), or every h_t (batch, time, units)."""
    units = _check_shapes(kernel, recurrent_kernel, 1, "SimpleRNN")
    h = _zeros_or(h0, x.shape[0], units, x.dtype)

    def step(x_t: np.ndarray, h_prev: np.ndarray) -> tuple[np.ndarray]:
        return (simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias),)

    return _run(step, x, (h,), mask, return_sequences)


def simple_rnn_jacobian_norms(states: np.ndarray, recurrent_kernel: np.ndarray) -> np.ndarray:
    """Return (batch, T): entry t-1 is the largest singular value of dh_T/dh_t, the product of step Jacobians.

    states are a SimpleRNN's h_1 ... h_T (batch, T, units); one step's Jacobian is dh_k/dh_(k-1) = diag(1 - h_k^2) U,
    with U = recurrent_kernel transposed (Keras stores the matrix that multiplies row vectors).
    """
    batch, steps, units = states.shape
    if recurrent_kernel.shape != (units, units):
        raise ValueError(f"recurrent_kernel must be ({units}, {units}) for states of {units} units, "
                         f"not {recurrent_kernel.shape}: pass the SimpleRNN's recurrent_kernel.")
    product = np.broadcast_to(np.eye(units), (batch, units, units))
    norms = np.ones((batch, steps))
    for k in range(steps - 1, 0, -1):
        step_jacobian = (1 - states[:, k, :] ** 2)[:, :, None] * recurrent_kernel.T[None]
        product = product @ step_jacobian
        norms[:, k - 1] = np.linalg.norm(product, ord=2, axis=(1, 2))
    return norms


def lstm_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    return_sequences: bool = False,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """keras.layers.LSTM's output: h_T (batch, units), or every h_t (batch, time, units)."""
    units = _check_shapes(kernel, recurrent_kernel, 4, "LSTM")
    h = _zeros_or(h0, x.shape[0], units, x.dtype)
    c = _zeros_or(c0, x.shape[0], units, x.dtype)

    def step(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)

    return _run(step, x, (h, c), mask, return_sequences)


def gru_forward(
    x: np.ndarray,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    h0: np.ndarray | None = None,
    return_sequences: bool = False,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """keras.layers.GRU's output (reset_after read from the bias shape): h_T, or every h_t."""
    units = _check_shapes(kernel, recurrent_kernel, 3, "GRU")
    if bias.shape not in {(2, 3 * units), (3 * units,)}:
        raise ValueError(
            f"GRU bias must have shape (2, {3 * units}) (reset_after=True, Keras's default) "
            f"or ({3 * units},) (reset_after=False), got {bias.shape}."
        )
    h = _zeros_or(h0, x.shape[0], units, x.dtype)

    def step(x_t: np.ndarray, h_prev: np.ndarray) -> tuple[np.ndarray]:
        return (gru_step(x_t, h_prev, kernel, recurrent_kernel, bias),)

    return _run(step, x, (h,), mask, return_sequences)
