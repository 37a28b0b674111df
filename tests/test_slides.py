"""Slides: a reveal.js slide per `##` section and the title, exported by `make slides`; notebooks carry the metadata."""
from __future__ import annotations

import copy
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from utils import colab, slides
from utils.config import REPO_ROOT

COURSE_NOTEBOOKS = colab.course_notebooks(REPO_ROOT)


class SlideHeadings(HTMLParser):
    """Collect, for each top-level <section> (a slide), the first h1/h2 heading, and count the nested subslides."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.headings: list[str] = []
        self.subslides = 0
        self.in_heading = False

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            if self.depth == 1:
                self.headings.append("")
            elif self.depth == 2:
                self.subslides += 1
        elif tag in {"h1", "h2"} and self.depth and not self.headings[-1]:
            self.in_heading = True

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1
        elif tag in {"h1", "h2"}:
            self.in_heading = False

    def handle_data(self, data):
        if self.in_heading:
            self.headings[-1] += data.replace("¶", "").strip()


def lesson_notebook():
    """Return a small notebook shaped like a lesson: title, sections, a heading inside a cell, prose, code, outputs."""
    return new_notebook(cells=[
        new_markdown_cell("# 99 · A lesson\n\nWhat you will be able to do."),
        new_code_cell("import math", outputs=[]),
        new_markdown_cell("## 1. First idea\n\nAn explanation."),
        new_code_cell("math.pi", outputs=[new_output("execute_result", {"text/plain": "3.14"}, execution_count=1)]),
        new_markdown_cell("What the output shows."),
        new_code_cell("math.e"),
        new_markdown_cell("The last word on the first idea.\n\n## 2. Second idea"),
        new_markdown_cell("### A detail"),
        new_code_cell("math.tau"),
        new_markdown_cell("## Takeaways\n\n- one\n\n## Exercises\n\n**1.** Do it."),
    ])


def test_slide_types_follow_the_sections():
    assert slides.slide_types(lesson_notebook()) == [
        "slide", "-", "slide", "-", "subslide", "-", "slide", "subslide", "-", "slide"]


def test_setting_metadata_is_idempotent_and_leaves_outputs_alone():
    notebook = lesson_notebook()
    before = copy.deepcopy(notebook)
    assert slides.set_slide_metadata(notebook) is True
    assert slides.set_slide_metadata(notebook) is False
    for cell, original in zip(notebook.cells, before.cells):
        assert cell.metadata.pop("slideshow") == {"slide_type": slides.slide_type(cell, cell is notebook.cells[0])}
        assert cell == original


def test_colab_cells_are_skipped_and_the_title_stays_the_first_slide():
    notebook = lesson_notebook()
    notebook.cells[:0] = [new_markdown_cell("[Open in Colab](badge)", metadata={"tags": [slides.COLAB_TAG]}),
                          new_code_cell("# setup", metadata={"tags": [slides.COLAB_TAG]})]
    assert slides.slide_types(notebook)[:4] == ["skip", "skip", "slide", "-"]


def test_cli_writes_the_metadata_in_place(tmp_path):
    path = tmp_path / "99_lesson.ipynb"
    nbformat.write(lesson_notebook(), path)
    assert slides.main([str(path)]) == 0
    written = nbformat.read(path, as_version=4)
    assert [cell.metadata["slideshow"]["slide_type"] for cell in written.cells] == slides.slide_types(written)
    assert written.cells[3].outputs == lesson_notebook().cells[3].outputs


def test_make_slides_exports_one_slide_per_section_plus_the_title(tmp_path):
    path = tmp_path / "99_lesson.ipynb"
    notebook = lesson_notebook()
    slides.set_slide_metadata(notebook)
    nbformat.write(notebook, path)
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "slides", f"PY={sys.executable}",
         f"SLIDES_NOTEBOOKS={path}", f"SLIDES_DIR={tmp_path / 'slides'}"],
        cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    parser = SlideHeadings()
    parser.feed((tmp_path / "slides" / "99_lesson.slides.html").read_text())
    assert parser.headings == ["99 · A lesson", "1. First idea", "2. Second idea", "Takeaways"]
    assert parser.subslides == 6  # each slide opens with one, plus "What the output shows" and "A detail"


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=[path.stem for path in COURSE_NOTEBOOKS])
def test_course_notebooks_carry_the_slide_metadata(path: Path):
    notebook = nbformat.read(path, as_version=4)
    carried = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in notebook.cells]
    assert carried == slides.slide_types(notebook), f"run: python -m utils.slides {path.relative_to(REPO_ROOT)}"
