"""Charts as PNG files (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def coverage_plot(coverage: pd.DataFrame, path: Path | str, title: str) -> Path:
    """Required versus scheduled agents per interval (columns `label`, `required`, `scheduled`,
    optionally `analytic`), one step line each, saved as a PNG at `path`."""
    fig, ax = plt.subplots(figsize=(max(8.0, len(coverage) * 0.18), 4.5), constrained_layout=True)
    x = range(len(coverage) + 1)                   # each interval drawn over its whole width

    def step(column: str, **style) -> None:
        values = coverage[column].tolist()
        ax.step(x, values + values[-1:], where="post", **style)

    if "analytic" in coverage:
        step("analytic", color="tab:gray", linestyle="--", label="Erlang requirement")
    step("required", color="tab:red", label="required")
    step("scheduled", color="tab:blue", label="scheduled")
    ticks = list(range(0, len(coverage), max(1, len(coverage) // 24)))
    ax.set_xticks(ticks, [coverage["label"].iloc[i] for i in ticks], rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("interval (day and start)")
    ax.set_ylabel("agents")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    tmp.replace(path)
    return path
