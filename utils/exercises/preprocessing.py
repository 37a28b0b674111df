"""Checks of notebook 01's exercises (text preprocessing)."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from utils import text as textprep
from utils.exercises import require

HASHTAG = re.compile(r"(?<!\S)#\w")


def stop_words_dropped(
    drop_stop_words: Callable[[list[str]], list[str]], token_lists: Sequence[list[str]], stop_words: Collection[str]
) -> str:
    """Check drop_stop_words against textprep.remove_stopwords (negations kept) on token_lists."""
    keep = {word for word in stop_words if textprep.is_negation(word)}
    for tokens in token_lists:
        expected = textprep.remove_stopwords(tokens, stop_words, keep=keep)
        got = list(drop_stop_words(list(tokens)))
        require(got == expected, f"on {tokens} your function returns {got}, expected {expected}: drop the stop words, "
                                 "keep every negation (textprep.is_negation) and the order of the other tokens")
    return f"same tokens as textprep.remove_stopwords on {len(token_lists)} tweets"


def tweets_stemmed(stem_tweet: Callable[[str], list[str]], texts: Sequence[str]) -> str:
    """Check stem_tweet against tokenize_tweet + stem_tokens on texts; return how much the vocabulary shrinks."""
    tokens, stems = set(), set()
    for text in texts:
        expected = textprep.stem_tokens(textprep.tokenize_tweet(text))
        got = list(stem_tweet(text))
        require(got == expected, f"on {text!r} your function returns {got}, expected {expected}: tokenize with "
                                 "textprep.tokenize_tweet, stem with the Porter stemmer, leave tokens starting with '<'")
        tokens.update(textprep.tokenize_tweet(text))
        stems.update(got)
    return f"on these {len(texts)} tweets the vocabulary shrinks from {len(tokens):,} to {len(stems):,} entries"


def hashtags_removed(remove_hashtags: Callable[[str], str], texts: Sequence[str], token_lists: Sequence[list[str]]) -> str:
    """Check that remove_hashtags removes only '#' signs and leaves no hashtag; return how many hashtags merge."""
    for text in texts:
        got = remove_hashtags(text)
        require(not HASHTAG.search(got), f"{got!r} still contains a hashtag: remove the '#' in front of words")
        require(got.replace("#", "") == text.replace("#", ""),
                f"{text!r} became {got!r}: remove the '#' signs and change nothing else")
    hashtags = {token[1:] for tokens in token_lists for token in tokens if HASHTAG.match(token)}
    words = {token for tokens in token_lists for token in tokens if not token.startswith("#")}
    merged = sorted(hashtags & words)
    return f"{len(merged):,} of the {len(hashtags):,} hashtags merge with a word already in the tweets, e.g. {merged[:5]}"
