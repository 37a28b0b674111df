"""Run the whole course: execute every notebook in order, in place, then gather the results table.

A notebook is written back only when all its cells ran; the run of a failing or interrupted notebook goes to
FAILED_DIR, and the committed notebook stays as it was.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from utils import files
from utils.colab import course_notebooks
from utils.config import PROFILE, REPO_ROOT, RESULTS_DIR, device_name, profile_dir
from utils.stats import interval_of_accuracy
from utils.training import model_entries

TEST_EXAMPLES = {"IMDb": 25_000, "Sentiment140": 359}
"""Test examples of each dataset's official test set, for intervals of entries recorded without their count."""

FAILED_DIR = REPO_ROOT / "build" / "failed_notebooks"
RESULT_COLUMNS = [
    ("notebook", "notebook"),
    ("dataset", "dataset"),
    ("model", "model"),
    ("trainable_params", "trainable params"),
    ("epochs", "epochs"),
    ("seconds_per_epoch", "s/epoch"),
    ("test_accuracy", "test accuracy"),
    ("test_interval", "test 95% interval"),
    ("reference", "published reference"),
    ("device", "device"),
    ("profile", "profile"),
]


def failed_copy(path: Path) -> Path:
    """Return where the run of a notebook that stopped with an error is saved."""
    return FAILED_DIR / path.name


def shown(path: Path) -> Path:
    """Return path relative to the repository when it lies inside it (for messages)."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def execute_notebook(path: Path, timeout: int = 3600) -> float:
    """Execute a notebook (in its own folder), write it back if every cell ran, and return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,  # no per-cell execution timestamps in the committed notebooks
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # not the kernel's local-TCP warning, once per notebook
    )
    try:
        client.execute()
    except BaseException:
        failed_copy(path).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, failed_copy(path))
        raise
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps an earlier nbclient run may have left
    with files.written_in_place(path) as partial:
        nbformat.write(notebook, partial)
    failed_copy(path).unlink(missing_ok=True)
    return time.perf_counter() - start


def test_interval_cell(entry: dict) -> str:
    """Return the 95% interval of an entry's test score (recorded, Wilson's from its test set's size, or BLEU's).

    Percentages keep two decimals, the precision intervals are recorded with, so that no bound is rounded twice.
    """
    if entry.get("test_bleu_interval"):
        low, high = entry["test_bleu_interval"]
        return f"BLEU {entry['test_bleu']} [{low}, {high}]"
    interval = entry.get("test_interval") or entry.get("test_interval_95")
    examples = entry.get("test_examples") or TEST_EXAMPLES.get(entry.get("dataset"))
    if not interval and examples and entry.get("test_accuracy") is not None:
        interval = interval_of_accuracy(entry["test_accuracy"], examples)
    return f"{100 * interval[0]:.2f}% to {100 * interval[1]:.2f}%" if interval else ""


def results_markdown(folder: Path) -> str:
    """Return a Markdown table of the results/*.json entries in folder, one row per model (sweep points left out)."""
    header = "| " + " | ".join(title for _, title in RESULT_COLUMNS) + " |"
    rows = [header, "|" + "---|" * len(RESULT_COLUMNS)]
    for path in sorted(folder.glob("*.json")):
        for entry in model_entries(path):
            cells = [test_interval_cell(entry) if key == "test_interval" else entry.get(key) for key, _ in RESULT_COLUMNS]
            rows.append("| " + " | ".join("" if cell is None else str(cell) for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def write_results_table(run_summary: str = "") -> Path:
    """Gather results/*.json of the current profile into RESULTS.md beside them, under an optional run summary."""
    folder = profile_dir(RESULTS_DIR, PROFILE)
    path = folder / "RESULTS.md"
    summary = f"{run_summary}\n\n" if run_summary else ""
    files.write_text(path, f"# Results of the course's models ({PROFILE.name} profile)\n\n{summary}"
                     + results_markdown(folder))
    return path


def earlier_summary() -> list[str]:
    """Return the run lines of the current RESULTS.md (between its title and its table), or [] if there is none."""
    path = profile_dir(RESULTS_DIR, PROFILE) / "RESULTS.md"
    if not path.exists():
        return []
    head = path.read_text(encoding="utf-8").split("\n| ")[0]
    return [line for line in head.splitlines() if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    """Run the notebooks given (default: all, in order), stop at the first failure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")
    args = parser.parse_args(argv)
    if PROFILE.reuses_training:
        print(f"`make course` writes each run into the committed notebooks, so it does not run under "
              f"COURSE_PROFILE={PROFILE.name}: open the notebooks with `COURSE_PROFILE={PROFILE.name} make lab`.")
        return 2
    notebooks = args.notebooks or course_notebooks(REPO_ROOT)
    course_start = time.perf_counter()
    for number, path in enumerate(notebooks, start=1):
        print(f"[{number}/{len(notebooks)}] {path.name} ({PROFILE.name} profile) ...", end=" ", flush=True)
        try:
            seconds = execute_notebook(path.resolve())
        except CellExecutionError as error:
            print("FAILED")
            print(
                f"\n{path.name} stopped with an error and was left as it was; its run up to the error is in "
                f"{shown(failed_copy(path))}."
            )
            print(f"{error.ename}: {error.evalue}"[:2000])
            return 1
        print(f"done in {seconds:.0f} s", flush=True)
    minutes = (time.perf_counter() - course_start) / 60
    finished = f"on {device_name()}, finishing {time.strftime('%Y-%m-%d %H:%M %Z')}."
    if args.notebooks:
        one_minute, _, fifteen_minutes = os.getloadavg()
        summary = "\n\n".join(earlier_summary() + [
            f"Re-run outside `make course` since: {', '.join(path.stem for path in notebooks)}, in {minutes:.1f} min "
            f"{finished[:-1]}; load average at the end {one_minute:.1f} (1 min) and {fifteen_minutes:.1f} (15 min), "
            f"where more than the {os.cpu_count()} cores means other jobs shared the CPU."])
    else:
        summary = f"`make course` ran {len(notebooks)} notebooks in {minutes:.1f} min {finished}"
    print(summary)
    print(f"Results table: {write_results_table(summary).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
