"""`--lang` on every command; `buurtsim dashboard --lang en`: the page opens in English (the language travels to the Solara
server in BUURTSIM_DASHBOARD_LANG, which a new page reads); a wrong language stops with exit 2."""

from __future__ import annotations

import pytest

from buurtsim.cli.dashboard_cmds import solara_env
from buurtsim.dashboard.i18n import start_lang
from buurtsim.dashboard.state import Session


def test_the_language_reaches_the_server_and_a_new_page(monkeypatch: pytest.MonkeyPatch) -> None:
    env = solara_env({}, lang="en")
    assert env["BUURTSIM_DASHBOARD_LANG"] == "en"
    assert "BUURTSIM_DASHBOARD_LANG" not in solara_env({})
    monkeypatch.setenv("BUURTSIM_DASHBOARD_LANG", "en")
    assert start_lang() == "en" and Session(n_residents=50).lang.value == "en"
    monkeypatch.setenv("BUURTSIM_DASHBOARD_LANG", "xx")
    assert start_lang() == "nl"
    monkeypatch.delenv("BUURTSIM_DASHBOARD_LANG")
    assert Session(n_residents=50).lang.value == "nl"


def test_a_wrong_language_exits_2(run_cli) -> None:
    code, _, err = run_cli("dashboard", "--lang", "fr")
    assert code == 2 and "--lang: expected nl or en" in err


def test_every_command_takes_lang() -> None:
    """Issue 12: `--lang nl|en` on every command, including the teaching and class commands."""
    import typer.main

    from buurtsim.cli import app

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    missing = [name for name, c in commands.items() if "--lang" not in [o for p in c.params for o in getattr(p, "opts", [])]]
    assert len(commands) >= 20 and missing == []
