"""`buurtsim klas` (alias `classroom`): run a lesson with a whole class from one laptop."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from buurtsim.cli.options import LangOpt
from buurtsim.errors import UserError
from buurtsim.formatting import check_lang, pick

MAX_RESIDENTS = 2000
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_host(host: str, network: bool) -> None:
    """Only 127.0.0.1 unless the lecturer says --netwerk; UserError otherwise."""
    if host in LOOPBACK:
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    if not network:
        raise UserError(f"--host {host}: the class server listens only on 127.0.0.1 unless you add --netwerk "
                        "(then everyone on this network who has the code can join)")


def lan_address() -> str:
    """This machine's address on the local network (best guess; no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def check_port_free(host: str, port: int) -> None:
    """UserError when another program already listens on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise UserError(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); choose another port "
                            "with --port, or stop the program that uses it") from None


def classroom_cmd(
    lesson_id: Annotated[str, typer.Argument(help="Lesson id, e.g. les1.")],
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1 unless --netwerk).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1024, max=65535)] = 8770,
    netwerk: Annotated[bool, typer.Option("--netwerk", "--network",
                                          help="Allow listening beyond this computer (for a class on the room's network).")] = False,
    bewoners: Annotated[int, typer.Option("--bewoners", "--residents", help=f"Residents per run (at most {MAX_RESIDENTS}).",
                                          min=50, max=MAX_RESIDENTS)] = 300,
    parallel: Annotated[int, typer.Option("--tegelijk", "--parallel", help="Runs at the same time (0: one per core).",
                                          min=0, max=16)] = 0,
    uit: Annotated[Path, typer.Option("--uit", "--out", help="Folder for the class record.")] = Path("klas"),
    lang: LangOpt = "nl",
) -> None:
    """Start a class session: print the join code and the lecturer's link, serve until Ctrl-C."""
    from buurtsim.classroom.server import ClassServer, serve
    from buurtsim.classroom.session import ClassSession
    from buurtsim.teaching import get_lesson

    check_lang(lang)
    check_host(host, netwerk)
    check_port_free(host, port)
    if uit.exists() and not uit.is_dir():
        raise UserError(f"--uit {uit}: exists and is not a folder")
    lesson = get_lesson(lesson_id)
    shown_lesson = lesson.localized(lang)
    lesson.scenario_paths()  # every scenario file is there before anyone joins
    workers = parallel or max(1, (os.cpu_count() or 2))
    session = ClassSession(lesson, uit, n_residents=bewoners)
    shown_host = lan_address() if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{port}/"
    server = ClassServer(session, parallel=workers, public_url=url)
    typer.echo(f"{pick(lang, 'Les', 'Lesson')}: {lesson.id} — {shown_lesson.title.replace('*', '')}")
    typer.echo(f"{pick(lang, 'Studenten', 'Students')}: {url}")
    typer.echo(f"Code: {session.code}")
    typer.echo(f"{pick(lang, 'Docent', 'Lecturer')}: http://127.0.0.1:{port}/docent?token={session.lecturer_token}")
    typer.echo(pick(lang, f"Klasverslag: {uit / session.stem}.json (.csv, .md); stoppen: Ctrl-C",
                    f"Class record: {uit / session.stem}.json (.csv, .md); stop: Ctrl-C"))
    serve(server, host, port, on_close=lambda: typer.echo(pick(lang, f"Bewaard: {uit / session.stem}.json", f"Saved: {uit / session.stem}.json")))


def register(app: typer.Typer) -> None:
    """Add `klas` (and the hidden English alias `classroom`) to the app."""
    app.command("klas", help="Een les met de hele klas: deelnamecode, docentscherm, klasverslag (classroom).")(classroom_cmd)
    app.command("classroom", hidden=True)(classroom_cmd)
