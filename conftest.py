"""How make test shares its tests between pytest-xdist's workers: one notebook's tests, or one test module, per worker.

nbval's cells of a notebook must run in one kernel, in order; the answer key's run of a notebook
(tests/test_solutions.py) must not run beside nbval's run of it (both write the notebook's smoke results); notebook 11
reads notebook 10's results, so both notebooks' tests run on one worker, in course order. Module-scoped fixtures
(the website that tests/test_browser.py builds) are built once, on the worker that runs their module.
"""
from __future__ import annotations

import re

import pytest

READS_RESULTS_OF = {"11_sentiment140_lstm": "10_sentiment140_bag_of_glove"}
"""Notebooks that read another notebook's recorded results, with that notebook."""
NOTEBOOK_TEST = re.compile(r"notebooks/(?P<stem>[^/:]+)\.ipynb::|"
                           r"tests/test_solutions\.py::test_every_solution_passes_its_check\[(?P<solved>[^\]]+)\]$")


def worker_scope(nodeid: str) -> str:
    """Return what must run on one worker: the notebook a test executes (10 for 11), else the test's module."""
    match = NOTEBOOK_TEST.match(nodeid)
    if match is None:
        return nodeid.split("::")[0]
    stem = match["stem"] or match["solved"]
    return READS_RESULTS_OF.get(stem, stem)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Return pytest-xdist's scope scheduler, with worker_scope as its scopes."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebookScheduling(LoadScopeScheduling):
        """Send each scope of worker_scope whole to one worker, in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return worker_scope(nodeid)

    return NotebookScheduling(config, log)
