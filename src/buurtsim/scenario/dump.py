"""Writing a scenario back as a TOML scenario file (e.g. the dashboard's "save as scenario file").

A small TOML emitter (strings, numbers, booleans, arrays, inline tables) so that no extra
dependency is needed. `load_scenario_text(dump_scenario(s)) == s` for every valid scenario.
"""

from __future__ import annotations

import math
import re
from typing import Any

from buurtsim.policies.base import WEEKS_PER_YEAR, PolicyConfig
from buurtsim.scenario.schema import HEADER_FIELDS, NEIGHBOURHOOD_FIELDS, NETWORK_FIELDS, NEWCOMER_FIELDS, Scenario

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_key(key: str) -> str:
    """A key, quoted when it is not a bare TOML key."""
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string with every character that needs it escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF:  # C1 too; surrogates: shown, never valid
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A Python value (str, bool, int, float, list/tuple, dict) as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = [f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} in TOML")


def _duration(weeks: int) -> int | str:
    """Whole years as '10y' (more readable), anything else as weeks."""
    return f"{weeks // WEEKS_PER_YEAR}y" if weeks and weeks % WEEKS_PER_YEAR == 0 else weeks


def _policy_lines(config: PolicyConfig) -> list[str]:
    """The [[policies]] block: type, name, timeline, then the settings that differ from the defaults."""
    data = config.model_dump(mode="python")
    defaults = type(config).model_fields
    lines = ["[[policies]]", f"type = {toml_value(data.pop('type'))}"]
    for key in ("start", "end"):
        if data.get(key) is not None:
            data[key] = _duration(int(data[key]))
    for key, value in data.items():
        field = defaults.get(key)
        default = None if field is None or field.is_required() else field.get_default(call_default_factory=True)
        if default is not None and hasattr(default, "model_dump"):
            default = default.model_dump(mode="python")
        if key in ("start", "end") and default is not None:
            default = _duration(int(default))
        if value == default and key != "name":
            continue
        if value is None:
            if default is None:
                continue
            raise ValueError(f"policy {config.label}: {key} is empty but its default is not; TOML cannot write an empty value")
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v is not None}
        lines.append(f"{toml_key(key)} = {toml_value(value)}")
    return lines


def dump_scenario(scenario: Scenario, header_comment: str | None = None) -> str:
    """TOML text of a scenario that loads back to an equal scenario; an optional comment goes on top."""
    out: list[str] = []
    comment = header_comment if header_comment is not None else "Scenariobestand voor buurtsim (geëxporteerd). Controleer met: buurtsim validate <bestand>"
    out.extend(f"# {line}".rstrip() for line in comment.splitlines())
    out.append("")
    out.append("[scenario]")
    header = scenario.model_dump(include=set(HEADER_FIELDS))
    header["horizon"] = _duration(scenario.horizon)
    for key in HEADER_FIELDS:
        out.append(f"{key} = {toml_value(header[key])}")
    neighbourhood = {k: v for k, v in scenario.params.items() if k in NEIGHBOURHOOD_FIELDS}
    network = {k: v for k, v in scenario.params.items() if k in NETWORK_FIELDS}
    rest = {k: v for k, v in scenario.params.items() if k not in NEIGHBOURHOOD_FIELDS and k not in NETWORK_FIELDS}
    newcomers = {k: getattr(scenario.newcomers, k) for k in NEWCOMER_FIELDS if getattr(scenario.newcomers, k) is not None}
    for table, values in (("neighbourhood", neighbourhood), ("neighbourhood.newcomers", newcomers), ("network", network), ("params", rest)):
        if values:
            out.append("")
            out.append(f"[{table}]")
            out.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in values.items())
    for config in scenario.policies:
        out.append("")
        out.extend(_policy_lines(config))
    return "\n".join(out) + "\n"
