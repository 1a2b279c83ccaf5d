"""Tables that stay readable in any terminal width: a grid when it fits, otherwise one block per row
("stacked"), so no number or name is ever cut to '0.0015...' or 'mean_self...'."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

PADDING = 3  # a column's border and padding in rich's default box


def natural_width(headers: list[str], cells: list[list[str]]) -> int:
    """Width of the grid with every cell on one line."""
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    return sum(widths) + PADDING * len(widths) + 1


def _numeric(cells: list[list[str]], index: int) -> bool:
    """True when every cell of a column reads as a number (digits, sign, euro sign or '-')."""
    values = [r[index].strip() for r in cells if index < len(r) and r[index].strip() not in ("", "-")]
    return bool(values) and all(v.lstrip("+-€\u00a0 ")[:1].isdigit() for v in values)


def grid(title: str, headers: list[str], cells: list[list[str]]) -> Table:
    """A rich table whose cells are shown literally; overflow folds instead of cutting."""
    table = Table(title=title)
    for i, h in enumerate(headers):
        table.add_column(Text(h), justify="right" if _numeric(cells, i) else "left", overflow="fold")
    for row in cells:
        table.add_row(*(Text(c) for c in row))
    return table


def stacked(title: str, headers: list[str], cells: list[list[str]], keys: int = 2) -> Group:
    """One block per row: the first `keys` cells as its heading, then 'header: value' lines."""
    parts: list[RenderableType] = [Text(""), Text(title, style="bold")]
    for row in cells:
        parts.append(Text(""))
        parts.append(Text(" - ".join(c for c in row[:keys] if c), style="bold"))
        for h, c in zip(headers[keys:], row[keys:], strict=False):
            if c and c != "-":
                parts.append(Padding(Text(f"{h}: {c}"), (0, 0, 0, 2), expand=False))
    return Group(*parts)


def print_table(console: Console, title: str, headers: list[str], cells: list[list[str]], keys: int = 2) -> None:
    """Print a grid if it fits the console's width, else the stacked form."""
    if natural_width(headers, cells) <= console.width:
        console.print(grid(title, headers, cells))
    else:
        console.print(stacked(title, headers, cells, keys))
