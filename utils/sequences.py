"""IMDb reviews as integer sequences, and the tf.data pipelines that feed them to Keras."""
from __future__ import annotations

import re
import string
from numbers import Real

import keras
import numpy as np
import tensorflow as tf

from utils.config import SEED, VOCAB_SIZE, check_count

PUNCTUATION = f"[{re.escape(string.punctuation)}]"


@keras.saving.register_keras_serializable(package="course")
def standardize_review(text: tf.Tensor) -> tf.Tensor:
    """Lowercase, turn HTML line breaks and Unicode spaces or control characters into spaces, strip punctuation."""
    text = tf.strings.lower(text)
    text = tf.strings.regex_replace(text, r"<br\s*/?>|[\pZ\pC]+", " ")
    return tf.strings.regex_replace(text, PUNCTUATION, "")


def make_vectorizer(
    texts: list[str], *, vocab_size: int = VOCAB_SIZE, maxlen: int | None = None
) -> keras.layers.TextVectorization:
    """Return a TextVectorization layer adapted on texts (index 0 = padding, 1 = [UNK])."""
    check_count("maxlen", maxlen, optional=True)
    vectorizer = keras.layers.TextVectorization(
        max_tokens=vocab_size, standardize=standardize_review, output_sequence_length=maxlen
    )
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(1024))
    return vectorizer


def token_ids(texts: list[str], vectorizer: keras.layers.TextVectorization, maxlen: int) -> tf.data.Dataset:
    """Return a dataset of each text's token ids, unpadded, keeping its first maxlen tokens."""
    check_count("maxlen", maxlen)
    return (
        tf.data.Dataset.from_tensor_slices(texts)
        .batch(512)
        .map(vectorizer, num_parallel_calls=tf.data.AUTOTUNE)
        .unbatch()
        .map(lambda ids: tf.boolean_mask(ids, ids > 0)[:maxlen])
    )


def vectorize(texts: list[str], vectorizer: keras.layers.TextVectorization, maxlen: int) -> np.ndarray:
    """Return an int32 (n, maxlen) matrix: first maxlen tokens of each text, zero-padded at the end."""
    batches = token_ids(texts, vectorizer, maxlen).padded_batch(4096, padded_shapes=[maxlen])
    return np.concatenate([batch.numpy() for batch in batches]).astype("int32")


def train_validation_split(
    texts: list[str], labels: np.ndarray, validation_fraction: float = 0.2
) -> tuple[tuple[list[str], np.ndarray], tuple[list[str], np.ndarray]]:
    """Split texts and labels into shuffled (SEED) training and validation parts."""
    fraction = validation_fraction
    if isinstance(fraction, bool) or not isinstance(fraction, Real) or not 0 < fraction < 1:
        raise ValueError(f"validation_fraction must be a number between 0 and 1 (both excluded), not {fraction!r}.")
    order = np.random.default_rng(SEED).permutation(len(texts))
    cut = len(texts) - int(round(len(texts) * fraction))
    train, validation = order[:cut], order[cut:]
    return ([texts[i] for i in train], labels[train]), ([texts[i] for i in validation], labels[validation])


def labelled(texts: list[str], labels: np.ndarray, vectorizer, maxlen: int, shuffle: bool) -> tf.data.Dataset:
    """Return cached (token ids, float label) pairs, reshuffled every epoch if asked."""
    label_dataset = tf.data.Dataset.from_tensor_slices(np.asarray(labels, dtype="float32"))
    dataset = tf.data.Dataset.zip(token_ids(texts, vectorizer, maxlen), label_dataset).cache()
    return dataset.shuffle(len(texts), seed=SEED) if shuffle else dataset


def padded_dataset(
    texts: list[str], labels: np.ndarray, vectorizer, *, maxlen: int, batch_size: int, shuffle: bool = True
) -> tf.data.Dataset:
    """Return batches in which every review is padded or truncated to maxlen (the textbook way)."""
    check_count("batch_size", batch_size)
    dataset = labelled(texts, labels, vectorizer, maxlen, shuffle)
    return dataset.padded_batch(batch_size, padded_shapes=([maxlen], [])).prefetch(tf.data.AUTOTUNE)


def bucket_boundaries(maxlen: int, width: int = 25) -> list[int]:
    """Return length-bucket boundaries every `width` tokens up to maxlen."""
    check_count("maxlen", maxlen)
    check_count("width", width)
    return list(range(width, maxlen + 1, width))


def bucketed_dataset(
    texts: list[str], labels: np.ndarray, vectorizer, *, maxlen: int, batch_size: int, shuffle: bool = True
) -> tf.data.Dataset:
    """Return batches of reviews of similar length, each padded only to its own longest review."""
    check_count("batch_size", batch_size)
    dataset = labelled(texts, labels, vectorizer, maxlen, shuffle)
    boundaries = bucket_boundaries(maxlen)
    return dataset.bucket_by_sequence_length(
        element_length_func=lambda ids, label: tf.shape(ids)[0],
        bucket_boundaries=boundaries,
        bucket_batch_sizes=[batch_size] * (len(boundaries) + 1),
    ).prefetch(tf.data.AUTOTUNE)


def padding_share(dataset: tf.data.Dataset) -> float:
    """Return the fraction of positions in a dataset's batches that are padding (token id 0)."""
    positions = padding = 0
    for ids, _ in dataset:
        positions += int(tf.size(ids))
        padding += int(tf.reduce_sum(tf.cast(ids == 0, tf.int32)))
    return padding / positions


def review_tokens(texts: list[str], batch_size: int = 2048) -> list[list[str]]:
    """Return each text's words as the course's vectorizer sees them (standardize_review, split on spaces)."""
    check_count("batch_size", batch_size)
    tokens = []
    for batch in tf.data.Dataset.from_tensor_slices(texts).batch(batch_size):
        rows = tf.strings.split(standardize_review(batch)).to_list()
        tokens.extend([word.decode("utf-8") for word in row] for row in rows)
    return tokens
