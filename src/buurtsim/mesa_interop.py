"""What Mesa's own tools expect of a model: `datacollector`, `running` and a horizon.

buurtsim computes its outcomes in one vectorised pass per week (`buurtsim.metrics`). Mesa's
`batch_run`, `SolaraViz` and `make_plot_component` read them through `model.datacollector`, a real
`mesa.DataCollector`. `MetricsDataCollector` copies the row the metrics pass has just computed
into its `model_vars`, so nothing is computed twice and the week is not slowed down: one list
append per outcome per week. `model.running` turns False once `model.horizon` weeks have passed,
as Mesa's `run_model()` and `batch_run` expect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import mesa


class MetricColumn:
    """A model reporter reading one outcome from the latest metrics row (picklable, unlike a lambda).

    `MetricsDataCollector` does not call it while collecting (it copies the row directly); it is
    there so `model_reporters` names every column, as Mesa's tools and users expect.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, model: Any) -> float:
        return float(model.latest_metrics()[self.name])

    def __repr__(self) -> str:
        return f"MetricColumn({self.name!r})"


class MetricsDataCollector(mesa.DataCollector):
    """A `mesa.DataCollector` holding every buurtsim outcome per week, copied from the metrics rows.

    Extra Mesa reporters (model, agent or agent-type reporters, tables) work as usual: they are
    evaluated by `mesa.DataCollector.collect` each week. `model_vars[name][k]` is the outcome
    after k weeks (index 0 is the neighbourhood before the first week), like `model.metrics()`.
    """

    model_reporters: dict[str, Any]
    model_vars: dict[str, list[Any]]

    def __init__(
        self,
        columns: Sequence[str],
        model_reporters: Mapping[str, Any] | None = None,
        agent_reporters: Mapping[str, Any] | None = None,
        agenttype_reporters: Mapping[Any, Mapping[str, Any]] | None = None,
        tables: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(
            model_reporters=dict(model_reporters or {}),
            agent_reporters=dict(agent_reporters) if agent_reporters else None,
            agenttype_reporters={k: dict(v) for k, v in agenttype_reporters.items()} if agenttype_reporters else None,
            tables=dict(tables) if tables else None,
        )
        self._extra = dict(self.model_reporters)
        self.columns: tuple[str, ...] = tuple(c for c in columns if c not in self._extra)
        for name in self.columns:
            self.model_reporters[name] = MetricColumn(name)
            self.model_vars[name] = []

    def collect(self, model: Any) -> None:
        """Copy the latest metrics row, then let Mesa evaluate any extra reporters."""
        row = model.latest_metrics()
        for name in self.columns:
            self.model_vars[name].append(row[name])
        if not (self._extra or self.agent_reporters or self.agenttype_reporters):
            return
        metric_reporters = self.model_reporters
        self.model_reporters = self._extra  # Mesa evaluates only the extra model reporters
        try:
            super().collect(model)
        finally:
            self.model_reporters = metric_reporters


class MesaInterop:
    """Mixin for a `mesa.Model` that stops at `horizon`: `running` is False once `tick >= horizon`.

    Setting `model.running = False` stops it earlier, as in any Mesa model. With no horizon
    (None) the model runs until told otherwise.
    """

    horizon: int | None = None
    tick: int
    _running: bool = True

    @property
    def running(self) -> bool:
        """True until the horizon is reached or someone sets it to False (Mesa's convention)."""
        return self._running and (self.horizon is None or self.tick < self.horizon)

    @running.setter
    def running(self, value: bool) -> None:
        self._running = bool(value)
