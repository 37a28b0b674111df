# Two commands do all the set-up: `make course` runs the course, `make test` tests it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= full
# The lock the venv is built from (make test-colab builds .venv-colab from requirements-colab.txt instead).
LOCK ?= requirements-dev.txt
# The Python versions the pinned packages support, as requires-python in pyproject.toml says (a test keeps them equal).
SUPPORTED_PYTHONS := 3.11 3.12 3.13
# Relative data paths are made absolute, since notebooks run from notebooks/. `override` makes this hold for values
# given on the make command line too (make test COURSE_DATA_DIR=../shared/data), not only for environment variables.
override COURSE_DATA_DIR := $(abspath $(or $(COURSE_DATA_DIR),data))
override NLTK_DATA := $(abspath $(or $(NLTK_DATA),$(COURSE_DATA_DIR)/nltk_data))
export COURSE_DATA_DIR NLTK_DATA

.PHONY: book course test test-colab lab bench tweets-at-scale slides colab diagrams clean

$(PY):
	@version=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])') || \
		{ echo "No Python at '$(PYTHON)': the course needs one of $(SUPPORTED_PYTHONS): make PYTHON=python3.12"; exit 1; }; \
	case " $(SUPPORTED_PYTHONS) " in *" $$version "*) ;; \
		*) echo "$(PYTHON) is Python $$version; the course needs one of $(SUPPORTED_PYTHONS): make PYTHON=python3.12"; \
			exit 1;; \
	esac
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The lock pins every package; the course's own utils package goes in editable, without dependencies of its own.
$(STAMP): $(PY) requirements.txt $(LOCK) pyproject.toml
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## course: execute every notebook in order, in place (COURSE_PROFILE=full by default)
course: $(STAMP)
	COURSE_PROFILE=$${COURSE_PROFILE:-$(PROFILE)} $(PY) -m utils.course

# make test runs on TEST_WORKERS processes (pytest-xdist); each notebook's tests stay on one (conftest.py).
TEST_WORKERS ?= 2
## test: unit tests of utils, then every notebook re-executed by nbval under the smoke profile, on TEST_WORKERS processes
test: $(STAMP)
	COURSE_PROFILE=smoke COURSE_LOCK=$(LOCK) $(PY) -m pytest -n $(TEST_WORKERS) $(TEST_PATHS)

# Colab's default runtime (see requirements-colab.txt): its Python, found through pyenv where python3.13 is not on PATH.
COLAB_PYTHON ?= $(shell pyenv prefix 3.13 >/dev/null 2>&1 && echo "$$(pyenv prefix 3.13)/bin/python3.13" || echo python3.13)
COLAB_VENV ?= .venv-colab
# The browser test (it builds the website) is make test's alone: CI's 90 minutes.
COLAB_TEST_PATHS ?= tests notebooks/02_vectorizing_text.ipynb notebooks/09_bidirectional_lstm.ipynb \
	notebooks/12_attention.ipynb notebooks/13a_language_model.ipynb notebooks/13b_memory.ipynb \
	--ignore=tests/test_browser.py
## test-colab: the unit tests and the notebooks that use the most API (02, 09, 12, 13a, 13b) in Colab's runtime, in .venv-colab
test-colab:
	@$(COLAB_PYTHON) -c '' 2>/dev/null || { echo "No Python at '$(COLAB_PYTHON)': Colab's runtime is Python 3.13;" \
		"install it (pyenv install 3.13) or name one: make test-colab COLAB_PYTHON=/path/to/python3.13"; exit 1; }
	$(MAKE) --no-print-directory test PYTHON=$(COLAB_PYTHON) VENV=$(COLAB_VENV) LOCK=requirements-colab.txt \
		TEST_PATHS="$(COLAB_TEST_PATHS)"

## lab: open the notebooks in JupyterLab, in the course's environment (COURSE_PROFILE=lecture reuses a full run's models)
lab: $(STAMP)
	COURSE_PROFILE=$${COURSE_PROFILE:-$(PROFILE)} $(PY) -m jupyter lab notebooks/

## tweets-at-scale: the LSTM and the logistic regression of notebook 11 on all 1.6M Sentiment140 tweets (about an hour)
tweets-at-scale: $(STAMP)
	COURSE_PROFILE=full $(PY) -m utils.tweet_scale $(SCALE_ARGS)

## bench: textbook padded batches vs length-bucketed batches, LSTM and bidirectional LSTM (see README)
bench: $(STAMP)
	$(PY) -m utils.bench $(BENCH_ARGS)

# The JavaScript, CSS and fonts the slides and the website load, pinned in package.json, locked in package-lock.json.
WEB_PACKAGES := node_modules/.package-lock.json
$(WEB_PACKAGES): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make slides and make book need Node.js's npm, to install the reveal.js and" \
		"MathJax they copy beside the pages (package.json): install Node.js (apt-get install npm), then run make again"; \
		exit 1; }
	npm ci --no-audit --no-fund
	touch $(WEB_PACKAGES)

## slides: reveal.js slides of every notebook, from its committed outputs, into slides/, opening offline (slides/lib)
SLIDES_NOTEBOOKS ?= notebooks/[0-9][0-9]*_*.ipynb
SLIDES_DIR ?= slides
# reveal.js, RequireJS, jQuery and MathJax from slides/lib (utils/web_assets.py) instead of CDNs; the white theme's
# fonts are in reveal.js (the default theme, simple, loads Google's); the template drops nbconvert's Mermaid import.
SLIDES_OFFLINE := --template-file utils/templates/offline_slides.html.j2 --SlidesExporter.reveal_theme=white \
	--SlidesExporter.reveal_url_prefix=lib/reveal.js --HTMLExporter.require_js_url=lib/requirejs/require.js \
	--HTMLExporter.jquery_url=lib/jquery/dist/jquery.min.js \
	'--HTMLExporter.mathjax_url=lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
slides: $(STAMP) $(WEB_PACKAGES)
	$(PY) utils/web_assets.py $(SLIDES_DIR)/lib
	$(PY) -m jupyter nbconvert --to slides --output-dir $(SLIDES_DIR) --SlidesExporter.reveal_scroll=True \
		--TemplateExporter.exclude_input_prompt=True --TemplateExporter.exclude_output_prompt=True $(SLIDES_OFFLINE) \
		$(SLIDES_NOTEBOOKS)

## book: the course as a website (README first, then every notebook with its committed outputs) into build/book
BOOK_DIR ?= build/book
book: $(STAMP) $(WEB_PACKAGES)
	$(PY) -m utils.book $(BOOK_DIR) $(BOOK_NOTEBOOKS)

## diagrams: draw the mechanism figures (CBOW and skip-gram, unrolled RNN, LSTM and GRU cells, bidirectional, attention) again into img/, and the copies the notebooks carry
diagrams: $(STAMP)
	COURSE_PROFILE=full $(PY) -m utils.diagrams
	$(PY) -m utils.embedded_figures

## colab: write the Colab setup cell and badge into every notebook and the Colab links into the README, from one URL
colab: $(STAMP)
	$(PY) -m utils.colab sync

clean:
	rm -rf $(VENV) $(COLAB_VENV) img/smoke results/smoke img/lecture results/lecture slides build/book node_modules
