"""Before any test runs: the course's datasets must be reachable, else the session stops with one message."""
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
