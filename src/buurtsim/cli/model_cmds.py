"""Subcommands about the model itself: `params` (the parameter table)."""

from __future__ import annotations

import typer
from rich.console import Console

from buurtsim.cli.tables import print_table
from buurtsim.params import describe, param_names


def params_cmd() -> None:
    """Print every model parameter with its default, range, unit and source."""
    cells = []
    for name in param_names():
        d = describe(name)
        cells.append([name, str(d["default"]), f"[{d['min']}, {d['max']}]", d["unit"], d["source"]])
    print_table(Console(), "buurtsim parameters", ["name", "default", "range", "unit", "source"], cells, keys=1)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("params", help="Show every model parameter: default, range, unit and source.")(params_cmd)
