"""Limits on everything a user hands in, each a named constant with the reason for its value.

Every file, flag and upload is treated as hostile (a dashboard serves a whole class on a room's
network): input beyond these limits is refused before it is parsed or run, with a message naming
the file or flag, so a small file can never take unbounded time or memory. docs/safety.md lists
them. Helpers here check structures without recursion, so depth itself cannot crash the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: Bytes of a scenario, experiment or prediction file. The largest shipped file is under 8 KB;
#: 1 MiB leaves room for long descriptions while keeping parsing well under a second.
MAX_FILE_BYTES = 1024 * 1024

#: Nesting of tables and arrays in a TOML or JSON file. The deepest valid file needs 4 levels
#: (experiment.sweep.grid.<param> = [..]); 32 is generous and far below Python's recursion limit.
MAX_NESTING_DEPTH = 32

#: Keys in one dotted key or table header (`a.b.c = 1` has 3). Valid files use at most 4; the
#: line locator's work grows with this number, so it is capped before the text is scanned.
MAX_KEY_DEPTH = 16

#: Keys in one table (TOML) or object (JSON). The largest valid table, [params], has about 100
#: keys; thousands of unknown keys would each be matched against the valid names (seconds of work
#: and megabytes of message), so a wider table is refused at once.
MAX_TABLE_KEYS = 1_000

#: Problems listed in one message; the rest are counted ("and 120 more"), so the message stays
#: readable and small whatever the file holds.
MAX_PROBLEMS = 50

#: Points of a sweep (grid combinations or Latin-hypercube samples). Each point is run for every
#: scenario and replication; 10,000 already means days of computing. Checked before expanding.
MAX_SWEEP_POINTS = 10_000

#: Runs of one experiment (scenarios x points x replications): the manifest holds one entry per
#: run, about 400 bytes each, so 200,000 runs keep it under 100 MB.
MAX_RUNS = 200_000

#: Moments compared in one comparison (`ticks_of_interest`, `compare --at`): each adds a row per
#: scenario and outcome to every table; shipped experiments use 3 to 5, and 100,000 moments once
#: kept `compare` busy for more than five minutes.
MAX_MOMENTS = 100

#: Weeks in one run, for scenario horizons, `run --ticks` and experiment `ticks`: 200 years is
#: far beyond any policy question; the same cap everywhere.
MAX_TICKS = 52 * 200

#: Largest seed: numpy's SeedSequence and the Parquet files store seeds as signed 64-bit integers.
MAX_SEED = 2**63 - 1

#: Residents in a model built from the API, the command line or a file (the parameter's own range).
MAX_RESIDENTS = 2_000_000

#: Residents in a dashboard session (slider and uploaded scenarios alike): a whole class shares one
#: server, and at 20,000 one session's model takes about 150 MB and a second per drawn week.
MAX_DASHBOARD_RESIDENTS = 20_000

#: How long the dashboard keeps the session of a page that lost its connection without closing
#: (a laptop lid shut, Wi-Fi gone) before its models are released: long enough to survive a short
#: drop, short enough that a class leaving the room frees the server within minutes. A page that
#: is closed normally is released at once. Passed to Solara as SOLARA_KERNEL_CULL_TIMEOUT.
DASHBOARD_IDLE_RELEASE = "2m"

#: Characters of a user's value echoed back in a message; the rest is cut with an ellipsis, so a
#: 20 MB string in a file never floods the terminal or the page.
MAX_ECHO_CHARS = 200


def shorten(text: object, limit: int = MAX_ECHO_CHARS) -> str:
    """`text` as a string of at most `limit` characters (a marker says how much was cut)."""
    s = text if isinstance(text, str) else repr(text) if not isinstance(text, int | float) else str(text)
    if len(s) <= limit:
        return s
    return f"{s[:limit]}... ({len(s) - limit} more characters)"


def iter_containers(data: Any) -> Iterator[tuple[tuple[str | int, ...], int, Any]]:
    """Every container in `data` (dicts and lists) as (path, depth, container), `data` itself at
    depth 1, walked without recursion."""
    stack: list[tuple[Any, tuple[str | int, ...], int]] = [(data, (), 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, dict):
            yield path, depth, node
            stack.extend((v, (*path, k), depth + 1) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            yield path, depth, node
            stack.extend((v, (*path, i), depth + 1) for i, v in enumerate(node) if isinstance(v, dict | list))


def too_deep(data: Any, limit: int = MAX_NESTING_DEPTH) -> tuple[str | int, ...] | None:
    """The path of the first container nested deeper than `limit`, or None when all are within it."""
    for path, depth, _ in iter_containers(data):
        if depth > limit:
            return path[:limit]
    return None


def too_wide(data: Any, limit: int = MAX_TABLE_KEYS) -> tuple[str | int, ...] | None:
    """The path of the first table (dict) with more than `limit` keys, or None."""
    for path, _, node in iter_containers(data):
        if isinstance(node, dict) and len(node) > limit:
            return path
    return None


def whole(name: str, value: Any) -> int:
    """`value` as an int for an API argument (numpy integers too, not bool or '100'); TypeError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        import numpy as np

        if not isinstance(value, np.integer):
            raise TypeError(f"{name}: expected a whole number (int), got {type(value).__name__} {shorten(value, 40)}")
    return int(value)


def check_int(name: str, value: Any, low: int, high: int, *, optional: bool = False) -> int | None:
    """`value` as an int within [low, high] for an API argument; TypeError or ValueError naming it."""
    if value is None and optional:
        return None
    number = whole(name, value)
    if not low <= number <= high:
        raise ValueError(f"{name}: expected a whole number from {low:,} to {high:,}; given: {number}")
    return number
