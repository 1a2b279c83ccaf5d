"""Help screens without type noise: a flag (--force, --resume, --help) takes no value, so typer's
`<bool>` after it says nothing; a repeatable option shows its element type once with '...'."""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_original = TyperOption.display_type_rich


def _display_type_rich(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag or self.is_bool_flag:
        return None
    shown = _original(self, ctx)
    if shown and shown.startswith("<list[") and shown.endswith("]>"):
        return f"<{shown[6:-2]}> ..."
    return shown


def quiet_flag_types() -> None:
    """Install the quieter type column on typer's options (idempotent)."""
    TyperOption.display_type_rich = _display_type_rich  # type: ignore[method-assign]
