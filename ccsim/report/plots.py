"""Chart plumbing shared by every PNG (matplotlib, no display needed): the interval axis, step
lines, atomic saving, and the staffing coverage plot."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ccsim.atomic import atomic_write  # noqa: E402

DPI = 110
MAX_WIDTH_IN = 14.0                 # wider figures only shrink their text once scaled to a page
COVERAGE_LABELS = {"analytic": "Erlang requirement", "required": "required", "scheduled": "scheduled"}


def interval_labels(frame: pd.DataFrame) -> list[str]:
    """Interval start labels from `day` and `start` columns: "08:30", or "d2 08:30" over several days."""
    if frame["day"].nunique() == 1:
        return frame["start"].astype(str).tolist()
    return ("d" + frame["day"].astype(str) + " " + frame["start"].astype(str)).tolist()


def interval_figure(n_intervals: int, height_in: float = 4.5) -> tuple[Figure, Axes]:
    """A figure for a per-interval chart: 10 inches wide, wider with many intervals up to MAX_WIDTH_IN."""
    return plt.subplots(figsize=(min(max(10.0, n_intervals * 0.18), MAX_WIDTH_IN), height_in),
                        constrained_layout=True)


def interval_axis(ax: Axes, labels: Sequence[str]) -> None:
    """Interval i spans [i, i + 1) on the x axis; at most ~24 start labels."""
    ticks = list(range(0, len(labels), max(1, len(labels) // 24)))
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=60, ha="right", fontsize=8)
    ax.set_xlim(0, len(labels))
    ax.set_xlabel("interval start (day and time)" if " " in labels[0] else "interval start (time of day)")
    ax.grid(alpha=0.3)


def step(ax: Axes, values: Sequence[float], **style) -> None:
    """One value per interval drawn over the interval's whole width."""
    values = list(values)
    ax.step(range(len(values) + 1), values + values[-1:], where="post", **style)


def legend_outside(ax: Axes) -> None:
    """The legend to the right of the axes, so it never hides a line."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def save_figure(fig: Figure, path: Path | str) -> bytes:
    """Render `fig` as a PNG, close it, and write it atomically at `path`; returns the PNG bytes."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI)
    finally:
        plt.close(fig)
    png = buffer.getvalue()
    atomic_write(path, lambda handle: handle.write(png), binary=True)
    return png


def coverage_figure(coverage: pd.DataFrame, title: str, labels: Mapping[str, str] | None = None) -> Figure:
    """Required versus scheduled agents per interval (columns `label`, `required`, `scheduled`,
    optionally `analytic`), one step line each; `labels` renames the legend entries."""
    names = {**COVERAGE_LABELS, **(labels or {})}
    fig, ax = interval_figure(len(coverage))
    if "analytic" in coverage:
        step(ax, coverage["analytic"], color="tab:gray", linestyle="--", label=names["analytic"])
    step(ax, coverage["required"], color="tab:red", label=names["required"])
    step(ax, coverage["scheduled"], color="tab:blue", label=names["scheduled"])
    interval_axis(ax, coverage["label"].tolist())
    ax.set_ylim(bottom=0)
    ax.set_ylabel("agents")
    ax.set_title(title)
    ax.legend()
    return fig


def coverage_plot(coverage: pd.DataFrame, path: Path | str, title: str) -> Path:
    """Required versus scheduled agents per interval (see `coverage_figure`), saved as a PNG at `path`."""
    save_figure(coverage_figure(coverage, title), path)
    return Path(path)
