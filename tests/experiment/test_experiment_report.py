"""The HTML report renders, holds every scenario, embeds its figures and loads nothing from outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.errors import UserError
from buurtsim.experiment import build_report, load_experiment, run_experiment


def test_report_is_self_contained_and_complete(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, names=("basis", "carrousel", "presentie"), replications=2, extra="final_residents = true\n")
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    report = build_report(out)
    assert report == out / "report.html"
    text = report.read_text(encoding="utf-8")
    for name in ("basis", "carrousel", "presentie"):
        assert text.count(name) >= 3, name
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) >= 8
    assert all(len(i) > 1000 for i in images)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "<script" not in text
    for heading in ("Het antwoord", "Maatschappelijk rendement (MKBA)", "Bijlage: tabellen en grafieken", "Tijdreeksen", "Verdelingen aan het eind", "Herkomst"):
        assert heading in text
    # the answer comes first, then the social return, then the appendix
    assert text.index("id='answer'") < text.index("id='mkba'") < text.index("id='appendix'")
    assert "id='difference-chart'" in text
    assert "afglijdende bewoners" in text and "bewonersjaren" in text and "Netto contante waarde" in text
    assert "In de basislijn (basis) zelf, van week 0 tot week 36" in text
    assert "Werkgroep Discontovoet (2020)" in text
    # readable labels and no 'inf' effect sizes or code names in the tables
    assert "Gemiddelde zelfredzaamheid (punten 0-100)" in text
    assert "<td>mean_self_reliance</td>" not in text and "<td>inf</td>" not in text
    assert "duurzaamheid" in text
    assert load_experiment(path).sha256 in text
    english = build_report(out, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "The answer" in english and "Het antwoord" not in english and "Net present value" in english


def test_report_without_results_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="results directory not found"):
        build_report(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="manifest"):
        build_report(tmp_path / "empty")


def test_results_with_few_stored_outcomes_still_report(tmp_path: Path) -> None:
    # results stored before the answer existed, or with `outputs` limited: no cost, no sliding share;
    # the report says what it can and states plainly what it cannot compute
    path = write_experiment(tmp_path, extra='outputs = ["mean_self_reliance", "participation_rate"]\n')
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    text = build_report(out).read_text(encoding="utf-8")
    assert "id='answer'" in text and "gemiddelde zelfredzaamheid" in text
    assert "Niet te berekenen" in text  # the social return needs cost_eur and population
    assert "afglijdende bewoners" not in text.split("id='mkba'")[0]


def test_sweep_points_get_their_own_answer(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, extra="[sweep]\nmethod = \"grid\"\n[sweep.grid]\nshock_prob = [0.004, 0.008]\n")
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    text = build_report(out, lang="en").read_text(encoding="utf-8")
    for point in ("carrousel [p0] compared with basis [p0]", "carrousel [p1] compared with basis [p1]"):
        assert point in text
    assert text.count("class='mkba'") == 2


def test_a_declared_pair_gets_its_own_answer_in_report_workbook_and_compare(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from buurtsim.experiment.answer import summarise
    from buurtsim.experiment.workbook import write_workbook

    path = write_experiment(tmp_path, names=("basis", "carrousel", "presentie"),
                            extra='baseline = "basis"\npairs = [["presentie", "carrousel"]]\n')
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    text = build_report(out, lang="en").read_text(encoding="utf-8")
    assert "<h3>presentie compared with carrousel</h3>" in text
    assert "presentie compared with carrousel: at the end" in text  # its sentences, not only a heading
    assert text.count("class='mkba'") == 2  # the social return stays priced against the baseline
    _, found = summarise(out, lang="nl")
    titles = [title for title, _, _ in found]
    assert titles == ["carrousel", "presentie", "presentie tegenover carrousel"]
    assert found[-1][2] == []
    book = tmp_path / "book.xlsx"
    write_workbook(out, book, lang="en")
    cells = {row[0] for row in load_workbook(book).worksheets[0].iter_rows(values_only=True)}
    assert "presentie compared with carrousel" in cells
