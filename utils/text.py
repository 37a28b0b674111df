"""Cleaning and tokenizing tweets: the preprocessing of notebook 01, reused by the Sentiment140 notebooks."""

import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd
from nltk.stem import PorterStemmer, WordNetLemmatizer
from nltk.tokenize import TweetTokenizer

from utils.data import ensure_nltk

URL_TOKEN = "<url>"
USER_TOKEN = "<user>"
NUMBER_TOKEN = "<number>"

URL_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MENTION_PATTERN = re.compile(r"(?<!\w)@\w+")
NORMALIZED_URL_PATTERN = re.compile(r"\bURL\b")
NORMALIZED_MENTION_PATTERN = re.compile(r"\bUSER\b")
"""The placeholders of the normalised Sentiment140 copy (utils.data.normalize_sentiment140_text): URL and USER."""
NUMBER_PATTERN = re.compile(r"(?<![\w<])\d+(?:[.,:]\d+)*\b")
ELONGATION_PATTERN = re.compile(r"([^\W\d_])\1{2,}")
REPEATED_PUNCTUATION_PATTERN = re.compile(r"([!?,;:*])\1+")
ELLIPSIS_PATTERN = re.compile(r"\.{2,}")
ELONGATED_HEART_PATTERN = re.compile(r"<33+")
LATIN1_DECODED_UTF8_PATTERN = re.compile(r"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A UTF-8 byte sequence read as latin-1 characters ("\xe2\x99\xa5" for "\u2665"), as in the Sentiment140 files."""
LOST_APOSTROPHE_PATTERN = re.compile(r"(?<=[^\W\d_])\ufffd(?=(?:s|t|m|d|ll|re|ve)\b)", re.IGNORECASE)
"""U+FFFD before the end of an English contraction ("don\ufffdt", "I\ufffdm"): a lost apostrophe."""
UNPRINTABLE_PATTERN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
"""Control characters (C0 and C1) and U+FFFD, the mark of a character lost before the file was written."""

NEGATION_WORDS = frozenset({"no", "not", "nor", "never", "none", "nobody", "nothing", "neither", "cannot"})

_TWEET_TOKENIZER = TweetTokenizer()
_PORTER_STEMMER = PorterStemmer()


def _utf8_or_unchanged(match: re.Match) -> str:
    """Return the matched latin-1 characters decoded as the UTF-8 bytes they are, or unchanged if they are not."""
    try:
        return match.group().encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def repair_mojibake(text: str) -> str:
    """Return text with UTF-8 read as latin-1 decoded again ("\xe2\x99\xa5" -> "\u2665"), lost apostrophes restored
    and control characters removed."""
    text = LATIN1_DECODED_UTF8_PATTERN.sub(_utf8_or_unchanged, text)
    return UNPRINTABLE_PATTERN.sub("", LOST_APOSTROPHE_PATTERN.sub("'", text))


def replace_urls(text: str) -> str:
    """Return text with every http(s):// or www. link, and the normalised copy's URL, replaced by the token <url>."""
    return NORMALIZED_URL_PATTERN.sub(URL_TOKEN, URL_PATTERN.sub(URL_TOKEN, text))


def replace_mentions(text: str) -> str:
    """Return text with every @username, and the normalised copy's USER, replaced by <user> (e-mails left alone)."""
    return NORMALIZED_MENTION_PATTERN.sub(USER_TOKEN, MENTION_PATTERN.sub(USER_TOKEN, text))


def replace_numbers(text: str) -> str:
    """Return text with every stand-alone number (12, 3.5, 10:30, 1,000) replaced by <number>; the heart <3 stays."""
    return NUMBER_PATTERN.sub(NUMBER_TOKEN, text)


def shorten_elongations(text: str) -> str:
    """Return text with letters repeated three or more times cut to two ("sooooo" -> "soo") and "<333" cut to "<3"."""
    return ELONGATED_HEART_PATTERN.sub("<3", ELONGATION_PATTERN.sub(r"\1\1", text))


def collapse_punctuation(text: str) -> str:
    """Return text with runs of the same punctuation mark cut to one ("!!!" -> "!") and dot runs to "..."."""
    return ELLIPSIS_PATTERN.sub("...", REPEATED_PUNCTUATION_PATTERN.sub(r"\1", text))


def normalize_whitespace(text: str) -> str:
    """Return text with runs of spaces, tabs and newlines cut to one space and no space at either end."""
    return " ".join(text.split())


CLEANING_STEPS: dict[str, Callable[[str], str]] = {
    "repair_mojibake": repair_mojibake,
    "unescape_html": html.unescape,
    "replace_urls": replace_urls,
    "replace_mentions": replace_mentions,
    "lowercase": str.lower,
    "replace_numbers": replace_numbers,
    "shorten_elongations": shorten_elongations,
    "collapse_punctuation": collapse_punctuation,
    "normalize_whitespace": normalize_whitespace,
}


def clean_text(text: str, *, steps: Iterable[str] = tuple(CLEANING_STEPS)) -> str:
    """Return text after the named cleaning steps of CLEANING_STEPS, applied in the order given."""
    for step in steps:
        if step not in CLEANING_STEPS:
            raise ValueError(f"Unknown cleaning step {step!r}; expected one of {list(CLEANING_STEPS)}.")
        text = CLEANING_STEPS[step](text)
    return text


def clean_tweet(text: str) -> str:
    """Return the tweet with every cleaning step applied (HTML entities, <url>, <user>, lowercase, <number> ...)."""
    return clean_text(text)


def tokenize_tweet(text: str) -> list[str]:
    """Return the tokens of the cleaned tweet from NLTK's TweetTokenizer (placeholders such as <url> stay whole)."""
    return _TWEET_TOKENIZER.tokenize(clean_tweet(text))


@functools.cache
def english_stopwords() -> frozenset[str]:
    """Return NLTK's English stop word list (198 words)."""
    ensure_nltk("stopwords")
    from nltk.corpus import stopwords

    return frozenset(stopwords.words("english"))


def is_negation(token: str) -> bool:
    """Return True for a negation word ("not", "no", "never" ...) or a contraction ending in n't ("don't")."""
    return token in NEGATION_WORDS or token.endswith("n't")


def remove_stopwords(
    tokens: Sequence[str], stop_words: Iterable[str] | None = None, *, keep: Iterable[str] = ()
) -> list[str]:
    """Return the tokens that are not stop words (NLTK's English list by default), except those in keep."""
    removed = set(english_stopwords() if stop_words is None else stop_words) - set(keep)
    return [token for token in tokens if token not in removed]


def stem_tokens(tokens: Sequence[str]) -> list[str]:
    """Return the Porter stem of every token (placeholders such as <url> unchanged)."""
    return [token if token.startswith("<") else _porter_stem(token) for token in tokens]


@functools.lru_cache(maxsize=100_000)
def _porter_stem(word: str) -> str:
    """Return the Porter stem of one word, remembered because tweets repeat words."""
    return _PORTER_STEMMER.stem(word)


def lemmatize_tokens(tokens: Sequence[str], pos: str = "n") -> list[str]:
    """Return the WordNet lemma of every token, read as part of speech pos ("n", "v", "a", "r")."""
    ensure_nltk("wordnet")
    lemmatizer = WordNetLemmatizer()
    return [lemmatizer.lemmatize(token, pos=pos) for token in tokens]


def vocabulary_sizes(
    texts: Iterable[str],
    *,
    steps: Iterable[str] = tuple(CLEANING_STEPS),
    token_steps: Mapping[str, Callable[[list[str]], list[str]]] | None = None,
) -> pd.DataFrame:
    """Return a table of distinct tokens and tokens in texts, raw, then after each step added in turn."""
    tokenize = TweetTokenizer(preserve_case=True).tokenize
    current = list(texts)
    token_lists = [tokenize(text) for text in current]
    rows = [("raw", _count_tokens(token_lists))]
    for step in steps:
        cleaned = [clean_text(text, steps=[step]) for text in current]
        token_lists = [
            tokens if new == old else tokenize(new) for old, new, tokens in zip(current, cleaned, token_lists)
        ]
        current = cleaned
        rows.append((step, _count_tokens(token_lists)))
    for name, transform in (token_steps or {}).items():
        token_lists = [transform(tokens) for tokens in token_lists]
        rows.append((name, _count_tokens(token_lists)))
    table = pd.DataFrame(
        [(name, len(vocabulary), total) for name, (vocabulary, total) in rows],
        columns=["step", "vocabulary_size", "tokens"],
    ).set_index("step")
    table["vocabulary_change"] = table["vocabulary_size"].diff().fillna(0).astype(int)
    return table


def _count_tokens(token_lists: Iterable[list[str]]) -> tuple[set[str], int]:
    """Return the set of distinct tokens and the total number of tokens in token_lists."""
    vocabulary: set[str] = set()
    total = 0
    for tokens in token_lists:
        vocabulary.update(tokens)
        total += len(tokens)
    return vocabulary, total
