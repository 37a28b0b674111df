"""A pytest plugin: nbval runs each notebook once, and each exercise cell a second time with its solution filled in.

Right after nbval's item for an exercise cell (which prints "not answered yet"), the plugin adds an item that runs the
same cell, with the worked solutions of solutions/<notebook>.md filled in (utils.solutions), in the same kernel, and
requires every exercise check of that cell to print "correct". The answer key thus costs the exercises' own work,
not a second run of every notebook. Loaded by the repository's conftest.py (`pytest_plugins`).
"""
from __future__ import annotations

import copy
from collections import defaultdict

import pytest
from nbval.plugin import IPyNbCell

from utils import solutions
from utils.exercises import NOT_ANSWERED


def printed_lines(outputs: list) -> list[str]:
    """Return the lines a cell's outputs printed to stdout."""
    return [line for output in outputs if output.get("name") == "stdout" for line in output["text"].splitlines()]


def cell_index(notebook, cell) -> int:
    """Return the position of this very cell object among the notebook's cells."""
    return next(index for index, candidate in enumerate(notebook.cells) if candidate is cell)


class SolvedCell(IPyNbCell):
    """An exercise cell run again in its notebook's kernel with its solutions filled in; every check must pass."""

    index: int
    """The cell's position among the notebook's cells (nbval's cell_num counts code cells only)."""
    labels: list[str]
    """The exercises whose exercises.report calls the cell holds."""

    def runtest(self) -> None:
        """Fill in this cell's solutions, run it, and fail unless each exercise prints 'correct'."""
        path = self.parent.path
        solutions_file = solutions.solutions_path(path)
        if not solutions_file.exists():
            pytest.fail(f"{path.name} has exercises but no {solutions_file.name} in solutions/: write one, with a "
                        "'## Exercise N' section for each exercise")
        try:
            solved = solutions.solved_notebook(path)
        except solutions.SolutionError as error:
            pytest.fail(str(error))
        self.cell = copy.deepcopy(self.cell)
        self.cell.source = solved.cells[self.index].source
        self.cell.outputs = []
        super().runtest()
        printed = printed_lines(self.test_outputs)
        unchecked = [label for label in self.labels
                     if not any(line.startswith(f"{label}: correct") for line in printed)]
        if unchecked or any(NOT_ANSWERED in line for line in printed):
            pytest.fail(f"{path.name}, cell {self.index}: with the solutions of {solutions_file.name} filled in, "
                        f"{unchecked or self.labels} did not print 'correct'; it printed: {printed}")


def with_solved_cells(items: list[pytest.Item]) -> list[pytest.Item]:
    """Return items with a SolvedCell right after each nbval item whose cell holds an exercises.report call."""
    labels_by_cell = {}
    result = []
    for item in items:
        result.append(item)
        if not isinstance(item, IPyNbCell) or isinstance(item, SolvedCell):
            continue
        notebook = item.parent.nb
        if id(notebook) not in labels_by_cell:
            labels_by_cell[id(notebook)] = defaultdict(list)
            for exercise in solutions.exercises_of(notebook):
                labels_by_cell[id(notebook)][exercise.cell].append(exercise.label)
        index = cell_index(notebook, item.cell)
        if index in labels_by_cell[id(notebook)]:
            solved = SolvedCell.from_parent(item.parent, name=f"{item.name} solved", cell_num=item.cell_num,
                                            cell=item.cell, options=defaultdict(bool, item.options, check=False))
            solved.index, solved.labels = index, labels_by_cell[id(notebook)][index]
            result.append(solved)
    return result


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Add the answer key's solved run of every exercise cell right after nbval's run of it."""
    items[:] = with_solved_cells(items)

