"""The UI-free parts of the dashboard: runs, A/B with common random numbers, export, drawing,
text tables and the `dashboard` command line."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from dashboard_helpers import CAROUSEL, PRESENCE, N

from buurtsim.cli import dashboard_cmds
from buurtsim.dashboard import drawing, i18n, sources
from buurtsim.dashboard.runner import Comparison, Run, settings_for
from buurtsim.formatting import POINT_METRICS
from buurtsim.metrics import METRIC_NAMES
from buurtsim.model import NeighbourhoodModel
from buurtsim.params import Params
from buurtsim.scenario import load_scenario_text


def upload(text: str, name: str) -> sources.Source:
    return sources.parse_upload(name, text.encode("utf-8"))


def test_run_stops_at_the_horizon():
    run = Run(replace(settings_for(sources.default_source(), n_residents=N), horizon=6))
    assert run.step(4) == 4
    assert run.step(4) == 2
    assert run.done and run.tick == 6
    assert run.step(1) == 0


def test_csv_export_has_a_row_per_week_and_every_metric():
    run = Run(settings_for(upload(CAROUSEL, "c.toml"), n_residents=N))
    run.step(5)
    df = pd.read_csv(io.BytesIO(run.csv("en")), index_col="tick")
    assert list(df.index) == list(range(6))
    # self-reliance in points, with the scale in the column name
    named = {f"{m}_0_100" if m in POINT_METRICS else m for m in METRIC_NAMES}
    assert named <= set(df.columns)
    assert (df["mean_self_reliance_0_100"] == 100 * run.metrics()["mean_self_reliance"]).all()
    # Dutch: ';' between fields and a decimal comma, read back to the same numbers
    text = run.csv("nl").decode("utf-8")
    assert text.splitlines()[0].startswith("tick;") and "," in text.splitlines()[1]
    nl = pd.read_csv(io.StringIO(text), sep=";", decimal=",", index_col="tick")
    pd.testing.assert_frame_equal(nl, df)


def test_exported_scenario_reproduces_the_run():
    src = upload(CAROUSEL, "c.toml")
    settings = settings_for(src, n_residents=N).with_param("shock_prob", 0.012).with_param("newcomer_potential_shift", -0.1)
    run = Run(replace(settings, seed=77, horizon=30))
    run.step(8)
    text = run.scenario_toml()
    scn = load_scenario_text(text, "export.toml")
    assert scn.seed == 77 and scn.horizon == 30
    again = NeighbourhoodModel.from_scenario(scn)
    assert again.params.shock_prob == pytest.approx(0.012)
    assert again.params.newcomer_potential_shift == pytest.approx(-0.1)
    again.run(8)
    pd.testing.assert_frame_equal(again.metrics(), run.metrics())


def test_settings_fall_back_to_scenario_then_default():
    src = upload(CAROUSEL, "c.toml")
    s = settings_for(src)
    assert s.n_residents == 200 and s.seed == 5 and s.horizon == 104
    assert s.param("shock_prob") == Params.model_fields["shock_prob"].default
    assert s.with_param("shock_prob", 0.02).param("shock_prob") == 0.02


def test_comparison_uses_common_random_numbers():
    same = Comparison.of(sources.default_source(), sources.default_source(), seed=3, n_residents=N, horizon=20)
    same.step(10)
    assert (same.difference("mean_self_reliance").abs() < 1e-12).all()
    ab = Comparison.of(upload(CAROUSEL, "a.toml"), upload(PRESENCE, "b.toml"), seed=3, n_residents=N, horizon=20)
    assert ab.a.settings.seed == ab.b.settings.seed == 3
    ab.step(10)
    assert ab.tick == 10
    diff = ab.difference("professional_hours")
    assert diff.shape == (11,) and diff.abs().sum() > 0
    both = pd.read_csv(io.BytesIO(ab.csv("nl")), sep=";", decimal=",")
    assert sorted(both["run"].unique()) == ["A", "B"]


def test_timeline_lists_policy_periods():
    run = Run(settings_for(upload(CAROUSEL, "c.toml"), n_residents=N))
    tl = run.timeline()
    assert tl and all(0 <= s < e <= run.horizon for s, e, _ in tl)
    assert {lbl for _, _, lbl in tl} == {"carrousel"}  # one row per policy, also for many projects


def test_large_neighbourhood_draws_a_fixed_sample():
    run = Run(settings_for(sources.default_source(), n_residents=N))
    slots, sampled = run.drawn_slots(max_drawn=50)
    assert sampled and slots.size == 50
    run.step(3)
    again, _ = run.drawn_slots(max_drawn=50)
    np.testing.assert_array_equal(slots, again)
    all_slots, sampled_all = run.drawn_slots()
    assert not sampled_all and all_slots.size == N


def test_story_picture_renders():
    run = Run(settings_for(upload(CAROUSEL, "c.toml"), n_residents=N))
    run.step(5)
    uid = int(run.model.state.uid[0])
    fig = drawing.story_figure(run.model.story(uid), run.model.resident_events(uid), run.horizon)
    assert drawing.to_png(fig, dpi=40).startswith(b"\x89PNG")


def test_metrics_table_is_built_once_per_week():
    run = Run(settings_for(upload(CAROUSEL, "c.toml"), n_residents=N))
    run.step(2)
    first = run.metrics()
    assert run.metrics() is first  # the charts of one frame share the table
    run.step(1)
    again = run.metrics()
    assert again is not first and len(again) == len(first) + 1


def test_every_text_exists_in_both_languages():
    for key, (nl, en) in i18n.TEXT.items():
        assert nl.strip() and en.strip(), key
    for name in i18n.KEY_PARAMS:
        assert name in Params.model_fields, name
        assert i18n.param_label(name, "nl") != i18n.param_label(name, "en")
        assert i18n.param_help(name, "en")
    assert i18n.t("week", "en", tick=3, horizon=10) == "Week 3 of 10"


def test_dashboard_command_is_local_and_offline():
    cmd = dashboard_cmds.solara_command("127.0.0.1", 8765)
    assert cmd[1:3] == ["run", "buurtsim.dashboard.app"]
    assert "--no-check-version" in cmd and "--production" in cmd
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    env = dashboard_cmds.solara_env({"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "true"})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")


def test_dashboard_command_defaults_to_localhost():
    import inspect

    sig = inspect.signature(dashboard_cmds.dashboard_cmd)
    assert sig.parameters["host"].default.default == "127.0.0.1"
    assert sig.parameters["port"].default.default == 8765


def test_a_pause_takes_effect_at_the_next_week_not_after_the_frame() -> None:
    """Play advances a frame of many weeks; pausing stops it before the next week starts, and
    a comparison's two runs stay in step."""
    run = Run(replace(settings_for(sources.default_source(), n_residents=N), horizon=40))
    answers = iter([False, False, True])
    assert run.step(26, lambda: next(answers)) == 2
    assert run.tick == 2
    assert run.step(26, lambda: True) == 0 and run.tick == 2
    src = sources.default_source()
    cmp = Comparison.of(src, src, seed=3, n_residents=N, horizon=40)
    answers = iter([False, True])
    assert cmp.step(26, lambda: next(answers)) == 1
    assert cmp.a.tick == cmp.b.tick == 1
