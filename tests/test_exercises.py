"""The exercise-check machinery, and every notebook's exercises going through it."""
import nbformat
import pytest

from utils import exercises
from utils.colab import course_notebooks
from utils.config import REPO_ROOT

NOTEBOOKS = course_notebooks(REPO_ROOT)


def must_be_two(answer):
    """Check used by the tests below."""
    exercises.require(answer == 2, "one plus one")
    return "well done"


def test_an_unanswered_exercise_says_so(capsys):
    exercises.report("Exercise 1", None, must_be_two)
    assert capsys.readouterr().out == "Exercise 1: not answered yet\n"


def test_a_right_answer_is_correct_with_the_checks_remark(capsys):
    exercises.report("Exercise 1", 2, must_be_two)
    assert capsys.readouterr().out == "Exercise 1: correct; well done\n"


def test_a_wrong_answer_raises_the_hint():
    with pytest.raises(exercises.WrongAnswer, match="one plus one"):
        exercises.report("Exercise 1", 3, must_be_two)


def exercise_cells(path):
    """Return the code cells between a notebook's '## Exercises' heading and the next section (e.g. 'About this run')."""
    cells = nbformat.read(path, as_version=4).cells
    start = next(i for i, cell in enumerate(cells) if cell.cell_type == "markdown" and "## Exercises" in cell.source)
    end = next((i for i, cell in enumerate(cells) if i > start and cell.cell_type == "markdown"
                and cell.source.startswith("## ")), len(cells))
    return [cell for cell in cells[start:end] if cell.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_exercise_check_reports_not_answered_yet_in_the_committed_notebook(path):
    cells = exercise_cells(path)
    assert cells, f"{path.name} has no exercise check cells"
    for cell in cells:
        printed = "".join(output.get("text", "") for output in cell.get("outputs", []))
        assert "exercises.report(" in cell.source and exercises.NOT_ANSWERED in printed, (
            f"{path.name}: an exercise cell does not check through exercises.report:\n{cell.source[:300]}")
