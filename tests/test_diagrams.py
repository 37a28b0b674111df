"""The configurations figure: five panels, each with its boxes and the Keras settings that give it; the mechanism
figures, each labelled with its notebook's symbols and equations, legible, saved by save_mechanisms."""
import re
from itertools import combinations

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex
import nbformat
import numpy as np
import pytest

from utils import diagrams, embedded_figures, plots
from utils.config import REPO_ROOT


def test_configurations_figure_draws_each_configuration_with_its_keras_settings():
    fig = diagrams.rnn_configurations()
    panels = {axis.get_title().split("\n")[0]: [text.get_text() for text in axis.texts] for axis in fig.axes}
    assert list(panels) == ["one-to-one", "one-to-many", "many-to-one", "many-to-many (aligned)", "encoder-decoder"]
    counts = {name: (sum(t.startswith("$x_") for t in texts), sum(t.startswith("$y_") for t in texts))
              for name, texts in panels.items()}
    assert counts == {"one-to-one": (1, 1), "one-to-many": (1, 3), "many-to-one": (3, 1),
                      "many-to-many (aligned)": (3, 3), "encoder-decoder": (3, 3)}
    settings = " ".join(" ".join(texts) for texts in panels.values())
    for keras_setting in ("return_sequences=True", "return_sequences=False", "return_state=True", "RepeatVector",
                          "TimeDistributed(Dense)", "initial_state"):
        assert keras_setting in settings
    plt.close(fig)


def test_attention_figure_draws_every_encoder_state_feeding_one_context():
    fig = diagrams.attention_encoder_decoder(source=("where", "is", "tom", "?"), target=("¿", "dónde", "está"))
    (axis,) = fig.axes
    texts = [text.get_text() for text in axis.texts]
    assert [t for t in texts if t.startswith("$h_") and t.endswith("$")] == ["$h_1$", "$h_2$", "$h_3$", "$h_4$"]
    assert [t for t in texts if t.startswith("$s_")] == ["$s_1$", "$s_2$", "$s_3$", "$s_4$"]
    assert "$c_3$" in texts and "[start]" in texts and "dónde" in texts
    assert texts.count("está") == 2, "the last word written is read back at the next step"
    assert texts.count("[end]") == 1, "the decoder's last step writes [end]"
    context_x, context_y = next(text for text in axis.texts if text.get_text() == "$c_3$").get_position()
    into_context = [text for text in axis.texts if text.get_text() == "" and np.allclose(text.xy, (context_x - 0.3, 2.0))]
    assert len(into_context) == 4, "one arrow from every encoder state into the context"
    assert "Transformer" in " ".join(texts)
    plt.close(fig)


def labels(fig) -> list[str]:
    """Return the non-empty texts of a figure's one drawing."""
    (axis,) = fig.axes
    return [text.get_text() for text in axis.texts if text.get_text()]


def compact(math: str) -> str:
    """Return LaTeX without alignment marks, sizing commands and whitespace, to compare formulas written differently."""
    return re.sub(r"\\big|\\left|\\right|&|\\,|\s", "", math)


def notebook_math(stem: str) -> str:
    """Return the markdown of a notebook, compacted as formulas are."""
    notebook = nbformat.read(REPO_ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    return compact(" ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown"))


@pytest.mark.parametrize("draw, stem, equations", [
    (diagrams.unrolled_rnn_bptt, "07_simple_rnn",
     [r"h_t = \tanh(W x_t + U h_{t-1} + b)", r"\prod_{k=t+1}^{T} \operatorname{diag}(1 - h_k^2)\, U"]),
    (diagrams.lstm_cell, "08a_lstm_gru_gates",
     [r"c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t", r"h_t = o_t \odot \tanh(c_t)"]),
    (diagrams.gru_cell, "08a_lstm_gru_gates",
     [r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t",
      r"\tilde h_t = \tanh(x_t W_h + b_h + r_t \odot (h_{t-1} U_h + b'_h))"]),
    (diagrams.attention_pooling, "12_attention", [r"e_t = v^\top \tanh(W h_t + b)", r"c = \sum_t \alpha_t h_t"]),
    (diagrams.cbow_skipgram, "04_word2vec",
     [r"\bar{\mathbf{v}}_t = \frac{1}{2c}\sum_{j \ne 0} \mathbf{v}_{w_{t+j}}", r"p(w_{t+j} \mid w_t)"]),
], ids=["unrolled", "lstm", "gru", "attention", "cbow_skipgram"])
def test_each_figure_writes_the_equations_of_its_notebook(draw, stem, equations):
    fig = draw()
    drawn = compact(" ".join(labels(fig)))
    for equation in equations:
        assert compact(equation) in drawn, f"the figure lacks {equation}"
        assert compact(equation) in notebook_math(stem), f"notebook {stem} writes {equation} otherwise"
    plt.close(fig)


def test_unrolled_rnn_shares_its_weights_and_sends_the_gradient_back_one_jacobian_per_step():
    fig = diagrams.unrolled_rnn_bptt(steps=3)
    texts = labels(fig)
    steps = [t for t in texts if re.fullmatch(r"\$[xh]_\d\$", t)]
    assert steps == ["$x_1$", "$h_1$", "$x_2$", "$h_2$", "$x_3$", "$h_3$"]
    assert texts.count("$W$") == 3 and texts.count("$U$") == 3, "the same W and U at every step"
    jacobians = [t for t in texts if t.startswith(r"$\operatorname{diag}")]
    assert jacobians == [r"$\operatorname{diag}(1 - h_{3}^2)\,U$", r"$\operatorname{diag}(1 - h_{2}^2)\,U$"]
    (axis,) = fig.axes
    backward = [a for a in axis.texts if not a.get_text() and a.xy[1] == a.xyann[1] and a.xy[0] < a.xyann[0]]
    widths = [a.arrow_patch.get_linewidth() for a in backward]
    assert len(widths) == 2 and widths[0] > widths[1], "one arrow per step back, thinner as the gradient vanishes"
    plt.close(fig)


def test_lstm_cell_draws_three_gates_a_candidate_and_the_additive_cell_path():
    fig = diagrams.lstm_cell()
    texts = labels(fig)
    for symbol in ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$", "$h_t$", "$f_t$", "$i_t$", r"$\tilde c_t$", "$o_t$"):
        assert texts.count(symbol) == 1, symbol
    assert texts.count(r"$\sigma$") == 3 and texts.count(r"$\tanh$") == 2  # the candidate's and tanh(c_t)
    assert [t for t in texts if t in {"forget", "input", "candidate", "output"}] == ["forget", "input", "candidate",
                                                                                     "output"]
    assert texts.count("×") == 3 and texts.count("+") == 1
    (axis,) = fig.axes
    thickest = max(axis.lines, key=lambda line: line.get_linewidth())
    assert set(thickest.get_ydata()) == {max(y for line in axis.lines for y in line.get_ydata())}, \
        "the cell state runs along the top, drawn thickest"
    plt.close(fig)


def test_gru_cell_draws_update_and_reset_gates_and_the_mix_of_old_and_new():
    fig = diagrams.gru_cell()
    texts = labels(fig)
    for symbol in ("$x_t$", "$h_{t-1}$", "$h_t$", "$z_t$", "$r_t$", r"$\tilde h_t$", "$1 - z_t$", "$U_h$",
                   "$W_h$"):
        assert texts.count(symbol) == 1, symbol
    assert texts.count(r"$\sigma$") == 2 and texts.count(r"$\tanh$") == 1
    assert "1−" in texts and texts.count("×") == 3 and texts.count("+") == 1
    plt.close(fig)


def arrows_into(axis, label: str) -> list:
    """Return the arrows whose heads end just under a text labelled `label` (the inputs of its box, from below)."""
    boxes = [text.get_position() for text in axis.texts if text.get_text() == label]
    return [a for a in axis.texts if not a.get_text() and any(
        abs(a.xy[0] - x) <= 0.5 and 0 < y - a.xy[1] <= 0.45 for x, y in boxes)]


def line_into(axis, arrow):
    """Return the line that ends where an arrow starts (the rest of the route the arrow ends)."""
    return next(line for line in axis.lines if np.allclose(line.get_xydata()[-1], arrow.xyann))


def test_gru_cell_draws_x_t_and_h_t_minus_1_apart_so_u_h_reads_only_h_and_w_h_only_x():
    fig = diagrams.gru_cell()
    (axis,) = fig.axes
    position = {text.get_text(): text.get_position() for text in axis.texts if text.get_text()}
    colour = {"h": "#000000", "x": to_hex(diagrams.INPUT_LINE_COLOR)}
    (into_u,) = arrows_into(axis, "$U_h$")
    h_line = line_into(axis, into_u)
    assert np.isclose(h_line.get_xydata()[0][1], position["$h_{t-1}$"][1]), "U_h's input leaves the h_{t-1} line"
    assert to_hex(h_line.get_color()) == to_hex(into_u.arrow_patch.get_edgecolor()) == colour["h"]
    (into_w,) = arrows_into(axis, "$W_h$")
    x_line = line_into(axis, into_w)
    assert np.isclose(x_line.get_xydata()[0][1], position["$x_t$"][1]), "W_h's input is the x_t line"
    assert to_hex(x_line.get_color()) == to_hex(into_w.arrow_patch.get_edgecolor()) == colour["x"]
    assert [to_hex(a.arrow_patch.get_edgecolor()) for a in arrows_into(axis, r"$\tanh$")] == [colour["x"]], \
        "the candidate's box reads x_t (through W_h) from below, and no h_{t-1}"
    gate_inputs = sorted(to_hex(a.arrow_patch.get_edgecolor()) for a in arrows_into(axis, r"$\sigma$"))
    assert gate_inputs == sorted([colour["h"], colour["x"]] * 2), "each gate reads both h_{t-1} and x_t"
    plt.close(fig)


def test_bidirectional_layer_concatenates_the_final_state_of_each_direction():
    fig = diagrams.bidirectional_layer(words=("not", "bad", "at", "all", "!"))
    texts = labels(fig)
    for arrow in ("overrightarrow", "overleftarrow"):
        states = [t for t in texts if t.startswith(rf"$\{arrow}")]
        assert states == [rf"$\{arrow}{{h}}_{step}$" for step in range(1, 6)]
    assert r"$[\overrightarrow{h}_5\,;\,\overleftarrow{h}_1]$" in texts
    assert {"not", "bad", "at", "all", "!"} <= set(texts)
    plt.close(fig)


def test_attention_pooling_scores_weighs_and_sums_every_state_and_gives_padding_no_weight():
    fig = diagrams.attention_pooling(states=3)
    texts = labels(fig)
    assert [t for t in texts if re.fullmatch(r"\$(h|e|\\alpha)_\d\$", t)] == [
        "$h_1$", "$e_1$", r"$\alpha_1$", "$h_2$", "$e_2$", r"$\alpha_2$", "$h_3$", "$e_3$", r"$\alpha_3$"]
    assert "[pad]" in texts and "$-10^9$" in texts and "$0$" in texts
    (axis,) = fig.axes
    context = next(text for text in axis.texts if text.get_text() == r"$c = \sum_t \alpha_t h_t$")
    into_context = [a for a in axis.texts if not a.get_text() and np.isclose(a.xy[1], context.get_position()[1] - 0.37)]
    assert len(into_context) == 4, "every state's product, the padded one's too, goes into the weighted sum"
    plt.close(fig)



def test_cbow_averages_the_context_into_the_centre_word_and_skipgram_predicts_each_context_word():
    fig = diagrams.cbow_skipgram(context=("acting", "was", "but", "the", "plot", "was"), centre="great")
    texts = labels(fig)
    context_symbols = ["$w_{t-3}$", "$w_{t-2}$", "$w_{t-1}$", "$w_{t+1}$", "$w_{t+2}$", "$w_{t+3}$"]
    assert [t for t in texts if t.startswith("$w_{t")] == context_symbols * 2, "the window, in each model"
    assert texts.count("$w_t$") == 2 and texts.count("great") == 2 and texts.count("was") == 4
    assert "one prediction per position" in " ".join(texts) and "2c = 6 predictions per position" in " ".join(texts)
    (axis,) = fig.axes
    average_y = next(text for text in axis.texts if text.get_text().startswith(r"$\bar{")).get_position()[1]
    heads = [(a.xyann, a.xy) for a in axis.texts if not a.get_text()]
    into_average = [head for head in heads if np.isclose(head[1][1], average_y - 0.6)]
    out_of_vector = [head for head in heads if np.isclose(head[0][1], average_y + 0.4)]
    assert len(into_average) == 6, "CBOW: every context word's vector goes into the average"
    assert len(out_of_vector) == 6, "skip-gram: the centre word's vector predicts every context word"
    plt.close(fig)
    with pytest.raises(ValueError, match="as many words before the centre as after"):
        diagrams.cbow_skipgram(context=("acting", "was", "but"))


@pytest.mark.parametrize("name", list(diagrams.MECHANISMS))
def test_no_two_labels_of_a_mechanism_figure_overlap(name):
    fig = diagrams.MECHANISMS[name]()
    (axis,) = fig.axes
    renderer = fig.canvas.get_renderer()
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in axis.texts if text.get_text()]
    overlapping = [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.overlaps(box_b)]
    assert overlapping == []
    plt.close(fig)


def test_save_mechanisms_writes_each_figure_as_a_png_wide_enough_for_a_projector(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    paths = diagrams.save_mechanisms(["08a_gru_cell", "12_attention_pooling"])
    assert [path.stem for path in paths] == ["08a_gru_cell", "12_attention_pooling"]
    for path in paths:
        assert path.is_relative_to(tmp_path) and path.read_bytes().startswith(b"\x89PNG")
        height, width, _ = plt.imread(path).shape
        assert width >= 1600 and height >= 800, (width, height)
    with pytest.raises(ValueError, match="08a_lstm_cell"):
        diagrams.save_mechanisms(["08a_lstm"])


def test_every_figure_a_notebook_shows_in_its_markdown_exists():
    linked = []
    for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                linked += [(path.name, target) for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source)
                           if not re.match(r"[a-z]+:", target)]  # a remote or inline image
    assert [(name, target) for name, target in linked if not (REPO_ROOT / "notebooks" / target).is_file()] == []


def test_every_figure_a_notebook_shows_rides_in_it_as_img_holds_it():
    # Opened alone (Colab opens one file), a notebook shows only the figures it carries.
    stale = [f"{path.name}: {name}" for path in sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
             for name in embedded_figures.stale_figures(nbformat.read(path, as_version=4))]
    assert stale == [], "carry them: python -m utils.embedded_figures (make diagrams runs it)"
