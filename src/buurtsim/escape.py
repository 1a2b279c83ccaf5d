"""Escaping user text for where it is shown: spreadsheets (CSV), Markdown tables, HTML links.

Text from users (student names, scenario descriptions, answers) is data, never instructions:
- CSV: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel
  and LibreOffice; such text cells get a leading apostrophe (shown as text, the OWASP advice).
- Markdown table cells: `|` would start a new column and a line break a new row.
- HTML links: only http, https and mailto links stay links (`javascript:` and the rest are dropped).
Rich markup in terminal output is handled where it is printed (`rich.text.Text`, `rich.markup.escape`).
- Terminals: control characters (ESC starts colour, cursor, screen-clearing and hyperlink sequences)
  are refused in text fields of files (`plain_text_problem`), so no file can drive the terminal
  of whoever validates or runs it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with every text cell made safe by `csv_cell` (numbers untouched)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(csv_cell)
    return out


def md_cell(value: Any) -> str:
    """Text for one Markdown table cell: `|` escaped, line breaks as spaces."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def safe_url(url: str) -> bool:
    """True for an http, https or mailto URL, as a browser would read it (entities decoded,
    invisible characters ignored, any case)."""
    plain = _INVISIBLE.sub("", html.unescape(url)).lower()
    return plain.startswith(SAFE_SCHEMES)


def plain_text_problem(text: str, *, lines: bool = False) -> str | None:
    """Why `text` is not plain text (its first control character: C0, DEL or C1, e.g. ESC), or None.
    With `lines`, line breaks and tabs are allowed (descriptions)."""
    allowed = "\n\r\t" if lines else ""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) == "Cc":
            return f"holds a control character (U+{ord(ch):04X}); expected plain text" + (" (line breaks are fine)" if lines else "")
    return None


def check_plain_text(text: str, *, lines: bool = False) -> str:
    """`text` unchanged, or a ValueError (for validators) saying which control character it holds."""
    problem = plain_text_problem(text, lines=lines)
    if problem is not None:
        raise ValueError(problem)
    return text


def check_plain_lines(text: str) -> str:
    """`check_plain_text` with line breaks and tabs allowed (descriptions)."""
    return check_plain_text(text, lines=True)


#: A text field of one line without control characters (titles, names), for pydantic models.
PlainLine = Annotated[str, AfterValidator(check_plain_text)]
#: A text field that may hold line breaks and tabs but no other control characters (descriptions).
PlainText = Annotated[str, AfterValidator(check_plain_lines)]
