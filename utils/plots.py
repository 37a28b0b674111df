"""Figures and tables: the course's plot style, a helper that saves every lecture-worthy plot into img/ by a stable name,
and one that formats a table's numbers for display."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from utils import files, stats
from utils.config import IMG_DIR, PROFILE, profile_dir

# Figures are read on a projector: text well above matplotlib's 10 pt, thicker lines, sharper saved images.
# Applied once, when utils.plots is imported (`import utils` does it), so every notebook's figures share it.
COURSE_STYLE = {
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "figure.titlesize": 16,
    "lines.linewidth": 2,
    "lines.markersize": 7,
    "figure.dpi": 110,
    "savefig.dpi": 150,
}
plt.rcParams.update(COURSE_STYLE)


def figure_path(name: str) -> Path:
    """Return where save_fig writes `name` (img/smoke/ under the smoke profile)."""
    return profile_dir(IMG_DIR, PROFILE) / f"{name}.png"


def save_fig(name: str, fig=None, dpi: float | None = None) -> Path:
    """Save a figure (default: the current one) as img/<name>.png at the course's dpi, or `dpi`; return its path."""
    path = figure_path(name)
    fig = fig or plt.gcf()
    fig.tight_layout()
    with files.written_in_place(path) as partial:
        fig.savefig(partial, dpi=dpi, bbox_inches="tight")  # long titles in the large course fonts stay whole
    return path


def plot_history(history, name: str, title: str = "", validation_size: int | None = None):
    """Plot training and validation loss and accuracy side by side (accuracy from chance, 0.5, to 1, with a 95% Wilson
    band around validation accuracy when validation_size is given); save and return the figure."""
    metrics = history.history if hasattr(history, "history") else history
    accuracy_key = next(key for key in metrics if "acc" in key and not key.startswith("val_"))
    epochs = range(1, len(metrics["loss"]) + 1)
    fig, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(10, 3.8))
    for axis, key, label in ((loss_axis, "loss", "loss"), (accuracy_axis, accuracy_key, "accuracy")):
        axis.plot(epochs, metrics[key], "o-", label=f"training {label}")
        if f"val_{key}" in metrics:
            validation_line, = axis.plot(epochs, metrics[f"val_{key}"], "s--", label=f"validation {label}")
        axis.set_xlabel("epoch")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        if len(epochs) == 1:
            axis.set_xticks([1])  # one epoch (the smoke profile): matplotlib would pad the axis with fractional ticks
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    validation_accuracy = metrics.get(f"val_{accuracy_key}")
    if validation_size and validation_accuracy is not None:
        bands = [stats.interval_of_accuracy(value, validation_size) for value in validation_accuracy]
        accuracy_axis.fill_between(epochs, [low for low, _ in bands], [high for _, high in bands],
                                   color=validation_line.get_color(), alpha=0.2,
                                   label=f"95% interval, {validation_size:,} examples")
    lowest = min(min(metrics[accuracy_key]), min(validation_accuracy or [1.0]))
    accuracy_axis.set_ylim(min(0.5, lowest - 0.02), 1.0)  # from chance: small gaps are not blown up
    loss_axis.set_ylim(bottom=0)
    for axis in (loss_axis, accuracy_axis):
        axis.legend()
    fig.suptitle(title or name)
    save_fig(name, fig)
    return fig


def formatted(frame: pd.DataFrame, formats: dict[str, str], na_rep: str = "") -> pd.DataFrame:
    """Return a copy of frame whose columns named in formats hold their values as strings, e.g. "{:.1%}"."""
    shown = frame.copy()
    for column, pattern in formats.items():
        shown[column] = frame[column].map(lambda value: na_rep if pd.isna(value) else pattern.format(value))
    return shown


def word_positions(words: list[str], line_chars: int = 90) -> list[tuple[int, int]]:
    """Return each word's (line, column) when the words wrap at line_chars characters, as attention_text writes them."""
    positions, column, line = [], 0, 0
    for word in words:
        if column and column + len(word) > line_chars:
            column, line = 0, line + 1
        positions.append((line, column))
        column += len(word) + 1
    return positions


def attention_text(axis, words: list[str], weights, title: str, *, line_chars: int = 90, max_lines: int = 6) -> None:
    """Write words on axis, each on a background as dark as its attention weight (darkest = the review's largest)."""
    colours = plt.get_cmap("Oranges")
    largest = max(weights) if len(weights) else 1.0
    axis.set_axis_off()
    axis.set_title(title, loc="left", fontsize=13)
    for (line, column), word, weight in zip(word_positions(words, line_chars), words, weights):
        if line == max_lines:
            axis.text(column / line_chars, 1 - line / max_lines, "…", family="monospace", fontsize=11,
                      transform=axis.transAxes, va="top")
            break
        axis.text(column / line_chars, 1 - line / max_lines, word, family="monospace", fontsize=11,
                  transform=axis.transAxes, va="top",
                  bbox={"facecolor": colours(0.85 * weight / largest), "edgecolor": "none", "pad": 1.5})
