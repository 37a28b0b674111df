"""Notebook 01's exercise checks, fed right and wrong answers on a few hand-made tweets."""
import pytest
from nltk.stem import PorterStemmer

from utils import text as textprep
from utils.exercises import WrongAnswer
from utils.exercises import preprocessing as checks

STOP_WORDS = frozenset({"i", "the", "not", "no", "is", "don't"})
TOKEN_LISTS = [["i", "do", "not", "like", "the", "film"], ["the", "food", "is", "good"], ["i", "don't", "care"]]
TWEETS = ["@mike I was studying for hours #exams", "Loving the #sunshine and the sunshine loves me http://t.co/x",
          "C# is fun #coding #fun"]


def test_stop_words_dropped_accepts_a_function_that_keeps_negations():
    def drop_stop_words(tokens):
        return [token for token in tokens if token not in STOP_WORDS or textprep.is_negation(token)]

    assert "3 tweets" in checks.stop_words_dropped(drop_stop_words, TOKEN_LISTS, STOP_WORDS)


@pytest.mark.parametrize("wrong", [list, lambda tokens: [token for token in tokens if token not in STOP_WORDS]])
def test_stop_words_dropped_rejects_the_stub_and_a_function_that_drops_negations(wrong):
    with pytest.raises(WrongAnswer, match="negation"):
        checks.stop_words_dropped(wrong, TOKEN_LISTS, STOP_WORDS)


def test_tweets_stemmed_accepts_porter_stems_and_reports_the_shrink():
    def stem_tweet(text):
        return textprep.stem_tokens(textprep.tokenize_tweet(text))

    assert "shrinks from" in checks.tweets_stemmed(stem_tweet, TWEETS)


@pytest.mark.parametrize("wrong", [textprep.tokenize_tweet,
                                   lambda text: [PorterStemmer().stem(t) for t in textprep.tokenize_tweet(text) if t[0] != "<"]])
def test_tweets_stemmed_rejects_unstemmed_tokens_and_dropped_placeholders(wrong):
    with pytest.raises(WrongAnswer):
        checks.tweets_stemmed(wrong, TWEETS)


def test_hashtags_removed_accepts_removing_the_sign_and_counts_merged_hashtags():
    token_lists = [textprep.tokenize_tweet(text) for text in TWEETS]
    remark = checks.hashtags_removed(lambda text: text.replace("#", ""), TWEETS, token_lists)
    assert remark.startswith("2 of the 4 hashtags") and "'sunshine'" in remark


@pytest.mark.parametrize("wrong", [lambda text: text, lambda text: text.replace("#", " "),
                                   lambda text: text.replace("#", "").lower()])
def test_hashtags_removed_rejects_kept_hashtags_and_other_changes(wrong):
    with pytest.raises(WrongAnswer):
        checks.hashtags_removed(wrong, TWEETS, [])
