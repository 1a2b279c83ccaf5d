"""The `buurtsim` command: a typer app whose subcommands are thin wrappers over the library.

Each group of subcommands lives in its own module and registers itself on `app`. The modules
import the model, pandas, numba and Mesa inside the commands that need them, so `--help`, `list`,
`schema` and `validate` start at once (benchmarks/bench_cli.py; tests/cli/test_cli_imports.py).
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.text import Text

from buurtsim._version import __version__
from buurtsim.cli import (
    batch_cmds,
    calibrate_cmds,
    classroom_cmds,
    dashboard_cmds,
    discover_cmds,
    model_cmds,
    scenario_cmds,
    teaching_cmds,
    worksheet_cmds,
)
from buurtsim.cli.errors import UserError
from buurtsim.cli.help_format import quiet_flag_types
from buurtsim.limits import shorten

quiet_flag_types()

app = typer.Typer(
    name="buurtsim",
    help="buurtsim: simulate neighbourhood social dynamics and neighbourhood policy (wijkaanpak).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (model_cmds, scenario_cmds, batch_cmds, calibrate_cmds, discover_cmds, dashboard_cmds, teaching_cmds, worksheet_cmds,
                classroom_cmds):
    _module.register(app)

err_console = Console(stderr=True, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"buurtsim {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: bool = typer.Option(False, "--version", "-V", help="Show the version of buurtsim and stop.",
                                 callback=_show_version, is_eager=True),
) -> None:
    """buurtsim: simulate neighbourhood social dynamics and neighbourhood policy (wijkaanpak)."""


def _asked_english(argv: list[str]) -> bool:
    """True when the command line asks for English output (`--lang en` or `--lang=en`)."""
    return any(a == "--lang=en" or (a == "--lang" and i + 1 < len(argv) and argv[i + 1] == "en") for i, a in enumerate(argv))


def report_user_error(exc: UserError) -> None:
    """Print a user mistake plainly (messages may contain [brackets], so no markup), headed in the
    language the command line asked for."""
    err_console.print(Text.assemble(("Error: " if _asked_english(sys.argv) else "Fout: ", "bold red"), str(exc)))


def path_problem(exc: OSError) -> str:
    """A file system refusal (a name too long, a folder where a file belongs, no permission) as one
    line naming the path; the last safety net for paths the commands did not check themselves."""
    names = " -> ".join(shorten(str(n)) for n in (exc.filename, exc.filename2) if n is not None)
    return f"{names}: {exc.strerror or exc}; check this path (nothing else was changed)"


def main() -> None:
    """Console entry point. Typer handles usage errors (exit 2) and --help itself; user mistakes
    found by the library end in a clear message and exit status 2, never a traceback; so does a
    path the file system refuses (an OSError naming a file)."""
    try:
        app()
    except UserError as exc:
        report_user_error(exc)
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.filename is None:  # not about a path the user gave: a real failure, shown in full
            raise
        report_user_error(UserError(path_problem(exc)))
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("Interrupted." if _asked_english(sys.argv) else "Afgebroken.")
        sys.exit(130)
