"""The shipped scenario library (`scenarios/*.toml`, lessons in `scenarios/lessen/`) and experiments."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

#: The repository root when buurtsim runs from a checkout or an editable install (src layout).
REPO_ROOT = Path(__file__).resolve().parents[3]
#: Where a wheel installs the scenarios and experiments (pyproject.toml, data-files).
SHARE = Path(sys.prefix) / "share" / "buurtsim"


def _folder(name: str) -> Path | None:
    """The folder `name` (e.g. 'scenarios') of the checkout, else of the installation, else the
    one in the working directory."""
    for base in (REPO_ROOT, SHARE, Path.cwd()):
        folder = base / name
        if folder.is_dir():
            return folder
    return None


def scenarios_dir() -> Path | None:
    """The folder holding the shipped scenarios, or None when it cannot be found."""
    return _folder("scenarios")


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario files by name: 'basis' for scenarios/basis.toml, 'lessen/x' for lessons."""
    folder = scenarios_dir()
    if folder is None:
        return {}
    found = {f.stem: f for f in sorted(folder.glob("*.toml"))}
    found.update({f"lessen/{f.stem}": f for f in sorted((folder / "lessen").glob("*.toml"))})
    return found


def shipped_experiments() -> dict[str, Path]:
    """Shipped experiment files (experiments/*.toml) by file name without .toml."""
    folder = _folder("experiments")
    return {} if folder is None else {f.stem: f for f in sorted(folder.glob("*.toml"))}


def peek_title(path: Path, table: str) -> tuple[str, str]:
    """(name, title) from a file's `[table]` without full validation; tolerant of anything odd.

    A file that cannot be read gives its file name and a short note in place of the title.
    """
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        return path.stem, f"(kan niet gelezen worden: {type(exc).__name__})"
    head = data.get(table) if isinstance(data, dict) else None
    head = head if isinstance(head, dict) else {}
    name = head.get("name") if isinstance(head.get("name"), str) else path.stem
    title = head.get("title") if isinstance(head.get("title"), str) else ""
    return name, title
