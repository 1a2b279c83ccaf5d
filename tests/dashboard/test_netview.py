"""The network view's data: a layout fixed for the run, and per frame the categories, sizes and
ties the browser draws, matching the model."""

from __future__ import annotations

import base64

import numpy as np
from dashboard_helpers import N

from buurtsim.dashboard import netview, sources
from buurtsim.dashboard.runner import Run, settings_for


def _decode(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype)


def _run(weeks: int) -> Run:
    run = Run(settings_for(sources.default_source(), n_residents=N))
    run.step(weeks)
    return run


def test_frame_matches_the_model():
    run = _run(8)
    model, st = run.model, run.model.state
    layout = netview.layout_of(st, np.arange(st.size))
    frame = netview.frame_of(model, layout)
    cats = st.categories(model.params.strong_threshold, model.params.sliding_threshold)
    expected = "".join(str(c) if alive else netview.EMPTY for c, alive in zip(cats, st.alive, strict=True))
    assert frame["cat"] == expected
    deg = _decode(frame["deg"], "u1")
    np.testing.assert_array_equal(deg, np.where(st.alive, np.minimum(model.ties.degree(), netview.MAX_DEGREE_SHOWN), 0))
    pairs = _decode(frame["ties"], "<u2").reshape(-1, 2)
    e = model.ties.live_ids()
    assert pairs.shape[0] == e.size > 0
    got = {tuple(sorted(p)) for p in pairs.tolist()}
    want = {tuple(sorted((int(a), int(b)))) for a, b in zip(model.ties.a[e], model.ties.b[e], strict=True)}
    assert got == want
    assert _decode(frame["strength"], "u1").size == e.size
    assert len(frame["pros"]) == len(model.active_professionals())
    assert _decode(frame["pro_xy"], "<f4").size == 2 * sum(frame["pros"])
    assert frame["counts"] == np.bincount(cats[st.alive], minlength=3).tolist()


def test_only_ties_between_drawn_dwellings_are_sent():
    run = _run(3)
    st = run.model.state
    slots = np.arange(0, st.size, 2)
    layout = netview.layout_of(st, slots)
    pairs = _decode(netview.frame_of(run.model, layout)["ties"], "<u2").reshape(-1, 2)
    ties = run.model.ties
    e = ties.live_ids()
    both = (ties.a[e] % 2 == 0) & (ties.b[e] % 2 == 0)
    assert pairs.shape[0] == int(both.sum())
    assert pairs.max() < slots.size


def test_layout_is_fixed_for_the_run_and_newcomers_take_a_dwelling():
    run = _run(0)
    st = run.model.state
    before = netview.layout_of(st, np.arange(st.size))
    uids0 = st.uid.copy()
    run.step(52)
    after = netview.layout_of(run.model.state, np.arange(run.model.state.size))
    assert run.model.state.size == st.size
    np.testing.assert_array_equal(before.x, after.x)
    np.testing.assert_array_equal(before.y, after.y)
    moved = run.model.state.alive & (run.model.state.uid != uids0)
    assert moved.any(), "a year should see someone move in"


def test_click_maps_back_to_a_resident_and_selection_is_sent():
    run = _run(4)
    st = run.model.state
    layout = netview.layout_of(st, np.arange(st.size))
    slot = int(np.flatnonzero(st.alive)[3])
    fx = (st.x[slot] - layout.xlim[0]) / (layout.xlim[1] - layout.xlim[0])
    fy = (layout.ylim[1] - st.y[slot]) / (layout.ylim[1] - layout.ylim[0])
    assert layout.nearest(fx, fy, st.alive) == slot
    assert layout.nearest(-5.0, -5.0, st.alive) is None  # far outside: nobody
    frame = netview.frame_of(run.model, layout, selected_uid=int(st.uid[slot]))
    assert frame["selected"] == slot
    assert netview.frame_of(run.model, layout, selected_uid=-12345)["selected"] == -1
    json = layout.to_json()
    assert json["n"] == st.size and _decode(json["x"], "<f4").size == st.size
    np.testing.assert_allclose(_decode(json["y"], "<f4"), st.y, rtol=1e-6)
    assert json["xlim"][0] < st.x.min() <= st.x.max() < json["xlim"][1]  # every dwelling inside the picture
    assert json["ylim"][0] < st.y.min() <= st.y.max() < json["ylim"][1]
