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
        captured["legend"] = [t.get_text() for t in fig.legends[0].get_texts()]
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    curves = [
        Curve([1, 0, 1, 1, 0, 0, 0, 0, 0, 1], "screener seed 1", n_priors=2, group="screener",
              stops={"knee": 4, "never": None}),
        Curve([1, 0, 0, 1, 0, 0, 1, 0, 0, 1], "screener seed 2", n_priors=2, group="screener"),
        Curve([1, 0, 0, 1, 0, 1, 0, 0, 1, 0], "random", n_priors=2),  # the same dataset and priors: 3 includes in 8
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


def test_references_follow_each_curves_own_records_and_includes(tmp_path, monkeypatch):
    """The benchmark draws a cold start (every record and include left to find) beside 1+1-prior systems (two
    records and one include fewer). One pair of references, drawn to the largest N and R, ran the random line to
    the cold start's end for the systems too, and the ideal line's plateau one include above every curve with priors:
    they looked as if they never found their last include."""
    import matplotlib.pyplot as plt

    lines = {}
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):
        for ln in fig.axes[0].get_lines():
            lines[ln.get_label()] = (list(ln.get_xdata()), list(ln.get_ydata()))
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    cold = [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]  # N = 10, R = 3
    primed = [1, 0, 0, 1, 0, 0, 0, 0, 0, 1]  # priors first: N = 8, R = 2
    plot_recall_curves([Curve(cold, "cold", n_priors=0), Curve(primed, "1+1", n_priors=2)],
                       tmp_path / "c.png", title="t")
    randoms = {k: v for k, v in lines.items() if k.startswith("random order (expected")}
    ideals = {k: v for k, v in lines.items() if k.startswith("ideal order")}
    ends = sorted((v[0][-1], v[1][-1]) for v in randoms.values())
    assert ends == [(8, 2), (10, 3)], randoms
    assert sorted(max(v[1]) for v in ideals.values()) == [2, 3], ideals
    assert any("cold start" in k for k in randoms) and any("2 prior records" in k for k in randoms), randoms


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
        legend.extend(t.get_text() for t in fig.legends[0].get_texts())
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    curve = Curve([1, 0, 1, 1, 0, 0, 0, 0, 0, 1], "seed 1", n_priors=2,
                  stops={"score_sample": 5, "qbcb": None, "hypergeometric": 6, "consecutive": 4})
    plot_recall_curves([curve], tmp_path / "curve.png", title="t")
    stops = [t for t in legend if t.startswith("stop: ")]
    assert stops == ["stop: model-based (recommended)", "stop: QBCB (not before the end)",
                     "stop: hypergeometric test", "stop: consecutive excludes"], legend


def test_no_include_left_to_find_says_so_and_counts_whole_includes(tmp_path, monkeypatch):
    """A replay whose only include was a prior record drew an empty picture whose axis counted '0.05, 0.10 ...
    0.50 includes found', with nothing to say why it was empty (the text report beside it says 'Nothing to
    measure')."""
    import matplotlib.pyplot as plt

    seen = {}
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):
        ax = fig.axes[0]
        seen["yticks"] = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        seen["texts"] = [t.get_text() for t in ax.texts]
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    only_include_was_prior = [1, 0] + [0] * 38
    plot_recall_curves([Curve(only_include_was_prior, "seed 1", n_priors=2, stops={})], tmp_path / "c.png",
                       title="t")
    assert seen["yticks"] and all(float(t).is_integer() for t in seen["yticks"]), seen["yticks"]
    assert any("no include" in t.lower() for t in seen["texts"]), seen["texts"]


def test_target_recall_line_sits_at_95_percent_of_each_references_includes(tmp_path, monkeypatch):
    """The stopping picture is titled 'target recall 95%' but drew no line for it: a stop on the plateau of 18 of
    19 includes (94.7%, short of the target) looked as good as one on 19. The line is at the includes that reach
    95% (19 of 19: a stop below it is short, one on it is not), drawn to each reference's own end (a cold start
    beside 1+1 priors has two)."""
    import matplotlib.pyplot as plt

    lines = {}
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):
        for ln in fig.axes[0].get_lines():
            lines[ln.get_label()] = (list(ln.get_xdata()), list(ln.get_ydata()))
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    primed = [1, 0] + [1] * 18 + [0] * 40 + [1] + [0] * 39  # N = 98, R = 19; 18 found after 18 records
    plot_recall_curves([Curve(primed, "seed 1", n_priors=2, stops={"consecutive": 50})], tmp_path / "s.png",
                       title="t", target=0.95)
    target = {k: v for k, v in lines.items() if "95%" in k}
    assert len(target) == 1, lines.keys()
    (xs, ys), = target.values()
    assert min(xs) == 0 and max(xs) == 98 and ys == [19, 19], (xs, ys)  # the stop at 18 includes lies below it
    assert "19 of 19 includes" in next(iter(target))

    lines.clear()
    cold = [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]  # N = 10, R = 3
    plot_recall_curves([Curve(cold, "cold", n_priors=0), Curve([1, 0] + cold[2:], "1+1", n_priors=2)],
                       tmp_path / "c.png", title="t", target=0.95)
    ends = sorted((max(v[0]), v[1][0]) for k, v in lines.items() if "95%" in k)
    assert ends == [(8, 2), (10, 3)], ends  # 95% of 2 is 1.9: both; of 3, 2.85: all 3

    lines.clear()  # no target asked: no line (the dashboard's own review has no target to draw)
    plot_recall_curves([Curve(cold, "cold")], tmp_path / "n.png", title="t")
    assert not [k for k in lines if "95%" in k]


def test_a_cold_start_alone_is_not_said_to_start_after_prior_knowledge(tmp_path, monkeypatch):
    """'simulate --priors 0 --plot' labelled its axis 'Records screened (after the prior knowledge)' for a replay
    that had none: every record is counted from the first."""
    import matplotlib.pyplot as plt

    seen = []
    real_savefig = plt.Figure.savefig
    monkeypatch.setattr(plt.Figure, "savefig", lambda fig, *a, **kw: seen.append(fig.axes[0].get_xlabel())
                        or real_savefig(fig, *a, **kw))
    cold = [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]
    plot_recall_curves([Curve(cold, "cold start", n_priors=0)], tmp_path / "c.png", title="t")
    plot_recall_curves([Curve(cold, "cold start", n_priors=0), Curve([1, 0] + cold[2:], "1+1", n_priors=2)],
                       tmp_path / "b.png", title="t")
    assert seen == ["Records screened", "Records screened (after the prior knowledge)"], seen  # mixed: as before


def test_the_legend_leaves_the_curves_clear(tmp_path, monkeypatch):
    """The legend sat in the lower right of the plot, over the curves' ends and the stop markers; it is drawn
    outside the plotting area, whole within the picture."""
    import matplotlib.pyplot as plt

    seen = {}
    real_savefig = plt.Figure.savefig

    def spy(fig, *a, **kw):
        fig.canvas.draw()
        legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()  # the figure's, else the plot's
        seen.update(legend=legend.get_window_extent(), axes=fig.axes[0].get_window_extent(), figure=fig.bbox)
        return real_savefig(fig, *a, **kw)

    monkeypatch.setattr(plt.Figure, "savefig", spy)
    curves = [Curve([1, 0, 1, 1, 0, 0, 0, 0, 0, 1] * 5, f"screener seed {s}", n_priors=2, group="screener",
                    stops={"score_sample": 30, "knee": 40, "qbcb": None}) for s in (1, 2)]
    curves.append(Curve([1, 0, 0, 1, 0, 1, 0, 0, 1, 0] * 5, "random", n_priors=2))
    plot_recall_curves(curves, tmp_path / "curve.png", title="Test set", target=0.95)
    leg, axes, figure = seen["legend"], seen["axes"], seen["figure"]
    assert not leg.overlaps(axes), (leg, axes)
    assert figure.x0 <= leg.x0 and leg.x1 <= figure.x1 and figure.y0 <= leg.y0 and leg.y1 <= figure.y1, (leg, figure)
