"""utils.tweet_scale: the at-scale runs of notebook 11, on a small real sample, and reading their saved results."""
import json

import pytest

import utils
from utils import tweet_scale
from utils.config import DataNotFoundError, data_dir

DATA_DIR = data_dir()
"""The data folder, made absolute before use_profile moves the repository root into a temporary folder."""


def test_runs_both_models_on_each_size_and_the_curve_reads_them_back(use_profile, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(DATA_DIR))
    use_profile("full")
    monkeypatch.setattr(tweet_scale, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(tweet_scale, "VALIDATION_TWEETS", 200)
    sample = utils.load_sentiment140_all(limit=900)
    monkeypatch.setattr(tweet_scale.utils, "load_sentiment140_all", lambda: sample)
    assert tweet_scale.main(["--sizes", "300", "700", "--lstm-epochs", "1", "--logistic-epochs", "1"]) == 0
    runs = tweet_scale.saved_runs()
    assert sorted(runs.index) == sorted(f"{model}_{size}" for model in ("lstm_glove", "unigram_bigram_logistic_regression")
                                        for size in (300, 700))
    assert set(runs["train_size"]) == {300, 700} and runs["test_accuracy"].between(0, 1).all()
    assert (runs["epochs"] == 1).all()


def test_missing_saved_runs_say_how_to_make_them(tmp_path, monkeypatch):
    monkeypatch.setattr(tweet_scale, "RESULTS_DIR", tmp_path)
    with pytest.raises(DataNotFoundError, match="make tweets-at-scale"):
        tweet_scale.saved_runs()
    (tmp_path / f"{tweet_scale.NOTEBOOK}.json").write_text(json.dumps([]))
    with pytest.raises(KeyError):
        tweet_scale.saved_runs()
