"""Diagrams drawn with matplotlib: the input-output configurations of a recurrent network and their Keras settings,
and the mechanisms the course teaches (unrolling and backpropagation through time, the LSTM and GRU cells, a
bidirectional layer, attention pooling), each labelled with the symbols of its notebook's equations.

`python -m utils.diagrams` draws the mechanism figures again into img/ (`make diagrams`)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from utils import plots
from utils.config import REPO_ROOT

INPUT_COLOR, STATE_COLOR, OUTPUT_COLOR = "#cfe2f3", "#d9ead3", "#f4cccc"
CONFIGURATIONS = {
    "one-to-one": {
        "inputs": [0], "states": [0], "outputs": [0], "recurrent": False,
        "example": "a bag-of-words classifier (02)",
        "keras": "Dense layers only:\nno recurrence, no time axis",
    },
    "one-to-many": {
        "inputs": [0], "states": [0, 1, 2], "outputs": [0, 1, 2], "feedback": True,
        "example": "generating text (section 4)",
        "keras": "RepeatVector(T)\n-> LSTM(return_sequences=True);\nor feed each sampled y back in,\n"
                 "carrying the states (return_state=True)",
    },
    "many-to-one": {
        "inputs": [0, 1, 2], "states": [0, 1, 2], "outputs": [2],
        "example": "sentiment of a review (07-11)",
        "keras": "LSTM(units): return_sequences=False,\nthe default, returns only h_T\n-> Dense",
    },
    "many-to-many (aligned)": {
        "inputs": [0, 1, 2], "states": [0, 1, 2], "outputs": [0, 1, 2],
        "example": "next-character model (section 2)",
        "keras": "LSTM(return_sequences=True)\n-> Dense on every step\n(= TimeDistributed(Dense))",
    },
    "encoder-decoder": {
        "inputs": [0, 1, 2], "states": [0, 1, 2, 3, 4, 5], "outputs": [3, 4, 5], "handover": 2,
        "example": "translation, summaries (seq2seq)",
        "keras": "encoder LSTM(return_state=True): its states are the\ndecoder's initial_state; decoder "
                 "LSTM(return_sequences=True)\n-> Dense. Or: LSTM -> RepeatVector(T)\n"
                 "-> LSTM(return_sequences=True) -> TimeDistributed(Dense)",
    },
}


def node(axis, x: float, y: float, label: str, color: str, width: float = 0.6, height: float = 0.5,
         fontsize: float = 13) -> None:
    """Draw one labelled box centred on (x, y)."""
    axis.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.03",
                                  facecolor=color, edgecolor="black", linewidth=1.2))
    axis.text(x, y, label, ha="center", va="center", fontsize=fontsize)


def arrow(axis, start: tuple[float, float], end: tuple[float, float], **style) -> None:
    """Draw an arrow from start to end."""
    axis.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "linewidth": 1.5, **style})


def draw_configuration(axis, name: str, spec: dict) -> None:
    """Draw one configuration: inputs (bottom), states (middle, left to right in time), outputs (top)."""
    states = spec["states"]
    for step in spec["inputs"]:
        node(axis, step, 0, f"$x_{step + 1}$", INPUT_COLOR)
        arrow(axis, (step, 0.28), (step, 0.72))
    for step in states:
        node(axis, step, 1, "$h$" if spec.get("recurrent", True) else "Dense", STATE_COLOR)
        if step != states[0]:
            linestyle = "--" if step - 1 == spec.get("handover") else "-"
            arrow(axis, (step - 0.67, 1), (step - 0.33, 1), linestyle=linestyle)
    for index, step in enumerate(spec["outputs"]):
        node(axis, step, 2, f"$y_{index + 1}$", OUTPUT_COLOR)
        arrow(axis, (step, 1.28), (step, 1.72))
        if spec.get("feedback") and step != spec["outputs"][-1]:
            arrow(axis, (step + 0.2, 1.75), (step + 0.8, 1.25), linestyle=":", color="grey")
    if "handover" in spec:
        axis.text(spec["handover"] + 0.5, 0.55, "states", ha="center", fontsize=12)
    middle, half_width = max(states) / 2, max(max(states) / 2 + 0.6, 1.9)
    axis.set_xlim(middle - half_width, middle + half_width)
    axis.set_ylim(-1.9, 2.4)
    axis.set_aspect("equal")
    axis.axis("off")
    axis.set_title(f"{name}\n{spec['example']}", fontsize=13)
    axis.text(middle, -0.45, spec["keras"], ha="center", va="top", fontsize=11, family="monospace")


def rnn_configurations() -> Figure:
    """Return a figure of the five configurations, each with an example and the Keras settings that give it."""
    names = list(CONFIGURATIONS)
    fig, axes = plt.subplot_mosaic([names[:3], [names[3], names[4], names[4]]], figsize=(15, 9.5))
    for name, spec in CONFIGURATIONS.items():
        draw_configuration(axes[name], name, spec)
    return fig


def attention_encoder_decoder(source: tuple[str, ...] = ("where", "is", "tom", "?"),
                              target: tuple[str, ...] = ("¿", "dónde", "está", "tom", "?")) -> Figure:
    """Return a figure of a GRU encoder-decoder whose decoder attends over every encoder state at one output step."""
    fig, axis = plt.subplots(figsize=(14, 6.2))
    step = 2  # the decoder step whose attention is drawn
    encoder_x = [float(index) for index in range(len(source))]
    decoder_x = [len(source) + 0.8 + index for index in range(len(target))]
    for index, (x, word) in enumerate(zip(encoder_x, source)):
        node(axis, x, 0, word, INPUT_COLOR)
        arrow(axis, (x, 0.28), (x, 0.72))
        node(axis, x, 1, f"$h_{index + 1}$", STATE_COLOR)
        if index:
            arrow(axis, (x - 0.67, 1), (x - 0.33, 1))
    arrow(axis, (encoder_x[-1] + 0.33, 1), (decoder_x[0] - 0.33, 1), linestyle="--")
    axis.text((encoder_x[-1] + decoder_x[0]) / 2, 1.15, "$h_T$ starts\nthe decoder", ha="center", va="bottom",
              fontsize=11)
    inputs = ("[start]", *target[:-1])
    for index, (x, word, previous) in enumerate(zip(decoder_x, target, inputs)):
        node(axis, x, 0, previous, INPUT_COLOR)
        arrow(axis, (x, 0.28), (x, 0.72))
        node(axis, x, 1, f"$s_{index + 1}$", STATE_COLOR)
        if index:
            arrow(axis, (x - 0.67, 1), (x - 0.33, 1))
        node(axis, x, 3.2, word, OUTPUT_COLOR)
        arrow(axis, (x, 1.28), (x, 2.92), color="grey" if index != step else "black")
    x = decoder_x[step]
    node(axis, x - 0.5, 2.1, f"$c_{step + 1}$", "#fff2cc")
    for index, source_x in enumerate(encoder_x):
        arrow(axis, (source_x, 1.28), (x - 0.8, 2.0), color="#b45f06", alpha=0.4 + 0.15 * index)
    arrow(axis, (x - 0.1, 1.28), (x - 0.4, 1.82))
    axis.text(x - 0.3, 1.45, "query", ha="right", fontsize=10)
    arrow(axis, (x - 0.35, 2.38), (x - 0.1, 2.9))
    axis.text(np.mean(encoder_x) + 0.3, 2.45,
              f"attention at step {step + 1}: $a_{{{step + 1}j}}$ = softmax$_j$ $v^\\top \\tanh(W_q s_{step + 1}"
              f" + W_k h_j + b)$,\n$c_{step + 1} = \\sum_j a_{{{step + 1}j}} h_j$; the word comes from "
              f"$\\tanh(W_c [s_{step + 1}; c_{step + 1}])$\n"
              "(a Transformer's cross-attention: softmax($QK^\\top/\\sqrt{d}$)$V$,\n"
              "queries from the decoder, keys and values from the encoder)",
              ha="center", va="bottom", fontsize=11)
    axis.text(np.mean(encoder_x), -0.55, "encoder GRU reads English", ha="center", fontsize=12)
    axis.text(np.mean(decoder_x), -0.55, "decoder GRU writes Spanish, reading its previous word", ha="center",
              fontsize=12)
    axis.set_xlim(-0.6, decoder_x[-1] + 0.6)
    axis.set_ylim(-0.9, 3.6)
    axis.set_aspect("equal")
    axis.axis("off")
    return fig


GRADIENT_COLOR, GATE_COLOR, CELL_COLOR = "#c0392b", "#fff2cc", "#e69138"
LABEL_SIZE, TEXT_SIZE = 17, 14  # symbols, and the sentences under a figure: legible on a projector


def finish(axis, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Set the drawing's limits, equal scales on both axes, and no frame."""
    axis.set_xlim(*xlim)
    axis.set_ylim(*ylim)
    axis.set_aspect("equal")
    axis.axis("off")


def unrolled_rnn_bptt(steps: int = 4) -> Figure:
    """Return a SimpleRNN unrolled over `steps` steps (the same W, U, b each step) and its gradient flowing back.

    Notation of notebook 07: h_t = tanh(W x_t + U h_{t-1} + b); each step back multiplies the gradient by the
    Jacobian dh_k/dh_{k-1} = diag(1 - h_k^2) U, drawn thinner at every step as it vanishes when those factors are < 1.
    """
    fig, axis = plt.subplots(figsize=(13, 7.2))
    spacing, width, height = 2.6, 0.9, 0.7
    xs = [spacing * index for index in range(steps)]
    state_y, loss_y = 2.0, 4.6
    axis.text(xs[0] - spacing + 0.1, state_y, "$h_0 = 0$", ha="center", va="center", fontsize=LABEL_SIZE)
    for index, x in enumerate(xs, start=1):
        node(axis, x, 0, f"$x_{index}$", INPUT_COLOR, width, height, LABEL_SIZE)
        node(axis, x, state_y, f"$h_{index}$", STATE_COLOR, width, height, LABEL_SIZE)
        arrow(axis, (x, height / 2 + 0.05), (x, state_y - height / 2 - 0.05), linewidth=2)
        axis.text(x + 0.12, state_y / 2, "$W$", ha="left", va="center", fontsize=LABEL_SIZE)
        left = x - spacing + (0.75 if index == 1 else width / 2 + 0.05)
        arrow(axis, (left, state_y), (x - width / 2 - 0.05, state_y), linewidth=2)
        axis.text(x - spacing / 2 + (0.25 if index == 1 else 0), state_y - 0.12, "$U$", ha="center", va="top",
                  fontsize=LABEL_SIZE)
    node(axis, xs[-1], loss_y, "loss $L$", OUTPUT_COLOR, 1.5, height, LABEL_SIZE)
    arrow(axis, (xs[-1] - 0.15, state_y + height / 2 + 0.05), (xs[-1] - 0.15, loss_y - height / 2 - 0.05), linewidth=2)
    arrow(axis, (xs[-1] + 0.15, loss_y - height / 2 - 0.05), (xs[-1] + 0.15, state_y + height / 2 + 0.05),
          color=GRADIENT_COLOR, linewidth=4)
    axis.text(xs[-1] + 0.3, (state_y + loss_y) / 2, r"$\partial L / \partial h_{%d}$" % steps, ha="left",
              va="center", fontsize=LABEL_SIZE, color=GRADIENT_COLOR)
    for index in range(steps, 1, -1):  # the gradient from h_index back to h_(index-1), thinner every step
        start, end = xs[index - 1], xs[index - 2]
        axis.annotate("", xy=(end + 0.1, state_y + height / 2 + 0.05), xytext=(start - 0.1, state_y + height / 2 + 0.05),
                      arrowprops={"arrowstyle": "-|>", "color": GRADIENT_COLOR, "mutation_scale": 20,
                                  "linewidth": 1 + 3 * (index - 1) / (steps - 1),
                                  "connectionstyle": "arc3,rad=0.45"})
        axis.text((start + end) / 2, state_y + 1.05, r"$\operatorname{diag}(1 - h_{%d}^2)\,U$" % index, ha="center",
                  va="bottom", fontsize=TEXT_SIZE + 1, color=GRADIENT_COLOR)
    axis.text(xs[0] - spacing + 0.4, loss_y,
              "forward (black): the same $W$, $U$, $b$ at every step\n"
              "backward (red): one Jacobian $\\partial h_k / \\partial h_{k-1}$ per step back",
              ha="left", va="center", fontsize=TEXT_SIZE)
    axis.text((xs[0] + xs[-1]) / 2 - spacing / 2, -0.75,
              r"$h_t = \tanh(W x_t + U h_{t-1} + b)$,     $\dfrac{\partial L}{\partial h_t} = "
              r"\dfrac{\partial L}{\partial h_T}\,\dfrac{\partial h_T}{\partial h_t}$,     "
              r"$\dfrac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T} \operatorname{diag}(1 - h_k^2)\, U$",
              ha="center", va="top", fontsize=LABEL_SIZE)
    finish(axis, (xs[0] - spacing - 0.4, xs[-1] + 1.6), (-1.7, loss_y + 0.6))
    return fig


# The mechanism figures, by the name each is saved under in img/ (the prefix is the notebook that shows it).
MECHANISMS = {
    "07_unrolled_rnn_bptt": unrolled_rnn_bptt,
}


def save_mechanisms(names: list[str] | None = None) -> list[Path]:
    """Draw the mechanism figures (all, or those named) and save each with utils.save_fig; return their paths."""
    unknown = sorted(set(names or []) - set(MECHANISMS))
    if unknown:
        raise ValueError(f"No mechanism figure named {unknown}; the names are {list(MECHANISMS)}.")
    paths = []
    for name in names or MECHANISMS:
        fig = MECHANISMS[name]()
        paths.append(plots.save_fig(name, fig))
        plt.close(fig)
    return paths


if __name__ == "__main__":
    for saved in save_mechanisms(sys.argv[1:]):
        print(saved.relative_to(REPO_ROOT))
