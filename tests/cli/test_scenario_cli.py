"""`buurtsim validate`, `buurtsim schema` and `buurtsim list`: output, exit status 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import CliRun

from buurtsim.cli import scenario_cmds

GOOD = '[scenario]\nname = "goed"\ntitle = "Een goed scenario"\n[[policies]]\ntype = "outreach"\n'
BAD = '[scenario]\nname = "fout"\ntitle = "Fout"\n[params]\nshock_prb = 0.01\n'


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "goed.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "fout.toml").write_text(BAD, encoding="utf-8")
    (tmp_path / "binair.toml").write_bytes(b"\x00\x01\x02")
    (tmp_path / "leeg.toml").write_text("", encoding="utf-8")
    return {p.stem: p for p in tmp_path.glob("*.toml")}


def test_validate_good_file(run_cli: CliRun, files: dict[str, Path]) -> None:
    code, out, _ = run_cli("validate", str(files["goed"]))
    assert code == 0
    assert "OK" in out and "Een goed scenario" in out and "1 maatregel" in out


def test_validate_bad_file_exits_2_with_located_problem(
    run_cli: CliRun, files: dict[str, Path]
) -> None:
    code, out, err = run_cli("validate", str(files["goed"]), str(files["fout"]))
    assert code == 2
    assert "OK" in out and "1 van 2 bestanden in orde" in out
    assert f"{files['fout']}, line 5: params.shock_prb: unknown key 'shock_prb' (did you mean: shock_prob" in err
    assert "FOUT" in err and "1 van 2 bestanden afgekeurd" in err and "files" not in out + err


def test_validate_in_english(run_cli: CliRun, files: dict[str, Path]) -> None:
    """--lang en: the whole frame in English, no Dutch word beside it (issue 12: one language per output)."""
    code, out, err = run_cli("validate", "--lang", "en", str(files["goed"]), str(files["fout"]))
    assert code == 2
    assert "1 policy" in out and "horizon" in out and "1 of 2 files OK" in out
    assert "ERROR" in err and "1 problem" in err and "1 of 2 files have problems" in err
    for dutch in ("maatregel", "weken", "bestanden", "FOUT", "probleem", "Fout"):
        assert dutch not in out + err
    code, _, err = run_cli("validate", "--lang", "fr", str(files["goed"]))
    assert code == 2 and "--lang" in err


def test_schema_out_in_english(run_cli: CliRun, tmp_path: Path) -> None:
    code, out, _ = run_cli("schema", "--lang", "en", "--out", str(tmp_path / "s.json"))
    assert code == 0 and "Schema written to" in out and "geschreven" not in out


@pytest.mark.parametrize(("name", "words"), [("binair", "binary"), ("leeg", "empty")])
def test_validate_binary_and_empty(
    run_cli: CliRun, files: dict[str, Path], name: str, words: str
) -> None:
    code, _, err = run_cli("validate", str(files[name]))
    assert code == 2 and words in err and str(files[name]) in err


def test_validate_missing_file_and_folder(run_cli: CliRun, tmp_path: Path) -> None:
    code, _, err = run_cli("validate", str(tmp_path / "nergens.toml"), str(tmp_path))
    assert code == 2
    assert "nergens.toml: file not found" in err and "this is a folder, not a file" in err


def test_validate_needs_a_file(run_cli: CliRun) -> None:
    code, _, _ = run_cli("validate")
    assert code == 2


def test_schema_prints_json(run_cli: CliRun) -> None:
    code, out, _ = run_cli("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "buurtsim scenario file" and "policies" in schema["properties"]


def test_schema_out_writes_file(run_cli: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "scenario.schema.json"
    code, _, _ = run_cli("schema", "--out", str(target))
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["type"] == "object"
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.schema.json"], "no temporary files left behind"


def test_schema_out_bad_folder_writes_nothing(run_cli: CliRun, tmp_path: Path) -> None:
    code, _, err = run_cli("schema", "--out", str(tmp_path / "nee" / "s.json"))
    assert code == 2 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []
    code, _, err = run_cli("schema", "--out", str(tmp_path))
    assert code == 2 and "folder" in err


def test_list_shows_scenarios_and_tolerates_odd_experiments(
    run_cli: CliRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, files: dict[str, Path]
) -> None:
    exp = tmp_path / "exp"
    exp.mkdir()
    (exp / "vergelijk.toml").write_text('[experiment]\nname = "vergelijk"\ntitle = "Carrousel tegen presentie"\n', encoding="utf-8")
    (exp / "kapot.toml").write_text("[experiment\n", encoding="utf-8")
    (exp / "raar.toml").write_text("experiment = 3\n", encoding="utf-8")
    monkeypatch.setattr(scenario_cmds, "shipped_scenarios", lambda: {"goed": files["goed"], "fout": files["fout"]})
    monkeypatch.setattr(scenario_cmds, "shipped_experiments", lambda: {p.stem: p for p in sorted(exp.glob("*.toml"))})
    code, out, _ = run_cli("list")
    assert code == 0
    assert "Een goed scenario" in out and "Carrousel tegen presentie" in out
    assert "kapot" in out and "kan niet gelezen worden" in out and "raar" in out


def test_help_texts_are_plain(run_cli: CliRun) -> None:
    for cmd, words in (("validate", "Check scenario files"), ("schema", "JSON Schema"), ("list", "scenarios and experiments")):
        code, out, _ = run_cli(cmd, "--help")
        assert code == 0 and words in out


def test_real_command_exit_status(tmp_path: Path) -> None:
    bad = tmp_path / "fout.toml"
    bad.write_text(BAD, encoding="utf-8")
    exe = Path(sys.executable).with_name("buurtsim")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from buurtsim.cli import main; main()"]
    proc = subprocess.run([*cmd, "validate", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "line 5" in proc.stderr and "shock_prob" in proc.stderr and "Traceback" not in proc.stderr
