"""`buurtsim klas` refuses bad starts with a clear message and exit 2, before anything is served, and
prints its join details in the language asked for."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from buurtsim.cli.classroom_cmds import check_host


def test_host_beyond_this_machine_needs_the_flag() -> None:
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        check_host(host, network=False)
    for host in ("0.0.0.0", "192.168.1.5", "::"):
        with pytest.raises(Exception, match="--netwerk"):
            check_host(host, network=False)
        check_host(host, network=True)


def test_busy_port_unknown_lesson_and_too_many_residents(run_cli, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, _, err = run_cli("klas", "les1", "--port", str(port), "--uit", str(tmp_path / "a"))
    assert code == 2 and f"--port {port}" in err and "choose another port" in err
    assert not (tmp_path / "a").exists()
    code, _, err = run_cli("klas", "les9", "--uit", str(tmp_path / "b"))
    assert code == 2 and "unknown lesson 'les9'" in err
    code, _, err = run_cli("klas", "les1", "--bewoners", "50000", "--uit", str(tmp_path / "c"))
    assert code == 2 and "--bewoners" in err


def test_klas_checks_its_language(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("klas", "les1", "--lang", "fr", "--uit", str(tmp_path / "d"))
    assert code == 2 and "--lang: expected nl or en" in err and "Error" not in err
    code, _, err = run_cli("klas", "les9", "--lang", "en", "--uit", str(tmp_path / "e"))
    assert code == 2 and err.startswith("Error:") and "Fout" not in err


def test_klas_speaks_english_when_asked(run_cli, tmp_path: Path, monkeypatch) -> None:
    """The printed join details in one language; the server itself is replaced by a stand-in here."""
    from buurtsim.classroom import server

    served = []
    monkeypatch.setattr(server, "serve", lambda srv, host, port, on_close=None: served.append((host, port)))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run_cli("klas", "les1", "--lang", "en", "--port", str(port), "--uit", str(tmp_path / "k"))
    assert code == 0, err
    assert served == [("127.0.0.1", port)]
    assert "Lesson: les1 — Why the effect fades" in out and "Students:" in out and "Lecturer:" in out and "Class record:" in out
    for dutch in ("Les:", "Studenten", "Docent:", "Klasverslag", "stoppen"):
        assert dutch not in out
