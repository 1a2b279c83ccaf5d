"""Reading files a user hands in, and checking places a user asks buurtsim to write to.

Reading refuses what is not a regular file (a folder, a FIFO that would block forever, a device,
a symlink loop) and anything over the size limit, before reading more than the limit. Writing
checks that a target is not a folder and that its folder exists and can be written, so a bad
`--out` ends in a message naming the flag, not a traceback. Errors are `UserError`s (exit 2).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from buurtsim.errors import UserError
from buurtsim.limits import MAX_FILE_BYTES, shorten


class FileRefused(UserError, ValueError):
    """A file cannot be read as input; `reason` says why without the path (callers add it)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{shorten(path)}: {reason}")


def size_text(n: int) -> str:
    """Bytes as '1.0 MiB' or '512 bytes'."""
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that points to itself (a loop); cannot be read"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    return f"cannot be read: {exc.strerror or exc}"


def read_user_file(path: str | Path, *, what: str = "file", limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or FileRefused saying why not.

    The file is opened without blocking, so a FIFO or device is refused instead of waited on.
    """
    source = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileRefused(source, f"{what} not found") from None
    except OSError as exc:
        raise FileRefused(source, _os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused(source, f"this is a folder, not a file (expected a {what})")
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(source, f"not a regular file (a pipe, socket or device); expected a {what}")
    if st.st_size > limit:
        raise FileRefused(source, f"file too large ({size_text(st.st_size)}); a {what} may be at most {size_text(limit)}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat above
                raise FileRefused(source, f"not a regular file; expected a {what}")
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FileRefused(source, _os_reason(exc)) from None
    if len(data) > limit:
        raise FileRefused(source, f"file too large (more than {size_text(limit)}); a {what} may be at most {size_text(limit)}")
    return data


def _probe_dir(folder: Path, flag: str) -> None:
    """Refuse a folder that cannot be written (read-only, /proc, full), by creating a temporary file."""
    try:
        fd, name = tempfile.mkstemp(prefix=".buurtsim-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise UserError(f"{flag} {shorten(str(folder))}: cannot write in this folder ({exc.strerror or exc})") from None


def check_output_file(path: str | Path, flag: str, example: str) -> Path:
    """A file path a command may write: not a folder, in an existing writable folder.

    `example` is a file name to suggest when a folder is given (e.g. 'report.html').
    """
    p = Path(path)
    try:
        if p.is_dir():
            raise UserError(f"{flag} {shorten(str(p))}: this is a folder; give a file name, e.g. {shorten(str(p / example))}")
        if p.exists() and not p.is_file():
            raise UserError(f"{flag} {shorten(str(p))}: exists and is not a regular file")
        parent = p.parent if str(p.parent) else Path(".")
        if not parent.is_dir():
            raise UserError(f"{flag} {shorten(str(p))}: folder {shorten(str(parent))} does not exist")
    except OSError as exc:
        raise UserError(f"{flag} {shorten(str(p))}: {_os_reason(exc)}") from None
    _probe_dir(parent, flag)
    return p


def check_output_dir(path: str | Path, flag: str = "--out") -> Path:
    """A results folder a command may create and write: creates it (and its parents) when missing."""
    p = Path(path)
    try:
        if p.exists() and not p.is_dir():
            raise UserError(f"{flag} {shorten(str(p))}: exists and is not a folder")
        p.mkdir(parents=True, exist_ok=True)
    except UserError:
        raise
    except OSError as exc:
        raise UserError(f"{flag} {shorten(str(p))}: cannot create this folder ({_os_reason(exc).removeprefix('cannot be read: ')})") from None
    _probe_dir(p, flag)
    return p
