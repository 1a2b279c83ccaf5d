"""The Excel workbook: four sheets, numbers stored as numbers with number formats (so a Dutch Excel
shows 963.300 and 0,52), self-reliance in points, one language."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.experiment import load_experiment, run_experiment
from buurtsim.experiment.workbook import write_workbook


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
