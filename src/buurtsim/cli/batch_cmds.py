"""Subcommands for batches: `run`, `experiment`, `compare`, `report`, `sensitivity` and `demo`.

Thin wrappers over `buurtsim.experiment`: they parse flags, show progress and tables with rich,
and turn user mistakes into a clear message (exit status 2, via `UserError`).
"""

from __future__ import annotations

import difflib
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from buurtsim.errors import UserError
from buurtsim.limits import MAX_RESIDENTS, MAX_SEED, MAX_TICKS, shorten

console = Console()
err_console = Console(stderr=True)

FLAGSHIP = "carrousel_vs_presentie"
SUMMARY_METRICS = (
    "population", "mean_self_reliance", "share_strong", "share_vulnerable", "share_sliding", "participation_rate",
    "trust_in_institutions", "dependency_share", "share_isolated", "active_initiatives", "cost_eur",
)

# --- shared options ------------------------------------------------------------------------------
BackendOpt = Annotated[str, typer.Option("--backend", "-b", help="Waar de runs draaien: serial, process (alle kernen) of dask. / Where runs execute: serial, process (all cores) or dask.")]
WorkersOpt = Annotated[str | None, typer.Option("--workers", "-w", metavar="N", help="Aantal gelijktijdige runs (standaard: alle kernen). / Parallel workers (default: all cores).")]
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", help="Adres van een bestaand dask-cluster, bv. tcp://host:8786 (alleen met --backend dask). / Address of an existing dask scheduler.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overschrijf resultaten van een ander experiment in de map. / Replace other results in the directory.")]


class RateColumn(ProgressColumn):
    """Runs per minute, from rich's recent-speed estimate."""

    def render(self, task: Task) -> Text:
        """The rate as text."""
        speed = task.finished_speed or task.speed
        return Text("-- runs/min" if not speed else f"{speed * 60:.1f} runs/min", style="cyan")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TextColumn("verstreken / elapsed"), TimeElapsedColumn(), TextColumn("nog / ETA"), TimeRemainingColumn(),
        console=console, transient=False,
    )


class ProgressListener:
    """Feeds run events into a rich progress bar and remembers failures."""

    def __init__(self, progress: Progress, label: str) -> None:
        self.progress = progress
        self.label = label
        self.task: Any = None
        self.failed: list[tuple[str, str]] = []

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        """Handle 'start' and 'run' events from the runner."""
        if event == "start":
            for run_id, why in info.get("damaged", []):
                self.progress.console.print(Text(f"Beschadigd / damaged: {run_id}: {why}; deze run wordt opnieuw gedaan / this run is done again", style="yellow"))
            if info.get("done"):
                self.progress.console.print(f"Hervatten / resuming: {info['done']} van {info['total']} runs al klaar / already done.")
            self.task = self.progress.add_task(self.label, total=info["total"], completed=info.get("done", 0))
        elif event == "run":
            result = info["result"]
            if result.status != "done":
                last = (result.error or "").strip().splitlines()[-1:] or ["?"]
                self.failed.append((result.run_id, last[0]))
                self.progress.console.print(Text.assemble(("Run mislukt / run failed: ", "red"), f"{result.run_id}: {shorten(last[0])}"))
            self.progress.update(self.task, advance=1)


def plain_table(title: str, headers: list[str], cells: list[list[str]]) -> Table:
    """A rich table whose cells are shown literally (a label such as 'basis [p0]' is not markup)."""
    table = Table(title=title)
    for h in headers:
        table.add_column(Text(h), justify="left" if h in ("scenario", "metric") or h.startswith("moment") else "right")
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    return table


def whole_number(flag: str, value: str | None, low: int, high: int | None = None) -> int | None:
    """A numeric flag as an int in [low, high], or a UserError naming the flag (exit 2)."""
    if value is None:
        return None
    expected = f"a whole number of at least {low}" if high is None else f"a whole number from {low} to {high:,}"
    try:
        number = int(value) if len(value) <= 40 else None
    except ValueError:
        number = None
    if number is None:
        raise UserError(f"{flag}: expected {expected}; given: {shorten(repr(value), 60)}")
    if number < low or (high is not None and number > high):
        raise UserError(f"{flag}: expected {expected}; given: {number}")
    return number


def _resolve_experiment_file(value: str) -> Path:
    path = Path(value)
    if path.is_file() or (path.exists() and not path.is_dir()):  # a pipe or device: the loader says why not
        return path
    from buurtsim.scenario import shipped_experiments

    shipped = shipped_experiments()
    if value in shipped:
        return Path(shipped[value])
    hint = difflib.get_close_matches(value, list(shipped), n=3, cutoff=0.5)
    raise UserError(
        f"{value}: experiment file not found; expected a path to a .toml file or a shipped experiment name ({', '.join(shipped) or 'none found'})"
        + (f" (did you mean: {', '.join(hint)}?)" if hint else "")
    )


def _load(value: str) -> Any:
    from buurtsim.experiment import load_experiment

    return load_experiment(_resolve_experiment_file(value))


def _at_values(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def _run_batch(exp: Any, out: Path, *, backend: str, workers: int | None, scheduler: str | None, resume: bool, force: bool) -> dict[str, Any]:
    """Run with a progress bar; Ctrl-C keeps what finished and says how to resume."""
    from buurtsim.experiment import run_experiment
    from buurtsim.experiment.batch import StorageError

    def stop(signum: int, frame: Any) -> None:  # a SIGTERM ends the batch like Ctrl-C: keep what finished
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    with _progress() as progress:
        listener = ProgressListener(progress, exp.name)
        try:
            manifest = run_experiment(exp, out, backend=backend, workers=workers, scheduler=scheduler, resume=resume, force=force, listener=listener)
        except StorageError as exc:
            progress.stop()
            err_console.print(Text(f"Gestopt / stopped: {exc}", style="red"))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            progress.stop()
            err_console.print(Text(f"Afgebroken / interrupted. Afgeronde runs staan in / finished runs are kept in {out}; "
                                   f"ga verder met / continue with: buurtsim experiment {exp.path} --out {out} --resume"))
            raise typer.Exit(130) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
    return manifest


def _holds(out: Path, exp: Any) -> bool | None:
    """True when `out` holds buurtsim's results of this experiment, False for another experiment's,
    None when there is no (readable, own) manifest; the store refuses folders it does not own."""
    from buurtsim.experiment.integrity import is_own, read_manifest_file
    from buurtsim.experiment.store import MANIFEST

    try:
        data = read_manifest_file(out / MANIFEST) if (out / MANIFEST).is_file() else None
    except UserError:
        return None
    if not is_own(data):
        return None
    return bool(data["experiment"].get("identity") == exp.identity())


def _integrity_note(results_dir: Path) -> None:
    """Say (on stderr) when results carry no checksums, so damage cannot be detected."""
    from buurtsim.experiment.store import integrity_note, load_manifest

    note = integrity_note(results_dir, load_manifest(results_dir))
    if note:
        err_console.print(Text(f"Opmerking / note: {note}", style="dim"))


def _report_counts(manifest: dict[str, Any], out: Path) -> int:
    counts: dict[str, int] = {}
    for r in manifest["runs"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    console.print(Text.assemble("Status: ", (str(manifest["status"]), "bold"), f" ({', '.join(f'{k}: {v}' for k, v in counts.items())}); resultaten / results: {out}"))
    failed = [r for r in manifest["runs"] if r["status"] == "failed"]
    for r in failed[:10]:
        last = (r.get("error") or "").strip().splitlines()[-1:] or ["?"]
        err_console.print(Text.assemble(("mislukt / failed ", "red"), f"{r['run_id']}: {shorten(last[0])}"))
    if failed:
        err_console.print(Text(f"{len(failed)} run(s) mislukt; details in {out / 'manifest.json'}; opnieuw proberen / retry: --resume"))
        return 1
    return 0


# --- run ------------------------------------------------------------------------------------------
def run_cmd(
    scenario: Annotated[str, typer.Argument(help="Scenarionaam (zie `buurtsim list`) of pad naar een scenariobestand. / Scenario name or file.")],
    seed: Annotated[str | None, typer.Option("--seed", metavar="N", help="Toevalszaad (standaard: dat van het scenario). / Random seed (default: the scenario's).")] = None,
    ticks: Annotated[str | None, typer.Option("--ticks", metavar="WEEKS", help="Aantal weken (standaard: de horizon van het scenario). / Weeks to simulate.")] = None,
    n_residents: Annotated[str | None, typer.Option("--n-residents", "-n", metavar="N", help="Aantal bewoners (standaard: uit het scenario). / Number of residents.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Map voor de resultaten (standaard out/run-<scenario>-<seed>). / Results directory.")] = None,
    force: ForceOpt = False,
) -> None:
    """Eén run van een scenario: uitkomsten naar Parquet en een samenvatting op het scherm. / One run of a scenario."""
    import pandas as pd

    from buurtsim.experiment import run_experiment, single_run_experiment
    from buurtsim.experiment.store import TIMESERIES
    from buurtsim.metrics import label

    seed_n = whole_number("--seed", seed, 0, MAX_SEED)  # checked before any folder is made
    ticks_n = whole_number("--ticks", ticks, 1, MAX_TICKS)
    n_n = whole_number("--n-residents", n_residents, 10, MAX_RESIDENTS)
    exp = single_run_experiment(scenario, seed=seed_n, ticks=ticks_n, n_residents=n_n)
    run_seed = exp.seeds[0]
    out = out or Path("out") / f"run-{exp.name}-{run_seed}"
    same = _holds(out, exp) is True
    with console.status(Text(f"{exp.name}: {exp.ticks_for(exp.scenarios[0])} weken / weeks, seed {run_seed} ...")):
        manifest = run_experiment(exp, out, backend="serial", force=force or same)
    if manifest["status"] != "complete":
        sys.exit(_report_counts(manifest, out))
    df = pd.read_parquet(out / TIMESERIES)
    first, last = df.iloc[0], df.iloc[-1]
    table = Table(title=Text(f"{exp.name} (seed {run_seed}): week 0 -> week {int(last['tick'])}"))
    for col in ("uitkomst / outcome", "week 0", f"week {int(last['tick'])}", "verschil / change"):
        table.add_column(col, justify="left" if col.startswith("uitkomst") else "right")
    for m in SUMMARY_METRICS:
        if m in df.columns:
            a, b = float(first[m]), float(last[m])
            fmt = "{:,.0f}" if max(abs(a), abs(b)) >= 100 else "{:.3f}"
            table.add_row(label(m, "nl"), fmt.format(a), fmt.format(b), ("+" if b - a >= 0 else "") + fmt.format(b - a))
    console.print(table)
    console.print(Text(f"Uitkomsten per week / metrics per week: {out / TIMESERIES}  (duur / took {manifest['runs'][0]['duration_s']:.1f} s)"))


# --- experiment -----------------------------------------------------------------------------------
def experiment_cmd(
    experiment: Annotated[str, typer.Argument(help="Experimentbestand (.toml) of de naam van een meegeleverd experiment. / Experiment file or shipped name.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Map voor de resultaten (standaard out/<naam>). / Results directory (default out/<name>).")] = None,
    backend: BackendOpt = "process",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Draai alleen de runs die nog ontbreken. / Run only the missing runs.")] = False,
    force: ForceOpt = False,
) -> None:
    """Draai alle runs van een experiment (scenario's x replicaties) met voortgangsbalk. / Run a batch experiment."""
    from buurtsim.experiment.backends import check_backend

    n_workers = whole_number("--workers", workers, 1)
    check_backend(backend, n_workers, scheduler)
    exp = _load(experiment)
    out = out or Path("out") / exp.name
    manifest = _run_batch(exp, out, backend=backend, workers=n_workers, scheduler=scheduler, resume=resume, force=force)
    code = _report_counts(manifest, out)
    console.print(Text(f"Verder / next: buurtsim compare {out}   |   buurtsim report {out}"))
    if code:
        sys.exit(code)


# --- compare --------------------------------------------------------------------------------------
def compare_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Map met resultaten van `buurtsim experiment`. / Results directory.")],
    baseline: Annotated[str | None, typer.Option("--baseline", help="Scenario om mee te vergelijken (standaard: uit het experiment). / Baseline scenario.")] = None,
    at: Annotated[list[str] | None, typer.Option("--at", help="Moment(en): weeknummer, 'end', 'end_of_funding', 'end_of_funding+2y'; herhaal of scheid met komma's. / Moments (repeat or comma-separate).")] = None,
    metric: Annotated[list[str] | None, typer.Option("--metric", "-m", help="Uitkomst(en) om te tonen (standaard: alle opgeslagen). / Metrics to show (default: all stored).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Uitvoer: table, md, csv of json. / Output format.")] = "table",
) -> None:
    """Vergelijk scenario's: gemiddelde en 95%-interval, gepaard verschil met de basislijn, effectgrootte, duurzaamheid, kosten. / Compare scenarios."""
    from buurtsim.experiment.compare import (
        EXPLANATION,
        HEADLINE_METRICS,
        compare_results,
        display_rows,
        display_summary,
        to_csv,
        to_json,
        to_markdown,
    )
    from buurtsim.experiment.store import load_manifest

    if fmt not in ("table", "md", "csv", "json"):
        raise UserError(f"--format: expected one of table, md, csv, json; given: {fmt!r}")
    _integrity_note(results_dir)
    metrics = _at_values(metric)
    note = None
    if metrics is None and fmt in ("table", "md"):  # on screen: the headline outcomes; csv/json hold all
        stored = set(load_manifest(results_dir)["experiment"].get("outputs") or [])
        metrics = [m for m in HEADLINE_METRICS if m in stored] or None
        note = f"Getoond / shown: {', '.join(metrics or [])}; kies met / choose with --metric (csv en json bevatten alle uitkomsten / hold all)."
    comp = compare_results(results_dir, baseline=baseline, at=_at_values(at), metrics=metrics)
    if fmt == "md":
        sys.stdout.write(to_markdown(comp) + (f"\n{note}\n" if note else ""))
        return
    if fmt == "csv":
        sys.stdout.write(to_csv(comp))
        return
    if fmt == "json":
        sys.stdout.write(to_json(comp) + "\n")
        return
    for title, (headers, cells) in (("Vergelijking / comparison", display_rows(comp)), ("Duurzaamheid en kosten / durability and cost", display_summary(comp))):
        if cells:
            console.print(plain_table(title, headers, cells))
    console.print(Text(EXPLANATION, style="dim"))
    for line in comp.notes:
        console.print(Text(f"- {line}", style="dim"))
    if note:
        console.print(note, style="dim")


# --- report ---------------------------------------------------------------------------------------
def report_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Map met resultaten van `buurtsim experiment`. / Results directory.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML-bestand (standaard <map>/report.html). / HTML file (default <dir>/report.html).")] = None,
) -> None:
    """Schrijf één zelfstandig HTML-rapport (grafieken ingebed). / Write one self-contained HTML report."""
    from buurtsim.experiment import build_report

    _integrity_note(results_dir)
    with console.status("Rapport maken / building the report ..."):
        path = build_report(results_dir, out)
    console.print(Text(f"Rapport / report: {path}"))


# --- sensitivity ----------------------------------------------------------------------------------
def sensitivity_cmd(
    experiment: Annotated[str, typer.Argument(help="Experimentbestand met een [sensitivity]-tabel. / Experiment file with a [sensitivity] table.")],
    method: Annotated[str | None, typer.Option("--method", help="morris (standaard: screening) of sobol (variantie, duurder). / morris (default) or sobol.")] = None,
    samples: Annotated[str | None, typer.Option("--samples", metavar="N", help="Morris: trajecten; Sobol: basissteekproef (standaard: uit het bestand). / Trajectories or base sample.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Map voor de uitkomsten (standaard out/<naam>-gevoeligheid). / Output directory.")] = None,
    backend: BackendOpt = "process",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    force: ForceOpt = False,
) -> None:
    """Globale gevoeligheidsanalyse (SALib) over de parameterbereiken in het experimentbestand. / Global sensitivity analysis."""
    from buurtsim.experiment.backends import check_backend
    from buurtsim.experiment.sensitivity import SensitivityFailed, run_sensitivity

    n_workers = whole_number("--workers", workers, 1)
    n_samples = whole_number("--samples", samples, 2)
    check_backend(backend, n_workers, scheduler)
    if method is not None and method not in ("morris", "sobol"):
        raise UserError(f"--method: expected morris or sobol; given: {method!r}")
    exp = _load(experiment)
    out = out or Path("out") / f"{exp.name}-gevoeligheid"
    with _progress() as progress:
        listener = ProgressListener(progress, f"{exp.name} (gevoeligheid)")
        try:
            res = run_sensitivity(exp, out, method=method, samples=n_samples, backend=backend, workers=n_workers, scheduler=scheduler, force=force, listener=listener)
        except SensitivityFailed as exc:
            progress.stop()
            err_console.print(Text.assemble(("Mislukt / failed: ", "red"), shorten(str(exc), 2000)))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            progress.stop()
            err_console.print("Afgebroken / interrupted (een gevoeligheidsanalyse wordt niet hervat / not resumable).")
            raise typer.Exit(130) from None
    table = Table(title=f"Gevoeligheid / sensitivity ({res.method}) van / of {res.output}")
    table.add_column("parameter")
    for col in res.indices.columns:
        table.add_column(col, justify="right")
    for name, row in res.indices.iterrows():
        table.add_row(str(name), *(f"{v:.4g}" for v in row))
    console.print(table)
    console.print(Text(f"Bestanden / files: {', '.join(str(p) for p in res.files.values())}"))


# --- demo -----------------------------------------------------------------------------------------
def demo_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Map voor de resultaten. / Results directory.")] = Path("out/demo"),
    workers: WorkersOpt = None,
    backend: BackendOpt = "process",
) -> None:
    """Het vlaggenschip-experiment (carrousel vs. presentie) plus rapport; gaat verder waar het bleef. / The flagship experiment and its report."""
    from buurtsim.experiment import build_report
    from buurtsim.experiment.backends import check_backend
    from buurtsim.experiment.compare import compare_results, display_summary
    from buurtsim.experiment.store import MANIFEST
    from buurtsim.scenario import shipped_experiments

    n_workers = whole_number("--workers", workers, 1)
    check_backend(backend, n_workers, None)
    shipped = shipped_experiments()
    if FLAGSHIP not in shipped:
        raise UserError(f"experiments/{FLAGSHIP}.toml not found; run the demo from the buurtsim repository")
    exp = _load(str(shipped[FLAGSHIP]))
    other = _holds(out, exp) is False
    if not (out / MANIFEST).exists() and out.is_dir() and any(out.iterdir()):
        raise UserError(f"{out}: directory is not empty and holds no buurtsim results; choose another --out")
    console.print(Text.assemble((exp.table.title or exp.name, "bold"), f": {len(exp.scenarios)} scenario's x {exp.table.replications} replicaties -> {out}"))
    manifest = _run_batch(exp, out, backend=backend, workers=n_workers, scheduler=None, resume=True, force=other)
    code = _report_counts(manifest, out)
    with console.status("Rapport maken / building the report ..."):
        path = build_report(out)
    comp = compare_results(out, metrics=["mean_self_reliance"])
    headers, cells = display_summary(comp)
    if cells:
        console.print(plain_table("Duurzaamheid en kosten / durability and cost (mean self-reliance)", headers, cells))
    console.print(Text.assemble(("Rapport / report: ", "bold green"), str(path.resolve())))
    if code:
        sys.exit(code)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("run", help="Eén run van een scenario; uitkomsten naar Parquet. / One run of a scenario; metrics to Parquet.")(run_cmd)
    app.command("experiment", help="Draai een batch-experiment (replicaties, parallel, hervatbaar). / Run a batch experiment.")(experiment_cmd)
    app.command("compare", help="Vergelijk scenario's met onzekerheid. / Compare scenarios with uncertainty.")(compare_cmd)
    app.command("report", help="Schrijf een zelfstandig HTML-rapport. / Write a self-contained HTML report.")(report_cmd)
    app.command("sensitivity", help="Gevoeligheidsanalyse met SALib (Morris of Sobol). / Sensitivity analysis with SALib.")(sensitivity_cmd)
    app.command("demo", help="Vlaggenschip-experiment plus rapport (voor `make demo`). / Flagship experiment and report.")(demo_cmd)
