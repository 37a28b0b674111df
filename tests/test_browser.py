"""The slides and the website, built from two notebooks by make, open offline: checked as written and in Chromium.

The browser tests drive Debian's Chromium (/usr/bin/chromium) headless through Playwright, with the network blocked
twice over: a proxy that goes nowhere, and every request that is not for a local file refused and recorded. Without
Chromium they are skipped, except in CI (CI=true), where .ci/run installs it and its absence is a failure.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from utils import book, colab, embedded_figures
from utils.config import REPO_ROOT

SLIDES_NOTEBOOK = REPO_ROOT / "notebooks" / "09_bidirectional_lstm.ipynb"
# Two notebooks in course order: 08a has equations, 09 a figure; each page links the other (previous, next).
BOOK_NOTEBOOKS = [REPO_ROOT / "notebooks" / "08a_lstm_gru_gates.ipynb", SLIDES_NOTEBOOK]
CHROMIUM = "/usr/bin/chromium"
# Playwright adds --headless and a fresh profile folder (--user-data-dir) itself.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def make(target: str, **variables: str) -> None:
    """Run a target of the course's Makefile with the running Python, its venv taken as installed."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", target, f"PY={sys.executable}",
         *(f"{name}={value}" for name, value in variables.items())],
        cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def slides_dir(tmp_path_factory) -> Path:
    """Return the folder make slides wrote the slide show of notebook 09 into."""
    folder = tmp_path_factory.mktemp("slides")
    make("slides", SLIDES_NOTEBOOKS=str(SLIDES_NOTEBOOK), SLIDES_DIR=str(folder))
    return folder


@pytest.fixture(scope="module")
def book_dir(tmp_path_factory) -> Path:
    """Return the folder make book wrote the website of the README and notebooks 08a and 09 into."""
    folder = tmp_path_factory.mktemp("book")
    make("book", BOOK_DIR=str(folder), BOOK_NOTEBOOKS=" ".join(str(path) for path in BOOK_NOTEBOOKS))
    return folder


class LoadedURLs(HTMLParser):
    """Collect the URLs a page loads by itself: scripts, style sheets, images, frames and media."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and {"stylesheet", "icon", "preload"} & set((attributes.get("rel") or "").split()):
            self.urls.append(attributes["href"])
        elif tag in {"script", "img", "iframe", "audio", "video", "source"} and attributes.get("src"):
            self.urls.append(attributes["src"])


def loaded_urls(page: Path) -> list[str]:
    """Return the URLs of what a built page loads by itself, as written in it, less those of data it holds (data:)."""
    parser = LoadedURLs()
    parser.feed(page.read_text())
    return [url for url in parser.urls if not url.startswith("data:")]


def assert_all_local(page: Path) -> None:
    """Assert that every URL the page loads is relative and names a file that exists beside it."""
    urls = loaded_urls(page)
    assert urls, f"{page.name} loads nothing: not a built page"
    for url in urls:
        assert not re.match(r"[a-z]+:|//", url), f"{page.name} loads {url} from the network"
        assert (page.parent / url.split("?")[0]).is_file(), f"{page.name} loads {url}, which is not beside it"


def test_slides_load_only_files_beside_them(slides_dir):
    assert_all_local(slides_dir / "09_bidirectional_lstm.slides.html")


def test_website_pages_load_only_files_beside_them_and_link_colab(book_dir):
    pages = [book_dir / "README.html", book_dir / "notebooks" / "08a_lstm_gru_gates.html",
             book_dir / "notebooks" / "09_bidirectional_lstm.html"]
    for page in pages:
        assert_all_local(page)
    for path in BOOK_NOTEBOOKS:
        address = colab.colab_url(path.stem, colab.repo_url())
        page = (book_dir / "notebooks" / f"{path.stem}.html").read_text()
        assert page.count(f'href="{address}"') == 1, f"{path.stem}: one Colab link, not the badge as well"
        assert "colab-badge.svg" not in page and "google.colab" not in page  # badge and setup cell gave way to it


def image_sources(page: Path) -> list[str]:
    """Return the URLs of what a built page loads by itself, data: URIs (images it holds) included."""
    parser = LoadedURLs()
    parser.feed(page.read_text())
    return parser.urls


def test_slides_and_website_show_the_diagrams_the_notebooks_carry(slides_dir, book_dir):
    # The bytes of img/ each notebook carries, written into the page itself: nothing to copy beside it.
    carried = {name: f"data:image/png;base64,{embedded_figures.png_base64(name)}"
               for name in ("08a_lstm_cell.png", "08a_gru_cell.png", "09_bidirectional.png")}
    assert carried["09_bidirectional.png"] in image_sources(slides_dir / "09_bidirectional_lstm.slides.html")
    assert carried["09_bidirectional.png"] in image_sources(book_dir / "notebooks" / "09_bidirectional_lstm.html")
    eight_a = image_sources(book_dir / "notebooks" / "08a_lstm_gru_gates.html")
    assert carried["08a_lstm_cell.png"] in eight_a and carried["08a_gru_cell.png"] in eight_a


def test_website_index_opens_the_readme(book_dir):
    assert 'url=README.html"' in (book_dir / "index.html").read_text()


def test_book_refuses_notebooks_outside_the_course_folder(tmp_path, capsys):
    outside = tmp_path / "99_elsewhere.ipynb"
    outside.write_text("{}")
    assert book.main([str(tmp_path / "site"), str(outside)]) == 1
    assert "outside it" in capsys.readouterr().err and not (tmp_path / "site").exists()


def missing_browser(chromium: str = CHROMIUM) -> list[str]:
    """Return what the browser tests lack to run: Chromium at its path, Playwright (nothing when both are there)."""
    missing = []
    if not Path(chromium).is_file():
        missing.append(f"no Chromium at {chromium} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("no Playwright (pip install -r requirements-dev.txt)")
    return missing


def stop_without_browser(missing: list[str]) -> None:
    """Skip the test for what is missing, saying what; in CI (CI=true) fail it instead."""
    reason = f"the slides and the website are not opened in a browser: {'; '.join(missing)}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"In CI {reason}; .ci/run installs Chromium before make test.")
    pytest.skip(reason)


def test_a_missing_browser_skips_outside_ci_and_fails_in_ci(tmp_path, monkeypatch):
    missing = missing_browser(str(tmp_path / "chromium"))
    assert missing[0] == f"no Chromium at {tmp_path / 'chromium'} (apt-get install chromium)"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not opened in a browser: no Chromium at"):
        stop_without_browser(missing)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="In CI the slides and the website are not opened in a browser"):
        stop_without_browser(missing)


@pytest.fixture(scope="module")
def browser():
    """Return headless Chromium driven by Playwright; skip without one (outside CI), fail without one in CI."""
    missing = missing_browser()
    if missing:
        stop_without_browser(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class OfflinePage:
    """A fresh browser page that refuses every request that is not for a local file, and records what went wrong."""

    def __init__(self, browser, width: int = 1280, height: int = 800):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.context.route(re.compile(r"^(?!file:|data:|blob:|about:)"), self.refuse)
        self.page.on("requestfailed", lambda request: self.problems.append(
            f"{request.url} failed to load: {request.failure}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("console", lambda message: self.problems.append(f"console error: {message.text}")
                     if message.type == "error" else None)

    def refuse(self, route) -> None:
        """Record a request for the network and abort it."""
        self.problems.append(f"{route.request.url} asked of the network")
        route.abort("internetdisconnected")

    def open(self, path: Path, query: str = ""):
        """Open a local file and return the page once it has loaded."""
        self.page.goto(path.as_uri() + query, wait_until="load")
        return self.page

    def wait_for_mathjax(self) -> None:
        """Wait until MathJax has typeset what it was given."""
        self.page.evaluate("new Promise(done => MathJax.Hub.Queue(done))")


# Whether an element lies wholly inside the window (reveal.js keeps the slides next to the present one in the page,
# moved out of view).
IN_VIEW = """element => { const box = element.getBoundingClientRect();
    return box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight; }"""


def in_view(locator) -> bool:
    """Return whether the element lies wholly inside the window."""
    return locator.evaluate(IN_VIEW)


@pytest.fixture
def offline_page(browser):
    """Return an OfflinePage, closed after the test."""
    page = OfflinePage(browser)
    yield page
    page.context.close()


def test_slides_open_offline_and_go_to_the_next_slide_on_the_right_arrow(offline_page, slides_dir):
    page = offline_page.open(slides_dir / "09_bidirectional_lstm.slides.html")
    page.wait_for_selector(".reveal.ready")
    slides = page.locator(".reveal .slides > section")
    assert slides.count() > 1
    first_title = slides.nth(0).locator("h1").first
    assert "present" in slides.nth(0).get_attribute("class").split() and in_view(first_title)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"#/1$"))
    assert "present" in slides.nth(1).get_attribute("class").split()
    page.wait_for_function(f"() => ({IN_VIEW})(document.querySelector('.slides > section:nth-child(2) h2'))")
    assert not in_view(first_title)
    offline_page.wait_for_mathjax()
    assert offline_page.problems == []


def test_website_page_shows_title_code_output_and_figure_offline(offline_page, book_dir):
    page = offline_page.open(book_dir / "notebooks" / "09_bidirectional_lstm.html")
    assert page.title().startswith("09 · A bidirectional LSTM")
    assert page.locator("h1").first.is_visible()
    assert page.locator(".cell_input pre").first.is_visible()
    assert page.locator(".cell_output pre").first.is_visible()
    figure = page.locator(".cell_output img").first
    figure.scroll_into_view_if_needed()
    assert figure.is_visible() and figure.evaluate("image => image.complete && image.naturalWidth > 0")
    diagram = page.locator('img[src^="data:image/png"]').first  # the bidirectional layer, carried in the notebook
    diagram.scroll_into_view_if_needed()
    assert diagram.is_visible() and diagram.evaluate("image => image.complete && image.naturalWidth > 1000")
    assert page.locator("a.prev-page").get_attribute("href") == "08a_lstm_gru_gates.html"
    assert offline_page.problems == []


def test_website_typesets_equations_offline(offline_page, book_dir):
    page = offline_page.open(book_dir / "notebooks" / "08a_lstm_gru_gates.html")
    offline_page.wait_for_mathjax()
    assert page.locator(".MathJax_CHTML").count() > 0
    assert page.locator("a.next-page").get_attribute("href") == "09_bidirectional_lstm.html"
    assert offline_page.problems == []


def test_website_start_page_and_search_work_offline(offline_page, book_dir):
    page = offline_page.open(book_dir / "index.html")
    page.wait_for_url(re.compile(r"README\.html$"))
    assert page.locator("h1").first.text_content().startswith("Recurrent Neural Networks for text")
    page = offline_page.open(book_dir / "search.html", "?q=bidirectional")
    results = page.locator("#search-results li a")
    results.first.wait_for()
    found = results.evaluate_all("links => links.map(link => link.href)")
    assert any("notebooks/09_bidirectional_lstm.html" in address for address in found), found
    assert offline_page.problems == []
