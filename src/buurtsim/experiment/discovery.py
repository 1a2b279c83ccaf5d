"""Scenario discovery: in which parameter regions does a comparison go the other way?

Over the results of an ensemble or sweep experiment, each world (a replication at a sweep point:
one ensemble member and seed, or one sweep point and seed) gives one paired difference A - B on an
outcome at a moment, and the parameter values of that world (the member's calibrated values and the
swept values; parameters that do not vary are left out). A wins in most worlds, or B does; the
worlds where the comparison does *not* go that majority way are the cases of interest.

PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999), as implemented in the EMA Workbench
(`ema_workbench.analysis.prim`, Kwakkel 2017), peels the parameter space into boxes: ranges of a few
parameters inside which the cases of interest are dense. Per box:

- coverage: the share of all cases of interest that lie in the box;
- density: the share of the worlds in the box that are cases of interest;
- mass: the share of all worlds in the box;
- the restricted parameters with their range in the box and over all worlds.

Of each box's peeling trajectory the point with the highest coverage whose density reaches the
threshold is kept; a box that does not reach the threshold is not reported. With one run per world a
case of interest may be chance rather than parameters (see robustness.py): read a box with few
worlds in it as a hint to test, not a finding.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.experiment.robustness import HIGHER_IS_BETTER
from buurtsim.formatting import number, percent, pick

#: Fewer worlds than this cannot be peeled into meaningful boxes.
MIN_WORLDS = 10


@dataclass(frozen=True)
class Box:
    """One region of parameter space with its coverage, density and mass."""

    coverage: float
    density: float
    mass: float
    n: int  # worlds in the box
    cases: int  # cases of interest in the box
    limits: dict[str, tuple[float, float]]  # restricted parameters: range in the box
    full: dict[str, tuple[float, float]]  # the same parameters: range over all worlds


@dataclass
class Discovery:
    """The comparison, its worlds and the boxes PRIM found where it goes the other way."""

    a: str
    b: str
    metric: str
    tick: int
    n: int
    a_better: int  # worlds in which A does better than B
    majority: str  # 'a' or 'b': who does better in most worlds
    cases: int  # worlds that do not go the majority way
    parameters: list[str]
    boxes: list[Box] = field(default_factory=list)
    threshold: float = 0.6

    @property
    def higher_is_better(self) -> bool:
        """Direction of the outcome."""
        return HIGHER_IS_BETTER.get(self.metric, True)


def worlds_frame(out: str | Path, manifest: dict[str, Any], a: str, b: str, metric: str, at: int | str) -> tuple[pd.DataFrame, pd.Series, int]:
    """Per world (sweep point, replication): the varying parameter values, the difference A - B at the
    moment `at`, and the week it resolved to."""
    from buurtsim.experiment.answer import results_frame
    from buurtsim.experiment.compare import funding_ends
    from buurtsim.experiment.spec import parse_moment, resolve_moment

    exp = manifest["experiment"]
    names = [s["name"] for s in manifest.get("scenarios", [])]
    for flag, value in (("--a", a), ("--b", b)):
        if value not in names:
            raise UserError(f"{flag}: '{value}' is not a scenario in these results; expected one of: {', '.join(names)}")
    if a == b:
        raise UserError("--b: the same scenario as --a; expected another scenario")
    df = results_frame(out, manifest, [metric])
    if metric not in df.columns:
        raise UserError(f"--metric: '{metric}' is not stored in these results")
    try:
        moment = parse_moment(at)
    except ValueError as exc:
        raise UserError(f"--at: {exc}") from None
    last = min(int(s["ticks"]) for s in manifest["scenarios"] if s["name"] in (a, b))
    last = min(last, *(int(df.loc[df["scenario"].astype(str) == s, "tick"].max()) for s in (a, b)))
    tick = resolve_moment(moment, last, funding_ends(manifest).get(a))
    if tick is None:
        raise UserError(f"--at: '{at}' does not fall within the runs of {a} (weeks 0-{last}, or its funding does not end)")
    keys = ["point", "replication"] if "point" in df.columns else ["replication"]
    at_tick = df[df["tick"] == tick]
    va = at_tick[at_tick["scenario"].astype(str) == a].set_index(keys)[metric]
    vb = at_tick[at_tick["scenario"].astype(str) == b].set_index(keys)[metric]
    diff = (va - vb).dropna()
    x = pd.DataFrame([_world_params(manifest, a, key if isinstance(key, tuple) else (key,), "point" in df.columns) for key in diff.index], index=diff.index)
    x = x.loc[:, [c for c in x.columns if x[c].nunique(dropna=False) > 1]].astype(float)
    if x.shape[1] == 0:
        raise UserError(f"{out}: no parameter varies between the worlds of these results; discover needs an experiment over an "
                        f"ensemble (experiment.uncertainty) or a [sweep] ({exp.get('name', '?')} has neither varying)")
    return x, diff, tick


def _world_params(manifest: dict[str, Any], scenario: str, key: tuple[int, ...], swept: bool) -> dict[str, float]:
    """The parameters of one world: the ensemble member's values, then the sweep point's over them."""
    exp = manifest["experiment"]
    point, rep = (key[0], key[1]) if swept else (0, key[0])
    values: dict[str, float] = {}
    unc = exp.get("uncertainty")
    if unc:
        member = unc["replication_members"][rep]
        values.update(unc["members"][str(member)]["params"])
    if swept:
        values.update({k: float(v) for k, v in (exp.get("points") or [{}])[point].items() if isinstance(v, int | float)})
    return values


def _prim() -> Any:
    """The EMA Workbench's PRIM module, imported only here (it is heavy and warns about optional parts)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


def find_boxes(x: pd.DataFrame, y: np.ndarray, *, threshold: float = 0.6, peel_alpha: float = 0.05, boxes: int = 2) -> list[Box]:
    """PRIM boxes in `x` where `y` (True: case of interest) is dense; at most `boxes`, each with
    density at least `threshold` (the highest-coverage such point of its peeling trajectory)."""
    if not y.any():
        return []
    prim = _prim()
    x = x.reset_index(drop=True)
    full = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    total = int(y.sum())
    found: list[Box] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y.astype(bool), threshold=threshold, peel_alpha=peel_alpha)
        for _ in range(boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory
            ok = traj[traj["density"] >= threshold - 1e-12]
            if ok.empty:
                break
            i = int(ok["coverage"].idxmax())
            box.select(i)
            lims = box.box_lims[i]
            restricted = [c for c in x.columns if not np.allclose(lims[c].to_numpy(dtype=float), p.box_init[c].to_numpy(dtype=float))]
            if not restricted:  # the whole space: nothing found (the dump box)
                break
            inside = np.ones(len(x), bool)
            for c in restricted:
                inside &= (x[c] >= float(lims[c].iloc[0])) & (x[c] <= float(lims[c].iloc[1]))
            cases = int((inside & y).sum())
            n_in = int(inside.sum())
            found.append(Box(coverage=cases / total, density=cases / n_in if n_in else math.nan, mass=n_in / len(x), n=n_in, cases=cases,
                             limits={c: (float(lims[c].iloc[0]), float(lims[c].iloc[1])) for c in restricted},
                             full={c: full[c] for c in restricted}))
    return found


def discover(out: str | Path, *, a: str, b: str, metric: str = "mean_self_reliance", at: int | str = "end",
             threshold: float = 0.6, peel_alpha: float = 0.05, boxes: int = 2) -> Discovery:
    """Where, in the parameters of a results folder's worlds, does `a` against `b` go the other way?"""
    from buurtsim.experiment.store import load_manifest

    if not 0 < threshold <= 1:
        raise UserError(f"--threshold: expected a share above 0 and at most 1; given: {threshold}")
    if not 0 < peel_alpha < 0.5:
        raise UserError(f"--peel-alpha: expected a share above 0 and below 0.5; given: {peel_alpha}")
    manifest = load_manifest(out)
    x, diff, tick = worlds_frame(out, manifest, a, b, metric, at)
    n = len(diff)
    if n < MIN_WORLDS:
        raise UserError(f"{out}: {n} worlds (replications x sweep points) with both {a} and {b}; PRIM needs at least {MIN_WORLDS}: "
                        "add replications (or ensemble members, or sweep points)")
    better = diff.to_numpy() * (1.0 if HIGHER_IS_BETTER.get(metric, True) else -1.0)
    a_better = int((better > 0).sum())
    majority = "a" if a_better >= n - a_better else "b"
    y = ~(better > 0) if majority == "a" else ~(better < 0)
    result = Discovery(a, b, metric, tick, n, a_better, majority, int(y.sum()), list(x.columns), threshold=threshold)
    result.boxes = find_boxes(x, y, threshold=threshold, peel_alpha=peel_alpha, boxes=boxes)
    return result


# --- words ----------------------------------------------------------------------------------------
def _value(v: float, lang: str) -> str:
    digits = 0 if abs(v) >= 100 else (1 if abs(v) >= 10 else (3 if abs(v) >= 0.1 else 4))
    return number(v, lang, digits)


def lines(d: Discovery, lang: str = "nl") -> list[str]:
    """The discovery in plain lines: the comparison, then per box its coverage, density and ranges."""
    from buurtsim.metrics import BY_NAME, label

    name = label(d.metric, lang) if d.metric in BY_NAME else d.metric
    direction = pick(lang, "hoger is beter", "higher is better") if d.higher_is_better else pick(lang, "lager is beter", "lower is better")
    winner, loser = (d.a, d.b) if d.majority == "a" else (d.b, d.a)
    wins = d.n - d.cases  # worlds that go the majority way
    out = [pick(lang, f"{d.a} tegenover {d.b}, {name} ({direction}), week {d.tick}: in {wins} van de {d.n} werelden doet {winner} het beter; "
                      f"gezocht: de {d.cases} werelden waarin dat niet zo is ({loser} even goed of beter).",
                f"{d.a} against {d.b}, {name} ({direction}), week {d.tick}: in {wins} of {d.n} worlds {winner} does better; "
                f"looked for: the {d.cases} worlds where it does not ({loser} as good or better)."),
           pick(lang, f"Parameters die tussen de werelden verschillen: {', '.join(d.parameters)}.",
                f"Parameters that vary between the worlds: {', '.join(d.parameters)}.")]
    if d.cases == 0:
        out.append(pick(lang, "Het gaat in elke wereld dezelfde kant op: er is geen gebied waar het omslaat.",
                        "It goes the same way in every world: there is no region where it turns."))
        return out
    if not d.boxes:
        out.append(pick(lang, f"PRIM vond geen gebied met een dichtheid van minstens {percent(d.threshold, lang, 0)}: de werelden waarin het omslaat "
                              "liggen verspreid (of het is toeval van de runs).",
                        f"PRIM found no region with a density of at least {percent(d.threshold, lang, 0)}: the worlds where it turns are "
                        "scattered (or it is the runs' chance)."))
        return out
    for k, box in enumerate(d.boxes, start=1):
        out.append(pick(lang, f"Gebied {k}: dekking {percent(box.coverage, lang, 0)} ({box.cases} van de {d.cases} gezochte werelden liggen erin), "
                              f"dichtheid {percent(box.density, lang, 0)} ({box.cases} van de {box.n} werelden erin gaan de andere kant op), "
                              f"massa {percent(box.mass, lang, 0)} van alle werelden.",
                        f"Region {k}: coverage {percent(box.coverage, lang, 0)} ({box.cases} of the {d.cases} worlds looked for lie in it), "
                        f"density {percent(box.density, lang, 0)} ({box.cases} of the {box.n} worlds in it go the other way), "
                        f"mass {percent(box.mass, lang, 0)} of all worlds."))
        for p, (lo, hi) in box.limits.items():
            flo, fhi = box.full[p]
            out.append(pick(lang, f"    {p} van {_value(lo, lang)} tot {_value(hi, lang)} (alle werelden: {_value(flo, lang)} tot {_value(fhi, lang)})",
                            f"    {p} from {_value(lo, lang)} to {_value(hi, lang)} (all worlds: {_value(flo, lang)} to {_value(fhi, lang)})"))
    out.append(explanation(lang))
    return out


def explanation(lang: str = "nl") -> str:
    """What coverage and density mean, and the caution about chance."""
    return pick(
        lang,
        "Dekking: deel van alle gezochte werelden dat in het gebied ligt. Dichtheid: deel van de werelden in het gebied dat de andere kant "
        "op gaat. Gevonden met PRIM (EMA Workbench). Met één run per wereld kan een omslag ook toeval van die run zijn: een gebied met "
        "weinig werelden is een aanwijzing om na te gaan, geen bevinding.",
        "Coverage: the share of all worlds looked for that lie in the region. Density: the share of the worlds in the region that go the "
        "other way. Found with PRIM (EMA Workbench). With one run per world a turn can also be that run's chance: a region with few "
        "worlds is a hint to check, not a finding.",
    )


def to_record(d: Discovery) -> dict[str, Any]:
    """JSON-ready form."""
    return {"a": d.a, "b": d.b, "metric": d.metric, "tick": d.tick, "n": d.n, "a_better": d.a_better, "majority": d.majority,
            "cases": d.cases, "parameters": d.parameters, "threshold": d.threshold,
            "boxes": [{"coverage": bx.coverage, "density": bx.density, "mass": bx.mass, "n": bx.n, "cases": bx.cases,
                       "limits": {k: list(v) for k, v in bx.limits.items()}, "full": {k: list(v) for k, v in bx.full.items()}} for bx in d.boxes]}
