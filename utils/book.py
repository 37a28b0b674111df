"""The course as a website: the README as start page, then every notebook with its committed outputs, built by Sphinx.

`python -m utils.book OUT [notebooks...]` (`make book`) writes the site into OUT (build/book); open OUT/index.html.
MyST-NB renders the notebooks without executing them; the furo theme gives the table of contents, previous/next
links and search. Nothing is loaded from the network when a page opens: MathJax is copied beside the pages
(utils.web_assets), each remote image (the Colab badges) becomes its link's text, and each notebook's Colab cells
give way to one "Open in Colab" link under its title.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from utils import web_assets
from utils.colab import COLAB_TAG, colab_url, course_notebooks, repo_url
from utils.config import REPO_ROOT

START_PAGE = "README"
# Pages the README links to, after the notebooks: where the datasets go, and the results table.
MORE_PAGES = ["data/README", "results/RESULTS"]
ASSETS_FOLDER = "_static/lib"
TITLE = "Recurrent Neural Networks for text"


def sphinx_config(notebooks: list[Path]) -> dict:
    """Return the Sphinx configuration of a site of the README and these notebooks (paths inside REPO_ROOT)."""
    return {
        "project": TITLE,
        "extensions": ["myst_nb", "utils.book"],
        "root_doc": START_PAGE,
        "include_patterns": [f"{page}.md" for page in [START_PAGE, *MORE_PAGES]]
        + [path.relative_to(REPO_ROOT).as_posix() for path in notebooks],
        "exclude_patterns": [".*", "build", "node_modules", "slides"],
        "book_notebooks": [path.relative_to(REPO_ROOT).with_suffix("").as_posix() for path in notebooks],
        "nb_execution_mode": "off",
        "nb_merge_streams": True,
        "nb_ipywidgets_js": {},
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "myst_heading_anchors": 3,
        # MathJax 2, as the slides: MyST's MathJax 3 settings off, and no "Typesetting math" box in a corner.
        "mathjax_path": f"{ASSETS_FOLDER.removeprefix('_static/')}/{web_assets.MATHJAX_SCRIPT}",
        "myst_update_mathjax": False,
        "mathjax2_config": {"messageStyle": "none"},
        "html_theme": "furo",
        "html_title": TITLE,
        "html_copy_source": False,
        "html_show_sphinx": False,
        # Search results without page summaries: fetching them is refused on pages opened from disk (file:).
        "html_show_search_summary": False,
        # The README's `git clone <the course's repository>` is not valid bash to Pygments: it is shown unhighlighted.
        "suppress_warnings": ["misc.highlighting_failure"],
    }


def add_table_of_contents(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append to the start page a hidden table of contents: the notebooks in course order, then the other pages."""
    if docname == START_PAGE:
        for caption, pages in (("Notebooks", app.config.book_notebooks), ("More", MORE_PAGES)):
            entries = "\n".join(pages)
            source[0] += f"\n\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n{entries}\n```\n"


def offline_and_linked_to_colab(app: Sphinx, doctree: nodes.document) -> None:
    """Turn remote images into their alt text; in a notebook, put one Colab link under the title for its Colab cells.

    The setup cell is a code cell tagged by utils.colab; the badge, a markdown cell, is found by its link.
    """
    for image in list(doctree.findall(nodes.image)):
        if "://" in image["uri"]:
            image.replace_self(nodes.Text(image.get("alt", "")))
    docname = app.env.docname
    if docname not in app.config.book_notebooks:
        return
    address = colab_url(Path(docname).name, repo_url())
    for cell in list(doctree.findall(nodes.container)):
        if f"tag_{COLAB_TAG}" in cell["classes"]:
            cell.parent.remove(cell)
    for badge in [reference.parent for reference in doctree.findall(nodes.reference)
                  if reference.get("refuri") == address and len(reference.parent.children) == 1]:
        badge.parent.remove(badge)
    title = next(doctree.findall(nodes.title))
    link = nodes.paragraph("", "", nodes.reference("", "Open this notebook in Colab", refuri=address),
                           classes=["colab-link"])
    title.parent.insert(title.parent.index(title) + 1, link)


def setup(app: Sphinx) -> dict:
    """Sphinx extension: the table of contents, the offline pages and the Colab links."""
    app.add_config_value("book_notebooks", [], "env", types=frozenset({list}))
    app.connect("source-read", add_table_of_contents)
    app.connect("doctree-read", offline_and_linked_to_colab)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def build(output: Path, notebooks: list[Path]) -> Path:
    """Build the site of the README and these notebooks into output, MathJax beside it; return its index.html."""
    output = output.resolve()
    web_assets.copy_assets(output / ASSETS_FOLDER, packages=["mathjax"])
    with docutils_namespace():
        app = Sphinx(srcdir=REPO_ROOT, confdir=None, outdir=output, doctreedir=output / ".doctrees",
                     buildername="html", confoverrides=sphinx_config(notebooks), status=None, warningiserror=False)
        app.build()
    index = output / "index.html"
    index.write_text(f'<!DOCTYPE html>\n<meta charset="utf-8">\n<title>{TITLE}</title>\n'
                     f'<meta http-equiv="refresh" content="0; url={START_PAGE}.html">\n'
                     f'<a href="{START_PAGE}.html">{TITLE}</a>\n')
    return index


def main(argv: list[str] | None = None) -> int:
    """Build the site into the folder given, of the notebooks given (default: every course notebook)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="folder to write the site into, e.g. build/book")
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/NN_*.ipynb)")
    args = parser.parse_args(argv)
    notebooks = [path.resolve() for path in args.notebooks] or course_notebooks(REPO_ROOT)
    outside = [str(path) for path in notebooks if not path.is_relative_to(REPO_ROOT)]
    if outside:
        print(f"The site is built from the course folder {REPO_ROOT}; these notebooks are outside it: "
              f"{', '.join(outside)}. Copy them into notebooks/ or leave them out.", file=sys.stderr)
        return 1
    try:
        index = build(args.output, notebooks)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Website written: open {index} in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
