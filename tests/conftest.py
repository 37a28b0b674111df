"""Before any test runs: the course's datasets must be reachable, else the session stops with one message.

Under pytest-xdist (make test runs two workers), every test that executes a notebook is grouped by notebook, so that
nbval's cells of one notebook run in one kernel, in order, and the answer key's run of it never runs beside nbval's
(both write the notebook's smoke results); notebook 11 reads notebook 10's results, so they share one group.

The use_profile fixture switches the run profile of lecture mode and the results records, in a temporary repository.
"""
import pytest

from utils import data


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop the session with one message naming every dataset that is neither on disk nor downloadable."""
    problems = data.dataset_problems()
    if problems:
        pytest.exit(
            "No test was run: the course's datasets are not all reachable.\n- "
            + "\n- ".join(problems)
            + "\nPoint COURSE_DATA_DIR at a folder holding the datasets and NLTK_DATA at one holding the NLTK "
            "resources, e.g. make test COURSE_DATA_DIR=../shared/data NLTK_DATA=../shared/data/nltk_data",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


READS_RESULTS_OF = {"11_sentiment140_lstm": "10_sentiment140_bag_of_glove"}
"""Notebooks that read another notebook's recorded results, with that notebook."""


def notebook_group(item: pytest.Item) -> str | None:
    """Return the xdist group of a test that executes a notebook (its stem, or the stem it reads), else None."""
    if item.path.suffix == ".ipynb":
        stem = item.path.stem
    elif getattr(item, "originalname", None) == "test_every_solution_passes_its_check":
        stem = item.callspec.params["path"].stem
    else:
        return None
    return READS_RESULTS_OF.get(stem, stem)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that executes a notebook with its notebook's xdist group (used by --dist loadgroup)."""
    for item in items:
        group = notebook_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def use_profile(monkeypatch, tmp_path):
    """Return a switch of the profile utils.trained and utils.training run under, with tmp_path as the repository."""
    from utils import config, trained, training

    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(trained, "TRAINED_DIR", tmp_path / "data" / "trained")
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path / "results")

    def switch(name: str) -> None:
        for module in (trained, training):
            monkeypatch.setattr(module, "PROFILE", config.get_profile(name))

    return switch
