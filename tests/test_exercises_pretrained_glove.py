"""Notebook 06's exercise checks, fed right and wrong answers built from tiny models and vectors."""
import keras
import numpy as np
import pytest
from gensim.models import KeyedVectors

from utils import models, stats
from utils.exercises import WrongAnswer
from utils.exercises import pretrained_glove as checks

MAXLEN = 3


def tiny_glove_matrix() -> np.ndarray:
    """Return an 8-word, 8-dimension 'GloVe' matrix whose rows 0 and 1 (padding, [UNK]) are zeros."""
    matrix = np.random.default_rng(0).normal(size=(8, 8)).astype("float32")
    matrix[:2] = 0
    return matrix


def tiny_reviews():
    """Return 32 reviews of 3 ids labelled by whether they hold word 2, and their labels."""
    x = np.random.default_rng(1).integers(2, 8, size=(32, MAXLEN)).astype("int32")
    return x, (x == 2).any(axis=1).astype("float32")


def trained(model: keras.Model, epochs: int = 3) -> keras.Model:
    """Return model after fitting it on the tiny reviews."""
    x, y = tiny_reviews()
    model.fit(x, y, epochs=epochs, verbose=0)
    return model


def test_missing_words_wants_exactly_the_words_without_a_vector():
    vectors = KeyedVectors(vector_size=3)
    vectors.add_vectors(["dont", "its"], np.ones((2, 3)))
    candidates = ["dont", "cant", "its", "10/10"]
    assert checks.missing_words({"cant", "10/10"}, candidates, vectors) == "2 of 4 have no vector"
    for wrong in ({"cant", "its", "10/10"}, {"cant"}, ["cant", "10/10"]):
        with pytest.raises(WrongAnswer):
            checks.missing_words(wrong, candidates, vectors)


def test_fine_tuned_wants_the_rows_that_training_moved():
    keras.utils.set_random_seed(0)
    matrix = tiny_glove_matrix()
    x, y = tiny_reviews()
    model = trained(models.glove_flatten(matrix, maxlen=MAXLEN, trainable=True))
    assert "6 of 8 rows moved" in checks.fine_tuned(6, model, matrix, x, y, 0.5)  # ids 0 and 1 never occur
    with pytest.raises(WrongAnswer, match="not every row moved"):
        checks.fine_tuned(8, model, matrix, x, y, 0.5)
    with pytest.raises(WrongAnswer, match="count the rows"):
        checks.fine_tuned(5, model, matrix, x, y, 0.5)
    with pytest.raises(WrongAnswer, match="frozen"):
        frozen = trained(models.glove_flatten(matrix, maxlen=MAXLEN))
        checks.fine_tuned(6, frozen, matrix, x, y, 0.5)
    with pytest.raises(WrongAnswer, match="train the model"):
        untrained = models.glove_flatten(matrix, maxlen=MAXLEN, trainable=True)
        checks.fine_tuned(6, untrained, matrix, x, y, 0.5)
    with pytest.raises(WrongAnswer, match="far from GloVe"):
        random = trained(models.glove_flatten(None, maxlen=MAXLEN, vocab_size=8, embedding_dim=8))
        checks.fine_tuned(6, random, matrix, x, y, 0.5)


def pooled(matrix: np.ndarray, head: keras.layers.Layer, trainable: bool = False) -> keras.Model:
    """Return a compiled Embedding(matrix) -> head -> Dense(1, sigmoid) model."""
    model = keras.Sequential([
        keras.Input(shape=(MAXLEN,), dtype="int32"),
        keras.layers.Embedding(*matrix.shape, weights=[matrix], trainable=trainable),
        head,
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def always_negative() -> keras.Model:
    """Return a model whose sigmoid output is about 0 for every review: right exactly on the negative ones."""
    return keras.Sequential([keras.Input(shape=(MAXLEN,)), keras.layers.Dense(
        1, activation="sigmoid", kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(-10.0))])


def test_pooled_head_wants_frozen_glove_averaged_and_better_than_flatten_by_a_paired_test():
    keras.utils.set_random_seed(0)
    matrix = tiny_glove_matrix()
    x, y = tiny_reviews()
    model, reference = trained(pooled(matrix, keras.layers.GlobalAveragePooling1D()), epochs=60), always_negative()
    right, reference_right = checks.right_answers(model, x, y), checks.right_answers(reference, x, y)
    assert right.mean() > 0.9 and reference_right.mean() == pytest.approx(1 - y.mean())
    assert checks.pooled_head(model, matrix, x, y, reference) == (
        f"pooled {right.mean():.4f} against Flatten {reference_right.mean():.4f} on the 32 validation reviews "
        f"({stats.paired_test(right, reference_right)}): a measurable gain")
    few = slice(0, 12)  # 5 reviews right only for the pooled model: McNemar p = 2 / 2**5 = 0.0625
    assert checks.pooled_head(model, matrix, x[few], y[few], reference).endswith(
        "McNemar exact p = 0.0625): no measurable difference at this size")
    with pytest.raises(WrongAnswer, match="not above"):
        checks.pooled_head(model, matrix, x, y, model)
    with pytest.raises(WrongAnswer, match="GlobalAveragePooling1D"):
        checks.pooled_head(trained(pooled(matrix, keras.layers.Flatten())), matrix, x, y, reference)
    with pytest.raises(WrongAnswer, match="freeze it"):
        checks.pooled_head(pooled(matrix, keras.layers.GlobalAveragePooling1D(), trainable=True), matrix, x, y,
                           reference)
