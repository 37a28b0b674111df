"""Attention pooling against its NumPy twin, masking and padding invariance of notebook 12's models."""
import keras
import numpy as np
import pytest

from utils import attention


@pytest.fixture
def states_and_mask():
    """Random states for 3 sequences of 6 steps (4 features) with 6, 4 and 1 real tokens."""
    rng = np.random.default_rng(0)
    states = rng.normal(size=(3, 6, 4)).astype("float32")
    mask = np.arange(6)[None, :] < np.array([6, 4, 1])[:, None]
    return states, mask


def test_keras_attention_pooling_matches_numpy(states_and_mask):
    states, mask = states_and_mask
    layer = attention.AttentionPooling(5)
    context, weights = layer(states, mask=mask, return_weights=True)
    kernel, bias, score_vector = (w.numpy() for w in layer.weights)
    expected_context, expected_weights = attention.attention_pooling_forward(states, mask, kernel, bias, score_vector)
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context, expected_context, rtol=1e-5, atol=1e-6)


def test_attention_weights_sum_to_one_over_real_tokens_only(states_and_mask):
    states, mask = states_and_mask
    _, weights = attention.AttentionPooling(5)(states, mask=mask, return_weights=True)
    weights = np.asarray(weights)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    assert np.all(weights[~mask] == 0)
    assert weights[2, 0] == pytest.approx(1.0)


def test_attention_pooling_without_mask_uses_every_step(states_and_mask):
    states, _ = states_and_mask
    _, weights = attention.AttentionPooling(5)(states, return_weights=True)
    assert np.all(np.asarray(weights) > 0)


def test_masked_max_pooling_ignores_padding_even_below_zero():
    states = -np.ones((1, 3, 2), dtype="float32")
    states[0, 2] = 0.0
    pooled = attention.MaskedMaxPooling()(states, mask=np.array([[True, True, False]]))
    np.testing.assert_array_equal(pooled, [[-1.0, -1.0]])
    assert np.asarray(keras.layers.GlobalMaxPooling1D()(states)).max() == 0.0


@pytest.mark.parametrize("pooling", attention.POOLINGS)
def test_pooled_classifier_is_padding_invariant(pooling):
    model = attention.pooled_classifier(pooling=pooling, vocab_size=50, embedding_dim=8, units=4)
    review = np.array([[5, 9, 2, 33, 7]], dtype="int32")
    padded = np.pad(review, ((0, 0), (0, 20)))
    np.testing.assert_allclose(model.predict(review, verbose=0), model.predict(padded, verbose=0), rtol=1e-5, atol=1e-6)


def test_attention_weights_on_real_tokens_do_not_change_with_padding():
    model = attention.pooled_classifier(vocab_size=50, embedding_dim=8, units=4)
    weights_model = attention.attention_weights_model(model)
    review = np.array([[5, 9, 2, 33, 7]], dtype="int32")
    alone = weights_model.predict(review, verbose=0)
    padded = weights_model.predict(np.pad(review, ((0, 0), (0, 20))), verbose=0)
    assert padded.shape == (1, 25)
    np.testing.assert_allclose(padded[:, :5], alone, rtol=1e-5, atol=1e-7)
    assert np.all(padded[:, 5:] == 0)


def test_pooled_classifier_starts_from_an_embedding_matrix():
    matrix = np.random.default_rng(1).normal(size=(30, 6)).astype("float32")
    model = attention.pooled_classifier(pooling="mean", embedding_matrix=matrix, units=4)
    np.testing.assert_array_equal(model.get_layer(index=1).embeddings.numpy(), matrix)


@pytest.mark.parametrize("arguments", [{"pooling": "first"}, {"cell": "rnn"}])
def test_pooled_classifier_refuses_unknown_choices(arguments):
    with pytest.raises(ValueError, match="must be one of"):
        attention.pooled_classifier(vocab_size=20, embedding_dim=4, units=2, **arguments)


def test_transformer_classifier_is_padding_invariant():
    model = attention.transformer_classifier(vocab_size=50, max_length=30, embedding_dim=8, heads=2, feed_forward=8)
    review = np.array([[5, 9, 2, 33, 7]], dtype="int32")
    padded = np.pad(review, ((0, 0), (0, 20)))
    np.testing.assert_allclose(model.predict(review, verbose=0), model.predict(padded, verbose=0), rtol=1e-5, atol=1e-6)


def test_models_with_attention_layers_reload_from_keras_files(tmp_path):
    ids = np.array([[5, 9, 2, 0, 0], [3, 4, 0, 0, 0]], dtype="int32")
    for model in (attention.pooled_classifier(vocab_size=50, embedding_dim=8, units=4),
                  attention.pooled_classifier(pooling="max", vocab_size=50, embedding_dim=8, units=4),
                  attention.transformer_classifier(vocab_size=50, max_length=10, embedding_dim=8, feed_forward=8)):
        path = tmp_path / f"{model.name}.keras"
        model.save(path)
        reloaded = keras.saving.load_model(path)
        np.testing.assert_allclose(reloaded.predict(ids, verbose=0), model.predict(ids, verbose=0), rtol=1e-6)


def test_positional_embedding_refuses_bad_sizes():
    with pytest.raises(ValueError, match="max_length"):
        attention.PositionalEmbedding(10, 0, 4)


def test_logits_in_order_match_the_model_on_each_text_alone():
    texts = ["good " * 30, "bad film", "a " * 60 + "great", "not good at all", "fine"]
    vectorizer = keras.layers.TextVectorization(max_tokens=20)
    vectorizer.adapt(texts)
    keras.utils.set_random_seed(0)
    model = attention.pooled_classifier(vocab_size=20, embedding_dim=4, units=3)
    logits = attention.logits_in_order(model, texts, vectorizer, maxlen=50, batch_size=2)
    alone = [float(model.predict(vectorizer([text])[:, :50], verbose=0)[0, 0]) for text in texts]
    np.testing.assert_allclose(logits, alone, rtol=1e-5, atol=1e-6)
