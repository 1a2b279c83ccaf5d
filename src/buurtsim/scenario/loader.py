"""Reading scenario files: size and encoding checks, TOML parsing, validation with located errors.

Every problem becomes a `ScenarioError` listing all problems found, each with the file, the line
(see `locate` for how validation errors are placed), the key path, what was given, what is
expected and, for a misspelt name, the closest valid names. Nothing is written.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from buurtsim.limits import MAX_FILE_BYTES, MAX_NESTING_DEPTH, MAX_TABLE_KEYS, too_deep, too_wide
from buurtsim.params import param_names
from buurtsim.safe_io import FileRefused, TomlRefused, parse_toml, read_user_file, size_text
from buurtsim.scenario.errors import Problem, ScenarioError
from buurtsim.scenario.locate import KeyLines
from buurtsim.scenario.schema import (
    HEADER_FIELDS,
    NEIGHBOURHOOD_FIELDS,
    NETWORK_FIELDS,
    NEWCOMER_FIELDS,
    TABLES,
    Issue,
    KeyPath,
    Newcomers,
    Scenario,
    close_matches,
    issues_from_validation,
    params_issues,
    path_str,
    policy_issues,
    show_value,
    validate_policy,
)

#: Files larger than this are refused before they are parsed (see `buurtsim.limits`).
MAX_BYTES = MAX_FILE_BYTES

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")
_UNQUOTED_TEXT = re.compile(r"^\s*[A-Za-z0-9_.\"'-]+\s*=\s*[A-Za-z\u00c0-\u024f]")


def _fail(source: str, message: str, line: int | None = None, **kw: Any) -> ScenarioError:
    return ScenarioError([Problem(file=source, path=kw.pop("path", ""), message=message, line=line, **kw)])


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError naming file, line, field and fix."""
    source = str(path)
    p = Path(path)
    try:
        if not p.exists() and not p.is_symlink():
            hits = _nearby_names(p)
            raise _fail(source, "file not found", suggestion=", ".join(hits) or None)
    except OSError:
        pass
    try:
        data = read_user_file(p, what="scenario file", limit=MAX_BYTES)
    except FileRefused as exc:
        expected = f"a scenario file, e.g. {p / '<name>.toml'}" if exc.reason.startswith("this is a folder") else None
        raise _fail(source, exc.reason, expected=expected) from None
    return load_scenario_bytes(data, source=source)


def _nearby_names(p: Path) -> list[str]:
    """Existing scenario files with a name close to a missing one (same folder, and the library)."""
    candidates: dict[str, str] = {}
    try:
        folder = p.parent if str(p.parent) else Path(".")
        if folder.is_dir():
            for f in sorted(folder.glob("*.toml"))[:500]:
                candidates[f.name] = str(f)
    except OSError:
        pass
    try:
        from buurtsim.scenario.library import shipped_scenarios

        for name, f in shipped_scenarios().items():
            candidates.setdefault(Path(name).name + ".toml", str(f))
    except OSError:
        pass
    hits = close_matches(p.name if p.suffix else p.name + ".toml", list(candidates))
    return [candidates[h] for h in hits]


def load_scenario_bytes(data: bytes, source: str = "<upload>") -> Scenario:
    """Validate a scenario given as raw bytes (an upload): size, binary and UTF-8 checks, then the text."""
    if len(data) > MAX_BYTES:
        raise _fail(source, f"file too large (more than {size_text(MAX_BYTES)}); scenario files may be at most {size_text(MAX_BYTES)}")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise _fail(source, "this is a binary file, not a text (TOML) scenario file", line=line, expected="UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _fail(
            source,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read); save the file as UTF-8",
            line=line,
            expected="UTF-8 text",
        ) from None
    return load_scenario_text(text.removeprefix("\ufeff"), source=source)


def load_scenario_text(text: str, source: str = "<upload>") -> Scenario:
    """Validate a scenario given as TOML text; `source` names it in messages (a path or '<upload>')."""
    if not isinstance(text, str):
        raise _fail(source, "expected the text of a scenario file", given=type(text).__name__)
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise _fail(source, f"file too large; scenario files may be at most {size_text(MAX_BYTES)}")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _fail(source, "this is a binary file, not a text (TOML) scenario file", line=line, expected="UTF-8 text")
    if not text.strip():
        raise _fail(source, "the file is empty", expected="at least a [scenario] table with name and title")
    try:
        data = parse_toml(text)  # also refuses too-deep dotted keys before parsing, with their line
    except TomlRefused as exc:
        raise _fail(source, exc.reason, line=exc.line, expected=exc.expected) from None
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text, source) from None
    lines = KeyLines(text)
    if (problem := structure_problem(data, source, lines)) is not None:
        raise ScenarioError([problem])
    if not data:
        raise _fail(source, "the file holds no settings (only comments or blank lines)", expected="at least a [scenario] table with name and title")
    return scenario_from_data(data, source=source, lines=lines)


def nesting_message() -> str:
    """The message for a file nested deeper than MAX_NESTING_DEPTH."""
    return "tables, arrays or dotted keys are nested too deeply"


def structure_problem(data: Any, source: str, lines: KeyLines) -> Problem | None:
    """A located problem when parsed data is nested deeper than MAX_NESTING_DEPTH or has a table
    wider than MAX_TABLE_KEYS (checked before anything else looks at the keys), else None."""
    path = too_deep(data)
    if path is not None:
        return Problem(file=source, path=path_str(path[:3]) + (" ..." if len(path) > 3 else ""), message=nesting_message(),
                       line=lines.line_of(path), expected=f"at most {MAX_NESTING_DEPTH} levels")
    path = too_wide(data)
    if path is not None:
        return Problem(file=source, path=path_str(path) or "top level", message="too many keys in one table",
                       line=lines.line_of(path), expected=f"at most {MAX_TABLE_KEYS:,} keys")
    return None


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, source: str) -> ScenarioError:
    msg = str(exc)
    line: int | None = None
    col: int | None = None
    if m := _TOML_POSITION.search(msg):
        line, col = int(m.group(1)), int(m.group(2))
        msg = msg[: m.start()]
    elif m := _TOML_END.search(msg):
        line = max(1, len(text.splitlines()))
        msg = msg[: m.start()] + " at the end of the file"
    given = None
    expected = None
    if line is not None:
        lines = text.splitlines()
        if 0 < line <= len(lines):
            given = show_value(lines[line - 1].strip(), limit=100)
            if _UNQUOTED_TEXT.match(lines[line - 1]):
                expected = 'text in double quotes, e.g. title = "Mijn scenario"'
    where = f" (column {col})" if col is not None else ""
    message = f"TOML syntax error{where}: {msg[:1].lower() + msg[1:]}"
    return _fail(source, message, line=line, given=given, expected=expected)


def _problems(issues: list[Issue], source: str, lines: KeyLines | None) -> list[Problem]:
    out = [
        Problem(
            file=source,
            path=path_str(x.path),
            message=x.message,
            line=lines.line_of(x.path) if lines else None,
            given=x.given,
            expected=x.expected,
            suggestion=x.suggestion,
        )
        for x in issues
    ]
    return sorted(out, key=lambda p: (p.line is None, p.line or 0))


def _unknown_key(table: KeyPath, key: str, options: list[str] | tuple[str, ...]) -> Issue:
    """An unknown key, with close names in this table or a hint where it belongs instead."""
    path = (*table, key)
    hits = close_matches(key, options)
    if hits:
        return Issue(path, f"unknown key '{key}'", suggestion=", ".join(hits))
    home = _home_table(key)
    if home and home != path_str(table):
        return Issue(path, f"'{key}' does not belong in [{path_str(table) or 'top level'}]; write it in [{home}]")
    shown = "one of: " + ", ".join(options) if len(options) <= 12 else None
    if shown is None and table == ("params",):
        shown = "a model parameter name (see `buurtsim params`)"
    return Issue(path, f"unknown key '{key}'", expected=shown)


def _home_table(key: str) -> str | None:
    if key in HEADER_FIELDS:
        return "scenario"
    if key in NEIGHBOURHOOD_FIELDS:
        return "neighbourhood"
    if key in NETWORK_FIELDS:
        return "network"
    if key in NEWCOMER_FIELDS:
        return "neighbourhood.newcomers"
    if key in param_names():
        return "params"
    return None


def _table(data: dict[str, Any], key: str, issues: list[Issue], hint: str) -> dict[str, Any]:
    value = data.get(key, {})
    if isinstance(value, dict):
        return value
    issues.append(Issue((key,), f"'{key}' must be a table", show_value(value), hint))
    return {}


def scenario_from_data(data: dict[str, Any], source: str = "<data>", lines: KeyLines | None = None) -> Scenario:
    """Validate parsed TOML data (nested dicts) into a Scenario; all problems are reported together."""
    issues: list[Issue] = []
    for key, value in data.items():
        if key in TABLES:
            continue
        if not isinstance(value, dict) and _home_table(key):
            issues.append(Issue((key,), f"'{key}' is written before any table; put it under [{_home_table(key)}]"))
        else:
            hits = close_matches(key, TABLES)
            issues.append(Issue((key,), f"unknown table '{key}'", suggestion=", ".join(f"[{h}]" for h in hits) or None,
                                expected=None if hits else "tables: " + ", ".join(f"[{t}]" for t in TABLES)))

    # [scenario]
    header: dict[str, Any] = {}
    if "scenario" not in data:
        issues.append(Issue(("scenario",), "the [scenario] table is missing", expected="a [scenario] table with at least name and title"))
    else:
        raw = _table(data, "scenario", issues, "[scenario] with name, title, description, seed, horizon")
        for key in raw:
            if key not in HEADER_FIELDS:
                issues.append(_unknown_key(("scenario",), key, HEADER_FIELDS))
        header = {k: v for k, v in raw.items() if k in HEADER_FIELDS}
        if "scenario" in data and isinstance(data["scenario"], dict):
            for key in ("name", "title"):
                if key not in raw:
                    issues.append(Issue(("scenario", key), "required key is missing", expected="text" if key == "title" else "a short identifier, e.g. \"basis\""))
    header_ok: Scenario | None = None
    if {"name", "title"} <= header.keys():
        try:
            header_ok = Scenario.model_validate(header)
        except ValidationError as exc:
            issues.extend(issues_from_validation(exc, ("scenario",), Scenario))

    # [neighbourhood], [neighbourhood.newcomers], [network], [params]
    overrides: dict[str, Any] = {}
    origin: dict[str, KeyPath] = {}
    tables = (
        ("neighbourhood", NEIGHBOURHOOD_FIELDS, "[neighbourhood] with population settings"),
        ("network", NETWORK_FIELDS, "[network] with tie settings"),
        ("params", tuple(param_names()), "[params] with model parameters"),
    )
    newcomers_raw: dict[str, Any] = {}
    for table, allowed, hint in tables:
        raw = _table(data, table, issues, hint)
        for key, value in raw.items():
            if table == "neighbourhood" and key == "newcomers":
                if isinstance(value, dict):
                    newcomers_raw = value
                else:
                    issues.append(Issue((table, key), "'newcomers' must be a table", show_value(value), "[neighbourhood.newcomers] with income_shares, potential_shift"))
                continue
            if key not in allowed:
                options = (*allowed, "newcomers") if table == "neighbourhood" else allowed
                issues.append(_unknown_key((table,), key, options))
                continue
            if key in overrides:
                issues.append(Issue((table, key), f"given twice: also in [{origin[key][0]}]; keep one", show_value(value)))
                continue
            overrides[key] = value
            origin[key] = (table, key)
    newcomer_values: dict[str, Any] = {}
    for key, value in newcomers_raw.items():
        if key not in NEWCOMER_FIELDS:
            issues.append(_unknown_key(("neighbourhood", "newcomers"), key, tuple(NEWCOMER_FIELDS)))
            continue
        pname = NEWCOMER_FIELDS[key]
        if pname in overrides:
            issues.append(Issue(origin[pname], f"given twice: also as [neighbourhood.newcomers] {key}; keep one", show_value(overrides[pname])))
            continue
        newcomer_values[pname] = value
        origin[pname] = ("neighbourhood", "newcomers", key)
    resolved, param_problems = params_issues({**overrides, **newcomer_values}, origin)
    issues.extend(param_problems)

    # [[policies]]
    configs = []
    policies_ok = True
    raw_policies = data.get("policies", [])
    if isinstance(raw_policies, dict):
        issues.append(Issue(("policies",), "policies must be written as [[policies]] (double brackets), one block per policy"))
        raw_policies = []
    elif not isinstance(raw_policies, list):
        issues.append(Issue(("policies",), "wrong type", show_value(raw_policies), "[[policies]] blocks, one per policy"))
        raw_policies = []
    for i, spec in enumerate(raw_policies):
        config, found = validate_policy(spec, ("policies", i))
        issues.extend(found)
        policies_ok &= config is not None
        if config is not None:
            configs.append(config)
    if policies_ok:
        horizon = header_ok.horizon if header_ok is not None else 10**12
        issues.extend(policy_issues(configs, horizon))

    if issues:
        raise ScenarioError(_problems(issues, source, lines))
    assert header_ok is not None and resolved is not None
    try:
        return Scenario(
            **header_ok.model_dump(include=set(HEADER_FIELDS)),
            params={k: getattr(resolved, k) for k in overrides},
            newcomers=Newcomers(**{k: getattr(resolved, p) for k, p in NEWCOMER_FIELDS.items() if p in newcomer_values}),
            policies=configs,
            source=source,
        )
    except ValidationError as exc:  # a check missed above: still a clean message
        raise _fail(source, f"scenario not accepted: {exc.errors()[0]['msg']}") from None
