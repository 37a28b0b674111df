"""Tests for utils.embeddings: distances and matrices checked against gensim, scipy and Keras."""

import re

import keras
import numpy as np
import pytest
import scipy.stats
from gensim.models import KeyedVectors, Word2Vec
from gensim.utils import simple_preprocess
from numpy.testing import assert_allclose
from scipy.spatial.distance import cdist

import utils
from utils.embeddings import (
    ANALOGY_QUESTIONS,
    WORDSIM353,
    EpochLogger,
    analogy_correct,
    benchmark,
    cosine_similarity,
    embedding_matrix,
    euclidean_distance,
    load_analogy_questions,
    neighbours_table,
    pca_2d,
    project_on_direction,
    tokenize,
    unit_direction,
    vocabulary_coverage,
    word_pair_similarities,
)

WORD_PAIRS = [("king", "queen"), ("frog", "toad"), ("paris", "banana"), ("good", "bad")]


@pytest.fixture(scope="module")
def glove() -> KeyedVectors:
    return utils.load_glove()


@pytest.fixture(scope="module")
def reviews() -> list[str]:
    texts, _ = utils.load_imdb("train", limit=200)
    return texts


@pytest.fixture
def tiny_vectors() -> KeyedVectors:
    vectors = KeyedVectors(vector_size=3)
    vectors.add_vectors(["good", "bad"], np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], dtype=np.float32))
    return vectors


@pytest.mark.parametrize(("first", "second"), WORD_PAIRS)
def test_cosine_similarity_matches_gensim(glove, first, second):
    assert_allclose(cosine_similarity(glove[first], glove[second]), glove.similarity(first, second), rtol=1e-5)


def test_cosine_similarity_against_many_rows_matches_gensim(glove):
    rows = glove.vectors[:2_000]
    expected = KeyedVectors.cosine_similarities(glove["frog"], rows)
    assert_allclose(cosine_similarity(glove["frog"], rows), expected, rtol=1e-5, atol=1e-6)


def test_cosine_similarity_ignores_magnitude_but_euclidean_does_not(glove):
    king, queen = glove["king"], glove["queen"]
    assert_allclose(cosine_similarity(king, 7.5 * queen), cosine_similarity(king, queen), rtol=1e-6)
    assert euclidean_distance(king, 7.5 * queen) > 2 * euclidean_distance(king, queen)


def test_euclidean_distance_matches_scipy(glove):
    words = [word for pair in WORD_PAIRS for word in pair]
    matrix = np.stack([glove[word] for word in words]).astype(np.float64)
    expected = cdist(matrix, matrix, metric="euclidean")
    actual = np.array([[euclidean_distance(a, b) for b in matrix] for a in matrix])
    assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)
    assert_allclose(euclidean_distance(matrix[0], matrix), expected[0], rtol=1e-10, atol=1e-12)


def test_embedding_matrix_on_a_hand_made_vocabulary(tiny_vectors):
    matrix, coverage = embedding_matrix(["", "[UNK]", "good", "unknownword", "bad"], tiny_vectors)
    assert matrix.shape == (5, 3) and matrix.dtype == np.float32
    assert_allclose(matrix[2], tiny_vectors["good"])
    assert_allclose(matrix[4], tiny_vectors["bad"])
    assert not matrix[[0, 1, 3]].any()
    assert coverage == pytest.approx(2 / 3)


def test_vocabulary_coverage_counts_distinct_words_and_running_tokens(tiny_vectors):
    coverage = vocabulary_coverage([["good", "good", "good", "film"], ["bad", "film."]], tiny_vectors)
    assert coverage == {"distinct words": 4, "words covered": pytest.approx(2 / 4), "tokens covered": pytest.approx(4 / 6)}


def test_vocabulary_coverage_of_no_tokens_is_zero(tiny_vectors):
    assert vocabulary_coverage([[], []], tiny_vectors) == {"distinct words": 0, "words covered": 0.0, "tokens covered": 0.0}


def test_embedding_matrix_of_an_adapted_vectorizer_feeds_keras_embedding(glove, reviews):
    vectorizer = keras.layers.TextVectorization(max_tokens=2_000)
    vectorizer.adapt(reviews)
    vocabulary = vectorizer.get_vocabulary()
    matrix, coverage = embedding_matrix(vocabulary, glove)
    assert matrix.shape == (len(vocabulary), glove.vector_size)

    words = vocabulary[2:]
    expected_coverage = sum(word in glove.key_to_index for word in words) / len(words)
    assert coverage == pytest.approx(expected_coverage)
    assert coverage > 0.9

    embedding = keras.layers.Embedding(len(vocabulary), glove.vector_size, embeddings_initializer=keras.initializers.Constant(matrix))
    sentence = "the movie was great"
    token_ids = vectorizer([sentence])
    looked_up = keras.ops.convert_to_numpy(embedding(token_ids))[0]
    assert_allclose(looked_up, np.stack([glove[word] for word in sentence.split()]))


def test_unit_direction_has_unit_norm_and_points_from_negative_to_positive(glove):
    direction = unit_direction(glove, "he", "she")
    assert np.linalg.norm(direction) == pytest.approx(1.0)
    assert_allclose(direction * np.linalg.norm(glove["he"] - glove["she"]), glove["he"] - glove["she"], rtol=1e-5, atol=1e-6)


def test_projection_equals_cosine_with_the_direction(glove):
    direction = unit_direction(glove, "he", "she")
    words = ["nurse", "engineer", "he", "she"]
    projections = project_on_direction(glove, words, direction)
    assert list(projections.values) == sorted(projections.values)
    for word in words:
        assert projections[word] == pytest.approx(cosine_similarity(glove[word], direction), rel=1e-5)
    assert projections["he"] > 0 > projections["she"]


def test_pca_2d_matches_the_top_eigenvectors_of_the_covariance(glove):
    points = np.stack([glove[word] for pair in WORD_PAIRS for word in pair]).astype(np.float64)
    coordinates = pca_2d(points)
    centered = points - points.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centered, rowvar=False))
    top_two = eigenvectors[:, np.argsort(eigenvalues)[::-1][:2]]
    expected = centered @ top_two
    signs = np.sign(np.sum(coordinates * expected, axis=0))
    assert_allclose(coordinates * signs, expected, rtol=1e-6, atol=1e-8)
    assert coordinates[:, 0].var() >= coordinates[:, 1].var()


def test_tokenize_strips_html_breaks_and_lowercases(reviews):
    with_breaks = [text for text in reviews if "<br />" in text][:20]
    assert with_breaks, "IMDb reviews contain <br /> tags"
    tokenized = tokenize(with_breaks)
    assert all("br" not in tokens for tokens in tokenized)
    assert all(token == token.lower() for tokens in tokenized for token in tokens)
    assert tokenized[0] == simple_preprocess(with_breaks[0].replace("<br />", " "))


def test_neighbours_table_lists_gensim_neighbours_per_model(glove, tiny_vectors):
    table = neighbours_table({"glove": glove, "tiny": tiny_vectors}, ["frog", "good"], topn=3)
    assert list(table.columns) == ["glove", "tiny"] and list(table.index) == ["frog", "good"]
    assert table.loc["frog", "glove"] == ", ".join(word for word, _ in glove.most_similar("frog", topn=3))
    assert table.loc["frog", "tiny"] == "(not in vocabulary)"
    assert table.loc["good", "tiny"] == "bad"


def test_load_analogy_questions_reads_mikolovs_sections():
    questions = load_analogy_questions()
    assert len(questions) == 19_544
    assert questions["section"].nunique() == 14
    assert questions["kind"].value_counts().to_dict() == {"syntactic": 10_675, "semantic": 8_869}
    assert questions.iloc[0].tolist() == ["capital-common-countries", "athens", "greece", "baghdad", "iraq", "semantic"]


def test_analogy_correct_agrees_with_gensim(glove, tmp_path):
    sections = {"capital-world": 60, "family": 60, "gram3-comparative": 60, "gram8-plural": 60}
    lines, section = [], ""
    counts = dict.fromkeys(sections, 0)
    with open(ANALOGY_QUESTIONS, encoding="utf-8") as source:
        for line in source:
            if line.startswith(":"):
                section = line[2:].strip()
                if section in sections:
                    lines.append(line)
            elif section in sections and counts[section] < sections[section]:
                lines.append(line)
                counts[section] += 1
    path = tmp_path / "questions.txt"
    path.write_text("".join(lines), encoding="utf-8")

    _, gensim_sections = glove.evaluate_word_analogies(str(path), restrict_vocab=30_000)
    gensim_correct = {tuple(word.lower() for word in question) for question in gensim_sections[-1]["correct"]}
    gensim_answered = gensim_correct | {tuple(word.lower() for word in q) for q in gensim_sections[-1]["incorrect"]}

    questions = load_analogy_questions(str(path))
    correct = analogy_correct(glove, questions, restrict_vocab=30_000, batch_size=37)
    as_tuples = questions.loc[correct.index, ["a", "b", "c", "expected"]].apply(tuple, axis=1)
    assert set(as_tuples) == gensim_answered
    assert set(as_tuples[correct.to_numpy()]) == gensim_correct
    assert 0 < len(gensim_correct) < len(gensim_answered)


def test_benchmark_reports_gensims_wordsim353_correlation(glove):
    questions = load_analogy_questions().groupby("section").head(20)
    scores = benchmark(glove, questions)
    _, spearman, _ = glove.evaluate_word_pairs(WORDSIM353)
    assert scores["wordsim353"] == pytest.approx(spearman.statistic)
    assert 0 < scores["semantic"] < 1 and 0 < scores["syntactic"] < 1 and 0 < scores["answerable"] <= 1


def test_epoch_logger_prints_one_line_per_word2vec_epoch(capsys):
    corpus = [["the", "plot", "was", "good"], ["the", "acting", "was", "bad"]] * 50
    model = Word2Vec(corpus, vector_size=4, min_count=1, epochs=3, workers=1, seed=0,
                     callbacks=[EpochLogger("tiny CBOW")])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"tiny CBOW epoch {epoch}/3" for epoch in (1, 2, 3)]
    assert all(re.fullmatch(r"tiny CBOW epoch \d/3: \d+\.\d s, [\d,]+ words a second", line) for line in lines)
    assert model.corpus_total_words == 400


def test_word_pair_similarities_reproduce_gensims_wordsim353_correlation(glove, tiny_vectors):
    pairs = word_pair_similarities({"glove": glove})
    _, spearman, oov_percent = glove.evaluate_word_pairs(WORDSIM353)
    assert len(pairs) == round(353 * (1 - oov_percent / 100))
    assert scipy.stats.spearmanr(pairs["human"], pairs["glove"]).statistic == pytest.approx(spearman.statistic)
    assert pairs.loc[pairs["first"].eq("tiger") & pairs["second"].eq("cat"), "human"].item() == pytest.approx(7.35)


def test_word_pair_similarities_keep_only_pairs_every_model_knows(glove, tiny_vectors, tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("# a comment\nGood\tbad\t3.5\ngood\tking\t1.0\n", encoding="utf-8")
    pairs = word_pair_similarities({"glove": glove, "tiny": tiny_vectors}, str(path))
    assert pairs[["first", "second", "human"]].values.tolist() == [["good", "bad", 3.5]]
    assert pairs["tiny"].item() == pytest.approx(cosine_similarity(tiny_vectors["good"], tiny_vectors["bad"]), rel=1e-6)
