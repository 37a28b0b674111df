"""Notebook 03's exercise checks, fed right and wrong answers on a small KeyedVectors."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from utils.exercises import WrongAnswer
from utils.exercises import word_embeddings as checks

WORD_LISTS = [["breakfast", "lunch", "dinner", "frog"], ["frog", "toad", "newt", "lunch"]]


@pytest.fixture(scope="module")
def vectors() -> KeyedVectors:
    small = KeyedVectors(vector_size=3)
    small.add_vectors(
        ["breakfast", "lunch", "dinner", "frog", "toad", "newt", "the"],
        np.array([[1, 0.1, 0], [1, 0.2, 0.1], [0.9, 0, 0.1], [0, 1, 0.1], [0.1, 1, 0], [0, 0.9, 0.2], [5, 5, 5]],
                 dtype=np.float32),
    )
    return small


def test_odd_one_out_accepts_the_word_farthest_from_the_mean(vectors):
    def my_doesnt_match(words):
        units = np.stack([vectors.get_vector(word, norm=True) for word in words])
        return words[int(np.argmin(units @ units.mean(axis=0)))]

    assert "2 lists" in checks.odd_one_out(my_doesnt_match, vectors, WORD_LISTS)


def test_odd_one_out_rejects_the_word_closest_to_the_mean(vectors):
    def closest(words):
        units = np.stack([vectors.get_vector(word, norm=True) for word in words])
        return words[int(np.argmax(units @ units.mean(axis=0)))]

    with pytest.raises(WrongAnswer):
        checks.odd_one_out(closest, vectors, WORD_LISTS)


def test_dot_product_neighbours_accepts_the_largest_dot_products(vectors):
    assert "mean norm" in checks.dot_product_neighbours(["the", "toad", "newt", "lunch", "breakfast"], vectors, "frog")


def test_dot_product_neighbours_rejects_the_cosine_neighbours(vectors):
    cosine = [word for word, _ in vectors.most_similar("frog", topn=5)]
    with pytest.raises(WrongAnswer):
        checks.dot_product_neighbours(cosine, vectors, "frog")


def test_neutralised_accepts_the_vector_without_its_component():
    direction = np.array([0.6, 0.8, 0.0])
    vector = np.array([1.0, 2.0, 3.0])
    assert "removed" in checks.neutralised(vector - (vector @ direction) * direction, vector, direction)


@pytest.mark.parametrize("wrong", [np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 0.0]), np.array([0.8, -0.6, 3.0, 0.0])])
def test_neutralised_rejects_the_unchanged_vector_a_zero_vector_and_a_wrong_shape(wrong):
    with pytest.raises(WrongAnswer):
        checks.neutralised(wrong, np.array([1.0, 2.0, 3.0]), np.array([0.6, 0.8, 0.0]))
