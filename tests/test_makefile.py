"""The build: what the Makefile hands the notebooks, which Pythons it accepts, the lock against pyproject's ranges."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from utils.config import REPO_ROOT

PRINT_DATA_PATHS = 'print-data-paths: ; @echo "$$COURSE_DATA_DIR"; echo "$$NLTK_DATA"'
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-c" ]; then echo "$FAKE_PYTHON_VERSION"; exit 0; fi
if [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && printf '#!/bin/sh\\n' > "$3/bin/python" && chmod +x "$3/bin/python"; exit 0
fi
exit 1
"""


def make(*args: str, cwd: Path = REPO_ROOT, **env: str) -> subprocess.CompletedProcess:
    """Run make with the course's Makefile, without the data or Colab variables of the calling environment."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"COURSE_DATA_DIR", "NLTK_DATA", "MAKEFLAGS"} and not key.startswith("COLAB_")}
    command = ["make", "--no-print-directory", "-C", str(REPO_ROOT), *args]
    return subprocess.run(command, cwd=cwd, env={**environment, **env}, capture_output=True, text=True)


def exported_data_paths(*args: str, cwd: Path = REPO_ROOT, **env: str) -> list[str]:
    """Return COURSE_DATA_DIR and NLTK_DATA as a recipe of the Makefile (and so a notebook) sees them."""
    result = make(f"--eval={PRINT_DATA_PATHS}", "print-data-paths", *args, cwd=cwd, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_relative_paths_on_the_command_line_reach_recipes_absolute():
    command_line = exported_data_paths("COURSE_DATA_DIR=../shared/data", "NLTK_DATA=../shared/data/nltk_data")
    shared = REPO_ROOT.parent / "shared" / "data"
    assert command_line == [str(shared), str(shared / "nltk_data")]


def test_relative_paths_from_the_environment_and_defaults_are_absolute(tmp_path):
    from_environment = exported_data_paths(cwd=tmp_path, COURSE_DATA_DIR="../shared/data")
    shared = REPO_ROOT.parent / "shared" / "data"
    assert from_environment == [str(shared), str(shared / "nltk_data")]
    assert exported_data_paths() == [str(REPO_ROOT / "data"), str(REPO_ROOT / "data" / "nltk_data")]


def test_ci_runs_the_readme_offline_commands():
    readme = (REPO_ROOT / "README.md").read_text()
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    for target in ("test", "test-colab"):
        readme_command = re.search(rf"^make {target} COURSE_DATA_DIR=\S+ NLTK_DATA=\S+$", readme, re.M)
        assert readme_command is not None, target
        assert readme_command.group(0) in ci_lines


def supported_pythons() -> list[str]:
    """Return the Makefile's SUPPORTED_PYTHONS."""
    result = make("--eval=print-supported: ; @echo $(SUPPORTED_PYTHONS)", "print-supported")
    return result.stdout.split()


def test_makefile_accepts_exactly_the_pythons_of_requires_python():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requires_python = SpecifierSet(project["requires-python"])
    assert supported_pythons() == [f"3.{minor}" for minor in range(30) if f"3.{minor}" in requires_python]


def fake_python(tmp_path: Path) -> Path:
    """Write a stand-in interpreter that reports $FAKE_PYTHON_VERSION and fakes `-m venv`."""
    path = tmp_path / "python"
    path.write_text(FAKE_PYTHON)
    path.chmod(0o755)
    return path


def test_unsupported_python_stops_before_the_venv_is_created(tmp_path):
    venv = tmp_path / "venv"
    for version in ("3.10", "3.14"):
        result = make(f"PYTHON={fake_python(tmp_path)}", f"VENV={venv}", f"{venv}/bin/python",
                      FAKE_PYTHON_VERSION=version)
        assert result.returncode != 0
        assert f"is Python {version}; the course needs one of 3.11 3.12 3.13" in result.stdout
        assert not venv.exists()


def test_supported_python_creates_the_venv(tmp_path):
    venv = tmp_path / "venv"
    result = make(f"PYTHON={fake_python(tmp_path)}", f"VENV={venv}", f"{venv}/bin/python", FAKE_PYTHON_VERSION="3.12")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (venv / "bin" / "python").exists()


def pins(path: Path) -> dict[str, str]:
    """Return {package: version} of a requirements file's `name==version` lines, following `-r` includes."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            found |= pins(path.parent / line[3:].strip())
        elif line:
            name, version = line.split("==")
            found[name.lower()] = version
    return found


def test_lock_pins_every_declared_package_within_its_range():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    with_tools = project["dependencies"] + project["optional-dependencies"]["dev"]
    for lock, declared in (("requirements.txt", project["dependencies"]), ("requirements-dev.txt", with_tools),
                           ("requirements-colab.txt", with_tools)):
        locked = pins(REPO_ROOT / lock)
        requirements = [Requirement(line) for line in declared]
        assert sorted(locked) == sorted(requirement.name.lower() for requirement in requirements), lock
        for requirement in requirements:
            assert requirement.specifier.contains(locked[requirement.name.lower()]), (lock, str(requirement))


def test_lock_is_installed_in_the_running_environment():
    from importlib.metadata import version

    # make test names the lock its venv was built from; a bare pytest runs in .venv, built from requirements-dev.txt.
    lock = os.environ.get("COURSE_LOCK", "requirements-dev.txt")
    for name, pinned in pins(REPO_ROOT / lock).items():
        assert version(name) == pinned, (lock, name)


def test_colab_lock_keeps_the_tools_of_the_course_lock():
    colab, course = pins(REPO_ROOT / "requirements-colab.txt"), pins(REPO_ROOT / "requirements-dev.txt")
    tools = set(course) - set(pins(REPO_ROOT / "requirements.txt"))
    assert {name: colab[name] for name in tools} == {name: course[name] for name in tools}


def test_gpu_extra_is_the_runtime_tensorflow_with_cuda_on_linux():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    (gpu,) = [Requirement(line) for line in project["optional-dependencies"]["gpu"]]
    (tensorflow,) = [Requirement(line) for line in project["dependencies"] if line.startswith("tensorflow")]
    assert gpu.name == "tensorflow" and gpu.extras == {"and-cuda"} and gpu.specifier == tensorflow.specifier
    assert gpu.marker.evaluate({"sys_platform": "linux"}) and not gpu.marker.evaluate({"sys_platform": "darwin"})


def test_lab_hands_the_notebooks_the_profile_of_the_environment_or_full(tmp_path):
    jupyter = tmp_path / "python"
    jupyter.write_text('#!/bin/sh\necho "COURSE_PROFILE=$COURSE_PROFILE $*"\n')
    jupyter.chmod(0o755)
    for environment, profile in (({"COURSE_PROFILE": ""}, "full"), ({"COURSE_PROFILE": "lecture"}, "lecture")):
        result = make("lab", "STAMP=", f"PY={jupyter}", **environment)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == f"COURSE_PROFILE={profile} -m jupyter lab notebooks/"


def test_colab_tests_run_in_their_own_venv_from_the_colab_lock(tmp_path):
    pytest = tmp_path / "python"
    pytest.write_text('#!/bin/sh\necho "COURSE_PROFILE=$COURSE_PROFILE COURSE_LOCK=$COURSE_LOCK $*"\n')
    pytest.chmod(0o755)
    recipe = make("-n", "test-colab").stdout
    assert "VENV=.venv-colab LOCK=requirements-colab.txt" in recipe
    result = make("test-colab", "STAMP=", f"PY={pytest}", f"COLAB_PYTHON={pytest}")
    assert result.returncode == 0, result.stderr
    notebooks = ["02_vectorizing_text", "09_bidirectional_lstm", "12_attention", "13a_language_model",
                 "13b_memory"]
    expected = " ".join(["tests"] + [f"notebooks/{name}.ipynb" for name in notebooks]
                        + ["--ignore=tests/test_browser.py"])
    assert result.stdout.splitlines()[-1] == (f"COURSE_PROFILE=smoke COURSE_LOCK=requirements-colab.txt -m pytest -n 2 "
                                              f"{expected}")


def test_colab_tests_stop_with_one_line_when_there_is_no_colab_python(tmp_path):
    missing, venv = tmp_path / "python3.13", tmp_path / "venv"
    result = make("test-colab", f"COLAB_PYTHON={missing}", f"COLAB_VENV={venv}")
    assert result.returncode != 0
    assert result.stdout.startswith(f"No Python at '{missing}': Colab's runtime is Python 3.13;")
    assert not venv.exists()


def test_tests_that_run_a_notebook_share_a_worker_by_notebook_with_11_beside_10():
    spec = importlib.util.spec_from_file_location("root_conftest", REPO_ROOT / "conftest.py")
    root_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_conftest)
    worker_scope = root_conftest.worker_scope
    assert worker_scope("notebooks/09_bidirectional_lstm.ipynb::Cell 3") == "09_bidirectional_lstm"
    assert worker_scope("notebooks/09_bidirectional_lstm.ipynb::Cell 12 solved") == "09_bidirectional_lstm"
    assert worker_scope("notebooks/11_sentiment140_lstm.ipynb::Cell 0") == "10_sentiment140_bag_of_glove"
    assert worker_scope("notebooks/11_sentiment140_lstm.ipynb::Cell 9 solved") == "10_sentiment140_bag_of_glove"
    assert worker_scope("tests/test_stats.py::test_wilson_interval[3-10]") == "tests/test_stats.py"
    assert worker_scope("tests/test_solutions.py::test_every_notebook_has_solutions") == "tests/test_solutions.py"
