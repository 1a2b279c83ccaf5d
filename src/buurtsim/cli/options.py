"""Options that many subcommands share."""

from __future__ import annotations

from typing import Annotated

import typer

#: `--lang nl|en`: the language of a command's whole output (Dutch by default).
LangOpt = Annotated[str, typer.Option("--lang", metavar="nl|en", help="Taal van de uitvoer: nl of en. / Output language: nl or en.")]
