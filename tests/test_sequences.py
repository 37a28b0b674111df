"""Integer sequences and the padded and bucketed tf.data pipelines, on real reviews."""
import keras
import numpy as np
import pytest

import utils
from utils import sequences


@pytest.fixture(scope="module")
def reviews():
    """Return 600 real training reviews, their labels and an adapted vectorizer."""
    texts, labels = utils.load_imdb("train", limit=600)
    return texts, labels, sequences.make_vectorizer(texts, vocab_size=2_000)


def test_vectorizer_strips_html_breaks_and_punctuation(reviews):
    vectorizer = reviews[2]
    vocabulary = vectorizer.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"] and len(vocabulary) == 2_000
    assert not any("<br" in word or "." in word for word in vocabulary)
    assert all(word.strip() for word in vocabulary[1:]), "no whitespace-only tokens such as U+0085"
    ids = vectorizer(["Great film.<br /><br />Great!\x85"]).numpy()[0]
    assert [vocabulary[i] for i in ids if i] == ["great", "film", "great"]


def test_vectorize_keeps_first_tokens_and_pads_at_the_end(reviews):
    vectorizer = reviews[2]
    matrix = sequences.vectorize(["the film", "the film was the best film of the year"], vectorizer, maxlen=4)
    vocabulary = vectorizer.get_vocabulary()
    assert matrix.shape == (2, 4) and matrix.dtype == np.int32
    assert [vocabulary[i] for i in matrix[1]] == ["the", "film", "was", "the"]
    assert list(matrix[0, 2:]) == [0, 0]


def test_split_is_deterministic_and_complete(reviews):
    texts, labels, _ = reviews
    (train, train_labels), (validation, _) = sequences.train_validation_split(texts, labels, 0.2)
    assert len(train) == 480 and len(validation) == 120
    assert sorted(train + validation) == sorted(texts)
    again = sequences.train_validation_split(texts, labels, 0.2)
    assert again[0][0] == train and np.array_equal(again[0][1], train_labels)


def test_bucketed_batches_are_padded_to_their_own_length(reviews):
    texts, labels, vectorizer = reviews
    padded = [x.shape[1] for x, _ in sequences.padded_dataset(texts, labels, vectorizer, maxlen=300, batch_size=32)]
    bucketed = list(sequences.bucketed_dataset(texts, labels, vectorizer, maxlen=300, batch_size=32))
    assert set(padded) == {300}
    assert sum(len(y) for _, y in bucketed) == len(texts)
    assert max(x.shape[1] for x, _ in bucketed) <= 300
    assert np.mean([x.shape[1] for x, _ in bucketed]) < 0.9 * 300
    for x, _ in bucketed:
        lengths = (x.numpy() > 0).sum(axis=1)
        assert lengths.max() == x.shape[1], "a batch is padded only to its longest review"
    padded_share = sequences.padding_share(sequences.padded_dataset(texts, labels, vectorizer, maxlen=300, batch_size=32))
    bucketed_share = sequences.padding_share(sequences.bucketed_dataset(texts, labels, vectorizer, maxlen=300, batch_size=32))
    assert 0 <= bucketed_share < padded_share < 1


def test_padding_share_counts_zeros():
    import tensorflow as tf

    batch = tf.data.Dataset.from_tensors((tf.constant([[5, 0, 0, 0], [3, 4, 0, 0]]), tf.constant([0.0, 1.0])))
    assert sequences.padding_share(batch) == 5 / 8


def test_masked_lstm_gives_same_prediction_with_or_without_extra_padding(reviews):
    texts, _, vectorizer = reviews
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(shape=(None,)), keras.layers.Embedding(2_000, 8, mask_zero=True), keras.layers.LSTM(4), keras.layers.Dense(1)]
    )
    short = sequences.vectorize(texts[:4], vectorizer, maxlen=50)
    padded = np.pad(short, ((0, 0), (0, 250)))
    np.testing.assert_allclose(model.predict(short, verbose=0), model.predict(padded, verbose=0), atol=1e-5)


@pytest.mark.parametrize("maxlen", [0, -1, 2.5])
@pytest.mark.parametrize(
    "build",
    [
        lambda maxlen: sequences.token_ids(["a film"], None, maxlen=maxlen),
        lambda maxlen: sequences.vectorize(["a film"], None, maxlen=maxlen),
        lambda maxlen: sequences.padded_dataset(["a film"], np.array([1]), None, maxlen=maxlen, batch_size=8),
        lambda maxlen: sequences.bucketed_dataset(["a film"], np.array([1]), None, maxlen=maxlen, batch_size=8),
        lambda maxlen: sequences.bucket_boundaries(maxlen),
        lambda maxlen: sequences.make_vectorizer(["a film"], maxlen=maxlen),
    ],
    ids=["token_ids", "vectorize", "padded_dataset", "bucketed_dataset", "bucket_boundaries", "make_vectorizer"],
)
def test_maxlen_that_is_not_a_count_is_refused(build, maxlen):
    with pytest.raises(ValueError, match=rf"maxlen must be a whole number of at least 1( or None)?, not {maxlen!r}"):
        build(maxlen)


@pytest.mark.parametrize("dataset", [sequences.padded_dataset, sequences.bucketed_dataset])
def test_batch_size_that_is_not_a_count_is_refused(dataset):
    with pytest.raises(ValueError, match="batch_size must be a whole number of at least 1, not 0"):
        dataset(["a film"], np.array([1]), None, maxlen=10, batch_size=0)


@pytest.mark.parametrize("fraction", [0, 1, -0.2, 1.5, float("nan"), "0.2"])
def test_validation_fraction_outside_zero_one_is_refused(fraction):
    texts, labels = ["a", "b", "c", "d"], np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"validation_fraction must be a number between 0 and 1 \(both excluded\)"):
        sequences.train_validation_split(texts, labels, fraction)


def test_review_tokens_are_the_words_the_vectorizer_indexes(reviews):
    texts, _, vectorizer = reviews
    tokens = sequences.review_tokens(texts[:50], batch_size=16)
    index = {word: i for i, word in enumerate(vectorizer.get_vocabulary())}
    assert len(tokens) == 50
    for text, words in zip(texts[:3], tokens):
        ids = sequences.vectorize([text], vectorizer, maxlen=len(words))[0]
        assert list(ids) == [index.get(word, 1) for word in words]


def test_review_tokens_drop_html_breaks_and_punctuation():
    assert sequences.review_tokens(["Great!<br /><br />Loved it, really."]) == [["great", "loved", "it", "really"]]
