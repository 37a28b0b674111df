"""From words to vectors by counting: hashing collisions, n-grams and TF-IDF by hand (notebook 02)."""

from collections import Counter
from collections.abc import Iterable, Sequence

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from nltk.util import everygrams, ngrams

from utils.config import SEED
from utils.sequences import standardize_review

TFIDF_VARIANTS = ("textbook", "keras")


def review_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Return each review's words as the course's TextVectorization sees them (standardize_review, then spaces)."""
    words = tf.strings.split(standardize_review(tf.constant(list(texts), dtype=tf.string)))
    return [[word.decode("utf-8") for word in review] for review in words.to_list()]


def hash_buckets(words: Sequence[str], num_bins: int) -> np.ndarray:
    """Return the bucket in [0, num_bins) of every word under keras.layers.Hashing (FarmHash64, no salt)."""
    hashing = keras.layers.Hashing(num_bins=num_bins)
    return keras.ops.convert_to_numpy(hashing(np.asarray(words, dtype=object))).astype(np.int64)


def expected_occupied_buckets(num_words: int, num_bins: int) -> float:
    """Return the expected number of non-empty buckets when num_words words fall uniformly into num_bins."""
    return num_bins * (1.0 - (1.0 - 1.0 / num_bins) ** num_words)


def expected_colliding_words(num_words: int, num_bins: int) -> float:
    """Return the expected number of words that share their bucket with at least one other word."""
    return num_words * (1.0 - (1.0 - 1.0 / num_bins) ** (num_words - 1))


def hash_collisions(words: Sequence[str], bin_sizes: Iterable[int]) -> pd.DataFrame:
    """Return, per hash-space size, the measured and birthday-problem expected occupied buckets and colliding words."""
    unique_words = sorted(set(words))
    rows = []
    for num_bins in bin_sizes:
        bucket_sizes = np.bincount(hash_buckets(unique_words, num_bins), minlength=num_bins)
        rows.append(
            {
                "num_bins": num_bins,
                "words": len(unique_words),
                "occupied_buckets": int(np.count_nonzero(bucket_sizes)),
                "expected_occupied_buckets": expected_occupied_buckets(len(unique_words), num_bins),
                "colliding_words": int(bucket_sizes[bucket_sizes > 1].sum()),
                "expected_colliding_words": expected_colliding_words(len(unique_words), num_bins),
            }
        )
    return pd.DataFrame(rows).set_index("num_bins")


def word_ngrams(tokens: Sequence[str], max_n: int) -> list[str]:
    """Return every word n-gram of tokens for n = 1 .. max_n, each joined with spaces, in order of appearance."""
    return [" ".join(gram) for gram in everygrams(tokens, min_len=1, max_len=max_n)]


def char_ngrams(word: str, n: int, *, mark_boundaries: bool = True) -> list[str]:
    """Return the character n-grams of word, wrapped in "<" and ">" first when mark_boundaries (as fastText does)."""
    text = f"<{word}>" if mark_boundaries else word
    return ["".join(gram) for gram in ngrams(text, n)]


def count_matrix(token_lists: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Return the documents x terms table of raw counts; terms by decreasing document frequency, then alphabetically."""
    document_frequency = Counter(term for tokens in token_lists for term in set(tokens))
    terms = sorted(document_frequency, key=lambda term: (-document_frequency[term], term))
    column = {term: index for index, term in enumerate(terms)}
    counts = np.zeros((len(token_lists), len(terms)), dtype=np.int64)
    for row, tokens in enumerate(token_lists):
        counts[row] = np.bincount([column[term] for term in tokens], minlength=len(terms))
    return pd.DataFrame(counts, columns=terms)


def term_frequency(token_lists: Sequence[Sequence[str]], *, variant: str = "textbook") -> pd.DataFrame:
    """Return TF per document and term: count / words in the document ("textbook") or the raw count ("keras")."""
    _check_variant(variant)
    counts = count_matrix(token_lists)
    if variant == "keras":
        return counts.astype(np.float64)
    return counts.div(counts.sum(axis=1), axis=0)


def inverse_document_frequency(token_lists: Sequence[Sequence[str]], *, variant: str = "textbook") -> pd.Series:
    """Return IDF per term: log(N / df) ("textbook") or log(1 + N / (1 + df)) as Keras computes it ("keras")."""
    _check_variant(variant)
    document_frequency = (count_matrix(token_lists) > 0).sum(axis=0)
    num_documents = len(token_lists)
    if variant == "keras":
        return np.log(1.0 + num_documents / (1.0 + document_frequency))
    return np.log(num_documents / document_frequency)


def tfidf(token_lists: Sequence[Sequence[str]], *, variant: str = "textbook") -> pd.DataFrame:
    """Return the documents x terms TF-IDF table, TF times IDF, in the chosen variant."""
    return term_frequency(token_lists, variant=variant) * inverse_document_frequency(token_lists, variant=variant)


def top_terms(weights: pd.Series, k: int = 10) -> pd.Series:
    """Return the k terms with the largest weights, largest first (ties broken alphabetically)."""
    ranked = weights.rename_axis("term").reset_index(name="weight")
    ranked = ranked.sort_values(["weight", "term"], ascending=[False, True], kind="stable")
    return ranked.head(k).set_index("term")["weight"]


def tfidf_dataset(
    texts: Sequence[str],
    labels: np.ndarray,
    vectorizer: keras.layers.TextVectorization,
    *,
    batch_size: int = 32,
    shuffle: bool = True,
) -> tf.data.Dataset:
    """Return batches of (sparse vectorizer output, float label), cached once, reshuffled every epoch if shuffle."""
    vectors = (
        tf.data.Dataset.from_tensor_slices(list(texts))
        .batch(1024)
        .map(lambda batch: tf.sparse.from_dense(vectorizer(batch)), num_parallel_calls=tf.data.AUTOTUNE)
        .unbatch()
    )
    targets = tf.data.Dataset.from_tensor_slices(np.asarray(labels, dtype="float32"))
    dataset = tf.data.Dataset.zip(vectors, targets).apply(tf.data.experimental.assert_cardinality(len(labels)))
    dataset = dataset.cache()
    if shuffle:
        dataset = dataset.shuffle(len(labels), seed=SEED)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def _check_variant(variant: str) -> None:
    """Raise ValueError unless variant names a TF-IDF variant this module implements."""
    if variant not in TFIDF_VARIANTS:
        raise ValueError(f"Unknown TF-IDF variant {variant!r}; expected one of {TFIDF_VARIANTS}.")
