"""Subcommands about scenario files: `validate` (check files), `schema` (JSON Schema for editors)
and `list` (the shipped scenarios and experiments)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, RenderableType
from rich.markup import escape

from buurtsim.cli.options import LangOpt
from buurtsim.cli.tables import grid, natural_width, stacked
from buurtsim.errors import UserError
from buurtsim.formatting import check_lang, pick
from buurtsim.scenario.library import REPO_ROOT, peek_title, shipped_experiments, shipped_scenarios

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _shown(path: Path) -> str:
    """A path relative to the repository or working directory when it lies below it."""
    for base in (Path.cwd(), REPO_ROOT):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (.toml) to check.", show_default=False)],
    lang: LangOpt = "nl",
) -> None:
    """Check scenario files; print OK or every problem with its line. Exit status 2 if any file is bad.
    The frame is in `lang`; each problem names file, line and field in the library's (English) words."""
    from buurtsim.scenario import ScenarioError, load_scenario

    check_lang(lang)
    bad = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as exc:
            bad += 1
            n = len(exc.problem_list)
            what = pick(lang, "probleem" if n == 1 else "problemen", "problem" if n == 1 else "problems")
            err_console.print(f"[bold red]{pick(lang, 'FOUT', 'ERROR')}[/]  {escape(str(file))}: {n} {what}")
            for problem in exc.problem_list:
                err_console.print("  - " + str(problem), markup=False)
            continue
        n_pol = len(scenario.policies)
        policies = pick(lang, "maatregel" if n_pol == 1 else "maatregelen", "policy" if n_pol == 1 else "policies")
        console.print(
            f"[bold green]OK[/]    {escape(str(file))}: {escape(scenario.title)} "
            f"({n_pol} {policies}, horizon {scenario.horizon} {pick(lang, 'weken', 'weeks')})"
        )
    good = len(files) - bad
    if len(files) > 1:
        console.print(pick(lang, f"{good} van {len(files)} bestanden in orde", f"{good} of {len(files)} files OK"))
    if bad:
        raise UserError(pick(lang, f"{bad} van {len(files)} bestanden afgekeurd", f"{bad} of {len(files)} files have problems"))


def schema_cmd(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the schema to this file instead of the screen.")] = None,
    lang: LangOpt = "nl",
) -> None:
    """Print the JSON Schema of scenario files, so editors can check files while you type."""
    from buurtsim.scenario import scenario_json_schema

    check_lang(lang)
    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise UserError(f"--out {out}: this is a folder; expected a file name, e.g. {out / 'scenario.schema.json'}")
    if not folder.is_dir():
        raise UserError(f"--out {out}: folder '{folder}' does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".schema-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    console.print(pick(lang, f"Schema geschreven naar {escape(str(out))}", f"Schema written to {escape(str(out))}"))


def _files_table(title: str, files: dict[str, Path], table_name: str, empty: str, headers: list[str]) -> RenderableType:
    """A table of (name, title, file) for files whose `[table_name]` holds name and title; one block
    per file when the table is wider than the terminal (names and paths are never cut)."""
    if not files:
        return empty
    cells = []
    for key, path in files.items():
        name, file_title = peek_title(path, table_name)
        cells.append([key if table_name == "scenario" else name, file_title, _shown(path)])
    if natural_width(headers, cells) <= console.width:
        return grid(title, headers, cells)
    return stacked(title, headers, cells, keys=1)


def list_cmd(lang: LangOpt = "nl") -> None:
    """List the shipped scenarios and experiments with their one-line titles."""
    check_lang(lang)
    headers = [pick(lang, "naam", "name"), pick(lang, "titel", "title"), pick(lang, "bestand", "file")]
    console.print(_files_table(pick(lang, "Scenario's", "Scenarios"), shipped_scenarios(), "scenario",
                               pick(lang, "Geen scenario's gevonden (map scenarios/ ontbreekt).", "No scenarios found (folder scenarios/ is missing)."), headers))
    console.print(_files_table(pick(lang, "Experimenten", "Experiments"), shipped_experiments(), "experiment",
                               pick(lang, "Geen experimenten gevonden.", "No experiments found."), headers))
    console.print(pick(lang, "Controleer een bestand: buurtsim validate BESTAND.toml", "Check a file: buurtsim validate FILE.toml"))


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("validate", help="Check scenario files: prints OK, or each problem with file, line and field. Exit status 2 if any file is bad.")(validate_cmd)
    app.command("schema", help="Print the JSON Schema of scenario files (for editors that check TOML as you type).")(schema_cmd)
    app.command("list", help="List the scenarios and experiments that come with buurtsim, with their titles.")(list_cmd)
