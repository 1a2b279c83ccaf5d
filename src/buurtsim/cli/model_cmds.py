"""Subcommands about the model itself: `params` (the parameter table)."""

from __future__ import annotations

import typer
from rich.console import Console

from buurtsim.cli.options import LangOpt


def params_cmd(
    lang: LangOpt = "nl",
) -> None:
    """Print every model parameter with its default, range, unit and source."""
    from buurtsim.cli.tables import print_table
    from buurtsim.formatting import check_lang, number, pick
    from buurtsim.params import describe, param_names

    check_lang(lang)

    def shown(value: object) -> str:
        return number(value, lang) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)

    sep = "; " if lang == "nl" else ", "
    cells = []
    for name in param_names():
        d = describe(name)
        cells.append([name, shown(d["default"]), f"[{shown(d['min'])}{sep}{shown(d['max'])}]", d["unit"], d["source"]])
    headers = [pick(lang, "naam", "name"), pick(lang, "standaard", "default"), pick(lang, "bereik", "range"), pick(lang, "eenheid", "unit"), pick(lang, "bron", "source")]
    print_table(Console(), pick(lang, "buurtsim-parameters", "buurtsim parameters"), headers, cells, keys=1)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("params", help="Show every model parameter: default, range, unit and source.")(params_cmd)
