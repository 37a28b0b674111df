"""The answer key: fill a notebook's exercise cells with the worked solutions of solutions/<notebook>.md.

A solutions file has one `## Exercise N` section per exercise of its notebook (N as in the notebook's
`exercises.report("Exercise N", ...)` call), each with a sentence of explanation and one ```python block. Filling in
removes the cell's answer lines (`name = None`) and puts the block just before the `exercises.report` call, so the
solution runs in the notebook's namespace with every variable the cell defined before the check.
"""
from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from utils.config import REPO_ROOT

SOLUTIONS_DIR = REPO_ROOT / "solutions"
SECTION = re.compile(r"^## (Exercise \d+)\s*$", re.MULTILINE)
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


class SolutionError(ValueError):
    """A solutions file does not fit its notebook's exercises."""


@dataclass(frozen=True)
class Exercise:
    """One exercises.report call of a notebook: its label and the index of the cell that holds it."""

    label: str
    cell: int


def solutions_path(notebook: Path) -> Path:
    """Return the solutions file of a notebook: solutions/<notebook name>.md."""
    return SOLUTIONS_DIR / f"{notebook.stem}.md"


def read_solutions(text: str, source: str = "the solutions file") -> dict[str, str]:
    """Return the code of each `## Exercise N` section of a solutions file, by label."""
    headings = list(SECTION.finditer(text))
    if not headings:
        raise SolutionError(f"{source} has no '## Exercise N' section: give each exercise one, with its code in a "
                            "```python block")
    solutions = {}
    for heading, following in zip(headings, headings[1:] + [None]):
        label = heading.group(1)
        body = text[heading.end():following.start() if following else len(text)]
        blocks = CODE_BLOCK.findall(body)
        if len(blocks) != 1:
            raise SolutionError(f"{source}, {label}: {len(blocks)} ```python blocks; give each exercise exactly one")
        if label in solutions:
            raise SolutionError(f"{source} has two sections '{label}': keep one")
        solutions[label] = blocks[0]
    return solutions


def report_call(statement: ast.stmt) -> ast.Call | None:
    """Return the exercises.report(...) call a top-level statement makes, or None."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "report"
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "exercises"):
        return call
    return None


def answer_lines(tree: ast.Module) -> list[ast.Assign]:
    """Return the top-level `name = None` statements of a cell: the lines where a student writes an answer."""
    return [statement for statement in tree.body
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant)
            and statement.value.value is None and all(isinstance(target, ast.Name) for target in statement.targets)]


def exercises_of(notebook: nbformat.NotebookNode) -> list[Exercise]:
    """Return the exercises of a notebook, in order: one per exercises.report call of its code cells."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "exercises.report" not in cell.source:
            continue
        for statement in ast.parse(cell.source).body:
            call = report_call(statement)
            if call is None:
                continue
            found.append(Exercise(ast.literal_eval(call.args[0]), index))
    return found


def assigned_names(code: str) -> set[str]:
    """Return the names a piece of code assigns or defines (def, class) at its top level."""
    names = set()
    for statement in ast.parse(code).body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def filled_cell(source: str, solutions: dict[str, str]) -> str:
    """Return a cell's source with its answer lines removed and each report call's solution put just before it."""
    tree = ast.parse(source)
    answers = answer_lines(tree)
    lines = source.splitlines()
    insertions = {}
    for statement in tree.body:
        call = report_call(statement)
        if call is not None:
            insertions[statement.lineno - 1] = solutions[ast.literal_eval(call.args[0])].rstrip("\n").splitlines()
    removed = {line for statement in answers for line in range(statement.lineno - 1, statement.end_lineno)}
    filled = []
    for number, line in enumerate(lines):
        filled.extend(insertions.get(number, []))
        if number not in removed:
            filled.append(line)
    return "\n".join(filled)


def fill_in(notebook: nbformat.NotebookNode, solutions: dict[str, str], name: str = "the notebook"
            ) -> nbformat.NotebookNode:
    """Return a copy of notebook with every exercise cell filled in from solutions (SolutionError if they differ)."""
    exercises = exercises_of(notebook)
    labels = [exercise.label for exercise in exercises]
    if sorted(labels) != sorted(solutions):
        raise SolutionError(f"{name} has the exercises {labels}, its solutions file {list(solutions)}: write one "
                            "'## Exercise N' section for each exercise and no other")
    filled = copy.deepcopy(notebook)
    for index in sorted({exercise.cell for exercise in exercises}):
        cell = filled.cells[index]
        given = set().union(*(assigned_names(solutions[exercise.label]) for exercise in exercises
                              if exercise.cell == index))
        expected = {target.id for statement in answer_lines(ast.parse(cell.source)) for target in statement.targets}
        if expected - given:
            raise SolutionError(f"{name}, cell {index}: the solutions leave {sorted(expected - given)} unassigned; "
                                "assign every variable the cell sets to None")
        cell.source = filled_cell(cell.source, solutions)
    return filled


def solved_notebook(path: Path) -> nbformat.NotebookNode:
    """Return the notebook at path with the solutions of solutions/<its name>.md filled in."""
    solutions_file = solutions_path(path)
    solutions = read_solutions(solutions_file.read_text(), solutions_file.name)
    return fill_in(nbformat.read(path, as_version=4), solutions, path.name)

