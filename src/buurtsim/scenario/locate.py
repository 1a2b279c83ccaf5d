"""Find the line of a key in TOML text, for error messages.

`tomllib` reports lines only for syntax errors. For validation errors we scan the text once: we
follow `[table]` and `[[array]]` headers (counting array entries, so `policies[1]` is the second
`[[policies]]` block) and note the line of every `key = ...` and dotted `a.b = ...` under them. A
path that was not written literally (a default, a key inside an inline table or a multi-line array)
falls back to its closest written parent. Keys inside multi-line strings are skipped. This is a
heuristic, good enough for pointing at the right line; it never affects what is accepted. Key paths
are cut at `MAX_KEY_DEPTH` keys, so the scan takes time linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from buurtsim.limits import MAX_KEY_DEPTH

Path = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_KEYPATH = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_AOT = re.compile(rf"^\s*\[\[\s*({_KEYPATH})\s*\]\]")
_TABLE = re.compile(rf"^\s*\[\s*({_KEYPATH})\s*\]")
_ASSIGN = re.compile(rf"^\s*({_KEYPATH})\s*=")
_PART = re.compile(rf"\s*({_KEY})\s*(?:\.|$)")


def split_keypath(text: str, limit: int = MAX_KEY_DEPTH) -> list[str]:
    """Split a TOML key path like `a."b.c".d` into its keys, unquoted; at most `limit` keys are kept
    (deeper keys are refused by the loader, and capping keeps the scan linear in the text)."""
    keys: list[str] = []
    for m in _PART.finditer(text):
        if len(keys) >= limit:
            break
        k = m.group(1)
        if len(k) >= 2 and k[0] == k[-1] and k[0] in "\"'":
            k = k[1:-1]
        keys.append(k)
    return keys


def key_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that may hold a key: comments and the inside of
    multi-line strings are skipped."""
    in_string: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if line.lstrip().startswith("#"):
            continue
        yield lineno, line
        for delim in ('"""', "'''"):
            if line.count(delim) % 2 == 1:
                in_string = delim
                break


class KeyLines:
    """Line numbers (1-based) of the tables and keys written in a TOML text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Path, int] = {}
        self._aot_count: dict[Path, int] = {}
        self._scan(text)

    def _resolve(self, keys: list[str]) -> Path:
        out: Path = ()
        for k in keys:
            out = (*out, k)
            if out in self._aot_count:
                out = (*out, self._aot_count[out] - 1)
        return out

    def _note(self, path: Path, lineno: int) -> None:
        self.lines.setdefault(path, lineno)

    def _scan(self, text: str) -> None:
        current: Path = ()
        for lineno, line in key_lines(text):
            if m := _AOT.match(line):
                keys = split_keypath(m.group(1))
                prefix = (*self._resolve(keys[:-1]), keys[-1])
                self._aot_count[prefix] = self._aot_count.get(prefix, 0) + 1
                current = (*prefix, self._aot_count[prefix] - 1)
                self._note(prefix, lineno)
                self._note(current, lineno)
            elif m := _TABLE.match(line):
                current = self._resolve(split_keypath(m.group(1)))
                for i in range(1, len(current) + 1):
                    self._note(current[:i], lineno)
            elif m := _ASSIGN.match(line):
                keys = split_keypath(m.group(1))
                for i in range(1, len(keys) + 1):
                    self._note((*current, *keys[:i]), lineno)

    def line_of(self, path: Path) -> int | None:
        """Line of `path`, or of its closest written parent; None when nothing on the path was written."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def too_deep_key(text: str, limit: int = MAX_KEY_DEPTH) -> int | None:
    """The first line whose table header or dotted key has more than `limit` keys, or None.

    Run before parsing: a parser's work on a deep dotted key grows with the square of its depth.
    Key paths inside inline tables are found too (each `{` starts a new key path).
    """
    for lineno, line in key_lines(text):
        for piece in re.split(r"[{,]", line) if "{" in line else (line,):
            m = _AOT.match(piece) or _TABLE.match(piece) or _ASSIGN.match(piece)
            if m and len(split_keypath(m.group(1), limit + 1)) > limit:
                return lineno
    return None
