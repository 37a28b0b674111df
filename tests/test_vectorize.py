"""Tests for utils.vectorize: hashing collisions, n-grams and TF-IDF checked against Keras."""

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf
from numpy.testing import assert_allclose

import utils
from utils import vectorize


@pytest.fixture(scope="module")
def reviews() -> list[list[str]]:
    """The words of eight real IMDb training reviews."""
    texts, _ = utils.load_imdb("train", limit=8)
    return vectorize.review_tokens(texts)


def test_review_tokens_match_the_course_text_vectorization():
    texts, _ = utils.load_imdb("test", limit=20)
    vectorizer = utils.sequences.make_vectorizer(texts, vocab_size=None)
    vocabulary = np.array(vectorizer.get_vocabulary())
    expected = [[str(word) for word in vocabulary[ids[ids > 0]]] for ids in vectorizer(texts).numpy()]
    assert vectorize.review_tokens(texts) == expected
    assert vectorize.review_tokens(["One<br /><br />Two, THREE!"]) == [["one", "two", "three"]]


def test_hash_buckets_are_stable_and_in_range():
    words = ["movie", "film", "great", "awful", "movie"]
    buckets = vectorize.hash_buckets(words, 1000)
    assert buckets.shape == (5,) and buckets[0] == buckets[4]
    assert ((buckets >= 0) & (buckets < 1000)).all()
    assert_allclose(buckets, vectorize.hash_buckets(words, 1000))
    assert_allclose(buckets, keras.layers.Hashing(num_bins=1000)(np.array(words, dtype=object)).numpy().ravel())


def test_birthday_estimates_match_a_simulation():
    rng = np.random.default_rng(0)
    num_words, num_bins = 3000, 5000
    occupied, colliding = [], []
    for _ in range(200):
        sizes = np.bincount(rng.integers(num_bins, size=num_words), minlength=num_bins)
        occupied.append(np.count_nonzero(sizes))
        colliding.append(sizes[sizes > 1].sum())
    assert_allclose(np.mean(occupied), vectorize.expected_occupied_buckets(num_words, num_bins), rtol=0.005)
    assert_allclose(np.mean(colliding), vectorize.expected_colliding_words(num_words, num_bins), rtol=0.01)


def test_hash_collisions_on_the_imdb_vocabulary_follow_the_birthday_problem():
    words = list(utils.load_imdb_word_index())
    table = vectorize.hash_collisions(words + words[:10], [2**14, 2**20])
    assert (table["words"] == len(set(words))).all()
    assert_allclose(table["occupied_buckets"], table["expected_occupied_buckets"], rtol=0.01)
    assert_allclose(table["colliding_words"], table["expected_colliding_words"], rtol=0.03)
    assert table.loc[2**20, "colliding_words"] < table.loc[2**14, "colliding_words"]


def test_word_ngrams_of_the_lecture_sentence_match_text_vectorization():
    sentence = "Data science rocks my socks off!"
    grams = vectorize.word_ngrams(vectorize.review_tokens([sentence])[0], max_n=3)
    assert len(grams) == len(set(grams)) == 15
    assert grams[:3] == ["data", "data science", "data science rocks"]
    layer = keras.layers.TextVectorization(ngrams=3, output_mode="multi_hot")
    layer.adapt([sentence])
    assert set(grams) == set(layer.get_vocabulary()) - {"[UNK]"}


def test_char_ngrams():
    assert vectorize.char_ngrams("where", 3) == ["<wh", "whe", "her", "ere", "re>"]
    assert vectorize.char_ngrams("her", 3, mark_boundaries=False) == ["her"]


def test_textbook_tfidf_follows_the_formula_on_a_toy_corpus():
    documents = [["the", "cat", "sat"], ["the", "dog", "sat", "sat"]]
    table = vectorize.tfidf(documents)
    assert table.loc[0, "the"] == 0.0
    assert_allclose(table.loc[0, "cat"], (1 / 3) * np.log(2))
    assert_allclose(table.loc[1, "dog"], (1 / 4) * np.log(2))
    assert table.loc[1, "cat"] == 0.0


def test_keras_variant_equals_text_vectorization_tf_idf(reviews):
    joined = [" ".join(words) for words in reviews]
    layer = keras.layers.TextVectorization(standardize=None, output_mode="tf_idf")
    layer.adapt(joined)
    vocabulary = [str(term) for term in layer.get_vocabulary()]
    keras_tfidf = layer(joined).numpy()
    ours = vectorize.tfidf(reviews, variant="keras")
    assert vocabulary[0] == "[UNK]" and set(vocabulary[1:]) == set(ours.columns)
    assert_allclose(keras_tfidf[:, 1:], ours[vocabulary[1:]].to_numpy(), rtol=1e-5)
    assert_allclose(keras_tfidf[:, 0], 0.0)


def test_textbook_and_keras_idf_differ_as_documented(reviews):
    textbook = vectorize.inverse_document_frequency(reviews)
    keras_idf = vectorize.inverse_document_frequency(reviews, variant="keras")
    document_frequency = (vectorize.count_matrix(reviews) > 0).sum(axis=0)
    assert_allclose(np.exp(textbook), len(reviews) / document_frequency)
    assert_allclose(np.exp(keras_idf) - 1, len(reviews) / (1 + document_frequency))
    assert textbook.min() == 0.0 and keras_idf.min() > 0.0


def test_term_frequency_rows_sum_to_one(reviews):
    tf = vectorize.term_frequency(reviews)
    assert_allclose(tf.sum(axis=1), 1.0)
    assert_allclose(vectorize.term_frequency(reviews, variant="keras").sum(axis=1), [len(r) for r in reviews])


def test_unknown_variant_is_rejected(reviews):
    with pytest.raises(ValueError, match="textbook"):
        vectorize.tfidf(reviews, variant="bm25")


def test_top_terms_orders_by_weight_then_alphabetically():
    weights = pd.Series({"bad": 0.5, "awful": 0.5, "plot": 0.1, "the": 0.0})
    top = vectorize.top_terms(weights, k=3)
    assert list(top.index) == ["awful", "bad", "plot"]
    assert_allclose(top.to_numpy(), [0.5, 0.5, 0.1])


def test_tfidf_dataset_batches_sparse_vectors_equal_to_the_layer_output():
    texts, labels = utils.load_imdb("train", limit=100)
    layer = keras.layers.TextVectorization(max_tokens=500, ngrams=2, output_mode="tf_idf")
    layer.adapt(texts)
    ordered = list(vectorize.tfidf_dataset(texts, labels, layer, batch_size=32, shuffle=False))
    assert [len(batch_labels) for _, batch_labels in ordered] == [32, 32, 32, 4]
    vectors = np.concatenate([keras.ops.convert_to_numpy(tf.sparse.to_dense(x)) for x, _ in ordered])
    assert_allclose(vectors, layer(texts).numpy(), rtol=1e-6)
    assert_allclose(np.concatenate([y.numpy() for _, y in ordered]), labels)
    shuffled_labels = np.concatenate([y.numpy() for _, y in vectorize.tfidf_dataset(texts, labels, layer)])
    assert sorted(shuffled_labels) == sorted(labels) and not np.array_equal(shuffled_labels, labels)
