"""The memory task: what its sequences hold, that a cell can learn it, and the gradient that reaches each step."""
import math

import keras
import numpy as np
import pandas as pd
import pytest

import utils
from utils import memory_task, models


def test_sequences_label_is_the_first_token_and_half_to_all_of_distance_tokens_follow_it():
    tokens, labels = memory_task.memory_sequences(2_000, 7, symbols=4, seed=1)
    assert tokens.shape == (2_000, 8) and tokens.dtype == np.int32
    assert (labels == tokens[:, 0] - 1).all() and set(np.unique(tokens[:, 0])) == {1, 2, 3, 4}
    after_key = (tokens[:, 1:] > 0).sum(axis=1)
    assert set(after_key) == {4, 5, 6, 7}, "between ceil(7 / 2) and 7 tokens follow the key"
    padded = tokens[:, 1:] == 0
    assert (np.sort(padded, axis=1) == padded).all(), "padding only at the end"
    again, _ = memory_task.memory_sequences(2_000, 7, symbols=4, seed=1)
    other, _ = memory_task.memory_sequences(2_000, 7, symbols=4, seed=2)
    assert (again == tokens).all() and (other != tokens).any()


def test_sequences_with_shortest_equal_to_distance_have_one_length():
    tokens, _ = memory_task.memory_sequences(50, 6, shortest=6)
    assert (tokens > 0).all() and tokens.shape == (50, 7)
    with pytest.raises(ValueError, match="shortest must be at most distance"):
        memory_task.memory_sequences(50, 6, shortest=7)


@pytest.mark.parametrize("name", ["count", "distance", "shortest", "symbols"])
def test_sequences_refuse_sizes_that_are_not_counts(name):
    sizes = {"count": 10, "distance": 5, "shortest": 3, "symbols": 4} | {name: 0}
    with pytest.raises(ValueError, match=f"{name} must be a whole number of at least 1"):
        memory_task.memory_sequences(sizes["count"], sizes["distance"], shortest=sizes["shortest"],
                                     symbols=sizes["symbols"])


def test_model_gives_a_distribution_over_the_symbols_and_refuses_unknown_cells():
    model = memory_task.memory_model("gru", units=4, symbols=5)
    probabilities = keras.ops.convert_to_numpy(model(np.ones((3, 9), "int32")))
    assert probabilities.shape == (3, 5) and np.allclose(probabilities.sum(axis=1), 1)
    with pytest.raises(ValueError, match="cell must be one of"):
        memory_task.memory_model("transformer")


def test_padding_after_the_sequence_leaves_the_prediction_unchanged():
    model = memory_task.memory_model("lstm", units=4)
    tokens = np.array([[3, 1, 4, 1, 5]], "int32")
    padded = np.concatenate([tokens, np.zeros((1, 3), "int32")], axis=1)
    np.testing.assert_allclose(model.predict_on_batch(padded), model.predict_on_batch(tokens), rtol=1e-5)


def test_remember_steps_set_the_gate_biases_to_keep_k_over_k_plus_one():
    lstm_bias = memory_task.memory_model("lstm", units=3, remember_steps=9).layers[1].get_weights()[2]
    np.testing.assert_allclose(lstm_bias.reshape(4, 3), [[-math.log(9)] * 3, [math.log(9)] * 3, [0] * 3, [0] * 3])
    gru_bias = memory_task.memory_model("gru", units=3, remember_steps=9).layers[1].get_weights()[2]
    np.testing.assert_allclose(gru_bias, [[math.log(9)] * 3 + [0] * 6, [0] * 9])
    assert 1 / (1 + math.exp(-math.log(9))) == pytest.approx(9 / 10), "sigmoid(ln k) = k / (k + 1)"
    with pytest.raises(ValueError, match="a SimpleRNN has no gates"):
        memory_task.memory_model("simple_rnn", remember_steps=9)


def test_an_lstm_learns_to_recall_a_token_three_steps_back():
    keras.utils.set_random_seed(0)
    tokens, labels = memory_task.memory_sequences(1_024, 3, symbols=4, seed=0)
    test_tokens, test_labels = memory_task.memory_sequences(512, 3, symbols=4, seed=1)
    model = memory_task.memory_model("lstm", units=16, symbols=4)
    model.fit(tokens, labels, epochs=15, batch_size=64, verbose=0)
    assert model.evaluate(test_tokens, test_labels, verbose=0)[1] > 0.9, "chance is 0.25"


class FakeHistory:
    """What memory_curve reads of a Keras History: the training accuracy of each epoch."""

    def __init__(self, accuracy: float):
        self.history = {"accuracy": [accuracy]}


def fake_training(monkeypatch, train_accuracies, test_accuracies):
    """Make fit and evaluate return these accuracies in turn, without training."""
    train_accuracies, test_accuracies = iter(train_accuracies), iter(test_accuracies)
    monkeypatch.setattr(keras.Model, "fit", lambda *args, **kwargs: FakeHistory(next(train_accuracies)))
    monkeypatch.setattr(keras.Model, "evaluate", lambda *args, **kwargs: [0.0, next(test_accuracies)])


def test_memory_curve_stops_training_a_cell_once_its_training_accuracy_is_at_chance(monkeypatch, capsys):
    fake_training(monkeypatch, [0.9, 0.8, 0.1, 0.12, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
                  [0.9, 0.7, 0.5, 0.6, 0.8, 0.8, 0.7, 0.7, 0.6, 0.6])
    curve = memory_task.memory_curve(["simple_rnn", "gru"], [2, 3, 4], train_count=64, test_count=32, epochs=1,
                                     units=4, seeds=(1, 2))
    assert list(zip(curve["cell"], curve["distance"], curve["seed"]))[:6] == [
        ("simple_rnn", 2, 1), ("simple_rnn", 2, 2), ("simple_rnn", 3, 1), ("simple_rnn", 3, 2),
        ("simple_rnn", 4, 1), ("simple_rnn", 4, 2)]
    assert curve["test_accuracy"].tolist()[:4] == [0.9, 0.7, 0.5, 0.6], "the test accuracy is reported..."
    assert curve["test_accuracy"][4:6].isna().all() and (curve["seconds"][4:6] == 0).all(), (
        "...but training accuracies of 0.1 and 0.12 at k = 3 (mean below 1.5 / 8) stop the cell")
    assert curve["test_accuracy"].tolist()[6:] == [0.8, 0.8, 0.7, 0.7, 0.6, 0.6] and (curve["init"] == "Keras").all()
    summary = memory_task.summary_by_distance(curve)
    assert summary["mean"].tolist()[:2] == pytest.approx([0.8, 0.55])
    assert summary["standard_error"][0] == pytest.approx(0.1), "sample standard deviation / sqrt(2)"
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and lines[0].startswith("simple_rnn, Keras, k = 2: test accuracy 80.0% ± 10.0% over 2 seeds")


def test_memory_curve_refuses_a_training_seed_equal_to_the_test_seed():
    with pytest.raises(ValueError, match="must not include TEST_SEED"):
        memory_task.memory_curve(["gru"], [2], train_count=8, test_count=8, epochs=1, seeds=(memory_task.TEST_SEED,))


def test_memory_curve_trains_each_seed_on_its_own_sequences_and_tests_all_on_the_same(monkeypatch):
    trained_on, tested_on = [], []
    monkeypatch.setattr(keras.Model, "fit", lambda self, tokens, *args, **kwargs: trained_on.append(tokens.copy())
                        or FakeHistory(0.9))
    monkeypatch.setattr(keras.Model, "evaluate", lambda self, tokens, *args, **kwargs: tested_on.append(tokens.copy())
                        or [0.0, 0.9])
    memory_task.memory_curve(["gru"], [3], train_count=16, test_count=8, epochs=1, units=2, seeds=(1, 2))
    assert not np.array_equal(*trained_on) and np.array_equal(*tested_on)
    assert np.array_equal(tested_on[0], memory_task.memory_sequences(8, 3, seed=memory_task.TEST_SEED)[0])


def test_memory_curve_compiles_only_the_long_distances_with_xla(monkeypatch):
    compiled, build = [], memory_task.memory_model
    fake_training(monkeypatch, [0.9, 0.9], [0.9, 0.9])
    monkeypatch.setattr(memory_task, "memory_model",
                        lambda cell, **options: compiled.append(options["jit_compile"]) or build(cell, **options))
    memory_task.memory_curve(["gru"], [2, memory_task.XLA_FROM], train_count=32, test_count=16, epochs=1, units=2,
                             seeds=(1,))
    assert compiled == [False, True]


def test_gradient_without_recurrent_weights_reaches_only_the_last_step():
    keras.utils.set_random_seed(0)
    model = memory_task.memory_model("simple_rnn", units=4)
    recurrent = model.layers[1]
    kernel, recurrent_kernel, bias = recurrent.get_weights()
    tokens, labels = memory_task.memory_sequences(16, 5, shortest=5, seed=0)
    with_recurrence = memory_task.gradient_through_time(model, tokens, labels)
    recurrent.set_weights([kernel, np.zeros_like(recurrent_kernel), bias])
    without = memory_task.gradient_through_time(model, tokens, labels)
    assert with_recurrence.shape == without.shape == (6,)
    assert (with_recurrence[:-1] > 0).all() and (without[:-1] == 0).all() and without[-1] > 0


def test_vector_norms_keep_vectors_whose_float32_squares_underflow():
    tiny = np.full((2, 4), 1e-30, dtype=np.float32)
    assert float(np.linalg.norm(tiny[0] * tiny[0])) == 0.0, "float32 squares of 1e-30 underflow to 0"
    np.testing.assert_allclose(memory_task.vector_norms(tiny), [2e-30, 2e-30], rtol=1e-6)


def test_gradient_through_time_of_a_sigmoid_review_classifier_skips_the_padding():
    keras.utils.set_random_seed(0)
    model = models.simple_rnn(vocab_size=20, embedding_dim=4, units=3)
    tokens = np.random.default_rng(0).integers(1, 20, size=(8, 6))
    tokens[:, -2:] = 0
    labels = (np.arange(8) % 2).astype("float32")[:, None]
    norms = memory_task.gradient_through_time(model, tokens, labels, loss=keras.losses.binary_crossentropy)
    assert norms.shape == (6,)
    assert (norms[:4] > 0).all() and (norms[4:] == 0).all(), "masked padding steps get no gradient"


def test_a_saved_curve_reads_back_the_same_and_lecture_reuses_it(monkeypatch, use_profile, capsys):
    fake_training(monkeypatch, [1 / 3, 0.1], [1 / 3, 0.1])
    curve = memory_task.memory_curve(["lstm"], [2, 3, 4], train_count=32, test_count=16, epochs=1, units=2,
                                     remember=True, seeds=(1,))
    use_profile("full")
    assert utils.reused_or_built("99_test", "curve.csv", lambda: curve, memory_task.save_curve,
                                 memory_task.load_curve) is curve
    use_profile("lecture")
    reused = utils.reused_or_built("99_test", "curve.csv", lambda: pytest.fail("lecture must not train"),
                                   memory_task.save_curve, memory_task.load_curve)
    pd.testing.assert_frame_equal(reused, curve, check_exact=True)
    assert math.isnan(reused["test_accuracy"][2]) and reused["init"][0] == "gates for k steps"
    assert capsys.readouterr().out.endswith("(data/trained/99_test/curve.csv); not rebuilt\n")
