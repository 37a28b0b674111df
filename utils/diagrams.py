"""Diagrams drawn with matplotlib: the input-output configurations of a recurrent network and their Keras settings,
and the mechanisms the course teaches (word2vec's CBOW and skip-gram, unrolling and backpropagation through time, the
LSTM and GRU cells, a bidirectional layer, attention pooling), each labelled with the symbols of its notebook's
equations.

`python -m utils.diagrams` draws the mechanism figures again into img/ (`make diagrams`)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import matplotlib.pyplot as plt
from matplotlib import patheffects
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
        "example": "sentiment (07, 08b, 09, 11)",
        "keras": "LSTM(units): return_sequences=False,\nthe default, returns only h_T\n-> Dense",
    },
    "many-to-many (aligned)": {
        "inputs": [0, 1, 2], "states": [0, 1, 2], "outputs": [0, 1, 2],
        "example": "next-character model (section 2)",
        "keras": "LSTM(return_sequences=True)\n-> Dense on every step\n(= TimeDistributed(Dense))",
    },
    "encoder-decoder": {
        "inputs": [0, 1, 2], "states": [0, 1, 2, 3, 4, 5], "outputs": [3, 4, 5], "handover": 2,
        "example": "translation (14)",
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
    """Return a figure of a GRU encoder-decoder whose decoder attends over every encoder state at one output step.

    The decoder writes the target and then [end], reading [start] and then each word it wrote.
    """
    outputs = (*target, "[end]")
    fig, axis = plt.subplots(figsize=(15, 6.2))
    step = 2  # the decoder step whose attention is drawn
    encoder_x = [float(index) for index in range(len(source))]
    decoder_x = [len(source) + 0.8 + index for index in range(len(outputs))]
    for index, (x, word) in enumerate(zip(encoder_x, source)):
        node(axis, x, 0, word, INPUT_COLOR)
        arrow(axis, (x, 0.28), (x, 0.72))
        node(axis, x, 1, f"$h_{index + 1}$", STATE_COLOR)
        if index:
            arrow(axis, (x - 0.67, 1), (x - 0.33, 1))
    arrow(axis, (encoder_x[-1] + 0.33, 1), (decoder_x[0] - 0.33, 1), linestyle="--")
    axis.text((encoder_x[-1] + decoder_x[0]) / 2, 1.15, "$h_T$ starts\nthe decoder", ha="center", va="bottom",
              fontsize=11)
    inputs = ("[start]", *target)
    for index, (x, word, previous) in enumerate(zip(decoder_x, outputs, inputs)):
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
INPUT_LINE_COLOR = "#1f5fa8"  # the GRU's x_t line, apart from h_{t-1}'s black one
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
        top = state_y + height / 2 + 0.05
        axis.annotate("", xy=(end + 0.1, top), xytext=(start - 0.1, top),
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


def route(axis, points: list[tuple[float, float]], head: bool = True, head_size: float = 18, **style) -> None:
    """Draw a line through points, with an arrowhead (of head_size points) on its last segment unless head is False."""
    style = {"color": "black", "linewidth": 2, **style}
    xs, ys = zip(*points)
    axis.plot(xs[:-1] if head else xs, ys[:-1] if head else ys, solid_capstyle="butt", **style)
    if head:
        axis.annotate("", xy=points[-1], xytext=points[-2],
                      arrowprops={"arrowstyle": "-|>", "mutation_scale": head_size, "shrinkA": 0, "shrinkB": 0,
                                  "color": style["color"], "linewidth": style["linewidth"]})


def operation(axis, x: float, y: float, symbol: str, radius: float = 0.27, color: str = "white") -> None:
    """Draw an element-wise operation (×, +, 1−) as a labelled circle centred on (x, y)."""
    axis.add_patch(plt.Circle((x, y), radius, facecolor=color, edgecolor="black", linewidth=1.5, zorder=3))
    axis.text(x, y, symbol, ha="center", va="center", fontsize=LABEL_SIZE, zorder=4)


def gate(axis, x: float, y: float, function: str, name: str, name_x: float = 0.1) -> None:
    """Draw a layer box (σ or tanh of x_t W + h_{t-1} U + b) with its name below it, name_x right of its centre."""
    node(axis, x, y, function, GATE_COLOR, 1.0, 0.75, LABEL_SIZE)
    axis.text(x + name_x, y - 0.65, name, ha="left", va="top", fontsize=TEXT_SIZE, style="italic")


def state_path(axis, y: float, multiply_x: float, add_x: float, end_x: float, radius: float,
               labels: tuple[str, str]) -> None:
    """Draw the thick state path of an LSTM or GRU cell: in from the left, through × and +, out to the right."""
    thick = {"color": CELL_COLOR, "linewidth": 6}
    route(axis, [(-0.3, y), (multiply_x - radius, y)], head=False, **thick)
    route(axis, [(multiply_x + radius, y), (add_x - radius, y)], head=False, **thick)
    route(axis, [(add_x + radius, y), (end_x, y)], **thick)
    operation(axis, multiply_x, y, "×")
    operation(axis, add_x, y, "+")
    axis.text(-0.4, y, labels[0], ha="right", va="center", fontsize=LABEL_SIZE)
    axis.text(end_x + 0.1, y, labels[1], ha="left", va="center", fontsize=LABEL_SIZE)


def lstm_cell() -> Figure:
    """Return one LSTM step: gates f, i, o and candidate c̃ from [h_{t-1}, x_t], the additive cell path along the top.

    Symbols of notebook 08a: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t and h_t = o_t ⊙ tanh(c_t).
    """
    fig, axis = plt.subplots(figsize=(13, 8.4))
    cell_y, gate_y, mix_y, bus_y, r = 5.0, 2.2, 3.6, 0.6, 0.27
    forget_x, input_x, candidate_x, output_x, show_x = 2.5, 4.0, 6.0, 7.8, 9.3
    write_x = (input_x + candidate_x) / 2
    state_path(axis, cell_y, forget_x, write_x, 11.6, r, ("$c_{t-1}$", "$c_t$"))
    axis.text(5.6, cell_y + 0.45, r"cell state: $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$:"
              " no weight matrix and no tanh on this path", ha="center", va="bottom", fontsize=TEXT_SIZE + 1,
              color="#a0522d")
    route(axis, [(-0.3, bus_y), (output_x, bus_y)], head=False)
    route(axis, [(1.0, -0.9), (1.0, bus_y - 0.02)])
    axis.text(-0.4, bus_y, "$h_{t-1}$", ha="right", va="center", fontsize=LABEL_SIZE)
    axis.text(1.0, -1.0, "$x_t$", ha="center", va="top", fontsize=LABEL_SIZE)
    for x, function, name in ((forget_x, r"$\sigma$", "forget"), (input_x, r"$\sigma$", "input"),
                              (candidate_x, r"$\tanh$", "candidate"), (output_x, r"$\sigma$", "output")):
        route(axis, [(x, bus_y), (x, gate_y - 0.4)])
        gate(axis, x, gate_y, function, name)
    route(axis, [(forget_x, gate_y + 0.4), (forget_x, cell_y - r)])
    route(axis, [(input_x, gate_y + 0.4), (input_x, mix_y), (write_x - r, mix_y)])
    route(axis, [(candidate_x, gate_y + 0.4), (candidate_x, mix_y), (write_x + r, mix_y)])
    operation(axis, write_x, mix_y, "×")
    route(axis, [(write_x, mix_y + r), (write_x, cell_y - r)])
    for label, x, y in (("$f_t$", forget_x, 3.4), ("$i_t$", input_x, 3.0), (r"$\tilde c_t$", candidate_x, 3.0)):
        axis.text(x + 0.12, y, label, ha="left", va="center", fontsize=LABEL_SIZE)
    route(axis, [(show_x, cell_y), (show_x, mix_y + 0.3)])
    node(axis, show_x, mix_y, r"$\tanh$", "white", 0.9, 0.5, LABEL_SIZE)
    route(axis, [(show_x, mix_y - 0.3), (show_x, gate_y + r)])
    route(axis, [(output_x + 0.5, gate_y), (show_x - r, gate_y)])
    axis.text((output_x + show_x) / 2, gate_y + 0.1, "$o_t$", ha="center", va="bottom", fontsize=LABEL_SIZE)
    operation(axis, show_x, gate_y, "×")
    route(axis, [(show_x, gate_y - r), (show_x, bus_y), (11.6, bus_y)])
    axis.text(11.7, bus_y, "$h_t$", ha="left", va="center", fontsize=LABEL_SIZE)
    axis.text(show_x + 0.4, 1.4, r"$h_t = o_t \odot \tanh(c_t)$", ha="left", va="center", fontsize=LABEL_SIZE)
    axis.text(5.6, -1.7, "each box: $\\sigma$ or $\\tanh$ of $x_t W_\\ast + h_{t-1} U_\\ast + b_\\ast$, "
              "$\\ast$ = i, f, c, o (Keras's gate order)\n× and +: element by element ($\\odot$ in the equations)",
              ha="center", va="top", fontsize=TEXT_SIZE + 1)
    finish(axis, (-1.4, 12.5), (-2.6, 6.1))
    return fig


def gru_cell() -> Figure:
    """Return one GRU step (Keras's reset_after=True): gates z and r, candidate h̃ and the mix of old and new state.

    Symbols of notebook 08a: h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t,
    h̃_t = tanh(x_t W_h + b_h + r_t ⊙ (h_{t-1} U_h + b'_h)). h_{t-1} (black) and x_t (blue) run on separate lines:
    both gates read both, U_h reads h_{t-1} only and W_h, into the candidate, x_t only.
    """
    fig, axis = plt.subplots(figsize=(13, 8.4))
    state_y, gate_y, mix_y, h_bus_y, x_bus_y, r = 5.0, 2.2, 3.6, 0.6, -0.3, 0.27
    update_x, reset_x, reset_mix_x, candidate_x, tap = 3.0, 5.0, 6.8, 8.4, 0.25
    box_bottom = gate_y - 0.4
    state_path(axis, state_y, update_x, candidate_x, 11.0, r, ("$h_{t-1}$", "$h_t$"))
    axis.text(5.5, state_y + 0.45, r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$: "
              r"$z_t \to 1$ keeps the old state", ha="center", va="bottom", fontsize=TEXT_SIZE + 1, color="#a0522d")
    route(axis, [(0.8, state_y), (0.8, h_bus_y), (reset_mix_x, h_bus_y), (reset_mix_x, 1.1)])
    node(axis, reset_mix_x, 1.35, "$U_h$", "white", 0.7, 0.45, TEXT_SIZE + 1)
    route(axis, [(-0.3, x_bus_y), (candidate_x, x_bus_y), (candidate_x, 0.4)], color=INPUT_LINE_COLOR)
    node(axis, candidate_x, 0.65, "$W_h$", "white", 0.7, 0.45, TEXT_SIZE + 1)
    route(axis, [(candidate_x, 0.9), (candidate_x, box_bottom)], color=INPUT_LINE_COLOR)
    axis.text(-0.4, x_bus_y, "$x_t$", ha="right", va="center", fontsize=LABEL_SIZE, color=INPUT_LINE_COLOR)
    bridge = [patheffects.withStroke(linewidth=9, foreground="white")]  # x_t's taps pass over h_{t-1}'s line
    for x, name in ((update_x, "update"), (reset_x, "reset")):
        route(axis, [(x - tap, h_bus_y), (x - tap, box_bottom)])
        route(axis, [(x + tap, x_bus_y), (x + tap, h_bus_y + 0.3), (x + tap, box_bottom)], color=INPUT_LINE_COLOR,
              path_effects=bridge)
        gate(axis, x, gate_y, r"$\sigma$", name, name_x=0.55)
    axis.scatter([0.8, update_x - tap, reset_x - tap, update_x + tap, reset_x + tap],
                 [state_y, h_bus_y, h_bus_y, x_bus_y, x_bus_y], s=40, zorder=4,
                 color=["black"] * 3 + [INPUT_LINE_COLOR] * 2)  # where a line branches
    route(axis, [(update_x, gate_y + 0.4), (update_x, state_y - r)])
    axis.text(update_x - 0.12, 3.0, "$z_t$", ha="right", va="center", fontsize=LABEL_SIZE)
    operation(axis, 5.8, mix_y, "1−", radius=0.32)
    route(axis, [(update_x, mix_y), (5.8 - 0.32, mix_y)])
    route(axis, [(5.8 + 0.32, mix_y), (candidate_x - r, mix_y)])
    axis.text(7.1, mix_y + 0.1, "$1 - z_t$", ha="center", va="bottom", fontsize=TEXT_SIZE + 1)
    operation(axis, candidate_x, mix_y, "×")
    route(axis, [(candidate_x, mix_y + r), (candidate_x, state_y - r)])
    route(axis, [(reset_x + 0.5, gate_y), (reset_mix_x - r, gate_y)])
    axis.text((reset_x + reset_mix_x) / 2 + 0.1, gate_y + 0.1, "$r_t$", ha="center", va="bottom",
              fontsize=LABEL_SIZE)
    operation(axis, reset_mix_x, gate_y, "×")
    route(axis, [(reset_mix_x, 1.62), (reset_mix_x, gate_y - r)])
    route(axis, [(reset_mix_x + r, gate_y), (candidate_x - 0.5, gate_y)])
    gate(axis, candidate_x, gate_y, r"$\tanh$", "candidate", name_x=0.55)
    route(axis, [(candidate_x, gate_y + 0.4), (candidate_x, mix_y - r)])
    axis.text(candidate_x + 0.12, 3.0, r"$\tilde h_t$", ha="left", va="center", fontsize=LABEL_SIZE)
    axis.text(5.5, -1.2, "gates: $\\sigma(x_t W_\\ast + h_{t-1} U_\\ast + b_\\ast)$, $\\ast$ = z, r "
              "(Keras's order z, r, h)\n"
              r"candidate: $\tilde h_t = \tanh(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h))$"
              "\n× and +: element by element ($\\odot$ in the equations)",
              ha="center", va="top", fontsize=TEXT_SIZE + 1)
    finish(axis, (-1.4, 12.0), (-2.5, 6.1))
    return fig


def bidirectional_layer(words: tuple[str, ...] = ("this", "movie", "was", "great")) -> Figure:
    """Return Bidirectional(LSTM): one LSTM reads left to right, one right to left; their final states concatenated.

    The forward LSTM's final state is after the last word, the backward one's after the first word.
    """
    fig, axis = plt.subplots(figsize=(13, 7.6))
    steps, spacing, width, height = len(words), 2.1, 0.9, 0.7
    forward_y, backward_y, merge_x = 1.6, -1.6, spacing * len(words) + 0.6
    for index, (x, word) in enumerate(zip((spacing * step for step in range(steps)), words), start=1):
        node(axis, x, 0, f"$x_{index}$", INPUT_COLOR, width, height, LABEL_SIZE)
        axis.text(x - width / 2 - 0.08, 0, word, ha="right", va="center", fontsize=TEXT_SIZE, style="italic")
        node(axis, x, forward_y, rf"$\overrightarrow{{h}}_{index}$", STATE_COLOR, width, height, LABEL_SIZE)
        node(axis, x, backward_y, rf"$\overleftarrow{{h}}_{index}$", "#ead1dc", width, height, LABEL_SIZE)
        route(axis, [(x, height / 2), (x, forward_y - height / 2)])
        route(axis, [(x, -height / 2), (x, backward_y + height / 2)])
        if index > 1:
            route(axis, [(x - spacing + width / 2, forward_y), (x - width / 2, forward_y)])
            route(axis, [(x - width / 2, backward_y), (x - spacing + width / 2, backward_y)])
    last_x = spacing * (steps - 1)
    axis.text(-1.1, forward_y, "forward LSTM\nreads left to right", ha="right", va="center", fontsize=TEXT_SIZE)
    axis.text(-1.1, backward_y, "backward LSTM\nreads right to left", ha="right", va="center", fontsize=TEXT_SIZE)
    node(axis, merge_x + 1.0, 0, rf"$[\overrightarrow{{h}}_{steps}\,;\,\overleftarrow{{h}}_1]$", OUTPUT_COLOR,
         1.9, 0.8, LABEL_SIZE)
    route(axis, [(last_x + width / 2, forward_y), (merge_x + 1.0, forward_y), (merge_x + 1.0, 0.42)],
          color="#38761d", linewidth=3)
    route(axis, [(0, backward_y - height / 2), (0, -2.6), (merge_x + 1.0, -2.6), (merge_x + 1.0, -0.42)],
          color="#a64d79", linewidth=3)
    axis.text(merge_x + 0.85, 0.55, "concatenate", ha="right", va="bottom", fontsize=TEXT_SIZE)
    route(axis, [(merge_x + 1.95, 0), (merge_x + 2.9, 0)])
    axis.text(merge_x + 3.0, 0, "Dense", ha="left", va="center", fontsize=TEXT_SIZE + 1)
    axis.text(-3.9, -3.0, "each direction's final state: the forward one after the last word, the backward one "
              "after the first\n"
              rf"Bidirectional(LSTM(64)) returns $[\overrightarrow{{h}}_T\,;\,\overleftarrow{{h}}_1]$:"
              " 128 numbers\n"
              rf"with return_sequences=True: $[\overrightarrow{{h}}_t\,;\,\overleftarrow{{h}}_t]$ for every word $t$",
              ha="left", va="top", fontsize=TEXT_SIZE + 1)
    finish(axis, (-4.0, merge_x + 4.0), (-4.6, 2.3))
    return fig


def attention_pooling(states: int = 4) -> Figure:
    """Return attention pooling over a sequence of states: a score per state, softmax weights, the weighted sum.

    Notebook 12's formula: e_t = v^T tanh(W h_t + b), α_t = exp e_t / Σ_s exp e_s over the real words,
    c = Σ_t α_t h_t; a padded step is drawn too, with its score set to -10^9 and so a weight of 0.
    """
    fig, axis = plt.subplots(figsize=(13, 8.6))
    spacing, width, height, r = 2.2, 0.9, 0.65, 0.27
    state_y, score_y, softmax_y, weight_y, product_y, context_y = 0, 1.5, 2.8, 4.1, 5.3, 6.7
    columns = [spacing * index for index in range(states + 1)]  # the last column is a padded step
    context_x = (columns[0] + columns[-1]) / 2 + 0.3
    for index, x in enumerate(columns, start=1):
        padded = index > states
        color, label = ("#eeeeee", "[pad]") if padded else (STATE_COLOR, f"$h_{index}$")
        node(axis, x, state_y, label, color, width, height, LABEL_SIZE)
        score_x, state_x = x + 0.3, x - 0.3  # the score's column, and the line carrying h_t up to its product
        route(axis, [(state_x, state_y + height / 2), (state_x, product_y), (score_x - r, product_y)],
              head_size=12, color="grey", zorder=1)
        route(axis, [(score_x, state_y + height / 2), (score_x, score_y - 0.3)])
        node(axis, score_x, score_y, r"$-10^9$" if padded else f"$e_{index}$", "#eeeeee" if padded else GATE_COLOR,
             0.95, 0.6, LABEL_SIZE)
        route(axis, [(score_x, score_y + 0.3), (score_x, softmax_y - 0.3)])
        route(axis, [(score_x, softmax_y + 0.3), (score_x, weight_y - 0.3)])
        node(axis, score_x, weight_y, "$0$" if padded else rf"$\alpha_{index}$", "#eeeeee" if padded else "#fce5cd",
             0.95, 0.6, LABEL_SIZE)
        route(axis, [(score_x, weight_y + 0.3), (score_x, product_y - r)])
        operation(axis, score_x, product_y, "×")
        into_sum = context_x + 1.6 * ((index - 1) / states - 0.5)
        route(axis, [(score_x, product_y + r), (into_sum, context_y - 0.37)], head_size=14,
              color="grey" if padded else "black")
    axis.add_patch(FancyBboxPatch((columns[0] - 0.45, softmax_y - 0.3), columns[-1] - columns[0] + 1.4, 0.6,
                                  boxstyle="round,pad=0.03", facecolor="white", edgecolor="black", linewidth=1.2,
                                  zorder=2))
    axis.text(context_x, softmax_y, "softmax over the real words", ha="center",
              va="center", fontsize=TEXT_SIZE + 1, zorder=3)
    node(axis, context_x, context_y, r"$c = \sum_t \alpha_t h_t$", OUTPUT_COLOR, 2.3, 0.7, LABEL_SIZE)
    route(axis, [(context_x + 1.2, context_y), (context_x + 2.4, context_y)])
    axis.text(context_x + 2.5, context_y, "Dense → logit", ha="left", va="center", fontsize=TEXT_SIZE + 1)
    right = columns[-1] + 1.0
    for y, text in ((state_y, "states of the bidirectional GRU,\none per word (return_sequences=True)"),
                    (score_y, r"score: $e_t = v^\top \tanh(W h_t + b)$"),
                    (weight_y, r"weight: $\alpha_t = \exp e_t \,/\, \sum_{s\ \mathrm{real}} \exp e_s$"),
                    (product_y, r"$\alpha_t h_t$, summed into $c$")):
        axis.text(right, y, text, ha="left", va="center", fontsize=TEXT_SIZE + 1)
    axis.text(columns[-1] + 0.3, state_y - 0.55, "masked: score $-10^9$, weight 0", ha="center", va="top",
              fontsize=TEXT_SIZE, color="dimgrey")
    finish(axis, (columns[0] - 0.7, right + 5.2), (-1.1, context_y + 0.6))
    return fig


def cbow_skipgram(context: tuple[str, ...] = ("acting", "was", "but", "the"), centre: str = "great") -> Figure:
    """Return word2vec's two models side by side on one window: CBOW predicts the centre word from the average of its
    context vectors, skip-gram predicts each context word from the centre word's vector.

    Notebook 04's notation: input vectors v, output vectors u, a window of c words on each side (c = len(context) / 2).
    """
    if not context or len(context) % 2:
        raise ValueError(f"context needs as many words before the centre as after it, got {len(context)} words.")
    half = len(context) // 2
    offsets = [offset for offset in range(-half, half + 1) if offset]
    symbols = [f"$w_{{t{offset:+d}}}$" for offset in offsets]
    fig, axis = plt.subplots(figsize=(15, 7.4))
    spacing, width, height = 1.7, 1.2, 0.7
    word_y, vector_y, predicted_y = 0, 2.4, 4.8
    panels = {"CBOW": 0.0, "skip-gram": spacing * len(context) + 2.2}
    for name, left in panels.items():
        xs = [left + spacing * index for index in range(len(context))]
        middle = (xs[0] + xs[-1]) / 2
        many_y, one_y = (word_y, predicted_y) if name == "CBOW" else (predicted_y, word_y)
        for x, symbol, word in zip(xs, symbols, context):
            node(axis, x, many_y, symbol, INPUT_COLOR if name == "CBOW" else OUTPUT_COLOR, width, height, LABEL_SIZE)
            axis.text(x, many_y + (-0.5 if name == "CBOW" else 0.5), word, ha="center",
                      va="top" if name == "CBOW" else "bottom", fontsize=TEXT_SIZE, style="italic")
            if name == "CBOW":
                route(axis, [(x, many_y + height / 2), (middle + 0.25 * (x - middle), vector_y - 0.6)])
            else:
                route(axis, [(middle + 0.25 * (x - middle), vector_y + 0.4), (x, many_y - height / 2)])
        node(axis, middle, one_y, "$w_t$", OUTPUT_COLOR if name == "CBOW" else INPUT_COLOR, width, height, LABEL_SIZE)
        axis.text(middle, one_y + (0.5 if name == "CBOW" else -0.5), centre, ha="center",
                  va="bottom" if name == "CBOW" else "top", fontsize=TEXT_SIZE, style="italic")
        if name == "CBOW":
            node(axis, middle, vector_y, r"$\bar{\mathbf{v}}_t = \frac{1}{2c}\sum_{j \ne 0} \mathbf{v}_{w_{t+j}}$",
                 STATE_COLOR, 4.4, 1.2, LABEL_SIZE)
            route(axis, [(middle, vector_y + 0.6), (middle, one_y - height / 2)])
            explanation = ("the context predicts the centre word:\n"
                           r"$p(w_t \mid \mathrm{context}) \propto \exp(\mathbf{u}_{w_t}^\top \bar{\mathbf{v}}_t)$"
                           "\none prediction per position")
        else:
            node(axis, middle, vector_y, r"$\mathbf{v}_{w_t}$", STATE_COLOR, 1.6, 0.8, LABEL_SIZE)
            route(axis, [(middle, one_y + height / 2), (middle, vector_y - 0.4)])
            explanation = (f"the centre word predicts each context word:\n"
                           r"$p(w_{t+j} \mid w_t)$ for every $j \ne 0$"
                           f"\n2c = {len(context)} predictions per position")
        axis.text(middle, predicted_y + 1.0, name, ha="center", va="bottom", fontsize=LABEL_SIZE + 3, weight="bold")
        axis.text(middle, word_y - 1.1, explanation, ha="center", va="top", fontsize=TEXT_SIZE + 1)
    finish(axis, (-1.0, panels["skip-gram"] + spacing * (len(context) - 1) + 1.0), (word_y - 2.8, predicted_y + 1.8))
    return fig


# The mechanism figures, by the name each is saved under in img/ (the prefix is the notebook that shows it).
MECHANISMS = {
    "07_unrolled_rnn_bptt": unrolled_rnn_bptt,
    "08a_lstm_cell": lstm_cell,
    "08a_gru_cell": gru_cell,
    "09_bidirectional": bidirectional_layer,
    "12_attention_pooling": attention_pooling,
    "04_cbow_skipgram": cbow_skipgram,
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
