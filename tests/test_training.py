"""Epoch timing and the results JSON records."""
import json
import re

import keras
import numpy as np
import pytest

from utils import files, stats, trained, training


def tiny_fit(epochs: int = 2):
    """Train a one-weight model for a few epochs; return model, history and timer."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    timer = training.EpochTimer()
    history = model.fit(x, (x[:, 0] > 0).astype("float32"), epochs=epochs, validation_split=0.25, verbose=0, callbacks=[timer])
    return model, history, timer


def test_epoch_timer_times_every_epoch():
    _, _, timer = tiny_fit(epochs=3)
    assert len(timer.epoch_seconds) == 3 and all(s > 0 for s in timer.epoch_seconds)
    assert timer.seconds_per_epoch == np.mean(timer.epoch_seconds)


def test_seconds_per_training_step_times_every_model_on_the_same_batch():
    keras.utils.set_random_seed(0)
    inputs = np.linspace(-1, 1, 32).reshape(-1, 1)
    targets = (inputs[:, 0] > 0).astype("float32")
    models_by_name = {}
    for name, units in (("narrow", 1), ("wide", 8)):
        model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        models_by_name[name] = model
    table = training.seconds_per_training_step(models_by_name, inputs, targets, rounds=3)
    assert list(table.index) == ["narrow", "wide"] and list(table.columns) == ["CPU seconds", "wall seconds"]
    assert (table.to_numpy() > 0).all()
    assert [int(model.optimizer.iterations) for model in models_by_name.values()] == [4, 4], "1 untimed + 3 rounds"
    spread = training.seconds_per_training_step(models_by_name, inputs, targets, rounds=3, spread=True)
    assert list(spread.columns) == ["CPU seconds", "CPU min", "CPU max", "wall seconds"]
    assert (spread["CPU min"] <= spread["CPU seconds"]).all() and (spread["CPU seconds"] <= spread["CPU max"]).all()


def test_record_result_writes_and_replaces_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path)
    model, history, timer = tiny_fit()
    training.record_result("99_test", "tiny", "toy", test_accuracy=0.5, train_samples=48, history=history, timer=timer, model=model)
    entry = training.record_result("99_test", "tiny", "toy", test_accuracy=0.75, train_samples=48, history=history, timer=timer, model=model)
    entries = json.loads(training.results_path("99_test").read_text())
    assert len(entries) == 1 and entries[0] == entry
    assert entry["test_accuracy"] == 0.75 and entry["trainable_params"] == 2 and entry["epochs"] == 2
    assert entry["best_val_accuracy"] == round(max(history.history["val_accuracy"]), 4)
    assert set(entry["versions"]) >= {"tensorflow", "keras"}
    training.record_result("99_test", "tiny_sweep", "toy", test_accuracy=0.6, train_samples=48, extra={"sweep": "size"})
    table = training.results_table("99_test")
    assert list(table.index) == ["tiny"] and table.loc["tiny", "test_accuracy"] == 0.75


def test_add_to_result_adds_keys_to_a_recorded_entry_only(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path)
    training.record_result("99_test", "tiny", "toy", test_accuracy=0.5, train_samples=48)
    training.record_result("99_test", "other", "toy", test_accuracy=0.6, train_samples=48)
    entry = training.add_to_result("99_test", "tiny", {"seeds": [42, 43, 44], "val_accuracy_mean": 0.7})
    entries = {entry["model"]: entry for entry in json.loads(training.results_path("99_test").read_text())}
    assert entries["tiny"] == entry and entry["seeds"] == [42, 43, 44] and entry["test_accuracy"] == 0.5
    assert "seeds" not in entries["other"]
    with pytest.raises(KeyError, match="'missing' has no entry in 99_test.json"):
        training.add_to_result("99_test", "missing", {"seeds": [42]})


@pytest.mark.parametrize("damage, problem", [
    (lambda text: text[: len(text) // 2], r"is damaged: not valid JSON \(.+\)"),
    (lambda text: "garbage", r"is damaged: not valid JSON \(Expecting value: line 1 column 1 \(char 0\)\)"),
    (lambda text: json.dumps({"model": "tiny"}), "is damaged: not a JSON list of results, each with model and "
                                                 "test_accuracy"),
], ids=["cut-short", "garbage", "not-a-list"])
def test_a_damaged_results_file_is_refused_in_one_line_not_by_json(use_profile, damage, problem):
    use_profile("full")
    training.record_result("99_test", "tiny", "toy", test_accuracy=0.5, train_samples=48)
    path = training.results_path("99_test")
    path.write_text(damage(path.read_text()))
    expected = rf"^results/99_test\.json {problem}\. {re.escape(training.RESULTS_ADVICE)}$"
    with pytest.raises(files.DamagedFileError, match=expected) as error:
        training.record_result("99_test", "other", "toy", test_accuracy=0.6, train_samples=48)
    assert error.value.__cause__ is None and (error.value.__context__ is None or error.value.__suppress_context__)
    with pytest.raises(files.DamagedFileError, match=expected):
        training.results_table("99_test")


def test_a_results_write_that_fails_leaves_the_previous_file(use_profile, monkeypatch):
    use_profile("full")
    training.record_result("99_test", "tiny", "toy", test_accuracy=0.5, train_samples=48)
    path = training.results_path("99_test")
    previous = path.read_bytes()

    def write_half_then_fail(self, text):
        """Write half the text, then fail as a full disk would."""
        with open(self, "w") as handle:
            handle.write(text[: len(text) // 2])
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError, match="No space left on device"):
        patch.setattr(type(path), "write_text", write_half_then_fail)
        training.record_result("99_test", "other", "toy", test_accuracy=0.6, train_samples=48)
    assert path.read_bytes() == previous and [entry.name for entry in path.parent.iterdir()] == ["99_test.json"]


def toy_problem(name: str, seed: int = 0):
    """Return a compiled one-weight model called name and 64 points x labelled by x > 0."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1, activation="sigmoid")], name=name)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"])
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    return model, x, (x[:, 0] > 0).astype("float32")


def toy_fit_and_record(seed: int = 0):
    """Run fit_and_record on a one-weight model for up to 3 epochs, testing on flipped labels; return its results."""
    model, x, y = toy_problem("tiny_model", seed)
    history, accuracy = training.fit_and_record(
        "99_test", model, (x, y), validation_data=(x, y), test_data=(x, 1 - y), epochs=3, dataset="toy",
        train_samples=64, patience=1, verbose=0,
    )
    return model, history, accuracy


def test_fit_and_record_keeps_the_best_epoch_and_tests_once(use_profile):
    use_profile("full")
    _, history, accuracy = toy_fit_and_record()
    entry = json.loads(training.results_path("99_test").read_text())[0]
    assert entry["model"] == "tiny_model" and entry["epochs"] == len(history.history["loss"])
    assert entry["best_epoch"] == int(np.argmax(history.history["val_accuracy"])) + 1
    assert isinstance(entry["seconds_per_epoch"], float) and entry["cpu_seconds_per_epoch"] > 0
    assert "trained_by" not in entry
    assert round(accuracy, 4) == entry["test_accuracy"] < 0.5, "the test data (labels flipped) is scored, not the validation data"
    assert trained.weights_path("99_test", "tiny_model").is_file(), "a full run saves the weights for lecture mode"
    assert trained.history_path("99_test", "tiny_model").is_file()
    right = round(accuracy * 64)
    assert entry["test_examples"] == 64
    assert entry["test_interval"] == [round(bound, 4) for bound in stats.wilson_interval(right, 64)]
    assert entry["test_interval"][0] <= entry["test_accuracy"] < entry["test_interval"][1]


def test_fit_and_record_without_report_prints_nothing(use_profile, capsys):
    use_profile("full")
    model, x, y = toy_problem("quiet_model")
    training.fit_and_record("99_test", model, (x, y), test_data=(x, y), epochs=1, dataset="toy", train_samples=64,
                            verbose=0, report=False)
    assert capsys.readouterr().out == ""
    assert json.loads(training.results_path("99_test").read_text())[0]["model"] == "quiet_model"


def test_fit_and_record_under_lecture_loads_tests_and_records_apart(use_profile, monkeypatch, capsys):
    use_profile("full")
    full_model, full_history, full_accuracy = toy_fit_and_record()
    full_results = training.results_path("99_test").read_text()
    use_profile("lecture")
    monkeypatch.setattr(keras.Model, "fit", lambda *args, **kwargs: pytest.fail("lecture mode trained a saved model"))
    capsys.readouterr()
    model, history, accuracy = toy_fit_and_record(seed=1)
    assert accuracy == full_accuracy and history.history == full_history.history
    for loaded, saved in zip(model.get_weights(), full_model.get_weights(), strict=True):
        np.testing.assert_array_equal(loaded, saved)
    assert training.results_path("99_test") == training.RESULTS_DIR / "lecture" / "99_test.json"
    assert (training.RESULTS_DIR / "99_test.json").read_text() == full_results, "the full run's record stays as it was"
    (full_entry,), (entry,) = json.loads(full_results), json.loads(training.results_path("99_test").read_text())
    run_date = json.loads(trained.history_path("99_test", "tiny_model").read_text())["date"]
    assert entry["profile"] == "lecture" and entry["trained_by"] == f"the full run of {run_date}"
    same = ("test_accuracy", "best_val_accuracy", "epochs", "seconds_per_epoch", "cpu_seconds_per_epoch", "best_epoch")
    assert {key: entry[key] for key in same} == {key: full_entry[key] for key in same}
    loaded_line, summary = capsys.readouterr().out.splitlines()
    assert loaded_line.startswith("lecture: loaded tiny_model trained by the full run of ")
    assert summary.startswith("tiny_model: test accuracy ")
    assert summary.endswith(f"s of CPU time in {entry['trained_by']}")


def test_fit_and_record_without_validation_data_records_a_sweep_point(use_profile, capsys):
    use_profile("full")
    model, x, y = toy_problem("sweep_point")
    history, accuracy = training.fit_and_record(
        "99_test", model, (x, y), test_data=(x, y), epochs=2, dataset="toy", train_samples=64, verbose=0,
        extra={"sweep": "size"},
    )
    (entry,) = json.loads(training.results_path("99_test").read_text())
    assert len(history.epoch) == 2 and "val_accuracy" not in history.history
    assert entry["sweep"] == "size" and entry["best_val_accuracy"] is None and "best_epoch" not in entry
    assert entry["test_accuracy"] == round(accuracy, 4) > 0.5
    assert "best validation epoch" not in capsys.readouterr().out


def test_fit_and_record_refuses_patience_without_validation_data(use_profile):
    use_profile("full")
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    x = np.zeros((4, 1))
    with pytest.raises(ValueError, match="needs validation_data"):
        training.fit_and_record("99_test", model, (x, x), test_data=(x, x), epochs=1, dataset="toy",
                                train_samples=4, patience=1)


def test_lecture_reads_another_notebooks_results_from_the_full_run_until_it_has_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(training, "PROFILE", training.PROFILE.__class__("lecture", None, None, None, None))
    entry = {"model": "m", "trainable_params": 1, "epochs": 2, "seconds_per_epoch": 3.0, "best_val_accuracy": 0.8,
             "test_accuracy": 0.75}
    (tmp_path / "10_x.json").write_text(json.dumps([entry]))
    assert training.results_table("10_x").loc["m", "test_accuracy"] == 0.75
    (tmp_path / "lecture").mkdir()
    (tmp_path / "lecture" / "10_x.json").write_text(json.dumps([{**entry, "test_accuracy": 0.7}]))
    assert training.results_table("10_x").loc["m", "test_accuracy"] == 0.7
