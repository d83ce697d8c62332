"""`res.plot`: the run report's charts as matplotlib Figures for notebooks and scripts.

Each method draws with the report's own figure builder (`ccsim.report.charts`), so a notebook
shows exactly the chart of `ccsim run --out`; matplotlib is imported on the first call only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ccsim.results import Results


class ResultPlots:
    """The charts of one `Results`, each a matplotlib Figure (not kept open by pyplot: make it a
    notebook cell's value to show it, or `fig.savefig("chart.png")`).

    Example:
        >>> res = ccsim.simulate(ccsim.load_scenario("scenarios/hotline.yml"), replications=5, seed=1)
        >>> fig = res.plot.service_level()
        >>> fig.axes[0].get_ylabel()
        'service level (% within threshold)'
    """

    def __init__(self, res: Results):
        self._res = res

    def _draw(self, builder: str, title: str | None, default: str) -> Figure:
        from ccsim.report import charts

        fig = getattr(charts, builder)(self._res, title if title is not None else f"{self._res.scenario.name}: {default}")
        charts.plt.close(fig)               # returned, not left for pyplot to show a second time
        return fig

    def service_level(self, title: str | None = None) -> Figure:
        """Service level per interval (% answered within each queue's threshold, mean over
        replications) of every queue and all queues; each queue's target dashed."""
        return self._draw("service_level_figure", title, "service level per interval")

    def volumes(self, title: str | None = None) -> Figure:
        """Contacts per interval over all queues (means over replications): answered and abandoned
        stacked bars, offered as a line."""
        return self._draw("volume_figure", title, "contacts per interval")

    def waits(self, title: str | None = None) -> Figure:
        """Waits before answer per queue and all queues: ASA and p50/p90/p95 (means with 95% CI
        bars), in the unit (s, min, h or d) that suits the longest; thresholds dashed."""
        return self._draw("wait_figure", title, "wait before answer")

    def occupancy(self, title: str | None = None) -> Figure:
        """Occupancy per agent group and interval (% of present time busy), all agents in black;
        a group's `max_occupancy` cap dashed."""
        return self._draw("occupancy_figure", title, "occupancy per agent group")
