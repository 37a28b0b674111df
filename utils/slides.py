"""Lecture slides: reveal.js slide types in a notebook's cell metadata, one slide per `##` section.

`python -m utils.slides [notebooks...]` sets them in place (metadata only; outputs are never touched), and
`make slides` exports every notebook with `jupyter nbconvert --to slides` into slides/.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from utils.colab import COLAB_TAG, course_notebooks
from utils.config import REPO_ROOT


def slide_type(cell: dict, is_title: bool) -> str:
    """Return the reveal.js slide type of a cell: a slide per title or `##` section, a subslide per further text.

    The Colab badge and setup cell (tagged by utils.colab) are not lesson content: they are skipped.
    """
    if COLAB_TAG in cell.get("metadata", {}).get("tags", []):
        return "skip"
    if cell["cell_type"] != "markdown":
        return "-"
    lines = cell["source"].splitlines()
    if is_title or any(line.startswith("## ") for line in lines):
        return "slide"
    return "subslide"


def slide_types(notebook) -> list[str]:
    """Return the slide type utils.slides gives each cell of a notebook (the first markdown cell is the title)."""
    markdown_cells = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
                      and COLAB_TAG not in cell.metadata.get("tags", [])]
    title = markdown_cells[0] if markdown_cells else None
    return [slide_type(cell, index == title) for index, cell in enumerate(notebook.cells)]


def set_slide_metadata(notebook) -> bool:
    """Write each cell's slide type into its metadata; return whether anything changed."""
    changed = False
    for cell, wanted in zip(notebook.cells, slide_types(notebook)):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") != wanted:
            slideshow["slide_type"] = wanted
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    """Set the slide metadata of the notebooks given (default: every course notebook), in place."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to update (default: notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    for path in args.notebooks or course_notebooks(REPO_ROOT):
        notebook = nbformat.read(path, as_version=4)
        if set_slide_metadata(notebook):
            nbformat.write(notebook, path)
            print(f"{path.name}: slide metadata set")
        else:
            print(f"{path.name}: slide metadata already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
