"""Ensembles: plausible parameter sets (a calibration's posterior) that other commands run over.

An ensemble file is JSON written by `buurtsim calibrate`: the calibrated parameters, one entry per
member (parameter values, weight, the seed it was judged with, the targets it meets) and the
provenance (model version, the hash of the calibration targets, method settings, seeds). Experiments
that say `uncertainty = "ensemble"` run replication r of every scenario with the same member and
seed, so their intervals carry parameter uncertainty as well as noise.

The file is user input like any other: read with a size limit, checked field by field, and refused
with a message naming the file, the field and what was expected (`EnsembleError`, exit status 2).
A file from another model version is refused, because its members were judged on another model.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtsim._version import __version__
from buurtsim.errors import UserError
from buurtsim.limits import MAX_NESTING_DEPTH, shorten, too_deep

FORMAT = "buurtsim-ensemble"
FORMAT_VERSION = 1
#: Bytes of an ensemble file: 10,000 members of 30 parameters with their targets stay under 16 MiB.
MAX_ENSEMBLE_BYTES = 16 * 1024 * 1024
#: Members in one file; more would only slow every command that reads it.
MAX_MEMBERS = 10_000
#: The shipped ensemble for the default parameters, found by the name "default" (or "standaard").
SHIPPED_NAMES = ("default", "standaard")
SHIPPED_FILE = Path(__file__).resolve().parent / "ensembles" / "default.json"


class EnsembleError(UserError, ValueError):
    """An ensemble file that cannot be used; the message names the file, the field and what was expected."""


@dataclass(frozen=True)
class Member:
    """One plausible world: parameter values, its weight in the ensemble, the seed it was judged with,
    and per target (e.g. 'C3 share_isolated') the simulated value and whether it lies in the band."""

    params: dict[str, float]
    weight: float
    seed: int
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    distance: float | None = None

    def targets_met(self) -> int:
        """How many of the recorded targets this member meets."""
        return sum(bool(t.get("met")) for t in self.targets.values())


@dataclass(frozen=True)
class Ensemble:
    """A set of weighted members with the calibrated parameter names and the provenance."""

    parameters: tuple[str, ...]
    members: tuple[Member, ...]
    provenance: dict[str, Any]
    source: str = "<ensemble>"

    @property
    def weights(self) -> list[float]:
        """Member weights normalised to sum to one."""
        total = sum(m.weight for m in self.members)
        return [m.weight / total for m in self.members]

    def pick(self, n: int) -> list[Member]:
        """`n` members in proportion to their weights, without randomness (systematic resampling with
        offset one half), so replication r always gets the same world; equal weights give the members
        in file order, cycling when n exceeds their number."""
        if n <= 0:
            return []
        weights = self.weights
        if max(weights) - min(weights) < 1e-12:
            return [self.members[r % len(self.members)] for r in range(n)]
        chosen: list[Member] = []
        cumulative, i = weights[0], 0
        for r in range(n):
            u = (r + 0.5) / n
            while u > cumulative and i < len(weights) - 1:
                i += 1
                cumulative += weights[i]
            chosen.append(self.members[i])
        return chosen


def targets_hash(path: str | Path | None = None) -> str:
    """SHA-256 of a calibration targets file (the shipped `targets.toml` when none is given), so an
    ensemble records which targets, bands and measurements it was calibrated against."""
    from buurtsim.calibration import TARGETS_FILE, targets_file_hash

    return targets_file_hash(TARGETS_FILE if path is None else path)


def resolve_ensemble_path(name_or_path: str | Path) -> Path:
    """The file of an ensemble: the shipped one for 'default'/'standaard', else the path itself."""
    if isinstance(name_or_path, str) and name_or_path.strip().lower() in SHIPPED_NAMES:
        return SHIPPED_FILE
    return Path(name_or_path)


def _fail(source: str, where: str, expected: str, got: Any = None) -> EnsembleError:
    given = "" if got is None else f" (got {shorten(repr(got))})"
    return EnsembleError(f"{source}: {where}: expected {expected}{given}")


def _number(source: str, where: str, value: Any, *, low: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(source, where, "a finite number", value)
    if low is not None and value < low:
        raise _fail(source, where, f"a number of at least {low}", value)
    return float(value)


def _member(source: str, i: int, raw: Any, names: Sequence[str]) -> Member:
    where = f"members[{i}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "a table with params, weight and seed", type(raw).__name__)
    params = raw.get("params")
    if not isinstance(params, dict):
        raise _fail(source, f"{where}.params", "a table of parameter values")
    if sorted(params) != sorted(names):
        missing, extra = sorted(set(names) - set(params)), sorted(set(params) - set(names))
        raise _fail(source, f"{where}.params", f"exactly the calibrated parameters {list(names)}"
                    + (f"; missing {missing}" if missing else "") + (f"; not calibrated {extra}" if extra else ""))
    values = {k: _number(source, f"{where}.params.{k}", v) for k, v in params.items()}
    weight = _number(source, f"{where}.weight", raw.get("weight"), low=0.0)
    seed = raw.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise _fail(source, f"{where}.seed", "a whole number from 0 to 2^63 - 1", seed)
    targets = raw.get("targets", {})
    if not isinstance(targets, dict) or not all(isinstance(v, dict) for v in targets.values()):
        raise _fail(source, f"{where}.targets", "a table of targets, each with value and met")
    distance = raw.get("distance")
    dist = None if distance is None else _number(source, f"{where}.distance", distance, low=0.0)
    return Member(values, weight, seed, targets, dist)


def ensemble_from_data(data: Any, source: str = "<ensemble>") -> Ensemble:
    """Check decoded JSON and build the ensemble; EnsembleError names the field that is wrong."""
    from buurtsim.params import ParameterError, close_matches, make_params, param_names

    if not isinstance(data, dict):
        raise _fail(source, "the file", "a JSON object (an ensemble written by buurtsim calibrate)")
    if data.get("format") != FORMAT:
        raise _fail(source, "format", f"'{FORMAT}' (an ensemble written by buurtsim calibrate)", data.get("format"))
    if data.get("format_version") != FORMAT_VERSION:
        raise _fail(source, "format_version", f"{FORMAT_VERSION}", data.get("format_version"))
    provenance = data.get("provenance")
    if not isinstance(provenance, dict):
        raise _fail(source, "provenance", "a table (model_version, targets_hash, method, seeds)")
    version = provenance.get("model_version")
    if version != __version__:
        raise EnsembleError(
            f"{source}: provenance.model_version: this ensemble was calibrated on buurtsim {shorten(str(version))}, "
            f"this is buurtsim {__version__}; its members were judged on another model. "
            f"Calibrate again with: buurtsim calibrate --out <new file>")
    names = data.get("parameters")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise _fail(source, "parameters", "a non-empty list of parameter names")
    known = param_names()
    for n in names:
        if n not in known:
            hint = close_matches(n, known)
            raise _fail(source, "parameters", "names of model parameters" + (f" (did you mean {', '.join(hint)}?)" if hint else ""), n)
    raw_members = data.get("members")
    if not isinstance(raw_members, list) or not raw_members:
        raise _fail(source, "members", "a non-empty list of members")
    if len(raw_members) > MAX_MEMBERS:
        raise _fail(source, "members", f"at most {MAX_MEMBERS} members", len(raw_members))
    members = tuple(_member(source, i, m, names) for i, m in enumerate(raw_members))
    if sum(m.weight for m in members) <= 0:
        raise _fail(source, "members[*].weight", "weights that are not all zero")
    for i, m in enumerate(members):
        try:
            make_params(None, **m.params)
        except ParameterError as exc:
            raise EnsembleError(f"{source}: members[{i}].params: {exc}") from None
    return Ensemble(tuple(names), members, provenance, source)


def load_ensemble(name_or_path: str | Path) -> Ensemble:
    """Read and check an ensemble file ('default' for the shipped one)."""
    from buurtsim.safe_io import parse_json, read_user_file

    path = resolve_ensemble_path(name_or_path)
    source = str(path)
    raw = read_user_file(path, what="ensemble file (JSON)", limit=MAX_ENSEMBLE_BYTES)
    try:
        data = parse_json(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _fail(source, "the file", "valid JSON (an ensemble written by buurtsim calibrate)", str(exc)) from None
    deep = too_deep(data, MAX_NESTING_DEPTH)
    if deep is not None:
        raise _fail(source, ".".join(map(str, deep)) or "the file", f"at most {MAX_NESTING_DEPTH} nested levels")
    return ensemble_from_data(data, source)


def ensemble_to_data(ensemble: Ensemble) -> dict[str, Any]:
    """The JSON-ready form of an ensemble (what `save_ensemble` writes)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "provenance": ensemble.provenance,
        "parameters": list(ensemble.parameters),
        "members": [
            {"params": m.params, "weight": m.weight, "seed": m.seed, "distance": m.distance, "targets": m.targets}
            for m in ensemble.members
        ],
    }


def write_atomic(path: str | Path, text: str) -> Path:
    """Write a text file atomically (a temporary file renamed into place), so a crash never leaves
    half a file where a good one was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an ensemble or checkpoint is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_ensemble(ensemble: Ensemble, path: str | Path) -> Path:
    """Write the ensemble atomically (see `write_atomic`)."""
    return write_atomic(path, json.dumps(ensemble_to_data(ensemble), indent=1, ensure_ascii=False) + "\n")


def provenance(method: Mapping[str, Any], seeds: Mapping[str, Any], targets_file: str | Path | None = None,
               **extra: Any) -> dict[str, Any]:
    """Provenance for a new ensemble: model version and code hash, targets hash, method, seeds."""
    from buurtsim.warmstart import code_hash

    return {"model_version": __version__, "model_code_hash": code_hash(), "targets_hash": targets_hash(targets_file),
            "method": dict(method), "seeds": dict(seeds), **extra}
