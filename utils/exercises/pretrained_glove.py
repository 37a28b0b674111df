"""Checks of notebook 06's exercises: words GloVe lacks, a fine-tuned GloVe embedding, a pooled head on frozen GloVe."""
from __future__ import annotations

from collections.abc import Iterable

import keras
import numpy as np
from gensim.models import KeyedVectors

from utils import stats
from utils.embeddings import cosine_similarity
from utils.exercises import require, trainable_count


def missing_words(answer: set[str], candidates: Iterable[str], vectors: KeyedVectors) -> str:
    """Check that answer is the set of candidates without a vector in vectors."""
    candidates = list(candidates)
    require(isinstance(answer, set), f"answer with a set of words, e.g. {{{candidates[0]!r}}}, not a {type(answer).__name__}")
    missing = {word for word in candidates if word not in vectors.key_to_index}
    found = answer - missing
    require(not found, f"{sorted(found)} have a vector: look each word up in glove.key_to_index")
    require(answer == missing, f"{len(missing - answer)} more of the candidates have no vector: look them all up "
                               "in glove.key_to_index")
    return f"{len(missing)} of {len(candidates)} have no vector"


def embedding_layer(model: keras.Model) -> keras.layers.Embedding:
    """Return the Embedding layer of model (WrongAnswer if it has none)."""
    embeddings = [layer for layer in model.layers if isinstance(layer, keras.layers.Embedding)]
    require(len(embeddings) == 1, "the model should start with one Embedding layer holding the GloVe matrix")
    return embeddings[0]


def right_answers(model: keras.Model, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return, for each review, whether model's answer is right (a sigmoid output above 0.5 means positive)."""
    return stats.correct(y, model.predict(x, batch_size=1024, verbose=0)[:, 0])


def accuracy_on(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """Return model's accuracy on these reviews (a sigmoid output above 0.5 means positive)."""
    return float(right_answers(model, x, y).mean())


def fine_tuned(answer: int, model: keras.Model | None, glove_matrix: np.ndarray, x_val: np.ndarray,
               y_val: np.ndarray, frozen_val_accuracy: float) -> str:
    """Check answer as the number of embedding rows that training moved away from GloVe in model."""
    require(model is not None, "build and train fine_tuned first: models.glove_flatten(glove_matrix, "
                               "maxlen=MAXLEN, trainable=True), then fit it on the 200 reviews")
    embedding = embedding_layer(model)
    weights = keras.ops.convert_to_numpy(embedding.embeddings)
    require(weights.shape == glove_matrix.shape, f"the embedding is {weights.shape}, the GloVe matrix "
                                                 f"{glove_matrix.shape}: build it from glove_matrix")
    require(embedding.trainable, "the embedding is frozen: pass trainable=True to models.glove_flatten")
    require(not np.allclose(weights, glove_matrix), "the embedding still holds GloVe's vectors exactly: train the "
                                                    "model (fit) after building it")
    known = np.flatnonzero(np.abs(glove_matrix).sum(axis=1) > 0)
    similarity = np.median(cosine_similarity(weights[known], glove_matrix[known]))
    require(similarity > 0.9, "the embedding is far from GloVe's vectors: start it from glove_matrix "
                              "(models.glove_flatten(glove_matrix, ..., trainable=True))")
    moved = int((weights != glove_matrix).any(axis=1).sum())
    require(isinstance(answer, (int, np.integer)), f"answer with an int, not a {type(answer).__name__}")
    require(answer != len(weights) or moved == len(weights), "not every row moved: compare each row of the trained "
                                                             "embedding with the same row of glove_matrix")
    require(answer == moved, "count the rows of the trained embedding that differ from glove_matrix in any column")
    accuracy = accuracy_on(model, x_val, y_val)
    return (f"{moved:,} of {len(weights):,} rows moved, {trainable_count(model):,} parameters trained; validation "
            f"accuracy {accuracy:.4f} against {frozen_val_accuracy:.4f} for the frozen model's best epoch")


def pooled_head(answer: keras.Model, glove_matrix: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
                flatten_model: keras.Model) -> str:
    """Check answer as a trained frozen-GloVe model with a GlobalAveragePooling1D head, paired with Flatten on validation."""
    require(isinstance(answer, keras.Model), f"answer with your trained Keras model, not a {type(answer).__name__}")
    kinds = [type(layer) for layer in answer.layers]
    require(keras.layers.GlobalAveragePooling1D in kinds, "the model has no GlobalAveragePooling1D layer: put it "
                                                          "where Flatten was")
    require(keras.layers.Flatten not in kinds, "the model still has a Flatten layer: replace it by the pooling")
    embedding = embedding_layer(answer)
    require(not embedding.trainable, "the embedding trains: freeze it (trainable=False), the question is about "
                                     "frozen GloVe")
    require(np.array_equal(keras.ops.convert_to_numpy(embedding.embeddings), glove_matrix),
            "the embedding does not hold the GloVe matrix: build it with weights=[glove_matrix]")
    pooled_right, flatten_right = right_answers(answer, x_val, y_val), right_answers(flatten_model, x_val, y_val)
    require(pooled_right.mean() > flatten_right.mean(),
            f"validation accuracy {pooled_right.mean():.4f}, not above Flatten's {flatten_right.mean():.4f} yet: an "
            "average of 100 vectors learns slowly, so train for more epochs and keep the best validation epoch "
            "(EarlyStopping(monitor='val_accuracy', restore_best_weights=True))")
    test = stats.paired_test(pooled_right, flatten_right)
    verdict = "a measurable gain" if test.p_value < 0.05 else "no measurable difference at this size"
    return (f"pooled {pooled_right.mean():.4f} against Flatten {flatten_right.mean():.4f} on the {len(y_val):,} "
            f"validation reviews ({test}): {verdict}")
