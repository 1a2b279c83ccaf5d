"""The `buurtsim` command: a typer app whose subcommands are thin wrappers over the library.

Each group of subcommands lives in its own module and registers itself on `app`.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from buurtsim.cli import batch_cmds, dashboard_cmds, model_cmds, scenario_cmds, teaching_cmds
from buurtsim.cli.errors import UserError

app = typer.Typer(
    name="buurtsim",
    help="buurtsim: simulate neighbourhood social dynamics and neighbourhood policy (wijkaanpak).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (model_cmds, scenario_cmds, batch_cmds, dashboard_cmds, teaching_cmds):
    _module.register(app)

err_console = Console(stderr=True)


def main() -> None:
    """Console entry point: user mistakes end in a clear message and exit status 2."""
    try:
        app(standalone_mode=False)
    except UserError as exc:
        err_console.print(f"[bold red]Fout / error:[/] {exc}")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("Afgebroken / aborted.")
        sys.exit(130)
    except KeyboardInterrupt:
        err_console.print("Afgebroken / interrupted.")
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in standalone_mode=False
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        raise
