"""Text from files that buurtsim prints (scenario and experiment titles and descriptions, policy
names, student names) may hold no control characters: ESC would let a file clear the screen,
recolour or rewrite earlier lines, or plant a hyperlink in the terminal of whoever validates or runs
it. Such files are refused (exit 2, field named) and nothing of them reaches the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.hostile.conftest import HostileCli, assert_refused

from buurtsim.escape import plain_text_problem
from buurtsim.teaching import get_lesson, new_record, write

ESC = "\\u001b[2J\\u001b]8;;http://example.invalid\\u0007klik\\u001b]8;;\\u0007"
HEADER = '[scenario]\nname = "x"\ntitle = "x"\n'


@pytest.mark.parametrize(("text", "field"), [
    (f'[scenario]\nname = "x"\ntitle = "a{ESC}"\n', "scenario.title"),
    (HEADER + f'description = "regel\\n{ESC}"\n', "scenario.description"),
    (HEADER + f'[[policies]]\ntype = "project_carousel"\nname = "p{ESC}"\n', "policies[0]"),
    (HEADER + 'description = "\\u009b31m"\n', "scenario.description"),  # the one-byte C1 form of ESC [
])
def test_control_characters_in_scenario_text_are_refused(text: str, field: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    code, out, err = hostile_cli("validate", str(f))
    assert_refused((code, out, err), "s.toml", field, "control character")
    assert "\x1b" not in out + err and "\x9b" not in out + err


def test_an_experiment_title_with_escape_is_refused(tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "e.toml"
    f.write_text(f'[experiment]\nname = "e"\ntitle = "{ESC}"\nscenarios = ["basis"]\n', encoding="utf-8")
    code, out, err = hostile_cli("experiment", str(f), "--backend", "serial")
    assert_refused((code, out, err), "experiment.title", "control character")
    assert "\x1b" not in out + err


def test_a_student_name_with_escape_is_refused(tmp_path: Path, hostile_cli: HostileCli) -> None:
    klas = tmp_path / "klas"
    klas.mkdir()
    write(new_record(get_lesson("les1"), "Anna"), klas / "a.json")
    data = json.loads((klas / "a.json").read_text(encoding="utf-8"))
    data["student"] = "Bob\x1b[2J"
    (klas / "b.json").write_text(json.dumps(data), encoding="utf-8")
    code, out, err = hostile_cli("verzamel", str(klas))
    assert_refused((code, out, err), "b.json", "student", "control character")
    assert "\x1b" not in out + err


def test_plain_text_keeps_line_breaks_only_where_asked() -> None:
    assert plain_text_problem("Wijk \u00e9\u00e9n: zelfredzaamheid \u2014 samen") is None
    assert plain_text_problem("twee\nregels\tmet tab", lines=True) is None
    assert "U+000A" in (plain_text_problem("twee\nregels") or "")
    assert "U+007F" in (plain_text_problem("del\x7f") or "")
