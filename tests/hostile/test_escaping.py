"""User text is escaped for where it is shown: CSV, Markdown tables, HTML, the dashboard's Markdown."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli

from buurtsim.escape import csv_cell, md_cell, safe_url
from buurtsim.teaching import get_lesson, new_record, set_prediction, write

NAMES = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "Anna | Bob", "regel\nbreuk", "Gewoon"]


def _record(folder: Path, i: int, student: str) -> None:
    les = get_lesson("les1")
    q = les.questions[0]
    opts = les.options(q.id)
    rec = set_prediction(new_record(les, student), les, q.id, opts[0].key if opts else 50)
    write(rec, folder / f"s{i}.json")


@pytest.fixture
def klas(tmp_path: Path) -> Path:
    folder = tmp_path / "klas"
    folder.mkdir()
    for i, name in enumerate(NAMES):
        _record(folder, i, name)
    return folder


def test_class_csv_neutralises_formulas(klas: Path, tmp_path: Path, hostile_cli: HostileCli) -> None:
    out = tmp_path / "klas.csv"
    code, _, err = hostile_cli("verzamel", str(klas), "--uit", str(out))
    assert code == 0, err
    with out.open(newline="", encoding="utf-8") as fh:
        students = {row["student"] for row in csv.DictReader(fh)}
    for name in NAMES:
        shown = name.strip()
        expected = "'" + shown if shown.startswith(("=", "+", "-", "@", "\t")) else shown
        assert expected in students
    assert not any(s.startswith(("=", "+", "-", "@")) for s in students)


def test_class_markdown_keeps_its_columns(klas: Path, tmp_path: Path, hostile_cli: HostileCli) -> None:
    out = tmp_path / "klas.md"
    assert hostile_cli("verzamel", str(klas), "--uit", str(out))[0] == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    columns = lines[0].count(" | ")
    for line in lines[2:]:
        assert line.replace("\\|", "").count(" | ") == columns, line
    assert "Anna \\| Bob" in out.read_text()
    assert len(lines) == 2 + len(NAMES) * len(get_lesson("les1").questions)


def test_report_escapes_manifest_text(tmp_path: Path, hostile_cli: HostileCli) -> None:
    from buurtsim.experiment import load_experiment, run_experiment

    run_experiment(load_experiment(write_experiment(tmp_path, replications=1)), tmp_path / "out", backend="serial")
    manifest_path = tmp_path / "out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["experiment"]["title"] = "<script>alert('titel')</script>"
    manifest["experiment"]["description"] = "<img src=x onerror=alert(1)>"
    manifest["scenarios"][0]["title"] = "<b>vet</b>"
    manifest_path.write_text(json.dumps(manifest))
    code, _, err = hostile_cli("report", str(tmp_path / "out"))
    assert code == 0, err
    page = (tmp_path / "out" / "report.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>vet" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("text", [
    "[x](javascript:alert(1))", "[x](JaVa\tScRiPt:alert(1))", "[x](javascript&#58;alert(1))", "[x](data:text/html,hoi)",
    "[x][r]\n\n[r]: javascript:alert(1)", "![plaatje](javascript:alert(1))", "<a href='javascript:alert(1)'>x</a>",
    "<script>alert(1)</script>", "[x](vbscript:msgbox)", "[x]( javascript:alert(1))",
])
def test_dashboard_markdown_has_no_script_links(text: str) -> None:
    from buurtsim.dashboard.components import markdown_html

    page = markdown_html(text)
    assert "javascript:" not in page.lower().replace("\t", "") or "&lt;" in page
    assert "<script" not in page and "<img" not in page and "href=\"data:" not in page and "vbscript:" not in page.split(">x<")[0]


def test_dashboard_markdown_keeps_safe_links() -> None:
    from buurtsim.dashboard.components import markdown_html

    page = markdown_html("[bron](https://www.movisie.nl) en [mail](mailto:docent@school.nl)")
    assert 'href="https://www.movisie.nl"' in page and 'href="mailto:docent@school.nl"' in page


def test_helpers() -> None:
    assert csv_cell("=1+1") == "'=1+1" and csv_cell(-3.0) == -3.0 and csv_cell("Anna") == "Anna"
    assert md_cell("a|b\nc") == "a\\|b c"
    assert safe_url("HTTPS://x") and not safe_url("java\nscript:alert(1)") and not safe_url("/relative")


def test_an_uploaded_description_with_a_script_link_is_shown_inert(tmp_path: Path) -> None:
    import base64

    from buurtsim.dashboard.components import markdown_html
    from buurtsim.dashboard.state import Session

    session = Session(n_residents=50)
    text = '[scenario]\nname = "x"\ntitle = "x"\ndescription = "[klik](javascript:alert(document.cookie))"\n'
    src = session.upload({"name": "x.toml", "b64": base64.b64encode(text.encode()).decode()})
    assert src is not None
    assert "javascript" not in markdown_html(src.scenario.description)
    shutil.rmtree(tmp_path, ignore_errors=True)
