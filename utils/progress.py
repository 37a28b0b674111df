"""Progress on long work: how much Keras prints while it trains, decided in one place for every notebook."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from tqdm import tqdm
from tqdm.auto import tqdm as live_tqdm

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
    """Return Keras's `verbose` for fit and evaluate: 1 (a live bar) when watched, 2 (a line per epoch) unattended."""
    return 2 if is_unattended() else 1


def progress(items: Iterable, desc: str, total: int | None = None) -> Iterator:
    """Return items wrapped in a progress bar: live when watched, a plain line on stdout every 30 s when unattended."""
    if is_unattended():
        return iter(tqdm(items, desc=desc, total=total, file=sys.stdout, mininterval=30, ascii=True))
    return iter(live_tqdm(items, desc=desc, total=total))
