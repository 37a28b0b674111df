"""Tests for utils.models: architecture, parameter counts (derived by hand), masking and training setup."""

import keras
import numpy as np
import pytest

from utils import models


def dense_params(inputs: int, units: int) -> int:
    """Weights plus biases of a Dense layer."""
    return inputs * units + units


def simple_rnn_params(inputs: int, units: int) -> int:
    """W (inputs x units) + U (units x units) + b (units)."""
    return inputs * units + units * units + units


def lstm_params(inputs: int, units: int) -> int:
    """Four gates, each a SimpleRNN-sized block."""
    return 4 * simple_rnn_params(inputs, units)


def gru_params(inputs: int, units: int) -> int:
    """Three gates; Keras's default reset_after=True keeps two bias vectors per gate."""
    return 3 * (inputs * units + units * units + 2 * units)


def trainable_count(model: keras.Model) -> int:
    """Number of trainable scalars."""
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_embedding_flatten_matches_chollet_counts_and_outputs_probabilities():
    model = models.embedding_flatten(vocab_size=10_000, embedding_dim=8, maxlen=20)
    assert model.count_params() == 10_000 * 8 + dense_params(20 * 8, 1)
    batch = np.random.default_rng(0).integers(0, 10_000, size=(3, 20))
    probabilities = model.predict(batch, verbose=0)
    assert probabilities.shape == (3, 1)
    assert np.all((probabilities > 0) & (probabilities < 1))
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    assert model.loss == "binary_crossentropy"


def test_glove_flatten_starts_from_matrix_and_keeps_it_frozen():
    matrix = np.random.default_rng(1).normal(size=(50, 6)).astype("float32")
    matrix[7] = 0.0
    model = models.glove_flatten(matrix, maxlen=4)
    embedding = model.layers[0]
    np.testing.assert_array_equal(embedding.get_weights()[0], matrix)
    assert trainable_count(model) == dense_params(4 * 6, 32) + dense_params(32, 1)
    dense_before = model.layers[2].get_weights()[0].copy()
    sequences = np.random.default_rng(2).integers(0, 50, size=(16, 4))
    labels = np.arange(16) % 2
    model.fit(sequences, labels, epochs=1, batch_size=8, verbose=0)
    np.testing.assert_array_equal(embedding.get_weights()[0], matrix)
    assert not np.allclose(model.layers[2].get_weights()[0], dense_before)


def test_glove_flatten_can_fine_tune_the_matrix():
    matrix = np.random.default_rng(1).normal(size=(50, 6)).astype("float32")
    model = models.glove_flatten(matrix, maxlen=4, trainable=True)
    assert trainable_count(model) == 50 * 6 + dense_params(4 * 6, 32) + dense_params(32, 1)


def test_random_embedding_variant_has_same_architecture_and_trains_its_embedding():
    model = models.glove_flatten(None, maxlen=100, vocab_size=10_000, embedding_dim=50)
    expected = 10_000 * 50 + dense_params(100 * 50, 32) + dense_params(32, 1)
    assert trainable_count(model) == expected
    assert [type(layer).__name__ for layer in model.layers] == ["Embedding", "Flatten", "Dense", "Dense"]
    frozen = models.glove_flatten(None, maxlen=100, vocab_size=10_000, embedding_dim=50, trainable=False)
    assert trainable_count(frozen) == expected - 10_000 * 50


def test_simple_rnn_counts_match_the_issue():
    single = models.simple_rnn()
    four = models.simple_rnn(stacked_layers=4)
    embedding = 10_000 * 32
    assert embedding + simple_rnn_params(32, 32) == 322_080
    assert embedding + 4 * simple_rnn_params(32, 32) == 328_320
    assert single.count_params() == 322_080 + dense_params(32, 1)
    assert four.count_params() == 328_320 + dense_params(32, 1)
    recurrent = [layer for layer in four.layers if isinstance(layer, keras.layers.SimpleRNN)]
    assert [layer.return_sequences for layer in recurrent] == [True, True, True, False]


def test_simple_rnn_rejects_zero_layers():
    with pytest.raises(ValueError, match="stacked_layers"):
        models.simple_rnn(stacked_layers=0)


def test_lstm_and_gru_counts_and_dropout():
    lstm = models.lstm(dropout=0.2, recurrent_dropout=0.1)
    gru = models.gru()
    assert lstm.count_params() == 10_000 * 32 + lstm_params(32, 32) + dense_params(32, 1)
    assert gru.count_params() == 10_000 * 32 + gru_params(32, 32) + dense_params(32, 1)
    recurrent = lstm.layers[1]
    assert (recurrent.dropout, recurrent.recurrent_dropout) == (0.2, 0.1)
    assert isinstance(gru.optimizer, keras.optimizers.RMSprop)


@pytest.mark.parametrize("builder", [models.simple_rnn, models.lstm, models.gru])
def test_masking_makes_trailing_padding_irrelevant(builder):
    keras.utils.set_random_seed(0)
    masked = builder(vocab_size=100, embedding_dim=4, units=3)
    unmasked = builder(vocab_size=100, embedding_dim=4, units=3, mask_zero=False)
    unmasked.set_weights(masked.get_weights())
    short = np.array([[5, 6, 7]])
    padded = np.array([[5, 6, 7, 0, 0, 0, 0, 0]])
    np.testing.assert_allclose(masked.predict(short, verbose=0), masked.predict(padded, verbose=0), rtol=1e-5)
    assert not np.allclose(unmasked.predict(short, verbose=0), unmasked.predict(padded, verbose=0), rtol=1e-5)


def test_bidirectional_lstm_on_integer_sequences_counts():
    single = models.bidirectional_lstm(vocab_size=1_000)
    stacked = models.bidirectional_lstm(vocab_size=1_000, stacked=True)
    embedding = 1_000 * 64
    head = dense_params(64, 1)
    assert single.count_params() == embedding + 2 * lstm_params(64, 64) + dense_params(128, 64) + head
    assert stacked.count_params() == (
        embedding + 2 * lstm_params(64, 64) + 2 * lstm_params(128, 32) + dense_params(64, 64) + head
    )
    assert single.predict(np.array([[4, 5, 6, 0]]), verbose=0).shape == (1, 1)


def test_bidirectional_lstm_takes_raw_strings_and_outputs_logits():
    texts = ["a great movie", "an awful boring movie", "great acting", "awful plot"]
    vectorizer = keras.layers.TextVectorization(max_tokens=20)
    vectorizer.adapt(texts)
    model = models.bidirectional_lstm(vectorizer)
    assert model.layers[1].input_dim == vectorizer.vocabulary_size()
    logits = model.predict(np.array(["what a great movie", "awful"], dtype=object), verbose=0)
    assert logits.shape == (2, 1)
    assert model.loss.get_config()["from_logits"] is True
    assert model.optimizer.learning_rate.numpy() == pytest.approx(1e-4)


def test_bidirectional_lstm_accuracy_thresholds_logits_at_zero():
    model = models.bidirectional_lstm(vocab_size=50)
    output = model.layers[-1]
    kernel, _ = output.get_weights()
    output.set_weights([np.zeros_like(kernel), np.array([0.3], dtype="float32")])
    sequences = np.array([[3, 4, 5], [6, 7, 0]])
    results = model.evaluate(sequences, np.array([1, 1]), verbose=0, return_dict=True)
    assert results["accuracy"] == 1.0
    np.testing.assert_allclose(results["loss"], np.log1p(np.exp(-0.3)), rtol=1e-5)


@pytest.fixture(scope="module")
def raw_text():
    """Return a tiny vectorizer, a bidirectional LSTM (logits) trained one epoch on its ids, and the raw-text model."""
    from utils import sequences

    keras.utils.set_random_seed(0)
    texts = ["a great film", "an awful film", "great acting", "awful acting"]
    vectorizer = sequences.make_vectorizer(texts, vocab_size=20)
    model = models.bidirectional_lstm(vocab_size=vectorizer.vocabulary_size(), embedding_dim=4, units=2)
    model.fit(sequences.vectorize(texts, vectorizer, maxlen=3), np.array([1, 0, 1, 0]), epochs=1, verbose=0)
    return vectorizer, model, models.raw_text_model(vectorizer, model)


@pytest.mark.parametrize("text", ["", "   ", "!!!"])
def test_text_without_tokens_scores_as_one_unknown_word_alone_or_in_a_batch(raw_text, text):
    _, _, text_model = raw_text
    alone = models.predict_texts(text_model, text)
    in_batch = models.predict_texts(text_model, ["a great film", text, "awful"])
    unknown = models.predict_texts(text_model, "zyxwv")
    assert np.isfinite(alone).all() and alone.shape == (1,)
    np.testing.assert_allclose(alone, unknown, rtol=1e-6)
    np.testing.assert_allclose(in_batch[1], unknown[0], rtol=1e-6)


def test_raw_text_model_outputs_probabilities_for_logit_and_sigmoid_models(raw_text):
    import tensorflow as tf

    vectorizer, logits_model, text_model = raw_text
    ids = vectorizer(tf.constant(["a great film"]))
    logit = logits_model.predict(ids, verbose=0)[0, 0]
    np.testing.assert_allclose(models.predict_texts(text_model, "a great film"), [1 / (1 + np.exp(-logit))], rtol=1e-5)
    probability_model = models.lstm(vocab_size=vectorizer.vocabulary_size(), embedding_dim=4, units=2)
    probability = probability_model.predict(ids, verbose=0)[0, 0]
    wrapped = models.raw_text_model(vectorizer, probability_model)
    np.testing.assert_allclose(models.predict_texts(wrapped, "a great film"), [probability], rtol=1e-5)


def test_predict_texts_accepts_what_a_user_passes(raw_text):
    import tensorflow as tf

    text_model = raw_text[2]
    expected = models.predict_texts(text_model, ["a great film", ""])
    same = [("a great film", ""), np.array(["a great film", ""]), np.array([["a great film"], [""]], dtype=object),
            tf.constant(["a great film", ""]), [b"a great film", b""]]
    for texts in same:
        np.testing.assert_allclose(models.predict_texts(text_model, texts), expected, rtol=1e-6)
    assert models.predict_texts(text_model, []).shape == (0,)


@pytest.mark.parametrize(
    "texts, error, message",
    [(["a film", None], TypeError, r"Texts must be strings \(str or bytes\); text 1 is None"),
     (np.array([1, 2]), TypeError, r"text 0 is 1 \(int\)"),
     ([["a", "film"], ["an", "awful"]], ValueError, r"one text per row .* not shape \(2, 2\)")],
)
def test_predict_texts_refuses_what_is_not_one_text_per_row(raw_text, texts, error, message):
    with pytest.raises(error, match=message):
        models.predict_texts(raw_text[2], texts)


def test_raw_text_model_is_saved_and_reloaded(raw_text, tmp_path):
    text_model = raw_text[2]
    text_model.save(tmp_path / "raw.keras")
    reloaded = keras.saving.load_model(tmp_path / "raw.keras", compile=False)
    texts = ["a great film", "", "!!!", "awful acting"]
    expected = models.predict_texts(text_model, texts)
    np.testing.assert_allclose(models.predict_texts(reloaded, texts), expected, rtol=1e-6)
