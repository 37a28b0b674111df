"""Tests for utils.text: tweet cleaning, tokenizing, stop words, stemming and the vocabulary table."""

import re

import pytest
from nltk.tokenize import TweetTokenizer

import utils
from utils import text


@pytest.fixture(scope="module")
def tweets() -> list[str]:
    """A class-stratified sample of real Sentiment140 training tweets."""
    return utils.load_sentiment140("train", limit=1000)["text"].tolist()


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        (
            "@switchfoot http://twitpic.com/2y1zl - Awww, that's a bummer.",
            "<user> <url> - aww, that's a bummer.",
        ),
        ("I'm sooo sad!!! they killed off Kutner  whyyyyyyyy", "i'm soo sad! they killed off kutner whyy"),
        ("watching &quot;House&quot; &amp; eating", 'watching "house" & eating'),
        ("Agh......snow?? at 10:30, 3.5 degrees", "agh...snow? at <number>, <number> degrees"),
        ("see www.diigo.com/~tautao or mail me@home.com", "see <url> or mail me@home.com"),
        ("my 8th run, 20km in 1,000 steps", "my 8th run, 20km in <number> steps"),
        ("love u 2 &lt;3", "love u <number> <3"),
        ("&lt;3", "<3"),
        ("love you &lt;3333", "love you <3"),
        ("I absoultely \xe2\x99\xa5 you", "i absoultely \u2665 you"),
        ("don\xef\xbf\xbdt want to", "don't want to"),
        ("a \xef\xbf\xbdtie\xef\xbf\xbd and a bad \x99 byte", "a tie and a bad byte"),
        ("caf\xe9 in Montr\xe9al", "caf\xe9 in montr\xe9al"),
    ],
)
def test_clean_tweet_examples(raw, cleaned):
    assert text.clean_tweet(raw) == cleaned


def test_clean_text_runs_only_the_named_steps():
    raw = "@Bob LOOOOL  http://x.co"
    assert text.clean_text(raw, steps=[]) == raw
    assert text.clean_text(raw, steps=["lowercase"]) == "@bob looool  http://x.co"
    assert text.clean_text(raw, steps=["replace_mentions", "normalize_whitespace"]) == "<user> LOOOOL http://x.co"


def test_clean_text_rejects_unknown_step():
    with pytest.raises(ValueError, match="replace_urls"):
        text.clean_text("hi", steps=["remove_emoji"])


def test_tokenize_tweet_keeps_placeholders_and_negations_whole():
    tokens = text.tokenize_tweet("@anna I don't like http://t.co/x at ALL, 100 times!!!")
    assert tokens == ["<user>", "i", "don't", "like", "<url>", "at", "all", ",", "<number>", "times", "!"]


def test_cleaning_real_tweets_removes_links_mentions_and_elongations(tweets):
    cleaned = [text.clean_tweet(tweet) for tweet in tweets]
    assert any("http" in tweet for tweet in tweets) and any("@" in tweet for tweet in tweets)
    assert not any(re.search(r"https?://|(?<!\w)@\w", tweet) for tweet in cleaned)
    assert not any(re.search(r"([a-z])\1\1", tweet) for tweet in cleaned)
    assert cleaned == [text.clean_tweet(tweet) for tweet in cleaned], "cleaning twice must change nothing"


def test_no_control_or_replacement_character_survives_cleaning_of_the_training_file():
    texts = utils.load_sentiment140("train")["text"]
    unprintable = re.compile(r"[\x80-\x9f\ufffd]")
    assert texts.str.contains("\xef\xbf\xbd|\x99", regex=True).mean() > 0.002, "the raw file holds mojibake to repair"
    cleaned = texts.map(text.clean_tweet)
    assert not cleaned.str.contains(unprintable).any()
    assert cleaned.str.contains("\u2665").any(), "hearts written as UTF-8 read as latin-1 come back as \u2665"


def test_tokens_of_real_tweets_match_tweet_tokenizer_on_cleaned_text(tweets):
    tokenizer = TweetTokenizer()
    for tweet in tweets[:200]:
        assert text.tokenize_tweet(tweet) == tokenizer.tokenize(text.clean_tweet(tweet))


def test_english_stopwords_is_nltks_list_with_negations():
    stop_words = text.english_stopwords()
    assert len(stop_words) == 198
    assert {"not", "no", "nor", "don't", "the"} <= stop_words


def test_remove_stopwords_can_keep_negations():
    tokens = ["i", "do", "not", "like", "this", "movie"]
    assert text.remove_stopwords(tokens) == ["like", "movie"]
    assert text.remove_stopwords(tokens, keep=text.NEGATION_WORDS) == ["not", "like", "movie"]
    assert text.remove_stopwords(tokens, stop_words={"movie"}) == ["i", "do", "not", "like", "this"]


@pytest.mark.parametrize(
    ("token", "expected"), [("not", True), ("never", True), ("didn't", True), ("nothing", True), ("note", False)]
)
def test_is_negation(token, expected):
    assert text.is_negation(token) is expected


def test_porter_stems_and_wordnet_lemmas():
    words = ["going", "walking", "geese", "studies", "better"]
    assert text.stem_tokens(words + ["<url>"]) == ["go", "walk", "gees", "studi", "better", "<url>"]
    assert text.lemmatize_tokens(words) == ["going", "walking", "goose", "study", "better"]
    assert text.lemmatize_tokens(["going", "walking", "studies"], pos="v") == ["go", "walk", "study"]
    assert text.lemmatize_tokens(["better"], pos="a") == ["good"]


def test_vocabulary_sizes_counts_distinct_tokens_step_by_step():
    texts = ["Good GOOD good!!!", "@ann soooo good http://a.b", "@bob so good"]
    table = text.vocabulary_sizes(
        texts, steps=["lowercase", "replace_mentions"], token_steps={"no_stopwords": text.remove_stopwords}
    )
    assert list(table.index) == ["raw", "lowercase", "replace_mentions", "no_stopwords"]
    raw_tokens = {token for line in texts for token in TweetTokenizer().tokenize(line)}
    assert table.loc["raw", "vocabulary_size"] == len(raw_tokens)
    assert table.loc["lowercase", "vocabulary_size"] == len(raw_tokens) - 2
    assert table.loc["replace_mentions", "vocabulary_size"] == len(raw_tokens) - 3
    assert table.loc["raw", "tokens"] == table.loc["replace_mentions", "tokens"] == 13
    assert table.loc["no_stopwords", "tokens"] == 12
    assert table["vocabulary_change"].sum() == table["vocabulary_size"].iloc[-1] - table["vocabulary_size"].iloc[0]


def test_full_cleaning_shrinks_the_real_tweet_vocabulary(tweets):
    table = text.vocabulary_sizes(tweets)
    assert list(table.index) == ["raw", *text.CLEANING_STEPS]
    assert table["vocabulary_size"].iloc[-1] < 0.85 * table["vocabulary_size"].iloc[0]
    assert table.loc["lowercase", "vocabulary_change"] < 0


def test_the_normalised_copys_placeholders_are_the_cleanings_own():
    assert text.clean_tweet("USER loved it URL") == "<user> loved it <url>"
    assert text.clean_tweet("USER's link: URL!") == "<user>'s link: <url>!"
    assert text.clean_tweet("the URLs and a tinyURL, a user") == "the urls and a tinyurl, a user"


def test_official_and_normalised_tweets_give_the_same_tokens_but_for_a_few_odd_mentions_and_links():
    from utils.data import normalize_sentiment140_text

    texts = utils.load_sentiment140("train")["text"]
    official = texts.map(text.tokenize_tweet)
    normalised = texts.map(normalize_sentiment140_text).map(text.tokenize_tweet)
    differ = texts[official != normalised]
    assert len(differ) <= 0.002 * len(texts)
    assert differ.str.contains(r"\w@\w|@\w+[^\x00-\x7f]|http:/(?!/)").all(), (
        "only an @ glued to a word (an e-mail), a mention running into a non-ASCII character, or a cut link differ")
