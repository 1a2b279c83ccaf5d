"""Mesa's own tools on NeighbourhoodModel: DataCollector, running/horizon, batch_run, SolaraViz plots."""

from __future__ import annotations

import warnings

import ipyvuetify as v
import ipywidgets
import mesa
import numpy as np
import pandas as pd
import pytest
import solara

from buurtsim import METRIC_NAMES, NeighbourhoodModel
from buurtsim.mesa_interop import MetricsDataCollector

SMALL = {"n_residents": 60, "burn_in_weeks": 2}


def test_datacollector_is_a_mesa_datacollector_holding_the_metrics() -> None:
    model = NeighbourhoodModel(seed=3, **SMALL)
    model.run(4)
    assert isinstance(model.datacollector, mesa.DataCollector)
    frame = model.datacollector.get_model_vars_dataframe()
    metrics = model.metrics()
    assert list(frame.columns) == list(METRIC_NAMES)
    assert len(frame) == len(metrics) == 5  # the start and four weeks
    pd.testing.assert_frame_equal(frame, metrics[list(METRIC_NAMES)].reset_index(drop=True), check_names=False)


def test_running_turns_false_at_the_horizon_and_run_model_stops_there() -> None:
    model = NeighbourhoodModel(seed=1, horizon=3, **SMALL)
    assert model.running
    model.run_model()
    assert (model.tick, model.steps) == (3, 3)
    assert not model.running
    assert len(model.datacollector.model_vars["population"]) == 4


def test_running_can_be_switched_off_and_no_horizon_keeps_running() -> None:
    model = NeighbourhoodModel(seed=1, **SMALL)
    model.run(2)
    assert model.horizon is None and model.running
    model.running = False
    assert not model.running


def test_from_scenario_sets_the_horizon_and_takes_a_shipped_name() -> None:
    model = NeighbourhoodModel.from_scenario("basis", n_residents=60, ticks=2)
    assert model.horizon == 2
    model.run_model()
    assert model.tick == 2
    assert model.scenario.name == "basis"  # type: ignore[attr-defined]


def test_same_seed_same_collected_data() -> None:
    a, b = (NeighbourhoodModel(seed=9, horizon=3, **SMALL) for _ in range(2))
    a.run_model()
    b.run_model()
    pd.testing.assert_frame_equal(a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe())


def test_batch_run_runs_the_model_to_its_horizon() -> None:
    results = mesa.batch_run(
        NeighbourhoodModel,
        parameters={"seed": [1, 2], "horizon": 3, "shock_prob": [0.0, 0.02], **SMALL},
        iterations=1, max_steps=50, number_processes=1, data_collection_period=1, display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 4 * 3  # 2 seeds x 2 shock levels, steps 0..2 (Mesa reports up to steps - 1)
    assert set(METRIC_NAMES) <= set(frame.columns)
    row = frame[(frame["seed"] == 2) & (frame["shock_prob"] == 0.02) & (frame["Step"] == 2)].iloc[0]
    again = NeighbourhoodModel(seed=2, shock_prob=0.02, **SMALL).run(3)
    for name in ("population", "mean_self_reliance", "share_isolated", "gini_self_reliance"):
        assert row[name] == pytest.approx(again.loc[2, name], rel=1e-12)
    # the shock level reached the model: without shocks nobody has a life event, so fewer problems
    at_end = frame[frame["Step"] == 2].groupby("shock_prob")["mean_self_reliance"].mean()
    assert at_end[0.0] != at_end[0.02]


def test_extra_mesa_reporters_are_collected_beside_the_metrics() -> None:
    model = NeighbourhoodModel(seed=2, **SMALL)
    model.datacollector = MetricsDataCollector(
        ("population",),
        model_reporters={"week": lambda m: m.tick},
        agent_reporters={"self_reliance": "self_reliance"},
    )
    model.datacollector.collect(model)
    model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == ["week", "population"]
    assert frame["week"].tolist() == [0, 1]
    agents = model.datacollector.get_agent_vars_dataframe()
    assert len(agents.loc[1]) == len(model.residents)
    expected = np.sort([r.self_reliance for r in model.residents])
    np.testing.assert_allclose(np.sort(agents.loc[1, "self_reliance"].to_numpy()), expected)


def test_make_plot_component_draws_a_metric() -> None:
    from mesa.visualization import make_plot_component

    model = NeighbourhoodModel(seed=1, **SMALL)
    model.run(2)
    component, page = make_plot_component("mean_self_reliance")
    _, rc = solara.render(component(model), handle_error=False)
    png = rc.find(ipywidgets.Image).widget.value
    assert page == 0 and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_solaraviz_page_with_a_plot_renders_and_steps() -> None:
    from mesa.visualization import SolaraViz, make_plot_component

    model = NeighbourhoodModel(seed=1, horizon=2, **SMALL)
    page = SolaraViz(
        model,
        components=[make_plot_component(["share_strong", "share_sliding"])],
        model_params={"seed": 1, "horizon": 2, **SMALL},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Mesa's own hook-order notice
        _, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)
    before = rc.find(ipywidgets.Image).widget.value
    buttons = {str(b.children[0]): b for b in rc.find(v.Btn).widgets if b.children}
    assert {"Reset", "Step"} <= set(buttons), "SolaraViz shows its controls"
    buttons["Step"].click()
    shown = rc.find(ipywidgets.Image).widget.value
    assert shown[:4] == b"\x89PNG" and shown != before, "the plot is redrawn after a step"
