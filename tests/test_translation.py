"""The translation lesson's code: Spanish-aware text, teacher forcing, attention against NumPy, decoding and BLEU."""
import keras
import numpy as np
import pytest
import tensorflow as tf
from matplotlib.figure import Figure
from nltk.translate.bleu_score import SmoothingFunction
from nltk.translate.bleu_score import corpus_bleu as nltk_corpus_bleu

from utils import stats, translation

ENGLISH = ["Where is Tom?", "I'm hungry!", "Tom is here.", "Where are you?"]
SPANISH = ["¿Dónde está Tom?", "¡Tengo hambre!", "Tom está aquí.", "¿Dónde estás?"]


def test_standardize_keeps_accents_and_inverted_marks_as_tokens():
    assert translation.tokens(["¿Dónde ESTÁ Tom?", "¡Qué \"día\" —sí!", "I'm here."]) == [
        ["¿", "dónde", "está", "tom", "?"], ["¡", "qué", "día", "sí", "!"], ["i'm", "here", "."]]


@pytest.fixture(scope="module")
def vectorizers():
    """Vectorizers of the tiny parallel corpus above."""
    return (translation.make_vectorizer(ENGLISH, 50),
            translation.make_vectorizer(translation.with_markers(SPANISH), 50))


def test_target_vocabulary_has_the_markers_and_spanish_words(vectorizers):
    _, target = vectorizers
    vocabulary = target.get_vocabulary()
    assert vocabulary[:2] == ["", "[UNK]"]
    for word in (translation.START, translation.END, "¿", "¡", "está", "aquí"):
        assert word in vocabulary
    ids = translation.padded_ids(target, translation.with_markers(["¿Dónde está Tom?"]))[0]
    assert [vocabulary[i] for i in ids] == ["[start]", "¿", "dónde", "está", "tom", "?", "[end]"]


def test_teacher_forcing_shifts_the_target_by_one_word(vectorizers):
    source, target = vectorizers
    dataset = translation.teacher_forcing_dataset(source(ENGLISH), target(translation.with_markers(SPANISH)),
                                                  batch_size=8, shuffle=False)
    seen = 0
    for (source_ids, decoder_input), next_words, weights in dataset:
        decoder_input, next_words, weights = decoder_input.numpy(), next_words.numpy(), weights.numpy()
        np.testing.assert_array_equal(decoder_input[:, 1:][next_words[:, :-1] != 0],
                                      next_words[:, :-1][next_words[:, :-1] != 0])
        assert (decoder_input[:, 0] == target.get_vocabulary().index(translation.START)).all()
        np.testing.assert_array_equal(weights, next_words != 0)
        assert not (next_words == target.get_vocabulary().index(translation.START)).any()
        seen += len(source_ids)
    assert seen == len(ENGLISH)


def test_additive_attention_matches_numpy_and_ignores_padding():
    rng = np.random.default_rng(0)
    queries = rng.normal(size=(3, 4, 6)).astype("float32")
    keys = rng.normal(size=(3, 5, 7)).astype("float32")
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 0, 0, 0, 0]], bool)
    layer = translation.AdditiveAttention(8)
    contexts, weights = (keras.ops.convert_to_numpy(out) for out in layer(queries, keys, mask))
    expected_contexts, expected_weights = translation.additive_attention_forward(
        queries, keys, mask, *(weight.numpy() for weight in layer.weights))
    np.testing.assert_allclose(weights, expected_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(contexts, expected_contexts, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=1e-5)
    assert weights[~np.broadcast_to(mask[:, None, :], weights.shape)].max() < 1e-6
    changed_padding = keys.copy()
    changed_padding[~mask] = 100.0
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(queries, changed_padding, mask)[0]), contexts,
                               rtol=1e-5, atol=1e-5)


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "attention"])
def model(request):
    """A small untrained encoder-decoder, with or without attention."""
    keras.utils.set_random_seed(1)
    return translation.encoder_decoder(30, 40, embedding_dim=8, units=16, attention=request.param)


def test_the_models_differ_only_by_attention_and_the_context_it_adds_to_the_output_state():
    plain, attention = (translation.encoder_decoder(30, 40, embedding_dim=8, units=16, attention=flag)
                        for flag in (False, True))
    layer_names = {layer.name for layer in attention.layers if layer.weights} - {"attention"}
    assert layer_names == {layer.name for layer in plain.layers if layer.weights}
    assert plain.get_layer("output_state").kernel.shape == (16, 16)
    assert attention.get_layer("output_state").kernel.shape == (32, 16)  # [s_t; c_t]
    added = attention.get_layer("attention").count_params() + 16 * 16  # W_q, W_k, b, v and W_c's context columns
    assert attention.count_params() - plain.count_params() == added == 2 * 16 * 16 + 2 * 16 + 16 * 16


def test_source_padding_changes_no_prediction(model):
    source = np.array([[5, 7, 9, 0, 0]])
    decoder_input = np.array([[2, 11, 12]])
    short = keras.ops.convert_to_numpy(model([source[:, :3], decoder_input]))
    long = keras.ops.convert_to_numpy(model([np.pad(source, ((0, 0), (0, 6))), decoder_input]))
    np.testing.assert_allclose(long, short, rtol=1e-4, atol=1e-5)
    assert short.shape == (1, 3, 40)


def test_greedy_decoding_is_the_model_fed_its_own_most_likely_words(model):
    source = np.array([[5, 7, 9, 4], [6, 3, 0, 0]])
    written, weights = translation.greedy_decode(model, source, start_id=2, end_id=3, max_length=6)
    assert (weights is not None) == translation.has_attention(model)
    for row, ids in enumerate(written):
        decoder_input = np.array([[2, *ids[:-1]]])
        logits = keras.ops.convert_to_numpy(model([source[row:row + 1], decoder_input]))[0]
        logits[:, [0, 1, 2]] = -np.inf  # padding, [UNK], [start]
        expected = logits.argmax(axis=-1)
        ended = np.flatnonzero(expected == 3)
        stop = ended[0] + 1 if len(ended) else len(expected)
        np.testing.assert_array_equal(ids[:stop], expected[:stop])
        assert (ids[stop:] == 0).all()
        assert not np.isin(ids[:stop], [0, 1, 2]).any()
    if weights is not None:
        assert weights.shape == (2, written.shape[1], 4)
        np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=1e-5)
        assert weights[1, :, 2:].max() < 1e-6


def test_beam_of_one_is_greedy_and_a_wider_beam_writes_one_translation_per_sentence(model):
    source = np.array([[5, 7, 9, 4], [6, 3, 0, 0], [8, 8, 8, 0]])
    greedy, _ = translation.greedy_decode(model, source, start_id=2, end_id=3, max_length=7)
    beam_one = translation.beam_decode(model, source, start_id=2, end_id=3, max_length=7, beam_width=1)
    np.testing.assert_array_equal(beam_one[:, :greedy.shape[1]], greedy)
    assert (beam_one[:, greedy.shape[1]:] == 0).all()
    wide = translation.beam_decode(model, source, start_id=2, end_id=3, max_length=7, beam_width=4)
    assert wide.shape[0] == 3
    assert all((row == 3).sum() <= 1 and (row[np.argmax(row == 3) + 1:] == 0).all() for row in wide if 3 in row)


def test_words_of_stops_at_the_end_marker():
    vocabulary = ["", "[UNK]", "[start]", "[end]", "hola", "tom"]
    assert translation.words_of(np.array([[4, 5, 3, 4], [1, 0, 0, 0]]), vocabulary) == [["hola", "tom"], ["[UNK]"]]


CORPUS_REFERENCES = [
    [["¿", "dónde", "está", "tom", "?"], ["¿", "dónde", "se", "encuentra", "tom", "?"]],
    [["tengo", "hambre", "."]],
    [["tom", "está", "aquí", "."], ["tom", "se", "encuentra", "aquí", "."]],
    [["hola"]],
]
CORPUS_HYPOTHESES = [["¿", "dónde", "está", "tom", "?"], ["tengo", "mucha", "hambre", "."], ["tom", "aquí"],
                     ["adiós"]]


def nltk_bleu(references, hypotheses):
    """Return NLTK's corpus BLEU with the smoothing the course names."""
    return nltk_corpus_bleu(references, hypotheses, smoothing_function=SmoothingFunction().method1)


def test_bleu_is_nltks_corpus_bleu_on_a_small_corpus_and_on_each_subset():
    assert translation.corpus_bleu(CORPUS_REFERENCES, CORPUS_HYPOTHESES) == pytest.approx(
        nltk_bleu(CORPUS_REFERENCES, CORPUS_HYPOTHESES), rel=1e-9)
    statistics = translation.bleu_statistics(CORPUS_REFERENCES, CORPUS_HYPOTHESES)
    for subset in ([0], [1, 2], [2, 3], [0, 0, 3]):
        expected = nltk_bleu([CORPUS_REFERENCES[i] for i in subset], [CORPUS_HYPOTHESES[i] for i in subset])
        assert translation.bleu_from_statistics(statistics[subset].sum(axis=0)) == pytest.approx(expected, abs=1e-12)


def test_bleu_is_nltks_on_random_sentences():
    rng = np.random.default_rng(3)
    words = ["el", "la", "de", "tom", "es", "casa", "perro", "."]
    references = [[list(rng.choice(words, rng.integers(1, 9))) for _ in range(rng.integers(1, 4))] for _ in range(60)]
    hypotheses = [list(rng.choice(words, rng.integers(0, 9))) for _ in range(60)]
    assert translation.corpus_bleu(references, hypotheses) == pytest.approx(nltk_bleu(references, hypotheses),
                                                                             rel=1e-9)


def test_perfect_and_empty_translations_score_one_and_zero():
    assert translation.corpus_bleu(CORPUS_REFERENCES[:1], [CORPUS_REFERENCES[0][0]]) == pytest.approx(1.0)
    assert translation.corpus_bleu(CORPUS_REFERENCES[:2], [[], []]) == 0.0


def test_bootstrap_interval_of_bleu_brackets_the_corpus_value():
    statistics = translation.bleu_statistics(CORPUS_REFERENCES * 10, CORPUS_HYPOTHESES * 10)
    value = translation.bleu_from_statistics(statistics.sum(axis=0))
    low, high = stats.bootstrap_interval(statistics, lambda rows: translation.bleu_from_statistics(rows.sum(axis=0)),
                                         rounds=200)
    assert low < value < high


def test_top_indices_match_a_stable_full_sort_and_put_the_largest_first():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(50, 300)).round(1)  # rounded: many ties
    scores[:5, 10:] = -np.inf
    expected = np.argsort(-scores, axis=1, kind="stable")[:, :3]
    np.testing.assert_array_equal(np.take_along_axis(scores, translation.top_indices(scores, 3), axis=1),
                                  np.take_along_axis(scores, expected, axis=1))
    assert np.array_equal(translation.top_indices(np.array([[0.1, 0.9, 0.5, 0.9]]), 3), [[1, 3, 2]])


def test_derangement_within_moves_every_index_inside_its_group_and_repeats_with_its_seed():
    groups = np.random.default_rng(0).integers(1, 5, size=200)
    permutation = translation.derangement_within(groups, seed=42)
    assert sorted(permutation) == list(range(200))
    assert not np.any(permutation == np.arange(200))
    assert np.array_equal(groups[permutation], groups)
    assert np.array_equal(permutation, translation.derangement_within(groups, seed=42))
    assert not np.array_equal(permutation, translation.derangement_within(groups, seed=43))
    with pytest.raises(ValueError, match="group 7 has one member"):
        translation.derangement_within(np.array([1, 1, 7]), seed=0)


def test_attention_heatmap_puts_the_source_across_the_written_words_down_and_labels_both_axes():
    weights = np.arange(20, dtype=float).reshape(4, 5) / 20  # a padded row and column beyond the tokens
    axis = Figure().subplots()
    translation.attention_heatmap(axis, weights, ["tom", "is", "here", "."], ["tom", "está", "aquí"])
    np.testing.assert_array_equal(axis.get_images()[0].get_array(), weights[:3, :4])
    assert [label.get_text() for label in axis.get_xticklabels()] == ["tom", "is", "here", "."]
    assert [label.get_text() for label in axis.get_yticklabels()] == ["tom", "está", "aquí"]
    assert axis.get_xlabel() == "English source word" and axis.get_ylabel() == "Spanish word generated"
    assert min(axis.xaxis.label.get_fontsize(), axis.yaxis.label.get_fontsize()) >= 12  # legible on a projector
