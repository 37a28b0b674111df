"""Sentiment140 at scale: the classic LSTM and Go et al.'s unigram + bigram logistic regression on 1.6M tweets.

`make tweets-at-scale` runs it under the full profile; notebook 11 reads its results
(results/11_sentiment140_at_scale.json) as the largest points of its learning curve, because training on 1.6 million
tweets does not fit in a lecture on a CPU. The validation tweets (1% of the file, for the best epoch) and the official
test set are the same for every size.
"""
from __future__ import annotations

import argparse
import time

import pandas as pd

import utils
from utils import tweets
from utils.config import RESULTS_DIR, DataNotFoundError
from utils.embeddings import embedding_matrix
from utils.progress import progress
from utils.sequences import bucketed_dataset
from utils.training import fit_and_record, read_entries

NOTEBOOK = "11_sentiment140_at_scale"
VALIDATION_TWEETS = 16_000
BATCH_SIZE = 256
LOGISTIC_BATCH_SIZE = 512


def saved_runs() -> pd.DataFrame:
    """Return the committed full-profile results of this script, one row per model and size, under any profile."""
    path = RESULTS_DIR / f"{NOTEBOOK}.json"
    if not path.exists():
        raise DataNotFoundError(f"{path.name} is missing from {RESULTS_DIR.name}/: run `make tweets-at-scale` "
                                "(about an hour on 2 CPU cores) to train the models on 1.6 million tweets.")
    columns = ["model", "train_size", "epochs", "seconds_per_epoch", "best_val_accuracy", "test_accuracy"]
    return pd.DataFrame(read_entries(path))[columns].set_index("model")


def main(argv: list[str] | None = None) -> int:
    """Train both models on each size of training set (default: all tweets but the validation ones) and record them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", help="training set sizes (default: every training tweet)")
    parser.add_argument("--lstm-epochs", type=int, default=2)
    parser.add_argument("--logistic-epochs", type=int, default=2)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    all_tweets = utils.load_sentiment140_all()
    test = utils.load_sentiment140("test")
    all_tokens = [tweets.tweet_tokens(text) for text in progress(all_tweets["text"], desc="tokenising")]
    labels = all_tweets["label"].to_numpy()
    validation_tokens, fit_tokens = all_tokens[:VALIDATION_TWEETS], all_tokens[VALIDATION_TWEETS:]
    y_validation, y_fit = labels[:VALIDATION_TWEETS], labels[VALIDATION_TWEETS:]
    test_tokens = [tweets.tweet_tokens(text) for text in test["text"]]
    y_test = test["label"].to_numpy()
    glove = utils.load_glove()
    print(f"tokenised {len(all_tokens):,} tweets in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    for size in args.sizes or [len(fit_tokens)]:
        tokens, y = fit_tokens[:size], y_fit[:size]
        common = dict(dataset="Sentiment140", train_samples=size, patience=1,
                      extra={"train_size": size, "validation_tweets": VALIDATION_TWEETS})
        vectorizer = tweets.make_tweet_vectorizer(tokens)
        glove_matrix, _ = embedding_matrix([str(token) for token in vectorizer.get_vocabulary()], glove)
        datasets = {name: bucketed_dataset(tweets.join_tokens(token_lists), targets, vectorizer,
                                           maxlen=tweets.MAX_TWEET_TOKENS, batch_size=BATCH_SIZE, shuffle=shuffle)
                    for name, token_lists, targets, shuffle in [("train", tokens, y, True),
                                                                 ("validation", validation_tokens, y_validation, False),
                                                                 ("test", test_tokens, y_test, False)]}
        started = time.perf_counter()
        fit_and_record(NOTEBOOK, tweets.tweet_rnn(glove_matrix), datasets["train"], name=f"lstm_glove_{size}",
                       validation_data=datasets["validation"], test_data=datasets["test"], epochs=args.lstm_epochs,
                       **common)
        print(f"LSTM on {size:,} tweets: {(time.perf_counter() - started) / 60:.1f} min", flush=True)
        started = time.perf_counter()
        logistic = tweets.ngram_logistic_regression(tokens)
        fit_and_record(NOTEBOOK, logistic,
                       tweets.text_dataset(tokens, y, batch_size=LOGISTIC_BATCH_SIZE, shuffle=True),
                       name=f"unigram_bigram_logistic_regression_{size}",
                       validation_data=tweets.text_dataset(validation_tokens, y_validation, batch_size=2_048),
                       test_data=tweets.text_dataset(test_tokens, y_test, batch_size=2_048),
                       epochs=args.logistic_epochs, **common)
        print(f"logistic regression on {size:,} tweets: {(time.perf_counter() - started) / 60:.1f} min", flush=True)
    print(f"done in {(time.perf_counter() - start) / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
