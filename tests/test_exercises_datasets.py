"""Notebook 00's exercise checks, fed right and wrong answers on tiny fixtures."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from utils.exercises import WrongAnswer
from utils.exercises import datasets as checks


@pytest.fixture
def vectors() -> KeyedVectors:
    known = KeyedVectors(vector_size=2)
    known.add_vectors(["the", "good"], np.eye(2, dtype=np.float32))
    return known


def test_long_review_share_accepts_the_share_of_test_reviews_over_250_words():
    test_texts = ["word " * 300, "word " * 10, "word " * 251, "word " * 250]
    remark = checks.long_review_share(0.5, test_texts, np.array([300, 10, 20, 30]))
    assert "50.0%" in remark and "25.0%" in remark


@pytest.mark.parametrize("wrong", [0.75, 50.0])
def test_long_review_share_rejects_a_wrong_share(wrong):
    with pytest.raises(WrongAnswer):
        checks.long_review_share(wrong, ["word " * 300, "word " * 10, "word " * 251, "word " * 250], np.array([300]))


TOKENS = [["lol", "the", "haha", "lol", "omg"], ["xoxo", "lol", "haha", "good", "brb", "omg", "lol"], ["haha", "brb"]]


def test_most_frequent_unknown_words_accepts_the_top_five(vectors):
    assert checks.most_frequent_unknown_words(["lol", "haha", "omg", "brb", "xoxo"], TOKENS, vectors).startswith("lol (4)")


@pytest.mark.parametrize("wrong", [["lol", "haha", "omg", "brb"], ["lol", "haha", "omg", "brb", "the"],
                                   ["haha", "lol", "omg", "brb", "xoxo"]])
def test_most_frequent_unknown_words_rejects_short_known_or_misordered_lists(vectors, wrong):
    with pytest.raises(WrongAnswer):
        checks.most_frequent_unknown_words(wrong, TOKENS, vectors)
