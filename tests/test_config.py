"""Run profiles and paths."""
import pytest

from utils import config


def test_profiles_cap_epochs_and_sizes():
    smoke, full = config.get_profile("smoke"), config.get_profile("full")
    assert smoke.epochs(10) == 1 and full.epochs(10) == 10
    assert smoke.limit(25_000, smoke.imdb_train) == 2_000
    assert full.limit(200, full.imdb_train) == 200
    assert full.limit(None, full.imdb_train) is None


def test_lecture_profile_is_full_and_reuses_what_a_full_run_trained(tmp_path):
    full, lecture, smoke = (config.get_profile(name) for name in ("full", "lecture", "smoke"))
    assert lecture.counts == full.counts and lecture.epochs(10) == 10
    assert lecture.reuses_training and not full.reuses_training and not smoke.reuses_training
    assert lecture.is_full_size and full.is_full_size and not smoke.is_full_size
    assert config.profile_dir(tmp_path, lecture) == tmp_path / "lecture"


def test_trained_models_stay_in_the_repository_whatever_the_data_folder():
    assert config.TRAINED_DIR == config.REPO_ROOT / "data" / "trained"


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="COURSE_PROFILE='fast'"):
        config.get_profile("fast")


def test_profile_comes_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert config.get_profile().name == "smoke"
    monkeypatch.setenv("COURSE_PROFILE", "lecture")
    assert config.get_profile().name == "lecture"
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


def test_setup_notebook_prints_the_lecture_profile(monkeypatch, capsys):
    monkeypatch.setattr(config, "PROFILE", config.get_profile("lecture"))
    assert config.setup_notebook("99_test").name == "lecture"
    assert "Notebook 99_test | profile: lecture | seed: 42" in capsys.readouterr().out


def test_smoke_outputs_go_to_their_own_folder(tmp_path):
    assert config.profile_dir(tmp_path, config.get_profile("full")) == tmp_path
    assert config.profile_dir(tmp_path, config.get_profile("smoke")) == tmp_path / "smoke"


@pytest.mark.parametrize("field", ["imdb_train", "imdb_test", "tweets_train", "max_epochs"])
@pytest.mark.parametrize("value", [-1, 0, 1.5])
def test_profile_refuses_sizes_and_epochs_that_are_not_counts(field, value):
    sizes = {"imdb_train": 10, "imdb_test": 10, "tweets_train": 10, "max_epochs": 1} | {field: value}
    with pytest.raises(ValueError, match=rf"Profile 'custom': {field} must be a whole number of at least 1 or None"):
        config.Profile("custom", **sizes)


def test_profile_refuses_a_reuses_training_that_is_not_a_bool():
    with pytest.raises(ValueError, match=r"Profile 'custom': reuses_training must be True or False, not 'yes'"):
        config.Profile("custom", 10, 10, 10, 1, reuses_training="yes")


def test_profile_refuses_lesson_epochs_and_sizes_that_are_not_counts():
    profile = config.get_profile("smoke")
    with pytest.raises(ValueError, match="lesson_epochs must be a whole number of at least 1, not -3"):
        profile.epochs(-3)
    with pytest.raises(ValueError, match=r"lesson_size must be a whole number of at least 1 or None, not 0"):
        profile.limit(0, profile.imdb_train)


def test_course_data_dir_that_does_not_exist_is_refused_naming_path_and_variable(monkeypatch, tmp_path):
    typo = tmp_path / "shraed" / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(typo))
    with pytest.raises(config.DataNotFoundError) as error:
        config.data_dir()
    assert f"COURSE_DATA_DIR={str(typo)!r} names {typo}, which is not a folder" in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_default_data_dir_may_be_missing_until_a_download(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(config, "DEFAULT_DATA_DIR", tmp_path / "data")
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    assert config.data_dir() == tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    assert config.data_dir() == tmp_path / "data", "as the Makefile passes it"
    assert list(tmp_path.iterdir()) == []


def test_shown_path_never_prints_this_machines_absolute_path():
    assert config.shown_path(config.REPO_ROOT / "data") == "data"
    assert config.shown_path(config.REPO_ROOT.parent / "shared" / "data") == "../shared/data"
    outside = config.REPO_ROOT.anchor + "course-data-elsewhere"
    assert config.shown_path(outside) == "$COURSE_DATA_DIR"
