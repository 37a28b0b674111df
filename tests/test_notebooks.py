"""The committed notebooks read the same on any machine, and hold the outputs of a real run."""
import re
from pathlib import Path

import nbformat
import pytest

from utils.colab import course_notebooks
from utils.config import REPO_ROOT

NOTEBOOKS = course_notebooks(REPO_ROOT)
ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/(?:work|tmp|home|root|Users|content|mnt|var|opt)/")
OBJECT_REPR = re.compile(r"<[\w.]+ (?:object )?at 0x[0-9a-f]+>|PosixPath\(|WindowsPath\(")
NATIVE_LOG_LINE = re.compile(r"^[EWI]\d{4} [\d:. ]+\d+ \w+\.cc:\d+\]", re.MULTILINE)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def output_texts(cell) -> list[str]:
    """Return the text of every output of a code cell (streams, plain-text results, errors)."""
    texts = []
    for output in cell.get("outputs", []):
        texts.append("".join(output.get("text", "")))
        texts.append("".join(output.get("data", {}).get("text/plain", "")))
        texts.append("\n".join(output.get("traceback", [])))
    return texts


def problems(path: Path) -> list[str]:
    """Return what in a committed notebook would read differently on another machine, cell by cell."""
    found = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code":
            continue
        where = f"{path.name} cell {index}"
        if "execution" in cell.metadata:
            found.append(f"{where}: nbclient's execution timestamps in the cell metadata")
        if any(output.get("output_type") == "error" for output in cell.outputs):
            found.append(f"{where}: an error output")
        if any(output.get("name") == "stderr" for output in cell.outputs):
            found.append(f"{where}: stderr output")
        checks = [(ABSOLUTE_PATH, "an absolute path"), (OBJECT_REPR, "an object repr"),
                  (NATIVE_LOG_LINE, "a TensorFlow C++ log line"),
                  (ANSI_ESCAPE, "a terminal escape code (model.summary() needs print_fn=print)")]
        for text in output_texts(cell):
            for pattern, what in checks:
                match = pattern.search(text)
                if match:
                    found.append(f"{where}: {what} ({match.group()!r})")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_committed_outputs_read_the_same_on_any_machine(path):
    assert problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_code_cell_was_executed(path):
    code_cells = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), "commit the outputs of a full run"


def test_the_checks_catch_each_problem(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(path)", execution_count=1)
    cell.metadata["execution"] = {"iopub.execute_input": "2026-11-22T03:00:00Z"}
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="data: /work/shared/data\n"),
        nbformat.v4.new_output("stream", name="stderr", text="E0000 00:00:1796152658.817984   15598 util.cc:131] x\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "PosixPath('img/a.png')"}, execution_count=1),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<pandas.io.formats.style.Styler at 0x7f12>"},
                               execution_count=1),
        nbformat.v4.new_output("display_data", data={"text/plain": '\x1b[1mModel: "lstm"\x1b[0m\n'}),
    ]
    notebook.cells = [cell]
    path = tmp_path / "99_bad.ipynb"
    nbformat.write(notebook, path)
    found = "\n".join(problems(path))
    for what in ["timestamps", "stderr", "an absolute path", "object repr ('PosixPath('", "Styler at 0x7f12",
                 "C++ log line", "print_fn=print) ('\\x1b[1m')"]:
        assert what in found, what
