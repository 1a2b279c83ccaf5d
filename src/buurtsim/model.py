"""NeighbourhoodModel: owns the state, the order of a week, the policy hooks and the metrics."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from buurtsim import metrics as metrics_mod
from buurtsim import warmstart
from buurtsim.agents import Professional, Resident
from buurtsim.limits import MAX_SEED, MAX_TICKS, check_int, whole
from buurtsim.mesa_interop import MesaInterop, MetricsDataCollector
from buurtsim.network import TieStore
from buurtsim.params import Params, make_params
from buurtsim.policies.base import WEEKS_PER_YEAR, Policy
from buurtsim.population import (
    assign_households,
    block_layout,
    draw_into,
    draw_residents,
    household_ranks,
    initial_participation,
)
from buurtsim.processes import initiatives as ini_mod
from buurtsim.processes.life_events import life_events
from buurtsim.processes.migration import movers
from buurtsim.processes.participation import active_flags, climb_ladder, residents_ask
from buurtsim.processes.perceptions import perceptions
from buurtsim.processes.position import change_position
from buurtsim.processes.professional_work import fade_dependency, professional_work, release_clients, solved_for
from buurtsim.processes.support import informal_support
from buurtsim.processes.ties import (
    contact_and_decay,
    end_ties,
    family_ties,
    form_ties,
    seniority,
    settle_initial_ties,
)
from buurtsim.rng import Streams
from buurtsim.space import Blocks

if TYPE_CHECKING:
    from buurtsim.scenario.schema import Scenario


@dataclass
class Reach:
    """Residents reached by a policy who have left (cumulative since tick 0): how many, and their
    position when leaving, so that a policy that helps people move on is not scored as a failure."""

    left: int = 0
    left_self_reliance_sum: float = 0.0
    left_risen: int = 0  # of those, with an income class above the one they arrived with


@dataclass
class WeekLog:
    """What happened this week that metrics report (reset each week)."""

    moved_out: int = 0
    professional_hours: float = 0.0
    neighbour_contact: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    overburdened: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


class NeighbourhoodModel(MesaInterop, mesa.Model):
    """A neighbourhood of residents with ties, professionals and policies; one step is one week.

    `NeighbourhoodModel(n_residents=500, seed=1, shock_prob=0.01)`: keyword overrides are
    parameter names of `buurtsim.Params`; unknown names are rejected with close matches.
    `horizon` (weeks) sets when `running` turns False; `datacollector` is a `mesa.DataCollector`
    (see `buurtsim.mesa_interop`), so Mesa's `batch_run` and `SolaraViz` work on the model.
    """

    residents_by_slot: list[Resident | None]  # the agent living in each dwelling slot
    reach: Reach

    def __init__(
        self,
        n_residents: int | None = None,
        seed: int | None = None,
        *,
        params: Params | None = None,
        policies: list[Policy] | None = None,
        record_history: bool = False,
        newcomer_profile: dict[str, Any] | None = None,
        warm_start: bool = True,
        horizon: int | None = None,
        **kwargs: Any,
    ) -> None:
        overrides = kwargs  # Params overrides; named **kwargs, as Mesa's SolaraViz expects
        if n_residents is not None:
            overrides["n_residents"] = whole("n_residents", n_residents)  # its range: Params
        check_int("seed", seed, 0, MAX_SEED, optional=True)
        self.params: Params = make_params(params, **overrides)
        self.streams = Streams(seed)
        super().__init__(rng=self.streams["mesa"].integers(2**63))
        self.seed = self.streams.seed
        self.tick = 0
        self.cost_eur: float = 0.0
        self.policies: list[Policy] = list(policies or [])
        self.record_history = record_history
        self.newcomer_income_shares = tuple(self.params.newcomer_income_shares)
        self.newcomer_potential_shift = self.params.newcomer_potential_shift
        if newcomer_profile:
            self.newcomer_income_shares = tuple(newcomer_profile.get("income_shares", self.newcomer_income_shares))
            self.newcomer_potential_shift = newcomer_profile.get("potential_shift", self.newcomer_potential_shift)
        self.initiatives: ini_mod.Initiatives = ini_mod.Initiatives()
        self.initiative_boost = 1.0  # policies (resident budgets, ABCD) raise founding this week
        self.reach = Reach()
        self.burning_in = True  # newcomers resemble the starting population until tick 0
        self._rows: list[dict[str, float]] = []
        self._clustering = 0.0
        self._graph: tuple[int, nx.Graph] | None = None
        self.history: list[dict[str, np.ndarray]] = []
        self.horizon = horizon
        self.datacollector = MetricsDataCollector(metrics_mod.METRIC_NAMES)
        self.events: list[tuple[int, int, str, str]] = []
        self._settle(warm_start)
        self._collect()

    # --- construction ----------------------------------------------------------------------------
    def _settle(self, warm_start: bool) -> None:
        """Build the population and run the burn-in, or restore its exact result (`warmstart.py`)."""
        use_cache = warm_start and self.params.n_residents <= warmstart.MAX_RESIDENTS
        key = warmstart.key(self.params, self.seed) if use_cache else ""
        settled = warmstart.WARM.get(key) if use_cache else None
        if settled is not None:
            self._restore(settled)
            return
        self._build_population()
        self.week: WeekLog = self._new_week()
        for _ in range(self.params.burn_in_weeks):
            self._week(policies_on=False)
        self.state.arrived[self.state.arrived > 0] = 0  # burn-in arrivals count as arrived at the start
        self.events.clear()  # what happened before tick 0 is not part of the run's story
        self.burning_in = False
        self._refresh_clustering(force=True)
        if self.week.neighbour_contact.size != self.state.size:  # no burn-in: nothing observed yet
            self.week = self._new_week()
        else:
            self.week = WeekLog(neighbour_contact=self.week.neighbour_contact, overburdened=self.week.overburdened)
        if use_cache:
            warmstart.WARM.put(key, self._settled())

    def _settled(self) -> warmstart.Settled:
        """The state at tick 0 as a warm start (arrays are copied by pickling in `WarmStarts.put`)."""
        counter = mesa.Agent._ids[self]  # Mesa 3.3 numbers agents from a per-model counter
        next_uid = next(counter)
        mesa.Agent._ids[self] = itertools.count(next_uid)
        return warmstart.Settled(state=self.state, ties=self.ties, initiatives=self.initiatives,
                                 streams=self.streams.states(), next_household=self._next_household,
                                 next_uid=next_uid, neighbour_contact=self.week.neighbour_contact,
                                 overburdened=self.week.overburdened, clustering=self._clustering)

    def _restore(self, settled: warmstart.Settled) -> None:
        """Take over a settled state: residents get back their unique ids, streams their positions."""
        self.state, self.ties, self.initiatives = settled.state, settled.ties, settled.initiatives
        self.streams.restore(settled.streams)
        self._next_household = settled.next_household
        self.blocks = Blocks(self.state.block)
        self.residents_by_slot = [None] * self.state.size
        for slot in np.flatnonzero(self.state.alive).tolist():
            agent = Resident(self, slot)
            agent.unique_id = int(self.state.uid[slot])
            self.residents_by_slot[slot] = agent
        mesa.Agent._ids[self] = itertools.count(settled.next_uid)
        self.week = WeekLog(neighbour_contact=settled.neighbour_contact, overburdened=settled.overburdened)
        self._clustering = settled.clustering
        self.burning_in = False

    def _build_population(self) -> None:
        p = self.params
        rng = self.streams["population"]
        n = p.n_residents
        st = draw_residents(n, p, rng, p.income_shares)
        st.block, st.x, st.y = block_layout(n, p.residents_per_block)
        st.household = assign_households(n, p.household_size_mean, rng)
        initial_participation(st, p, rng)
        self.state = st
        self._next_household = int(st.household.max()) + 1 if n else 0
        self.blocks = Blocks(st.block)
        self.ties = TieStore(n, p.network_rebuild_churn)
        family_ties(st, self.ties, np.arange(n), 0, p)
        self.ties.maybe_rebuild()
        deg = self.ties.degree()
        # Residents have lived here for different lengths of time (exponential, from the moving
        # rate); the longer, the more and the stronger their ties: newcomers start nearly alone.
        years = rng.exponential(1.0 / max(p.move_rate * WEEKS_PER_YEAR, 1e-9), n)
        st.arrived[:] = -np.round(years * WEEKS_PER_YEAR).astype(np.int64)
        senior = seniority(years, p)
        form_ties(st, self.ties, self.blocks, 0, p, rng, deg, n_attempts=int(p.initial_ties_per_resident * n * 2),
                  initiator_weights=senior + 1e-6)
        settle_initial_ties(self.ties, p, rng, senior)
        self.ties._rebuild()
        self.residents_by_slot = [None] * n
        for slot in range(n):
            self._new_resident(slot)

    def _new_resident(self, slot: int) -> Resident:
        agent = Resident(self, slot)
        self.state.uid[slot] = agent.unique_id
        self.residents_by_slot[slot] = agent
        return agent

    @classmethod
    def from_scenario(cls, scenario: Scenario | str | Path, seed: int | None = None, **kwargs: Any) -> NeighbourhoodModel:
        """Build a model from a scenario, a path to a scenario file or a shipped name ('basis', see `buurtsim list`)."""
        from buurtsim.scenario.build import model_from_scenario

        return model_from_scenario(cls, scenario, seed=seed, **kwargs)

    # --- the week ----------------------------------------------------------------------------------
    def step(self) -> None:
        """One week: policies, residents' processes in the brief's order, then data collection.

        During the week `tick` is the number of weeks already completed (0 in the first week), so a
        policy with start 0 acts from the first week; the metrics row of the week is stored at
        `tick` + 1 (row 0 describes the neighbourhood before any policy).
        """
        self.week = self._new_week()
        shocks = self._week(policies_on=True)
        self.tick += 1
        if self.record_history:
            self._record(shocks)
        self._refresh_clustering()
        self._collect()

    @property
    def obs_tick(self) -> int:
        """The metrics row at which what happens now is first seen (events are stamped with it)."""
        return self.tick + 1

    def _new_week(self) -> WeekLog:
        n = self.state.size
        return WeekLog(neighbour_contact=np.zeros(n, bool), overburdened=np.zeros(n, bool))

    def _week(self, policies_on: bool) -> np.ndarray:
        p, st, ties, s = self.params, self.state, self.ties, self.streams
        self.initiative_boost = 1.0
        if policies_on:
            for pol in self.policies:
                pol.apply(self)
        ties.maybe_rebuild()
        ties.refresh()
        shocks = life_events(st, p, s["life_events"])
        # the ladder's peer flow runs on the same matrix: computed in support's pass, and reused
        # by climb_ladder if neither the rungs nor the ties it depends on changed in between
        informal_support(st, ties, p, ahead=(active_flags(st, p),))
        self.week.overburdened = st.alive & (st.load > p.overburden_load)
        pros = self.active_professionals()
        targets = {pro.unique_id: (pro.target(self) if pro.target else None) for pro in pros}
        hours = professional_work(pros, st, ties, self.blocks, self.tick, p, s["professional_work"], targets)
        fade_dependency(st, solved_for(pros, st.size), p)
        change_position(st, p, s["position"])
        self.week.professional_hours = hours
        self.cost_eur += hours * p.hourly_cost_eur
        for pro in pros:
            owner = self.policy(pro.policy)
            if owner is not None:
                owner.spent_eur += pro.hours_per_week * p.hourly_cost_eur
        residents_ask(st, ties, p, s["participation"])
        climb_ladder(st, ties, p, s["participation"], self.week.overburdened)
        ini_mod.found(st, ties, self.initiatives, self.tick, p, s["initiatives"], self.initiative_boost)
        ini_mod.sustain(st, ties, self.initiatives, self.tick, p, s["initiatives"])
        end_ties(ties, p, s["tie_endings"])
        self.week.neighbour_contact = contact_and_decay(st, ties, p, s["ties"])
        form_ties(st, ties, self.blocks, self.tick, p, s["ties"], ties.degree())
        ties.refresh()
        perceptions(st, ties, p)
        self._migrate()
        return shocks

    def _migrate(self) -> None:
        p = self.params
        rng = self.streams["migration"]
        out = movers(self.state, p, rng)
        self.week.moved_out += int(out.size)
        self.remove_residents(out, "moved_out")
        if p.inflow and out.size:
            self.move_in(out, rng)

    def remove_residents(self, slots: np.ndarray, reason: str = "moved_out") -> None:
        """Residents leave their dwellings: ties break, caseloads and initiatives lose them."""
        st = self.state
        if slots.size == 0:
            return
        if self.record_history:
            self.events.extend((self.obs_tick, int(u), reason, "") for u in st.uid[slots])
        reached = slots[st.reached[slots]]
        if reached.size:  # most weeks no one a policy reached leaves: nothing to add
            self.reach.left += int(reached.size)
            self.reach.left_self_reliance_sum += float(st.self_reliance[reached].sum())
            self.reach.left_risen += int(np.count_nonzero(st.income[reached] > st.income_start[reached]))
        self.ties.remove_slots(slots)
        st.initiative[slots] = -1
        st.client_of[slots] = -1
        for slot in slots.tolist():
            agent = self.residents_by_slot[slot]
            if agent is not None:
                agent.remove()
            self.residents_by_slot[slot] = None
        st.alive[slots] = False
        st.uid[slots] = -1

    def move_in(self, slots: np.ndarray, rng: np.random.Generator,
                income_shares: tuple[float, ...] | None = None) -> None:
        """Newcomers take the given (empty) dwellings; they arrive without ties to others.

        Dwellings vacated by one household go to one new household (its members tied as family).
        During the burn-in newcomers are drawn like the starting population, so that tick 0 is a
        settled neighbourhood with the composition the parameters describe.
        """
        p, st = self.params, self.state
        if self.burning_in:
            shares, shift = tuple(p.income_shares), 0.0
        else:
            shares, shift = income_shares or self.newcomer_income_shares, self.newcomer_potential_shift
        # what the newcomers take over from the state is read before they are written in
        group = household_ranks(st.household[slots])  # by the household that left
        safety = st.safety[st.alive].mean() if st.alive.any() else p.initial_safety
        draw_into(st, slots, p, rng, shares, shift)
        st.household[slots] = group + self._next_household
        self._next_household += int(group.max()) + 1 if slots.size else 0
        st.attachment[slots] = p.newcomer_attachment
        st.safety[slots] = safety
        st.arrived[slots] = self.obs_tick
        family_ties(st, self.ties, slots, self.tick, p)
        for slot in slots.tolist():
            agent = self._new_resident(slot)
            if self.record_history:
                self.events.append((self.obs_tick, int(agent.unique_id), "moved_in", ""))

    # --- professionals and policies ----------------------------------------------------------------
    def hire(self, **kwargs: Any) -> Professional:
        """Employ a professional (called by policies); see `Professional` for the arguments."""
        return Professional(self, **kwargs)

    def active_professionals(self) -> list[Professional]:
        """Professionals currently employed."""
        return list(self.agents_by_type.get(Professional, []))

    def dismiss(self, pro: Professional) -> None:
        """The professional leaves: relationships end and the trust built in them goes with them."""
        keep = np.zeros(pro.clients.size, bool)
        slots = release_clients(pro, self.state, keep, self.tick, self.params, abandoned=True)
        if self.record_history:
            self.events.extend((self.obs_tick, int(u), "professional_left", pro.kind) for u in self.state.uid[slots])
        pro.remove()

    def dismiss_policy_staff(self, label: str, tag: str | None = None) -> None:
        """Dismiss every professional employed by a policy (optionally only those with a tag)."""
        for pro in self.active_professionals():
            if pro.policy == label and (tag is None or pro.tag == tag):
                self.dismiss(pro)

    def spend(self, eur: float, policy: Policy | None = None) -> None:
        """Book non-staff costs (budgets, activities)."""
        self.cost_eur += eur
        if policy is not None:
            policy.spent_eur += eur

    def policy(self, label: str) -> Policy | None:
        """A policy by its label."""
        return next((pol for pol in self.policies if pol.label == label), None)

    # --- observation --------------------------------------------------------------------------------
    def _refresh_clustering(self, force: bool = False) -> None:
        if force or self.tick % self.params.clustering_every == 0:
            alive = np.flatnonzero(self.state.alive)
            k = min(self.params.clustering_sample, alive.size)
            sample = self.streams["observation"].choice(alive, size=k, replace=False) if k else alive
            self._clustering = self.ties.clustering(sample)

    def current_clustering(self) -> float:
        """Network clustering, recomputed every `clustering_every` ticks and carried forward."""
        return self._clustering

    def _collect(self) -> None:
        row = metrics_mod.collect(self)
        row["tick"] = self.tick
        self._rows.append(row)
        self.datacollector.collect(self)

    def latest_metrics(self) -> dict[str, float]:
        """The outcomes of the current tick (the last row of `metrics()`), as a dict."""
        return self._rows[-1]

    def metrics(self) -> pd.DataFrame:
        """Outcomes per tick (index `tick`), columns as in the brief §6 plus calibration extras."""
        return pd.DataFrame(self._rows).set_index("tick")

    def run(self, ticks: int) -> pd.DataFrame:
        """Advance `ticks` weeks (0 to MAX_TICKS) and return the metrics."""
        for _ in range(check_int("ticks", ticks, 0, MAX_TICKS) or 0):
            self.step()
        return self.metrics()

    @property
    def residents(self) -> list[Resident]:
        """Resident agents currently living here."""
        return [a for a in self.residents_by_slot if a is not None]

    def resident(self, uid: int) -> Resident:
        """The resident with this unique id (KeyError if not living here)."""
        slots = np.flatnonzero((self.state.uid == uid) & self.state.alive)
        agent = self.residents_by_slot[int(slots[0])] if slots.size else None
        if agent is None:
            raise KeyError(f"no resident with id {uid} lives here")
        return agent

    @property
    def network(self) -> nx.Graph:
        """The social network as a networkx graph keyed by resident unique id (cached until ties change)."""
        key = self.ties.version * 1_000_003 + self.tick
        if self._graph is None or self._graph[0] != key:
            self._graph = (key, self.ties.to_networkx(self.state.uid, np.flatnonzero(self.state.alive)))
        return self._graph[1]

    def _record(self, shocks: np.ndarray) -> None:
        st = self.state
        alive = np.flatnonzero(st.alive)
        self.history.append({
            "tick": np.full(alive.size, self.tick),
            "uid": st.uid[alive].copy(),
            "self_reliance": st.self_reliance[alive].copy(),
            "degree": self.ties.degree()[alive],
            "client_of": st.client_of[alive].copy(),
        })
        from buurtsim.params import DOMAINS

        hit = np.argwhere(shocks & st.alive[:, None])
        self.events.extend((self.tick, int(st.uid[i]), "life_event", DOMAINS[d]) for i, d in hit)

    def story(self, uid: int) -> pd.DataFrame:
        """One resident's history (needs record_history=True): self-reliance, ties, caseload per tick."""
        frames = [pd.DataFrame(h) for h in self.history]
        if not frames:
            return pd.DataFrame(columns=["tick", "self_reliance", "degree", "client_of"])
        df = pd.concat(frames, ignore_index=True)
        return df[df["uid"] == uid].drop(columns="uid").set_index("tick")

    def resident_events(self, uid: int) -> list[tuple[int, str, str]]:
        """Events of one resident (needs record_history=True): life events, moves, professionals."""
        return [(t, k, d) for t, u, k, d in self.events if u == uid]
