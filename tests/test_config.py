"""Run profiles and paths."""
import pytest

from utils import config


def test_profiles_cap_epochs_and_sizes():
    smoke, full = config.get_profile("smoke"), config.get_profile("full")
    assert smoke.epochs(10) == 1 and full.epochs(10) == 10
    assert smoke.limit(25_000, smoke.imdb_train) == 2_000
    assert full.limit(200, full.imdb_train) == 200
    assert full.limit(None, full.imdb_train) is None


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="COURSE_PROFILE='fast'"):
        config.get_profile("fast")


def test_profile_comes_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert config.get_profile().name == "smoke"
    monkeypatch.delenv("COURSE_PROFILE")
    assert config.get_profile().name == "full"


def test_relative_data_dir_starts_at_repo_root(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", "data")
    assert config.data_dir() == config.REPO_ROOT / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path.resolve()


def test_setup_notebook_prints_profile_and_seed(capsys):
    profile = config.setup_notebook("99_test")
    printed = capsys.readouterr().out
    assert f"profile: {profile.name}" in printed and f"seed: {config.SEED}" in printed
    assert "tensorflow" in printed and "device:" in printed


def test_smoke_outputs_go_to_their_own_folder(tmp_path):
    assert config.profile_dir(tmp_path, config.get_profile("full")) == tmp_path
    assert config.profile_dir(tmp_path, config.get_profile("smoke")) == tmp_path / "smoke"
