"""The Excel workbook: four sheets (five over plausible worlds: the robustness verdicts), numbers
stored as numbers with number formats (so a Dutch Excel shows 963.300 and 0,52), self-reliance in
points, one language; text that looks like a formula stays text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.experiment.conftest import write_ensemble, write_experiment

from buurtsim.experiment import load_experiment, robustness, run_experiment
from buurtsim.experiment.robustness import explanation, results_robustness, sentence, verdict_text, wilson, worlds_note
from buurtsim.experiment.store import load_manifest
from buurtsim.experiment.workbook import write_workbook
from buurtsim.metrics import label


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wb")
    out = folder / "out"
    run_experiment(load_experiment(write_experiment(folder, names=("basis", "presentie"), replications=3)), out, backend="serial")
    return out


def test_workbook_holds_numbers_with_formats(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_workbook(results, tmp_path / "r.xlsx", lang="nl")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Samenvatting", "Resultaten per run", "Parameters", "Herkomst"]
    summary = wb["Samenvatting"]
    rows = list(summary.iter_rows(min_row=2, values_only=False))
    sliding = next(r for r in rows if r[1].value == "Bewoners afglijdend aan het eind (verschil)")
    assert all(isinstance(c.value, float) for c in sliding[3:6])  # mean, low, high: numbers, not text
    assert sliding[3].number_format == "#,##0"
    assert sliding[7].value in ("verschil", "niet te onderscheiden")
    npv = next(r for r in rows if r[1].value == "Netto contante waarde")
    assert isinstance(npv[3].value, float) and "€" in npv[3].number_format
    runs = wb["Resultaten per run"]
    headers = [c.value for c in runs[1]]
    sr = headers.index("Gemiddelde zelfredzaamheid")
    values = [r[sr] for r in runs.iter_rows(min_row=2, values_only=True)]
    assert len(values) == 6 and all(isinstance(v, float) and 1 < v < 100 for v in values)  # points, not 0-1
    assert runs.cell(2, sr + 1).number_format == "0.0"
    params = {r[0]: r[1] for r in wb["Parameters"].iter_rows(min_row=2, values_only=True)}
    assert params["discontovoet"] == pytest.approx(0.0225) and params["replicaties"] == 3


def test_workbook_in_english(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(write_workbook(results, tmp_path / "r.xlsx", lang="en"))
    assert wb.sheetnames == ["Summary", "Per-run results", "Parameters", "Provenance"]
    labels = [r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)]
    assert "Net present value" in labels and "Netto contante waarde" not in labels


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny experiment over a 3-member ensemble: basis and presentie in the same 4 plausible worlds."""
    folder = tmp_path_factory.mktemp("wb_worlds")
    write_ensemble(folder / "ens.json", 3)
    path = write_experiment(folder, names=("basis", "presentie"), replications=4, extra='uncertainty = "ens.json"\n')
    out = folder / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    return out


HEADERS = {
    "nl": ["scenario A", "scenario B", "uitkomst", "week", "werelden", "werelden met A voor (gelijk telt half)", "aandeel A voor",
           "95%-interval laag", "95%-interval hoog", "oordeel", "in woorden"],
    "en": ["scenario A", "scenario B", "outcome", "week", "worlds", "worlds with A ahead (ties count half)", "share A ahead",
           "95% CI low", "95% CI high", "verdict", "in words"],
}


@pytest.mark.parametrize(("lang", "title"), [("nl", "Robuustheid"), ("en", "Robustness")])
def test_robustness_sheet_holds_the_verdicts_over_plausible_worlds(worlds: Path, tmp_path: Path, lang: str, title: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(write_workbook(worlds, tmp_path / "r.xlsx", lang=lang))
    assert wb.sheetnames[1] == title and len(wb.sheetnames) == 5
    ws = wb[title]
    assert [c.value for c in ws[1]] == HEADERS[lang]
    verdicts = results_robustness(worlds)
    assert len(verdicts) == 6  # one pair (presentie against the baseline), six headline outcomes
    rows = list(ws.iter_rows(min_row=2, max_row=1 + len(verdicts)))
    for v, row in zip(verdicts, rows, strict=True):
        values = [c.value for c in row]
        assert values[:5] == ["presentie", "basis", label(v.metric, lang), v.tick, 4]
        assert values[5] == v.wins + v.ties / 2
        assert values[6:9] == pytest.approx([v.share, v.low, v.high])
        assert values[6:9] == pytest.approx([values[5] / 4, *wilson(values[5], 4)])  # share and interval from the worlds shown
        assert all(c.number_format == "0.0%" for c in row[6:9])
        assert values[9:] == [verdict_text(v, lang), sentence(v, lang)]
    notes = [r[0] for r in ws.iter_rows(min_row=2 + len(verdicts), values_only=True)]
    unc = load_manifest(worlds)["experiment"]["uncertainty"]
    assert notes == [None, worlds_note(unc, lang), explanation(lang)]


def test_no_robustness_sheet_without_plausible_worlds(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for lang in ("nl", "en"):
        names = load_workbook(write_workbook(results, tmp_path / f"r-{lang}.xlsx", lang=lang)).sheetnames
        assert len(names) == 4 and not {"Robuustheid", "Robustness"} & set(names)


def test_a_scenario_name_like_a_formula_stays_text(worlds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-edited results folder could name a scenario '=HYPERLINK(...)': the cell holds that text, not a formula."""
    from openpyxl import load_workbook

    hostile = '=HYPERLINK("http://example.invalid","x")'
    real = robustness.results_robustness(worlds)
    monkeypatch.setattr(robustness, "results_robustness", lambda *a, **k: [replace(v, a=hostile) for v in real])
    ws = load_workbook(write_workbook(worlds, tmp_path / "r.xlsx", lang="en"))["Robustness"]
    cells = [ws.cell(2, 1), *(c for c in ws[2] if str(c.value).startswith("="))]
    assert ws.cell(2, 1).value == hostile
    assert all(c.data_type == "s" for c in cells)
