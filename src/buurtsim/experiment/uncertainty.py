"""Uncertainties and levers apart: an experiment over the plausible worlds of an ensemble.

An experiment file that says `uncertainty = "ensemble"` (the shipped ensemble) or names an ensemble
file (a path relative to the experiment file) runs replication r of every scenario and every sweep
point in the same plausible world: the same ensemble member, `ensemble.pick(replications)[r]`, and
the same seed. Differences between scenarios stay paired, and their spread over replications now
carries parameter uncertainty as well as chance.

Uncertainties and levers: the member's values are the *uncertain* parameters (what we do not know
about the neighbourhood). Everything the user sets on purpose is a *lever* or a what-if and wins
over the member: a parameter the scenario itself sets, the experiment's `params` and a sweep point.
Then that parameter is fixed for that run (the question is asked conditional on it) and the manifest
says so (`fixed_by_levers`). Levers win because a scenario that sets, say, `trust_build_weeks` asks
"what if trust grew this fast?"; letting the ensemble overwrite it would silently answer another
question.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from buurtsim.limits import shorten

if TYPE_CHECKING:
    from buurtsim.ensemble import Ensemble

#: Values of `uncertainty` that mean the shipped ensemble.
SHIPPED_WORDS = ("ensemble", "default", "standaard")
EXPECTED = ('"ensemble" (the shipped ensemble of plausible parameter sets) or the path of an ensemble file '
            "(.json, written by buurtsim calibrate) relative to the experiment file")


@dataclass(frozen=True)
class Worlds:
    """The ensemble of an experiment and which member each replication runs in."""

    ensemble: Ensemble
    source: str
    sha256: str
    members: tuple[int, ...]  # member index (in the ensemble file) of replication r

    def params(self, replication: int) -> dict[str, float]:
        """The member's parameter values for replication r (integer parameters rounded)."""
        from buurtsim.experiment.spec import cast_param

        member = self.ensemble.members[self.members[replication]]
        return {k: cast_param(k, v) for k, v in member.params.items()}

    def applied(self, replication: int, fixed: set[str]) -> dict[str, float]:
        """The member's values that reach the model: all but those a lever sets (`fixed`)."""
        return {k: v for k, v in self.params(replication).items() if k not in fixed}

    def info(self, fixed_by_levers: dict[str, list[str]]) -> dict[str, Any]:
        """What the manifest records: the file, its hash, provenance, and every member used."""
        used = sorted(set(self.members))
        return {
            "source": self.source, "sha256": self.sha256, "parameters": list(self.ensemble.parameters),
            "provenance": self.ensemble.provenance, "members_in_file": len(self.ensemble.members),
            "replication_members": list(self.members),
            "members": {str(i): {"params": self.ensemble.members[i].params, "weight": self.ensemble.members[i].weight} for i in used},
            "fixed_by_levers": fixed_by_levers,
        }


def resolve_source(value: str, base: Path) -> str | Path:
    """The ensemble an `uncertainty` value names: 'default' for the shipped one, else a path
    relative to `base` (the experiment's folder). A ValueError says what is wrong with the value."""
    word = value.strip().lower()
    if word in SHIPPED_WORDS:
        return "default"
    if not value.strip():
        raise ValueError("empty")
    if "\0" in value or len(value) > 1000:
        raise ValueError("not a usable file name")
    if not value.lower().endswith(".json"):
        raise ValueError("not a .json file")
    try:
        return (base / value).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise ValueError("a symbolic link that points to itself (a loop)") from None


def load_worlds(value: str, base: Path, replications: int) -> Worlds:
    """Read and check the ensemble an experiment names and pick one member per replication.

    Raises UserError (an EnsembleError or a refused file) with the ensemble's file and field."""
    from buurtsim.ensemble import MAX_ENSEMBLE_BYTES, load_ensemble, resolve_ensemble_path
    from buurtsim.safe_io import read_user_file

    source = resolve_source(value, base)
    ensemble = load_ensemble(source)
    path = resolve_ensemble_path(source)
    digest = hashlib.sha256(read_user_file(path, what="ensemble file (JSON)", limit=MAX_ENSEMBLE_BYTES)).hexdigest()
    index = {id(m): i for i, m in enumerate(ensemble.members)}
    members = tuple(index[id(m)] for m in ensemble.pick(replications))
    return Worlds(ensemble, str(path), digest, members)


def fixed_by_levers(calibrated: tuple[str, ...], scenario_params: dict[str, Any], levers: dict[str, Any]) -> set[str]:
    """The calibrated parameters a scenario, the experiment's `params` or a sweep point sets itself."""
    return {name for name in calibrated if name in scenario_params or name in levers}


def problem_text(exc: Exception) -> str:
    """An ensemble error's message, shortened for a problem list."""
    return shorten(str(exc), 600)
