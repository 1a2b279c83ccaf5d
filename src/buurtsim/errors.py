"""Errors caused by user input. The CLI turns them into a clear message and exit status 2."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in the user's input (file, field, flag). The message names the file, the field,
    what was given and what is expected; no traceback is shown to the user."""

    exit_code = 2
