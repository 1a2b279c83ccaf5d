"""Subcommand `dashboard`: serve the interactive dashboard with `solara run` (a subprocess).

It binds to 127.0.0.1 by default, turns off Solara's telemetry and version check, and points
Solara's asset fallback at an unreachable local address, so the page never makes (or causes the
server to make) a request that leaves the machine; all JavaScript, CSS and fonts come from the
`solara-assets` package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import typer

from buurtsim.errors import UserError
from buurtsim.limits import DASHBOARD_IDLE_RELEASE

APP_MODULE = "buurtsim.dashboard.app"
#: Where Solara would fetch an asset that solara-assets lacks; a closed local port, so it fails
#: fast and visibly in the server log instead of quietly going to the internet.
OFFLINE_CDN = "http://127.0.0.1:9/buurtsim-offline-no-cdn/"


def solara_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the Solara server: no telemetry, assets served locally, no CDN, and the
    session of a disconnected page released after DASHBOARD_IDLE_RELEASE (not Solara's 24 hours)."""
    env = dict(os.environ if base is None else base)
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


def dashboard_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on (0: a free port)."),
    dev: bool = typer.Option(False, "--dev", help="Development mode: reload when source files change."),
) -> None:
    """Serve the dashboard; open the printed address in a browser. Stop with Ctrl+C."""
    cmd = solara_command(host, port, production=not dev)
    if dev:
        cmd.append("--auto-restart")
    typer.echo(f"buurtsim dashboard: http://{host}:{port}/  (Ctrl+C stops)")
    try:
        proc = subprocess.Popen(cmd, env=solara_env())
    except FileNotFoundError:
        raise UserError("the 'solara' command was not found; install buurtsim with its dependencies (make install)") from None
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        raise typer.Exit(0) from None
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the app."""
    app.command("dashboard", help="Serve the interactive dashboard (Solara) on this machine.")(dashboard_cmd)
