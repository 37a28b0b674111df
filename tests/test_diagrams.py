"""The configurations figure: five panels, each with its boxes and the Keras settings that give it."""
import matplotlib.pyplot as plt
import numpy as np

from utils import diagrams


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
    assert [t for t in texts if t.startswith("$s_")] == ["$s_1$", "$s_2$", "$s_3$"]
    assert "$c_3$" in texts and "[start]" in texts and "dónde" in texts
    context_x, context_y = next(text for text in axis.texts if text.get_text() == "$c_3$").get_position()
    into_context = [text for text in axis.texts if text.get_text() == "" and np.allclose(text.xy, (context_x - 0.3, 2.0))]
    assert len(into_context) == 4, "one arrow from every encoder state into the context"
    assert "Transformer" in " ".join(texts)
    plt.close(fig)
