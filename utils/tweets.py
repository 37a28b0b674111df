"""Tweets as bags of GloVe vectors and as integer sequences: the shared code of the Sentiment140 notebooks."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import tensorflow as tf
from gensim.models import KeyedVectors
from nltk.tokenize import TreebankWordTokenizer

from utils.config import SEED, VOCAB_SIZE
from utils.plots import save_fig
from utils.sequences import vectorize
from utils.text import tokenize_tweet

MAX_TWEET_TOKENS = 40
"""Tweets are short: 99% of notebook 11's 120,000 training tweets have at most 33 tokens; longer ones are truncated."""

FOOD_SENTENCES = (
    "The food was adequate, but just not great",
    "The food was not just adequate, but great",
)
"""Same words, opposite meanings: a bag of words cannot tell them apart."""

GO_ET_AL_2009 = {"Naive Bayes": 0.827, "MaxEnt": 0.830, "SVM": 0.822}
"""Accuracy on the 359-tweet test set after training on 1.6 million tweets (Go, Bhayani, Huang 2009): Naive Bayes and
MaxEnt on unigrams and bigrams, the SVM on unigrams (its best)."""

SENTIMENT_NAMES = ("negative", "positive")

_TREEBANK = TreebankWordTokenizer()


def split_contractions(tokens: Iterable[str]) -> list[str]:
    """Return the tokens with contractions split the Treebank way, as in GloVe's corpus ("don't" -> "do", "n't")."""
    return [piece for token in tokens for piece in (_TREEBANK.tokenize(token) if "'" in token else [token])]


def tweet_tokens(text: str) -> list[str]:
    """Return a tweet's tokens: utils.text.tokenize_tweet, then contractions split as GloVe expects."""
    return split_contractions(tokenize_tweet(text))


def glove_coverage(token_lists: Iterable[Sequence[str]], vectors: KeyedVectors) -> np.ndarray:
    """Return, for each tweet, the fraction of its tokens that have a vector (0.0 for a tweet without tokens)."""
    return np.array(
        [
            sum(token in vectors.key_to_index for token in tokens) / len(tokens) if tokens else 0.0
            for tokens in token_lists
        ]
    )


def missing_tokens(token_lists: Iterable[Sequence[str]], vectors: KeyedVectors, top: int = 15) -> pd.Series:
    """Return the `top` most frequent tokens that have no vector, with their counts."""
    counts = Counter(token for tokens in token_lists for token in tokens if token not in vectors.key_to_index)
    return pd.Series(dict(counts.most_common(top)), name="count", dtype="int64")


def bag_of_vectors(tokens: Iterable[str], vectors: KeyedVectors) -> np.ndarray:
    """Return the sum of the vectors of the tokens that have one (zeros if none), computed from word counts."""
    counts = Counter(token for token in tokens if token in vectors.key_to_index)
    total = np.zeros(vectors.vector_size, dtype=np.float32)
    for word in sorted(counts):
        total += counts[word] * vectors[word]
    return total


def bag_of_vectors_matrix(token_lists: Iterable[Sequence[str]], vectors: KeyedVectors) -> np.ndarray:
    """Return the (n_tweets, vector_size) float32 matrix of bag_of_vectors, one row per tweet."""
    return np.stack([bag_of_vectors(tokens, vectors) for tokens in token_lists])


def class_log_odds(token_lists: Iterable[Sequence[str]], labels: np.ndarray, min_count: int = 20) -> pd.Series:
    """Return log(P(token | positive) / P(token | negative)) with add-one smoothing, for tokens seen min_count times."""
    counts = [Counter(), Counter()]
    for tokens, label in zip(token_lists, labels):
        counts[int(label)].update(set(tokens))
    table = pd.DataFrame(counts, index=["negative", "positive"]).T.fillna(0)
    table = table[table.sum(axis=1) >= min_count]
    shares = (table + 1) / (table.sum() + len(table))
    return np.log(shares["positive"] / shares["negative"]).sort_values()


def frozen_embedding(embedding_matrix: np.ndarray, *, mask_zero: bool = False) -> keras.layers.Embedding:
    """Return an Embedding layer holding a pretrained matrix, not trained."""
    vocab_size, embedding_dim = embedding_matrix.shape
    return keras.layers.Embedding(
        vocab_size, embedding_dim, embeddings_initializer=keras.initializers.Constant(embedding_matrix),
        trainable=False, mask_zero=mask_zero,
    )


def concatenated_vectors_classifier(
    embedding_matrix: np.ndarray, *, maxlen: int = MAX_TWEET_TOKENS, hidden_units: int = 64, dropout: float = 0.3
) -> keras.Model:
    """Return a compiled model: the word vectors of a zero-padded tweet concatenated, then a dense network."""
    model = keras.Sequential(
        [
            keras.Input(shape=(maxlen,), dtype="int32"),
            frozen_embedding(embedding_matrix),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="concatenated_glove_dense",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def convolution_classifier(
    embedding_matrix: np.ndarray, *, filters: int = 128, kernel_size: int = 3, dropout: float = 0.3
) -> keras.Model:
    """Return a compiled model: a 1D convolution over the word vectors, max-pooled over the tweet, then Dense."""
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            frozen_embedding(embedding_matrix),
            keras.layers.Conv1D(filters, kernel_size, padding="same", activation="relu"),
            keras.layers.GlobalMaxPooling1D(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name=f"glove_conv1d_{filters}x{kernel_size}",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def ngram_logistic_regression(token_lists: Iterable[Sequence[str]], *, max_features: int = 100_000) -> keras.Model:
    """Return a compiled logistic regression on unigram and bigram presence, reading space-joined tokens."""
    vectorizer = keras.layers.TextVectorization(
        max_tokens=max_features, standardize=None, split="whitespace", ngrams=2, output_mode="multi_hot"
    )
    vectorizer.adapt(join_tokens(token_lists))
    model = keras.Sequential(
        [keras.Input(shape=(), dtype="string"), vectorizer, keras.layers.Dense(1, activation="sigmoid")],
        name="unigram_bigram_logistic_regression",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def bag_of_vectors_classifier(
    train_vectors: np.ndarray, *, hidden_units: int = 64, dropout: float = 0.3
) -> keras.Model:
    """Return a compiled Normalization -> Dense(relu) -> Dropout -> Dense(1, sigmoid) model on tweet vectors."""
    normalization = keras.layers.Normalization()
    normalization.adapt(train_vectors)
    model = keras.Sequential(
        [
            keras.Input(shape=(train_vectors.shape[1],)),
            normalization,
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="bag_of_glove_dense",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def join_tokens(token_lists: Iterable[Sequence[str]]) -> list[str]:
    """Return each token list joined by spaces, the input of a whitespace-splitting TextVectorization."""
    return [" ".join(tokens) for tokens in token_lists]


def text_dataset(
    token_lists: Sequence[Sequence[str]], labels: np.ndarray, *, batch_size: int, shuffle: bool = False
) -> tf.data.Dataset:
    """Return batches of (space-joined tokens, float label) for a model that vectorizes text itself."""
    dataset = tf.data.Dataset.from_tensor_slices((join_tokens(token_lists), np.asarray(labels, dtype="float32")))
    return (dataset.shuffle(len(token_lists), seed=SEED) if shuffle else dataset).batch(batch_size)


def make_tweet_vectorizer(
    token_lists: Iterable[Sequence[str]], *, vocab_size: int = VOCAB_SIZE
) -> keras.layers.TextVectorization:
    """Return a TextVectorization adapted on tokenised tweets: no standardization, split on spaces."""
    vectorizer = keras.layers.TextVectorization(max_tokens=vocab_size, standardize=None, split="whitespace")
    vectorizer.adapt(join_tokens(token_lists))
    return vectorizer


def encode_tweets(
    texts: Iterable[str], vectorizer: keras.layers.TextVectorization, maxlen: int = MAX_TWEET_TOKENS
) -> np.ndarray:
    """Return raw tweets as an int32 (n, maxlen) matrix of token ids, truncated and zero-padded at the end."""
    return vectorize(join_tokens(tweet_tokens(text) for text in texts), vectorizer, maxlen)


RECURRENT_LAYERS = {
    "lstm": lambda units, **dropouts: keras.layers.LSTM(units, **dropouts),
    "gru": lambda units, **dropouts: keras.layers.GRU(units, **dropouts),
    "bilstm": lambda units, **dropouts: keras.layers.Bidirectional(keras.layers.LSTM(units, **dropouts)),
}


def tweet_rnn(
    embedding_matrix: np.ndarray,
    *,
    recurrent: str = "lstm",
    units: int = 100,
    dropout: float = 0.2,
    recurrent_dropout: float = 0.2,
    trainable_embedding: bool = True,
) -> keras.Model:
    """Return the compiled classic tweet model: Embedding (from a matrix), Dropout(0.5), LSTM/GRU/BiLSTM, Dense."""
    if recurrent not in RECURRENT_LAYERS:
        raise ValueError(f"recurrent must be one of {sorted(RECURRENT_LAYERS)}, not {recurrent!r}.")
    vocab_size, embedding_dim = embedding_matrix.shape
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(
                vocab_size,
                embedding_dim,
                embeddings_initializer=keras.initializers.Constant(embedding_matrix),
                trainable=trainable_embedding,
                mask_zero=True,
            ),
            keras.layers.Dropout(0.5),
            RECURRENT_LAYERS[recurrent](units, dropout=dropout, recurrent_dropout=recurrent_dropout),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name=f"{recurrent}_{units}",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def mean_embedding_classifier(embedding_matrix: np.ndarray, *, trainable_embedding: bool = True) -> keras.Model:
    """Return tweet_rnn's order-blind twin: its Embedding and Dropout, the masked mean over tokens, Dense(1, sigmoid)."""
    vocab_size, embedding_dim = embedding_matrix.shape
    model = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(
                vocab_size,
                embedding_dim,
                embeddings_initializer=keras.initializers.Constant(embedding_matrix),
                trainable=trainable_embedding,
                mask_zero=True,
            ),
            keras.layers.Dropout(0.5),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="mean_embedding",
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray) -> pd.DataFrame:
    """Return the 2x2 table of counts: rows are true sentiments, columns predicted ones."""
    table = pd.crosstab(
        pd.Categorical(np.asarray(labels), categories=[0, 1]),
        pd.Categorical(np.asarray(predictions), categories=[0, 1]),
        dropna=False,
    )
    table.index = pd.Index([f"true {name}" for name in SENTIMENT_NAMES])
    table.columns = pd.Index([f"predicted {name}" for name in SENTIMENT_NAMES])
    return table


def plot_confusion_matrices(splits: dict[str, tuple[np.ndarray, np.ndarray]], name: str, title: str = ""):
    """Plot one confusion matrix (counts and row percentages) per {split: (labels, predictions)}; save and return it."""
    fig, axes = plt.subplots(1, len(splits), figsize=(4.2 * len(splits), 3.8), squeeze=False)
    for axis, (split, (labels, predictions)) in zip(axes[0], splits.items()):
        counts = confusion_matrix(labels, predictions).to_numpy()
        shares = counts / counts.sum(axis=1, keepdims=True)
        axis.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        for row in range(2):
            for column in range(2):
                color = "white" if shares[row, column] > 0.5 else "black"
                label = f"{counts[row, column]}\n({shares[row, column]:.0%})"
                axis.text(column, row, label, ha="center", va="center", color=color)
        accuracy = np.trace(counts) / counts.sum()
        axis.set_title(f"{split}: accuracy {accuracy:.1%}")
        axis.set_xticks([0, 1], [f"predicted\n{sentiment}" for sentiment in SENTIMENT_NAMES])
        axis.set_yticks([0, 1], [f"true\n{sentiment}" for sentiment in SENTIMENT_NAMES])
    fig.suptitle(title or name)
    save_fig(name, fig)
    return fig


def most_wrong(texts: Sequence[str], labels: np.ndarray, probabilities: np.ndarray, k: int = 10) -> pd.DataFrame:
    """Return the k examples whose predicted probability of "positive" is furthest from their label, worst first."""
    frame = pd.DataFrame(
        {"text": list(texts), "label": np.asarray(labels), "p_positive": np.asarray(probabilities).ravel()}
    )
    frame["error"] = (frame["label"] - frame["p_positive"]).abs()
    return frame.sort_values("error", ascending=False, kind="stable").head(k)
