"""The answer key: every exercise of every notebook has a worked solution in solutions/, and each one is right.

The notebooks run under COURSE_PROFILE=smoke with their solutions filled in (utils.solutions), and every exercise
check must print 'correct'.
"""
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from utils import solutions
from utils.colab import course_notebooks
from utils.config import REPO_ROOT
from utils.exercises import NOT_ANSWERED

NOTEBOOKS = course_notebooks(REPO_ROOT)
SOLVED = [path for path in NOTEBOOKS if solutions.solutions_path(path).exists()]

CELL = """x = 3
my_answer = None  # your answer
other = None
exercises.report("Exercise 1", my_answer, check, x)"""
SOLUTIONS_FILE = """# Solutions

## Exercise 1

Twice x.

```python
my_answer = 2 * x
other = 1
```
"""


def notebook_with(*sources: str) -> nbformat.NotebookNode:
    """Return a notebook with one code cell per source."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


def test_a_solution_replaces_the_answer_lines_just_before_the_check():
    filled = solutions.fill_in(notebook_with("print(1)", CELL), solutions.read_solutions(SOLUTIONS_FILE))
    assert filled.cells[1].source == ('x = 3\nmy_answer = 2 * x\nother = 1\n'
                                      'exercises.report("Exercise 1", my_answer, check, x)')
    assert filled.cells[0].source == "print(1)"


def test_filling_in_leaves_the_notebook_as_it_was():
    notebook = notebook_with(CELL)
    solutions.fill_in(notebook, solutions.read_solutions(SOLUTIONS_FILE))
    assert notebook.cells[0].source == CELL


def test_exercises_are_found_by_their_report_calls():
    found = solutions.exercises_of(notebook_with("a = 1", CELL, 'exercises.report("Exercise 2", b, check)'))
    assert found == [solutions.Exercise("Exercise 1", 1), solutions.Exercise("Exercise 2", 2)]


@pytest.mark.parametrize("text, message", [
    ("# Solutions\n\nNo sections.\n", "no '## Exercise N' section"),
    ("## Exercise 1\n\nNo code.\n", "Exercise 1: 0 ```python blocks"),
    ("## Exercise 1\n\n```python\na = 1\n```\n\n```python\nb = 2\n```\n", "Exercise 1: 2 ```python blocks"),
    ("## Exercise 1\n\n```python\na = 1\n```\n## Exercise 1\n\n```python\na = 2\n```\n", "two sections 'Exercise 1'"),
])
def test_a_malformed_solutions_file_is_refused(text, message):
    with pytest.raises(solutions.SolutionError, match=message):
        solutions.read_solutions(text)


def test_solutions_must_match_the_notebooks_exercises():
    extra = SOLUTIONS_FILE + "\n## Exercise 2\n\n```python\nb = 1\n```\n"
    with pytest.raises(solutions.SolutionError, match=r"exercises \['Exercise 1'\], its solutions file"):
        solutions.fill_in(notebook_with(CELL), solutions.read_solutions(extra))


def test_a_function_defined_by_a_solution_answers_its_variable():
    cell = 'my_function = None  # your function\nexercises.report("Exercise 1", my_function, check)'
    text = "## Exercise 1\n\n```python\ndef my_function(x):\n    return x\n```\n"
    filled = solutions.fill_in(notebook_with(cell), solutions.read_solutions(text))
    assert filled.cells[0].source == 'def my_function(x):\n    return x\nexercises.report("Exercise 1", my_function, check)'


def test_a_solution_must_assign_every_answer_variable():
    partial = SOLUTIONS_FILE.replace("other = 1\n", "")
    with pytest.raises(solutions.SolutionError, match=r"leave \['other'\] unassigned"):
        solutions.fill_in(notebook_with(CELL), solutions.read_solutions(partial))


def test_a_solved_notebook_runs_and_each_check_speaks(tmp_path, monkeypatch):
    monkeypatch.setattr(solutions, "SOLUTIONS_DIR", tmp_path)
    check = "from utils import exercises\ndef check(answer, x):\n    exercises.require(answer == 2 * x, 'twice x')"
    path = tmp_path / "99_fixture.ipynb"
    nbformat.write(notebook_with(check, CELL), path)
    (tmp_path / "99_fixture.md").write_text(SOLUTIONS_FILE)
    assert solutions.run_solved(path) == ["Exercise 1: correct"]
    (tmp_path / "99_fixture.md").write_text(SOLUTIONS_FILE.replace("2 * x", "3 * x"))
    with pytest.raises(CellExecutionError, match="twice x"):
        solutions.run_solved(path)


@pytest.mark.parametrize("path", SOLVED, ids=[path.stem for path in SOLVED])
def test_every_solution_passes_its_check(path, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    labels = [exercise.label for exercise in solutions.exercises_of(nbformat.read(path, as_version=4))]
    printed = solutions.run_solved(path)
    assert not [line for line in printed if NOT_ANSWERED in line]
    assert [label for label in labels if not any(line.startswith(f"{label}: correct") for line in printed)] == []


def test_every_notebook_has_solutions():
    missing = [path.name for path in NOTEBOOKS if path not in SOLVED]
    assert missing == [], f"no solutions/<notebook>.md for {missing}: write one, with a section for each exercise"
