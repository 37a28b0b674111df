"""Diagrams drawn with matplotlib: the input-output configurations of a recurrent network and their Keras settings."""
from __future__ import annotations

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

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


def node(axis, x: float, y: float, label: str, color: str) -> None:
    """Draw one labelled box centred on (x, y)."""
    axis.add_patch(FancyBboxPatch((x - 0.3, y - 0.25), 0.6, 0.5, boxstyle="round,pad=0.03", facecolor=color,
                                  edgecolor="black", linewidth=1.2))
    axis.text(x, y, label, ha="center", va="center", fontsize=13)


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
