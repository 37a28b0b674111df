"""Checks of notebook 00's exercises (the course's datasets)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from gensim.models import KeyedVectors

from utils.exercises import require


def long_review_share(answer: float, test_texts: Sequence[str], train_review_words: np.ndarray) -> str:
    """Check the share of test reviews longer than 250 words; return how far it is from the training share."""
    test_share = float(np.mean([len(text.split()) > 250 for text in test_texts]))
    train_share = float(np.mean(np.asarray(train_review_words) > 250))
    require(0.0 <= answer <= 1.0, "give the share as a fraction between 0 and 1, not a percentage or a count")
    require(abs(answer - test_share) < 5e-4,
            "count the test reviews whose len(text.split()) is greater than 250, divided by the number of test reviews")
    return f"test {test_share:.1%} against train {train_share:.1%}, {100 * abs(test_share - train_share):.1f} points apart"


def most_frequent_unknown_words(answer: Sequence[str], token_lists: Sequence[Sequence[str]], vectors: KeyedVectors) -> str:
    """Check the five most frequent tokens without a vector, most frequent first; return their counts."""
    answer = list(answer)
    require(len(answer) == 5, f"list five words, not {len(answer)}")
    known = [word for word in answer if word in vectors.key_to_index]
    require(not known, f"GloVe has a vector for {known}: keep only tokens with `word not in glove.key_to_index`")
    counts = Counter(token for tokens in token_lists for token in tokens if token not in vectors.key_to_index)
    top_counts = [count for _, count in counts.most_common(5)]
    require([counts[word] for word in answer] == top_counts,
            "count every unknown token of all the tweets (collections.Counter) and take the five most common, in order")
    return ", ".join(f"{word} ({counts[word]:,})" for word in answer)
