"""The answer key: every exercise of every notebook has a worked solution in solutions/, and each one is right.

When nbval runs a notebook (COURSE_PROFILE=smoke), utils.answer_key runs each exercise cell again right after it, in
the same kernel, with its solutions filled in (utils.solutions), and every exercise check must print 'correct'.
"""
import nbformat
import pytest

from utils import solutions
from utils.colab import course_notebooks
from utils.config import REPO_ROOT

pytest_plugins = ["pytester"]
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


def run_answer_key(pytester: pytest.Pytester, notebook: nbformat.NotebookNode, solutions_text: str
                   ) -> pytest.RunResult:
    """Write a notebook and its solutions file into pytester's folder and run nbval on it with the answer key."""
    nbformat.write(notebook, pytester.path / "99_fixture.ipynb")
    (pytester.path / "99_fixture.md").write_text(solutions_text)
    return pytester.runpytest_inprocess("-p", "utils.answer_key", "-p", "no:cacheprovider", "--nbval-lax",
                                        "--nbval-current-env", "-v", "99_fixture.ipynb")


def test_the_answer_key_runs_each_solution_in_the_notebooks_kernel_right_after_its_cell(pytester, monkeypatch):
    monkeypatch.setattr(solutions, "SOLUTIONS_DIR", pytester.path)
    check = "from utils import exercises\ndef check(answer, x):\n    exercises.require(answer == 2 * x, 'twice x')"
    notebook = notebook_with(check, CELL, "assert my_answer == 6, my_answer")
    result = run_answer_key(pytester, notebook, SOLUTIONS_FILE)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*::Cell 1 PASSED*", "*::Cell 1 solved PASSED*", "*::Cell 2 PASSED*"])
    result = run_answer_key(pytester, notebook, SOLUTIONS_FILE.replace("2 * x", "3 * x"))
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines(["*::Cell 1 solved FAILED*", "*twice x*"])


def test_an_exercise_without_a_solutions_file_fails_its_solved_run(pytester, monkeypatch):
    monkeypatch.setattr(solutions, "SOLUTIONS_DIR", pytester.path / "elsewhere")
    result = run_answer_key(pytester, notebook_with("from utils import exercises\ncheck = None", CELL), SOLUTIONS_FILE)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*has exercises but no 99_fixture.md in solutions/*"])


def test_every_notebook_has_solutions():
    missing = [path.name for path in NOTEBOOKS if path not in SOLVED]
    assert missing == [], f"no solutions/<notebook>.md for {missing}: write one, with a section for each exercise"
