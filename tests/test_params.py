"""Params: defaults, declared ranges, validation with clear errors naming the field."""

from __future__ import annotations

import pydantic
import pytest

from buurtsim import NeighbourhoodModel, ParameterError, Params, make_params
from buurtsim.errors import UserError
from buurtsim.params import close_matches, describe, param_names


def scalar_bounded() -> list[tuple[str, float | None, float | None, type]]:
    out = []
    for name, field in Params.model_fields.items():
        d = describe(name)
        if field.annotation in (int, float) and (d["min"] is not None or d["max"] is not None):
            out.append((name, d["min"], d["max"], field.annotation))
    return out


def test_defaults_are_valid_and_every_parameter_is_documented() -> None:
    p = Params()
    names = param_names()
    assert names == list(Params.model_fields)
    for name in names:
        d = describe(name)
        assert d["description"], f"{name} has no description"
        if name != "inflow":
            assert d["unit"], f"{name} has no unit"
            assert d["source"], f"{name} has no source"
        value = getattr(p, name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if d["min"] is not None:
                assert v >= d["min"], name
            if d["max"] is not None:
                assert v <= d["max"], name


def test_describe_returns_the_declared_fields() -> None:
    d = describe("shock_prob")
    assert set(d) >= {"name", "default", "min", "max", "unit", "source", "description"}
    assert d["name"] == "shock_prob"
    assert d["default"] == Params().shock_prob
    assert d["min"] <= d["default"] <= d["max"]


def test_there_are_bounded_scalar_parameters() -> None:
    assert len(scalar_bounded()) > 50


@pytest.mark.parametrize(("name", "lo", "hi", "typ"), scalar_bounded())
def test_out_of_range_values_are_rejected_naming_the_field(name: str, lo: float | None, hi: float | None,
                                                            typ: type) -> None:
    step = 1 if typ is int else 0.5
    if hi is not None:
        bad = typ(hi + step) if typ is int else hi + step
        with pytest.raises(ParameterError, match=name):
            make_params(**{name: bad})
    if lo is not None:
        bad = typ(lo - step) if typ is int else lo - step
        with pytest.raises(ParameterError, match=name):
            make_params(**{name: bad})
    if lo is not None and hi is not None:
        # the ends of the declared range are accepted (unless they break a cross-field rule)
        for ok in (lo, hi):
            try:
                assert getattr(make_params(**{name: typ(ok)}), name) == typ(ok)
            except ParameterError as exc:
                assert "threshold" in str(exc), exc


def test_unknown_name_is_rejected_with_close_matches() -> None:
    with pytest.raises(ParameterError) as info:
        make_params(shock_prb=0.1)
    msg = str(info.value)
    assert "shock_prb" in msg and "shock_prob" in msg


def test_model_rejects_unknown_parameter_with_close_matches() -> None:
    with pytest.raises(ParameterError, match="unknwn_param"):
        NeighbourhoodModel(n_residents=50, seed=1, unknwn_param=1)
    with pytest.raises(ParameterError, match="tie_decay"):
        NeighbourhoodModel(n_residents=50, seed=1, tie_dekay=0.1)


def test_model_rejects_out_of_range_value_naming_the_field() -> None:
    with pytest.raises(ParameterError, match="shock_prob"):
        NeighbourhoodModel(n_residents=50, seed=1, shock_prob=2.0)
    with pytest.raises(ParameterError, match="n_residents"):
        NeighbourhoodModel(n_residents=1, seed=1)


def test_several_unknown_names_are_all_reported() -> None:
    with pytest.raises(ParameterError) as info:
        make_params(foo_bar=1, recovery_rat=0.1)
    assert "foo_bar" in str(info.value) and "recovery_rate" in str(info.value)


def test_parameter_error_is_a_user_error_and_a_value_error() -> None:
    assert issubclass(ParameterError, UserError)
    assert issubclass(ParameterError, ValueError)


@pytest.mark.parametrize("name", ["income_shares", "style_shares", "newcomer_income_shares"])
def test_shares_must_sum_to_one(name: str) -> None:
    n = len(getattr(Params(), name))
    with pytest.raises(ParameterError, match=name):
        make_params(**{name: tuple([0.9 / n] * n)})
    ok = tuple([1.0 / n] * n)
    assert getattr(make_params(**{name: ok}), name) == pytest.approx(ok)


def test_tuple_elements_are_range_checked() -> None:
    with pytest.raises(ParameterError, match="income_shares"):
        make_params(income_shares=(1.2, -0.1, -0.1))
    with pytest.raises(ParameterError, match="contact_prob"):
        make_params(contact_prob=(0.5, 0.5, 0.5, 1.5))
    with pytest.raises(ParameterError, match="style_shares"):
        make_params(style_shares=(0.5, 0.5))


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ParameterError, match="sliding_threshold"):
        make_params(sliding_threshold=0.7, strong_threshold=0.6)


def test_make_params_keeps_base_values_and_applies_overrides() -> None:
    base = make_params(shock_prob=0.05)
    p = make_params(base, recovery_rate=0.1)
    assert p.shock_prob == 0.05 and p.recovery_rate == 0.1
    assert base.recovery_rate == Params().recovery_rate


def test_params_are_frozen() -> None:
    p = Params()
    with pytest.raises(pydantic.ValidationError):
        p.shock_prob = 0.5  # type: ignore[misc]


def test_close_matches() -> None:
    assert close_matches("tie_decai", param_names())[0] == "tie_decay"
    assert close_matches("zzzzzzzz", param_names()) == []
