"""`make course`: notebooks run in order, in place; the first failure stops the run, its notebook left as it was."""
import json

import nbformat
import pytest
from scipy import stats as scipy_stats

from utils import config, course


def write_notebook(path, *sources):
    """Write a notebook with one code cell per source."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def test_runs_in_place_then_stops_at_first_failure_leaving_it_as_it_was(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(course, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(course, "FAILED_DIR", tmp_path / "failed")
    good = write_notebook(tmp_path / "01_good.ipynb", "print(6 * 7)")
    earlier_run = nbformat.read(good, 4)
    earlier_run.cells[0].metadata["execution"] = {"iopub.status.idle": "2026-11-22T03:46:00.000Z"}
    nbformat.write(earlier_run, good)
    bad = write_notebook(tmp_path / "02_bad.ipynb", "1 / 0", "print('never')")
    committed = nbformat.read(bad, 4)
    committed.cells[1].outputs = [nbformat.v4.new_output("stream", text="never\n")]
    nbformat.write(committed, bad)
    committed_bytes = bad.read_bytes()
    never = write_notebook(tmp_path / "03_never.ipynb", "print('not run')")
    assert course.main([str(good), str(bad), str(never)]) == 1
    printed, kernel_logs = capfd.readouterr()
    assert "without encryption" not in kernel_logs
    assert "[1/3] 01_good.ipynb" in printed and "done in" in printed
    assert "[2/3] 02_bad.ipynb" in printed and "FAILED" in printed and "ZeroDivisionError" in printed
    assert f"left as it was; its run up to the error is in {tmp_path / 'failed' / '02_bad.ipynb'}" in printed
    assert "03_never" not in printed
    assert nbformat.read(good, 4).cells[0].outputs[0]["text"] == "42\n"
    assert all("execution" not in cell.metadata for cell in nbformat.read(good, 4).cells), "no per-cell timestamps"
    assert bad.read_bytes() == committed_bytes
    assert nbformat.read(tmp_path / "failed" / "02_bad.ipynb", 4).cells[0].outputs[0]["ename"] == "ZeroDivisionError"
    assert sorted(path.name for path in (tmp_path / "failed").iterdir()) == ["02_bad.ipynb"]
    assert nbformat.read(never, 4).cells[0].outputs == []


def test_a_notebook_write_stopped_midway_leaves_the_committed_notebook(tmp_path, monkeypatch):
    committed = write_notebook(tmp_path / "01_good.ipynb", "print(6 * 7)")
    committed_bytes = committed.read_bytes()
    real_write = nbformat.write

    def write_then_stop(notebook, path):
        """Write the executed notebook's first half, then stop as Ctrl-C would."""
        real_write(notebook, path)
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
        raise KeyboardInterrupt

    monkeypatch.setattr(course.nbformat, "write", write_then_stop)
    with pytest.raises(KeyboardInterrupt):
        course.execute_notebook(committed)
    assert committed.read_bytes() == committed_bytes and [path.name for path in tmp_path.iterdir()] == ["01_good.ipynb"]


def test_results_table_has_one_row_per_model(tmp_path):
    entries = [{"notebook": "07_x", "dataset": "IMDb", "model": "m", "test_accuracy": 0.85, "epochs": 3}]
    (tmp_path / "07_x.json").write_text(json.dumps(entries))
    table = course.results_markdown(tmp_path).splitlines()
    assert table[0].startswith("| notebook | dataset | model |") and len(table) == 3
    assert table[2].startswith("| 07_x | IMDb | m |") and "| 0.85 |" in table[2]


def test_results_table_leaves_out_sweep_points(tmp_path):
    entries = [
        {"notebook": "05_x", "model": "flatten", "test_accuracy": 0.7},
        {"notebook": "05_x", "model": "flatten_maxlen50_sweep", "test_accuracy": 0.8, "sweep": "maxlen"},
    ]
    (tmp_path / "05_x.json").write_text(json.dumps(entries))
    table = course.results_markdown(tmp_path).splitlines()
    assert len(table) == 3 and "| flatten |" in table[2]


def test_run_summary_heads_the_results_file(tmp_path, monkeypatch):
    monkeypatch.setattr(course, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(course, "PROFILE", course.PROFILE.__class__("full", None, None, None, None))
    (tmp_path / "07_x.json").write_text(json.dumps([{"notebook": "07_x", "model": "m", "test_accuracy": 0.85}]))
    text = course.write_results_table("ran 12 notebooks in 41.0 min").read_text()
    assert text.splitlines()[2] == "ran 12 notebooks in 41.0 min" and "| 07_x |" in text


def test_refuses_to_write_lecture_runs_into_the_committed_notebooks(monkeypatch, capsys):
    monkeypatch.setattr(course, "PROFILE", config.get_profile("lecture"))
    monkeypatch.setattr(course, "execute_notebook", lambda path: pytest.fail("no notebook may run"))
    assert course.main([]) == 2
    assert "COURSE_PROFILE=lecture make lab" in capsys.readouterr().out


def test_a_run_of_some_notebooks_keeps_the_whole_courses_summary_and_adds_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(course, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(course, "PROFILE", course.PROFILE.__class__("full", None, None, None, None))
    monkeypatch.setattr(course, "execute_notebook", lambda path: 1.0)
    monkeypatch.setattr(course, "REPO_ROOT", tmp_path)
    course.write_results_table("`make course` ran 15 notebooks in 95.8 min")
    assert course.main([str(write_notebook(tmp_path / "00_a.ipynb", "1"))]) == 0
    lines = [line for line in (tmp_path / "RESULTS.md").read_text().splitlines() if line]
    assert lines[1] == "`make course` ran 15 notebooks in 95.8 min"
    assert lines[2].startswith("Re-run outside `make course` since: 00_a, in 0.0 min on ")
    assert "load average at the end" in lines[2]


def test_results_table_gives_every_test_accuracy_its_interval(tmp_path):
    entries = [
        {"notebook": "07_x", "dataset": "IMDb", "model": "recorded", "test_accuracy": 0.85, "test_interval": [0.8, 0.9]},
        {"notebook": "07_x", "dataset": "Sentiment140", "model": "tweets", "test_accuracy": 300 / 359},
        {"notebook": "07_x", "dataset": "pairs", "model": "translator", "test_accuracy": 0.6, "test_bleu": 29.8,
         "test_bleu_interval": [29.1, 30.5]},
        {"notebook": "07_x", "dataset": "unknown size", "model": "other", "test_accuracy": 0.5},
    ]
    (tmp_path / "07_x.json").write_text(json.dumps(entries))
    rows = {row.split(" | ")[2]: row for row in course.results_markdown(tmp_path).splitlines()[2:]}
    low, high = scipy_stats.binomtest(300, 359).proportion_ci(0.95, method="wilson")
    assert "| 80.00% to 90.00% |" in rows["recorded"]
    assert f"| {low:.2%} to {high:.2%} |" in rows["tweets"]
    assert "| BLEU 29.8 [29.1, 30.5] |" in rows["translator"]
    assert "| 0.5 |  |" in rows["other"]
