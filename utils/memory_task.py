"""How far back a recurrent cell remembers: random token sequences labelled by a token k/2 to k steps before the end."""
from __future__ import annotations

import math
import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers

from utils.config import SEED, check_count
from utils.language_model import RECURRENT_LAYERS
from utils.stats import over_seeds

SYMBOLS = 8
"""Tokens are 1..SYMBOLS (0 pads), so a model that has forgotten the key scores 1 / SYMBOLS: chance."""
AT_CHANCE = 1.5 / SYMBOLS
"""Accuracies below this count as chance in memory_curve."""
SEEDS = (42, 43, 44)
"""memory_curve trains every (cell, distance) once per seed: its own training sequences and initial weights."""
TEST_SEED = 0
"""The seed of memory_curve's test sequences, the same for every seed's model (no training seed may equal it)."""
XLA_FROM = 50
"""memory_curve compiles models for this many steps or more with XLA: a few seconds to compile, then about three
times faster training on a CPU, which pays off on long sequences only."""


def memory_sequences(
    count: int, distance: int, *, shortest: int | None = None, symbols: int = SYMBOLS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Return count sequences of random tokens and their labels: the first token (the key), minus 1.

    Between `shortest` (default: half of distance, rounded up) and `distance` tokens follow the key, drawn from the
    same symbols, so nothing but memory tells the key apart; the rows are padded with 0 to distance + 1 tokens.
    """
    shortest = (distance + 1) // 2 if shortest is None else shortest
    for name, value in (("count", count), ("distance", distance), ("shortest", shortest), ("symbols", symbols)):
        check_count(name, value)
    if shortest > distance:
        raise ValueError(f"shortest must be at most distance ({distance}), not {shortest}.")
    rng = np.random.default_rng(seed)
    tokens = rng.integers(1, symbols + 1, size=(count, distance + 1), dtype=np.int32)
    after_key = rng.integers(shortest, distance + 1, size=count)
    tokens[np.arange(distance + 1)[None, :] > after_key[:, None]] = 0
    return tokens, tokens[:, 0] - 1


def memory_model(
    cell: str, *, units: int = 32, symbols: int = SYMBOLS, learning_rate: float = 1e-2,
    remember_steps: int | None = None, jit_compile: bool = False,
) -> keras.Model:
    """Return a compiled Embedding -> SimpleRNN / LSTM / GRU(units) -> Dense(symbols, softmax) classifier (Adam).

    remember_steps=k initialises the gates to keep k / (k + 1) of the state and to write 1 / (k + 1) of the new input
    per step (a running average over about k steps; "chrono" initialisation, Tallec & Ollivier 2018, with one time
    scale): the LSTM's forget bias is ln k and its input bias -ln k, the GRU's update bias ln k. None keeps Keras's
    biases: an LSTM forget gate of sigmoid(1) = 0.73 and a GRU update gate of sigmoid(0) = 0.5 per step.
    """
    if cell not in RECURRENT_LAYERS:
        raise ValueError(f"cell must be one of {', '.join(map(repr, RECURRENT_LAYERS))}, not {cell!r}.")
    check_count("remember_steps", remember_steps, optional=True)
    if remember_steps is not None and cell == "simple_rnn":
        raise ValueError("remember_steps sets a gate's bias, and a SimpleRNN has no gates: use 'lstm' or 'gru'.")
    recurrent = RECURRENT_LAYERS[cell](units)
    model = keras.Sequential(
        [keras.Input(shape=(None,), dtype="int32"), layers.Embedding(symbols + 1, 8, mask_zero=True), recurrent,
         layers.Dense(symbols, activation="softmax")],
        name=f"memory_{cell}",
    )
    if remember_steps is not None:
        kernel, recurrent_kernel, bias = recurrent.get_weights()
        if cell == "lstm":  # gates i, f, c, o
            bias[:units], bias[units : 2 * units] = -np.log(remember_steps), np.log(remember_steps)
        else:  # gates z, r, h; the first row of the bias is added to x W, the second to h U
            bias[:, :units] = [[np.log(remember_steps)], [0.0]]
        recurrent.set_weights([kernel, recurrent_kernel, bias])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,  # True: XLA (see XLA_FROM)
    )
    return model


def memory_curve(
    cells: list[str], distances: list[int], *, train_count: int, test_count: int, epochs: int,
    batch_size: int = 64, units: int = 32, remember: bool = False, seeds: tuple[int, ...] = SEEDS,
) -> pd.DataFrame:
    """Train a fresh model per (cell, distance k, seed) on the same budget; return one row each: accuracies, seconds.

    Each seed draws its own training sequences and initial weights (stats.over_seeds); every seed is tested on the
    same test sequences, drawn with TEST_SEED. remember=True starts the gated cells with remember_steps=k (see
    memory_model); distances of XLA_FROM or more are compiled with XLA. Prints one line per (cell, k). Once a cell's
    training accuracy (last epoch, mean over seeds) is below AT_CHANCE, the longer distances are not trained
    (accuracies NaN): a cell that cannot fit k steps fits no more. The test set decides nothing.
    """
    if TEST_SEED in seeds:
        raise ValueError(f"seeds must not include TEST_SEED ({TEST_SEED}): the test sequences are drawn with it.")
    init = "gates for k steps" if remember else "Keras"
    rows = []
    for cell in cells:
        forgot = False
        for distance in distances:
            runs = {seed: (math.nan, math.nan, 0.0) for seed in seeds}  # seed: train accuracy, test accuracy, seconds
            if not forgot:
                test_tokens, test_labels = memory_sequences(test_count, distance, seed=TEST_SEED)

                def test_accuracy(seed: int) -> float:
                    """Train a fresh model on the seed's sequences (weights seeded by over_seeds); return test accuracy."""
                    train_tokens, train_labels = memory_sequences(train_count, distance, seed=seed)
                    model = memory_model(cell, units=units, remember_steps=distance if remember else None,
                                         jit_compile=distance >= XLA_FROM)
                    start = time.perf_counter()
                    history = model.fit(train_tokens, train_labels, epochs=epochs, batch_size=batch_size, verbose=0)
                    model.jit_compile = False  # the test set is read once: compiling it with XLA would cost more
                    accuracy = float(model.evaluate(test_tokens, test_labels, batch_size=512, verbose=0)[1])
                    runs[seed] = (float(history.history["accuracy"][-1]), accuracy, time.perf_counter() - start)
                    return accuracy

                summary = over_seeds(test_accuracy, seeds)
                print(f"{cell}, {init}, k = {distance}: test accuracy {summary.mean:.1%} ± "
                      f"{summary.standard_error:.1%} over {len(seeds)} seeds "
                      f"({sum(run[2] for run in runs.values()):.0f} s)", flush=True)
                forgot = float(np.mean([run[0] for run in runs.values()])) < AT_CHANCE
            rows += [{"cell": cell, "init": init, "distance": distance, "seed": seed, "train_accuracy": train,
                      "test_accuracy": test, "seconds": seconds} for seed, (train, test, seconds) in runs.items()]
    return pd.DataFrame(rows)


def summary_by_distance(curve: pd.DataFrame) -> pd.DataFrame:
    """Return the test accuracy of a memory_curve table per (cell, init, distance): mean and standard error over seeds."""
    grouped = curve.groupby(["cell", "init", "distance"], sort=False)["test_accuracy"]
    return pd.DataFrame({"mean": grouped.mean(), "standard_error": grouped.sem()}).reset_index()


def save_curve(curve: pd.DataFrame, path: Path) -> None:
    """Write a memory_curve table to path as CSV, each number as Python writes it (so it reads back the same)."""
    curve.to_csv(path, index=False)


def load_curve(path: Path) -> pd.DataFrame:
    """Return the memory_curve table save_curve wrote to path, with its numbers exactly as they were."""
    curve = pd.read_csv(path)
    # pandas 2's C parser can miss a float by its last digit (Colab has pandas 2.2); Python's float() reads it exactly.
    as_written = pd.read_csv(path, dtype=str)
    for column in curve.select_dtypes("float").columns:
        curve[column] = as_written[column].astype(float)
    return curve


def gradient_through_time(model: keras.Model, tokens: np.ndarray, labels: np.ndarray,
                          loss=keras.losses.sparse_categorical_crossentropy) -> np.ndarray:
    """Return the mean norm of dLoss/d(embedded token) at each position, for a model [Embedding, recurrent, head]."""
    embedding, recurrent, head = model.layers
    with tf.GradientTape() as tape:
        embedded = embedding(tokens)
        tape.watch(embedded)
        outputs = head(recurrent(embedded, mask=embedding.compute_mask(tokens)))
        per_sequence_loss = loss(labels, outputs)
    gradients = tape.gradient(per_sequence_loss, embedded)
    return vector_norms(gradients.numpy()).mean(axis=0)


def vector_norms(vectors: np.ndarray) -> np.ndarray:
    """Return the Euclidean norm of each vector (last axis), in float64: float32 squares below 1e-38 would read as 0."""
    return np.linalg.norm(np.asarray(vectors, dtype=np.float64), axis=-1)
