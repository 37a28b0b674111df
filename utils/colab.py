"""Colab, first class: the setup cell, the "Open in Colab" badges and the README's links, all from one repository URL.

`python -m utils.colab sync` (`make colab`) writes them into every notebook and the README; `python -m utils.colab
check` lists what is out of sync; `python -m utils.colab cell` prints the setup cell. The URL is [project.urls]
Repository in pyproject.toml (COURSE_REPO_URL overrides).

On Colab the setup cell clones the course and runs this file by its path, before `utils` can be imported and before
anything is installed: so this module imports nothing from `utils`, only the standard library, `packaging` and
`nbformat`, which Colab has.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell
from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"
# Cells written here carry this tag (utils.slides skips them in slides); the clone lands in COURSE_DIR or ./course.
COLAB_TAG = "colab"
CLONE_FOLDER = "course"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
SETUP_CELL = """\
# Colab setup, the same in every notebook (written by `make colab`). On Colab it fetches the course, installs what
# Colab lacks and makes `utils` importable, without a restart; anywhere else it does nothing.
import os, runpy, subprocess, sys

try:
    import google.colab  # noqa: F401  (only Colab has it)
except ImportError:
    pass
else:
    repo_url = os.environ.get("COURSE_REPO_URL", "{url}")
    course_dir = os.environ.setdefault("COURSE_DIR", os.path.abspath("{folder}"))
    fetched = not os.path.isdir(course_dir)
    if fetched:
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", repo_url, course_dir], check=True)
    runpy.run_path(os.path.join(course_dir, "utils", "colab.py"))["prepare_colab"](course_dir, repo_url, fetched)"""


def repo_url(root: Path = REPO_ROOT) -> str:
    """Return the course's repository URL: COURSE_REPO_URL, else [project.urls] Repository of pyproject.toml."""
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    return os.environ.get("COURSE_REPO_URL", declared)


def runtime_requirements(root: Path) -> list[str]:
    """Return what the notebooks need, as pyproject.toml's [project] dependencies (compatible ranges)."""
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]


def missing_requirements(requirements: list[str], installed: Callable[[str], str] = version) -> list[str]:
    """Return the requirements not installed, or installed outside their range (`installed` gives a version)."""
    missing = []
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            present = installed(requirement.name)
        except PackageNotFoundError:
            missing.append(line)
            continue
        if not requirement.specifier.contains(present, prereleases=True):
            missing.append(line)
    return missing


def imported_distributions() -> set[str]:
    """Return the (lower-case) names of the installed distributions whose modules this process has imported."""
    return {name.lower() for module, names in packages_distributions().items() if module in sys.modules
            for name in names}


def prepare_colab(course_dir: str, url: str, fetched: bool) -> None:
    """On Colab: install what is missing, make `utils` importable, work from notebooks/, and say so in one line."""
    missing = missing_requirements(runtime_requirements(Path(course_dir)))
    already_imported = sorted(Requirement(line).name for line in missing
                              if Requirement(line).name.lower() in imported_distributions())
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
    if course_dir not in sys.path:
        sys.path.insert(0, course_dir)
    os.chdir(Path(course_dir) / "notebooks")
    source = f"cloned {url} into {course_dir}" if fetched else f"using the course already in {course_dir}"
    installs = f"installed {', '.join(missing)}" if missing else "nothing to install (Colab has every package in range)"
    restart = ("; restart the session (Runtime > Restart session) and run this cell again: "
               f"{', '.join(already_imported)} were already imported") if already_imported else ""
    print(f"Colab setup: {source}; {installs}; utils is importable, working in {Path.cwd()}{restart}.")


def setup_cell_source(url: str) -> str:
    """Return the source of the setup cell that heads every notebook's code."""
    return SETUP_CELL.format(url=url, folder=CLONE_FOLDER)


def colab_url(notebook_name: str, url: str) -> str:
    """Return the address that opens notebooks/<notebook_name>.ipynb of the GitHub repository `url` in Colab."""
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?", url)
    if match is None:
        raise ValueError(f"Open-in-Colab links need a https://github.com/<owner>/<repository> URL, got {url!r}: "
                         "set [project.urls] Repository in pyproject.toml (or COURSE_REPO_URL).")
    owner, repository = match.groups()
    return (f"https://colab.research.google.com/github/{owner}/{repository}/blob/{BRANCH}/"
            f"notebooks/{notebook_name}.ipynb")


def badge_markdown(notebook_name: str, url: str) -> str:
    """Return the "Open in Colab" badge of a notebook, in Markdown."""
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(notebook_name, url)})"


def colab_cell(notebook, cell_type: str):
    """Return the notebook's Colab cell of this type (markdown: the badge, code: the setup cell), or None."""
    return next((cell for cell in notebook.cells
                 if cell.cell_type == cell_type and COLAB_TAG in cell.metadata.get("tags", [])), None)


def apply_to_notebook(notebook, notebook_name: str, url: str) -> bool:
    """Put the badge first and the setup cell before the first code cell (or update them); return whether it changed."""
    metadata = {"tags": [COLAB_TAG], "slideshow": {"slide_type": "skip"}}
    changed = False
    for cell_type, source in (("markdown", badge_markdown(notebook_name, url)), ("code", setup_cell_source(url))):
        cell = colab_cell(notebook, cell_type)
        if cell is None:
            if cell_type == "markdown":
                notebook.cells.insert(0, new_markdown_cell(source, metadata=metadata, id="colab-badge"))
            else:
                first_code = next((index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"),
                                  len(notebook.cells))
                notebook.cells.insert(first_code, new_code_cell(source, metadata=metadata, id="colab-setup"))
            changed = True
        elif cell.source != source:
            cell.source = source
            changed = True
    return changed


def readme_with_links(text: str, notebook_names: list[str], url: str) -> str:
    """Return the README with each notebook-table row's first cell linking its notebook and its Colab badge."""
    def link(match: re.Match) -> str:
        name = match.group("name")
        if name not in notebook_names:
            return match.group(0)
        return f"| [`{name}`](notebooks/{name}.ipynb) {badge_markdown(name, url)} |"

    return re.sub(r"^\| [^|\n]*?`(?P<name>\d\d[a-z]?_\w+)`[^|\n]*? \|", link, text, flags=re.M)


def citation_with_url(text: str, url: str) -> str:
    """Return CITATION.cff's text with url as its repository-code."""
    return re.sub(r"^repository-code: .*$", f'repository-code: "{url}"', text, flags=re.M)


def course_notebooks(root: Path) -> list[Path]:
    """Return the course's notebooks under root/notebooks, in order (00_..., 08a_..., 13b_...)."""
    return sorted((root / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


def out_of_sync(root: Path, write: bool) -> list[Path]:
    """Return the notebooks, README and CITATION.cff whose cells or links differ from the URL's; rewrite if `write`."""
    url = repo_url(root)
    stale = []
    notebooks = course_notebooks(root)
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        if apply_to_notebook(notebook, path.stem, url):
            stale.append(path)
            if write:
                nbformat.write(notebook, path)
    names = [path.stem for path in notebooks]
    for path, rewrite in ((root / "README.md", lambda text: readme_with_links(text, names, url)),
                          (root / "CITATION.cff", lambda text: citation_with_url(text, url))):
        text = path.read_text()
        if rewrite(text) != text:
            stale.append(path)
            if write:
                path.write_text(rewrite(text))
    return stale


def main(argv: list[str] | None = None) -> int:
    """`sync`: write the Colab cells and links from the one URL; `check`: exit 1 listing what is out of sync; `cell`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "check", "cell"])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="the course folder (default: this repository)")
    args = parser.parse_args(argv)
    if args.command == "cell":
        print(setup_cell_source(repo_url(args.root)))
        return 0
    stale = out_of_sync(args.root, write=args.command == "sync")
    state = "updated" if args.command == "sync" else "out of sync, run make colab"
    for path in stale:
        print(f"{path.relative_to(args.root)}: {state}")
    if not stale:
        print(f"Colab cells and links are in sync with {repo_url(args.root)}")
    return 1 if stale and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
