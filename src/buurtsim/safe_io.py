"""Reading files a user hands in, and checking places a user asks buurtsim to write to.

Reading refuses what is not a regular file (a folder, a FIFO that would block forever, a device,
a symlink loop) and anything over the size limit, before reading more than the limit. Parsing
(`parse_toml`, `parse_json`) turns what the parsers raise besides their syntax errors (a whole
number of more than 4,300 digits, nesting deeper than the interpreter's stack) into those syntax
errors, so every caller's message for a malformed file also covers them. Writing
checks that a target is not a folder and that its folder exists and can be written, so a bad
`--out` ends in a message naming the flag, not a traceback. Errors are `UserError`s (exit 2).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from buurtsim.errors import UserError
from buurtsim.limits import MAX_FILE_BYTES, MAX_KEY_DEPTH, MAX_NESTING_DEPTH, shorten


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


#: A run of digits longer than Python converts to an int (sys.get_int_max_str_digits, 4,300 by default).
_LONG_NUMBER = re.compile(rf"[0-9][0-9_]{{{max(sys.get_int_max_str_digits(), 1) - 1},}}")


def _position(text: str, index: int) -> tuple[int, int]:
    """(line, column), both from 1, of a character index in `text`."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _long_number(text: str) -> int:
    """Where the first whole number too long for Python to convert starts (0 when none is found)."""
    m = _LONG_NUMBER.search(text)
    return m.start() if m else 0


def _nesting_line(text: str) -> int:
    """The line where bracket nesting first exceeds MAX_NESTING_DEPTH (a linear scan that does not
    skip strings: only used once the parser has given up), else 1."""
    depth, line = 0, 1
    for ch in text:
        if ch == "\n":
            line += 1
        elif ch in "[{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                return line
        elif ch in "]}":
            depth = max(0, depth - 1)
    return 1


class TomlRefused(tomllib.TOMLDecodeError):
    """TOML text refused by `parse_toml` for a reason beyond syntax; `reason`, `line` and `expected`
    say why, where and what instead. Its message ends like tomllib's, '(at line N, column M)'."""

    def __init__(self, reason: str, line: int, column: int, expected: str) -> None:
        self.reason, self.line, self.expected = reason, line, expected
        super().__init__(f"{reason} (at line {line}, column {column})")


def parse_toml(text: str) -> dict[str, Any]:
    """TOML text parsed as `tomllib.loads` does, within the limits every TOML input shares.

    Syntax errors are tomllib's own `TOMLDecodeError`. A dotted key or table header of more than
    MAX_KEY_DEPTH keys (refused before parsing: the parser's work grows with the square of its depth),
    nesting deeper than the parser can follow and a whole number of more than 4,300 digits raise
    `TomlRefused`, a `TOMLDecodeError` too, so callers need no other clause.
    """
    from buurtsim.scenario.locate import too_deep_key  # the scenario package imports this module

    if (line := too_deep_key(text)) is not None:
        raise TomlRefused("a dotted key or table header is nested too deeply", line, 1,
                          f"at most {MAX_KEY_DEPTH} keys in a dotted key or table header")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise TomlRefused("tables, arrays or dotted keys are nested too deeply", _nesting_line(text), 1,
                          f"at most {MAX_NESTING_DEPTH} levels") from None
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        line, column = _position(text, _long_number(text))
        raise TomlRefused(f"a whole number has more than {sys.get_int_max_str_digits():,} digits", line, column,
                          "a number of ordinary size") from None


def parse_json(text: str | bytes) -> Any:
    """JSON text parsed as `json.loads` does; a whole number of more than 4,300 digits raises
    `json.JSONDecodeError` naming its line and column, like any other malformed JSON. Nesting
    deeper than the parser can follow raises `RecursionError`, which callers report themselves."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        raise json.JSONDecodeError(f"a whole number has more than {sys.get_int_max_str_digits():,} digits", doc,
                                   _long_number(doc)) from None


def within(path: Path, folder: Path) -> bool:
    """True when `path` lies in `folder` or below it, both resolved (symbolic links followed), so
    neither '..', an absolute path nor a link can lead out; False when either cannot be resolved."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte, a name too long
        return False


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
