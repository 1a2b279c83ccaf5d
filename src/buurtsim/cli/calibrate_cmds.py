"""Subcommand `calibrate`: ABC-SMC of the assumed parameters against the calibration targets,
written as an ensemble file that experiments can run over (`buurtsim.inference.calibrate`)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from buurtsim.cli.batch_cmds import BackendOpt, LangOpt, SchedulerOpt, WorkersOpt, whole_number
from buurtsim.errors import UserError
from buurtsim.formatting import pick
from buurtsim.limits import MAX_SEED, shorten

console = Console()
err_console = Console(stderr=True)

#: Residents per simulated neighbourhood: at most this (a calibration runs hundreds of simulations).
MAX_CALIBRATION_RESIDENTS = 20_000


def _generation_line(gen: Any, lang: str) -> str:
    eps = "∞" if gen.epsilon == float("inf") else f"{gen.epsilon:.3f}"
    relaxed = pick(lang, " (budget op: tolerantie verruimd)", " (budget spent: tolerance relaxed)") if gen.relaxed else ""
    return pick(lang,
                f"generatie {gen.index}: tolerantie {eps}, {gen.simulations} simulaties, acceptatie {gen.acceptance:.0%}, "
                f"mediane afstand {float(sorted(gen.distances)[len(gen.distances) // 2]):.3f}{relaxed}",
                f"generation {gen.index}: tolerance {eps}, {gen.simulations} simulations, acceptance {gen.acceptance:.0%}, "
                f"median distance {float(sorted(gen.distances)[len(gen.distances) // 2]):.3f}{relaxed}")


def _fixed_values(items: list[str], calibrated: set[str]) -> tuple[tuple[str, Any], ...]:
    """`--set NAME=VALUE` items as checked parameter overrides (sorted by name)."""
    from buurtsim.params import ParameterError, make_params

    held: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"--set: expected NAME=VALUE, e.g. burn_in_weeks=520; given: {shorten(repr(item), 60)}")
        if name in calibrated:
            raise UserError(f"--set: {name} is calibrated (its prior is its documented range); it cannot be held fixed")
        try:
            value: Any = int(text) if text.strip().lstrip("-").isdigit() else float(text)
        except ValueError:
            raise UserError(f"--set {name}: expected a number; given: {shorten(repr(text), 60)}") from None
        held[name] = value
    try:
        make_params(**held)
    except ParameterError as exc:
        raise UserError(f"--set: {exc}") from None
    return tuple(sorted(held.items()))


def calibrate_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Ensemblebestand om te schrijven (JSON). / Ensemble file to write.")] = Path("ensemble.json"),
    n: Annotated[str, typer.Option("--n", metavar="N", help="Bewoners per gesimuleerde wijk. / Residents per simulated neighbourhood.")] = "1000",
    population: Annotated[str, typer.Option("--population", metavar="N", help="Deeltjes per generatie (= leden van het ensemble, minstens 50 voor gebruik). / Particles per generation (ensemble members).")] = "100",
    generations: Annotated[str, typer.Option("--generations", metavar="N", help="Aantal generaties van ABC-SMC. / Number of ABC-SMC generations.")] = "5",
    max_simulations: Annotated[str | None, typer.Option("--max-simulations", metavar="N", help="Simulaties per generatie hooguit (standaard 4 x populatie). / At most this many simulations per generation.")] = None,
    batch: Annotated[str, typer.Option("--batch", metavar="N", help="Deeltjes per partij (vast, zodat het resultaat niet van het aantal workers afhangt). / Particles per batch.")] = "25",
    quantile: Annotated[float, typer.Option("--quantile", help="Tolerantie = dit kwantiel van de afstanden van de vorige generatie. / Tolerance quantile.")] = 0.5,
    years: Annotated[str, typer.Option("--years", metavar="N", help="Gesimuleerde jaren per scenario (standaard 10; C12 meet over 7 jaren vanaf jaar 1, dus minstens 8). / Simulated years per scenario.")] = "10",
    fixed: Annotated[list[str] | None, typer.Option("--set", metavar="NAME=VALUE", help="Houd een andere parameter vast op deze waarde in elke simulatie (herhaalbaar). / Hold another parameter at this value (repeatable).")] = None,
    seed: Annotated[str, typer.Option("--seed", metavar="N", help="Toevalszaad. / Random seed.")] = "0",
    targets: Annotated[Path | None, typer.Option("--targets", metavar="FILE", help="Eigen doelenbestand (TOML; standaard het meegeleverde). / Own targets file.")] = None,
    backend: BackendOpt = "process",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Ga verder na de laatste afgeronde generatie. / Continue after the last finished generation.")] = False,
    allow_unmet: Annotated[bool, typer.Option("--allow-unmet", help="Schrijf het ensemble ook als een doel door geen lid gehaald wordt. / Write the ensemble even if a target is met by no member.")] = False,
    lang: LangOpt = "nl",
) -> None:
    """Kalibreer de aangenomen parameters op de doelen (ABC-SMC) en schrijf een ensemble. / Calibrate the assumed parameters (ABC-SMC) and write an ensemble."""
    from buurtsim.calibration import TARGETS_FILE, YEAR, load_targets
    from buurtsim.experiment.backends import check_backend
    from buurtsim.formatting import check_lang
    from buurtsim.inference.abc_smc import AbcSettings
    from buurtsim.inference.calibrate import CalibrationConfig, calibrate, calibrated_names, checkpoint_path

    check_lang(lang)
    n_workers = whole_number("--workers", workers, 1)
    check_backend(backend, n_workers, scheduler)
    n_res = whole_number("--n", n, 10, MAX_CALIBRATION_RESIDENTS)
    pop = whole_number("--population", population, 2, 10_000)
    gens = whole_number("--generations", generations, 1, 100)
    size = whole_number("--batch", batch, 1, 10_000)
    the_seed = whole_number("--seed", seed, 0, MAX_SEED)
    assert n_res is not None and pop is not None and gens is not None and size is not None and the_seed is not None
    budget = whole_number("--max-simulations", max_simulations, pop, 1_000_000) or 4 * pop
    if not 0.0 < quantile < 1.0:
        raise UserError(f"--quantile: expected a number between 0 and 1 (exclusive); given: {quantile}")
    n_years = whole_number("--years", years, 1, 100)
    assert n_years is not None
    held = _fixed_values(fixed or [], set(calibrated_names()))
    targets_file = targets or TARGETS_FILE
    load_targets(targets_file)  # refuse a bad file before anything runs
    config = CalibrationConfig(calibrated_names(), AbcSettings(population=pop, generations=gens, quantile=quantile,
                               batch=size, max_simulations=budget), the_seed, n_res, Path(targets_file),
                               ticks=n_years * YEAR, fixed=held)

    def stop(signum: int, frame: Any) -> None:  # a SIGTERM ends like Ctrl-C: finished generations are kept
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    console.print(pick(lang, f"Kalibratie: {len(config.names)} parameters, {pop} deeltjes, {gens} generaties, N = {n_res:,}, backend {backend}",
                       f"Calibration: {len(config.names)} parameters, {pop} particles, {gens} generations, N = {n_res:,}, backend {backend}"))
    try:
        ensemble, _gens = calibrate(config, out, backend=backend, workers=n_workers, scheduler=scheduler, resume=resume,
                                   allow_unmet=allow_unmet,
                                   on_generation=lambda g: console.print(_generation_line(g, lang)))
    except KeyboardInterrupt:
        err_console.print(Text(pick(
            lang, f"Afgebroken. Afgeronde generaties staan in {checkpoint_path(out)}; ga verder met hetzelfde commando en --resume",
            f"Interrupted. Finished generations are kept in {checkpoint_path(out)}; continue with the same command and --resume")))
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    shares = ensemble.provenance["share_met"]
    console.print(pick(lang, f"Ensemble met {len(ensemble.members)} leden geschreven naar {out}. Aandeel (gewogen) binnen de band per doel:",
                       f"Wrote an ensemble of {len(ensemble.members)} members to {out}. Weighted share within the band per target:"))
    for label, share in shares.items():
        console.print(f"  {label}: {share:.0%}")


def register(app: typer.Typer) -> None:
    """Add this module's subcommand to the app."""
    app.command("calibrate", help="Kalibreer de aangenomen parameters (ABC-SMC) en schrijf een ensemble. / Calibrate the assumed parameters (ABC-SMC) into an ensemble file.")(calibrate_cmd)
