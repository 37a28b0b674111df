"""The character language model on small fixtures: text to windows, the step model, generation, Kneser-Ney counts."""
import math

import keras
import numpy as np
import pytest
from numpy.testing import assert_allclose

from utils import language_model as lm

VOCABULARY = list("ab c.")


def small_model(cell: str = "gru") -> keras.Model:
    """Return a seeded, untrained character model with 8 units over VOCABULARY."""
    keras.utils.set_random_seed(0)
    return lm.character_language_model(VOCABULARY, cell=cell, units=8, embedding_dim=4)


def test_clean_review_turns_html_line_breaks_and_space_runs_into_single_spaces():
    assert lm.clean_review(" Great.<br /><br />Really  great\t!<br/>") == "Great. Really great !"


def test_review_stream_ends_every_cleaned_review_with_review_end():
    assert lm.review_stream(["One.<br />Two.", " Three. "]) == "One. Two.\nThree.\n"


def test_drop_duplicates_of_removes_reviews_that_clean_to_a_held_out_one():
    kept = lm.drop_duplicates_of(["Fine.<br />Really.", "Other.", "Fine. Really."], ["Fine.  Really. "])
    assert kept == ["Other."]


def test_character_vocabulary_is_most_frequent_first_and_drops_rare_characters():
    assert lm.character_vocabulary("aaabbc", min_count=2) == ["a", "b"]
    assert lm.character_vocabulary("aaabbc") == ["a", "b", "c"]
    with pytest.raises(ValueError, match="min_count must be a whole number of at least 1"):
        lm.character_vocabulary("abc", min_count=0)


def test_model_gives_one_logit_per_character_and_unknown_ones_read_as_id_0():
    model = small_model()
    assert lm.character_ids("ab?c", model).tolist() == [1, 2, 0, 4]
    assert tuple(model(np.array([list("abc."), list("b c.")])).shape) == (2, 4, len(VOCABULARY) + 1)
    with pytest.raises(ValueError, match="cell must be one of 'simple_rnn', 'lstm', 'gru', not 'rnn'"):
        lm.character_language_model(VOCABULARY, cell="rnn")


def test_windows_pair_each_character_with_the_next_one():
    model = small_model()
    (characters, targets), = list(lm.next_character_windows("ab c.ab", model, sequence_length=3, batch_size=8))
    assert characters.numpy().astype(str).tolist() == [list("ab "), list("c.a")]
    assert targets.numpy().tolist() == lm.character_ids("b c.ab", model).reshape(2, 3).tolist()
    with pytest.raises(ValueError, match="too few for one window of 3"):
        lm.next_character_windows("abc", model, sequence_length=3, batch_size=8)


def test_bits_by_position_of_a_model_that_knows_nothing_are_log2_of_the_ids():
    model = small_model()
    head = model.layers[-1]
    head.set_weights([np.zeros_like(weight) for weight in head.get_weights()])
    windows = lm.next_character_windows("ab c.ab c.ab c.a", model, sequence_length=5, batch_size=2)
    assert_allclose(lm.bits_by_position(model, windows), np.full(5, math.log2(len(VOCABULARY) + 1)), rtol=1e-5)


def test_bits_by_position_average_to_the_keras_loss_in_bits():
    model = small_model()
    windows = lm.next_character_windows("ab c.ba c.ab .c a" * 3, model, sequence_length=6, batch_size=3)
    loss = model.evaluate(windows, verbose=0)[0]
    assert_allclose(lm.bits_by_position(model, windows).mean(), loss / math.log(2), rtol=1e-5)


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_step_model_carries_the_states_of_the_trained_layer(cell):
    model = small_model(cell)
    text = np.array([list("ab c.ba c")])
    full = keras.ops.convert_to_numpy(model(text))
    stepper = lm.step_model(model)
    states = [np.zeros((1, size), "float32") for size in lm.state_sizes(model.layers[2])]
    assert len(states) == (2 if cell == "lstm" else 1)
    first, *states = stepper.predict_on_batch([text[:, :4], *states])
    second, *_ = stepper.predict_on_batch([text[:, 4:], *states])
    assert_allclose(np.concatenate([first, second], axis=1), full, rtol=1e-5, atol=1e-6)


def test_bits_with_carried_states_do_not_depend_on_the_window_and_match_one_pass():
    model = small_model()
    text = "ab c.ba c.ab .c a" * 2
    bits, right = lm.bits_with_carried_states(model, text, streams=3, window=4)
    assert bits.shape == right.shape == (len(text),) and np.isnan(bits).sum() == 3 + len(text) % 3
    assert (np.isnan(bits) == np.isnan(right)).all() and set(right[~np.isnan(right)]) <= {0.0, 1.0}
    long_bits, long_right = lm.bits_with_carried_states(model, text, streams=3, window=1_000)
    assert_allclose(long_bits, bits, rtol=1e-5)
    np.testing.assert_array_equal(long_right, right)
    piece = len(text) // 3
    one_pass = lm.next_character_windows(text[:piece], model, sequence_length=piece - 1, batch_size=1)
    assert_allclose(bits[1:piece], lm.bits_by_position(model, one_pass), rtol=1e-5)
    characters, targets = next(iter(one_pass))
    likeliest = np.argmax(model.predict_on_batch(characters)[0], axis=-1)
    np.testing.assert_array_equal(right[1:piece], likeliest == targets.numpy()[0])
    with pytest.raises(ValueError, match="too few for 40 pieces"):
        lm.bits_with_carried_states(model, text, streams=40)


def test_review_numbers_count_reviews_and_give_the_review_end_to_its_review():
    text = lm.review_stream(["ab", "c", "de"])
    assert text == "ab\nc\nde\n"
    np.testing.assert_array_equal(lm.review_numbers(text), [0, 0, 0, 1, 1, 2, 2, 2])


def test_totals_by_review_skip_unscored_characters_and_pool_by_characters():
    scores = np.array([1.0, np.nan, 3.0, 2.0, 2.0, 2.0, 2.0, 8.0])
    totals = lm.totals_by_review(scores, np.array([0, 0, 0, 1, 1, 1, 1, 2]))
    np.testing.assert_array_equal(totals, [[4, 2], [8, 4], [8, 1]])
    assert lm.pooled_mean(totals) == pytest.approx(20 / 7), "per character, not per review"


def test_review_bootstrap_interval_holds_the_mean_and_is_zero_wide_when_reviews_agree():
    reviews = np.repeat(np.arange(40), 5)
    scores = np.random.default_rng(0).normal(2.0, 1.0, size=200)
    low, high = lm.review_bootstrap_interval(scores, reviews)
    assert low < scores.mean() < high and high - low < 1.0
    assert lm.review_bootstrap_interval(np.full(200, 1.5), reviews) == pytest.approx((1.5, 1.5))


def test_generation_is_fixed_by_the_generator_and_survives_saving(tmp_path):
    model = small_model()
    written = lm.generate(model, "ab", 40, temperature=1.0, rng=np.random.default_rng(7))
    assert len(written) == 42 and written.startswith("ab") and set(written) <= set(VOCABULARY)
    assert lm.generate(model, "ab", 40, temperature=1.0, rng=np.random.default_rng(7)) == written
    assert lm.generate(model, "ab", 40, temperature=1.0, rng=np.random.default_rng(8)) != written
    model.save(tmp_path / "model.keras")
    reloaded = keras.saving.load_model(tmp_path / "model.keras", compile=False)  # generation needs no optimizer
    assert lm.generate(reloaded, "ab", 40, temperature=1.0, rng=np.random.default_rng(7)) == written


def test_a_seed_with_some_unknown_characters_is_continued():
    written = lm.generate(small_model(), "a?!", 5, temperature=0.5, rng=np.random.default_rng(0))
    assert written.startswith("a?!") and len(written) == 8


@pytest.mark.parametrize(("seed", "error", "message"), [
    ("", ValueError, "seed is empty"),
    ("?!#", ValueError, "seed '\\?!#' holds no character the model knows"),
    (["a"], TypeError, "seed must be a string"),
])
def test_generation_refuses_a_seed_it_cannot_continue(seed, error, message):
    with pytest.raises(error, match=message):
        lm.generate(small_model(), seed, 5, temperature=1.0, rng=np.random.default_rng(0))


@pytest.mark.parametrize("temperature", [0, -0.5, math.nan, math.inf, True, "1"])
def test_generation_refuses_a_temperature_that_is_not_above_0(temperature):
    with pytest.raises(ValueError, match="temperature must be a finite number above 0"):
        lm.generate(small_model(), "ab", 5, temperature=temperature, rng=np.random.default_rng(0))


def test_generation_refuses_a_length_that_is_not_a_count():
    with pytest.raises(ValueError, match="length must be a whole number of at least 1"):
        lm.generate(small_model(), "ab", 0, temperature=1.0, rng=np.random.default_rng(0))


def test_sampling_distribution_never_picks_unknown_and_sharpens_as_temperature_falls():
    logits = np.array([5.0, 1.0, 2.0, 0.5])
    at_one = lm.sampling_distribution(logits, 1.0)
    assert at_one[0] == 0 and math.isclose(at_one.sum(), 1)
    assert_allclose(at_one[1:], np.exp(logits[1:]) / np.exp(logits[1:]).sum())
    assert lm.sampling_distribution(logits, 1e-3)[2] > 0.999
    entropy = [-(p[p > 0] * np.log(p[p > 0])).sum() for p in (lm.sampling_distribution(logits, t) for t in (0.2, 1, 5))]
    assert entropy[0] < entropy[1] < entropy[2]


def test_ngram_keys_are_the_ids_as_digits():
    assert lm.ngram_keys(np.array([1, 2, 3, 4]), 2, 10).tolist() == [12, 23, 34]
    assert lm.ngram_keys(np.array([1, 2, 3, 4]), 3, 10).tolist() == [123, 234]


def test_kneser_ney_matches_the_formula_worked_by_hand():
    # "a b a b a c" (a = 0, b = 1, c = 2): bigrams ab 2, ba 2, ac 1, so D = n1 / (n1 + 2 n2) = 1 / 5. Every character
    # follows exactly one other, so the unigram level (continuation counts) is uniform; raw counts would not be.
    model = lm.fit_kneser_ney(np.array([0, 1, 0, 1, 0, 2]), order=2, vocabulary_size=3)
    assert model.tables[1].discount == pytest.approx(0.2)
    bits = lm.kneser_ney_bits(model, np.array([0, 1, 2, 0]))
    # P(a) = 1/3; P(b | a) = (2 - 0.2 + 0.2 * 2 * 1/3) / 3; P(c | b) = (0 + 0.2 * 1 * 1/3) / 2; c never led: P(a) = 1/3
    expected = [1 / 3, (1.8 + 0.4 / 3) / 3, (0.2 / 3) / 2, 1 / 3]
    assert_allclose(2.0**-bits, expected)


def test_add_k_divides_count_plus_k_by_context_count_plus_k_v():
    model = lm.fit_kneser_ney(np.array([0, 1, 0, 1, 0, 2]), order=2, vocabulary_size=3)
    # P(a | padding a) = (0 + 1) / (3 + 3), P(b | a) = (2 + 1) / 6, P(a | b) = (2 + 1) / (2 + 3), P(c | a) = 2 / 6;
    # c never led a character, so P(b | c) = 1 / 3
    assert_allclose(2.0 ** -lm.add_k_bits(model, np.array([0, 1, 0, 2, 1]), k=1), [1 / 6, 1 / 2, 3 / 5, 1 / 3, 1 / 3])
    assert_allclose(2.0 ** -lm.add_k_bits(model, np.array([1, 0]), k=0.5), [2.5 / 4.5, 2.5 / 3.5])
    with pytest.raises(ValueError, match="k must be a finite number above 0"):
        lm.add_k_bits(model, np.array([0, 1]), k=0)


def test_kneser_ney_probabilities_of_every_next_character_sum_to_one():
    rng = np.random.default_rng(0)
    model = lm.fit_kneser_ney(rng.integers(0, 5, 2_000) * (rng.random(2_000) < 0.8), order=4, vocabulary_size=6)
    for context in ([0, 1, 2], [3, 3, 3], [5, 5, 5]):  # seen, seen, made of a character never seen
        bits = [lm.kneser_ney_bits(model, np.array(context + [next_id]))[-1] for next_id in range(6)]
        assert math.isclose(sum(2.0 ** -np.array(bits)), 1.0)


def test_more_context_predicts_a_repetitive_text_better():
    ids = np.tile(np.array([0, 1, 2, 3, 1, 2, 0, 3]), 200)
    bits = [lm.kneser_ney_bits(lm.fit_kneser_ney(ids, order, 4), ids[:80])[8:].mean() for order in (1, 2, 4)]
    assert bits[0] > bits[1] > bits[2] and bits[2] < 0.1


def test_unseen_share_counts_held_out_ngrams_missing_from_training():
    model = lm.fit_kneser_ney(np.array([0, 1, 0, 1]), order=2, vocabulary_size=2)
    assert lm.unseen_share(model, np.array([0, 1, 1])) == 0.5


def test_kneser_ney_refuses_orders_whose_keys_overflow_and_ids_out_of_range():
    with pytest.raises(ValueError, match="order 10 is too high for 100 ids"):
        lm.fit_kneser_ney(np.arange(100), order=10, vocabulary_size=100)
    with pytest.raises(ValueError, match=r"each in \[0, 3\)"):
        lm.fit_kneser_ney(np.array([0, 1, 3]), order=2, vocabulary_size=3)
