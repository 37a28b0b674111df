"""Progress on long work: how much Keras prints while it trains, decided in one place for every notebook."""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator

import keras
from tqdm.auto import tqdm as live_tqdm

# Seconds between two plain progress lines when nobody watches.
PLAIN_LINE_INTERVAL = 30
# Set by CI services (GitHub Actions, GitLab CI, ...) and by `CI=true bash .ci/run`.
CI_VARIABLE = "CI"
# Set by pytest during each test; the kernels nbval starts for `make test` inherit it.
PYTEST_VARIABLE = "PYTEST_CURRENT_TEST"
# Set by Jupyter Server (JupyterLab, Notebook 7) and VS Code for the kernel of an open notebook; nbclient sets nothing.
JUPYTER_SESSION_VARIABLE = "JPY_SESSION_NAME"


def is_unattended() -> bool:
    """Return True when nobody watches the output live: CI, pytest/nbval, or nbclient (`make course`, nbconvert)."""
    if os.environ.get(CI_VARIABLE, "").lower() not in {"", "0", "false", "no"} or PYTEST_VARIABLE in os.environ:
        return True
    watched = JUPYTER_SESSION_VARIABLE in os.environ or "google.colab" in sys.modules or sys.stdout.isatty()
    return not watched


def keras_verbose() -> int:
    """Return Keras's `verbose` for fit: 1 (a live bar) when watched, 0 unattended, where EpochLine prints instead."""
    return 0 if is_unattended() else 1


class EpochLine(keras.callbacks.Callback):
    """Print one line per epoch (epoch, seconds, metrics) when unattended; Keras's own verbose=2 prints two."""

    def __init__(self):
        super().__init__()
        self.unattended = is_unattended()
        self._start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        if not self.unattended:
            return
        logs = {name: value for name, value in (logs or {}).items() if name != "learning_rate"}
        order = sorted(logs, key=lambda name: (name.startswith("val_"), not name.endswith("loss"), name))
        metrics = ", ".join(f"{name} {logs[name]:.4f}" for name in order)
        seconds = time.monotonic() - self._start
        print(f"epoch {epoch + 1}/{self.params['epochs']}: {seconds:.0f} s, {metrics}", flush=True)


def progress(items: Iterable, desc: str, total: int | None = None) -> Iterator:
    """Return items wrapped in a progress bar: live when watched, a plain line on stdout every 30 s when unattended."""
    if is_unattended():
        return plain_progress(items, desc, total)
    return iter(live_tqdm(items, desc=desc, total=total))


def plain_progress(items: Iterable, desc: str, total: int | None = None) -> Iterator:
    """Yield items, printing one line at most every PLAIN_LINE_INTERVAL seconds and one line at the end."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    out_of = f"/{total:,}" if total is not None else ""
    start = last_line = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last_line >= PLAIN_LINE_INTERVAL and (total is None or done < total):
            print(f"{desc}: {done:,}{out_of} after {now - start:.0f} s", flush=True)
            last_line = now
    print(f"{desc}: {done:,}{out_of} done in {time.monotonic() - start:.0f} s", flush=True)
