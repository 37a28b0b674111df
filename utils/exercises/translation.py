"""Checks of notebook 14's exercises (translation with attention)."""
from __future__ import annotations

import numpy as np

from utils import translation
from utils.exercises import require


def predictions_per_sentence(answer: int, spanish: str) -> str:
    """Check answer is how many next-word predictions teacher forcing makes for one Spanish sentence."""
    words = translation.tokens(translation.with_markers([spanish]))[0]
    require(isinstance(answer, (int, np.integer)) and not isinstance(answer, bool),
            f"{answer!r} is not a whole number: count the words the decoder must predict")
    require(answer != len(words), f"{answer} counts every token of {' '.join(words)!r}, but [start] is only ever "
                                  "read, never predicted")
    require(answer != len(words) - 2, f"{answer} leaves out [end]: the decoder must learn to say when it has finished")
    require(answer == len(words) - 1, f"{answer} is not it: write the sentence as the decoder sees it, with its "
                                      "punctuation marks as tokens of their own and [start] ... [end] around it")
    return f"{' '.join(words[:-1])!r} in, {' '.join(words[1:])!r} out"


def most_attended_source_token(answer: str, weights: np.ndarray, source_tokens: list[str]) -> str:
    """Check answer is the source token with the largest weight at the first output step (weights: steps x source)."""
    token = str(answer).strip().lower()
    require(token in source_tokens, f"{answer!r} is not a token of the English sentence: its tokens are "
                                    f"{source_tokens}")
    largest = source_tokens[int(np.argmax(weights[0]))]
    require(token == largest, f"{answer!r} is in the sentence but does not take the largest weight in the first row "
                              "of the heat map (the first word written)")
    return f"{largest!r} takes {np.max(weights[0]):.0%} of the first step's attention"


def brevity_penalty(answer: float, hypothesis: list[str], reference: list[str]) -> str:
    """Check answer is BLEU's brevity penalty of a hypothesis against one reference."""
    c, r = len(hypothesis), len(reference)
    expected = 1.0 if c > r else float(np.exp(1 - r / c))
    require(not np.isclose(answer, c / r, rtol=1e-3) or np.isclose(c / r, expected),
            f"{answer!r} is the ratio of the lengths; the penalty is exp(1 - r / c) for a translation shorter than "
            "its reference")
    require(bool(np.isclose(answer, expected, rtol=1e-3)),
            f"{answer!r} is not it: count the tokens of both (punctuation marks count), then exp(1 - r / c)")
    return f"c = {c}, r = {r}: BLEU is multiplied by {expected:.3f}"
