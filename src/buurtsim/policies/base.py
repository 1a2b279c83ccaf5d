"""Policies: small classes with a registered name, a timeline, a target group, parameters with
defaults, a weekly hook and cost accounting (the Covasim/Starsim intervention shape)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from buurtsim.escape import PlainLine
from buurtsim.limits import shorten
from buurtsim.params import CATEGORIES, STYLES

if TYPE_CHECKING:
    import numpy as np

    from buurtsim.model import NeighbourhoodModel

WEEKS_PER_YEAR = 52
MAX_WEEKS = 52 * 1000  # a millennium: far beyond any horizon, small enough to stay an int
KEY_PERSON_DEGREE_PERCENTILE = 80
"""Target `network = "key_persons"`: residents whose number of ties is at or above this percentile of all
living residents' (80: the top fifth). Source: assumption (Movisie 2014 names key persons, not a share)."""
KEY_PERSON_MIN_RUNG = 2
"""Target `network = "key_persons"`: lowest ladder rung (0 none .. 6 own) of a key person (2: consulted at
least, Wijkengids 11.1 ladder). Source: assumption."""
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(w|weeks?|weken|m|months?|maanden|y|years?|jaar|j)\s*$", re.I)


def to_weeks(value: int | float | str) -> int:
    """A duration or date as ticks: an int is weeks; '2y', '18m', '6w' (or Dutch '2 jaar') convert."""
    if isinstance(value, bool):
        raise ValueError("expected a number of weeks or a duration such as '2y', '18m' or '6w'")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("must not be negative")
        return _whole_weeks(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"expected a number of weeks or a duration such as '2y', '18m' or '6w', got {shorten(repr(value), 80)}")
    num, unit = float(m.group(1)), m.group(2).lower()
    if unit.startswith(("y", "j")):
        return _whole_weeks(num * WEEKS_PER_YEAR)
    if unit.startswith("m"):
        return _whole_weeks(num * WEEKS_PER_YEAR / 12)
    return _whole_weeks(num)


def _whole_weeks(weeks: int | float) -> int:
    """Weeks rounded to a whole number; a ValueError (not round's OverflowError) for infinity or NaN,
    which a float or a duration of hundreds of digits ('999...9y') becomes."""
    if isinstance(weeks, float) and not math.isfinite(weeks):
        raise ValueError("expected a finite number of weeks or a duration such as '2y', '18m' or '6w'")
    return round(weeks)


Weeks = int | float | str


class Target(BaseModel):
    """Who a policy reaches; all given conditions must hold (empty means everyone)."""

    model_config = ConfigDict(extra="forbid")

    categories: list[Literal["strong", "vulnerable", "sliding"]] | None = Field(None, description="Only residents in these categories.")
    styles: list[Literal["dutiful", "responsible", "pragmatic", "outsider"]] | None = Field(None, description="Only residents with these citizenship styles.")
    min_problems: int | None = Field(None, ge=0, le=5, description="Only residents with at least this many problem domains.")
    network: Literal["isolated", "connected", "key_persons"] | None = Field(None, description="isolated: no close tie; connected: at least one; key_persons: many ties and active.")

    @property
    def is_everyone(self) -> bool:
        """True when no condition is given: the policy reaches everyone."""
        return all(getattr(self, name) is None for name in type(self).model_fields)

    def mask(self, model: NeighbourhoodModel) -> np.ndarray:
        """Boolean mask over slots of residents in the target group."""
        import numpy as np
        st, p = model.state, model.params
        m = st.alive.copy()
        if self.categories is not None:
            cats = st.categories(p.strong_threshold, p.sliding_threshold)
            m &= np.isin(cats, [CATEGORIES.index(c) for c in self.categories])
        if self.styles is not None:
            m &= np.isin(st.style, [STYLES.index(s) for s in self.styles])
        if self.min_problems is not None:
            m &= st.problem_count(p.problem_threshold) >= self.min_problems
        if self.network is not None:
            close = model.ties.degree(p.confidant_strength)
            if self.network == "isolated":
                m &= close == 0
            elif self.network == "connected":
                m &= close > 0
            else:
                deg = model.ties.degree()
                m &= (deg >= np.percentile(deg[st.alive], KEY_PERSON_DEGREE_PERCENTILE)) & (st.participation >= KEY_PERSON_MIN_RUNG)
        return m


class PolicyConfig(BaseModel):
    """Fields every policy has. Subclasses add their own parameters with defaults. No number may be
    infinite or NaN (pydantic allows both by default): an infinite budget or price would make every
    cost infinite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    type: str = Field(description="Registered policy name, e.g. 'project_carousel'.")
    name: PlainLine | None = Field(None, description="Label for this policy in results and budget cuts (defaults to the type).")
    start: Weeks = Field(0, description="Start: weeks, or a duration such as '1y' or '6m' from the start of the run.")
    end: Weeks | None = Field(None, description="End (exclusive), same units as start; empty means it never ends.")
    budget_eur: float | None = Field(None, ge=0, description="Total budget in euros; when spent, the policy stops.")
    target: Target = Field(default_factory=Target, description="Who the policy reaches.")

    @field_validator("start", "end")
    @classmethod
    def _weeks(cls, v: Weeks | None) -> int | None:
        return None if v is None else to_weeks(v)

    @model_validator(mode="after")
    def _order(self) -> PolicyConfig:
        if self.end is not None and int(self.end) <= int(self.start):
            raise ValueError(f"end ({self.end} weeks) must be after start ({self.start} weeks)")
        return self

    @property
    def label(self) -> str:
        """Name used in results, timelines and budget cuts."""
        return self.name or self.type


class Policy:
    """A timed intervention. Subclasses set `kind`, `Config` and override the hooks they need."""

    kind: ClassVar[str] = ""
    Config: ClassVar[type[PolicyConfig]] = PolicyConfig
    summary_nl: ClassVar[str] = ""
    summary_en: ClassVar[str] = ""

    def __init__(self, config: PolicyConfig) -> None:
        self.config = config
        self.started = False
        self.ended = False
        self.spent_eur = 0.0
        self.cut_at: int | None = None

    @property
    def label(self) -> str:
        """Name used in results and budget cuts."""
        return self.config.label

    @property
    def start(self) -> int:
        """First tick the policy acts."""
        return int(self.config.start)

    @property
    def end(self) -> int | None:
        """First tick the policy no longer acts (a budget cut can bring it forward)."""
        ends = [e for e in (self.config.end, self.cut_at) if e is not None]
        return int(min(ends)) if ends else None

    def is_active(self, tick: int) -> bool:
        """Whether the policy acts in this tick."""
        return tick >= self.start and (self.end is None or tick < self.end) and not self.ended

    def rng(self, model: NeighbourhoodModel) -> np.random.Generator:
        """This policy's own random stream (other processes' draws stay untouched)."""
        return model.streams[f"policy:{self.label}"]

    def apply(self, model: NeighbourhoodModel) -> None:
        """Called by the model once a week: handles start and end, then the weekly hook."""
        tick = model.tick
        if not self.started and self.is_active(tick):
            self.started = True
            self.on_start(model)
        if self.started and not self.ended and not self.is_active(tick):
            self.finish(model)
            return
        if self.started and not self.ended:
            self.step(model)
            budget = self.config.budget_eur
            if budget is not None and self.spent_eur >= budget:
                self.finish(model)

    def finish(self, model: NeighbourhoodModel) -> None:
        """Stop now: staff leave, activities end."""
        if not self.ended:
            self.ended = True
            model.dismiss_policy_staff(self.label)
            self.on_end(model)

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Hook: the first week the policy is active."""

    def step(self, model: NeighbourhoodModel) -> None:
        """Hook: every active week, before the residents' week."""

    def on_end(self, model: NeighbourhoodModel) -> None:
        """Hook: when the policy stops (end, budget spent, or cut)."""

    def timeline(self, horizon: int) -> list[tuple[int, int, str]]:
        """Periods (start, end, label) in which something is delivered, for plots."""
        end = self.end if self.end is not None else horizon
        return [(self.start, min(end, horizon), self.label)]


REGISTRY: dict[str, type[Policy]] = {}


def register(cls: type[Policy]) -> type[Policy]:
    """Class decorator: make a policy available by its `kind` name in scenario files."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} has no kind")
    REGISTRY[cls.kind] = cls
    return cls


def make_policy(spec: dict[str, Any] | PolicyConfig) -> Policy:
    """Build a policy from its config (or a dict with 'type')."""
    if isinstance(spec, PolicyConfig):
        return REGISTRY[spec.type](spec)
    kind = spec.get("type")
    if kind not in REGISTRY:
        import difflib

        hint = difflib.get_close_matches(str(kind), list(REGISTRY), n=3)
        raise ValueError(f"unknown policy type {kind!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
    cls = REGISTRY[kind]
    return cls(cls.Config(**spec))


COMMON_FIELDS = ("type", "name", "start", "end", "budget_eur", "target")


def config_markdown(cls: type[PolicyConfig], common: bool = False) -> str:
    """A policy config's fields (name, default, meaning) as a Markdown table, for docs/policies.md.

    With `common`, only the fields every policy has; otherwise only the policy's own (a policy that
    changes a common field's default, such as its target, lists it too).
    """
    rows = ["| field | default | meaning |", "|---|---|---|"]
    for name, field in cls.model_fields.items():
        base = PolicyConfig.model_fields.get(name)
        own = name not in COMMON_FIELDS or (base is not None and field.default_factory is not base.default_factory)
        if name == "type" or (common and name not in COMMON_FIELDS) or (not common and not own):
            continue
        default = "(required)" if field.is_required() else field.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            default = {k: v for k, v in default.model_dump().items() if v is not None} or "everyone"
        rows.append(f"| `{name}` | {default} | {field.description or ''} |")
    return "\n".join(rows)
