"""Files that survive a killed run: written beside their place, renamed into it; damaged JSON refused in one line."""
import json
import os
import time

import pytest

from utils import config, files

ADVICE = "Delete it and re-run the notebook."


def folder_listing(folder) -> list[str]:
    """Return the names in folder, hidden ones (a write's temporary folder) included, sorted."""
    return sorted(path.name for path in folder.iterdir())


def test_a_finished_write_lands_under_its_name_and_leaves_nothing_else(tmp_path):
    path = tmp_path / "new" / "results.json"
    files.write_json(path, [{"model": "gru", "test_accuracy": 0.81}])
    assert json.loads(path.read_text()) == [{"model": "gru", "test_accuracy": 0.81}]
    assert folder_listing(path.parent) == ["results.json"]


def test_a_write_interrupted_midway_leaves_the_previous_file_and_no_temporary_one(tmp_path):
    path = tmp_path / "tiny.weights.h5"
    path.write_bytes(b"the previous weights")
    with pytest.raises(KeyboardInterrupt):
        with files.written_in_place(path) as partial:
            assert partial.parent != path.parent and partial.name == path.name, "same name, hidden folder"
            partial.write_bytes(b"half of the new wei")
            raise KeyboardInterrupt  # Ctrl-C in the middle of the write
    assert path.read_bytes() == b"the previous weights"
    assert folder_listing(tmp_path) == ["tiny.weights.h5"]


def test_a_first_write_interrupted_midway_leaves_no_file_at_all(tmp_path):
    path = tmp_path / "figure.png"
    with pytest.raises(OSError, match="No space left on device"):
        with files.written_in_place(path) as partial:
            partial.write_bytes(b"\x89PNG")
            raise OSError(28, "No space left on device")
    assert folder_listing(tmp_path) == []


def test_every_file_a_save_writes_beside_its_main_file_is_renamed_into_place(tmp_path):
    path = tmp_path / "cbow.model"
    (tmp_path / "cbow.model.wv.vectors.npy").write_bytes(b"old vectors")
    with files.written_in_place(path) as partial:  # as gensim saves a large model: arrays in files of their own
        partial.write_bytes(b"model")
        partial.with_name("cbow.model.wv.vectors.npy").write_bytes(b"new vectors")
    assert path.read_bytes() == b"model"
    assert (tmp_path / "cbow.model.wv.vectors.npy").read_bytes() == b"new vectors"
    assert folder_listing(tmp_path) == ["cbow.model", "cbow.model.wv.vectors.npy"]


def test_what_a_killed_write_left_goes_at_the_next_write_once_it_is_an_hour_old(tmp_path):
    killed_long_ago, in_progress = tmp_path / ".partial-killed", tmp_path / ".partial-writing"
    for folder in (killed_long_ago, in_progress):
        folder.mkdir()
        (folder / "tiny.weights.h5").write_bytes(b"half")
    hours_ago = time.time() - files.LEFTOVER_AGE_S - 60
    os.utime(killed_long_ago, (hours_ago, hours_ago))
    files.write_text(tmp_path / "RESULTS.md", "# Results\n")
    assert folder_listing(tmp_path) == [".partial-writing", "RESULTS.md"]


@pytest.mark.parametrize("damage, problem", [
    (lambda text: text[: len(text) // 2], r"is damaged: not valid JSON \(.+ line \d+ column \d+ \(char \d+\)\)"),
    (lambda text: "", r"is damaged: not valid JSON \(Expecting value: line 1 column 1 \(char 0\)\)"),
    (lambda text: "\x00\x17garbage{", r"is damaged: not valid JSON \(Expecting value: .+\)"),
], ids=["cut-short", "empty", "garbage"])
def test_damaged_json_is_refused_in_one_line_naming_the_file_and_what_to_do(monkeypatch, tmp_path, damage, problem):
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    path = tmp_path / "results" / "07_simple_rnn.json"
    files.write_json(path, [{"model": "simple_rnn", "test_accuracy": 0.849}])
    path.write_text(damage(path.read_text()))
    with pytest.raises(files.DamagedFileError, match=rf"^results/07_simple_rnn\.json {problem}\. {ADVICE}$") as error:
        files.read_json(path, ADVICE)
    assert "\n" not in str(error.value) and error.value.__cause__ is None and error.value.__suppress_context__


def test_bytes_that_are_not_utf8_are_damaged_json_too(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    path = tmp_path / "run.json"
    path.write_bytes(b'{"profile": "full\xff"}')
    with pytest.raises(files.DamagedFileError, match=r"^run\.json is damaged: not valid JSON \('utf-8' codec"):
        files.read_json(path, ADVICE)


def test_a_json_record_without_its_keys_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    path = tmp_path / "run.json"
    files.write_json(path, {"profile": "full"})
    assert files.read_json_record(path, ["profile"], ADVICE) == {"profile": "full"}
    missing_date = rf"^run\.json is damaged: not a JSON object with date\. {ADVICE}$"
    with pytest.raises(files.DamagedFileError, match=missing_date):
        files.read_json_record(path, ["profile", "date"], ADVICE)
    files.write_json(path, ["profile", "date"])
    with pytest.raises(files.DamagedFileError, match=r"not a JSON object with profile, date\."):
        files.read_json_record(path, ["profile", "date"], ADVICE)
