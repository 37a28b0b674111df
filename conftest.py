"""How make test shares its tests between pytest-xdist's workers: one notebook's tests, or one test module, per worker.

nbval's cells of a notebook, and the answer key's solved runs of its exercise cells (utils.answer_key), must run in
one kernel, in order; notebook 11 reads notebook 10's results, so both notebooks' tests run on one worker, in course
order. Module-scoped fixtures (the website that tests/test_browser.py builds) are built once, on the worker that runs
their module.
"""
from __future__ import annotations

import re

import pytest

READS_RESULTS_OF = {"11_sentiment140_lstm": "10_sentiment140_bag_of_glove"}
"""Notebooks that read another notebook's recorded results, with that notebook."""
NOTEBOOK_TEST = re.compile(r"notebooks/(?P<stem>[^/:]+)\.ipynb::")
pytest_plugins = ["utils.answer_key"]


def worker_scope(nodeid: str) -> str:
    """Return what must run on one worker: the notebook a test executes (10 for 11), else the test's module."""
    match = NOTEBOOK_TEST.match(nodeid)
    if match is None:
        return nodeid.split("::")[0]
    return READS_RESULTS_OF.get(match["stem"], match["stem"])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Return pytest-xdist's scope scheduler, with worker_scope as its scopes."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebookScheduling(LoadScopeScheduling):
        """Send each scope of worker_scope whole to one worker, in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return worker_scope(nodeid)

    return NotebookScheduling(config, log)
