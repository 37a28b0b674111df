"""Character-level language models of reviews: the text stream, a recurrent model, an n-gram baseline, generation."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from numbers import Real

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from utils.config import SEED, check_count
from utils.stats import bootstrap_interval

REVIEW_END = "\n"
"""Written after every review of a stream, so a model learns where reviews end (their own line breaks become spaces)."""
LOOKUP_NAME = "characters"
RECURRENT_LAYERS = {"simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}
LINE_BREAKS_AND_SPACES = re.compile(r"(?:<br\s*/?>|\s)+")


def clean_review(text: str) -> str:
    """Return a review with its HTML line breaks and runs of white space turned into single spaces, stripped."""
    return LINE_BREAKS_AND_SPACES.sub(" ", text).strip()


def review_stream(reviews: list[str]) -> str:
    """Return the cleaned reviews as one text, each followed by REVIEW_END."""
    return "".join(clean_review(review) + REVIEW_END for review in reviews)


def drop_duplicates_of(reviews: list[str], held_out: list[str]) -> list[str]:
    """Return the reviews whose cleaned text is not also a held-out review's (IMDb repeats a few reviews)."""
    held_out_texts = {clean_review(review) for review in held_out}
    return [review for review in reviews if clean_review(review) not in held_out_texts]


def character_vocabulary(text: str, min_count: int = 1) -> list[str]:
    """Return the characters seen at least min_count times in text, most frequent first (the others read as [UNK])."""
    check_count("min_count", min_count)
    return [character for character, count in Counter(text).most_common() if count >= min_count]


def character_language_model(
    vocabulary: list[str], *, cell: str = "gru", units: int = 256, embedding_dim: int = 32,
    learning_rate: float | keras.optimizers.schedules.LearningRateSchedule = 2e-3,
) -> keras.Model:
    """Return a compiled model: characters -> ids -> Embedding -> recurrent layer (all steps) -> logits of the next."""
    if cell not in RECURRENT_LAYERS:
        raise ValueError(f"cell must be one of {', '.join(map(repr, RECURRENT_LAYERS))}, not {cell!r}.")
    ids = len(vocabulary) + 1  # id 0 is [UNK]
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="string"),
            layers.StringLookup(vocabulary=vocabulary, name=LOOKUP_NAME),
            layers.Embedding(ids, embedding_dim),
            RECURRENT_LAYERS[cell](units, return_sequences=True),
            layers.Dense(ids),  # applied at every step: one logit per character
        ],
        name=f"character_{cell}",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def character_ids(text: str, model: keras.Model) -> np.ndarray:
    """Return the ids the model's StringLookup gives the characters of text (0 for characters it does not know)."""
    return model.get_layer(LOOKUP_NAME)(tf.strings.unicode_split(text, "UTF-8")).numpy()


def next_character_windows(
    text: str, model: keras.Model, *, sequence_length: int, batch_size: int, shuffle: bool = False
) -> tf.data.Dataset:
    """Return batches of (characters, ids of the characters that follow them), text cut into consecutive windows."""
    check_count("sequence_length", sequence_length)
    check_count("batch_size", batch_size)
    windows = (len(text) - 1) // sequence_length
    if windows == 0:
        raise ValueError(f"text has {len(text)} characters, too few for one window of {sequence_length} + 1.")
    characters = tf.strings.unicode_split(text, "UTF-8")
    ids = model.get_layer(LOOKUP_NAME)(characters)
    end = windows * sequence_length
    shape = (windows, sequence_length)
    inputs, targets = tf.reshape(characters[:end], shape), tf.reshape(ids[1 : end + 1], shape)
    dataset = tf.data.Dataset.from_tensor_slices((inputs, targets))
    if shuffle:
        dataset = dataset.shuffle(windows, seed=SEED)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def bits_by_position(model: keras.Model, windows: tf.data.Dataset) -> np.ndarray:
    """Return the model's mean cross-entropy in bits at each position of the windows (each read from a zero state)."""
    total, count = 0.0, 0
    for characters, targets in windows:
        logits = model.predict_on_batch(characters)
        nats = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
        total = total + keras.ops.convert_to_numpy(nats).sum(axis=0)
        count += len(targets)
    return np.asarray(total) / count / math.log(2)


# Generation: the trained layers, rewired to take the previous states and return the new ones.


def state_sizes(recurrent: layers.Layer) -> list[int]:
    """Return the sizes of a recurrent layer's states: [units] for SimpleRNN and GRU, [units, units] (h, c) for LSTM."""
    size = recurrent.cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


def step_model(model: keras.Model) -> keras.Model:
    """Return a model (characters, *states) -> (logits, *new states) made of model's trained layers and weights."""
    lookup, embedding, recurrent, head = model.layers
    with_state = type(recurrent).from_config(recurrent.get_config() | {"return_state": True, "name": "with_state"})
    characters = keras.Input(shape=(None,), dtype="string")
    states = [keras.Input(shape=(size,)) for size in state_sizes(recurrent)]
    sequence, *new_states = with_state(embedding(lookup(characters)), initial_state=states)
    with_state.set_weights(recurrent.get_weights())
    return keras.Model([characters, *states], [head(sequence), *new_states], name=f"{model.name}_step")


def bits_with_carried_states(
    model: keras.Model, text: str, *, streams: int = 32, window: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Return, per character of text, its bits and whether it was the likeliest next character, states carried.

    The text is read in `streams` pieces side by side: each from a zero state once, then in windows of `window`
    characters, each starting from the states the previous one ended with, so every character is predicted from all
    of its piece before it. The first character of each piece and the last len(text) % streams are not predicted: NaN.
    """
    check_count("streams", streams)
    check_count("window", window)
    piece = len(text) // streams
    if piece < 2:
        raise ValueError(f"text has {len(text)} characters, too few for {streams} pieces of at least 2.")
    characters = tf.reshape(tf.strings.unicode_split(text, "UTF-8")[: streams * piece], (streams, piece))
    ids = keras.ops.convert_to_numpy(model.get_layer(LOOKUP_NAME)(characters))
    stepper = step_model(model)
    states = [np.zeros((streams, size), "float32") for size in state_sizes(model.layers[2])]
    bits, right = np.full((streams, piece), np.nan), np.full((streams, piece), np.nan)
    for start in range(0, piece - 1, window):
        stop = min(start + window, piece - 1)
        logits, *states = stepper.predict_on_batch([characters[:, start:stop], *states])
        targets = ids[:, start + 1 : stop + 1]
        nats = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
        bits[:, start + 1 : stop + 1] = keras.ops.convert_to_numpy(nats) / math.log(2)
        right[:, start + 1 : stop + 1] = np.argmax(logits, axis=-1) == targets
    unread = np.full(len(text) - streams * piece, np.nan)
    return np.concatenate([bits.ravel(), unread]), np.concatenate([right.ravel(), unread])


def review_numbers(text: str) -> np.ndarray:
    """Return, for each character of a review_stream text, the number of its review (0, 1, ...), its REVIEW_END included."""
    ends = np.array(list(text)) == REVIEW_END
    return np.concatenate([[0], np.cumsum(ends)[:-1]]).astype(np.int64)


def totals_by_review(scores: np.ndarray, reviews: np.ndarray) -> np.ndarray:
    """Return one row per review: the sum of its characters' scores (NaN ones skipped) and how many were scored."""
    scored = ~np.isnan(scores)
    count = int(reviews.max()) + 1
    return np.column_stack([np.bincount(reviews[scored], scores[scored], minlength=count),
                            np.bincount(reviews[scored], minlength=count)])


def pooled_mean(totals: np.ndarray) -> float:
    """Return the mean score per character of rows made by totals_by_review."""
    return float(totals[:, 0].sum() / totals[:, 1].sum())


def review_bootstrap_interval(scores: np.ndarray, reviews: np.ndarray, *, rounds: int = 2_000,
                              confidence: float = 0.95) -> tuple[float, float]:
    """Return the bootstrap interval of the mean score per character, resampling whole reviews (their characters
    are not independent draws). For two models scored on the same characters, pass the difference: a paired interval."""
    return bootstrap_interval(totals_by_review(scores, reviews), pooled_mean, rounds=rounds, confidence=confidence)


def check_temperature(temperature: float) -> None:
    """Raise ValueError unless temperature is a finite number above 0."""
    if isinstance(temperature, bool) or not isinstance(temperature, Real) or not 0 < temperature < math.inf:
        raise ValueError(
            f"temperature must be a finite number above 0, not {temperature!r}: 1 samples the model's own "
            "distribution, lower values are greedier (near 0: always the likeliest character), higher ones more random."
        )


def check_seed(seed: str, vocabulary: list[str]) -> None:
    """Raise an error unless seed is a string holding at least one character of the vocabulary."""
    if not isinstance(seed, str):
        raise TypeError(f"seed must be a string, the text to continue, not {type(seed).__name__}.")
    if not seed:
        raise ValueError("seed is empty: generation continues a text, so give it at least one character, e.g. 'The'.")
    if not set(seed) & set(vocabulary):
        raise ValueError(
            f"seed {seed!r} holds no character the model knows, so every one reads as [UNK] and the model has "
            f"nothing to continue; its {len(vocabulary)} characters begin with {''.join(vocabulary[:40])!r}."
        )


def sampling_distribution(logits: np.ndarray, temperature: float) -> np.ndarray:
    """Return softmax(logits / temperature) in float64, with id 0 ([UNK]) never chosen."""
    check_temperature(temperature)
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled[0] = -np.inf
    probabilities = np.exp(scaled - scaled.max())
    return probabilities / probabilities.sum()


def generate(model: keras.Model, seed: str, length: int, *, temperature: float, rng: np.random.Generator) -> str:
    """Return seed and `length` sampled characters, one step at a time, the states carried from step to step.

    The seed is read from zero states; its unknown characters read as [UNK], as rare ones did in training.
    """
    vocabulary = model.get_layer(LOOKUP_NAME).get_vocabulary()
    check_seed(seed, vocabulary)
    check_count("length", length)
    check_temperature(temperature)
    stepper = step_model(model)
    states = [np.zeros((1, size), "float32") for size in state_sizes(model.layers[2])]
    step_input, written = [list(seed)], []
    for _ in range(length):
        logits, *states = stepper.predict_on_batch([tf.constant(step_input), *states])
        index = rng.choice(len(vocabulary), p=sampling_distribution(logits[0, -1], temperature))
        written.append(vocabulary[index])
        step_input = [[vocabulary[index]]]
    return seed + "".join(written)


# The count-based baseline: interpolated Kneser-Ney over character n-grams, in NumPy.


def ngram_keys(ids: np.ndarray, n: int, base: int) -> np.ndarray:
    """Return one int64 key per n-gram of ids, in order: the n-gram's ids as the digits of a base-`base` number."""
    ids = np.asarray(ids, dtype=np.int64)
    keys = np.zeros(max(len(ids) - n + 1, 0), dtype=np.int64)
    for offset in range(n):
        keys = keys * base + ids[offset : offset + len(keys)]
    return keys


def sorted_lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, for each key, its index in sorted_keys (clipped) and whether it is there."""
    index = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return index, sorted_keys[index] == keys


@dataclass(frozen=True)
class NgramTable:
    """The counts of one order: sorted n-gram keys, their counts, and per context the total and the number of types."""

    keys: np.ndarray
    counts: np.ndarray
    context_keys: np.ndarray
    context_totals: np.ndarray
    context_types: np.ndarray
    discount: float

    @classmethod
    def from_counts(cls, keys: np.ndarray, counts: np.ndarray, base: int) -> NgramTable:
        """Return the table of sorted keys and their counts; discount n1 / (n1 + 2 n2) (Ney et al., 1994)."""
        context_keys, first, types = np.unique(keys // base, return_index=True, return_counts=True)
        once, twice = int((counts == 1).sum()), int((counts == 2).sum())
        discount = once / (once + 2 * twice) if once and twice else 0.75
        return cls(keys, counts, context_keys, np.add.reduceat(counts, first), types, discount)

    def interpolate(self, grams: np.ndarray, lower: np.ndarray, base: int) -> np.ndarray:
        """Return P(last character | the others) for each n-gram key, mixed with the lower order's probabilities."""
        context, seen = sorted_lookup(self.context_keys, grams // base)
        gram, counted = sorted_lookup(self.keys, grams)
        count = np.where(counted, self.counts[gram], 0)
        total = np.where(seen, self.context_totals[context], 1)
        types = np.where(seen, self.context_types[context], 0)
        mixed = (np.maximum(count - self.discount, 0) + self.discount * types * lower) / total
        return np.where(seen, mixed, lower)


@dataclass(frozen=True)
class KneserNey:
    """An interpolated Kneser-Ney n-gram model: tables of orders 1..n (raw counts at n, continuation counts below)."""

    order: int
    vocabulary_size: int
    tables: tuple[NgramTable, ...]


def fit_kneser_ney(ids: np.ndarray, order: int, vocabulary_size: int) -> KneserNey:
    """Return the interpolated Kneser-Ney model of order `order` counted on a stream of ids in [0, vocabulary_size)."""
    check_count("order", order)
    check_count("vocabulary_size", vocabulary_size)
    if vocabulary_size**order > np.iinfo(np.int64).max:
        raise ValueError(f"order {order} is too high for {vocabulary_size} ids: the n-gram keys overflow 64 bits.")
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids) < order or ids.min() < 0 or ids.max() >= vocabulary_size:
        raise ValueError(f"ids must hold at least {order} ids, each in [0, {vocabulary_size}).")
    keys, counts = np.unique(ngram_keys(ids, order, vocabulary_size), return_counts=True)
    tables = [NgramTable.from_counts(keys, counts, vocabulary_size)]
    for lower in range(order - 1, 0, -1):
        # Continuation counts: in how many distinct left contexts each shorter n-gram was seen.
        keys, counts = np.unique(keys % vocabulary_size**lower, return_counts=True)
        tables.append(NgramTable.from_counts(keys, counts, vocabulary_size))
    return KneserNey(order, vocabulary_size, tuple(reversed(tables)))


def kneser_ney_bits(model: KneserNey, ids: np.ndarray) -> np.ndarray:
    """Return -log2 P(ids[t] | the order - 1 ids before it) for every t (the first ids have fewer before them)."""
    ids = np.asarray(ids, dtype=np.int64)
    probabilities = np.full(len(ids), 1 / model.vocabulary_size)
    for n, table in enumerate(model.tables, start=1):
        grams = ngram_keys(ids, n, model.vocabulary_size)
        probabilities[n - 1 :] = table.interpolate(grams, probabilities[n - 1 :], model.vocabulary_size)
    return -np.log2(probabilities)


def add_k_bits(model: KneserNey, ids: np.ndarray, k: float = 1.0) -> np.ndarray:
    """Return -log2 P(ids[t] | the order - 1 ids before it), add-k smoothed: (count + k) / (context count + k V).

    No back-off: a context never seen gives every character 1 / V. The first ids see a context padded with id 0.
    """
    if isinstance(k, bool) or not isinstance(k, Real) or not 0 < k < math.inf:
        raise ValueError(f"k must be a finite number above 0 (1 is Laplace's add-one), not {k!r}.")
    table, base = model.tables[-1], model.vocabulary_size
    padded = np.concatenate([np.zeros(model.order - 1, dtype=np.int64), np.asarray(ids, dtype=np.int64)])
    grams = ngram_keys(padded, model.order, base)
    context, seen = sorted_lookup(table.context_keys, grams // base)
    gram, counted = sorted_lookup(table.keys, grams)
    count = np.where(counted, table.counts[gram], 0)
    total = np.where(seen, table.context_totals[context], 0)
    return -np.log2((count + k) / (total + k * base))


def unseen_share(model: KneserNey, ids: np.ndarray) -> float:
    """Return the share of the n-grams of ids (n = the model's order) that never occurred in its training text."""
    _, seen = sorted_lookup(model.tables[-1].keys, ngram_keys(ids, model.order, model.vocabulary_size))
    return float(1 - seen.mean())
