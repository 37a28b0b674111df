"""One small builder per course model: each returns a compiled keras.Model ready to fit; and raw-text wrappers."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from utils.config import VOCAB_SIZE


def _compile_sigmoid_classifier(model: keras.Model) -> keras.Model:
    """Compile a sigmoid-output binary classifier the textbook way (RMSprop, binary cross-entropy)."""
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def compile_logit_classifier(model: keras.Model, learning_rate: float) -> keras.Model:
    """Compile a classifier that outputs one logit: Adam, binary cross-entropy from logits, accuracy at logit 0."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model


def embedding_flatten(
    *, vocab_size: int = VOCAB_SIZE, embedding_dim: int = 8, maxlen: int = 20
) -> keras.Model:
    """Embedding -> Flatten -> Dense(1, sigmoid) on sequences of exactly maxlen tokens (RMSprop)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32"),
            layers.Embedding(vocab_size, embedding_dim),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="embedding_flatten",
    )
    return _compile_sigmoid_classifier(model)


def glove_flatten(
    embedding_matrix: np.ndarray | None,
    *,
    maxlen: int = 100,
    trainable: bool | None = None,
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 50,
) -> keras.Model:
    """Embedding -> Flatten -> Dense(32, relu) -> Dense(1, sigmoid), RMSprop.

    With an embedding_matrix (rows x dim, e.g. GloVe vectors) the embedding starts from it; with None it
    is random (vocab_size x embedding_dim). trainable=None means frozen for a matrix, trained if random.
    """
    if trainable is None:
        trainable = embedding_matrix is None
    if embedding_matrix is None:
        embedding = layers.Embedding(vocab_size, embedding_dim, trainable=trainable)
        name = "random_embedding_flatten"
    else:
        rows, dim = embedding_matrix.shape
        embedding = layers.Embedding(rows, dim, weights=[embedding_matrix], trainable=trainable)
        name = "glove_flatten"
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32"),
            embedding,
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ],
        name=name,
    )
    return _compile_sigmoid_classifier(model)


def recurrent_classifier(
    recurrent_layers: list[layers.Layer],
    *,
    vocab_size: int,
    embedding_dim: int,
    mask_zero: bool,
    name: str,
) -> keras.Model:
    """Embedding -> recurrent layers -> Dense(1, sigmoid) on variable-length sequences (RMSprop)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(vocab_size, embedding_dim, mask_zero=mask_zero),
            *recurrent_layers,
            layers.Dense(1, activation="sigmoid"),
        ],
        name=name,
    )
    return _compile_sigmoid_classifier(model)


def simple_rnn(
    *,
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 32,
    units: int = 32,
    stacked_layers: int = 1,
    mask_zero: bool = True,
) -> keras.Model:
    """Embedding -> stacked_layers SimpleRNN(units) (all but the last return sequences) -> Dense(1)."""
    if stacked_layers < 1:
        raise ValueError(f"stacked_layers must be at least 1, got {stacked_layers}.")
    recurrent = [layers.SimpleRNN(units, return_sequences=True) for _ in range(stacked_layers - 1)]
    recurrent.append(layers.SimpleRNN(units))
    return recurrent_classifier(
        recurrent, vocab_size=vocab_size, embedding_dim=embedding_dim, mask_zero=mask_zero, name="simple_rnn"
    )


def lstm(
    *,
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 32,
    units: int = 32,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    mask_zero: bool = True,
) -> keras.Model:
    """Embedding -> LSTM(units) -> Dense(1, sigmoid), RMSprop (Chollet's IMDb LSTM)."""
    recurrent = [layers.LSTM(units, dropout=dropout, recurrent_dropout=recurrent_dropout)]
    return recurrent_classifier(
        recurrent, vocab_size=vocab_size, embedding_dim=embedding_dim, mask_zero=mask_zero, name="lstm"
    )


def gru(
    *,
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 32,
    units: int = 32,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    mask_zero: bool = True,
) -> keras.Model:
    """Embedding -> GRU(units) -> Dense(1, sigmoid), RMSprop."""
    recurrent = [layers.GRU(units, dropout=dropout, recurrent_dropout=recurrent_dropout)]
    return recurrent_classifier(
        recurrent, vocab_size=vocab_size, embedding_dim=embedding_dim, mask_zero=mask_zero, name="gru"
    )


def bidirectional_lstm(
    vectorizer: layers.TextVectorization | None = None,
    *,
    vocab_size: int = VOCAB_SIZE,
    embedding_dim: int = 64,
    units: int = 64,
    stacked: bool = False,
) -> keras.Model:
    """The TensorFlow "Text classification with an RNN" model, outputting logits (Adam 1e-4).

    With an adapted vectorizer the model takes raw strings (the vectorizer is its first layer and
    sets the vocabulary size); with None it takes integer sequences from a vocabulary of vocab_size.
    stacked=True is the tutorial's second model: two Bidirectional LSTMs (units, units // 2), Dropout(0.5).
    """
    if vectorizer is None:
        front = [keras.Input(shape=(None,), dtype="int32")]
    else:
        front = [keras.Input(shape=(), dtype="string"), vectorizer]
        vocab_size = vectorizer.vocabulary_size()
    if stacked:
        recurrent = [
            layers.Bidirectional(layers.LSTM(units, return_sequences=True)),
            layers.Bidirectional(layers.LSTM(units // 2)),
        ]
        head = [layers.Dense(64, activation="relu"), layers.Dropout(0.5), layers.Dense(1)]
    else:
        recurrent = [layers.Bidirectional(layers.LSTM(units))]
        head = [layers.Dense(64, activation="relu"), layers.Dense(1)]
    model = keras.Sequential(
        [*front, layers.Embedding(vocab_size, embedding_dim, mask_zero=True), *recurrent, *head],
        name="stacked_bidirectional_lstm" if stacked else "bidirectional_lstm",
    )
    return compile_logit_classifier(model, 1e-4)


@keras.saving.register_keras_serializable(package="course")
class UnknownIfEmpty(layers.Layer):
    """Give each row of token ids without a single token one [UNK] (id 1) at its start, so that it gets a score."""

    def call(self, ids):
        """Return ids with a padding column appended and, in rows of padding only, id 1 in the first column."""
        ids = keras.ops.pad(ids, [[0, 0], [0, 1]])
        no_token = keras.ops.all(ids == 0, axis=1, keepdims=True)
        first_column = keras.ops.expand_dims(keras.ops.arange(keras.ops.shape(ids)[1]) == 0, 0)
        return keras.ops.where(keras.ops.logical_and(no_token, first_column), keras.ops.ones_like(ids), ids)


def raw_text_model(
    vectorizer: layers.TextVectorization, model: keras.Model, *, name: str = "raw_text_model"
) -> keras.Model:
    """Return a model from raw strings to the probability of "positive": vectorizer, UnknownIfEmpty, model.

    A text that cleans to no token at all ("", "   ", "!!!") is scored as one unknown word, the same alone or in a
    batch. A sigmoid is added when model ends without one (it outputs logits, as bidirectional_lstm does).
    """
    parts = [keras.Input(shape=(), dtype="string"), vectorizer, UnknownIfEmpty(), model]
    if getattr(model.layers[-1], "activation", None) is not keras.activations.sigmoid:
        parts.append(layers.Activation("sigmoid"))
    return keras.Sequential(parts, name=name)


def text_batch(texts) -> tf.Tensor:
    """Return texts as a 1-D tf.string tensor: from a str, a list or tuple of str, a NumPy array or a tf tensor."""
    if isinstance(texts, tf.Tensor):
        texts = texts.numpy()
    array = np.asarray([texts] if isinstance(texts, (str, bytes)) else texts, dtype=object)
    if array.ndim > 2 or (array.ndim == 2 and array.shape[1] != 1):
        raise ValueError(f"Expected one text per row (n texts, or an (n, 1) array), not shape {array.shape}.")
    items = array.reshape(-1).tolist()
    for index, item in enumerate(items):
        if not isinstance(item, (str, bytes)):
            raise TypeError(f"Texts must be strings (str or bytes); text {index} is {item!r} ({type(item).__name__}).")
    return tf.constant(items, dtype=tf.string, shape=[len(items)])


def predict_texts(text_model: keras.Model, texts, *, batch_size: int = 256) -> np.ndarray:
    """Return text_model's score, one float per text, for a str, a list of str, a NumPy array or a tf tensor."""
    batch = text_batch(texts)
    if batch.shape[0] == 0:
        return np.zeros(0, dtype="float32")
    return text_model.predict(batch, batch_size=batch_size, verbose=0)[:, 0]
