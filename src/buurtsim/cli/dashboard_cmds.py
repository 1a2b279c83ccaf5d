"""Subcommand `dashboard`: serve the interactive dashboard with `solara run` (a subprocess).

It binds to 127.0.0.1 by default, turns off Solara's telemetry and version check, and points
Solara's asset fallback at an unreachable local address, so the page never makes (or causes the
server to make) a request that leaves the machine; all JavaScript, CSS and fonts come from the
`solara-assets` package.

The Solara server runs in its own process group; Ctrl+C, SIGTERM and SIGHUP to `buurtsim
dashboard` stop that whole group, so no server is left serving. `--port 0` picks a free port and
prints it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import FrameType

import typer

from buurtsim.errors import UserError
from buurtsim.formatting import check_lang, pick
from buurtsim.limits import DASHBOARD_IDLE_RELEASE, shorten

APP_MODULE = "buurtsim.dashboard.app"
#: Where Solara would fetch an asset that solara-assets lacks; a closed local port, so it fails
#: fast and visibly in the server log instead of quietly going to the internet.
OFFLINE_CDN = "http://127.0.0.1:9/buurtsim-offline-no-cdn/"


def solara_env(base: dict[str, str] | None = None, lang: str | None = None) -> dict[str, str]:
    """The environment for the Solara server: no telemetry, assets served locally, no CDN, the
    session of a disconnected page released after DASHBOARD_IDLE_RELEASE (not Solara's 24 hours),
    and the language a new page starts in (`BUURTSIM_DASHBOARD_LANG`, read by the dashboard)."""
    env = dict(os.environ if base is None else base)
    if lang is not None:
        env["BUURTSIM_DASHBOARD_LANG"] = lang
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    env.setdefault("SOLARA_ASSETS_PROXY", "true")
    env.setdefault("SOLARA_ASSETS_CDN", OFFLINE_CDN)
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", DASHBOARD_IDLE_RELEASE)  # release disconnected sessions
    return env


def solara_command(host: str, port: int, production: bool = True) -> list[str]:
    """The `solara run` command line that serves the dashboard."""
    exe = Path(sys.executable).with_name("solara")
    solara = [str(exe)] if exe.exists() else [shutil.which("solara") or "solara"]
    cmd = [*solara, "run", APP_MODULE, "--host", host, "--port", str(port), "--no-check-version", "--no-open"]
    if production:
        cmd.append("--production")
    return cmd


def free_port(host: str) -> int:
    """A TCP port that is free on `host` right now (for `--port 0`); UserError when `host` is not an
    address this machine can listen on."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as s:
            s.bind(address)
            return int(s.getsockname()[1])
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise UserError(f"--host {shorten(host, 100)}: cannot listen on this address ({getattr(exc, 'strerror', None) or exc}); "
                        "expected an address of this machine, e.g. 127.0.0.1") from None


class _Stopped(Exception):
    """SIGTERM or SIGHUP arrived while the dashboard was serving."""


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 10) -> int:
    """Stop the server and everything it started (its process group on POSIX); its exit code."""
    def send(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(proc.pid, sig)
            elif sig == signal.SIGTERM:
                proc.terminate()
            else:
                proc.kill()

    send(signal.SIGTERM)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(getattr(signal, "SIGKILL", signal.SIGTERM))
        return proc.wait()


def dashboard_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on (0: a free port)."),
    dev: bool = typer.Option(False, "--dev", help="Development mode: reload when source files change."),
    lang: str = typer.Option("nl", "--lang", metavar="nl|en", help="Taal waarin het dashboard opent: nl of en. / Language the dashboard opens in: nl or en."),
) -> None:
    """Serve the dashboard; open the printed address in a browser. Stop with Ctrl+C."""
    check_lang(lang)
    if port == 0:
        port = free_port(host)
    cmd = solara_command(host, port, production=not dev)
    if dev:
        cmd.append("--auto-restart")
    typer.echo(f"buurtsim dashboard: http://{host}:{port}/  ({pick(lang, 'Ctrl+C stopt', 'Ctrl+C stops')})")
    stop_signals = [sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig is not None]
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in stop_signals}
    try:
        try:
            proc = subprocess.Popen(cmd, env=solara_env(lang=lang), start_new_session=os.name == "posix")
        except FileNotFoundError:
            raise UserError("the 'solara' command was not found; install buurtsim with its dependencies (make install)") from None
        try:
            code = proc.wait()
        except (KeyboardInterrupt, _Stopped):
            stop_server(proc)
            raise typer.Exit(0) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("dashboard", help="Serve the interactive dashboard (Solara) on this machine.")(dashboard_cmd)
