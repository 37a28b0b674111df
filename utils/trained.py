"""Lecture mode: what a full run trains is saved under data/trained/<notebook>/, and COURSE_PROFILE=lecture loads it.

A full-size run (full, or lecture when nothing was saved yet) saves each model's weights and history; a lecture run
loads them instead of training and says so in one line. Smoke runs neither load nor save.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import keras

from utils import files
from utils.config import PROFILE, TRAINED_DIR, shown_path

Built = TypeVar("Built")


RETRAIN_ADVICE = "Delete it, or re-run the notebook under COURSE_PROFILE=full to train and save it again."
RUN_KEYS = ["history", "epochs", "profile", "date", "weight_shapes"]
"""What a model's saved run record (<name>.history.json) holds; run_record writes them."""
STAMP_KEYS = ["profile", "date"]


class TrainedArtefactError(files.DamagedFileError):
    """A file under data/trained/ that is damaged, or does not fit the model or the loader of this run."""


def weights_path(notebook: str, name: str) -> Path:
    """Return data/trained/<notebook>/<name>.weights.h5."""
    return TRAINED_DIR / notebook / f"{name}.weights.h5"


def history_path(notebook: str, name: str) -> Path:
    """Return data/trained/<notebook>/<name>.history.json."""
    return TRAINED_DIR / notebook / f"{name}.history.json"


def stamp_path(path: Path) -> Path:
    """Return the JSON file beside an artefact that says which run built it and when."""
    return path.with_name(f"{path.name}.run.json")


def run_stamp() -> dict:
    """Return the profile and UTC date of this run."""
    return {"profile": PROFILE.name, "date": datetime.now(timezone.utc).date().isoformat()}


def trained_by(run: dict) -> str:
    """Return "the <profile> run of <date>" for a saved run."""
    return f"the {run['profile']} run of {run['date']}"


def stale_file_error(path: Path, problem: str) -> TrainedArtefactError:
    """Return the error for a saved file this run cannot use, with what to do about it."""
    return files.damaged_file_error(path, problem, RETRAIN_ADVICE, TrainedArtefactError)


def weight_shapes(model: keras.Model) -> list[list[int]]:
    """Return the shape of every weight of model, in order."""
    return [list(weight.shape) for weight in model.weights]


def run_record(model: keras.Model, history: keras.callbacks.History, *, seconds_per_epoch: float,
               cpu_seconds_per_epoch: float) -> dict:
    """Return what data/trained/ keeps of one training: history, epochs, timings, profile, date and weight shapes."""
    return {
        "history": {key: [float(value) for value in values] for key, values in history.history.items()},
        "epochs": len(history.epoch),
        "seconds_per_epoch": round(seconds_per_epoch, 2),
        "cpu_seconds_per_epoch": round(cpu_seconds_per_epoch, 2),
        **run_stamp(),
        "weight_shapes": weight_shapes(model),
    }


def save_trained(notebook: str, model: keras.Model, name: str, run: dict) -> bool:
    """Save model's weights and its run record under data/trained/<notebook>/ on a full-size profile; return whether.

    The old run record goes just before the new weights take the old ones' place, the new record last: a run killed
    in between leaves weights without a record, which load_trained treats as nothing saved.
    """
    if not PROFILE.is_full_size:
        return False
    with files.written_in_place(weights_path(notebook, name)) as partial:
        model.save_weights(partial)
        history_path(notebook, name).unlink(missing_ok=True)
    files.write_json(history_path(notebook, name), run)
    return True


def read_run(path: Path, keys: list[str]) -> dict:
    """Return the saved run record at path, refusing one that is damaged or lacks one of keys."""
    return files.read_json_record(path, keys, RETRAIN_ADVICE, TrainedArtefactError)


def load_trained(notebook: str, model: keras.Model, name: str) -> dict | None:
    """Under lecture, load name's saved weights into model and return its run record; None when it must be trained."""
    if not PROFILE.reuses_training:
        return None
    path = weights_path(notebook, name)
    if not (path.exists() and history_path(notebook, name).exists()):
        print(f"{PROFILE.name}: no {name} saved by a full run ({shown_path(path)}); training it as under full")
        return None
    run = read_run(history_path(notebook, name), RUN_KEYS)
    saved, current = run["weight_shapes"], weight_shapes(model)
    if saved != current:
        raise stale_file_error(path, f"holds the weights of another model than {name!r} ({len(saved)} weight arrays "
                                     f"of shapes {saved}; this model has {len(current)}: {current})")
    if getattr(model, "optimizer", None) is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)  # the saved optimizer state then loads too
    try:
        model.load_weights(path)
    except OSError as error:  # h5py's answer to a file cut short or not HDF5 at all
        problem = f"is damaged: not a readable weights file ({str(error).splitlines()[0]})"
        raise stale_file_error(path, problem) from None
    except ValueError as error:
        raise stale_file_error(path, f"does not fit the model {name!r} ({str(error).splitlines()[0]})") from None
    print(f"{PROFILE.name}: loaded {name} trained by {trained_by(run)} ({shown_path(path)}); not retrained")
    return run


def history_of(run: dict, model: keras.Model) -> keras.callbacks.History:
    """Return a Keras History holding a saved run's per-epoch metrics, as model.fit would have returned it."""
    history = keras.callbacks.History()
    history.set_model(model)
    history.history = {key: list(values) for key, values in run["history"].items()}
    history.epoch = list(range(run["epochs"]))
    return history


def fit_or_load(notebook: str, model: keras.Model, name: str,
                fit: Callable[[], keras.callbacks.History]) -> keras.callbacks.History:
    """Return the History of fit() (saved under a full-size profile), or under lecture the saved one, fit not called."""
    return fit_or_load_run(notebook, model, name, fit)[0]


def fit_or_load_run(notebook: str, model: keras.Model, name: str,
                    fit: Callable[[], keras.callbacks.History]) -> tuple[keras.callbacks.History, dict]:
    """Return fit_or_load's History and the run record of the training it ran or loaded (timings, profile, date)."""
    run = load_trained(notebook, model, name)
    if run is not None:
        return history_of(run, model), run
    start, cpu_start = time.perf_counter(), time.process_time()
    history = fit()
    epochs = len(history.epoch)
    run = run_record(model, history, seconds_per_epoch=(time.perf_counter() - start) / epochs,
                     cpu_seconds_per_epoch=(time.process_time() - cpu_start) / epochs)
    save_trained(notebook, model, name, run)
    return history, run


def reused_or_built(notebook: str, name: str, build: Callable[[], Built], save: Callable[[Built, Path], None],
                    load: Callable[[Path], Built]) -> Built:
    """Return build() (saved as data/trained/<notebook>/<name> under a full-size profile), or under lecture load()."""
    path = TRAINED_DIR / notebook / name
    if PROFILE.reuses_training and path.exists() and stamp_path(path).exists():
        run = read_run(stamp_path(path), STAMP_KEYS)
        try:
            built = load(path)
        except Exception as error:
            raise stale_file_error(path, f"could not be loaded ({type(error).__name__}: {error})") from None
        print(f"{PROFILE.name}: loaded {name} built by {trained_by(run)} ({shown_path(path)}); not rebuilt")
        return built
    if PROFILE.reuses_training:
        print(f"{PROFILE.name}: no {name} saved by a full run ({shown_path(path)}); building it as under full")
    built = build()
    if PROFILE.is_full_size:  # the old stamp goes before the new files take their place, the new one last
        with files.written_in_place(path) as partial:
            save(built, partial)
            stamp_path(path).unlink(missing_ok=True)
        files.write_json(stamp_path(path), run_stamp())
    return built
