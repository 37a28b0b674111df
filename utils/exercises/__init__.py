"""Exercise checks: 'not answered yet' until a student answers, a hint when the answer is wrong, 'correct' when right.

The checks of each notebook live in a module of this package named after the notebook's subject (for example
`utils.exercises.word2vec` for notebook 04); each check takes the student's answer and what it needs from the notebook,
and raises `WrongAnswer` with a hint when the answer is wrong, so that tests can feed it right and wrong answers.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np

NOT_ANSWERED = "not answered yet"


class WrongAnswer(AssertionError):
    """An exercise's answer is not right; the message is the hint."""


def require(condition: bool, hint: str) -> None:
    """Raise WrongAnswer(hint) unless condition holds."""
    if not condition:
        raise WrongAnswer(hint)


def trainable_count(model: keras.Model) -> int:
    """Return the number of trainable parameters of model."""
    return int(sum(np.prod(weight.shape) for weight in model.trainable_weights))


def report(label: str, answer: Any, check: Callable[..., str | None], *context: Any) -> None:
    """Print '<label>: not answered yet' while answer is None; else check it (WrongAnswer if wrong), print 'correct'."""
    if answer is None:
        print(f"{label}: {NOT_ANSWERED}")
        return
    remark = check(answer, *context)
    print(f"{label}: correct" + (f"; {remark}" if remark else ""))
