"""Arrival volumes of a queue or process: a constant rate, a list per interval, or a CSV forecast."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from ccsim.scenario.type_schemas import exactly_one, key_rules
from ccsim.scenario.types import WEEKDAY_SCHEMA, Strict, Weekday
from ccsim.scenario.volumes import read_volume_csv


class Arrivals(Strict):
    """Expected volume: exactly one of `per_hour`, `per_interval` or `csv`; `day_factors` scales
    it per weekday (e.g. {sat: 0.5, sun: 0}: half the volume on Saturdays, closed on Sundays)."""

    model_config = ConfigDict(json_schema_extra=key_rules(exactly_one("per_hour", "per_interval", "csv")))

    per_hour: float | None = Field(None, ge=0, allow_inf_nan=False)
    """Expected fresh contacts per hour, the same in every interval."""
    per_interval: tuple[Annotated[float, Field(ge=0, allow_inf_nan=False)], ...] | None = None
    """Expected fresh contacts in each interval: one value per interval of a day (repeated every day) or of the whole horizon."""
    csv: str | None = None
    """Path of a CSV forecast of contacts per interval (columns interval or start, and volume), relative to the scenario file."""
    day_factors: dict[Weekday, Annotated[float, Field(ge=0, allow_inf_nan=False)]] = Field(
        {}, json_schema_extra={"propertyNames": WEEKDAY_SCHEMA})
    """Volume multiplier per weekday (mon..sun), e.g. {sat: 0.5, sun: 0}; weekdays not named keep 1."""
    _volumes: tuple[float, ...] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _exactly_one(self, info: ValidationInfo) -> "Arrivals":
        given = [k for k in ("per_hour", "per_interval", "csv") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of per_hour, per_interval, csv (got {', '.join(given) or 'none'})")
        if self.csv is not None:
            base_dir = Path((info.context or {}).get("base_dir", "."))
            self._volumes = read_volume_csv(base_dir / self.csv)
        elif self.per_interval is not None:
            self._volumes = self.per_interval
        return self

    def scaled(self, share: float) -> "Arrivals":
        """These arrivals thinned to `share` of them (volumes from a CSV file become inline)."""
        if self.per_hour is not None:
            return self.model_copy(update={"per_hour": self.per_hour * share})
        volumes = tuple(v * share for v in self.volumes)
        scaled = self.model_copy(update={"per_interval": volumes, "csv": None})
        scaled._volumes = volumes
        return scaled

    @property
    def volumes(self) -> tuple[float, ...] | None:
        """Contacts per interval from `per_interval` or `csv`; None for a constant rate."""
        return self._volumes
