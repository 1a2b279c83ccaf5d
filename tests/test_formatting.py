"""Numbers per language: Dutch 963.300 and 0,52; English 963,300 and 0.52; self-reliance in points."""

from __future__ import annotations

import math

import pytest

from buurtsim.errors import UserError
from buurtsim.formatting import check_lang, count, euros, interval, metric_value, number, percent


def test_separators_per_language() -> None:
    assert count(963_300, "nl") == "963.300" and count(963_300, "en") == "963,300"
    assert number(0.52, "nl", 2) == "0,52" and number(0.52, "en", 2) == "0.52"
    assert euros(963_300, "nl") == "€\u00a0963.300"
    assert percent(0.52, "nl") == "52,0 %" and percent(0.52, "en") == "52.0%"
    assert interval(2.5, 14, "nl", 1) == "[2,5; 14,0]" and interval(2.5, 14, "en", 1) == "[2.5, 14.0]"


def test_signs_missing_values_and_no_negative_zero() -> None:
    assert number(5, "nl", 0, sign=True) == "+5" and number(-5, "en", 0, sign=True) == "-5"
    assert number(-0.001, "nl", 1) == "0,0" and number(0.2, "en", 0, sign=True) == "0"
    assert number(math.nan) == "-" and number(math.inf) == "-" and interval(math.nan, 1.0) == ""


def test_self_reliance_in_points_and_shares_in_percent() -> None:
    assert metric_value("mean_self_reliance", 0.5234, "nl") == "52,3"
    assert metric_value("share_sliding", 0.125, "en") == "12.5%"
    assert metric_value("cost_eur", 963_300.4, "nl") == "€\u00a0963.300"


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UserError, match="--lang"):
        check_lang("de")


def test_an_interval_bound_that_is_not_zero_never_shows_as_zero() -> None:
    from buurtsim.formatting import interval

    assert interval(-0.93, -0.04, "nl", 1) == "[-0,9; -0,04]"  # excludes zero, and says so
    assert interval(-0.3, 4.2, "en", 0) == "[-0.3, 4]"
    assert interval(-0.93, 0.0, "nl", 1) == "[-0,9; 0,0]"  # a bound that is zero stays zero
    assert interval(2.0, 5.0, "en", 0) == "[2, 5]"  # nothing changes where nothing rounds to zero
    assert interval(-0.2, 0.4, "en", 0, unit="EUR") == "[0, 0]"  # euros stay whole numbers
