"""Every model constant in one typed object: default, range, unit and source.

`Params` is the single place where a number enters the model. Scenario files override fields by
name; unknown names are rejected with the closest valid names (see `make_params`).
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.config import JsonDict

from buurtsim.errors import UserError

DOMAINS: tuple[str, ...] = ("work", "finance", "health", "social", "skills")
STYLES: tuple[str, ...] = ("dutiful", "responsible", "pragmatic", "outsider")
CATEGORIES: tuple[str, ...] = ("strong", "vulnerable", "sliding")
TIE_KINDS: tuple[str, ...] = ("family", "friend", "neighbour", "acquaintance")
INCOME_CLASSES: tuple[str, ...] = ("low", "middle", "high")


Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0, le=10.0)]


def P(default: Any, lo: float | None, hi: float | None, unit: str, source: str, doc: str,
      plausible: tuple[float, float] | None = None) -> Any:
    """Declare one parameter: default, closed range [lo, hi], unit, source and meaning.

    For tuple parameters the range applies to each element and is enforced by the element type.
    `plausible` is the narrower range of values believed possible for an assumed parameter: the
    prior of `buurtsim calibrate` (the validation range [lo, hi] only keeps the model runnable).
    """
    extra: JsonDict = {"unit": unit, "source": source, "min": lo, "max": hi}
    if plausible is not None:
        extra["plausible"] = [float(plausible[0]), float(plausible[1])]
    if isinstance(default, tuple):
        return Field(default, description=doc, json_schema_extra=extra)
    return Field(default, ge=lo, le=hi, description=doc, json_schema_extra=extra)


class Params(BaseModel):
    """All model constants. Time unit: one week. Scores and shares are in [0, 1]."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    # --- population and initial composition -------------------------------------------------
    n_residents: int = P(500, 10, 2_000_000, "persons", "brief §3: a street block ~500 to a wijk 10,000+", "Number of residents (dwellings) at the start.")
    residents_per_block: int = P(40, 2, 1000, "persons", "assumption: a stairwell/street block (portiek) of ~20 dwellings x ~2 persons", "Residents per block; blocks are the unit of proximity (neighbour ties, local disorder).")
    household_size_mean: float = P(2.1, 1.0, 6.0, "persons", "CBS: mean Dutch household size ~2.1", "Mean household size; household members are tied as family, each to the next.")
    income_shares: tuple[Share, Share, Share] = P((0.55, 0.33, 0.12), 0.0, 1.0, "share", "assumption for a deprived wijk: most low income (Oelkers, LSA: middle incomes leave)", "Initial shares of low, middle and high income.")
    style_shares: tuple[Share, Share, Share, Share] = P((0.16, 0.28, 0.24, 0.32), 0.0, 1.0, "share", "C9, Motivaction via Wijkengids 4.6: dutiful 16, responsible 28, pragmatic 24, outsider 32 %", "Initial shares of citizenship styles (dutiful, responsible, pragmatic, outsider).")
    potential_mean_by_income: tuple[Share, Share, Share] = P((0.55, 0.66, 0.76), 0.0, 1.0, "score", "calibrated to C1/C2 (calibration.md)", "Mean structural potential (the level domains recover to) per income class.")
    potential_concentration: float = P(7.0, 1.0, 100.0, "-", "calibrated to C1/C2: spread of the potential (Beta a+b)", "Beta concentration of the potential; lower means more spread.")
    initial_domain_noise: float = P(0.08, 0.0, 0.5, "score", "assumption", "SD of initial domain scores around the potential.")
    potential_domain_sd: float = P(0.06, 0.0, 0.5, "score", "assumption: a resident's life domains differ around a personal base", "SD of a resident's potential per domain around their personal base (drawn once, on arrival).")
    initial_trust_sd: float = P(0.1, 0.0, 0.5, "score", "assumption", "SD of a resident's institutional trust on arrival around the base of their style (trust_base_by_style).")
    initial_attachment: float = P(0.5, 0.0, 1.0, "score", "assumption (initial condition only: the burn-in brings attachment to its settled level)", "Attachment of the starting residents before the burn-in.")
    initial_safety: float = P(0.6, 0.0, 1.0, "score", "assumption (initial condition only: the burn-in brings perceived safety to its settled level)", "Perceived safety of the starting residents before the burn-in (and of newcomers to an empty neighbourhood).")

    # --- life events and the multi-problem spiral (MO/Samenlevingsopbouw 2010-11, multiproblematiek) ---
    problem_threshold: float = P(0.4, 0.05, 0.95, "score", "assumption: a domain below this counts as a problem (C1 counts domains)", "A domain score below this is a problem in that domain.")
    shock_prob: float = P(0.006, 0.0, 0.2, "1/week", "assumption: ~0.3 shocks per domain per year; calibrated to C1", "Weekly probability of a negative life event per domain.", plausible=(0.002, 0.018))
    shock_size: float = P(0.22, 0.0, 1.0, "score", "assumption; calibrated to C1", "Mean size of a life event (exponentially distributed).", plausible=(0.073, 0.66))
    spiral_coupling: float = P(1.5, 0.0, 10.0, "x", "MO/Samenlevingsopbouw 2010-11, multiproblematiek: no work -> debt -> strain -> isolation", "Extra shock hazard in a domain per problem in the domain that feeds it.")
    recovery_rate: float = P(0.02, 0.0, 0.5, "1/week", "assumption: half-life of a setback ~8 months", "Weekly rate at which domain scores return to the potential.", plausible=(0.007, 0.06))
    problem_recovery_penalty: float = P(0.15, 0.0, 0.3, "1/problem", "MO/Samenlevingsopbouw 2010-11, multiproblematiek: stacked problems feed each other", "Relative slowdown of recovery per problem domain.")
    recovery_floor: float = P(0.05, 0.0, 1.0, "x", "assumption: with problems in every domain some recovery remains", "Lowest recovery factor left by stacked problems: 1 - problem_recovery_penalty x problems, clipped to [this, 1].")
    domain_noise: float = P(0.01, 0.0, 0.2, "score", "assumption", "SD of weekly small fluctuations per domain.")
    strong_threshold: float = P(0.6, 0.0, 1.0, "score", "Wijkengids 4.6: Rotterdam categories, thresholds assumed", "Self-reliance at or above which a resident counts as socially strong.")
    sliding_threshold: float = P(0.35, 0.0, 1.0, "score", "Wijkengids 4.6: Rotterdam categories, thresholds assumed", "Self-reliance below which a resident counts as survivor/slider.")

    # --- informal support and over-asking (Mulder 2010-11: half-redzamen, overvragen) -----------
    support_rate: float = P(0.05, 0.0, 1.0, "1/week", "assumption; calibrated to C6 (36 % give help)", "Weekly support per unit of tie strength x giver capacity x receiver need.", plausible=(0.017, 0.15))
    need_level: float = P(0.6, 0.0, 1.0, "score", "assumption = strong_threshold: below it one needs help", "Self-reliance below which a resident needs support; need = level - self_reliance.")
    support_effect: float = P(0.5, 0.0, 5.0, "score/unit", "assumption", "Domain gain per unit of support received.")
    support_cost: float = P(6.0, 0.0, 50.0, "capacity/unit", "assumption", "Capacity a giver spends per unit of support given.", plausible=(2.0, 18.0))
    capacity_recovery: float = P(0.25, 0.0, 1.0, "1/week", "assumption: energy recovers within weeks", "Weekly rate at which capacity returns to its target (self-reliance).")
    helping_min: float = P(0.0055, 0.0, 1.0, "unit/week", "calibrated to C6: who counts as giving informal help", "Support given per week (8-week mean) above which a resident counts as a helper.")
    load_memory: float = P(0.125, 0.01, 1.0, "1/week", "assumption: 8-week moving mean of support given", "Weight of this week's support in the helper's running load.")
    overburden_load: float = P(0.012, 0.0, 1.0, "unit/week", "calibrated to C6 (9 % of helpers overloaded)", "Running load above which a helper is over-asked.")
    overburden_harm: float = P(0.6, 0.0, 10.0, "score/unit", "Mulder 2010-11: residents want to help each other as long as they are not over-asked; the harm to health and its size assumed", "Weekly loss of health per unit of load above the over-asking level.")

    # --- professionals (Van Ewijk 2010-11; Wijkengids 4.6; Movisie 2014) -----------------------
    trust_build_weeks: float = P(26.0, 1.0, 520.0, "weeks", "Van Ewijk 2010-11: a relationship of trust with residents is community work's strength, hence light but long-lasting support; Heijkers 2010-11: every neighbourhood has its own pace (eigen frequentie); 26 weeks assumed", "Time constant for trust within a professional relationship.")
    professional_effect: float = P(0.012, 0.0, 1.0, "score/hour", "assumption; calibrated so presence shows after years", "Domain gain per hour of professional work at full relationship trust.", plausible=(0.004, 0.036))
    solving_speed: float = P(2.5, 0.0, 10.0, "x", "Wijkengids 4.6: solving problems for people is fast but creates dependency", "Multiplier on the gain when a professional solves problems for a client.")
    solving_trust_floor: float = P(0.6, 0.0, 1.0, "share", "assumption: a solved debt does not need trust", "Share of a problem-solving gain that does not depend on relationship trust.")
    dependency_rate: float = P(0.6, 0.0, 10.0, "1/score", "Wijkengids 4.6: 'afhankelijkheidssituatie'", "Dependency gained per unit of domain gain delivered by problem-solving.")
    dependency_decay: float = P(0.01, 0.0, 1.0, "1/week", "assumption: learned helplessness fades over ~2 years once nobody solves problems for one", "Weekly relative decay of dependency in every week in which no professional solves problems for the resident.")
    dependency_recovery_penalty: float = P(0.5, 0.0, 1.0, "share", "Wijkengids 4.6: dependency weakens own problem-solving", "How much full dependency slows one's own recovery.")
    dependency_flag: float = P(0.3, 0.0, 1.0, "score", "assumption", "Dependency above which a resident counts as dependent.")
    enabling_potential_share: float = P(1.0, 0.0, 2.0, "share", "Wijkengids 4.6; Movisie 2014: enabling leaves lasting strength", "Share of an enabling gain that also lifts the client's own potential (scaled by skills).")
    enabling_capacity_gain: float = P(0.4, 0.0, 5.0, "capacity/score", "Movisie 2014: empowerment", "Capacity gained per unit of enabling gain.")
    max_case_weeks: int = P(104, 1, 1040, "weeks", "assumption: cases close after two years at most", "Longest a client stays in one caseload.")
    discharge_level: float = P(0.62, 0.0, 1.0, "score", "assumption", "Self-reliance at which a client no longer needs the professional.")
    key_person_reach: float = P(3.0, 0.0, 50.0, "x", "Movisie 2014: outreach via key persons", "Extra weight to reach a needy resident tied to a current client or key person.")
    recruit_trust_base: float = P(0.1, 0.0, 10.0, "score", "assumption: Van Ewijk 2010-11, trust takes time, so professionals reach those who trust them more easily; residents without trust are still reached", "A needy resident's weight in a professional's recruitment is need x (this + trust).")
    trust_gain_contact: float = P(0.004, 0.0, 0.5, "1/week", "Van Ewijk 2010-11: trust grows with contact", "Weekly gain of institutional trust per unit of relationship trust.")
    abandonment_trust_loss: float = P(0.06, 0.0, 1.0, "score", "MO/Samenlevingsopbouw 2010-11; Oelkers (LSA): projects that stop disappoint", "Loss of institutional trust for a client when the professional leaves.")
    network_mobilisation: float = P(0.03, 0.0, 1.0, "1/week", "Wijkengids 4.6: Eigen Kracht, build the own network of family, friends, neighbours; brief §4.3", "Weekly strengthening (towards 1, times relationship trust) of a client's ties by an enabling professional who works through networks.")
    connect_rate: float = P(0.3, 0.0, 5.0, "ties/week", "Movisie 2014: connect residents to each other", "New ties per week an enabling professional brokers between clients and neighbours.")
    hourly_cost_eur: float = P(75.0, 0.0, 500.0, "EUR/hour", "assumption: integral hourly rate of a welfare professional", "Cost of one professional hour.")

    # --- participation ladder and initiatives (Wijkengids 11.1; MO/Samenlevingsopbouw 2010-11) ---
    participation_up: tuple[Share, Share, Share, Share] = P((0.024, 0.021, 0.015, 0.007), 0.0, 1.0, "1/week", "Wijkengids 4.6: outsiders participate less; calibrated to C5", "Weekly chance to step up the ladder, by style.")
    participation_down: float = P(0.03, 0.0, 1.0, "1/week", "assumption; calibrated to C5", "Weekly chance to step down the ladder (scaled by lack of capacity).", plausible=(0.01, 0.09))
    climb_capacity_base: float = P(0.3, 0.0, 1.0, "x", "assumption: stepping up takes energy (Mulder 2010-11: half-redzamen help while not over-asked)", "Stepping up is scaled by (this + climb_capacity_weight x capacity).")
    climb_capacity_weight: float = P(0.7, 0.0, 1.0, "x", "assumption (see climb_capacity_base)", "Weight of capacity in the chance to step up the ladder.")
    drop_capacity_weight: float = P(0.7, 0.0, 1.0, "x", "assumption: residents with energy to spare stay on their rung", "Stepping down is scaled by (1 - this x capacity).")
    initiative_drop_factor: float = P(0.5, 0.0, 1.0, "x", "MO/Samenlevingsopbouw 2010-11: an initiative holds its owners; size assumed", "Multiplier on stepping down for a member of an initiative.")
    overburden_drop_factor: float = P(2.0, 1.0, 10.0, "x", "Mulder 2010-11: residents help as long as they are not over-asked; size assumed", "Multiplier on stepping down for an over-asked helper.")
    threshold_max: float = P(0.6, 0.0, 1.0, "share", "Granovetter (1978) thresholds; their spread assumed", "Granovetter thresholds are drawn uniform on [0, this] on arrival: the share of participating ties a resident needs before they pull them up.")
    asked_multiplier: float = P(10.0, 1.0, 50.0, "x", "Wijkengids 11.1: 'nobody asked me' is the main reason not to volunteer; calibrated so an invitation is taken up ~5-20 % of the time", "Multiplier on stepping up when asked this week.")
    peer_multiplier: float = P(2.0, 0.0, 20.0, "x", "Granovetter (1978) thresholds", "Extra multiplier when the share of participating ties exceeds one's threshold.")
    resident_ask_rate: float = P(0.02, 0.0, 1.0, "1/week", "assumption", "Weekly chance an active resident asks one of their ties to join.")
    active_level: int = P(4, 1, 6, "rung", "C5: volunteering ~ co-producing", "Ladder rung (0 none .. 6 own) from which a resident counts as participating.")
    initiative_found_rate: float = P(0.0012, 0.0, 1.0, "1/week", "assumption", "Weekly chance a resident on rung 5+ with active ties founds an initiative.")
    founder_rung: int = P(5, 1, 6, "rung", "Wijkengids 11.1: co-deciding and owning residents start initiatives", "Ladder rung from which a resident in no initiative may found one.")
    founder_asks: int = P(4, 0, 40, "ties", "assumption", "Ties a founder asks to join (those on rung active_level - 1 or higher join).")
    initiative_min_owners: int = P(3, 1, 50, "persons", "MO/Samenlevingsopbouw 2010-11: initiatives persist while their owners stay", "Owners needed for an initiative to continue.")
    initiative_fade: float = P(0.01, 0.0, 1.0, "1/week", "assumption; support halves it", "Weekly chance an unsupported initiative stops.")
    supported_fade_factor: float = P(0.5, 0.0, 1.0, "x", "assumption (a supported initiative stops half as often)", "Multiplier on initiative_fade for an initiative a professional supports.")
    initiative_tie_rate: float = P(0.5, 0.0, 10.0, "ties/week", "MO/Samenlevingsopbouw 2010-11; Movisie 2014: shared activity makes ties", "Ties per week an initiative creates among members and neighbours.")

    # --- ties (C7, C8; Jin, Girvan & Newman 2001) ---------------------------------------------
    tie_attempt_rate: float = P(0.07, 0.0, 5.0, "1/week", "assumption; calibrated to C3, C4 and C6 (calibration.md)", "Weekly meeting attempts per resident.", plausible=(0.023, 0.21))
    local_share: float = P(0.5, 0.0, 1.0, "share", "C8: most ties are local", "Share of meetings within one's own block.")
    triadic_share: float = P(0.25, 0.0, 1.0, "share", "Jin, Girvan & Newman (2001): friends of friends meet", "Share of meetings through a friend of a friend.")
    distance_exponent: float = P(1.6, 0.0, 4.0, "-", "C8: Illenberger et al.: p ~ d^-1.6", "Exponent of the distance kernel for non-local meetings.")
    homophily_status: float = P(4.0, 0.0, 50.0, "1/score", "C8: Hipp & Perrin (2009): a status gap weakens ties", "Decay of acceptance with the gap in self-reliance.")
    homophily_style: float = P(0.7, 0.0, 1.0, "x", "Wijkengids 4.6: styles differ in drives", "Acceptance multiplier when citizenship styles differ.")
    accept_capacity_base: float = P(0.5, 0.0, 1.0, "x", "assumption: keeping up a new tie takes energy", "Acceptance of a meeting is scaled by (this + accept_capacity_weight x the initiator's capacity).")
    accept_capacity_weight: float = P(0.5, 0.0, 1.0, "x", "assumption (see accept_capacity_base)", "Weight of the initiator's capacity in the acceptance of a meeting.")
    far_meeting_reach: float = P(1.5, 0.1, 10.0, "grid sides", "assumption: far meetings stay within reach of the neighbourhood; the distance kernel (distance_exponent) is cut off here", "Longest distance of a far meeting, in sides of the neighbourhood's grid of blocks.")
    tie_initial_strength: float = P(0.3, 0.01, 1.0, "strength", "assumption", "Strength of a new tie.")
    family_tie_strength: float = P(0.9, 0.01, 1.0, "strength", "assumption: household members are closely tied", "Strength of the family tie between household members, each to the next.")
    initial_strength_ceiling: float = P(0.95, 0.0, 1.0, "strength", "assumption (initial condition only)", "Highest starting strength of a non-family tie of a fully established resident (saves years of burn-in).")
    contact_prob: tuple[Share, Share, Share, Share] = P((0.9, 0.6, 0.4, 0.1), 0.0, 1.0, "1/week", "C4: weekly neighbour contact 55-66 %; Jin, Girvan & Newman (2001); acquaintances set so that one without follow-up fades within about two years (brief §5: the barbecue)", "Weekly chance of contact on a full-strength tie, by kind (family, friend, neighbour, acquaintance); scales with strength.")
    tie_reinforce: float = P(0.08, 0.0, 1.0, "1/contact", "assumption", "Strength gained per contact (towards 1).", plausible=(0.027, 0.24))
    tie_decay: float = P(0.02, 0.0, 1.0, "1/week", "Jin, Girvan & Newman (2001): ties fade without contact", "Relative strength lost in a week without contact.")
    tie_end_rate: float = P(0.002, 0.0, 0.05, "1/week", "C12: Mollenhorst, Volker & Flap (2014), 48 % of personal ties still there after seven years; calibrated (calibration.md)", "Weekly chance that a non-family tie ends for reasons other than moving (life-course changes, conflicts, changing contexts).")
    tie_break_strength: float = P(0.05, 0.0, 1.0, "strength", "assumption", "Ties weaker than this break.", plausible=(0.017, 0.15))
    friend_strength: float = P(0.6, 0.0, 1.0, "strength", "assumption", "Neighbour or acquaintance ties stronger than this become friendships.")
    max_degree: int = P(40, 2, 1000, "ties", "C7; Jin, Girvan & Newman (2001): limited capacity for ties", "Residents with this many ties form no new ones.")
    initial_ties_per_resident: float = P(8.0, 0.0, 50.0, "ties", "calibrated to C7 after burn-in", "Non-family ties drawn per resident at the start.")
    network_build_years: float = P(2.0, 0.1, 50.0, "years", "assumption: a newcomer's local network takes a few years to grow (initial condition only)", "Years of residence over which a resident's initial ties grow (1 - exp(-years / this)).")
    confidant_strength: float = P(0.6, 0.0, 1.0, "strength", "C3/C7: a close tie", "Strength from which a tie counts as close (a confidant).")
    isolation_strength: float = P(1.0, 0.0, 10.0, "strength", "C3: strongly lonely ~10 %; calibrated (about one close tie's worth)", "Summed tie strength below which a resident counts as isolated.")
    burn_in_weeks: int = P(1040, 0, 2080, "weeks", "calibration.md: participation and the network settle within about 20 years; shorter leaves the baseline drifting", "Weeks simulated before tick 0 (no data, no policies; newcomers drawn like the starting population).")
    clustering_every: int = P(13, 1, 520, "weeks", "performance: clustering is costly", "Clustering is computed every this many ticks and carried forward.")
    clustering_sample: int = P(2000, 50, 1_000_000, "residents", "performance", "Residents sampled to estimate clustering.")
    network_rebuild_churn: float = P(0.1, 0.0, 1.0, "share", "performance", "Share of added or broken ties that triggers a rebuild of the sparse matrix.")

    # --- perceptions (Van Geffen 2010-11: fear is contagious; Kleinhans & Bolt 2010) -----------
    safety_rate: float = P(0.03, 0.0, 1.0, "1/week", "assumption", "Weekly adjustment of perceived safety towards local conditions.")
    safety_target_base: float = P(0.85, 0.0, 1.0, "score", "assumption; the disorder and initiative effects are set against it", "Perceived safety a resident tends to in a block without disorder or running initiatives.")
    safety_contagion: float = P(0.05, 0.0, 1.0, "1/week", "Van Geffen 2010-11: fear is contagious", "Weekly pull of perceived safety towards one's ties.")
    fear_asymmetry: float = P(2.0, 1.0, 10.0, "x", "assumption: Van Geffen 2010-11 (quoting Haisma) says fear is contagious, not that it spreads faster than reassurance", "Extra weight of ties who feel less safe.")
    disorder_weight: float = P(1.2, 0.0, 5.0, "x", "Hipp (2016): disorder lowers safety", "Effect of the block's share of sliding residents on safety.")
    initiative_safety: float = P(0.5, 0.0, 5.0, "x", "Sampson et al. (1997); Hipp (2016): collective efficacy makes a place feel safer", "Raise of the safety target per unit share of block residents in a running initiative.")
    trust_contagion: float = P(0.02, 0.0, 1.0, "1/week", "assumption", "Weekly pull of institutional trust towards one's ties.")
    trust_base_by_style: tuple[Share, Share, Share, Share] = P((0.6, 0.55, 0.45, 0.25), 0.0, 1.0, "score", "Wijkengids 4.6: outsiders distrust institutions", "Initial institutional trust by style.")
    attachment_rate: float = P(0.02, 0.0, 1.0, "1/week", "assumption", "Weekly adjustment of attachment to its target.")
    attachment_ties_weight: float = P(0.6, 0.0, 1.0, "share", "Kleinhans & Bolt 2010: ties and safety bind", "Weight of local ties in target attachment (rest: safety).")
    attachment_ties_scale: float = P(1.5, 0.01, 50.0, "strength", "assumption", "Summed tie strength at which the ties part of attachment is 63 % full.")

    # --- socio-economic position (Permentier, Van Ham & Bolt; CBS: the neighbourhood as springboard)
    income_up_rate: float = P(0.002, 0.0, 0.1, "1/week", "assumption: about 1 in 10 residents with secure work rises an income class per year", "Weekly chance that a resident whose work domain is at least income_up_work rises one income class.")
    income_up_work: float = P(0.65, 0.0, 1.0, "score", "assumption: stable, decently paid work", "Work-domain score from which one can rise an income class.")
    income_down_rate: float = P(0.004, 0.0, 0.1, "1/week", "assumption: about 1 in 5 residents with a work problem drops an income class per year", "Weekly chance that a resident with a problem in the work domain (below problem_threshold) drops one income class.")
    riser_move_multiplier: float = P(2.0, 1.0, 10.0, "x", "Permentier, Van Ham & Bolt (2009); CBS: residents whose position improves leave deprived neighbourhoods more often; size assumed", "Move-out multiplier for a resident whose income class is above the one they had on arrival.")

    # --- migration (C11; Oelkers (LSA): selective out-migration) --------------------------------
    move_rate: float = P(0.0036, 0.0, 0.1, "1/week", "C11: CBS (2017), ~10 %/year at age 40; calibrated to that realised rate", "Base weekly chance that a household moves out (scaled by income, attachment, safety, rising).")
    income_mobility: tuple[NonNeg, NonNeg, NonNeg] = P((0.6, 1.0, 1.8), 0.0, 10.0, "x", "Oelkers (LSA), on the Aedes report (Circusvis 2020): middle and higher incomes leave; sizes assumed", "Move-out multiplier by income class.")
    attachment_move_effect: float = P(3.0, 0.0, 20.0, "1/score", "Kleinhans & Bolt 2010: attachment lowers the wish to move", "Decay of the move-out hazard with attachment.")
    safety_move_effect: float = P(1.5, 0.0, 20.0, "1/score", "assumption", "Increase of the move-out hazard with lack of perceived safety.", plausible=(0.5, 4.5))
    move_attachment_reference: float = P(0.5, 0.0, 1.0, "score", "assumption: move_rate is the hazard of a resident of middling attachment and safety (calibrated to C11 at these levels)", "Attachment at which attachment neither raises nor lowers the move-out hazard.")
    move_safety_reference: float = P(0.5, 0.0, 1.0, "score", "assumption (see move_attachment_reference)", "Perceived safety at which safety neither raises nor lowers the move-out hazard.")
    inflow: bool = Field(True, description="Vacated dwellings are re-let to newcomers (population stays constant).", json_schema_extra={"unit": "-", "source": "assumption: social housing is re-let"})
    newcomer_income_shares: tuple[Share, Share, Share] = P((0.7, 0.25, 0.05), 0.0, 1.0, "share", "assumption for a deprived wijk (Oelkers (LSA) reports the Aedes report's weak neighbourhoods growing weaker; newcomers' vulnerability is not in the source)", "Income shares of newcomers.")
    newcomer_potential_shift: float = P(-0.04, -0.5, 0.5, "score", "assumption (see newcomer_income_shares)", "Shift of newcomers' potential against residents of the same income.")
    newcomer_attachment: float = P(0.3, 0.0, 1.0, "score", "assumption: newcomers are not yet attached; Kleinhans & Bolt 2010: attachment grows with ties and safety", "Attachment of a newcomer on arrival.")

    @model_validator(mode="after")
    def _check_consistency(self) -> Params:
        for name in ("income_shares", "style_shares", "newcomer_income_shares"):
            total = sum(getattr(self, name))
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"{name} must sum to 1 (sums to {total:.4g})")
        if self.sliding_threshold >= self.strong_threshold:
            raise ValueError("sliding_threshold must be below strong_threshold")
        return self


def param_names() -> list[str]:
    """All parameter names, in declaration order."""
    return list(Params.model_fields)


class ParameterError(UserError, ValueError):
    """A parameter name or value is not accepted; the message says which and what is expected."""


def close_matches(name: str, options: list[str], n: int = 3) -> list[str]:
    """Closest valid names for a misspelt one."""
    return difflib.get_close_matches(name, options, n=n, cutoff=0.5)


def make_params(base: Params | None = None, **overrides: Any) -> Params:
    """Build Params from an optional base plus overrides, with clear errors for bad names or values."""
    names = param_names()
    unknown = [k for k in overrides if k not in names]
    if unknown:
        parts = []
        for k in unknown:
            hint = close_matches(k, names)
            parts.append(f"unknown parameter '{k}'" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
        raise ParameterError("; ".join(parts))
    data = (base or Params()).model_dump()
    data.update(overrides)
    try:
        return Params(**data)
    except ValidationError as exc:
        raise ParameterError(format_validation_error(exc)) from None


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: field, what was given, what is expected."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {msg} (given: {err.get('input')!r})" if loc else msg)
    return "; ".join(lines)


def describe(name: str) -> dict[str, Any]:
    """Default, range (and plausible range, if documented), unit, source and meaning of one parameter."""
    field = Params.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    lo, hi = extra.get("min"), extra.get("max")
    plausible = extra.get("plausible")
    return {
        "name": name,
        "default": field.default,
        "min": lo,
        "max": hi,
        "plausible": tuple(plausible) if isinstance(plausible, list) else None,
        "unit": extra.get("unit", ""),
        "source": extra.get("source", ""),
        "description": field.description or "",
    }


def params_markdown() -> str:
    """The parameter table (name, default, range, unit, meaning, source) as Markdown."""
    rows = ["| name | default | range | unit | meaning | source |", "|---|---|---|---|---|---|"]
    for name in param_names():
        d = describe(name)
        rng = f"{d['min']} – {d['max']}" if d["min"] is not None else "–"
        if d["plausible"] is not None:
            rng += f" (plausible {d['plausible'][0]:g} – {d['plausible'][1]:g})"
        rows.append(f"| `{name}` | {d['default']} | {rng} | {d['unit']} | {d['description']} | {d['source']} |")
    return "\n".join(rows)
