"""The shipped scenario library (`scenarios/*.toml`, lessons in `scenarios/lessen/`), the
experiments and the documents commands and the dashboard show (`docs/`).

In the repository they live beside the package; a wheel carries copies inside the package, under
`buurtsim/_data/` (setup.py copies them when it builds). Both are found from here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

#: The copies inside an installed package (a wheel); absent in a checkout.
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "_data"
#: The repository root when buurtsim runs from a checkout or an editable install (src layout).
REPO_ROOT = Path(__file__).resolve().parents[3]


def _folder(name: str) -> Path | None:
    """The folder `name` (e.g. 'scenarios') inside the installed package, else of the checkout,
    else the one in the working directory."""
    for base in (PACKAGE_DATA, REPO_ROOT, Path.cwd()):
        folder = base / name
        if folder.is_dir():
            return folder
    return None


def shipped_doc(relative: str) -> Path | None:
    """A shipped document by its path under docs/ (e.g. 'teaching/docentenhandleiding.md'), or None."""
    folder = _folder("docs")
    path = folder / relative if folder is not None else None
    return path if path is not None and path.is_file() else None


def shipped_scenario_path(name_or_path: str | Path) -> Path:
    """The file of a shipped scenario name ('basis', 'lessen/les1_...'); anything else unchanged.

    An existing file wins over a shipped name, as on the command line.
    """
    path = Path(name_or_path)
    if isinstance(name_or_path, str) and not path.exists():
        shipped = shipped_scenarios()
        if name_or_path in shipped:
            return shipped[name_or_path]
    return path


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
    name, title = head.get("name"), head.get("title")
    return (name if isinstance(name, str) else path.stem), (title if isinstance(title, str) else "")
