"""The class record on disk: JSON (everything), CSV (one row per student and question) and a
Markdown summary, each written atomically so a stop (Ctrl-C, SIGTERM, a crash) never leaves a
half-written file.

Everything a student typed is treated as hostile: CSV cells that a spreadsheet would run as a
formula (starting with = + - @, tab or carriage return) get a leading apostrophe, and '|' in
Markdown table cells is escaped.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from buurtsim.escape import csv_cell, md_cell

CSV_COLUMNS = ("lesson", "code", "student", "question", "prediction", "outcome", "hit", "seed", "run_seconds")


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file in the same folder and a rename (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The CSV of the class record (formula-safe)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(row.get(k, "")) for k in CSV_COLUMNS})
    return buf.getvalue()


def markdown_text(title: str, rows: list[dict[str, Any]]) -> str:
    """A Markdown summary table of the class record ('|' escaped)."""
    lines = [f"# {md_cell(title)}", "", "| " + " | ".join(CSV_COLUMNS) + " |", "|" + "---|" * len(CSV_COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(md_cell(row.get(k, "")) for k in CSV_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def save_record(folder: Path, stem: str, record: dict[str, Any], rows: list[dict[str, Any]]) -> list[Path]:
    """Write <stem>.json, <stem>.csv and <stem>.md into folder; returns the paths."""
    paths = [folder / f"{stem}.json", folder / f"{stem}.csv", folder / f"{stem}.md"]
    write_atomic(paths[0], json.dumps(record, ensure_ascii=False, indent=1, default=str) + "\n")
    write_atomic(paths[1], csv_text(rows))
    write_atomic(paths[2], markdown_text(str(record.get("title", stem)), rows))
    return paths
