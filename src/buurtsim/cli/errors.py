"""Re-export of the user-error type for the command line."""

from buurtsim.errors import UserError

__all__ = ["UserError"]
