"""Problems found in a scenario file, and the error that carries them to the user."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from buurtsim.errors import UserError
from buurtsim.limits import MAX_PROBLEMS, shorten


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (file, line, field path) and what (given, expected)."""

    file: str
    path: str
    message: str
    line: int | None = None
    given: str | None = None
    expected: str | None = None
    suggestion: str | None = None

    def __post_init__(self) -> None:
        # Text handed in from Python may hold lone surrogates; keep every field printable.
        for name in ("file", "path", "message", "given", "expected", "suggestion"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = value.encode("utf-8", "backslashreplace").decode("utf-8")
                object.__setattr__(self, name, shorten(value, 1000) if name == "file" else value)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict (file, line, path, message, given, expected, suggestion) for UIs."""
        return asdict(self)

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.given is not None:
            text += f"; given: {self.given}"
        if self.expected is not None:
            text += f"; expected: {self.expected}"
        if self.suggestion:
            text += f" (did you mean: {self.suggestion}?)"
        return text


class ScenarioError(UserError, ValueError):
    """A scenario file or scenario cannot be used. `problems` lists every problem found (as dicts)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problem_list = list(problems)[:MAX_PROBLEMS]
        self.not_listed = max(0, len(problems) - MAX_PROBLEMS)
        self.problems: list[dict[str, Any]] = [p.as_dict() for p in self.problem_list]
        super().__init__(self.format())

    def format(self) -> str:
        """One line per problem (at most MAX_PROBLEMS, the rest counted), after a header naming the file."""
        if len(self.problem_list) == 1 and not self.not_listed:
            return str(self.problem_list[0])
        files = sorted({p.file for p in self.problem_list})
        head = f"{len(self.problem_list) + self.not_listed} problems in {', '.join(files)}:"
        tail = [f"  ... and {self.not_listed} more"] if self.not_listed else []
        return "\n".join([head, *(f"  - {p}" for p in self.problem_list), *tail])
