"""Subcommands about the model itself: `params` (the parameter table)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table


def params_cmd() -> None:
    """Print every model parameter with its default, range, unit and source."""
    from buurtsim.params import describe, param_names

    table = Table(title="buurtsim parameters")
    for col in ("name", "default", "range", "unit", "source"):
        table.add_column(col)
    for name in param_names():
        d = describe(name)
        table.add_row(name, str(d["default"]), f"[{d['min']}, {d['max']}]", d["unit"], d["source"])
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("params", help="Show every model parameter: default, range, unit and source.")(params_cmd)
