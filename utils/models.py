"""One small builder per course model: each returns a compiled keras.Model ready to fit."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from utils.config import VOCAB_SIZE


def _compile_sigmoid_classifier(model: keras.Model) -> keras.Model:
    """Compile a sigmoid-output binary classifier the textbook way (RMSprop, binary cross-entropy)."""
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
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


def _recurrent_classifier(
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
    return _recurrent_classifier(
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
    return _recurrent_classifier(
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
    return _recurrent_classifier(
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
    model.compile(
        optimizer=keras.optimizers.Adam(1e-4),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")],
    )
    return model
