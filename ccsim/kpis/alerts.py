"""Alerts over a run's replications from customer KPIs: entry points whose CSAT or FCR falls
below the scenario's alert lines."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.registry import index
from ccsim.kpis.replication import customer_kpis
from ccsim.model.plan import Plan


def satisfaction_warnings(plan: Plan, records) -> list[str]:
    """Entry points (and all customers) whose CSAT or FCR, averaged over replications, is below
    the scenario's alert line (`satisfaction.alerts`)."""
    warnings = []
    names = [*plan.queue_names, *plan.process_names, "all customers"]
    samples = np.stack([customer_kpis(plan, rec) for rec in records])
    for kpi, line in zip(("csat", "fcr"), plan.alert_lines):
        if not np.isfinite(line):
            continue
        for name, values in zip(names, samples[:, :, index("customer", kpi)].T):
            values = values[np.isfinite(values)]
            value = values.mean() if values.size else np.nan
            if value < line:
                where = name if name == "all customers" else f"customers entering at {name}"
                warnings.append(f"{where}: {kpi.upper()} {100 * value:.1f}% is below the alert line of {100 * line:.0f}%")
    return warnings
