"""Figures are saved under img/ (img/smoke/ under the smoke profile)."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from utils import config, plots, stats  # noqa: E402


def test_save_fig_and_plot_history_write_pngs(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("smoke"))
    history = {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6], "accuracy": [0.5, 0.8], "val_accuracy": [0.5, 0.7]}
    fig = plots.plot_history(history, "99_history")
    assert len(fig.axes) == 2 and len(fig.axes[1].lines) == 2
    assert all(tick == int(tick) for axis in fig.axes for tick in axis.get_xticks())  # whole epochs only
    path = tmp_path / "smoke" / "99_history.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("full"))
    assert plots.save_fig("99_other", fig) == tmp_path / "99_other.png"


def test_plot_history_starts_accuracy_at_chance_and_bands_validation_with_its_wilson_interval(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("smoke"))
    history = {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6], "accuracy": [0.80, 0.90], "val_accuracy": [0.70, 0.75]}
    loss_axis, accuracy_axis = plots.plot_history(history, "99_banded", validation_size=400).axes
    assert accuracy_axis.get_ylim() == (0.5, 1.0) and loss_axis.get_ylim()[0] == 0
    band = accuracy_axis.collections[0].get_paths()[0].vertices
    low, high = stats.wilson_interval(280, 400)
    assert band[:, 1].min() == pytest.approx(low) and band[:, 1].max() == pytest.approx(stats.wilson_interval(300, 400)[1])
    assert low < 0.70 < high
    assert "400 examples" in [text.get_text() for text in accuracy_axis.get_legend().get_texts()][-1]
    below_chance = {**history, "val_accuracy": [0.40, 0.45]}
    assert plots.plot_history(below_chance, "99_low").axes[1].get_ylim()[0] == pytest.approx(0.38)
    assert not plots.plot_history(history, "99_plain").axes[1].collections  # no size, no band
    one_epoch = {key: values[:1] for key, values in history.items()}
    assert [list(axis.get_xticks()) for axis in plots.plot_history(one_epoch, "99_one").axes] == [[1], [1]]


def png_size(path) -> tuple[int, int]:
    """Return (width, height) in pixels from a PNG's header."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def test_course_style_is_applied_on_import_and_sets_the_saved_resolution(tmp_path, monkeypatch):
    assert {key: matplotlib.rcParams[key] for key in plots.COURSE_STYLE} == plots.COURSE_STYLE
    assert matplotlib.rcParams["font.size"] >= 12 and matplotlib.rcParams["xtick.labelsize"] >= 12
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("full"))
    fig = plots.plt.figure(figsize=(4, 3))
    fig.gca().plot([0, 1], [0, 1])
    dpi = plots.COURSE_STYLE["savefig.dpi"]
    width, height = png_size(plots.save_fig("99_style", fig))
    assert 0.8 * 4 * dpi < width <= 4 * dpi and 0.8 * 3 * dpi < height <= 3 * dpi, "cropped to the drawing only"
    small_width, _ = png_size(plots.save_fig("99_style", fig, dpi=50))
    assert abs(width / small_width - dpi / 50) < 0.05 * dpi / 50


def test_save_fig_keeps_a_title_wider_than_the_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("full"))
    fig = plots.plt.figure(figsize=(3, 2))
    fig.gca().set_title("a title much wider than this small three-inch figure, in the course's large fonts")
    width, _ = png_size(plots.save_fig("99_title", fig))
    assert width > 3 * plots.COURSE_STYLE["savefig.dpi"]


def test_a_figure_save_stopped_midway_leaves_the_previous_figure_and_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("full"))
    fig = plots.plt.figure(figsize=(3, 2))
    fig.gca().plot([0, 1], [0, 1])
    previous = plots.save_fig("99_kept", fig).read_bytes()
    real_savefig = fig.savefig

    def save_then_stop(path, **options):
        """Write the figure's first bytes, then stop as Ctrl-C would."""
        real_savefig(path, **options)
        Path(path).write_bytes(Path(path).read_bytes()[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(fig, "savefig", save_then_stop)
    fig.gca().plot([0, 1], [1, 0])
    with pytest.raises(KeyboardInterrupt):
        plots.save_fig("99_kept", fig)
    assert (tmp_path / "99_kept.png").read_bytes() == previous
    assert [path.name for path in tmp_path.iterdir()] == ["99_kept.png"]


def test_formatted_turns_the_named_columns_into_strings_and_leaves_the_rest():
    import pandas as pd

    frame = pd.DataFrame({"words": [12345.0, None], "share": [0.1234, 0.5], "name": ["a", "b"]})
    shown = plots.formatted(frame, {"words": "{:,.0f}", "share": "{:.1%}"}, na_rep="-")
    assert shown["words"].tolist() == ["12,345", "-"] and shown["share"].tolist() == ["12.3%", "50.0%"]
    assert shown["name"].tolist() == ["a", "b"] and frame["share"].tolist() == [0.1234, 0.5]


def test_attention_text_writes_each_shown_word_on_a_background_by_weight():
    fig, axis = plt.subplots()
    words = ["a", "truly", "awful", "film"]
    plots.attention_text(axis, words, [0.1, 0.2, 0.6, 0.1], "title")
    texts = [text for text in axis.texts]
    assert [text.get_text() for text in texts] == words
    shades = [text.get_bbox_patch().get_facecolor() for text in texts]
    assert shades[2] == max(shades, key=lambda colour: -sum(colour[:3]))
    assert axis.get_title(loc="left") == "title"
    plt.close(fig)


def test_attention_text_stops_with_an_ellipsis_after_its_last_line():
    fig, axis = plt.subplots()
    plots.attention_text(axis, ["word"] * 100, [1.0] * 100, "long", line_chars=20, max_lines=2)
    assert [text.get_text() for text in axis.texts][-1] == "…"
    assert len(axis.texts) == 2 * 4 + 1
    plt.close(fig)


def test_word_positions_wrap_before_a_word_that_would_pass_the_line_end():
    assert plots.word_positions(["ab", "cd", "efg", "h"], line_chars=5) == [(0, 0), (0, 3), (1, 0), (1, 4)]
    assert plots.word_positions(["a_word_longer_than_the_line", "b"], line_chars=5) == [(0, 0), (1, 0)]
