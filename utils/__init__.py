"""The course's shared code: configuration, data loaders, sequences, training results, lecture mode and plots."""
import os

# 3: not even TensorFlow's C++ "errors" at start-up and first use on a CPU (no CUDA driver; oneDNN without AVX-512 for
# booleans), which are notes, not failures; real failures still raise Python exceptions.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from utils.config import quiet_native_stderr  # noqa: E402

with quiet_native_stderr():
    import tensorflow  # noqa: E402, F401  (imported once here, without its CUDA start-up chatter)

from utils.config import PROFILE, SAMPLE_REVIEWS, SEED, VOCAB_SIZE, setup_notebook
from utils.data import (
    DataNotFoundError,
    ensure_nltk,
    load_glove,
    load_imdb,
    load_imdb_unsup,
    load_imdb_word_index,
    load_sentiment140,
    load_sentiment140_all,
)
from utils.plots import plot_history, save_fig
from utils.trained import fit_or_load, reused_or_built
from utils.training import EpochTimer, record_result, results_table
from utils import sequences

__all__ = [
    "PROFILE",
    "SAMPLE_REVIEWS",
    "SEED",
    "VOCAB_SIZE",
    "DataNotFoundError",
    "EpochTimer",
    "ensure_nltk",
    "fit_or_load",
    "load_glove",
    "load_imdb",
    "load_imdb_unsup",
    "load_imdb_word_index",
    "load_sentiment140",
    "load_sentiment140_all",
    "plot_history",
    "record_result",
    "results_table",
    "reused_or_built",
    "save_fig",
    "sequences",
    "setup_notebook",
]
