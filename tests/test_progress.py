"""Keras progress: a live bar when someone watches a notebook, exactly one line per epoch when it runs unattended."""
import io
import os
import sys
import types

import keras
import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from utils import progress


def watched_nowhere(monkeypatch):
    """Remove every signal utils.progress reads: no CI, no pytest, no Jupyter session, no Colab, no terminal.

    Called in the test body: pytest sets PYTEST_CURRENT_TEST again at the start of each test phase.
    """
    for variable in (progress.CI_VARIABLE, progress.PYTEST_VARIABLE, progress.JUPYTER_SESSION_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    return monkeypatch


def test_a_kernel_nobody_watches_gets_no_keras_output(monkeypatch):
    watched_nowhere(monkeypatch)
    assert progress.keras_verbose() == 0


def fit_a_small_model(epochs: int) -> None:
    """Fit a one-unit logistic regression on 64 fixed examples with EpochLine, validation data included."""
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(64, 3)).astype("float32")
    labels = (inputs.sum(axis=1) > 0).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(inputs, labels, validation_split=0.25, epochs=epochs, batch_size=16,
              callbacks=[progress.EpochLine()], verbose=progress.keras_verbose())


def test_unattended_training_prints_exactly_one_line_per_epoch(monkeypatch):
    watched_nowhere(monkeypatch)
    fit_a_small_model(epochs=3)
    lines = sys.stdout.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert all(" s, loss " in line and ", val_loss " in line and "val_accuracy " in line for line in lines), lines


def test_watched_training_leaves_the_epoch_lines_to_keras(monkeypatch):
    watched_nowhere(monkeypatch)
    monkeypatch.setenv(progress.JUPYTER_SESSION_VARIABLE, "notebooks/08b_lstm_gru_on_imdb.ipynb")
    callback = progress.EpochLine()
    callback.set_params({"epochs": 1})
    callback.on_epoch_begin(0)
    callback.on_epoch_end(0, {"loss": 0.5})
    assert sys.stdout.getvalue() == ""


@pytest.mark.parametrize("signal", ["jupyter", "colab", "terminal"])
def test_jupyter_colab_and_a_terminal_get_a_live_bar(monkeypatch, signal):
    watched_nowhere(monkeypatch)
    if signal == "jupyter":
        monkeypatch.setenv(progress.JUPYTER_SESSION_VARIABLE, "notebooks/08b_lstm_gru_on_imdb.ipynb")
    elif signal == "colab":
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.setattr(sys, "stdout", types.SimpleNamespace(isatty=lambda: True))
    assert progress.keras_verbose() == 1


@pytest.mark.parametrize("variable, value, expected", [
    (progress.CI_VARIABLE, "true", 0), (progress.CI_VARIABLE, "1", 0),
    (progress.CI_VARIABLE, "false", 1), (progress.CI_VARIABLE, "0", 1),
    (progress.PYTEST_VARIABLE, "tests/test_x.py::test_y (call)", 0),
])
def test_ci_and_pytest_win_over_an_open_jupyter_session(monkeypatch, variable, value, expected):
    watched_nowhere(monkeypatch)
    monkeypatch.setenv(progress.JUPYTER_SESSION_VARIABLE, "notebooks/08b_lstm_gru_on_imdb.ipynb")
    monkeypatch.setenv(variable, value)
    assert progress.keras_verbose() == expected


@pytest.mark.parametrize("session, expected", [(None, 0), ("notebooks/08b_lstm_gru_on_imdb.ipynb", 1)])
def test_a_kernel_started_by_nbclient_is_unattended_unless_jupyter_opened_it(session, expected):
    environment = {key: value for key, value in os.environ.items()
                   if key not in {progress.CI_VARIABLE, progress.PYTEST_VARIABLE, progress.JUPYTER_SESSION_VARIABLE}}
    if session:
        environment[progress.JUPYTER_SESSION_VARIABLE] = session
    probe = f"import runpy\nrunpy.run_path({progress.__file__!r})['keras_verbose']()"
    notebook = new_notebook(cells=[new_code_cell(probe)])
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute(env=environment)
    results = [output for output in notebook.cells[0].outputs if output["output_type"] == "execute_result"]
    assert results[0]["data"]["text/plain"] == str(expected)


def test_unattended_progress_writes_plain_lines_to_stdout(monkeypatch):
    watched_nowhere(monkeypatch)
    assert list(progress.progress(range(3), desc="sizes")) == [0, 1, 2]
    printed = sys.stdout.getvalue()
    assert printed.count("sizes: 3/3 done in") == 1, "the final state is printed once on stdout"
    assert "\r" not in printed, "no carriage returns: each line stands alone in a notebook's output"


def test_unattended_progress_prints_a_line_when_the_interval_has_passed(monkeypatch):
    watched_nowhere(monkeypatch)
    monkeypatch.setattr(progress, "PLAIN_LINE_INTERVAL", 0)
    assert list(progress.progress(iter(range(3)), desc="steps")) == [0, 1, 2]
    lines = sys.stdout.getvalue().splitlines()
    assert [line.split(" after ")[0] for line in lines[:-1]] == ["steps: 1", "steps: 2", "steps: 3"]
    assert lines[-1].startswith("steps: 3 done in")
