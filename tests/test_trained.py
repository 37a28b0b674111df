"""Lecture mode: full-size runs save weights, histories and other artefacts under data/trained/; lecture loads them."""
import json
import warnings
from datetime import datetime, timezone

import keras
import numpy as np
import pytest
from gensim.models import KeyedVectors

from utils import files, plots, trained

NOTEBOOK = "99_test"
FEATURES = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
LABELS = (FEATURES[:, 0] > 0).astype("float32")


def tiny_model(seed: int = 0, hidden: int | None = None, outputs: int = 1) -> keras.Model:
    """Return a compiled Input(4) -> [Dense(hidden)] -> Dense(outputs) model with seeded initial weights."""
    keras.utils.set_random_seed(seed)
    layers = [keras.layers.Dense(hidden)] if hidden else []
    model = keras.Sequential([keras.Input(shape=(4,)), *layers, keras.layers.Dense(outputs, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def fit_once(model: keras.Model):
    """Return a callable that trains model for one epoch on the tiny rows and counts its calls in .calls."""
    def fit():
        fit.calls += 1
        return model.fit(FEATURES, LABELS, validation_data=(FEATURES, LABELS), epochs=1, verbose=0)

    fit.calls = 0
    return fit


def train_under_full(use_profile) -> tuple[keras.Model, keras.callbacks.History]:
    """Train the tiny model under the full profile through fit_or_load; return it and its History."""
    use_profile("full")
    model = tiny_model()
    return model, trained.fit_or_load(NOTEBOOK, model, "tiny", fit_once(model))


def today() -> str:
    """Return today's UTC date as the saved runs write it."""
    return datetime.now(timezone.utc).date().isoformat()


def test_full_run_saves_weights_and_history(use_profile, capsys):
    model, history = train_under_full(use_profile)
    assert trained.weights_path(NOTEBOOK, "tiny").is_file()
    run = json.loads(trained.history_path(NOTEBOOK, "tiny").read_text())
    assert run["history"] == history.history and set(run["history"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert run["epochs"] == 1 and run["profile"] == "full" and run["date"] == today()
    assert isinstance(run["seconds_per_epoch"], float) and isinstance(run["cpu_seconds_per_epoch"], float)
    assert run["weight_shapes"] == [[4, 1], [1]]
    assert capsys.readouterr().out == "", "a full run trains without a word about lecture mode"


def test_lecture_loads_the_saved_model_without_fitting(use_profile, capsys):
    full_model, full_history = train_under_full(use_profile)
    use_profile("lecture")
    model = tiny_model(seed=1)
    fit = fit_once(model)
    history = trained.fit_or_load(NOTEBOOK, model, "tiny", fit)
    assert fit.calls == 0
    np.testing.assert_array_equal(model.predict(FEATURES, verbose=0), full_model.predict(FEATURES, verbose=0))
    assert isinstance(history, keras.callbacks.History) and history.model is model
    assert history.history == full_history.history and history.epoch == full_history.epoch == [0]
    assert capsys.readouterr().out == (
        f"lecture: loaded tiny trained by the full run of {today()} (data/trained/99_test/tiny.weights.h5); "
        "not retrained\n"
    )


def test_lecture_without_saved_files_trains_saves_and_reuses_next_time(use_profile, capsys):
    use_profile("lecture")
    model = tiny_model()
    fit = fit_once(model)
    trained.fit_or_load(NOTEBOOK, model, "tiny", fit)
    assert fit.calls == 1
    assert capsys.readouterr().out == (
        "lecture: no tiny saved by a full run (data/trained/99_test/tiny.weights.h5); training it as under full\n"
    )
    assert json.loads(trained.history_path(NOTEBOOK, "tiny").read_text())["profile"] == "lecture"
    next_model = tiny_model(seed=1)
    next_fit = fit_once(next_model)
    trained.fit_or_load(NOTEBOOK, next_model, "tiny", next_fit)
    assert next_fit.calls == 0 and "trained by the lecture run of" in capsys.readouterr().out


def test_smoke_trains_and_never_saves(use_profile, capsys):
    use_profile("smoke")
    model = tiny_model()
    trained.fit_or_load(NOTEBOOK, model, "tiny", fit_once(model))
    assert not trained.TRAINED_DIR.exists()
    train_under_full(use_profile)
    saved_files = [trained.weights_path(NOTEBOOK, "tiny"), trained.history_path(NOTEBOOK, "tiny")]
    saved = [path.read_bytes() for path in saved_files]
    use_profile("smoke")
    model = tiny_model(seed=1)
    fit = fit_once(model)
    trained.fit_or_load(NOTEBOOK, model, "tiny", fit)
    assert fit.calls == 1, "smoke never loads what a full run trained"
    assert [path.read_bytes() for path in saved_files] == saved, "nor overwrites it"
    assert capsys.readouterr().out == ""


def test_fit_or_load_run_returns_the_timings_it_measured_saved_and_loaded(use_profile):
    use_profile("smoke")
    model = tiny_model()
    _, smoke_run = trained.fit_or_load_run(NOTEBOOK, model, "tiny", fit_once(model))
    assert smoke_run["profile"] == "smoke" and smoke_run["seconds_per_epoch"] >= 0
    use_profile("full")
    model = tiny_model()
    full_history, full_run = trained.fit_or_load_run(NOTEBOOK, model, "tiny", fit_once(model))
    assert full_run == json.loads(trained.history_path(NOTEBOOK, "tiny").read_text())
    use_profile("lecture")
    model = tiny_model(seed=1)
    fit = fit_once(model)
    history, run = trained.fit_or_load_run(NOTEBOOK, model, "tiny", fit)
    assert fit.calls == 0 and run == full_run and history.history == full_history.history


@pytest.mark.parametrize("other_model", [{"outputs": 2}, {"hidden": 3}], ids=["wider", "deeper"])
def test_weights_of_another_architecture_are_a_clear_error(use_profile, tmp_path, other_model):
    train_under_full(use_profile)
    use_profile("lecture")
    with pytest.raises(trained.TrainedArtefactError) as error:
        trained.fit_or_load(NOTEBOOK, tiny_model(**other_model), "tiny", fit_once(tiny_model()))
    message = str(error.value)
    assert message.startswith("data/trained/99_test/tiny.weights.h5 holds the weights of another model than 'tiny'")
    assert message.endswith("Delete it, or re-run the notebook under COURSE_PROFILE=full to train and save it again.")
    assert str(tmp_path) not in message


def test_a_saved_history_plots_like_the_one_fit_returned(use_profile, monkeypatch, tmp_path):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path / "img")
    _, full_history = train_under_full(use_profile)
    use_profile("lecture")
    history = trained.fit_or_load(NOTEBOOK, tiny_model(), "tiny", fit_once(tiny_model()))
    figure = plots.plot_history(history, "tiny_history")
    loss_axis, accuracy_axis = figure.axes
    np.testing.assert_array_equal(loss_axis.lines[0].get_ydata(), full_history.history["loss"])
    np.testing.assert_array_equal(accuracy_axis.lines[1].get_ydata(), full_history.history["val_accuracy"])
    assert plots.figure_path("tiny_history").is_file()


def build_counted(value):
    """Return a build callable that returns value and counts its calls in .calls."""
    def build():
        build.calls += 1
        return value

    build.calls = 0
    return build


def save_array(array: np.ndarray, path) -> None:
    """Write array to path with NumPy's own format."""
    np.save(path, array)


def test_reused_or_built_saves_under_full_and_loads_under_lecture(use_profile, capsys):
    vectors = np.arange(6.0).reshape(2, 3)
    use_profile("full")
    build = build_counted(vectors)
    assert trained.reused_or_built(NOTEBOOK, "vectors.npy", build, save_array, np.load) is vectors
    assert build.calls == 1 and capsys.readouterr().out == ""
    use_profile("lecture")
    build = build_counted(None)
    np.testing.assert_array_equal(trained.reused_or_built(NOTEBOOK, "vectors.npy", build, save_array, np.load), vectors)
    assert build.calls == 0
    assert capsys.readouterr().out == (
        f"lecture: loaded vectors.npy built by the full run of {today()} (data/trained/99_test/vectors.npy); "
        "not rebuilt\n"
    )


def test_reused_or_built_under_smoke_builds_and_saves_nothing(use_profile):
    use_profile("smoke")
    build = build_counted(np.ones(3))
    trained.reused_or_built(NOTEBOOK, "vectors.npy", build, save_array, np.load)
    assert build.calls == 1 and not trained.TRAINED_DIR.exists()


def test_reused_or_built_under_lecture_builds_and_saves_what_is_missing(use_profile, capsys):
    use_profile("lecture")
    build = build_counted(np.ones(3))
    trained.reused_or_built(NOTEBOOK, "vectors.npy", build, save_array, np.load)
    assert build.calls == 1 and (trained.TRAINED_DIR / NOTEBOOK / "vectors.npy").is_file()
    assert capsys.readouterr().out == (
        "lecture: no vectors.npy saved by a full run (data/trained/99_test/vectors.npy); building it as under full\n"
    )


def test_reused_or_built_reloads_gensim_keyed_vectors(use_profile):
    vectors = KeyedVectors(vector_size=3)
    vectors.add_vectors(["plot", "actor"], np.arange(6.0, dtype="float32").reshape(2, 3))
    save = lambda keyed_vectors, path: keyed_vectors.save(str(path))  # noqa: E731
    load = lambda path: KeyedVectors.load(str(path))  # noqa: E731
    use_profile("full")
    trained.reused_or_built(NOTEBOOK, "tiny.kv", lambda: vectors, save, load)
    use_profile("lecture")
    reloaded = trained.reused_or_built(NOTEBOOK, "tiny.kv", build_counted(None), save, load)
    assert reloaded.index_to_key == ["plot", "actor"]
    np.testing.assert_array_equal(reloaded["actor"], vectors["actor"])


def test_an_artefact_that_does_not_load_is_a_clear_error(use_profile):
    use_profile("full")
    trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(np.ones(3)), save_array, np.load)
    (trained.TRAINED_DIR / NOTEBOOK / "vectors.npy").write_text("not an array")
    use_profile("lecture")
    unreadable = r"^data/trained/99_test/vectors\.npy could not be loaded \(ValueError: .+\)\. Delete it"
    with pytest.raises(trained.TrainedArtefactError, match=unreadable):
        trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(None), save_array, np.load)


def test_lecture_loads_the_optimizer_state_so_a_saved_keras_file_reloads_without_warnings(use_profile, tmp_path):
    full_model, _ = train_under_full(use_profile)
    use_profile("lecture")
    model = tiny_model(seed=1)
    trained.fit_or_load(NOTEBOOK, model, "tiny", fit_once(model))
    assert model.optimizer.iterations.numpy() == full_model.optimizer.iterations.numpy() > 0
    path = tmp_path / "tiny.keras"
    model.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.saving.load_model(path)


def shown_alone(error: BaseException) -> bool:
    """Return whether Python prints error's traceback without another exception's above it."""
    return error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


@pytest.mark.parametrize("saved_file, damage, problem", [
    (trained.weights_path, lambda data: data[: len(data) // 2], "is damaged: not a readable weights file (Unable to "
                                                                "synchronously open file (truncated file"),
    (trained.weights_path, lambda data: b"<html>Not Found</html>",
     "is damaged: not a readable weights file (Unable to synchronously open file (file signature not found"),
    (trained.history_path, lambda data: data[: len(data) // 3], "is damaged: not valid JSON (Expecting"),
    (trained.history_path, lambda data: b"garbage", "is damaged: not valid JSON (Expecting value: line 1 column 1"),
    (trained.history_path, lambda data: json.dumps({"history": {}, "epochs": 1}).encode(),
     "is damaged: not a JSON object with profile, date, weight_shapes."),
], ids=["weights-cut-short", "weights-not-hdf5", "history-cut-short", "history-garbage", "history-keys-missing"])
def test_a_damaged_saved_file_is_refused_in_one_line_not_by_h5py_or_json(use_profile, saved_file, damage, problem):
    train_under_full(use_profile)
    path = saved_file(NOTEBOOK, "tiny")
    path.write_bytes(damage(path.read_bytes()))
    use_profile("lecture")
    with pytest.raises(files.DamagedFileError) as error:
        trained.fit_or_load(NOTEBOOK, tiny_model(seed=1), "tiny", fit_once(tiny_model()))
    message = str(error.value)
    assert isinstance(error.value, trained.TrainedArtefactError)
    assert message.startswith(f"data/trained/99_test/{path.name} {problem}")
    assert message.endswith(f". {trained.RETRAIN_ADVICE}") and "\n" not in message
    assert shown_alone(error.value), "the notebook shows this line, not h5py's or json's traceback"


def test_a_damaged_stamp_of_a_built_artefact_is_refused_in_one_line(use_profile):
    use_profile("full")
    trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(np.ones(3)), save_array, np.load)
    stamp = trained.stamp_path(trained.TRAINED_DIR / NOTEBOOK / "vectors.npy")
    stamp.write_text(stamp.read_text()[:-8])
    use_profile("lecture")
    with pytest.raises(trained.TrainedArtefactError, match=r"^data/trained/99_test/vectors\.npy\.run\.json is damaged: "
                                                           r"not valid JSON \(.+\)\. Delete it, or re-run"):
        trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(None), save_array, np.load)


def test_a_killed_save_leaves_the_previous_weights_and_history_and_no_temporary_file(use_profile, monkeypatch):
    previous_model, _ = train_under_full(use_profile)
    saved_files = [trained.weights_path(NOTEBOOK, "tiny"), trained.history_path(NOTEBOOK, "tiny")]
    saved = [path.read_bytes() for path in saved_files]
    model = tiny_model(seed=1)

    def save_half_then_stop(path):
        """Write the start of a weights file, then stop as Ctrl-C would."""
        path.write_bytes(saved[0][:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(model, "save_weights", save_half_then_stop)
    with pytest.raises(KeyboardInterrupt):
        trained.fit_or_load(NOTEBOOK, model, "tiny", fit_once(model))
    assert [path.read_bytes() for path in saved_files] == saved
    assert sorted(path.name for path in saved_files[0].parent.iterdir()) == ["tiny.history.json", "tiny.weights.h5"]
    use_profile("lecture")
    reloaded = tiny_model(seed=2)
    trained.fit_or_load(NOTEBOOK, reloaded, "tiny", fit_once(reloaded))
    np.testing.assert_array_equal(reloaded.predict(FEATURES, verbose=0), previous_model.predict(FEATURES, verbose=0))


def test_weights_saved_without_their_history_count_as_nothing_saved(use_profile, capsys):
    train_under_full(use_profile)
    trained.history_path(NOTEBOOK, "tiny").unlink()  # a run killed between the two files
    use_profile("lecture")
    model = tiny_model(seed=1)
    fit = fit_once(model)
    trained.fit_or_load(NOTEBOOK, model, "tiny", fit)
    assert fit.calls == 1 and capsys.readouterr().out.startswith("lecture: no tiny saved by a full run")


def test_a_killed_save_of_a_built_artefact_leaves_the_previous_one(use_profile):
    use_profile("full")
    trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(np.ones(3)), save_array, np.load)
    folder = trained.TRAINED_DIR / NOTEBOOK
    saved = {path.name: path.read_bytes() for path in folder.iterdir()}

    def save_then_fail(array, path):
        """Save the array, then fail as a full disk would before the save returns."""
        save_array(array, path)
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        trained.reused_or_built(NOTEBOOK, "vectors.npy", build_counted(np.zeros(3)), save_then_fail, np.load)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == saved
