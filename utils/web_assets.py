"""What the slides and the website load in the browser, copied beside them so that they open without a network.

package.json pins reveal.js, MathJax 2, jQuery and RequireJS (package-lock.json locks them); `npm ci` installs them
into node_modules/, which is not committed. `python -m utils.web_assets DEST` copies the parts a page loads into
DEST/<package>/, keeping each package's own layout: make slides and utils.book reference them by relative URLs.
It imports nothing from `utils`, so that make slides runs it by its path without loading TensorFlow.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# The files and folders of each package that a page loads (the rest, sources, demos and other formats, stays behind).
ASSETS = {
    "reveal.js": ["dist/reveal.css", "dist/reveal.js", "dist/theme", "plugin/notes"],
    "mathjax": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "jax/input/TeX",
                "jax/output/CommonHTML", "jax/element", "extensions", "fonts/HTML-CSS/TeX/woff"],
    "jquery": ["dist/jquery.min.js"],
    "requirejs": ["require.js"],
}
# The page script of MathJax for the website, relative to the destination, with the configuration nbconvert's slides
# ask for (make slides passes the same to nbconvert).
MATHJAX_SCRIPT = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


def copy_assets(destination: Path, packages: list[str] | None = None, node_modules: Path = NODE_MODULES) -> list[Path]:
    """Copy what the pages load of these packages (default: all) into destination/<package>/; return what it copied."""
    copied = []
    for package in packages or ASSETS:
        for part in ASSETS[package]:
            source = node_modules / package / part
            if not source.exists():
                raise FileNotFoundError(
                    f"{source} is missing: the slides and the website need the JavaScript pinned in package.json. "
                    "Run `npm ci` in the course folder (make slides and make book run it), then try again.")
            target = destination / package / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)
            copied.append(target)
    return copied


def main(argv: list[str] | None = None) -> int:
    """Copy the pages' JavaScript, CSS and fonts into the folder given."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("destination", type=Path, help="folder to copy them into, e.g. slides/lib")
    args = parser.parse_args(argv)
    try:
        copy_assets(args.destination)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
