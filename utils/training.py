"""Training helpers: per-epoch and per-step timing, the results/<notebook>.json records, and lecture mode's reuse."""
from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import pandas as pd

from utils import files, stats, trained
from utils.config import PROFILE, RESULTS_DIR, device_name, library_versions, profile_dir
from utils.progress import EpochLine, keras_verbose

RESULTS_ADVICE = "Delete it and re-run the notebook: it records each model's result again."
RESULT_KEYS = ["model", "test_accuracy"]



class EpochTimer(keras.callbacks.Callback):
    """Record the wall-clock seconds of every training epoch."""

    def __init__(self):
        super().__init__()
        self.epoch_seconds: list[float] = []
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(time.perf_counter() - self._start)

    @property
    def seconds_per_epoch(self) -> float:
        """Mean seconds per epoch."""
        return float(np.mean(self.epoch_seconds)) if self.epoch_seconds else float("nan")


def results_path(notebook: str) -> Path:
    """Return results/<notebook>.json (results/smoke/ under the smoke profile)."""
    return profile_dir(RESULTS_DIR, PROFILE) / f"{notebook}.json"


def record_result(
    notebook: str,
    model_name: str,
    dataset: str,
    *,
    test_accuracy: float,
    train_samples: int,
    history=None,
    timer: EpochTimer | None = None,
    model: keras.Model | None = None,
    reference: str = "",
    extra: dict | None = None,
) -> dict:
    """Store one model's result in results/<notebook>.json (replacing its old entry) and return it."""
    metrics = history.history if history is not None else {}
    validation = [key for key in metrics if key.startswith("val_") and "acc" in key]
    entry = {
        "notebook": notebook,
        "model": model_name,
        "dataset": dataset,
        "profile": PROFILE.name,
        "test_accuracy": round(float(test_accuracy), 4),
        "best_val_accuracy": round(float(max(metrics[validation[0]])), 4) if validation else None,
        "epochs": len(metrics.get("loss", [])) or None,
        "seconds_per_epoch": round(timer.seconds_per_epoch, 2) if timer else None,
        "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights)) if model else None,
        "train_samples": int(train_samples),
        "reference": reference,
        "device": device_name(),
        "versions": library_versions(),
        **(extra or {}),
    }
    path = results_path(notebook)
    entries = read_entries(path) if path.exists() else []
    entries = [old for old in entries if old["model"] != model_name] + [entry]
    files.write_json(path, entries)
    return entry


def add_to_result(notebook: str, model_name: str, extra: dict) -> dict:
    """Add extra's keys to model_name's entry in results/<notebook>.json (recorded before) and return the entry."""
    path = results_path(notebook)
    entries = read_entries(path) if path.exists() else []
    matching = [entry for entry in entries if entry["model"] == model_name]
    if not matching:
        raise KeyError(f"{model_name!r} has no entry in {path.name} to add {sorted(extra)} to: record its result first "
                       f"(fit_and_record or record_result), then add to it.")
    matching[0].update(extra)
    files.write_json(path, entries)
    return matching[0]


def read_entries(path: Path) -> list[dict]:
    """Return every entry of a results JSON file, refusing (DamagedFileError) one that is not a list of results."""
    entries = files.read_json(path, RESULTS_ADVICE)
    if not (isinstance(entries, list)
            and all(isinstance(entry, dict) and all(key in entry for key in RESULT_KEYS) for entry in entries)):
        raise files.damaged_file_error(
            path, f"is damaged: not a JSON list of results, each with {' and '.join(RESULT_KEYS)}", RESULTS_ADVICE)
    return entries


def _inputs(data) -> dict:
    """Return fit/evaluate keyword arguments for a tf.data.Dataset or an (inputs, labels) pair."""
    return {"x": data[0], "y": data[1]} if isinstance(data, tuple) else {"x": data}


def fit_and_record(
    notebook: str,
    model: keras.Model,
    train_data,
    *,
    validation_data=None,
    test_data,
    epochs: int,
    dataset: str,
    train_samples: int,
    name: str | None = None,
    patience: int | None = None,
    reference: str = "",
    extra: dict | None = None,
    verbose: int | None = None,
    report: bool = True,
) -> tuple[keras.callbacks.History, float]:
    """Train (or under lecture load what a full run trained), test once, record as name; return (history, accuracy).

    Without validation_data (the points of a sweep) no best epoch is recorded, and there is none to stop early on.
    Test data given as (inputs, labels) also records the accuracy's 95% Wilson interval; report=False prints nothing.
    """
    if validation_data is None and patience is not None:
        raise ValueError(f"patience={patience} needs validation_data: early stopping watches the validation accuracy.")
    name = name or model.name
    run = trained.load_trained(notebook, model, name)
    if run is None:
        history, run = timed_fit(model, train_data, validation_data, epochs, patience, verbose)
        trained.save_trained(notebook, model, name, run)
        reuse = {}
    else:
        history = trained.history_of(run, model)
        reuse = {"trained_by": trained.trained_by(run)}
    test_accuracy = float(model.evaluate(**_inputs(test_data), verbose=0)[1])
    validation_accuracy = history.history.get("val_accuracy")
    best = {"best_epoch": int(np.argmax(validation_accuracy)) + 1} if validation_accuracy else {}
    timings = {key: run[key] for key in ("seconds_per_epoch", "cpu_seconds_per_epoch")}
    interval = {}
    if isinstance(test_data, tuple):
        examples = len(test_data[1])
        low, high = stats.interval_of_accuracy(test_accuracy, examples)
        interval = {"test_interval": [round(low, 4), round(high, 4)], "test_examples": examples}
    record_result(
        notebook, name, dataset, test_accuracy=test_accuracy, train_samples=train_samples, history=history,
        model=model, reference=reference, extra={**best, **timings, **interval, **reuse, **(extra or {})},
    )
    if report:
            print(f"{name}: test accuracy {test_accuracy:.4f}"
              + (f" (best validation epoch {best['best_epoch']})" if best else "")
              + f"; {run['seconds_per_epoch']:.1f} s per epoch, {run['cpu_seconds_per_epoch']:.1f} s of CPU time"
              + (f" in {reuse['trained_by']}" if reuse else ""))
    return history, test_accuracy


def timed_fit(model: keras.Model, train_data, validation_data, epochs: int, patience: int | None,
              verbose: int | None) -> tuple[keras.callbacks.History, dict]:
    """Fit (best validation epoch kept if patience is set); return the History and its run record with timings."""
    timer = EpochTimer()
    callbacks = [timer] if verbose is not None else [timer, EpochLine()]
    if patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping("val_accuracy", patience=patience, restore_best_weights=True))
    cpu_start = time.process_time()
    history = model.fit(
        **_inputs(train_data), validation_data=validation_data, epochs=epochs, callbacks=callbacks,
        verbose=keras_verbose() if verbose is None else verbose,
    )
    cpu_seconds_per_epoch = (time.process_time() - cpu_start) / len(history.epoch)
    run = trained.run_record(model, history, seconds_per_epoch=timer.seconds_per_epoch,
                             cpu_seconds_per_epoch=cpu_seconds_per_epoch)
    return history, run


def seconds_per_training_step(
    models_by_name: dict[str, keras.Model], inputs: np.ndarray, targets: np.ndarray, rounds: int = 10,
    spread: bool = False
) -> pd.DataFrame:
    """Return each model's median CPU and wall-clock seconds per training step, the models taking turns on one batch.

    With spread=True the table also has the fastest and slowest round's CPU seconds ("CPU min", "CPU max").
    """
    for model in models_by_name.values():
        model.train_on_batch(inputs, targets)  # the first call also traces the graph: not timed
    timings = {name: [] for name in models_by_name}
    for _ in range(rounds):
        for name, model in models_by_name.items():
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            model.train_on_batch(inputs, targets)
            timings[name].append((time.process_time() - cpu_start, time.perf_counter() - wall_start))
    table = pd.DataFrame({name: np.median(pairs, axis=0) for name, pairs in timings.items()},
                         index=["CPU seconds", "wall seconds"]).T
    if spread:
        cpu_seconds = {name: np.array(pairs)[:, 0] for name, pairs in timings.items()}
        table.insert(1, "CPU min", [cpu_seconds[name].min() for name in table.index])
        table.insert(2, "CPU max", [cpu_seconds[name].max() for name in table.index])
    return table


def model_entries(path: Path) -> list[dict]:
    """Return the entries of a results JSON file, one per model: the points of a sweep are left out."""
    return [entry for entry in read_entries(path) if not entry.get("sweep")]


def results_table(notebook: str) -> pd.DataFrame:
    """Return a notebook's recorded results as a table, one row per model (sweep points left out).

    Under `lecture`, a notebook not yet run in lecture mode is read from the full run's results, which lecture mode
    reproduces: so a lecture can open notebook 11 without running notebook 10 first.
    """
    path = results_path(notebook)
    if PROFILE.name == "lecture" and not path.exists():
        path = RESULTS_DIR / f"{notebook}.json"
    entries = model_entries(path)
    columns = ["model", "trainable_params", "epochs", "seconds_per_epoch", "best_val_accuracy", "test_accuracy"]
    return pd.DataFrame(entries)[columns].set_index("model")
