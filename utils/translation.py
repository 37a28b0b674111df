"""English to Spanish with a GRU encoder-decoder, with and without attention: text, models, decoding and BLEU."""
from __future__ import annotations

from collections import Counter

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from utils.config import check_count
from utils.stats import bootstrap_interval

START, END = "[start]", "[end]"
PUNCTUATION = "¿¡?!.,;:"
"""Marks that become tokens of their own (Spanish opens questions and exclamations with ¿ and ¡)."""
MAX_NGRAM = 4
"""BLEU counts 1- to 4-grams (Papineni et al. 2002)."""
UNKNOWN_ID = 1
"""TextVectorization's id of [UNK] (0 is padding)."""
SMOOTHING_EPSILON = 0.1
"""NLTK's SmoothingFunction().method1: an n-gram order with no match counts 0.1 matches (Chen & Cherry 2014)."""


def standardize(text: tf.Tensor) -> tf.Tensor:
    """Lower-case (accents kept), put each punctuation mark between spaces, drop other symbols (quotes, dashes)."""
    text = tf.strings.lower(text, encoding="utf-8")
    text = tf.strings.regex_replace(text, f"([{PUNCTUATION}])", r" \1 ")
    return tf.strings.regex_replace(text, rf"[^\pL\pN\s'{PUNCTUATION}\[\]]", "")


def tokens(texts: list[str]) -> list[list[str]]:
    """Return each text cut into the tokens the vectorizers see (standardize, then split on spaces)."""
    return [line.decode("utf-8").split() for line in standardize(tf.constant(texts)).numpy()]


def with_markers(texts: list[str]) -> list[str]:
    """Return each Spanish text between [start] and [end], as the decoder reads and writes it."""
    return [f"{START} {text} {END}" for text in texts]


def make_vectorizer(texts: list[str], vocab_size: int) -> layers.TextVectorization:
    """Return a TextVectorization of the course's standardisation, its vocabulary the vocab_size most frequent tokens."""
    check_count("vocab_size", vocab_size)
    vectorizer = layers.TextVectorization(max_tokens=vocab_size, standardize=standardize, ragged=True)
    vectorizer.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(1024))
    return vectorizer


def padded_ids(vectorizer: layers.TextVectorization, texts: list[str]) -> np.ndarray:
    """Return the ids of texts, padded with 0 to the longest."""
    return vectorizer(tf.constant(texts)).to_tensor().numpy()


def teacher_forcing_dataset(
    source_ids: tf.RaggedTensor, target_ids: tf.RaggedTensor, *, batch_size: int, shuffle: bool, seed: int = 0
) -> tf.data.Dataset:
    """Return batches ((source, target without [end]), target without [start], weights 1 on real tokens).

    The decoder reads the true previous word at every step (teacher forcing) and learns the next one; batches group
    targets of similar length (tf.data's bucket_by_sequence_length), so they carry little padding.
    """
    pairs = tf.data.Dataset.from_tensor_slices((source_ids, target_ids)).map(
        lambda source, target: (tf.identity(source), tf.identity(target)))  # ragged rows -> plain vectors
    if shuffle:
        pairs = pairs.shuffle(int(source_ids.nrows()), seed=seed, reshuffle_each_iteration=True)
    batches = pairs.bucket_by_sequence_length(
        lambda source, target: tf.shape(target)[0], bucket_boundaries=[6, 8, 10, 12, 15],
        bucket_batch_sizes=[batch_size] * 6,
    )

    def shifted(source, target):
        """Split a batch of targets into the decoder's input and the words it must predict."""
        decoder_input, next_words = target[:, :-1], target[:, 1:]
        return (source, decoder_input), next_words, tf.cast(next_words != 0, "float32")

    return batches.map(shifted, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


@keras.saving.register_keras_serializable(package="course")
class AdditiveAttention(layers.Layer):
    """Bahdanau's attention: score(s_t, h_j) = v . tanh(W_q s_t + W_k h_j + b), softmax over the real source words."""

    def __init__(self, units: int = 128, **kwargs):
        super().__init__(**kwargs)
        check_count("units", units)
        self.units = units
        self.supports_masking = True  # the outputs keep the decoder's mask (its padding)

    def build(self, queries_shape, keys_shape):
        """Create W_q (query features x units), W_k (key features x units), b (units) and v (units)."""
        self.query_kernel = self.add_weight(shape=(queries_shape[-1], self.units), name="query_kernel")
        self.key_kernel = self.add_weight(shape=(keys_shape[-1], self.units), name="key_kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.score_vector = self.add_weight(shape=(self.units,), name="score_vector")

    def call(self, queries, keys, source_mask):
        """Return the contexts (batch, target steps, key features) and the weights (batch, target steps, source steps)."""
        projected_queries = keras.ops.matmul(queries, self.query_kernel)[:, :, None, :]
        projected_keys = keras.ops.matmul(keys, self.key_kernel)[:, None, :, :]
        scores = keras.ops.tensordot(keras.ops.tanh(projected_queries + projected_keys + self.bias),
                                     self.score_vector, axes=1)
        scores = keras.ops.where(source_mask[:, None, :], scores, -1e9)
        weights = keras.ops.softmax(scores, axis=-1)
        return keras.ops.matmul(weights, keys), weights

    def get_config(self):
        """Return the layer's settings, for saving."""
        return {**super().get_config(), "units": self.units}


def additive_attention_forward(queries: np.ndarray, keys: np.ndarray, source_mask: np.ndarray, query_kernel: np.ndarray,
                               key_kernel: np.ndarray, bias: np.ndarray, score_vector: np.ndarray
                               ) -> tuple[np.ndarray, np.ndarray]:
    """NumPy AdditiveAttention: return (contexts, weights) for queries (b, t, f) over keys (b, s, g), zero on padding."""
    scores = np.tanh((queries @ query_kernel)[:, :, None] + (keys @ key_kernel)[:, None] + bias) @ score_vector
    scores = np.where(source_mask[:, None, :], scores, -np.inf)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ keys, weights


def encoder_decoder(source_vocab: int, target_vocab: int, *, embedding_dim: int = 128, units: int = 256,
                    attention: bool = False, learning_rate: float = 1e-3, clipnorm: float | None = 1.0,
                    name: str | None = None) -> keras.Model:
    """GRU encoder -> its final state starts a GRU decoder (teacher forcing) -> Dense(tanh) -> next-word logits; with
    attention, the Dense(tanh) also reads a weighted sum of all the encoder states (Bahdanau's score, Luong's placement).
    """
    source = keras.Input(shape=(None,), dtype="int32", name="source")
    decoder_input = keras.Input(shape=(None,), dtype="int32", name="decoder_input")
    source_vectors = layers.Embedding(source_vocab, embedding_dim, mask_zero=True, name="source_embedding")(source)
    encoder_states, final_state = layers.GRU(units, return_sequences=True, return_state=True,
                                             name="encoder")(source_vectors)
    target_vectors = layers.Embedding(target_vocab, embedding_dim, mask_zero=True,
                                      name="target_embedding")(decoder_input)
    decoder_states = layers.GRU(units, return_sequences=True, name="decoder")(target_vectors,
                                                                             initial_state=final_state)
    if attention:
        source_mask = keras.ops.not_equal(source, 0)
        contexts, _ = AdditiveAttention(units, name="attention")(decoder_states, encoder_states, source_mask)
        decoder_states = layers.Concatenate()([decoder_states, contexts])
    output_states = layers.Dense(units, activation="tanh", name="output_state")(decoder_states)
    logits = layers.Dense(target_vocab, name="logits")(output_states)
    model = keras.Model([source, decoder_input], logits,
                        name=name or ("attention_gru" if attention else "plain_gru"))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def has_attention(model: keras.Model) -> bool:
    """Return whether an encoder_decoder model has the attention layer."""
    return any(layer.name == "attention" for layer in model.layers)


def encode(model: keras.Model, source_ids: np.ndarray) -> tuple[tf.Tensor, tf.Tensor]:
    """Return the encoder's states (batch, source steps, units) and its final state (batch, units)."""
    vectors = model.get_layer("source_embedding")(source_ids)
    return model.get_layer("encoder")(vectors, mask=source_ids != 0)


def decoder_step(model: keras.Model, previous_ids: np.ndarray, state, encoder_states, source_mask: np.ndarray):
    """Return one decoder step: next-word logits (batch, vocabulary), the new state, attention weights or None."""
    vectors = model.get_layer("target_embedding")(previous_ids[:, None])
    output = model.get_layer("decoder")(vectors, initial_state=state)
    state, weights = output[:, 0], None
    if has_attention(model):
        context, weights = model.get_layer("attention")(output, encoder_states, source_mask)
        output = keras.ops.concatenate([output, context], axis=-1)
        weights = weights[:, 0]
    return model.get_layer("logits")(model.get_layer("output_state")(output))[:, 0], state, weights


def greedy_decode(model: keras.Model, source_ids: np.ndarray, start_id: int, end_id: int, max_length: int
                  ) -> tuple[np.ndarray, np.ndarray | None]:
    """Write each translation one word at a time, always the most likely next word, until [end] or max_length.

    Padding, [UNK] and [start] are never written (as in TensorFlow's tutorial "Neural machine translation with
    attention"): an unknown word is always wrong, and a model that learned [UNK] is frequent would write little else.

    Returns the word ids (batch, steps; 0 after [end]) and the attention weights (batch, steps, source steps) or None.
    """
    encoder_states, state = encode(model, source_ids)
    source_mask = source_ids != 0
    previous = np.full(len(source_ids), start_id)
    finished = np.zeros(len(source_ids), bool)
    written, attention = [], []
    for _ in range(max_length):
        logits, state, weights = decoder_step(model, previous, state, encoder_states, source_mask)
        logits = keras.ops.convert_to_numpy(logits)
        logits[:, [0, UNKNOWN_ID, start_id]] = -np.inf  # never padding, [UNK] or [start]
        previous = logits.argmax(axis=-1)
        written.append(np.where(finished, 0, previous))
        if weights is not None:
            attention.append(keras.ops.convert_to_numpy(weights))
        finished |= previous == end_id
        if finished.all():
            break
    return np.stack(written, axis=1), np.stack(attention, axis=1) if attention else None


def beam_decode(model: keras.Model, source_ids: np.ndarray, start_id: int, end_id: int, max_length: int,
                beam_width: int = 3) -> np.ndarray:
    """Keep the beam_width most likely partial translations at each step; return the best finished one per sentence.

    Hypotheses are ranked by their total log-probability while they grow, and the finished ones by log-probability
    per word, so that a short translation does not win only for being short.
    """
    check_count("beam_width", beam_width)
    batch = len(source_ids)
    encoder_states, state = encode(model, source_ids)
    encoder_states = np.repeat(keras.ops.convert_to_numpy(encoder_states), beam_width, axis=0)
    state = np.repeat(keras.ops.convert_to_numpy(state), beam_width, axis=0)
    source_mask = np.repeat(source_ids != 0, beam_width, axis=0)
    scores = np.tile([0.0] + [-np.inf] * (beam_width - 1), batch)  # one live hypothesis per sentence at first
    previous = np.full(batch * beam_width, start_id)
    finished = np.zeros(batch * beam_width, bool)
    lengths = np.zeros(batch * beam_width)
    written = np.zeros((batch * beam_width, 0), int)
    for _ in range(max_length):
        logits, state, _ = decoder_step(model, previous, state, encoder_states, source_mask)
        log_probs = keras.ops.convert_to_numpy(keras.ops.log_softmax(logits, axis=-1))
        log_probs[:, [0, UNKNOWN_ID, start_id]] = -np.inf  # never padding, [UNK] or [start]
        log_probs[finished] = -np.inf
        log_probs[finished, 0] = 0.0  # a finished hypothesis only grows by padding, at no cost
        vocabulary = log_probs.shape[1]
        candidates = (scores[:, None] + log_probs).reshape(batch, beam_width * vocabulary)
        best = top_indices(candidates, beam_width)
        rows = (np.arange(batch)[:, None] * beam_width + best // vocabulary).ravel()
        previous = (best % vocabulary).ravel()
        scores = np.take_along_axis(candidates, best, axis=1).ravel()
        state = keras.ops.convert_to_numpy(state)[rows]
        lengths = lengths[rows] + ~finished[rows]
        finished = finished[rows] | (previous == end_id)
        written = np.concatenate([written[rows], previous[:, None]], axis=1)
        if finished.all():
            break
    per_word = np.where(finished, scores / np.maximum(lengths, 1), -np.inf).reshape(batch, beam_width)
    per_word[~np.isfinite(per_word).any(axis=1), 0] = 0.0  # no finished hypothesis: keep the most likely one
    chosen = np.arange(batch) * beam_width + per_word.argmax(axis=1)
    return written[chosen]


def top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Return, per row, the indices of the k largest scores, largest first (ties: the smaller index first)."""
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.lexsort((part, -np.take_along_axis(scores, part, axis=1)), axis=1)
    return np.take_along_axis(part, order, axis=1)


def words_of(ids: np.ndarray, vocabulary: list[str]) -> list[list[str]]:
    """Return each row of ids as words, stopping before [end] and leaving out padding."""
    sentences = []
    for row in ids:
        words = []
        for index in row:
            word = vocabulary[index]
            if word == END:
                break
            if index != 0:
                words.append(word)
        sentences.append(words)
    return sentences


def ngram_counts(words: list[str], n: int) -> Counter:
    """Return how often each n-gram occurs in words."""
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def bleu_statistics(references: list[list[list[str]]], hypotheses: list[list[str]]) -> np.ndarray:
    """Return one row per sentence: clipped n-gram matches (n = 1..4), n-gram counts, length, closest reference length.

    The counts are NLTK's corpus_bleu's (a hypothesis shorter than n counts one n-gram), so that summing rows over any
    subset of sentences and calling bleu_from_statistics gives corpus_bleu of that subset.
    """
    rows = []
    for sentence_references, hypothesis in zip(references, hypotheses, strict=True):
        matches, totals = [], []
        for n in range(1, MAX_NGRAM + 1):
            counts = ngram_counts(hypothesis, n)
            most = Counter()
            for reference in sentence_references:
                most |= ngram_counts(reference, n)
            matches.append(sum(min(count, most[gram]) for gram, count in counts.items()))
            totals.append(max(1, sum(counts.values())))
        closest = min((len(reference) for reference in sentence_references),
                      key=lambda length: (abs(length - len(hypothesis)), length))
        rows.append(matches + totals + [len(hypothesis), closest])
    return np.array(rows, dtype=float).reshape(-1, 2 * MAX_NGRAM + 2)


def bleu_from_statistics(statistics: np.ndarray) -> np.ndarray:
    """Return corpus BLEU (0-1, NLTK's smoothing method1) from summed statistics (..., 10), one per leading index."""
    matches, totals = statistics[..., :MAX_NGRAM], statistics[..., MAX_NGRAM:2 * MAX_NGRAM]
    length, reference_length = statistics[..., -2], statistics[..., -1]
    precisions = np.where(matches == 0, SMOOTHING_EPSILON, matches) / totals
    with np.errstate(divide="ignore"):
        brevity = np.where(length > reference_length, 1.0, np.exp(1 - reference_length / np.maximum(length, 1e-12)))
    bleu = brevity * np.exp(np.log(precisions).mean(axis=-1))
    return np.where((matches[..., 0] == 0) | (length == 0), 0.0, bleu)


def corpus_bleu(references: list[list[list[str]]], hypotheses: list[list[str]]) -> float:
    """Return corpus BLEU (0-1) of tokenised hypotheses against their references, as NLTK's corpus_bleu computes it."""
    return float(bleu_from_statistics(bleu_statistics(references, hypotheses).sum(axis=0)))


def grouped_references(pairs) -> tuple[list[str], list[list[list[str]]]]:
    """Return the distinct English sentences of a frame of pairs and, for each, all its Spanish translations as tokens."""
    groups = pairs.groupby("english", sort=False)["spanish"].agg(list)
    return groups.index.tolist(), [tokens(translations) for translations in groups]


def translate(model: keras.Model, source_ids: np.ndarray, target_vocabulary: list[str], *, max_length: int,
              beam_width: int | None = None, chunk: int = 1_000) -> list[list[str]]:
    """Return the translation (tokens) of every row of source_ids, greedy or by beam search, chunk rows at a time."""
    start_id, end_id = target_vocabulary.index(START), target_vocabulary.index(END)
    written = []
    for first in range(0, len(source_ids), chunk):
        rows = source_ids[first:first + chunk]
        rows = rows[:, :max(1, int((rows != 0).sum(axis=1).max()))]
        if beam_width is None:
            ids, _ = greedy_decode(model, rows, start_id, end_id, max_length)
        else:
            ids = beam_decode(model, rows, start_id, end_id, max_length, beam_width)
        written += words_of(ids, target_vocabulary)
    return written


def derangement_within(groups: np.ndarray, seed: int) -> np.ndarray:
    """Return a seeded permutation without fixed points that sends each index to another index of its own group.

    Each group's indices are shuffled and each sends to the next one, the last to the first (one cycle per group).
    """
    groups = np.asarray(groups)
    rng = np.random.default_rng(seed)
    permutation = np.empty(len(groups), dtype=int)
    for group in np.unique(groups):
        members = rng.permutation(np.flatnonzero(groups == group))
        if len(members) < 2:
            raise ValueError(f"group {group} has one member: a derangement needs at least 2 in every group; "
                             "merge it with another group (e.g. group lengths into ranges)")
        permutation[members] = np.roll(members, -1)
    return permutation


def bleu_with_interval(statistics: np.ndarray, rounds: int = 1_000) -> tuple[float, float, float]:
    """Return corpus BLEU (in points, 0-100) of the sentences' statistics and its 95% bootstrap interval."""
    def bleu(rows: np.ndarray) -> float:
        """Corpus BLEU of the resampled sentences."""
        return float(bleu_from_statistics(rows.sum(axis=0)))

    low, high = bootstrap_interval(statistics, bleu, rounds=rounds)
    return 100 * bleu(statistics), 100 * low, 100 * high


def paired_bleu_difference(first: np.ndarray, second: np.ndarray, rounds: int = 1_000) -> tuple[float, float, float]:
    """Return BLEU(first) - BLEU(second) in points on the same sentences, with the paired bootstrap interval."""
    width = first.shape[1]

    def difference(rows: np.ndarray) -> float:
        """BLEU difference of the two systems on the same resampled sentences."""
        return float(bleu_from_statistics(rows[:, :width].sum(axis=0))
                     - bleu_from_statistics(rows[:, width:].sum(axis=0)))

    both = np.concatenate([first, second], axis=1)
    low, high = bootstrap_interval(both, difference, rounds=rounds)
    return 100 * difference(both), 100 * low, 100 * high


def attention_heatmap(axis, weights: np.ndarray, source_tokens: list[str], target_tokens: list[str]) -> None:
    """Draw the weights (target words x source tokens) as a heat map, English across, Spanish down."""
    axis.imshow(weights[:len(target_tokens), :len(source_tokens)], cmap="Greys", vmin=0, vmax=1)
    axis.set_xticks(range(len(source_tokens)), source_tokens, rotation=60, ha="right")
    axis.set_yticks(range(len(target_tokens)), target_tokens)
    axis.tick_params(length=0)
    axis.set_xlabel("English source word")
    axis.set_ylabel("Spanish word generated")
