"""Figures are saved under img/ (img/smoke/ under the smoke profile)."""
import matplotlib

matplotlib.use("Agg")

from utils import config, plots  # noqa: E402


def test_save_fig_and_plot_history_write_pngs(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "IMG_DIR", tmp_path)
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("smoke"))
    history = {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6], "accuracy": [0.5, 0.8], "val_accuracy": [0.5, 0.7]}
    fig = plots.plot_history(history, "99_history")
    assert len(fig.axes) == 2 and len(fig.axes[1].lines) == 2
    path = tmp_path / "smoke" / "99_history.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(plots, "PROFILE", config.get_profile("full"))
    assert plots.save_fig("99_other", fig) == tmp_path / "99_other.png"
