"""Where a dashboard run comes from: the default neighbourhood, a shipped scenario, or an uploaded
file; and back again: the current settings as a scenario file.

Uploads go through the same loader as the command line, so the messages are the same; a bad
file raises `ScenarioError` and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from buurtsim.model import NeighbourhoodModel
from buurtsim.scenario.schema import NEWCOMER_FIELDS, Scenario

DEFAULT_KEY = "default"
UPLOAD_PREFIX = "upload:"
SHIPPED_PREFIX = "shipped:"
BASELINE = "basis"  # the shipped scenario without policy, shown first
_NEWCOMER_PARAM = {param: key for key, param in NEWCOMER_FIELDS.items()}


@dataclass(frozen=True, eq=False)
class Source:
    """A scenario the user can pick: `key` is unique in the picker, `label` is shown."""

    key: str
    label: str
    scenario: Scenario

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and other.key == self.key and other.scenario == self.scenario

    def __hash__(self) -> int:
        return hash(self.key)


def default_source(lang: str = "nl") -> Source:
    """The default neighbourhood: model defaults, no policy."""
    from buurtsim.dashboard.i18n import t

    scn = Scenario(name="standaardbuurt", title="Standaardbuurt zonder beleid")
    return Source(DEFAULT_KEY, t("scenario_defaults", lang), scn)


def shipped_sources() -> list[Source]:
    """The scenarios shipped in `scenarios/` (lesson scenarios in `lessen/` after the others);
    unreadable ones are skipped."""
    from buurtsim.scenario import load_scenario, shipped_scenarios

    out = []
    for name, path in sorted(shipped_scenarios().items(), key=lambda kv: ("/" in kv[0], kv[0])):
        try:
            scn = load_scenario(path)
        except Exception:  # a broken shipped file must not take the dashboard down
            continue
        out.append(Source(SHIPPED_PREFIX + name, f"{name} — {scn.title}", scn))
    return out


def all_sources(lang: str = "nl") -> list[Source]:
    """The shipped scenarios, the baseline ('basis') first; the default neighbourhood if none are shipped."""
    shipped = shipped_sources()
    if not shipped:
        return [default_source(lang)]
    return sorted(shipped, key=lambda s: s.key != SHIPPED_PREFIX + BASELINE)


def parse_upload(filename: str, data: bytes) -> Source:
    """Validate an uploaded scenario file; raises ScenarioError with the command line's messages."""
    from buurtsim.scenario import load_scenario_bytes

    scn = load_scenario_bytes(data, source=filename or "<upload>")
    return Source(UPLOAD_PREFIX + (filename or "upload"), f"{filename} ({scn.title})", scn)


def check_dashboard_size(source: Source) -> None:
    """Refuse a scenario larger than a dashboard session may run (MAX_DASHBOARD_RESIDENTS), like the slider."""
    from buurtsim.limits import MAX_DASHBOARD_RESIDENTS
    from buurtsim.scenario.errors import Problem, ScenarioError

    n = source.scenario.params.get("n_residents")
    if isinstance(n, int) and n > MAX_DASHBOARD_RESIDENTS:
        raise ScenarioError([Problem(
            file=source.scenario.source or source.key, path="neighbourhood.n_residents",
            message=f"too many residents for the dashboard ({n:,})",
            expected=f"at most {MAX_DASHBOARD_RESIDENTS:,} here; run larger neighbourhoods with `buurtsim run`",
        )])


def scenario_params(source: Source) -> dict[str, Any]:
    """Parameter values the scenario sets (its tables and newcomer profile together)."""
    return source.scenario.overrides()


def scenario_run(source: Source) -> dict[str, Any]:
    """Size, seed and horizon the scenario sets (size only when it sets one)."""
    scn = source.scenario
    out: dict[str, Any] = {"seed": scn.seed, "horizon": scn.horizon}
    if "n_residents" in scn.params:
        out["n_residents"] = scn.params["n_residents"]
    return out


def apply_settings(
    source: Source, *, seed: int, n_residents: int, horizon: int, overrides: dict[str, Any]
) -> Scenario:
    """The source's scenario with the user's settings written into it (validated again)."""
    scn = source.scenario
    data = scn.model_dump(exclude={"source"})
    data["policies"] = [p.model_dump() for p in scn.policies]
    params = dict(scn.params)
    newcomers = dict(data.get("newcomers") or {})
    params["n_residents"] = int(n_residents)
    for name, value in overrides.items():
        if name in _NEWCOMER_PARAM:
            newcomers[_NEWCOMER_PARAM[name]] = value
            params.pop(name, None)
        else:
            params[name] = value
    data.update(params=params, newcomers=newcomers, seed=int(seed), horizon=int(horizon))
    return Scenario.model_validate(data)


def build_model(source: Source, *, seed: int, n_residents: int, overrides: dict[str, Any],
                history: bool = True) -> NeighbourhoodModel:
    """A model for the source with the user's settings, recording residents' histories (unless
    `history` is False: runs whose residents are never shown, such as the A/B tab's other worlds)."""
    scn = apply_settings(source, seed=seed, n_residents=n_residents, horizon=source.scenario.horizon, overrides=overrides)
    return NeighbourhoodModel.from_scenario(scn, seed=seed, record_history=history)


def export_scenario(
    source: Source, *, seed: int, n_residents: int, horizon: int, overrides: dict[str, Any]
) -> str:
    """The current settings as scenario-file text that loads back to the same run."""
    from buurtsim.scenario import dump_scenario

    scn = apply_settings(source, seed=seed, n_residents=n_residents, horizon=horizon, overrides=overrides)
    note = f"Geëxporteerd uit het buurtsim-dashboard (bron: {source.label}). Controleer met: buurtsim validate <bestand>"
    return dump_scenario(scn, header_comment=note)
