"""Subcommand `discover`: the parameter regions where a comparison goes the other way (PRIM).

The EMA Workbench (and with it scikit-learn and statsmodels) is imported only when the command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from buurtsim.errors import UserError
from buurtsim.formatting import pick
from buurtsim.limits import shorten

console = Console()


def discover_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Map met resultaten van een experiment over een ensemble of een sweep. / Results of an ensemble or sweep experiment.")],
    a: Annotated[str | None, typer.Option("--a", help="Scenario A (standaard: uit de discovery-tabel van het experiment). / Scenario A (default: the experiment's discovery table).")] = None,
    b: Annotated[str | None, typer.Option("--b", help="Scenario B. / Scenario B.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Uitkomst (standaard mean_self_reliance). / Outcome (default mean_self_reliance).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Moment: weeknummer, 'end', 'end_of_funding' (standaard end). / Moment (default end).")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Minimale dichtheid van een gebied, 0-1 (standaard 0,6). / Least density of a box (default 0.6).")] = None,
    boxes: Annotated[int | None, typer.Option("--boxes", help="Hoogstens zoveel gebieden (standaard 2). / At most this many boxes (default 2).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="text|json", help="Uitvoer: text of json. / Output format.")] = "text",
    lang: Annotated[str, typer.Option("--lang", metavar="nl|en", help="Taal van de uitvoer: nl of en. / Output language: nl or en.")] = "nl",
) -> None:
    """Waar gaat een vergelijking de andere kant op? PRIM over de parameters van de werelden. / Where does a comparison go the other way? PRIM over the worlds' parameters."""
    from buurtsim.experiment.discovery import discover, lines, to_record
    from buurtsim.experiment.store import load_manifest
    from buurtsim.formatting import check_lang

    check_lang(lang)
    if fmt not in ("text", "json"):
        raise UserError(f"--format: expected text or json; given: {fmt!r}")
    if boxes is not None and not 1 <= boxes <= 10:
        raise UserError(f"--boxes: expected a whole number from 1 to 10; given: {boxes}")
    moment: int | str | None = at or None
    if at is not None and at.strip().isdecimal():
        if len(at.strip()) > 12:  # int() refuses more than 4,300 digits; no run has a trillion weeks
            raise UserError(f"--at: expected a week number, 'end' or 'end_of_funding'; given: {shorten(repr(at), 60)}")
        moment = int(at)
    stored = load_manifest(results_dir)["experiment"].get("discovery") or {}
    a_name, b_name = a or stored.get("a"), b or stored.get("b")
    if not a_name or not b_name:
        raise UserError("--a and --b: name the two scenarios to compare (this experiment has no [discovery] table that names them)")
    with console.status(pick(lang, "Werelden doorzoeken (PRIM) ...", "Searching the worlds (PRIM) ...")):
        found = discover(results_dir, a=a_name, b=b_name, metric=metric or stored.get("metric", "mean_self_reliance"),
                         at=moment if moment is not None else stored.get("at", "end"),
                         threshold=threshold if threshold is not None else stored.get("threshold", 0.6),
                         peel_alpha=stored.get("peel_alpha", 0.05), boxes=boxes or stored.get("boxes", 2))
    if fmt == "json":
        sys.stdout.write(json.dumps(to_record(found), indent=1) + "\n")
        return
    text = lines(found, lang)
    console.print(Text(pick(lang, "Waar gaat het de andere kant op?", "Where does it go the other way?"), style="bold"))
    for line in text[:-1] if found.boxes else text:
        console.print(Text(line))
    if found.boxes:
        console.print(Text(text[-1], style="dim"))


def register(app: typer.Typer) -> None:
    """Add this module's subcommand to the app."""
    app.command("discover", help="Scenario-ontdekking (PRIM): waar gaat een vergelijking de andere kant op? / Scenario discovery: where does a comparison go the other way?")(discover_cmd)
