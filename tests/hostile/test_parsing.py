"""What a parser raises besides its syntax errors: a whole number of more than 4,300 digits (Python's
int() refuses it with a bare ValueError), nesting deeper than the interpreter's stack and dotted keys
deep enough to make the TOML parser quadratic. Every file a user hands in (scenario, experiment,
price table, targets, manifest, prediction file, ensemble, dashboard upload) is refused with exit 2
and a message naming the file, never a traceback."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from tests.hostile.conftest import HostileCli, assert_refused

from buurtsim.safe_io import TomlRefused, parse_json, parse_toml

LONG = "9" * 5000
HEADER = '[scenario]\nname = "x"\ntitle = "x"\n'


def test_parse_toml_names_the_line_of_a_long_number() -> None:
    with pytest.raises(TomlRefused) as info:
        parse_toml(f'a = 1\nb = {LONG}\n')
    assert info.value.line == 2 and "4,300 digits" in info.value.reason


def test_parse_toml_refuses_deep_keys_and_nesting_as_decode_errors() -> None:
    import tomllib

    with pytest.raises(tomllib.TOMLDecodeError, match="nested too deeply"):
        parse_toml("[" + ".".join(["a"] * 5000) + "]\n")
    with pytest.raises(tomllib.TOMLDecodeError, match=r"nested too deeply \(at line 2"):
        parse_toml("a = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    assert parse_toml("a = [[1], {b = 2}]\n") == {"a": [[1], {"b": 2}]}


def test_parse_json_reports_a_long_number_as_malformed_json() -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        parse_json('{\n "a": ' + LONG + "}")
    assert info.value.lineno == 2 and "4,300 digits" in info.value.msg
    assert parse_json('{"a": 12}') == {"a": 12}


@pytest.mark.parametrize("command, name, text", [
    ("validate", "s.toml", HEADER + f"seed = {LONG}\n"),
    ("experiment", "e.toml", f'[experiment]\nname = "e"\nscenarios = ["basis"]\nmaster_seed = {LONG}\n'),
    ("prices", "p.toml", f"[mkba]\ndiscount_rate = {LONG}\n"),
    ("prices", "p.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n"),
    ("prices", "p.toml", "[" + ".".join(["a"] * 100_000) + "]\n"),
    ("calibrate", "t.toml", f"[[target]]\nlow = {LONG}\n"),
    ("calibrate", "t.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n"),
])
def test_toml_inputs_refuse_long_numbers_and_deep_nesting(command: str, name: str, text: str, tmp_path: Path,
                                                          hostile_cli: HostileCli) -> None:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    args = {"validate": [str(f)], "experiment": [str(f), "--backend", "serial"], "prices": [str(f)],
            "calibrate": ["--targets", str(f), "--out", str(tmp_path / "ens.json")]}[command]
    assert_refused(hostile_cli(command, *args, timeout=60), name)


def test_a_manifest_and_a_prediction_file_with_a_long_number_are_refused(tmp_path: Path, hostile_cli: HostileCli) -> None:
    results = tmp_path / "uit"
    results.mkdir()
    (results / "manifest.json").write_text('{"producer": "buurtsim", "format": 2, "experiment": {"master_seed": ' + LONG + "}}")
    assert_refused(hostile_cli("compare", str(results)), "manifest.json", "4,300 digits")
    klas = tmp_path / "klas"
    klas.mkdir()
    (klas / "a.json").write_text('{"format": "buurtsim-voorspellingen", "version": ' + LONG + "}")
    assert_refused(hostile_cli("verzamel", str(klas)), "a.json", "4,300 digits")
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_dashboard_upload_with_a_long_number_is_refused() -> None:
    from buurtsim.dashboard.state import Session

    session = Session(n_residents=50)
    text = HEADER + f"seed = {LONG}\n"
    assert session.upload({"name": "x.toml", "b64": base64.b64encode(text.encode()).decode()}) is None
    assert "4,300 digits" in (session.upload_error.value or "")
