"""Pooling over a recurrent layer's states (attention, masked max), its NumPy twin, and the models of notebook 12."""
from __future__ import annotations

import keras
import numpy as np
from keras import layers

from utils.config import VOCAB_SIZE, check_count
from utils.models import compile_logit_classifier
from utils.sequences import bucketed_dataset

POOLINGS = ("last", "max", "mean", "attention")
CELLS = {"gru": layers.GRU, "lstm": layers.LSTM}


@keras.saving.register_keras_serializable(package="course")
class AttentionPooling(layers.Layer):
    """Additive attention pooling: score_t = v . tanh(W h_t + b), softmax over real tokens, sum of weighted states."""

    def __init__(self, units: int = 64, **kwargs):
        super().__init__(**kwargs)
        check_count("units", units)
        self.units = units
        self.supports_masking = True

    def build(self, input_shape):
        """Create W (features x units), b (units) and v (units)."""
        features = input_shape[-1]
        self.kernel = self.add_weight(shape=(features, self.units), initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.score_vector = self.add_weight(shape=(self.units,), initializer="glorot_uniform", name="score_vector")

    def call(self, states, mask=None, return_weights: bool = False):
        """Return the weighted sum of states (batch, features), and the weights (batch, steps) if asked."""
        scores = keras.ops.tensordot(keras.ops.tanh(keras.ops.matmul(states, self.kernel) + self.bias),
                                     self.score_vector, axes=1)
        if mask is not None:
            scores = keras.ops.where(mask, scores, keras.ops.full_like(scores, -1e9))
        weights = keras.ops.softmax(scores, axis=-1)
        if mask is not None:
            weights = keras.ops.where(mask, weights, keras.ops.zeros_like(weights))
        context = keras.ops.sum(states * keras.ops.expand_dims(weights, -1), axis=1)
        return (context, weights) if return_weights else context

    def compute_mask(self, inputs, mask=None):
        """The pooled output has no time axis, so no mask."""
        return None

    def get_config(self):
        """Return the layer's settings, for saving."""
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="course")
class MaskedMaxPooling(layers.Layer):
    """Maximum of each feature over the real tokens only (keras.layers.GlobalMaxPooling1D ignores the mask)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, states, mask=None):
        """Return the feature-wise maximum over the steps that the mask keeps."""
        if mask is not None:
            lowest = keras.ops.full_like(states, -np.inf)
            states = keras.ops.where(keras.ops.expand_dims(mask, -1), states, lowest)
        return keras.ops.max(states, axis=1)

    def compute_mask(self, inputs, mask=None):
        """The pooled output has no time axis, so no mask."""
        return None


def attention_pooling_forward(
    states: np.ndarray, mask: np.ndarray, kernel: np.ndarray, bias: np.ndarray, score_vector: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NumPy attention pooling of states (batch, steps, features): return (context, weights), zero weight on padding."""
    scores = np.tanh(states @ kernel + bias) @ score_vector
    scores = np.where(mask, scores, -np.inf)
    scores -= scores.max(axis=1, keepdims=True)
    weights = np.exp(scores) * mask
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("bt,btf->bf", weights, states), weights


def pooled_classifier(
    *,
    pooling: str = "attention",
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 100,
    units: int = 64,
    cell: str = "gru",
    embedding_matrix: np.ndarray | None = None,
    spatial_dropout: float = 0.25,
    learning_rate: float = 1e-3,
    name: str | None = None,
) -> keras.Model:
    """Embedding (mask_zero) -> Bidirectional GRU/LSTM -> pooling of its states -> Dense(1) logit, Adam.

    pooling is "last" (the final states, as in notebook 09), "max", "mean" or "attention" over all the states.
    An embedding_matrix (vocab_size x embedding_dim) starts the embedding, which is trained further.
    """
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, not {pooling!r}.")
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}, not {cell!r}.")
    if embedding_matrix is not None:
        vocab_size, embedding_dim = embedding_matrix.shape
        initializer = keras.initializers.Constant(embedding_matrix)
    else:
        initializer = "uniform"
    ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    vectors = layers.Embedding(vocab_size, embedding_dim, mask_zero=True, embeddings_initializer=initializer)(ids)
    vectors = layers.SpatialDropout1D(spatial_dropout)(vectors)
    recurrent = CELLS[cell](units, return_sequences=pooling != "last")
    states = layers.Bidirectional(recurrent)(vectors)
    if pooling == "max":
        states = MaskedMaxPooling()(states)
    elif pooling == "mean":
        states = layers.GlobalAveragePooling1D()(states)
    elif pooling == "attention":
        states, _ = AttentionPooling(units, name="attention")(states, return_weights=True)
    model = keras.Model(ids, layers.Dense(1, name="logit")(states), name=name or f"bi{cell}_{pooling}")
    return compile_logit_classifier(model, learning_rate)


def attention_weights_model(model: keras.Model) -> keras.Model:
    """Return a model from token ids to the attention weights (batch, steps) of a pooled_classifier(pooling="attention")."""
    _, weights = model.get_layer("attention").output
    return keras.Model(model.input, weights, name=f"{model.name}_weights")


def logits_in_order(model: keras.Model, texts: list[str], vectorizer, *, maxlen: int, batch_size: int = 256) -> np.ndarray:
    """Return the model's logit for every text, in the texts' order, read in length-bucketed batches."""
    positions = np.arange(len(texts))  # carried through the buckets in place of the labels
    dataset = bucketed_dataset(texts, positions, vectorizer, maxlen=maxlen, batch_size=batch_size, shuffle=False)
    order = np.concatenate([position.numpy() for _, position in dataset]).astype(int)
    logits = model.predict(dataset.map(lambda ids, position: ids), verbose=0).reshape(-1)
    in_order = np.empty(len(texts), dtype=logits.dtype)
    in_order[order] = logits
    return in_order


@keras.saving.register_keras_serializable(package="course")
class PositionalEmbedding(layers.Layer):
    """Token embedding plus a learned embedding of each position (0 .. max_length - 1); id 0 is padding, masked."""

    def __init__(self, vocab_size: int, max_length: int, embedding_dim: int, **kwargs):
        super().__init__(**kwargs)
        for name, value in [("vocab_size", vocab_size), ("max_length", max_length), ("embedding_dim", embedding_dim)]:
            check_count(name, value)
        self.vocab_size, self.max_length, self.embedding_dim = vocab_size, max_length, embedding_dim
        self.tokens = layers.Embedding(vocab_size, embedding_dim, mask_zero=True)
        self.positions = layers.Embedding(max_length, embedding_dim)

    def build(self, input_shape):
        """Build the token and position tables."""
        self.tokens.build(input_shape)
        self.positions.build((None,))

    def call(self, ids):
        """Return token vectors + position vectors, (batch, steps, embedding_dim)."""
        steps = keras.ops.shape(ids)[-1]
        return self.tokens(ids) + self.positions(keras.ops.arange(steps))

    def compute_mask(self, ids, mask=None):
        """Mask the padding (id 0)."""
        return keras.ops.not_equal(ids, 0)

    def get_config(self):
        """Return the layer's settings, for saving."""
        return {**super().get_config(), "vocab_size": self.vocab_size, "max_length": self.max_length,
                "embedding_dim": self.embedding_dim}


def transformer_classifier(
    *,
    vocab_size: int = VOCAB_SIZE,
    max_length: int = 800,
    embedding_dim: int = 64,
    heads: int = 2,
    feed_forward: int = 128,
    dropout: float = 0.1,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """One Transformer encoder block (self-attention, feed-forward, residuals, layer norm), mean-pooled -> logit."""
    ids = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    vectors = PositionalEmbedding(vocab_size, max_length, embedding_dim)(ids)
    attended = layers.MultiHeadAttention(heads, key_dim=embedding_dim // heads, dropout=dropout)(vectors, vectors)
    vectors = layers.LayerNormalization()(layers.Add()([vectors, layers.Dropout(dropout)(attended)]))
    transformed = layers.Dense(feed_forward, activation="relu")(vectors)
    transformed = layers.Dense(embedding_dim)(transformed)
    vectors = layers.LayerNormalization()(layers.Add()([vectors, layers.Dropout(dropout)(transformed)]))
    pooled = layers.Dropout(dropout)(layers.GlobalAveragePooling1D()(vectors))
    model = keras.Model(ids, layers.Dense(1, name="logit")(pooled), name="transformer_block")
    return compile_logit_classifier(model, learning_rate)
