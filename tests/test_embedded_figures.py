"""Figures carried inside notebooks: links to ../img/ turned into inline copies, copies refreshed from img/."""
import base64
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from utils import embedded_figures
from utils.config import IMG_DIR

BADGE = "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.example)"


def lesson_with_figure(name: str = "99_cell.png"):
    """Return a notebook whose markdown shows img/<name> beside a remote badge, and whose code names the path too."""
    return new_notebook(cells=[
        new_markdown_cell(BADGE),
        new_markdown_cell(f"![One step of the cell](../img/{name})\n\nWhat the figure shows."),
        new_code_cell(f'print("../img/{name}")'),
    ])


def carried_bytes(cell, name: str) -> bytes:
    """Return the bytes of the figure `name` that a markdown cell carries inline."""
    (data,) = re.findall(rf'\(data:image/png;base64,([A-Za-z0-9+/=]+) "img/{re.escape(name)}"\)', cell.source)
    return base64.b64decode(data)


def test_a_linked_figure_is_carried_inline_as_img_holds_it(tmp_path):
    (tmp_path / "99_cell.png").write_bytes(b"\x89PNG first drawing")
    notebook = lesson_with_figure()
    assert embedded_figures.stale_figures(notebook, tmp_path) == ["99_cell.png"], "../img/ does not show alone"
    assert embedded_figures.embed_figures(notebook, tmp_path) == ["99_cell.png"]
    badge, figure, code = notebook.cells
    assert figure.source.startswith("![One step of the cell](data:image/png;base64,")
    assert figure.source.endswith(' "img/99_cell.png")\n\nWhat the figure shows.')
    assert carried_bytes(figure, "99_cell.png") == b"\x89PNG first drawing"
    assert badge.source == BADGE, "remote images stay links"
    assert code.source == 'print("../img/99_cell.png")', "code cells are not markdown"
    nbformat.validate(notebook)
    assert embedded_figures.stale_figures(notebook, tmp_path) == []
    assert embedded_figures.embed_figures(notebook, tmp_path) == [], "nothing to do twice"


def test_a_figure_drawn_again_is_refreshed_in_place(tmp_path):
    (tmp_path / "99_cell.png").write_bytes(b"\x89PNG first drawing")
    notebook = lesson_with_figure()
    embedded_figures.embed_figures(notebook, tmp_path)
    (tmp_path / "99_cell.png").write_bytes(b"\x89PNG drawn again")
    assert embedded_figures.stale_figures(notebook, tmp_path) == ["99_cell.png"]
    assert embedded_figures.embed_figures(notebook, tmp_path) == ["99_cell.png"]
    assert carried_bytes(notebook.cells[1], "99_cell.png") == b"\x89PNG drawn again"
    assert notebook.cells[1].source.count("data:image/png") == 1, "the copy is replaced, not added to"


def test_a_figure_missing_from_img_says_how_to_draw_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"99_cell.png, which is not in .*make diagrams"):
        embedded_figures.embed_figures(lesson_with_figure(), tmp_path)


def test_cli_carries_img_figures_in_place_and_check_lists_what_is_stale(tmp_path, capsys):
    path = tmp_path / "99_lesson.ipynb"
    nbformat.write(lesson_with_figure("08a_gru_cell.png"), path)
    assert embedded_figures.main(["--check", str(path)]) == 1
    assert "99_lesson.ipynb: 08a_gru_cell.png" in capsys.readouterr().err
    assert embedded_figures.main([str(path)]) == 0
    assert "99_lesson.ipynb: now carries 08a_gru_cell.png as img/ holds it" in capsys.readouterr().out
    written = nbformat.read(path, as_version=4)
    assert carried_bytes(written.cells[1], "08a_gru_cell.png") == (IMG_DIR / "08a_gru_cell.png").read_bytes()
    assert embedded_figures.main(["--check", str(path)]) == 0
    assert embedded_figures.main([str(path)]) == 0 and "already carried" in capsys.readouterr().out
