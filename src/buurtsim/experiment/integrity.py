"""Ownership and integrity of a results folder.

Ownership: buurtsim replaces or deletes only what it wrote and recorded in its own manifest. A
manifest is buurtsim's when it carries the marker (`"producer": "buurtsim"`), or has the exact
shape of the first format (written before the marker existed). Run files are named by run ids
that are checked to be plain file names, so a hand-edited manifest cannot point outside `runs/`.

Integrity: the SHA-256 of every file is recorded in the manifest when it is written. Resume, compare
and report check it; a damaged run is run again by `--resume`, a damaged consolidated file is
rebuilt by it. Results written before checksums existed still open, with a note.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from buurtsim.errors import UserError
from buurtsim.limits import MAX_FILE_BYTES, MAX_MOMENTS, shorten

PRODUCER = "buurtsim"
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: A manifest holds about 400 bytes per run; MAX_RUNS runs stay far below this.
MAX_MANIFEST_BYTES = 256 * MAX_FILE_BYTES


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (flat memory for any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def safe_run_id(run_id: Any) -> bool:
    """A run id that is a plain file name (no folders, no '..'), as buurtsim writes them."""
    return isinstance(run_id, str) and bool(_RUN_ID.match(run_id)) and ".." not in run_id


def shape_problem(data: Any) -> str | None:
    """What is wrong with the shape of a manifest, or None when it has buurtsim's shape."""
    if not isinstance(data, dict):
        return f"expected a JSON object, found {type(data).__name__}"
    exp = data.get("experiment")
    if not isinstance(exp, dict) or not isinstance(exp.get("name"), str):
        return "field 'experiment' is missing or not an object with a name"
    types = {"name": str, "title": str, "description": str, "baseline": str, "file": str, "replications": int, "master_seed": int}
    for key, kind in types.items():
        if key in exp and exp[key] is not None and not isinstance(exp[key], kind):
            return f"experiment.{key} should be {'a whole number' if kind is int else 'text'}"
    if (problem := _reading_problem(exp)) is not None:
        return problem
    runs = data.get("runs")
    if not isinstance(runs, list):
        return "field 'runs' is missing or not a list"
    for i, run in enumerate(runs):
        if not isinstance(run, dict) or not safe_run_id(run.get("run_id")) or not isinstance(run.get("status"), str):
            return f"runs[{i}] is not a run entry (run_id, status)"
        if run.get("sha256") is not None and not (isinstance(run["sha256"], str) and _HEX64.match(run["sha256"])):
            return f"runs[{i}].sha256 is not a checksum"
        if (problem := _run_problem(run)) is not None:
            return f"runs[{i}].{problem}"
    scenarios = data.get("scenarios")
    if not isinstance(scenarios, list) or not all(
        isinstance(s, dict) and isinstance(s.get("name"), str) and _whole(s.get("ticks", 0)) for s in scenarios
    ):
        return "field 'scenarios' is missing or not a list of scenarios (name, ticks)"
    if isinstance(exp.get("baseline"), str) and scenarios and exp["baseline"] not in {s["name"] for s in scenarios}:
        return "experiment.baseline is not one of the scenarios"
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        return "field 'files' is not an object of checksums"
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _reading_problem(exp: dict[str, Any]) -> str | None:
    """What is wrong with the experiment fields compare and report read (moments, outputs), or None."""
    from buurtsim.experiment.spec import parse_moment

    moments = exp.get("ticks_of_interest")
    if moments is not None:
        if not isinstance(moments, list) or not all(_whole(m) or isinstance(m, str) for m in moments):
            return "experiment.ticks_of_interest should be a list of week numbers and moments"
        if len(moments) > MAX_MOMENTS:
            return f"experiment.ticks_of_interest holds {len(moments):,} moments, more than {MAX_MOMENTS}"
        for m in moments:
            try:
                parse_moment(m)
            except ValueError:
                return f"experiment.ticks_of_interest holds {shorten(repr(m), 60)}, not a moment"
    outputs = exp.get("outputs")
    if outputs is not None and not (isinstance(outputs, list) and all(isinstance(o, str) for o in outputs)):
        return "experiment.outputs should be a list of outcome names"
    return None


def _run_problem(run: dict[str, Any]) -> str | None:
    """What is wrong with the fields of a run entry that reports read (weeks, funding end, policy
    timeline, error text), or None."""
    if "ticks" in run and not _whole(run["ticks"]):
        return "ticks should be a whole number"
    if run.get("funding_end") is not None and not _whole(run["funding_end"]):
        return "funding_end should be a whole number"
    if run.get("error") is not None and not isinstance(run["error"], str):
        return "error should be text"
    timeline = run.get("timeline")
    if timeline is not None and not (isinstance(timeline, list) and all(
        isinstance(t, list) and len(t) == 3 and _whole(t[0]) and _whole(t[1]) and isinstance(t[2], str) for t in timeline
    )):
        return "timeline should be a list of [start, end, name]"
    return None


def is_own(data: Any) -> bool:
    """True when a parsed manifest was written by buurtsim: the marker, or the first format's shape."""
    if shape_problem(data) is not None:
        return False
    if data.get("producer") == PRODUCER:
        return True
    identity = data["experiment"].get("identity")
    return data.get("format") == 1 and isinstance(identity, str) and bool(_HEX64.match(identity))


def read_manifest_file(path: Path) -> Any:
    """The parsed JSON of a manifest file; UserError when it is too large or not JSON."""
    from buurtsim.safe_io import FileRefused, parse_json, read_user_file

    try:
        raw = read_user_file(path, what="manifest", limit=MAX_MANIFEST_BYTES)
        return parse_json(raw.decode("utf-8"))
    except FileRefused as exc:
        raise UserError(f"{exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UserError(f"{shorten(str(path))}: unreadable manifest ({shorten(str(exc), 120)}); "
                        "this folder does not hold readable buurtsim results") from None


def own_manifest(path: Path) -> dict[str, Any]:
    """The manifest at `path` if buurtsim wrote it; else a UserError saying why it is not used."""
    data = read_manifest_file(path)
    problem = shape_problem(data)
    if problem is not None:
        raise UserError(f"{shorten(str(path))}: not a buurtsim manifest ({problem}); "
                        "the folder does not hold buurtsim results, or the manifest was damaged or edited")
    if not is_own(data):
        raise UserError(f"{shorten(str(path))}: not written by buurtsim (no buurtsim marker)")
    return data


def verify_file(path: Path, expected: str | None) -> str | None:
    """Why `path` does not match its recorded checksum (missing, unreadable, changed), or None if it does."""
    if not path.is_file():
        return "the file is missing"
    if expected is None:
        return None
    try:
        actual = file_sha256(path)
    except OSError as exc:
        return f"the file cannot be read ({exc.strerror or exc})"
    return None if actual == expected else "the file differs from the checksum recorded when it was written (damaged or changed)"


def readable_parquet(path: Path) -> str | None:
    """Why a Parquet file written before checksums existed cannot be read in full, or None."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_table(path)
    except (OSError, pa.ArrowException, ValueError) as exc:
        return f"the file cannot be read ({shorten(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 120)})"
    return None
