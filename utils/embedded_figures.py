"""The diagrams a notebook's markdown shows, carried inside the notebook, so that a notebook opened alone still shows
them: Colab opens one file from GitHub, where a link to `../img/NAME.png` leads nowhere.

img/ stays the one source (utils.diagrams draws it); a notebook carries a copy of img/NAME.png's bytes inline,
`![alt](data:image/png;base64,... "img/NAME.png")`, the form Colab itself writes when an image is pasted into a text
cell (the title names the file the bytes come from). Colab does not show cell attachments, `attachment:NAME.png`
(googlecolab/colabtools#3836), which is why they are not used.

`python -m utils.embedded_figures [notebooks...]` turns every link to ../img/ into such a copy and refreshes every
copy from img/ (`make diagrams` runs it after drawing); `--check` writes nothing and lists the copies that differ.
"""
from __future__ import annotations

import argparse
import base64
import copy
import re
import sys
from pathlib import Path

import nbformat

from utils.colab import course_notebooks
from utils.config import IMG_DIR, REPO_ROOT

FIGURE = re.compile(r'(?P<alt>!\[[^\]]*\]\()(?:\.\./img/(?P<linked>[^)\s/]+\.png)'
                    r'|data:image/png;base64,[A-Za-z0-9+/=]* "img/(?P<carried>[^"/]+\.png)")\)')
"""A markdown image of img/NAME.png, linked (as notebooks/ sees img/) or carried inline."""


def png_base64(name: str, image_dir: Path = IMG_DIR) -> str:
    """Return img/NAME's bytes in base64, as a data: URI holds them."""
    path = Path(image_dir) / name
    if not path.is_file():
        raise FileNotFoundError(f"A notebook shows the figure {name}, which is not in {image_dir}: draw it "
                                "(make diagrams) or fix the notebook's link.")
    return base64.b64encode(path.read_bytes()).decode("ascii")


def embed_figures(notebook, image_dir: Path = IMG_DIR) -> list[str]:
    """Carry each img/ figure a markdown cell shows inside the cell, as img/ holds it now; return the names of the
    figures whose copy changed (none when the notebook already carries img/'s figures)."""
    changed = []

    def carried(match: re.Match) -> str:
        name = match["linked"] or match["carried"]
        wanted = f'{match["alt"]}data:image/png;base64,{png_base64(name, image_dir)} "img/{name}")'
        if wanted != match[0]:
            changed.append(name)
        return wanted

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = FIGURE.sub(carried, cell.source)
    return changed


def stale_figures(notebook, image_dir: Path = IMG_DIR) -> list[str]:
    """Return the img/ figures a notebook shows without carrying them as img/ holds them (links to ../img/ included)."""
    return embed_figures(copy.deepcopy(notebook), image_dir)


def main(argv: list[str] | None = None) -> int:
    """Carry img/'s figures inside the notebooks given (default: every course notebook), in place, or check them."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--check", action="store_true", help="write nothing; list the copies that differ from img/")
    args = parser.parse_args(argv)
    stale, rewritten = [], 0
    for path in args.notebooks or course_notebooks(REPO_ROOT):
        notebook = nbformat.read(path, as_version=4)
        if args.check:
            stale += [f"{path.name}: {name}" for name in stale_figures(notebook)]
            continue
        changed = embed_figures(notebook)
        if changed:
            nbformat.write(notebook, path)
            rewritten += 1
            print(f"{path.name}: now carries {', '.join(changed)} as img/ holds it")
    if stale:
        print("These figures are not carried as img/ holds them (run: python -m utils.embedded_figures):\n  "
              + "\n  ".join(stale), file=sys.stderr)
        return 1
    if not args.check and not rewritten:
        print("Every figure the notebooks show is already carried as img/ holds it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
