"""Before any test runs: the course's datasets must be reachable, else the session stops with one message.

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
