# Two commands do all the set-up: `make course` runs the course, `make test` tests it.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PROFILE ?= full
# Relative data paths are made absolute, since notebooks run from notebooks/.
export COURSE_DATA_DIR := $(if $(COURSE_DATA_DIR),$(abspath $(COURSE_DATA_DIR)),$(abspath data))
export NLTK_DATA := $(if $(NLTK_DATA),$(abspath $(NLTK_DATA)),$(abspath data/nltk_data))

.PHONY: course test unit notebooks bench clean

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## course: execute every notebook in order, in place (COURSE_PROFILE=full by default)
course: $(STAMP)
	COURSE_PROFILE=$${COURSE_PROFILE:-$(PROFILE)} $(PY) -m utils.course

## test: unit tests of utils, then every notebook re-executed by nbval under the smoke profile
test: $(STAMP)
	COURSE_PROFILE=smoke $(PY) -m pytest

## bench: textbook padded batches vs length-bucketed batches, LSTM and bidirectional LSTM (see README)
bench: $(STAMP)
	$(PY) -m utils.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) img/smoke results/smoke
