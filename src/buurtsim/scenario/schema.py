"""The scenario: what a scenario file describes, as a validated pydantic object.

A scenario is a neighbourhood (Params overrides), a newcomer profile, a list of policies with
their timelines, a horizon and a seed. The checks that look at more than one field (policy names,
budget cuts, horizon) live here as `scenario_issues`, so that a scenario built in code (the
dashboard) is checked exactly like one read from a file; the loader adds file and line.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, ValidationError, field_validator, model_validator

import buurtsim.policies  # noqa: F401  (importing registers every policy family)
from buurtsim.escape import PlainLine, PlainText
from buurtsim.limits import MAX_TICKS
from buurtsim.params import Params, make_params, param_names
from buurtsim.policies.base import REGISTRY, PolicyConfig, to_weeks

KeyPath = tuple[str | int, ...]

#: Params fields that may be written in the [neighbourhood] table (the population and its mix).
NEIGHBOURHOOD_FIELDS: tuple[str, ...] = (
    "n_residents",
    "residents_per_block",
    "household_size_mean",
    "income_shares",
    "style_shares",
    "potential_mean_by_income",
    "potential_concentration",
    "initial_domain_noise",
)
#: Params fields that may be written in the [network] table (how ties form, fade and count).
NETWORK_FIELDS: tuple[str, ...] = (
    "tie_attempt_rate",
    "local_share",
    "triadic_share",
    "distance_exponent",
    "homophily_status",
    "homophily_style",
    "tie_initial_strength",
    "contact_prob",
    "tie_reinforce",
    "tie_decay",
    "tie_break_strength",
    "friend_strength",
    "max_degree",
    "initial_ties_per_resident",
    "confidant_strength",
    "isolation_strength",
)
#: Keys of [neighbourhood.newcomers] and the Params field each one sets.
NEWCOMER_FIELDS: dict[str, str] = {
    "income_shares": "newcomer_income_shares",
    "potential_shift": "newcomer_potential_shift",
}
#: Keys of the [scenario] table.
HEADER_FIELDS: tuple[str, ...] = ("name", "title", "description", "seed", "horizon")
#: Top-level tables of a scenario file.
TABLES: tuple[str, ...] = ("scenario", "neighbourhood", "network", "params", "policies")

MAX_HORIZON_WEEKS = MAX_TICKS  # see buurtsim.limits
MAX_WEEKS_VALUE = 10**9


def weeks(value: Any) -> int:
    """A number of weeks or a duration ('10y', '18m', '6w', '2 jaar') as whole weeks."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a finite number of weeks or a duration such as '10y'")
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_WEEKS_VALUE:
        raise ValueError(f"expected at most {MAX_WEEKS_VALUE} weeks")
    if isinstance(value, str) and len(value) > 40:
        raise ValueError("expected a number of weeks or a duration such as '10y', '18m' or '6w'")
    if not isinstance(value, int | float | str) or isinstance(value, bool):
        raise ValueError("expected a number of weeks or a duration such as '10y', '18m' or '6w'")
    result = to_weeks(value)
    if result > MAX_WEEKS_VALUE:
        raise ValueError(f"expected at most {MAX_WEEKS_VALUE} weeks")
    return result


def close_matches(name: object, options: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """The valid names closest to a misspelt one (case-insensitive; also names containing it)."""
    text = str(name).lower()
    lowered = {o.lower(): o for o in options}
    hits = difflib.get_close_matches(text, list(lowered), n=n, cutoff=0.6)
    if len(text) >= 4:
        hits += [o for o in lowered if o not in hits and (text in o or o in text)]
    return [lowered[h] for h in hits[:n]]


def path_str(path: KeyPath) -> str:
    """A key path for people: `policies[0].target.categories`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Issue:
    """A problem found in a scenario, located by key path (the loader adds file and line)."""

    path: KeyPath
    message: str
    given: str | None = None
    expected: str | None = None
    suggestion: str | None = None


def show_value(value: Any, limit: int = 80) -> str:
    """A given value as it would be written in a TOML file, cut short when long."""
    from buurtsim.scenario.dump import toml_value

    try:
        text = toml_value(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- turning pydantic errors into issues ---------------------------------------------------------

_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number"}


def _model_fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) pydantic model reached by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _first_model(field.annotation)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _first_model(annotation: Any) -> Any:
    """The first pydantic model class found inside a (possibly Optional/list) annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _first_model(arg)
        if found is not None:
            return found
    return None


def _range_text(name: str) -> str | None:
    from buurtsim.params import describe

    if name not in Params.model_fields:
        return None
    d = describe(name)
    if d["min"] is None or d["max"] is None:
        return None
    unit = f" ({d['unit']})" if d["unit"] and d["unit"] != "-" else ""
    return f"a value from {d['min']} to {d['max']}{unit}"


def issues_from_validation(
    exc: ValidationError,
    prefix: KeyPath,
    model: type[BaseModel],
    origin: dict[str, KeyPath] | None = None,
) -> list[Issue]:
    """One Issue per pydantic error, with the key path in the file, given, expected and a suggestion.

    `origin` maps a field name to where it was written (e.g. a Params field given in [network]).
    """
    issues = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if loc and origin and str(loc[0]) in origin:
            path: KeyPath = (*origin[str(loc[0])], *loc[1:])
        else:
            path = (*prefix, *loc)
        given = None if kind in ("missing", "extra_forbidden") or not loc else show_value(err.get("input"))
        if not loc:
            path, field_name = _locate_by_message(msg, prefix, model, origin)
            data = err.get("input")
            if field_name and isinstance(data, dict) and field_name in data:
                given = show_value(data[field_name])
        expected = msg.removeprefix("Input should be ") if msg.startswith("Input should be ") else None
        suggestion = None
        if kind == "extra_forbidden":
            options = _model_fields_at(model, loc[:-1])
            hits = close_matches(loc[-1], options)
            suggestion = ", ".join(hits) or None
            message = f"unknown key '{loc[-1]}'"
            expected = "one of: " + ", ".join(options) if options and not hits and len(options) <= 12 else None
        elif kind == "missing":
            message = "required key is missing"
        elif kind in _RANGE_ERRORS:
            message = "value out of range"
            field = str(loc[0]) if loc and model is Params else None
            expected = (field and _range_text(field)) or expected
        elif kind == "literal_error":
            message = "value not allowed"
            options = _literal_options(err)
            hits = close_matches(err.get("input"), options) if isinstance(err.get("input"), str) else []
            suggestion = ", ".join(repr(h) for h in hits) or None
        elif kind.endswith(("_type", "_parsing")) or kind in ("model_type", "model_attributes_type"):
            message = "wrong type"
        else:
            message = msg
        issues.append(Issue(path, message, given, expected, suggestion))
    return issues


def _literal_options(err: Any) -> list[str]:
    text = str((err.get("ctx") or {}).get("expected", ""))
    return [part.strip().strip("'\"") for part in text.replace(" or ", ",").split(",") if part.strip()]


def _locate_by_message(msg: str, prefix: KeyPath, model: type[BaseModel], origin: dict[str, KeyPath] | None) -> tuple[KeyPath, str | None]:
    """A model-level error ('income_shares must sum to 1') located at the first field its message names.

    Returns the key path and the field name (None when the message names no field)."""
    names = list(model.model_fields) + list(origin or {})
    best: tuple[int, str] | None = None
    for name in names:
        m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", msg)
        if m and (best is None or (m.start(), -len(name)) < (best[0], -len(best[1]))):
            best = (m.start(), name)
    if best is None:
        return prefix, None
    name = best[1]
    return (origin[name] if origin and name in origin else (*prefix, name)), name


# --- parameters ----------------------------------------------------------------------------------


def params_issues(overrides: dict[str, Any], origin: dict[str, KeyPath] | None = None) -> tuple[Params | None, list[Issue]]:
    """Validate Params overrides strictly (no silent text-to-number conversion).

    Returns the Params (None when invalid) and the issues, each located where `origin` says the
    key was written (default `params.<name>`).
    """
    origin = dict(origin or {})
    for name in overrides:
        origin.setdefault(name, ("params", name))
    names = param_names()
    issues: list[Issue] = []
    data = Params().model_dump()
    for name, value in overrides.items():
        if name not in names:
            hits = close_matches(name, names)
            issues.append(Issue(origin[name], f"unknown parameter '{name}'", suggestion=", ".join(hits) or None))
            continue
        default = data[name]
        if isinstance(default, tuple):
            if not isinstance(value, list | tuple) or len(value) != len(default):
                issues.append(Issue(origin[name], "wrong type", show_value(value), f"a list of {len(default)} numbers, like {show_value(default)}"))
                continue
            value = tuple(value)
        data[name] = value
    if issues:
        return None, issues
    try:
        return Params.model_validate(data, strict=True), []
    except ValidationError as exc:
        return None, issues_from_validation(exc, ("params",), Params, origin)


# --- policies ------------------------------------------------------------------------------------


def policy_class_for(kind: Any) -> type[Any] | None:
    """The registered policy class for a type name, or None."""
    return REGISTRY.get(kind) if isinstance(kind, str) else None


def unknown_type_issue(kind: Any, path: KeyPath) -> Issue:
    """The issue for a policy type that is not registered."""
    kinds = sorted(REGISTRY)
    hits = close_matches(kind, kinds)
    return Issue(
        path,
        "unknown policy type",
        show_value(kind),
        None if hits else "one of: " + ", ".join(kinds),
        ", ".join(hits) or None,
    )


def validate_policy(spec: Any, path: KeyPath) -> tuple[PolicyConfig | None, list[Issue]]:
    """Validate one policy table against its type's Config; returns the config or the issues."""
    if isinstance(spec, PolicyConfig):
        return spec, []
    if not isinstance(spec, dict):
        return None, [Issue(path, "wrong type", show_value(spec), "a table of policy settings ([[policies]])")]
    if "type" not in spec:
        return None, [Issue((*path, "type"), "required key is missing", expected="one of: " + ", ".join(sorted(REGISTRY)))]
    cls = policy_class_for(spec["type"])
    if cls is None:
        return None, [unknown_type_issue(spec["type"], (*path, "type"))]
    for key in ("start", "end"):
        if spec.get(key) is not None:
            try:
                weeks(spec[key])
            except ValueError as exc:
                return None, [Issue((*path, key), "wrong value", show_value(spec[key]), str(exc).removeprefix("expected "))]
    try:
        return cls.Config.model_validate(spec), []
    except ValidationError as exc:
        return None, issues_from_validation(exc, path, cls.Config)
    except (TypeError, ArithmeticError) as exc:  # a Config validator that did not expect this value
        return None, [Issue(path, f"could not read this policy: {exc}")]


def policy_issues(policies: list[PolicyConfig], horizon: int) -> list[Issue]:
    """Checks across policies: distinct names, budget cuts naming existing policies, start within the horizon."""
    issues: list[Issue] = []
    labels = [p.label for p in policies]
    seen: dict[str, int] = {}
    for i, pol in enumerate(policies):
        if pol.label in seen:
            issues.append(Issue(
                ("policies", i, "name"),
                f"two policies are called '{pol.label}' (also policies[{seen[pol.label]}]); give each its own name",
                show_value(pol.label),
            ))
        seen.setdefault(pol.label, i)
        if int(pol.start) >= horizon:
            issues.append(Issue(
                ("policies", i, "start"),
                f"the policy starts at week {pol.start}, at or after the end of the run (horizon {horizon} weeks), so it would never act",
                show_value(pol.start),
                f"a start before week {horizon}",
            ))
        refs = getattr(pol, "policies", None)
        if not isinstance(refs, list | tuple):
            continue
        others = [lab for j, lab in enumerate(labels) if j != i]
        for k, ref in enumerate(refs):
            if ref == pol.label:
                issues.append(Issue(("policies", i, "policies", k), "a policy cannot name itself", show_value(ref)))
            elif ref not in others:
                hits = close_matches(ref, others)
                issues.append(Issue(
                    ("policies", i, "policies", k),
                    f"no policy called '{ref}' in this scenario",
                    show_value(ref),
                    "the name of another policy: " + (", ".join(others) if others else "(there is none)"),
                    ", ".join(hits) or None,
                ))
            elif pol.type == "budget_cut":
                target = policies[labels.index(ref)]
                if target.end is not None and int(pol.start) >= int(target.end):
                    issues.append(Issue(
                        ("policies", i, "start"),
                        f"the cut at week {pol.start} comes after '{ref}' has already ended (week {target.end}); it would change nothing",
                        show_value(pol.start),
                        f"a start before week {target.end}",
                    ))
    return issues


# --- the scenario --------------------------------------------------------------------------------


class Newcomers(BaseModel):
    """Who moves into vacated dwellings; unset fields keep the Params defaults."""

    model_config = ConfigDict(extra="forbid")

    income_shares: tuple[float, float, float] | None = Field(
        None, description="Income shares (low, middle, high) of newcomers; must sum to 1."
    )
    potential_shift: float | None = Field(
        None, description="Shift of newcomers' structural potential against residents of the same income (-0.5 to 0.5)."
    )

    def overrides(self) -> dict[str, Any]:
        """The Params fields these settings set."""
        return {NEWCOMER_FIELDS[k]: v for k, v in self.model_dump().items() if v is not None}


class Scenario(BaseModel):
    """A validated scenario: neighbourhood, newcomers, policies on a timeline, horizon and seed."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=80,
        description="Short identifier (letters, digits, _ . -), used in results and file names.",
    )
    title: PlainLine = Field(min_length=1, max_length=200, description="Short title in plain words (Dutch).")
    description: PlainText = Field("", max_length=20_000, description="What the scenario represents and which question it serves.")
    seed: int = Field(1, ge=0, le=2**63 - 1, strict=True, description="Random seed of a single run.")
    horizon: int = Field(520, ge=1, le=MAX_HORIZON_WEEKS, description="Length of a run in weeks (a file may say '10y').")
    params: dict[str, Any] = Field(default_factory=dict, description="Params overrides from [neighbourhood], [network] and [params].")
    newcomers: Newcomers = Field(default_factory=Newcomers, description="Who moves in ([neighbourhood.newcomers]).")
    policies: list[SerializeAsAny[PolicyConfig]] = Field(default_factory=list, description="Policies on the timeline.")
    source: str | None = Field(None, description="Where the scenario was read from (not part of its content).")

    @field_validator("horizon", mode="before")
    @classmethod
    def _horizon(cls, value: Any) -> int:
        return weeks(value)

    @field_validator("policies", mode="before")
    @classmethod
    def _policies(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        out = []
        for i, spec in enumerate(value):
            config, issues = validate_policy(spec, ("policies", i))
            if config is None:
                raise ValueError("; ".join(f"{path_str(x.path)}: {x.message}" + (f" (given {x.given})" if x.given else "") for x in issues))
            out.append(config)
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        issues = scenario_issues(self.params, self.newcomers, self.policies, self.horizon)
        if issues:
            raise ValueError("; ".join(f"{path_str(x.path)}: {x.message}" for x in issues))
        resolved = self.to_params()
        self.params = {k: getattr(resolved, k) for k in self.params}
        if self.newcomers.income_shares is not None:
            self.newcomers.income_shares = resolved.newcomer_income_shares
        return self

    def overrides(self) -> dict[str, Any]:
        """All Params overrides of this scenario (tables and newcomer profile together)."""
        return {**self.params, **self.newcomers.overrides()}

    def to_params(self, **extra: Any) -> Params:
        """The model parameters this scenario sets (plus optional extra overrides, e.g. of a sweep)."""
        return make_params(**{**self.overrides(), **extra})

    def content(self) -> dict[str, Any]:
        """Everything that defines the scenario (not where it came from), as plain JSON data."""
        data = self.model_dump(mode="json", exclude={"source"})
        data["params"] = json.loads(json.dumps(self.params))
        return data

    def digest(self) -> str:
        """sha256 (hex) of the canonical content: the same scenario gives the same digest wherever it was read from.

        The content includes the resolved parameters and policy settings with their defaults, so a
        change of a default in the code changes the digest too.
        """
        canonical = self.content()
        canonical["resolved_params"] = self.to_params().model_dump(mode="json")
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.content() == other.content()

    __hash__ = None  # type: ignore[assignment]


def scenario_issues(params: dict[str, Any], newcomers: Newcomers, policies: list[PolicyConfig], horizon: int, origin: dict[str, KeyPath] | None = None) -> list[Issue]:
    """Every check that looks at more than one field of a scenario."""
    issues: list[Issue] = []
    both = {NEWCOMER_FIELDS[k]: k for k, v in newcomers.model_dump().items() if v is not None}
    for pname, key in both.items():
        if pname in params:
            where = (origin or {}).get(pname, ("params", pname))
            issues.append(Issue(where, f"given twice: also as [neighbourhood.newcomers] {key}; keep one", show_value(params[pname])))
    if not issues:
        merged_origin = dict(origin or {})
        merged_origin.update({v: ("neighbourhood", "newcomers", k) for k, v in NEWCOMER_FIELDS.items()})
        _, param_problems = params_issues({**params, **newcomers.overrides()}, merged_origin)
        issues.extend(param_problems)
    issues.extend(policy_issues(policies, horizon))
    return issues


# --- JSON Schema ---------------------------------------------------------------------------------

_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*(w|weeks?|weken|m|months?|maanden|y|years?|jaar|j)\s*$"},
    ]
}


def _params_properties(names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    props = Params.model_json_schema()["properties"]
    return {n: props[n] for n in names if n in props}


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of a scenario file (draft 2020-12), built from Params and the registered policy types.

    Editors (e.g. VS Code with Even Better TOML / Taplo) can use it to check files while typing.
    """
    defs: dict[str, Any] = {}
    variants = []
    for kind in sorted(REGISTRY):
        cls = REGISTRY[kind]
        schema = cls.Config.model_json_schema(ref_template="#/$defs/" + kind + "__{model}")
        for sub, body in schema.pop("$defs", {}).items():
            defs[f"{kind}__{sub}"] = body
        schema["properties"]["type"] = {"const": kind, "description": (cls.summary_en or cls.summary_nl or kind)}
        schema["required"] = sorted({*schema.get("required", []), "type"})
        for key in ("start", "end"):
            if key in schema["properties"]:
                desc = schema["properties"][key].get("description", "")
                schema["properties"][key] = {**_DURATION_SCHEMA, "description": desc}
        schema["title"] = kind
        defs[f"policy__{kind}"] = schema
        variants.append({"$ref": f"#/$defs/policy__{kind}"})
    neighbourhood = _params_properties(NEIGHBOURHOOD_FIELDS)
    newcomers = Newcomers.model_json_schema()
    newcomers_props = _params_properties(list(NEWCOMER_FIELDS.values()))
    neighbourhood["newcomers"] = {
        "type": "object",
        "description": "Who moves into vacated dwellings.",
        "additionalProperties": False,
        "properties": {k: {**newcomers_props[v], "description": newcomers["properties"][k]["description"]} for k, v in NEWCOMER_FIELDS.items()},
    }
    header = Scenario.model_json_schema()["properties"]
    scenario_props = {k: header[k] for k in HEADER_FIELDS}
    scenario_props["horizon"] = {**_DURATION_SCHEMA, "description": header["horizon"]["description"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://buurtsim.invalid/scenario.schema.json",
        "title": "buurtsim scenario file",
        "description": "A neighbourhood, its newcomers, policies on a timeline, horizon and seed (TOML).",
        "type": "object",
        "additionalProperties": False,
        "required": ["scenario"],
        "properties": {
            "scenario": {"type": "object", "additionalProperties": False, "required": ["name", "title"], "properties": scenario_props},
            "neighbourhood": {"type": "object", "additionalProperties": False, "properties": neighbourhood},
            "network": {"type": "object", "additionalProperties": False, "properties": _params_properties(NETWORK_FIELDS)},
            "params": {"type": "object", "additionalProperties": False, "properties": _params_properties(param_names())},
            "policies": {
                "type": "array",
                "items": {"oneOf": variants, "discriminator": {"propertyName": "type"}} if variants else {"type": "object"},
            },
        },
        "$defs": defs,
    }
