"""Word vectors: distances, embedding matrices for Keras, projections and word2vec helpers."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from gensim.models import KeyedVectors, Word2Vec
from gensim.models.callbacks import CallbackAny2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess

SPECIAL_TOKENS = ("", "[UNK]")
ANALOGY_QUESTIONS = datapath("questions-words.txt")
WORDSIM353 = datapath("wordsim353.tsv")


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float | np.ndarray:
    """Return cos(a, b) = a.b / (|a| |b|) along the last axis (a float for two vectors)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    dot = np.sum(a * b, axis=-1)
    similarity = dot / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return float(similarity) if np.ndim(similarity) == 0 else similarity


def euclidean_distance(a: np.ndarray, b: np.ndarray) -> float | np.ndarray:
    """Return |a - b| along the last axis (a float for two vectors)."""
    difference = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    distance = np.sqrt(np.sum(difference * difference, axis=-1))
    return float(distance) if np.ndim(distance) == 0 else distance


def embedding_matrix(vocabulary: Sequence[str], vectors: KeyedVectors) -> tuple[np.ndarray, float]:
    """Return the float32 matrix whose row i is vocabulary[i]'s vector (zeros if none), and the coverage.

    The coverage is the share of words, apart from TextVectorization's "" and "[UNK]", that have a vector.
    """
    matrix = np.zeros((len(vocabulary), vectors.vector_size), dtype=np.float32)
    words = 0
    found = 0
    for index, word in enumerate(vocabulary):
        if word in SPECIAL_TOKENS:
            continue
        words += 1
        if word in vectors.key_to_index:
            matrix[index] = vectors[word]
            found += 1
    coverage = found / words if words else 0.0
    return matrix, coverage


def vocabulary_coverage(token_lists: Iterable[Sequence[str]], vectors: KeyedVectors) -> dict[str, float]:
    """Return the number of distinct words, and the share of them and of all tokens that have a vector."""
    counts = pd.Series([token for tokens in token_lists for token in tokens], dtype=object).value_counts()
    known = np.array([word in vectors.key_to_index for word in counts.index], dtype=bool)
    return {
        "distinct words": len(counts),
        "words covered": float(known.mean()) if len(counts) else 0.0,
        "tokens covered": float(counts[known].sum() / counts.sum()) if len(counts) else 0.0,
    }


def unit_direction(vectors: KeyedVectors, positive: str, negative: str) -> np.ndarray:
    """Return the unit vector pointing from `negative` to `positive` (e.g. "he" - "she")."""
    direction = vectors[positive].astype(np.float64) - vectors[negative].astype(np.float64)
    return direction / np.linalg.norm(direction)


def project_on_direction(vectors: KeyedVectors, words: Iterable[str], direction: np.ndarray) -> pd.Series:
    """Return each word's scalar projection of its unit vector on `direction`, sorted ascending."""
    words = list(words)
    unit_vectors = np.stack([vectors.get_vector(word, norm=True) for word in words]).astype(np.float64)
    return pd.Series(unit_vectors @ direction, index=words, name="projection").sort_values()


def pca_2d(points: np.ndarray) -> np.ndarray:
    """Return the (n, 2) coordinates of `points` on their first two principal components (numpy SVD)."""
    centered = np.asarray(points, dtype=np.float64)
    centered = centered - centered.mean(axis=0)
    _, _, components = np.linalg.svd(centered, full_matrices=False)
    return centered @ components[:2].T


def tokenize(texts: Iterable[str]) -> list[list[str]]:
    """Return each text as lowercase word tokens, with "<br />" tags removed (gensim simple_preprocess)."""
    return [simple_preprocess(text.replace("<br />", " ")) for text in texts]


class EpochLogger(CallbackAny2Vec):
    """A gensim callback that prints one line per word2vec epoch: its seconds and the corpus words read a second."""

    def __init__(self, name: str):
        self.name = name
        self.epochs_done = 0
        self.epoch_start = 0.0

    def on_epoch_begin(self, model: Word2Vec) -> None:
        self.epoch_start = time.perf_counter()

    def on_epoch_end(self, model: Word2Vec) -> None:
        seconds = time.perf_counter() - self.epoch_start
        self.epochs_done += 1
        print(f"{self.name} epoch {self.epochs_done}/{model.epochs}: {seconds:.1f} s, "
              f"{model.corpus_total_words / seconds:,.0f} words a second")


def neighbours_table(models: Mapping[str, KeyedVectors], words: Iterable[str], topn: int = 5) -> pd.DataFrame:
    """Return a table of each word's `topn` nearest neighbours (one row per word, one column per model)."""
    rows = {}
    for word in words:
        rows[word] = {
            name: ", ".join(neighbour for neighbour, _ in vectors.most_similar(word, topn=topn))
            if word in vectors.key_to_index
            else "(not in vocabulary)"
            for name, vectors in models.items()
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def load_analogy_questions(path: str = ANALOGY_QUESTIONS) -> pd.DataFrame:
    """Return Mikolov et al.'s analogy questions "a is to b as c is to expected", lowercased, with their section."""
    rows = []
    section = ""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith(":"):
                section = line.lstrip(": ").strip()
            elif line.strip():
                rows.append([section, *line.lower().split()])
    questions = pd.DataFrame(rows, columns=["section", "a", "b", "c", "expected"])
    questions["kind"] = np.where(questions["section"].str.startswith("gram"), "syntactic", "semantic")
    return questions


def analogy_correct(
    vectors: KeyedVectors, questions: pd.DataFrame, restrict_vocab: int = 30_000, batch_size: int = 512
) -> pd.Series:
    """Return whether 3CosAdd (b - a + c on unit vectors, a, b, c excluded) finds `expected`, per answerable question.

    A question is answerable when its four words are among the `restrict_vocab` most frequent (as in gensim).
    """
    unit_vectors = vectors.get_normed_vectors()[:restrict_vocab]
    index = {word: i for i, word in enumerate(vectors.index_to_key[:restrict_vocab])}
    columns = ["a", "b", "c", "expected"]
    known = questions[columns].isin(index.keys()).all(axis=1)
    ids = questions.loc[known, columns].apply(lambda column: column.map(index)).to_numpy()
    correct = np.zeros(len(ids), dtype=bool)
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        targets = unit_vectors[batch[:, 1]] - unit_vectors[batch[:, 0]] + unit_vectors[batch[:, 2]]
        scores = targets @ unit_vectors.T
        np.put_along_axis(scores, batch[:, :3], -np.inf, axis=1)
        correct[start : start + batch_size] = scores.argmax(axis=1) == batch[:, 3]
    return pd.Series(correct, index=questions.index[known], name="correct")


def analogy_accuracy(vectors: KeyedVectors, questions: pd.DataFrame, restrict_vocab: int = 30_000) -> pd.Series:
    """Return the accuracy on semantic, syntactic and all answerable questions, and the share answerable."""
    correct = analogy_correct(vectors, questions, restrict_vocab)
    kinds = questions.loc[correct.index, "kind"]
    return pd.Series(
        {
            "semantic": correct[kinds == "semantic"].mean(),
            "syntactic": correct[kinds == "syntactic"].mean(),
            "total": correct.mean(),
            "answerable": len(correct) / len(questions),
        }
    )


def word_pair_similarities(models: Mapping[str, KeyedVectors], path: str = WORDSIM353) -> pd.DataFrame:
    """Return the human score and each model's cosine of every word pair (tab-separated file) that all models know."""
    pairs = pd.read_csv(path, sep="\t", comment="#", header=None, names=["first", "second", "human"])
    pairs[["first", "second"]] = pairs[["first", "second"]].apply(lambda column: column.str.lower())
    known = np.logical_and.reduce([pairs["first"].isin(vectors.key_to_index) & pairs["second"].isin(vectors.key_to_index)
                                   for vectors in models.values()])
    pairs = pairs[known].reset_index(drop=True)
    for name, vectors in models.items():
        pairs[name] = [float(vectors.similarity(first, second)) for first, second in zip(pairs["first"], pairs["second"])]
    return pairs


def benchmark(vectors: KeyedVectors, questions: pd.DataFrame, restrict_vocab: int = 30_000) -> pd.Series:
    """Return analogy accuracies (see analogy_accuracy) and the WordSim353 Spearman correlation."""
    scores = analogy_accuracy(vectors, questions, restrict_vocab)
    _, spearman, _ = vectors.evaluate_word_pairs(WORDSIM353)
    scores["wordsim353"] = spearman.statistic
    return scores
