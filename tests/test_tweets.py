"""Tests for utils.tweets: bags of GloVe vectors, tweet sequences and the tweet models, on real GloVe and tweets."""

import keras
import matplotlib
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf
from gensim.models import KeyedVectors
from numpy.testing import assert_allclose

import utils
from utils.text import tokenize_tweet
from utils.tweets import (
    FOOD_SENTENCES,
    MAX_TWEET_TOKENS,
    bag_of_vectors,
    bag_of_vectors_classifier,
    bag_of_vectors_matrix,
    class_log_odds,
    concatenated_vectors_classifier,
    confusion_matrix,
    convolution_classifier,
    encode_tweets,
    glove_coverage,
    join_tokens,
    make_tweet_vectorizer,
    mean_embedding_classifier,
    missing_tokens,
    most_wrong,
    ngram_logistic_regression,
    plot_confusion_matrices,
    split_contractions,
    text_dataset,
    tweet_rnn,
    tweet_tokens,
)

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def glove() -> KeyedVectors:
    return utils.load_glove()


@pytest.fixture(scope="module")
def test_tweets():
    return utils.load_sentiment140("test")


@pytest.fixture
def tiny_vectors() -> KeyedVectors:
    vectors = KeyedVectors(vector_size=2)
    vectors.add_vectors(["good", "bad", "not"], np.array([[1.0, 2.0], [-3.0, 0.5], [0.25, -1.0]], dtype=np.float32))
    return vectors


def test_split_contractions_matches_glove_tokens(glove):
    tokens = ["<user>", "i", "don't", "like", "it", "but", "i'm", "fine"]
    split = split_contractions(tokens)
    assert split == ["<user>", "i", "do", "n't", "like", "it", "but", "i", "'m", "fine"]
    assert all(piece in glove.key_to_index for piece in split if piece != "<user>")
    assert "don't" not in glove.key_to_index


def test_tweet_tokens_keeps_placeholders_and_splits_negations():
    tokens = tweet_tokens("@friend I can't believe it http://example.com")
    assert tokens == ["<user>", "i", "ca", "n't", "believe", "it", "<url>"]
    assert split_contractions(tokenize_tweet("@friend I can't believe it http://example.com")) == tokens


def test_bag_of_vectors_is_the_sum_of_known_vectors(glove):
    tokens = tweet_tokens("@friend the movie was not great , great acting though zzqqxx")
    known = [token for token in tokens if token in glove.key_to_index]
    assert len(known) == len(tokens) - 2
    expected = np.sum([glove[token] for token in known], axis=0)
    assert_allclose(bag_of_vectors(tokens, glove), expected, rtol=1e-5, atol=1e-5)


def test_bag_of_vectors_of_unknown_or_no_tokens_is_zero(tiny_vectors):
    assert np.array_equal(bag_of_vectors([], tiny_vectors), np.zeros(2, dtype=np.float32))
    assert np.array_equal(bag_of_vectors(["<user>", "zzz"], tiny_vectors), np.zeros(2, dtype=np.float32))
    assert_allclose(bag_of_vectors(["good", "good", "zzz", "not"], tiny_vectors), [2.25, 3.0])


def test_food_sentences_share_one_bag_but_not_one_sequence(glove):
    first, second = (tweet_tokens(sentence) for sentence in FOOD_SENTENCES)
    assert first != second and sorted(first) == sorted(second)
    assert np.array_equal(bag_of_vectors(first, glove), bag_of_vectors(second, glove))


def test_bag_of_vectors_matrix_rows(tiny_vectors):
    matrix = bag_of_vectors_matrix([["good"], ["bad", "not"], []], tiny_vectors)
    assert matrix.shape == (3, 2) and matrix.dtype == np.float32
    assert_allclose(matrix, [[1.0, 2.0], [-2.75, -0.5], [0.0, 0.0]])


def test_glove_coverage_and_missing_tokens(tiny_vectors):
    token_lists = [["good", "zzz"], ["not", "bad", "good"], [], ["zzz", "<user>", "zzz"]]
    assert_allclose(glove_coverage(token_lists, tiny_vectors), [0.5, 1.0, 0.0, 0.0])
    missing = missing_tokens(token_lists, tiny_vectors)
    assert missing.to_dict() == {"zzz": 3, "<user>": 1}


def test_real_test_tweets_are_mostly_covered_by_glove(glove, test_tweets):
    token_lists = [tweet_tokens(text) for text in test_tweets["text"]]
    coverage = glove_coverage(token_lists, glove)
    assert len(coverage) == 359
    assert np.median(coverage) > 0.8
    assert missing_tokens(token_lists, glove, top=1).index[0] in {"<user>", "<url>", "<number>"}


def test_class_log_odds_ranks_class_words_and_ignores_rare_ones():
    token_lists = [["good", "day"]] * 30 + [["bad", "day"]] * 30 + [["rare"]]
    labels = np.array([1] * 30 + [0] * 30 + [1])
    odds = class_log_odds(token_lists, labels, min_count=20)
    assert odds.index[0] == "bad" and odds.index[-1] == "good" and "rare" not in odds
    assert abs(odds["day"]) < 0.05, "a word both classes use as often has log-odds near 0"


def test_seed_ideas_train_only_their_dense_layers():
    matrix = np.random.default_rng(0).normal(size=(20, 6)).astype("float32")
    ids = np.array([[3, 4, 5] + [0] * (MAX_TWEET_TOKENS - 3)] * 2, dtype="int32")
    concatenated = concatenated_vectors_classifier(matrix, hidden_units=4)
    assert concatenated(ids).shape == (2, 1)
    assert sum(int(np.prod(w.shape)) for w in concatenated.trainable_weights) == MAX_TWEET_TOKENS * 6 * 4 + 4 + 4 + 1
    convolution = convolution_classifier(matrix, filters=5, kernel_size=3)
    assert convolution(ids).shape == (2, 1)
    assert sum(int(np.prod(w.shape)) for w in convolution.trainable_weights) == 3 * 6 * 5 + 5 + 5 + 1
    assert_allclose(convolution.layers[0](ids).numpy()[0, 0], matrix[3])


def test_ngram_logistic_regression_reads_bigrams():
    keras.utils.set_random_seed(0)
    token_lists = [["not", "good"]] * 20 + [["very", "good"]] * 20
    labels = np.array([0] * 20 + [1] * 20)
    model = ngram_logistic_regression(token_lists, max_features=10)
    assert {"not good", "very good"} <= set(model.layers[0].get_vocabulary())
    model.fit(text_dataset(token_lists, labels, batch_size=2, shuffle=True), epochs=40, verbose=0)
    probabilities = model.predict(tf.constant(["not good", "very good"]), verbose=0)[:, 0]
    assert probabilities[0] < 0.5 < probabilities[1]


def test_bag_of_vectors_classifier_normalizes_its_inputs():
    rng = np.random.default_rng(0)
    vectors = rng.normal(5.0, 3.0, size=(200, 4)).astype("float32")
    model = bag_of_vectors_classifier(vectors, hidden_units=8)
    normalized = model.layers[0](vectors).numpy()
    assert_allclose(normalized.mean(axis=0), 0.0, atol=1e-4)
    assert_allclose(normalized.std(axis=0), 1.0, atol=1e-3)
    assert model(vectors[:3]).shape == (3, 1)
    assert model.count_params() - 9 == (4 * 8 + 8) + (8 + 1)


def test_tweet_vectorizer_keeps_tokens_whole_and_pads_at_the_end():
    token_lists = [["<user>", "i", "do", "n't", "like", "it"], ["i", "like", "<url>"]]
    vectorizer = make_tweet_vectorizer(token_lists)
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"]
    assert {"<user>", "<url>", "n't"} <= set(vocabulary)
    encoded = encode_tweets(["@somebody I don't like it", "I like http://x.co !!"], vectorizer)
    assert encoded.shape == (2, MAX_TWEET_TOKENS) and encoded.dtype == np.int32
    index = {word: i for i, word in enumerate(vocabulary)}
    assert list(encoded[0, :6]) == [index[w] for w in ["<user>", "i", "do", "n't", "like", "it"]]
    assert list(encoded[1, :4]) == [index["i"], index["like"], index["<url>"], 1]
    assert not encoded[0, 6:].any() and not encoded[1, 4:].any()


def test_encode_tweets_truncates_long_tweets():
    vectorizer = make_tweet_vectorizer([["la"]])
    encoded = encode_tweets([" ".join(["la"] * 100)], vectorizer)
    assert encoded.shape == (1, MAX_TWEET_TOKENS) and (encoded == 2).all()
    assert join_tokens([["a", "b"], []]) == ["a b", ""]


@pytest.mark.parametrize(
    ("recurrent", "recurrent_params"),
    [
        ("lstm", 4 * (100 * (50 + 100) + 100)),
        ("gru", 3 * (100 * (50 + 100) + 2 * 100)),
        ("bilstm", 2 * 4 * (100 * (50 + 100) + 100)),
    ],
)
def test_tweet_rnn_parameters_and_initial_embedding(recurrent, recurrent_params):
    matrix = np.random.default_rng(1).normal(size=(300, 50)).astype("float32")
    model = tweet_rnn(matrix, recurrent=recurrent)
    dense_inputs = 200 if recurrent == "bilstm" else 100
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    assert trainable == 300 * 50 + recurrent_params + dense_inputs + 1
    assert_allclose(model.layers[0].embeddings.numpy(), matrix)
    assert model.layers[0].mask_zero
    assert model.layers[1].rate == 0.5
    assert model(np.array([[5, 7, 9, 0, 0]])).shape == (1, 1)


def test_tweet_rnn_dropouts_and_frozen_embedding():
    matrix = np.zeros((20, 50), dtype="float32")
    bilstm = tweet_rnn(matrix, recurrent="bilstm", units=4)
    for layer in (bilstm.layers[2].forward_layer, bilstm.layers[2].backward_layer):
        assert (layer.dropout, layer.recurrent_dropout) == (0.2, 0.2)
    frozen = tweet_rnn(matrix, recurrent="lstm", units=4, recurrent_dropout=0.0, trainable_embedding=False)
    assert frozen.layers[2].recurrent_dropout == 0.0
    assert not frozen.layers[0].trainable
    assert sum(int(np.prod(weight.shape)) for weight in frozen.trainable_weights) == 4 * (4 * (50 + 4) + 4) + 5
    with pytest.raises(ValueError, match="recurrent must be one of"):
        tweet_rnn(matrix, recurrent="transformer")


def test_tweet_rnn_ignores_padding():
    matrix = np.random.default_rng(2).normal(size=(50, 50)).astype("float32")
    model = tweet_rnn(matrix, recurrent="gru", units=8)
    short = model(np.array([[4, 5, 6]])).numpy()
    padded = model(np.array([[4, 5, 6, 0, 0, 0, 0]])).numpy()
    assert_allclose(short, padded, rtol=1e-5)


def test_mean_embedding_classifier_is_order_blind_and_ignores_padding():
    matrix = np.random.default_rng(4).normal(size=(30, 50)).astype("float32")
    model = mean_embedding_classifier(matrix)
    in_order = model(np.array([[3, 4, 5]])).numpy()
    reversed_and_padded = model(np.array([[5, 4, 3, 0, 0, 0]])).numpy()
    assert_allclose(in_order, reversed_and_padded, rtol=1e-5)
    mean_vector = matrix[[3, 4, 5]].mean(axis=0)
    kernel, bias = model.layers[-1].get_weights()
    assert_allclose(in_order[0, 0], 1 / (1 + np.exp(-(mean_vector @ kernel[:, 0] + bias[0]))), rtol=1e-5)
    assert model.count_params() == matrix.size + 50 + 1
    assert model.layers[0].trainable
    assert not mean_embedding_classifier(matrix, trainable_embedding=False).layers[0].trainable


def test_confusion_matrix_matches_tensorflow():
    rng = np.random.default_rng(3)
    labels, predictions = rng.integers(0, 2, 500), rng.integers(0, 2, 500)
    expected = tf.math.confusion_matrix(labels, predictions, num_classes=2).numpy()
    assert np.array_equal(confusion_matrix(labels, predictions).to_numpy(), expected)
    only_negative = confusion_matrix(np.zeros(3, int), np.zeros(3, int)).to_numpy()
    assert np.array_equal(only_negative, [[3, 0], [0, 0]])


def test_plot_confusion_matrices_saves_the_figure():
    labels = np.array([0, 0, 1, 1, 1])
    figure = plot_confusion_matrices({"a": (labels, labels), "b": (labels, 1 - labels)}, "test_tweets_confusion")
    path = utils.plots.figure_path("test_tweets_confusion")
    assert path.exists()
    assert [axis.get_title() for axis in figure.axes] == ["a: accuracy 100.0%", "b: accuracy 0.0%"]
    path.unlink()


def test_most_wrong_ranks_confident_mistakes_first():
    frame = most_wrong(["a", "b", "c", "d"], np.array([1, 0, 1, 0]), np.array([0.7, 0.8, 0.05, 0.1]), k=3)
    assert list(frame["text"]) == ["c", "b", "a"]
    assert_allclose(frame["error"], [0.95, 0.8, 0.3])


def test_text_dataset_batches_joined_tokens_with_float_labels():
    batches = list(text_dataset([["a", "b"], ["c"], ["d"]], np.array([1, 0, 1]), batch_size=2))
    assert [texts.numpy().tolist() for texts, _ in batches] == [[b"a b", b"c"], [b"d"]]
    assert batches[0][1].dtype == tf.float32 and batches[0][1].numpy().tolist() == [1.0, 0.0]
    shuffled = [text_dataset([[str(i)] for i in range(50)], np.zeros(50), batch_size=50, shuffle=True)]
    order = next(iter(shuffled[0]))[0].numpy().tolist()
    assert sorted(order) == sorted(str(i).encode() for i in range(50)) and order != sorted(order, key=int)
