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
from rich.padding import Padding
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
from rich.text import Text

from buurtsim.cli.options import LangOpt
from buurtsim.cli.tables import print_table
from buurtsim.errors import UserError
from buurtsim.formatting import pick
from buurtsim.limits import MAX_RESIDENTS, MAX_SEED, MAX_TICKS, shorten
from buurtsim.safe_io import check_output_file

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
PricesOpt = Annotated[Path | None, typer.Option("--prices", metavar="FILE", help="Eigen prijstabel (TOML) voor het maatschappelijk rendement; zie `buurtsim prices`. / Own price table for the social return.")]
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", metavar="FILE", help="Schrijf ook een Excel-werkmap (samenvatting, robuustheid bij plausibele werelden, runs, parameters, herkomst). / Also write an Excel workbook.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overschrijf resultaten van een ander experiment in de map. / Replace other results in the directory.")]


class RateColumn(ProgressColumn):
    """Runs per minute, from rich's recent-speed estimate."""

    def render(self, task: Task) -> Text:
        """The rate as text."""
        speed = task.finished_speed or task.speed
        return Text("-- runs/min" if not speed else f"{speed * 60:.1f} runs/min", style="cyan")


def _progress(lang: str = "nl") -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TextColumn(pick(lang, "verstreken", "elapsed")), TimeElapsedColumn(), TextColumn(pick(lang, "nog", "ETA")), TimeRemainingColumn(),
        console=console, transient=False,
    )


class ProgressListener:
    """Feeds run events into a rich progress bar and remembers failures."""

    def __init__(self, progress: Progress, label: str, lang: str = "nl") -> None:
        self.progress = progress
        self.lang = lang
        self.label = label
        self.task: Any = None
        self.failed: list[tuple[str, str]] = []

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        """Handle 'start' and 'run' events from the runner."""
        if event == "start":
            for run_id, why in info.get("damaged", []):
                self.progress.console.print(Text(pick(self.lang, f"Beschadigd: {run_id}: {why}; deze run wordt opnieuw gedaan",
                                                      f"Damaged: {run_id}: {why}; this run is done again"), style="yellow"))
            if info.get("done"):
                self.progress.console.print(pick(self.lang, f"Hervatten: {info['done']} van {info['total']} runs al klaar.", f"Resuming: {info['done']} of {info['total']} runs already done."))
            self.task = self.progress.add_task(self.label, total=info["total"], completed=info.get("done", 0))
        elif event == "run":
            result = info["result"]
            if result.status != "done":
                last = (result.error or "").strip().splitlines()[-1:] or ["?"]
                self.failed.append((result.run_id, last[0]))
                self.progress.console.print(Text.assemble((pick(self.lang, "Run mislukt: ", "Run failed: "), "red"), f"{result.run_id}: {shorten(last[0])}"))
            self.progress.update(self.task, advance=1)


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


def _run_batch(exp: Any, out: Path, *, backend: str, workers: int | None, scheduler: str | None, resume: bool, force: bool,
               lang: str = "nl") -> dict[str, Any]:
    """Run with a progress bar; Ctrl-C keeps what finished and says how to resume."""
    from buurtsim.experiment import run_experiment
    from buurtsim.experiment.batch import StorageError

    def stop(signum: int, frame: Any) -> None:  # a SIGTERM ends the batch like Ctrl-C: keep what finished
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    with _progress(lang) as progress:
        listener = ProgressListener(progress, exp.name, lang)
        try:
            manifest = run_experiment(exp, out, backend=backend, workers=workers, scheduler=scheduler, resume=resume, force=force, listener=listener)
        except StorageError as exc:
            progress.stop()
            err_console.print(Text(pick(lang, f"Gestopt: {exc}", f"Stopped: {exc}"), style="red"))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            progress.stop()
            err_console.print(Text(pick(lang, f"Afgebroken. Afgeronde runs staan in {out}; ga verder met: buurtsim experiment {exp.path} --out {out} --resume",
                                      f"Interrupted. Finished runs are kept in {out}; continue with: buurtsim experiment {exp.path} --out {out} --resume")))
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
    if not is_own(data) or not isinstance(data, dict):
        return None
    return bool(data["experiment"].get("identity") == exp.identity())


def _integrity_note(results_dir: Path, lang: str = "nl") -> None:
    """Say (on stderr) when results carry no checksums, so damage cannot be detected."""
    from buurtsim.experiment.store import integrity_note, load_manifest

    note = integrity_note(results_dir, load_manifest(results_dir))
    if note:
        err_console.print(Text(f"{pick(lang, 'Opmerking', 'Note')}: {note}", style="dim"))


def _report_counts(manifest: dict[str, Any], out: Path, lang: str = "nl") -> int:
    counts: dict[str, int] = {}
    for r in manifest["runs"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    console.print(Text.assemble("Status: ", (str(manifest["status"]), "bold"),
                                f" ({', '.join(f'{k}: {v}' for k, v in counts.items())}); {pick(lang, 'resultaten', 'results')}: {out}"))
    failed = [r for r in manifest["runs"] if r["status"] == "failed"]
    for r in failed[:10]:
        last = (r.get("error") or "").strip().splitlines()[-1:] or ["?"]
        err_console.print(Text.assemble((pick(lang, "mislukt ", "failed "), "red"), f"{r['run_id']}: {shorten(last[0])}"))
    if failed:
        err_console.print(Text(pick(lang, f"{len(failed)} run(s) mislukt; details in {out / 'manifest.json'}; opnieuw proberen: --resume",
                                  f"{len(failed)} run(s) failed; details in {out / 'manifest.json'}; retry: --resume")))
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
    lang: LangOpt = "nl",
) -> None:
    """Eén run van een scenario: uitkomsten naar Parquet en een samenvatting op het scherm. / One run of a scenario."""
    import pandas as pd

    from buurtsim.formatting import check_lang, metric_unit, metric_value, number

    check_lang(lang)
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
    with console.status(Text(f"{exp.name}: {exp.ticks_for(exp.scenarios[0])} {pick(lang, 'weken', 'weeks')}, seed {run_seed} ...")):
        manifest = run_experiment(exp, out, backend="serial", force=force or same)
    if manifest["status"] != "complete":
        sys.exit(_report_counts(manifest, out, lang))
    df = pd.read_parquet(out / TIMESERIES)
    first, last = df.iloc[0], df.iloc[-1]
    headers = [pick(lang, "uitkomst", "outcome"), "week 0", f"week {int(last['tick'])}", pick(lang, "verschil", "change")]
    cells = [[f"{label(m, lang)} ({metric_unit(m, lang)})", metric_value(m, first[m], lang), metric_value(m, last[m], lang),
              metric_value(m, float(last[m]) - float(first[m]), lang, sign=True)] for m in SUMMARY_METRICS if m in df.columns]
    print_table(console, f"{exp.name} (seed {run_seed}): week 0 -> week {int(last['tick'])}", headers, cells, keys=1)
    console.print(Text(pick(lang, f"Uitkomsten per week: {out / TIMESERIES}  (duur {number(manifest['runs'][0]['duration_s'], lang, 1)} s)",
                       f"Metrics per week: {out / TIMESERIES}  (took {number(manifest['runs'][0]['duration_s'], lang, 1)} s)")))


# --- experiment -----------------------------------------------------------------------------------
def experiment_cmd(
    experiment: Annotated[str, typer.Argument(help="Experimentbestand (.toml) of de naam van een meegeleverd experiment. / Experiment file or shipped name.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Map voor de resultaten (standaard out/<naam>). / Results directory (default out/<name>).")] = None,
    backend: BackendOpt = "process",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Draai alleen de runs die nog ontbreken. / Run only the missing runs.")] = False,
    force: ForceOpt = False,
    lang: LangOpt = "nl",
) -> None:
    """Draai alle runs van een experiment (scenario's x replicaties) met voortgangsbalk. / Run a batch experiment."""
    from buurtsim.experiment.backends import check_backend
    from buurtsim.formatting import check_lang

    check_lang(lang)
    n_workers = whole_number("--workers", workers, 1)
    check_backend(backend, n_workers, scheduler)
    exp = _load(experiment)
    out = out or Path("out") / exp.name
    manifest = _run_batch(exp, out, backend=backend, workers=n_workers, scheduler=scheduler, resume=resume, force=force, lang=lang)
    code = _report_counts(manifest, out, lang)
    console.print(Text(f"{pick(lang, 'Verder', 'Next')}: buurtsim compare {out}   |   buurtsim report {out}"))
    if code:
        sys.exit(code)


# --- compare --------------------------------------------------------------------------------------
def print_answer(results_dir: Path, *, baseline: str | None, lang: str, prices: Path | None) -> None:
    """The answer (and the social return) per scenario in plain sentences, before any table."""
    from buurtsim.experiment.answer import summarise

    console.print(Text(pick(lang, "Het antwoord", "The answer"), style="bold"))
    backdrop, found = summarise(results_dir, baseline=baseline, lang=lang, prices=prices)
    if backdrop:
        console.print(Text(backdrop, style="dim"))
    for scenario, answer, social in found:
        console.print(Text(scenario, style="bold cyan"))
        for line in answer:
            console.print(Padding(Text(line), (0, 0, 0, 2), expand=False))
        if social:
            console.print(Padding(Text(pick(lang, "Maatschappelijk rendement: ", "Social return: ") + " ".join(social)), (0, 0, 0, 2), expand=False))
    console.print()


def print_robustness(comp: Any, lang: str) -> None:
    """Per scenario pair and outcome: in how many plausible worlds A beats B, with the interval."""
    from buurtsim.experiment import robustness

    console.print(Text(pick(lang, "Robuustheid over plausibele werelden", "Robustness over plausible worlds"), style="bold"))
    console.print(Text(robustness.worlds_note(comp.worlds, lang), style="dim"))
    for v in comp.robustness:
        console.print(Padding(Text(robustness.sentence(v, lang)), (0, 0, 0, 2), expand=False))
    console.print(Text(robustness.explanation(lang), style="dim"))
    console.print()


def compare_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Map met resultaten van `buurtsim experiment`. / Results directory.")],
    baseline: Annotated[str | None, typer.Option("--baseline", help="Scenario om mee te vergelijken (standaard: uit het experiment). / Baseline scenario.")] = None,
    at: Annotated[list[str] | None, typer.Option("--at", help="Moment(en): weeknummer, 'end', 'end_of_funding', 'end_of_funding+2y'; herhaal of scheid met komma's. / Moments (repeat or comma-separate).")] = None,
    metric: Annotated[list[str] | None, typer.Option("--metric", "-m", help="Uitkomst(en) om te tonen (standaard: alle opgeslagen). / Metrics to show (default: all stored).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|md|csv|json", help="Uitvoer: table, md, csv of json. / Output format.")] = "table",
    lang: LangOpt = "nl",
    prices: PricesOpt = None,
    xlsx: XlsxOpt = None,
) -> None:
    """Vergelijk scenario's: eerst het antwoord in bewoners, jaren en euro's, dan de tabellen. / Compare scenarios: the answer first, then the tables."""
    from buurtsim.experiment.compare import (
        HEADLINE_METRICS,
        compare_results,
        display_rows,
        display_summary,
        explanation,
        to_csv,
        to_json,
        to_markdown,
    )
    from buurtsim.experiment.store import load_manifest
    from buurtsim.formatting import check_lang

    check_lang(lang)
    if fmt not in ("table", "md", "csv", "json"):
        raise UserError(f"--format: expected one of table, md, csv, json; given: {fmt!r}")
    _integrity_note(results_dir, lang)
    metrics = _at_values(metric)
    note = None
    if metrics is None and fmt in ("table", "md"):  # on screen: the headline outcomes; csv/json hold all
        stored = set(load_manifest(results_dir)["experiment"].get("outputs") or [])
        metrics = [m for m in HEADLINE_METRICS if m in stored] or None
        note = pick(lang, f"Getoond: {', '.join(metrics or [])}; kies met --metric (csv en json bevatten alle uitkomsten).",
                    f"Shown: {', '.join(metrics or [])}; choose with --metric (csv and json hold all outcomes).")
    comp = compare_results(results_dir, baseline=baseline, at=_at_values(at), metrics=metrics)
    if xlsx is not None:
        from buurtsim.experiment.workbook import write_workbook

        write_workbook(results_dir, xlsx, lang=lang, prices=prices)
        err_console.print(pick(lang, f"Werkmap: {xlsx}", f"Workbook: {xlsx}"))
    if fmt == "md":
        from buurtsim.experiment.answer import summarise

        answer = ["## " + pick(lang, "Het antwoord", "The answer"), ""]
        backdrop, found = summarise(results_dir, baseline=baseline, lang=lang, prices=prices)
        answer += [backdrop, ""] if backdrop else []
        for scenario, lines, social in found:
            answer += [f"### {scenario}", "", *lines, "", *social, ""]
        sys.stdout.write("\n".join(answer) + "\n" + to_markdown(comp, lang) + (f"\n{note}\n" if note else ""))
        return
    if fmt == "csv":
        sys.stdout.write(to_csv(comp))
        return
    if fmt == "json":
        sys.stdout.write(to_json(comp) + "\n")
        return
    print_answer(results_dir, baseline=baseline, lang=lang, prices=prices)
    if comp.robustness:
        print_robustness(comp, lang)
    for title, (headers, cells) in ((pick(lang, "Bijlage: vergelijking per uitkomst", "Appendix: comparison per outcome"), display_rows(comp, lang)),
                                    (pick(lang, "Duurzaamheid en kosten", "Durability and cost"), display_summary(comp, lang))):
        if cells:
            print_table(console, title, headers, cells, keys=3 if headers[2].startswith("moment") else 1)
    console.print(Text(explanation(lang), style="dim"))
    for line in comp.notes:
        console.print(Text(f"- {line}", style="dim"))
    if note:
        console.print(Text(note, style="dim"))


# --- report ---------------------------------------------------------------------------------------
def report_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Map met resultaten van `buurtsim experiment`. / Results directory.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="HTML-bestand (standaard <map>/report.html). / HTML file (default <dir>/report.html).")] = None,
    lang: LangOpt = "nl",
    prices: PricesOpt = None,
    xlsx: XlsxOpt = None,
) -> None:
    """Schrijf één zelfstandig HTML-rapport: eerst het antwoord, dan het maatschappelijk rendement, dan de bijlage. / Write one self-contained HTML report."""
    from buurtsim.experiment import build_report
    from buurtsim.formatting import check_lang

    check_lang(lang)
    _integrity_note(results_dir, lang)
    with console.status(pick(lang, "Rapport maken ...", "Building the report ...")):
        path = build_report(results_dir, out, lang=lang, prices=prices)
    console.print(pick(lang, f"Rapport: {path}", f"Report: {path}"))
    if xlsx is not None:
        from buurtsim.experiment.workbook import write_workbook

        book = write_workbook(results_dir, xlsx, lang=lang, prices=prices)
        console.print(pick(lang, f"Werkmap: {book}", f"Workbook: {book}"))


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
    lang: LangOpt = "nl",
) -> None:
    """Globale gevoeligheidsanalyse (SALib) over de parameterbereiken in het experimentbestand. / Global sensitivity analysis."""
    from buurtsim.experiment.backends import check_backend
    from buurtsim.experiment.sensitivity import SensitivityFailed, run_sensitivity
    from buurtsim.formatting import check_lang, number

    check_lang(lang)
    n_workers = whole_number("--workers", workers, 1)
    n_samples = whole_number("--samples", samples, 2)
    check_backend(backend, n_workers, scheduler)
    if method is not None and method not in ("morris", "sobol"):
        raise UserError(f"--method: expected morris or sobol; given: {method!r}")
    exp = _load(experiment)
    out = out or Path("out") / f"{exp.name}-gevoeligheid"
    with _progress(lang) as progress:
        listener = ProgressListener(progress, f"{exp.name} ({pick(lang, 'gevoeligheid', 'sensitivity')})", lang)
        try:
            res = run_sensitivity(exp, out, method=method, samples=n_samples, backend=backend, workers=n_workers, scheduler=scheduler, force=force, listener=listener)
        except SensitivityFailed as exc:
            progress.stop()
            err_console.print(Text.assemble((pick(lang, "Mislukt: ", "Failed: "), "red"), shorten(str(exc), 2000)))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            progress.stop()
            err_console.print(pick(lang, "Afgebroken (een gevoeligheidsanalyse wordt niet hervat).", "Interrupted (a sensitivity analysis is not resumable)."))
            raise typer.Exit(130) from None
    cells = [[str(name), *(number(v, lang) for v in row)] for name, row in res.indices.iterrows()]
    print_table(console, pick(lang, f"Gevoeligheid ({res.method}) van {res.output}", f"Sensitivity ({res.method}) of {res.output}"),
                ["parameter", *map(str, res.indices.columns)], cells, keys=1)
    console.print(Text(f"{pick(lang, 'Bestanden', 'Files')}: {', '.join(str(p) for p in res.files.values())}"))


# --- demo -----------------------------------------------------------------------------------------
def demo_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Map voor de resultaten. / Results directory.")] = Path("out/demo"),
    workers: WorkersOpt = None,
    backend: BackendOpt = "process",
    lang: LangOpt = "nl",
    prices: PricesOpt = None,
) -> None:
    """Het vlaggenschip-experiment (carrousel vs. presentie) plus rapport; gaat verder waar het bleef. / The flagship experiment and its report."""
    from buurtsim.experiment import build_report
    from buurtsim.experiment.backends import check_backend
    from buurtsim.experiment.mkba import load_prices
    from buurtsim.experiment.store import MANIFEST
    from buurtsim.formatting import check_lang
    from buurtsim.scenario import shipped_experiments

    check_lang(lang)
    load_prices(prices)  # a bad price table stops before hours of runs, not after
    n_workers = whole_number("--workers", workers, 1)
    check_backend(backend, n_workers, None)
    shipped = shipped_experiments()
    if FLAGSHIP not in shipped:
        raise UserError(f"experiments/{FLAGSHIP}.toml not found; run the demo from the buurtsim repository")
    exp = _load(str(shipped[FLAGSHIP]))
    other = _holds(out, exp) is False
    if not (out / MANIFEST).exists() and out.is_dir() and any(out.iterdir()):
        raise UserError(f"{out}: directory is not empty and holds no buurtsim results; choose another --out")
    console.print(Text.assemble((exp.table.title or exp.name, "bold"), f": {len(exp.scenarios)} {pick(lang, 'scenario’s', 'scenarios')} x "
                                f"{exp.table.replications} {pick(lang, 'replicaties', 'replications')} -> {out}"))
    manifest = _run_batch(exp, out, backend=backend, workers=n_workers, scheduler=None, resume=True, force=other, lang=lang)
    code = _report_counts(manifest, out, lang)
    with console.status(pick(lang, "Rapport maken ...", "Building the report ...")):
        path = build_report(out, lang=lang, prices=prices)
    print_answer(out, baseline=None, lang=lang, prices=prices)
    console.print(Text.assemble((pick(lang, "Rapport: ", "Report: "), "bold green"), str(path.resolve())))
    if code:
        sys.exit(code)


# --- prices ---------------------------------------------------------------------------------------
def prices_cmd(
    file: Annotated[Path | None, typer.Argument(help="Prijstabel (TOML) om te controleren; standaard de meegeleverde. / Price table to check; default the shipped one.")] = None,
    write: Annotated[Path | None, typer.Option("--write", metavar="FILE", help="Schrijf de meegeleverde prijstabel naar FILE om aan te passen. / Write the shipped table to FILE to edit.")] = None,
    lang: LangOpt = "nl",
) -> None:
    """Toon en controleer een prijstabel voor het maatschappelijk rendement (MKBA). / Print and check a price table for the social return."""
    from buurtsim.experiment.mkba import default_prices_path, load_prices, price_rows
    from buurtsim.formatting import check_lang, number

    check_lang(lang)
    if write is not None:
        if write.exists() or write.is_symlink():
            raise UserError(f"--write: {write} exists; expected a new file name (nothing was overwritten)")
        check_output_file(write, "--write", "prijzen.toml")
        try:
            with write.open("x", encoding="utf-8") as fh:  # "x": never follow a link made in the meantime
                fh.write(default_prices_path().read_text(encoding="utf-8"))
        except OSError as exc:
            raise UserError(f"--write {shorten(str(write))}: cannot write ({exc.strerror or exc})") from None
        console.print(pick(lang, f"Geschreven: {write}; pas aan en gebruik met --prices {write}", f"Written: {write}; edit it and use it with --prices {write}"))
        return
    table = load_prices(file)
    headers, cells = price_rows(table, lang)
    print_table(console, pick(lang, f"Prijstabel: {table.path}", f"Price table: {table.path}"), headers, cells, keys=1)
    rate = number(100 * table.discount_rate, lang, 2)
    console.print(Text(pick(lang, f"Discontovoet {rate} % per jaar; bron: {table.discount_source}", f"Discount rate {rate}% a year; source: {table.discount_source}")))
    console.print(Text(pick(lang, f"Bootstrap: {table.bootstrap_samples} trekkingen, seed {table.bootstrap_seed}.", f"Bootstrap: {table.bootstrap_samples} draws, seed {table.bootstrap_seed}.")))
    assumed = sum(p.assumption for p in table.prices)
    if assumed:
        console.print(Text(pick(lang, f"Let op: {assumed} van {len(table.prices)} prijzen zijn aannames, geen gemeten waarden.",
                                f"Note: {assumed} of {len(table.prices)} prices are assumptions, not measured values."), style="yellow"))
    console.print(pick(lang, "Prijstabel in orde.", "Price table is valid."))


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("run", help="Eén run van een scenario; uitkomsten naar Parquet. / One run of a scenario; metrics to Parquet.")(run_cmd)
    app.command("experiment", help="Draai een batch-experiment (replicaties, parallel, hervatbaar). / Run a batch experiment.")(experiment_cmd)
    app.command("compare", help="Vergelijk scenario's met onzekerheid. / Compare scenarios with uncertainty.")(compare_cmd)
    app.command("report", help="Schrijf een zelfstandig HTML-rapport. / Write a self-contained HTML report.")(report_cmd)
    app.command("sensitivity", help="Gevoeligheidsanalyse met SALib (Morris of Sobol). / Sensitivity analysis with SALib.")(sensitivity_cmd)
    app.command("prices", help="Toon en controleer een prijstabel voor het maatschappelijk rendement. / Print and check a price table for the social return.")(prices_cmd)
    app.command("demo", help="Vlaggenschip-experiment plus rapport (voor `make demo`). / Flagship experiment and report.")(demo_cmd)
