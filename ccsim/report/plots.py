"""Chart plumbing shared by every chart (matplotlib, no display needed): the interval axis with
day separators, step lines, rendering to PNG (files) and to SVG with text kept as text (the HTML
reports, so that the browser's fonts draw any script, Chinese included), and the staffing coverage
plot. A PNG drawn without a font for some of its characters warns once."""

from __future__ import annotations

import io
import os
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")           # no display needed; a notebook's (or the user's) chosen backend is kept
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ccsim.atomic import atomic_write  # noqa: E402

# Fonts tried in turn for each character (PNG), and listed in the SVG for the browser to choose:
# DejaVu Sans first (ships with matplotlib), then the common CJK fonts of Linux, macOS and Windows.
FONTS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
         "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "SimHei", "Arial Unicode MS"]
STYLE = {"svg.fonttype": "none", "svg.hashsalt": "ccsim", "font.family": ["sans-serif"], "font.sans-serif": FONTS}
MISSING_GLYPH = re.compile(r"Glyph \d+ .* missing from font")
_warned_fonts = False

DPI = 110
plt.rcParams.update(STYLE)
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


def day_starts(labels: Sequence[str]) -> list[int]:
    """Positions where a new day starts in "dN HH:MM" labels (none for one day's "HH:MM" labels)."""
    days = [label.split(" ")[0] if " " in label else "" for label in labels]
    return [i for i in range(1, len(days)) if days[i] != days[i - 1]]


def interval_axis(ax: Axes, labels: Sequence[str]) -> None:
    """Interval i spans [i, i + 1) on the x axis; at most ~24 start labels. Over several days a
    dashed line separates the days and, beyond two days, the ticks fall on the days' starts."""
    starts = day_starts(labels)
    if len(starts) >= 2:
        ticks = [0, *starts]
        step_days = max(1, len(ticks) // 24)
        ticks = ticks[::step_days]
        ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=60, ha="right", fontsize=8)
    else:
        ticks = list(range(0, len(labels), max(1, len(labels) // 24)))
        ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=60, ha="right", fontsize=8)
    for i in starts:
        ax.axvline(i, color="dimgray", linestyle=":", linewidth=0.9, zorder=0.5)
    ax.set_xlim(0, len(labels))
    ax.set_xlabel("interval start (day and time; dotted lines: a new day)" if starts
                  else "interval start (time of day)")
    ax.grid(alpha=0.3)


def step(ax: Axes, values: Sequence[float], **style) -> None:
    """One value per interval drawn over the interval's whole width."""
    values = list(values)
    ax.step(range(len(values) + 1), values + values[-1:], where="post", **style)


def legend_outside(ax: Axes) -> None:
    """The legend to the right of the axes, so it never hides a line."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _png(fig: Figure) -> bytes:
    """`fig` as PNG bytes. Characters no installed font has are boxes in it: warns once."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buffer, format="png", dpi=DPI)
    _warn_missing_fonts(caught)
    return buffer.getvalue()


def save_figure(fig: Figure, path: Path | str) -> bytes:
    """Render `fig` as a PNG written atomically at `path`, close it; returns the PNG bytes."""
    try:
        png = _png(fig)
    finally:
        plt.close(fig)
    atomic_write(path, lambda handle: handle.write(png), binary=True)
    return png


def render(fig: Figure, path: Path | str) -> tuple[bytes, str]:
    """Render `fig` as a PNG written atomically at `path` and as SVG markup to inline in HTML
    (text kept as text, no XML prolog, metadata or external namespaces); close it. Returns
    (PNG bytes, SVG markup)."""
    text = io.StringIO()
    try:
        png = _png(fig)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=MISSING_GLYPH.pattern)   # the browser draws SVG text
            fig.savefig(text, format="svg", metadata={"Date": None})
    finally:
        plt.close(fig)
    atomic_write(path, lambda handle: handle.write(png), binary=True)
    return png, inline_svg(text.getvalue())


def inline_svg(svg: str) -> str:
    """matplotlib's SVG as an element for an HTML page: without the XML prolog, doctype and
    metadata, namespaces implied by HTML, `xlink:href` as `href`, sized by its viewBox."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="chart"', svg, count=1)


def _warn_missing_fonts(caught: list[warnings.WarningMessage]) -> None:
    global _warned_fonts
    missing = [w for w in caught if MISSING_GLYPH.search(str(w.message))]
    for w in caught:
        if w not in missing:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if missing and not _warned_fonts:
        _warned_fonts = True
        warnings.warn("the PNG charts show some characters (e.g. Chinese names) as boxes: no installed font has "
                      "them; install a CJK font such as Noto Sans CJK (Debian/Ubuntu: fonts-noto-cjk). The HTML "
                      "report draws its charts as SVG text, which the browser's fonts render.", UserWarning,
                      stacklevel=3)


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
