"""The results directory: manifest, one Parquet file per finished run, consolidated Parquet files.

Layout of OUT:
  manifest.json            experiment, scenarios, seeds, versions, times, per-run status
  runs/<run_id>.parquet    one finished run's metrics (written atomically as the run finishes)
  runs/<run_id>.residents.parquet   its residents' end state (optional)
  runs/<run_id>.cohort.npz the starting residents: reached, left, self-reliance at the end
                           (experiment.cohort; results of older versions lack it)
  timeseries.parquet       all finished runs, in canonical order (scenario, point, replication)
  final_residents.parquet  all residents' end states (optional)

Every file is written to a temporary name and renamed into place, so a crash never leaves a half
file. The consolidated files are rebuilt from the run files, streaming one run at a time, so memory
stays flat however many runs there are; the same finished runs always give the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from buurtsim.errors import UserError
from buurtsim.experiment.integrity import PRODUCER, file_sha256, own_manifest, readable_parquet, verify_file
from buurtsim.experiment.runner import RunResult, RunSpec
from buurtsim.experiment.spec import Experiment
from buurtsim.limits import shorten

MANIFEST = "manifest.json"
TIMESERIES = "timeseries.parquet"
RESIDENTS = "final_residents.parquet"
RUNS_DIR = "runs"
RUN_META_KEY = b"buurtsim.run"
OWN_FILES = (MANIFEST, TIMESERIES, RESIDENTS, "report.html", "sensitivity.json", "sensitivity.csv", "sensitivity.png", "sensitivity_samples.parquet")
FORMAT_VERSION = 2  # 2: the producer marker and SHA-256 checksums of every file
DEPENDENCIES = ("mesa", "numpy", "pandas", "pyarrow", "scipy", "networkx", "pydantic", "dask", "distributed", "SALib", "matplotlib")


def now() -> str:
    """Current UTC time, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def versions() -> dict[str, str]:
    """Python, platform, buurtsim and dependency versions, for provenance."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in ("buurtsim", *DEPENDENCIES):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it is renamed onto `target`."""
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(target: Path, data: Any) -> None:
    """Write JSON atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _table(df: pd.DataFrame, meta: dict[str, Any] | None = None) -> pa.Table:
    table = pa.Table.from_pandas(df, preserve_index=False)
    if meta is not None:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), RUN_META_KEY: json.dumps(meta).encode()})
    return table


def _strip_run_meta(schema: pa.Schema) -> pa.Schema:
    kept = {k: v for k, v in (schema.metadata or {}).items() if k != RUN_META_KEY}
    return schema.with_metadata(kept)


def load_manifest(out: str | Path) -> dict[str, Any]:
    """The manifest of a results directory; a UserError when it is missing or unreadable."""
    path = Path(out) / MANIFEST
    if not Path(out).is_dir():
        raise UserError(f"{out}: results directory not found (expected a directory written by `buurtsim experiment`)")
    if not path.is_file():
        raise UserError(f"{path}: no manifest.json here; expected a directory written by `buurtsim experiment` or `buurtsim run`")
    return own_manifest(path)


def resume_hint(out: str | Path, manifest: dict[str, Any]) -> str:
    """The command that finishes or repairs a results folder."""
    return f"buurtsim experiment {manifest.get('experiment', {}).get('file', 'EXPERIMENT')} --out {out} --resume"


def check_output_file(out: str | Path, manifest: dict[str, Any], name: str) -> None:
    """A UserError when a consolidated file (timeseries, residents) is damaged; for results written
    before checksums existed, the file is read in full instead (see `integrity_note`)."""
    path = Path(out) / name
    expected = manifest.get("files", {}).get(name)
    why = verify_file(path, expected) if expected is not None else readable_parquet(path)
    if why is not None:
        raise UserError(f"{path}: {why}; rebuild it (finished runs are kept, damaged ones run again) with: {resume_hint(out, manifest)}")


def integrity_note(out: str | Path, manifest: dict[str, Any]) -> str | None:
    """A note for results written before checksums were recorded, or None."""
    if manifest.get("files"):
        return None
    return (f"{out}: written by an older buurtsim without checksums, so damage to its files can only be found when they "
            f"cannot be read; to add checksums (nothing is rerun unless damaged): {resume_hint(out, manifest)}")


def timeseries_path(out: str | Path, manifest: dict[str, Any]) -> Path:
    """The consolidated metrics file, or a UserError saying why there is none and what to do."""
    path = Path(out) / TIMESERIES
    if path.is_file():
        check_output_file(out, manifest, TIMESERIES)
        return path
    stored = len(list((Path(out) / RUNS_DIR).glob("*__r*.parquet"))) if (Path(out) / RUNS_DIR).is_dir() else 0
    if stored:
        raise UserError(f"{out}: the experiment did not finish ({stored} runs stored in {RUNS_DIR}/); "
                        f"finish it with: {resume_hint(out, manifest)}")
    raise UserError(f"{path}: no results yet (no run has finished in this directory)")


def cohort_path(out: str | Path, run_id: str) -> Path:
    """Where a run's starting-resident record is stored (see `experiment.cohort`)."""
    return Path(out) / RUNS_DIR / f"{run_id}.cohort.npz"


class ResultStore:
    """Reads and writes one results directory."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / RUNS_DIR
        self.manifest: dict[str, Any] = {}
        self.damaged: list[tuple[str, str]] = []  # (run id, why) of done runs whose files failed the check

    # --- paths -------------------------------------------------------------------------------
    def run_file(self, run_id: str) -> Path:
        """Metrics file of one run."""
        return self.runs_dir / f"{run_id}.parquet"

    def residents_file(self, run_id: str) -> Path:
        """Residents' end-state file of one run."""
        return self.runs_dir / f"{run_id}.residents.parquet"

    def cohort_file(self, run_id: str) -> Path:
        """The starting residents' record of one run (see `experiment.cohort`)."""
        return cohort_path(self.out, run_id)

    # --- starting ------------------------------------------------------------------------------
    def _clear_own_files(self, manifest: dict[str, Any]) -> None:
        """Delete what the manifest records as buurtsim's: its run files and recorded outputs, nothing else."""
        recorded = set(manifest.get("files", {}))
        if not recorded:  # the first format recorded no outputs: only the consolidated files it always rebuilt
            recorded = {TIMESERIES, RESIDENTS}
        for name in OWN_FILES:
            if name in recorded and name != MANIFEST:
                (self.out / name).unlink(missing_ok=True)
        for run in manifest["runs"]:
            for path in (self.run_file(run["run_id"]), self.residents_file(run["run_id"]), self.cohort_file(run["run_id"])):
                path.unlink(missing_ok=True)
        for tmp in self.runs_dir.glob(".tmp-*") if self.runs_dir.is_dir() else ():
            tmp.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # only when empty: files buurtsim did not write stay
            self.runs_dir.rmdir()

    def prepare(self, exp: Experiment, runs: list[RunSpec], *, resume: bool, force: bool, backend: dict[str, Any]) -> list[RunSpec]:
        """Check the directory, write the starting manifest and return the runs still to do."""
        identity = exp.identity()
        existing: dict[str, Any] | None = None
        if self.out.exists() and not self.out.is_dir():
            raise UserError(f"{self.out}: exists and is not a directory")
        if (self.out / MANIFEST).exists():
            try:
                existing = own_manifest(self.out / MANIFEST)
            except UserError as exc:
                raise UserError(f"{exc}. buurtsim replaces only results it wrote itself, so it leaves this folder alone "
                                "(also with --force); choose another --out directory") from None
        if existing is not None:
            same = existing["experiment"].get("identity") == identity
            if not same and not force:
                other = shorten(existing["experiment"].get("name", "?"), 80)
                raise UserError(
                    f"{self.out}: holds the results of another experiment ('{other}', or the same file changed since); "
                    "choose another --out directory, or add --force to replace those results"
                )
            if same and not resume and not force:
                done = sum(1 for r in existing["runs"] if r.get("status") == "done")
                raise UserError(
                    f"{self.out}: already holds this experiment ({done} of {len(existing['runs'])} runs done); "
                    "add --resume to run only the missing runs, or --force to start over"
                )
            if force and not (same and resume):
                self._clear_own_files(existing)
                existing = None
        elif self.out.is_dir() and any(self.out.iterdir()):
            raise UserError(f"{self.out}: directory is not empty and holds no buurtsim results; buurtsim writes only into an "
                            "empty or new folder or its own results (--force does not change this); choose another --out directory")
        try:
            self.runs_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"--out {self.out}: cannot create the results folder ({exc.strerror or exc})") from None
        for tmp in self.runs_dir.glob(".tmp-*"):
            tmp.unlink(missing_ok=True)
        old_runs = {r["run_id"]: r for r in (existing or {}).get("runs", [])}
        entries = []
        for spec in runs:
            entry = {
                "run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point, "replication": spec.replication,
                "seed": spec.seed, "ticks": spec.ticks, "status": "pending", "duration_s": None, "cpu_s": None, "error": None,
                "funding_end": None, "timeline": [], "file": f"{RUNS_DIR}/{spec.run_id}.parquet",
            }
            if spec.member is not None:
                entry.update({"member": spec.member, "member_params": dict(spec.member_params)})
            old = old_runs.get(spec.run_id)
            recovered = self._recover(spec.run_id) if old is None or old.get("status") != "done" else self._verified(old, exp.table.final_residents)
            if recovered is not None and self.run_file(spec.run_id).is_file():
                if not exp.table.final_residents or self.residents_file(spec.run_id).is_file():
                    entry.update({k: recovered.get(k) for k in ("status", "duration_s", "cpu_s", "funding_end", "timeline", "finished", "sha256", "residents_sha256", "cohort_sha256")})
                    entry["status"] = "done"
            elif old is not None and old.get("status") == "failed":
                entry["previous_error"] = old.get("error")
            entries.append(entry)
        sessions = list((existing or {}).get("sessions", []))
        sessions.append({"started": now(), "finished": None, "backend": backend, "resumed": existing is not None})
        self.manifest = {
            "producer": PRODUCER,
            "format": FORMAT_VERSION,
            "experiment": self._experiment_info(exp, identity),
            "scenarios": [
                {"name": s.name, "file": str(s.path), "sha256": s.sha256, "digest": s.digest, "horizon": s.horizon, "ticks": exp.ticks_for(s),
                 "title": str(getattr(s.scenario, "title", "") or "")}
                for s in exp.scenarios
            ],
            "versions": versions(),
            "started": (existing or {}).get("started") or now(),
            "finished": None,
            "status": "running",
            "files": {},
            "sessions": sessions,
            "runs": entries,
        }
        self.save_manifest()
        finished = {e["run_id"] for e in entries if e["status"] == "done"}
        return [spec for spec in runs if spec.run_id not in finished]

    def _experiment_info(self, exp: Experiment, identity: str) -> dict[str, Any]:
        t = exp.table
        added: dict[str, Any] = {}  # keys of newer experiments only, so older manifests stay as they were
        if exp.worlds is not None:
            added["uncertainty"] = exp.uncertainty_info()
        if exp.worlds is not None or t.pairs:
            added["pairs"] = [list(p) for p in exp.pairs]
        if exp.spec.discovery is not None:
            added["discovery"] = exp.spec.discovery.model_dump(mode="json")
        return {
            "name": t.name, "title": t.title, "description": t.description, "file": str(exp.path), "sha256": exp.sha256,
            "identity": identity, "master_seed": t.master_seed, "replications": t.replications, "seeds": exp.seeds,
            "n_residents": t.n_residents, "ticks": t.ticks, "params": t.params, "outputs": exp.outputs,
            "ticks_of_interest": t.ticks_of_interest, "baseline": exp.baseline, "final_residents": t.final_residents,
            "sweep": exp.spec.sweep.model_dump(mode="json") if exp.spec.sweep else None, "points": exp.points,
            **added,
        }

    def _recover(self, run_id: str) -> dict[str, Any] | None:
        """Metadata of a run file that exists (e.g. written just before a crash), or None."""
        path = self.run_file(run_id)
        if not path.is_file():
            return None
        try:
            meta = pq.read_table(path).schema.metadata or {}  # read in full: a truncated file is not recovered
            info = json.loads(meta[RUN_META_KEY])
            if not isinstance(info, dict):
                return None
            return {**info, **self._checksums(run_id)}
        except (OSError, KeyError, ValueError, pa.ArrowException):
            return None

    def _checksums(self, run_id: str) -> dict[str, str | None]:
        residents, cohort = self.residents_file(run_id), self.cohort_file(run_id)
        return {"sha256": file_sha256(self.run_file(run_id)),
                "residents_sha256": file_sha256(residents) if residents.is_file() else None,
                "cohort_sha256": file_sha256(cohort) if cohort.is_file() else None}

    def _verified(self, old: dict[str, Any], residents: bool) -> dict[str, Any] | None:
        """A done run's entry when its files match their checksums (or, written before checksums, can be
        read in full); else None, so the run is done again, and the reason is kept in `damaged`."""
        run_id = old["run_id"]
        files = [(self.run_file(run_id), old.get("sha256"))]
        if residents:
            files.append((self.residents_file(run_id), old.get("residents_sha256")))
        if old.get("cohort_sha256"):  # results of older versions have none: the answer says how to re-run
            files.append((self.cohort_file(run_id), old["cohort_sha256"]))
        for path, expected in files:
            why = verify_file(path, expected)
            if why is None and expected is None and path.is_file():
                why = readable_parquet(path)
            if why is not None:
                self.damaged.append((run_id, f"{path.name}: {why}"))
                for own in (self.run_file(run_id), self.residents_file(run_id), self.cohort_file(run_id)):  # recorded as ours: never recovered later
                    own.unlink(missing_ok=True)
                return None
        return old if old.get("sha256") else {**old, **self._checksums(run_id)}

    # --- while running -------------------------------------------------------------------------
    def save_manifest(self) -> None:
        """Write the manifest atomically."""
        write_json(self.out / MANIFEST, self.manifest)

    def _entry(self, run_id: str) -> dict[str, Any]:
        for e in self.manifest["runs"]:
            if e["run_id"] == run_id:
                return e
        raise KeyError(run_id)

    def record(self, result: RunResult) -> None:
        """Store a finished run: its files first (atomically), then its manifest entry."""
        entry = self._entry(result.run_id)
        meta = {"status": result.status, "duration_s": round(result.duration_s, 3), "cpu_s": round(result.cpu_s, 3), "funding_end": result.funding_end,
                "timeline": [list(t) for t in result.timeline], "finished": now()}
        if result.status == "done" and result.timeseries is not None:
            try:
                if result.residents is not None:
                    with atomic_path(self.residents_file(result.run_id)) as tmp:
                        pq.write_table(_table(result.residents), tmp)
                if result.cohort is not None:
                    from buurtsim.experiment.cohort import save

                    with atomic_path(self.cohort_file(result.run_id)) as tmp, open(tmp, "wb") as fh:
                        save(result.cohort, fh)
                with atomic_path(self.run_file(result.run_id)) as tmp:
                    pq.write_table(_table(result.timeseries, meta), tmp)
                meta.update(self._checksums(result.run_id))
            except OSError as exc:
                meta["status"] = "failed"
                result.error = f"could not write the results: {exc}"
        entry.update(meta)
        entry["error"] = result.error
        self.save_manifest()

    def mark_running(self, run_ids: list[str]) -> None:
        """Mark runs as handed to a worker (kept in memory; written with the next manifest save)."""
        for rid in run_ids:
            self._entry(rid)["status"] = "running"

    def mark_unfinished(self, reason: str, error: str | None = None) -> None:
        """Runs not done become `reason` ('interrupted' or 'not_run'), with an optional error."""
        for e in self.manifest["runs"]:
            if e["status"] in ("pending", "running"):
                e["status"] = reason
                if error:
                    e["error"] = error

    # --- finishing -----------------------------------------------------------------------------
    def consolidate(self) -> None:
        """Rebuild timeseries.parquet (and final_residents.parquet) from the finished run files."""
        done = [e["run_id"] for e in self.manifest["runs"] if e["status"] == "done"]
        files = self.manifest.setdefault("files", {})
        targets = [(TIMESERIES, [self.run_file(r) for r in done])]
        if self.manifest["experiment"].get("final_residents"):
            targets.append((RESIDENTS, [self.residents_file(r) for r in done]))
        for name, sources in targets:
            self._concat(sources, self.out / name)
            if (self.out / name).is_file():
                files[name] = file_sha256(self.out / name)
            else:
                files.pop(name, None)

    def _concat(self, files: list[Path], target: Path) -> None:
        if not files:
            target.unlink(missing_ok=True)
            return
        schema = _strip_run_meta(pq.read_schema(files[0]))
        with atomic_path(target) as tmp, pq.ParquetWriter(tmp, schema) as writer:
            for f in files:
                table = pq.read_table(f)
                writer.write_table(table.replace_schema_metadata(schema.metadata).cast(schema))
                del table

    def finish(self, status: str) -> None:
        """Consolidate and write the final manifest with the overall status and end time."""
        self.consolidate()
        self.manifest["status"] = status
        self.manifest["finished"] = now()
        self.manifest["sessions"][-1]["finished"] = self.manifest["finished"]
        self.save_manifest()

    def counts(self) -> dict[str, int]:
        """Number of runs per status."""
        out: dict[str, int] = {}
        for e in self.manifest["runs"]:
            out[e["status"]] = out.get(e["status"], 0) + 1
        return out
