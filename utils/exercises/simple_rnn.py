"""Checks of notebook 07's exercises: a stacked SimpleRNN's parameter count, two steps by hand, training without a mask."""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from utils import rnn_numpy, stats
from utils.exercises import require


def stacked_count(answer: int, model: keras.Model) -> str:
    """Check answer as model's parameter count (an Embedding, stacked SimpleRNNs, a Dense head)."""
    require(isinstance(answer, (int, np.integer)), f"answer with an int, not a {type(answer).__name__}")
    counts = [layer.count_params() for layer in model.layers]
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.SimpleRNN)]
    embedding_dim = model.layers[0].output_dim
    same_input = sum(embedding_dim * layer.units + layer.units**2 + layer.units for layer in recurrent)
    require(answer != sum(counts[:-1]), "add the Dense(1) head: one weight per unit of the last layer, plus a bias")
    require(answer != counts[0] + same_input + counts[-1],
            "every SimpleRNN after the first reads the states of the one below (units features), not the embedding")
    require(answer == sum(counts), "recount: the Embedding (vocabulary x dimensions), each SimpleRNN "
                                   "(inputs x units + units x units + units) and the Dense head (units + 1)")
    return " + ".join(f"{count:,}" for count in counts) + f" = {sum(counts):,}"


def two_states(answer: np.ndarray, x: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
               bias: np.ndarray) -> str:
    """Check answer as the first two hidden states of x[0] under these SimpleRNN weights, stacked (2, units)."""
    expected = rnn_numpy.simple_rnn_forward(x[:1, :2], kernel, recurrent_kernel, bias, return_sequences=True)[0]
    answer = np.asarray(answer, dtype=np.float64)
    require(answer.shape == expected.shape, f"stack h_1 and h_2 into shape {expected.shape}, not {answer.shape}: "
                                            "np.stack([my_h1, my_h2])")
    close = [np.allclose(mine, state, rtol=1e-5, atol=1e-6) for mine, state in zip(answer, expected)]
    require(close[0], "h_1 is off: h_1 = tanh(x_1 @ kernel + h_0 @ recurrent_kernel + bias), with h_0 = 0 and x_1 the first step of the sequence")
    require(close[1], "h_1 is right, h_2 is off: h_2 = tanh(x_2 @ kernel + h_1 @ recurrent_kernel + bias), "
                      "with x_2 the second step")
    return "both states match"


def padding_drift(model: keras.Model, padded_ids: np.ndarray) -> float:
    """Return the mean change of model's output when each review's end padding is cut off (0 for a masked model)."""
    changes = []
    for review in padded_ids:
        words = review[: int(np.max(np.flatnonzero(review), initial=-1)) + 1]
        if len(words) == len(review) or len(words) == 0:
            continue
        unpadded, padded = model.predict(np.stack([words]), verbose=0), model.predict(review[None], verbose=0)
        changes.append(float(np.abs(padded - unpadded).max()))
    return float(np.mean(changes)) if changes else 0.0


def correct_on(model: keras.Model, data: tf.data.Dataset) -> np.ndarray:
    """Return, review by review in data's order, whether model's 0.5-threshold answer matches the label."""
    return np.concatenate([stats.correct(keras.ops.convert_to_numpy(labels),
                                         keras.ops.convert_to_numpy(model.predict_on_batch(ids)))
                           for ids, labels in data])


def unmasked_rnn(answer: keras.Model, padded_validation_data: tf.data.Dataset, masked_model: keras.Model,
                 masked_history: keras.callbacks.History, steps_per_epoch: int) -> str:
    """Check answer as an unmasked SimpleRNN trained as long as the masked model; compare both on validation, paired."""
    require(isinstance(answer, keras.Model), f"answer with your trained model, not a {type(answer).__name__}")
    require(any(isinstance(layer, keras.layers.SimpleRNN) for layer in answer.layers),
            "the model has no SimpleRNN layer: build it with models.simple_rnn(mask_zero=False)")
    embedding = answer.layers[0]
    require(isinstance(embedding, keras.layers.Embedding) and not embedding.mask_zero,
            "the embedding still masks the padding: build the model with models.simple_rnn(mask_zero=False)")
    best_epoch = int(np.argmax(masked_history.history["val_accuracy"])) + 1
    steps = int(answer.optimizer.iterations) if answer.optimizer is not None else 0
    require(steps >= best_epoch * steps_per_epoch,
            f"the model trained {steps} steps; the masked model reached its best validation accuracy after "
            f"{best_epoch} epochs: train at least as long ({best_epoch} epochs, {best_epoch * steps_per_epoch} steps), "
            "or the comparison says more about training time than about the mask")
    unmasked_correct = correct_on(answer, padded_validation_data)
    masked_correct = correct_on(masked_model, padded_validation_data)
    paired = stats.paired_test(unmasked_correct, masked_correct)
    ids, _ = next(iter(padded_validation_data))
    drift = padding_drift(answer, keras.ops.convert_to_numpy(ids)[:8])
    return (f"on the same {unmasked_correct.size:,} validation reviews: without the mask "
            f"{unmasked_correct.mean():.4f}, with it {masked_correct.mean():.4f}; right only without the mask on "
            f"{paired.only_first_right}, only with it on {paired.only_second_right}, McNemar exact p = "
            f"{paired.p_value:.3g}; cutting the end padding off a review moves its output by {drift:.3f} on average "
            "(a masked model: 0)")
