"""Mesa agents: Resident (a thin view over one row of the state arrays) and Professional."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import mesa
import numpy as np

from buurtsim.params import CATEGORIES, DOMAINS, INCOME_CLASSES, STYLES

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel

APPROACHES = ("enabling", "solving")


class Resident(mesa.Agent):
    """One resident. All state lives in `model.state`; attributes read (and write) that row."""

    model: NeighbourhoodModel

    def __init__(self, model: NeighbourhoodModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot

    def _get(self, name: str) -> float:
        return float(getattr(self.model.state, name)[self.slot])

    @property
    def self_reliance(self) -> float:
        """Zelfredzaamheid in [0, 1]: the mean of the life-domain scores."""
        return self._get("self_reliance")

    @property
    def category(self) -> str:
        """strong, vulnerable or sliding (Wijkengids 4.6: Rotterdam's categories)."""
        p = self.model.params
        sr = self.self_reliance
        return CATEGORIES[0 if sr >= p.strong_threshold else 2 if sr < p.sliding_threshold else 1]

    @property
    def style(self) -> str:
        """Citizenship style (Motivaction)."""
        return STYLES[int(self.model.state.style[self.slot])]

    @property
    def income(self) -> str:
        """Income class."""
        return INCOME_CLASSES[int(self.model.state.income[self.slot])]

    @property
    def trust(self) -> float:
        """Trust in institutions and professionals."""
        return self._get("trust")

    @property
    def attachment(self) -> float:
        """Attachment to the neighbourhood."""
        return self._get("attachment")

    @property
    def safety(self) -> float:
        """Perceived safety."""
        return self._get("safety")

    @property
    def capacity(self) -> float:
        """Time and energy to help others this week."""
        return self._get("capacity")

    @property
    def participation(self) -> int:
        """Rung on the participation ladder: 0 none, 1 inform .. 6 own."""
        return int(self.model.state.participation[self.slot])

    @property
    def dependency(self) -> float:
        """Dependency on professional help."""
        return self._get("dependency")

    @property
    def domains(self) -> dict[str, float]:
        """Life-domain scores by name."""
        return dict(zip(DOMAINS, self.model.state.domains[self.slot].tolist(), strict=True))

    @property
    def problems(self) -> int:
        """Number of life domains below the problem threshold."""
        return int((self.model.state.domains[self.slot] < self.model.params.problem_threshold).sum())

    def __getattr__(self, name: str) -> float:
        # Domain scores as attributes: resident.work, resident.finance, ...
        if name in DOMAINS:
            return float(self.model.state.domains[self.slot, DOMAINS.index(name)])
        raise AttributeError(name)


class Professional(mesa.Agent):
    """A paid professional with a caseload; relationships (and their trust) leave with them."""

    model: NeighbourhoodModel

    def __init__(
        self,
        model: NeighbourhoodModel,
        *,
        kind: str,
        policy: str,
        approach: str,
        hours_per_week: float,
        caseload: int,
        intake_per_week: int = 2,
        direct_share: float = 0.7,
        max_hours_per_client: float = 3.0,
        through_network: bool = False,
        ask_clients: float = 0.0,
        target: Callable[[NeighbourhoodModel], np.ndarray] | None = None,
        tag: str = "",
    ) -> None:
        super().__init__(model)
        if approach not in APPROACHES:
            raise ValueError(f"approach must be one of {APPROACHES}, not {approach!r}")
        self.kind = kind
        self.policy = policy
        self.approach = approach
        self.hours_per_week = hours_per_week
        self.caseload = caseload
        self.intake_per_week = intake_per_week
        self.direct_share = direct_share
        self.max_hours_per_client = max_hours_per_client
        self.through_network = through_network
        self.ask_clients = ask_clients
        self.target = target
        self.tag = tag
        self.hired_at = model.tick
        self.clients = np.empty(0, np.int64)
        self.client_uid = np.empty(0, np.int64)
        self.since = np.empty(0, np.int64)

    def relationship_trust(self, tick: int) -> np.ndarray:
        """Trust in each current relationship: grows with its length (Van Ewijk 2010-11)."""
        weeks = tick - self.since
        return 1.0 - np.exp(-weeks / self.model.params.trust_build_weeks)

    @property
    def n_clients(self) -> int:
        """Current number of clients."""
        return int(self.clients.size)
