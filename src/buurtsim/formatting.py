"""Numbers and words for people, per language: Dutch (963.300; 0,52) or English (963,300; 0.52).

All user-facing numbers in the CLI, the report and the dashboard go through here, so a language
choice changes every separator at once (babel's CLDR locale data). Self-reliance is kept 0-1 inside
the model and shown as 0-100 points (`points`).
"""

from __future__ import annotations

import math
from typing import Any

LANGS = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en_GB"}
#: Metrics on a 0-1 scale that people read as 0-100 points: self-reliance and its relatives, and the
#: residents' other scores (trust in institutions, perceived safety, collective efficacy). Statistics
#: of the network or a distribution (clustering, tie strength, Gini) stay on their own 0-1 scale.
POINT_METRICS = frozenset({"mean_self_reliance", "helpers_self_reliance", "reached_left_mean_self_reliance",
                           "reached_mean_self_reliance", "trust_in_institutions", "perceived_safety",
                           "collective_efficacy"})


def check_lang(lang: str) -> str:
    """`lang` if it is 'nl' or 'en'; otherwise a UserError naming the flag."""
    from buurtsim.errors import UserError

    if lang not in LANGS:
        raise UserError(f"--lang: expected nl or en; given: {lang!r}")
    return lang


def pick(lang: str, nl: str, en: str) -> str:
    """The Dutch or the English text."""
    return en if lang == "en" else nl


def missing(value: Any) -> bool:
    """True for None, nan and infinities (values that are shown as '-')."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def number(value: Any, lang: str = "nl", digits: int | None = None, *, sign: bool = False) -> str:
    """A number with the language's separators. `digits` fixes the decimals; by default whole
    numbers from 100 up, else three significant digits. '-' when missing."""
    if missing(value):
        return "-"
    v = float(value)
    from babel.numbers import format_decimal  # imported on first use: the CLI starts without it

    optional = digits is None
    if digits is None:
        a = abs(v)
        digits = 0 if a >= 100 or a == 0 else max(0, 2 - math.floor(math.log10(a)))
    pattern = "#,##0" + ("." + ("#" if optional else "0") * digits if digits > 0 else "")
    if round(v, digits) == 0:  # no '-0,0', and no '+0' either
        v = 0.0
        sign = False
    if sign:
        pattern = "+" + pattern + ";-" + pattern
    text = format_decimal(v, format=pattern, locale=LOCALES[lang])
    return text


def count(value: Any, lang: str = "nl", *, sign: bool = False) -> str:
    """A whole number of people, weeks or euros: 963.300 (nl) or 963,300 (en)."""
    return number(value, lang, 0, sign=sign)


def euros(value: Any, lang: str = "nl", *, sign: bool = False) -> str:
    """Euros, rounded to whole euros: '€ 963.300' (a no-break space keeps the sign with the number)."""
    return "-" if missing(value) else f"€\u00a0{count(value, lang, sign=sign)}"


def percent(share: Any, lang: str = "nl", digits: int = 1) -> str:
    """A 0-1 share as a percentage: '52,0 %' (nl) or '52.0%' (en)."""
    if missing(share):
        return "-"
    return number(100 * float(share), lang, digits) + (" %" if lang == "nl" else "%")


def points(value: Any) -> float:
    """A 0-1 self-reliance value as 0-100 points (nan stays nan)."""
    return math.nan if missing(value) else 100.0 * float(value)


def interval(low: Any, high: Any, lang: str = "nl", digits: int | None = None, unit: str = "") -> str:
    """'[5; 28]' (nl, where the comma is the decimal sign) or '[5, 28]' (en); '' when undefined.
    Euros (unit 'EUR') are whole numbers; the euro sign stands before the estimate, not in the interval."""
    if missing(low) or missing(high):
        return ""
    sep = "; " if lang == "nl" else ", "
    if unit == "EUR":
        return f"[{number(low, lang, 0)}{sep}{number(high, lang, 0)}]"
    return f"[{_bound(low, lang, digits)}{sep}{_bound(high, lang, digits)}]"


def _bound(value: Any, lang: str, digits: int | None) -> str:
    """A bound of an interval; one that is not zero but would show as zero gets up to three more
    decimals, so that '[-0,9; -0,04]' (which excludes zero) does not read as '[-0,9; 0,0]'."""
    text = number(value, lang, digits)
    if digits is None or float(value) == 0.0:
        return text
    extra = digits
    while text.strip("-+0,.") == "" and extra < digits + 3:
        extra += 1
        text = number(value, lang, extra)
    return text


def metric_value(metric: str, value: Any, lang: str = "nl", *, sign: bool = False) -> str:
    """A metric's value the way people read it: points for self-reliance, % for shares, euros for cost."""
    from buurtsim.metrics import BY_NAME

    if missing(value):
        return "-"
    unit = BY_NAME[metric].unit if metric in BY_NAME else ""
    if metric in POINT_METRICS:
        return number(points(value), lang, 1, sign=sign)
    if unit == "share":
        return number(100 * float(value), lang, 1, sign=sign) + (" %" if lang == "nl" else "%")
    if unit == "EUR":
        return euros(value, lang, sign=sign)
    return number(value, lang, sign=sign)


def metric_unit(metric: str, lang: str = "nl") -> str:
    """The unit people see for a metric: 'punten 0-100' for self-reliance, '%', 'EUR', ..."""
    from buurtsim.metrics import BY_NAME

    if metric in POINT_METRICS:
        return pick(lang, "punten 0-100", "points 0-100")
    unit = BY_NAME[metric].unit if metric in BY_NAME else ""
    return {"share": "%", "persons": pick(lang, "bewoners", "residents"), "count": pick(lang, "aantal", "count")}.get(unit, unit)


def display_scale(metric: str) -> float:
    """Factor from stored value to shown value: 100 for points and shares, else 1."""
    from buurtsim.metrics import BY_NAME

    if metric in POINT_METRICS or (metric in BY_NAME and BY_NAME[metric].unit == "share"):
        return 100.0
    return 1.0


def table_csv(frame: Any, lang: str = "nl", *, index: bool = True) -> bytes:
    """A metrics table as CSV for spreadsheets: Dutch uses ';' between fields and a decimal comma,
    English ',' and a decimal point. Self-reliance columns are converted to 0-100 points and renamed
    '<name>_0_100' so the scale is in the header."""
    out = frame.copy()
    for name in POINT_METRICS & set(out.columns):
        out[name] = 100.0 * out[name]
        out = out.rename(columns={name: f"{name}_0_100"})
    if lang == "nl":
        return str(out.to_csv(index=index, sep=";", decimal=",")).encode("utf-8")
    return str(out.to_csv(index=index)).encode("utf-8")


def axis_numbers(ax: Any, lang: str = "nl", which: str = "y") -> None:
    """Tick labels of a matplotlib axis with the language's separators (0,5 and 1.000 in Dutch)."""
    from matplotlib.ticker import FuncFormatter

    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang)))
