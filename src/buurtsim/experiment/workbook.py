"""An Excel workbook of a results directory (openpyxl): summary, robustness over plausible worlds
(experiments over an ensemble only), per-run results, parameters and provenance, in one language.

Numbers are stored as numbers with number formats (thousands, decimals, %, euros); Excel shows
them with the separators of the reader's locale (a Dutch Excel shows 963.300 and 0,52), so the
workbook opens correctly everywhere. Text stays text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from buurtsim.formatting import POINT_METRICS, pick

COUNT = "#,##0"
DECIMAL = "#,##0.00"
POINTS = "0.0"
PERCENT = "0.0%"
EUROS = '"€" #,##0'
MAX_CELL_TEXT = 32_000  # Excel's limit per cell is 32,767 characters


def _cell(value: Any) -> Any:
    """Missing numbers become empty cells; numpy scalars plain Python numbers; long text is cut."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return value[:MAX_CELL_TEXT]
    return value


def _append(ws: Any, row: list[Any]) -> None:
    """Append a row as values only: openpyxl would store text starting with '=' (a hand-edited
    scenario name, say) as a formula that Excel runs, so every cell it took for one is made text."""
    ws.append([_cell(v) for v in row])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet(wb: Any, title: str, headers: list[str], rows: list[list[Any]], formats: dict[int, str] | None = None) -> Any:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title=title[:31])
    _append(ws, headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        _append(ws, row)
    for col, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if isinstance(cell.value, int | float):
                cell.number_format = fmt
    for i, h in enumerate(headers, start=1):
        width = max([len(str(h)), *(len(str(r[i - 1])) for r in rows[:200] if i - 1 < len(r) and r[i - 1] is not None)])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width + 2)
    ws.freeze_panes = "A2"
    return ws


def _unit_format(unit: str) -> str:
    if unit == "EUR":
        return EUROS
    if unit.startswith("punten") or unit.startswith("points"):
        return POINTS
    return DECIMAL if "1.000" in unit or "1,000" in unit else COUNT


def _ahead(v: Any) -> int | float:
    """Worlds in which A is ahead, a tie counting half (a whole number when there is no half)."""
    ahead = v.wins + v.ties / 2
    return int(ahead) if ahead == int(ahead) else ahead


def _robustness_sheet(wb: Any, out: str | Path, manifest: dict[str, Any], lang: str) -> None:
    """Experiments over plausible worlds: per scenario pair and outcome the share of worlds in which A
    beats B with its Wilson interval, the verdict and the sentence, then the note on the worlds and
    how to read them (as the report's robustness section)."""
    from buurtsim.experiment import robustness
    from buurtsim.metrics import BY_NAME, label

    unc = manifest["experiment"].get("uncertainty")
    if not unc:
        return
    headers = [pick(lang, "scenario A", "scenario A"), pick(lang, "scenario B", "scenario B"), pick(lang, "uitkomst", "outcome"), "week",
               pick(lang, "werelden", "worlds"), pick(lang, "werelden met A voor (gelijk telt half)", "worlds with A ahead (ties count half)"),
               pick(lang, "aandeel A voor", "share A ahead"), pick(lang, "95%-interval laag", "95% CI low"),
               pick(lang, "95%-interval hoog", "95% CI high"), pick(lang, "oordeel", "verdict"), pick(lang, "in woorden", "in words")]
    rows = [[v.a, v.b, label(v.metric, lang) if v.metric in BY_NAME else v.metric, v.tick, v.n, _ahead(v),
             v.share, v.low, v.high, robustness.verdict_text(v, lang), robustness.sentence(v, lang)]
            for v in robustness.results_robustness(out, manifest)]
    ws = _sheet(wb, pick(lang, "Robuustheid", "Robustness"), headers, rows, {7: PERCENT, 8: PERCENT, 9: PERCENT})
    _append(ws, [])
    _append(ws, [robustness.worlds_note(unc, lang)])
    _append(ws, [robustness.explanation(lang)])


def write_workbook(out: str | Path, target: str | Path, *, lang: str = "nl", prices: str | Path | None = None) -> Path:
    """Write the workbook for the results in `out` to `target` (.xlsx); returns its path."""
    from openpyxl import Workbook

    from buurtsim.experiment.answer import (
        ANSWER_COLUMNS,
        REACH_COLUMNS,
        add_reached_effects,
        all_answers,
        answer_rows,
        results_frame,
    )
    from buurtsim.experiment.mkba import load_prices, mkba_all
    from buurtsim.experiment.report import provenance_rows
    from buurtsim.experiment.store import atomic_path, load_manifest
    from buurtsim.metrics import BY_NAME, METRIC_NAMES, label

    table = load_prices(prices)
    manifest = load_manifest(out)
    exp = manifest["experiment"]
    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    df = results_frame(out, manifest, [*ANSWER_COLUMNS, *REACH_COLUMNS, *(p.metric for p in table.prices), *METRIC_NAMES])
    wb = Workbook()
    wb.remove(wb.active)

    # summary: the answer's estimates, then the social return
    rows: list[list[Any]] = []
    units: list[str] = []
    found = all_answers(df, manifest, baseline=exp["baseline"])
    add_reached_effects(found, out, manifest)
    for ans in found:
        for r in answer_rows(ans, lang):
            rows.append([r["scenario"], r["label"], r["unit"], r["mean"], r["low"], r["high"], r["n"], r["verdict"]])
            units.append(r["unit"])
    labels = {p.name: p.label(lang) for p in table.prices}
    for sr in mkba_all(df, baseline=exp["baseline"], table=table, last_tick=last):
        items = [(pick(lang, "Extra kosten (contante waarde)", "Extra cost (present value)"), sr.pv_cost, "EUR"),
                 (pick(lang, "Baten (contante waarde)", "Benefits (present value)"), sr.pv_benefit, "EUR"),
                 (pick(lang, "Netto contante waarde", "Net present value"), sr.npv, "EUR"),
                 (pick(lang, "Baten/kosten-verhouding", "Benefit/cost ratio"), sr.ratio, "ratio"),
                 *((labels[k] + pick(lang, " (contante waarde)", " (present value)"), e, "EUR") for k, e in sr.benefits.items())]
        if sr.cost_per_year is not None:
            items.append((pick(lang, "Kosten per gewonnen bewonersjaar", "Cost per resident-year gained"), sr.cost_per_year, "EUR"))
        for name, e, unit in items:
            verdict = pick(lang, "verschil", "difference") if e.distinguishable else pick(lang, "niet te onderscheiden", "not distinguishable")
            rows.append([sr.scenario, name, unit, e.mean, e.low, e.high, e.n, "" if unit == "ratio" else verdict])
            units.append(unit)
    headers = [pick(lang, "scenario", "scenario"), pick(lang, "uitkomst", "outcome"), pick(lang, "eenheid", "unit"), pick(lang, "gemiddelde", "mean"),
               pick(lang, "95%-interval laag", "95% CI low"), pick(lang, "95%-interval hoog", "95% CI high"), "n", pick(lang, "oordeel", "verdict")]
    ws = _sheet(wb, pick(lang, "Samenvatting", "Summary"), headers, rows)
    for i, unit in enumerate(units, start=2):
        fmt = DECIMAL if unit == "ratio" else _unit_format(unit)
        for col in (4, 5, 6):
            if isinstance(ws.cell(i, col).value, int | float):
                ws.cell(i, col).number_format = fmt

    _robustness_sheet(wb, out, manifest, lang)

    # per run: every stored outcome at each run's last week, in the units people read
    keys = [c for c in ("scenario", "point", "replication") if c in df.columns]
    end = df[df["tick"] == df.groupby(keys)["tick"].transform("max")]
    metrics = [m for m in METRIC_NAMES if m in end.columns]
    names = {"scenario": "scenario", "point": pick(lang, "punt", "point"), "replication": pick(lang, "replicatie", "replication")}
    run_headers = [*(names[k] for k in keys), "week", *(label(m, lang) for m in metrics)]
    run_rows = [[*(row[k] for k in keys), row["tick"], *(row[m] for m in metrics)] for _, row in end.iterrows()]
    formats = {}
    for j, m in enumerate(metrics, start=len(keys) + 2):
        unit = BY_NAME[m].unit
        formats[j] = EUROS if unit == "EUR" else PERCENT if unit == "share" else COUNT if unit in ("persons", "count", "hours") else "0.000"
        if m in POINT_METRICS:
            formats[j] = POINTS
    for run_row in run_rows:  # self-reliance as 0-100 points, as everywhere else
        for j, m in enumerate(metrics, start=len(keys) + 1):
            if m in POINT_METRICS and run_row[j] is not None:
                run_row[j] = 100.0 * float(run_row[j])
    _sheet(wb, pick(lang, "Resultaten per run", "Per-run results"), run_headers, run_rows, formats)

    # parameters: the experiment's settings and the price table
    par = [[pick(lang, "experiment", "experiment"), exp.get("name")], [pick(lang, "basislijn", "baseline"), exp.get("baseline")],
           [pick(lang, "replicaties", "replications"), exp.get("replications")], ["master seed", exp.get("master_seed")],
           [pick(lang, "bewoners (override)", "residents (override)"), exp.get("n_residents")], [pick(lang, "weken (override)", "weeks (override)"), exp.get("ticks")]]
    par += [[f"param {k}", v] for k, v in (exp.get("params") or {}).items()]
    par += [[pick(lang, "discontovoet", "discount rate"), table.discount_rate], [pick(lang, "bron discontovoet", "discount rate source"), table.discount_source],
            [pick(lang, "prijstabel", "price table"), table.path], ["bootstrap", f"{table.bootstrap_samples} x, seed {table.bootstrap_seed}"]]
    par += [[f"{pick(lang, 'prijs', 'price')}: {p.label(lang)} ({p.unit})", p.value_eur] for p in table.prices]
    par += [[f"{pick(lang, 'bron', 'source')}: {p.label(lang)}", p.source] for p in table.prices]
    ws = _sheet(wb, pick(lang, "Parameters", "Parameters"), [pick(lang, "instelling", "setting"), pick(lang, "waarde", "value")],
                [[k, v if isinstance(v, int | float | str) or v is None else str(v)] for k, v in par])
    for a, b in ws.iter_rows(min_row=2, max_col=2):
        if a.value == pick(lang, "discontovoet", "discount rate"):
            b.number_format = "0.00%"
        elif isinstance(b.value, float) and str(a.value).startswith(pick(lang, "prijs", "price")):
            b.number_format = EUROS

    _sheet(wb, pick(lang, "Herkomst", "Provenance"), [pick(lang, "wat", "what"), pick(lang, "waarde", "value")], provenance_rows(manifest))
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target

