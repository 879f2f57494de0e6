import pytest

from screener.errors import ScreenerError
from screener.plots import Curve, plot_recall_curves


def _png_size(path):
    import struct

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_recall_curve_png_written(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    captured = {}
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):  # look at the figure that was really drawn, then save it for real
        ax = fig.axes[0]
        captured["xlabel"] = ax.get_xlabel()
        captured["ylabel"] = ax.get_ylabel()
        captured["title"] = ax.get_title()
        captured["legend"] = [t.get_text() for t in ax.get_legend().get_texts()]
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    curves = [
        Curve([1, 0, 1, 1, 0, 0, 0, 0, 0, 1], "screener seed 1", n_priors=2, group="screener",
              stops={"knee": 4, "never": None}),
        Curve([1, 0, 0, 1, 0, 0, 1, 0, 0, 1], "screener seed 2", n_priors=2, group="screener"),
        Curve([0, 0, 0, 1, 0, 1, 0, 0, 1, 1], "random", n_priors=2),
    ]
    out = plot_recall_curves(curves, tmp_path / "sub" / "curve.png", title="Test set")
    assert out.exists() and out.stat().st_size > 5000
    w, h = _png_size(out)
    assert w > 400 and h > 300
    assert captured["xlabel"] and captured["ylabel"] == "Includes found"
    assert captured["title"] == "Test set"
    # one legend entry per system (not per seed), both references, one per stop method
    assert captured["legend"].count("screener") == 1
    assert "random" in captured["legend"]
    assert "ideal order" in captured["legend"] and "random order (expected)" in captured["legend"]
    assert "stop: knee method" in captured["legend"]


def test_no_curves_is_an_error(tmp_path):
    with pytest.raises(ScreenerError):
        plot_recall_curves([], tmp_path / "x.png", title="t")


def test_stop_markers_use_the_names_the_reports_use(tmp_path, monkeypatch):
    """The legend said 'stop: score_sample' and 'stop: qbcb' while the text report beside it
    says 'model-based (recommended)' and 'QBCB'."""
    import matplotlib.pyplot as plt

    legend = []
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):
        legend.extend(t.get_text() for t in fig.axes[0].get_legend().get_texts())
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    curve = Curve([1, 0, 1, 1, 0, 0, 0, 0, 0, 1], "seed 1", n_priors=2,
                  stops={"score_sample": 5, "qbcb": None, "hypergeometric": 6, "consecutive": 4})
    plot_recall_curves([curve], tmp_path / "curve.png", title="t")
    stops = [t for t in legend if t.startswith("stop: ")]
    assert stops == ["stop: model-based (recommended)", "stop: QBCB (not before the end)",
                     "stop: hypergeometric test", "stop: consecutive excludes"], legend
