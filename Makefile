# Two commands do all the set-up: `make course` runs the course, `make test` tests it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= full
# The Python versions the pinned packages support, as requires-python in pyproject.toml says (a test keeps them equal).
SUPPORTED_PYTHONS := 3.11 3.12 3.13
# Relative data paths are made absolute, since notebooks run from notebooks/. `override` makes this hold for values
# given on the make command line too (make test COURSE_DATA_DIR=../shared/data), not only for environment variables.
override COURSE_DATA_DIR := $(abspath $(or $(COURSE_DATA_DIR),data))
override NLTK_DATA := $(abspath $(or $(NLTK_DATA),$(COURSE_DATA_DIR)/nltk_data))
export COURSE_DATA_DIR NLTK_DATA

.PHONY: course test lab bench slides colab clean

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
$(STAMP): $(PY) requirements.txt requirements-dev.txt pyproject.toml
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## course: execute every notebook in order, in place (COURSE_PROFILE=full by default)
course: $(STAMP)
	COURSE_PROFILE=$${COURSE_PROFILE:-$(PROFILE)} $(PY) -m utils.course

## test: unit tests of utils, then every notebook re-executed by nbval under the smoke profile
test: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m pytest

## lab: open the notebooks in JupyterLab, in the course's environment (COURSE_PROFILE=lecture reuses a full run's models)
lab: $(STAMP)
	COURSE_PROFILE=$${COURSE_PROFILE:-$(PROFILE)} $(PY) -m jupyter lab notebooks/

## bench: textbook padded batches vs length-bucketed batches, LSTM and bidirectional LSTM (see README)
bench: $(STAMP)
	$(PY) -m utils.bench $(BENCH_ARGS)

## slides: reveal.js slides of every notebook, from its committed outputs, into slides/ (see python -m utils.slides)
SLIDES_NOTEBOOKS ?= notebooks/[0-9][0-9]*_*.ipynb
SLIDES_DIR ?= slides
slides: $(STAMP)
	$(PY) -m jupyter nbconvert --to slides --output-dir $(SLIDES_DIR) --SlidesExporter.reveal_scroll=True \
		--TemplateExporter.exclude_input_prompt=True --TemplateExporter.exclude_output_prompt=True $(SLIDES_NOTEBOOKS)

## colab: write the Colab setup cell and badge into every notebook and the Colab links into the README, from one URL
colab: $(STAMP)
	$(PY) -m utils.colab sync

clean:
	rm -rf $(VENV) img/smoke results/smoke img/lecture results/lecture slides
