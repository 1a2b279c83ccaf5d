"""Bad scenario input: every problem names file, line, field path, given, expected and a suggestion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from buurtsim.errors import UserError
from buurtsim.scenario import MAX_BYTES, ScenarioError, load_scenario, load_scenario_bytes, load_scenario_text
from buurtsim.scenario import loader as loader_mod

HEAD = '[scenario]\nname = "t"\ntitle = "Test"\n'


def fail(text: str, source: str = "wijk.toml") -> ScenarioError:
    """Load text that must be rejected; return the error after checking its general shape."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source=source)
    exc = info.value
    assert isinstance(exc, UserError) and exc.exit_code == 2
    assert "Traceback" not in str(exc)
    assert exc.problems, "a ScenarioError lists its problems"
    for p in exc.problems:
        assert {"file", "line", "path", "message", "given", "expected", "suggestion"} <= p.keys()
        assert p["file"] == source and p["message"]
    return exc


def problem(exc: ScenarioError, path: str) -> dict:
    """The problem at a field path (fails listing all problems when there is none)."""
    hits = [p for p in exc.problems if p["path"] == path]
    assert hits, f"no problem at {path!r}; problems: {exc.problems}"
    return hits[0]


def test_syntax_error_has_line_and_column() -> None:
    exc = fail(HEAD + "\n[params]\nshock_prob = = 0.1\n")
    (p,) = exc.problems
    assert p["line"] == 6
    assert "syntax error" in p["message"] and "column" in p["message"]
    assert "shock_prob = = 0.1" in p["given"]
    assert "wijk.toml, line 6" in str(exc)


def test_unquoted_text_gets_a_hint() -> None:
    exc = fail('[scenario]\nname = "t"\ntitle = Mijn wijk\n')
    (p,) = exc.problems
    assert p["line"] == 3 and "double quotes" in p["expected"]


def test_unknown_param_suggests_close_names() -> None:
    exc = fail(HEAD + "\n[params]\nshock_prb = 0.01\n")
    p = problem(exc, "params.shock_prb")
    assert p["line"] == 6
    assert "shock_prob" in p["suggestion"]
    assert "did you mean: shock_prob" in str(exc)


def test_unknown_table_suggests_table() -> None:
    exc = fail(HEAD + "\n[paramz]\nshock_prob = 0.01\n")
    p = problem(exc, "paramz")
    assert p["line"] == 5 and "[params]" in p["suggestion"]


def test_unknown_scenario_key() -> None:
    p = problem(fail(HEAD + "sed = 3\n"), "scenario.sed")
    assert p["line"] == 4 and p["suggestion"] == "seed"


def test_key_before_any_table_points_to_its_table() -> None:
    exc = fail('name = "t"\n' + HEAD)
    assert "put it under [scenario]" in problem(exc, "name")["message"]


def test_param_in_wrong_table_says_where_it_belongs() -> None:
    exc = fail(HEAD + "[neighbourhood]\nshock_prob = 0.01\n[network]\nn_residents = 300\n")
    assert "write it in [params]" in problem(exc, "neighbourhood.shock_prob")["message"]
    assert "write it in [neighbourhood]" in problem(exc, "network.n_residents")["message"]


@pytest.mark.parametrize(
    ("line", "path", "given", "expected"),
    [
        ('n_residents = "veel"', "neighbourhood.n_residents", '"veel"', "integer"),
        ("n_residents = 200.5", "neighbourhood.n_residents", "200.5", "integer"),
        ('income_shares = "0.5"', "neighbourhood.income_shares", '"0.5"', "list of 3 numbers"),
        ("income_shares = [0.5, 0.5]", "neighbourhood.income_shares", "[0.5, 0.5]", "list of 3 numbers"),
        ('income_shares = [0.5, "a", 0.5]', "neighbourhood.income_shares[1]", '"a"', "number"),
    ],
)
def test_wrong_types(line: str, path: str, given: str, expected: str) -> None:
    p = problem(fail(HEAD + "[neighbourhood]\n" + line + "\n"), path)
    assert p["line"] == 5
    assert p["given"] == given
    assert expected in p["expected"]


def test_text_is_not_silently_read_as_a_number() -> None:
    p = problem(fail(HEAD + '[params]\nshock_prob = "0.01"\n'), "params.shock_prob")
    assert p["message"] == "wrong type" and p["given"] == '"0.01"'


def test_out_of_range_names_the_range_and_unit() -> None:
    p = problem(fail(HEAD + "[params]\nshock_prob = 0.5\n"), "params.shock_prob")
    assert p["message"] == "value out of range"
    assert p["given"] == "0.5" and p["line"] == 5
    assert "0.0 to 0.2" in p["expected"] and "1/week" in p["expected"]


def test_shares_must_sum_to_one() -> None:
    p = problem(fail(HEAD + "[neighbourhood]\n\nincome_shares = [0.5, 0.6, 0.1]\n"), "neighbourhood.income_shares")
    assert p["line"] == 6 and "sum to 1" in p["message"] and p["given"] == "[0.5, 0.6, 0.1]"


def test_newcomer_values_located_in_newcomers_table() -> None:
    p = problem(fail(HEAD + "[neighbourhood.newcomers]\nincome_shares = [0.9, 0.9, 0.1]\n"), "neighbourhood.newcomers.income_shares")
    assert p["line"] == 5 and "sum to 1" in p["message"]
    p = problem(fail(HEAD + "[neighbourhood.newcomers]\npotential_shift = 2\n"), "neighbourhood.newcomers.potential_shift")
    assert p["line"] == 5 and "-0.5 to 0.5" in p["expected"]
    p = problem(fail(HEAD + "[neighbourhood.newcomers]\nshift = 0.1\n"), "neighbourhood.newcomers.shift")
    assert p["suggestion"] == "potential_shift"


def test_key_in_two_tables_is_an_error() -> None:
    exc = fail(HEAD + "[neighbourhood]\nn_residents = 300\n[params]\nn_residents = 400\n")
    p = problem(exc, "params.n_residents")
    assert p["line"] == 7 and "given twice" in p["message"] and "[neighbourhood]" in p["message"]


def test_newcomers_given_twice() -> None:
    text = HEAD + "[neighbourhood.newcomers]\npotential_shift = 0.1\n[params]\nnewcomer_potential_shift = 0.2\n"
    p = problem(fail(text), "params.newcomer_potential_shift")
    assert "given twice" in p["message"] and p["line"] == 7


def test_end_before_start() -> None:
    text = HEAD + '\n[[policies]]\ntype = "outreach"\nstart = "2y"\nend = "1y"\n'
    p = problem(fail(text), "policies[0].end")
    assert p["line"] == 8
    assert "must be after start" in p["message"] and p["given"] == '"1y"'


def test_unknown_policy_type_suggests_registered_type() -> None:
    text = HEAD + '[[policies]]\ntype = "outreach"\n[[policies]]\ntype = "long_term_presense"\n'
    p = problem(fail(text), "policies[1].type")
    assert p["line"] == 7 and p["suggestion"] == "long_term_presence"
    assert p["message"] == "unknown policy type" and p["given"] == '"long_term_presense"'


def test_unknown_policy_type_without_close_match_lists_types() -> None:
    p = problem(fail(HEAD + '[[policies]]\ntype = "zzz"\n'), "policies[0].type")
    assert p["suggestion"] is None and "project_carousel" in p["expected"]


def test_policy_without_type() -> None:
    p = problem(fail(HEAD + "[[policies]]\nstart = 3\n"), "policies[0].type")
    assert p["message"] == "required key is missing" and p["line"] == 4


def test_misspelt_policy_field_suggests_that_types_fields() -> None:
    text = HEAD + '[[policies]]\ntype = "project_carousel"\nprojects_per_yer = 3\n'
    p = problem(fail(text), "policies[0].projects_per_yer")
    assert p["line"] == 6 and "projects_per_year" in p["suggestion"]


def test_target_literal_suggests_allowed_value() -> None:
    text = HEAD + '[[policies]]\ntype = "outreach"\n[policies.target]\ncategories = ["slidng"]\n'
    p = problem(fail(text), "policies[0].target.categories[0]")
    assert p["line"] == 7 and "'sliding'" in p["suggestion"]


def test_budget_cut_naming_missing_policy_suggests_existing() -> None:
    text = HEAD + (
        '[[policies]]\ntype = "long_term_presence"\nname = "presentie"\n'
        '[[policies]]\ntype = "budget_cut"\nstart = "4y"\npolicies = ["presnetie"]\n'
    )
    p = problem(fail(text), "policies[1].policies[0]")
    assert p["line"] == 10 and p["suggestion"] == "presentie"
    assert "no policy called 'presnetie'" in p["message"]


def test_budget_cut_after_the_policy_ended() -> None:
    text = HEAD + (
        '[[policies]]\ntype = "long_term_presence"\nname = "p"\nend = "2y"\n'
        '[[policies]]\ntype = "budget_cut"\nstart = "4y"\npolicies = ["p"]\n'
    )
    p = problem(fail(text), "policies[1].start")
    assert "already ended" in p["message"] and p["line"] == 10


def test_duplicate_policy_names() -> None:
    text = HEAD + '[[policies]]\ntype = "outreach"\n[[policies]]\ntype = "outreach"\n'
    p = problem(fail(text), "policies[1].name")
    assert "two policies are called 'outreach'" in p["message"]


def test_policy_starting_after_horizon() -> None:
    text = '[scenario]\nname = "t"\ntitle = "T"\nhorizon = "1y"\n[[policies]]\ntype = "outreach"\nstart = "2y"\n'
    p = problem(fail(text), "policies[0].start")
    assert "never act" in p["message"] and p["line"] == 7


@pytest.mark.parametrize("value", ['"10 eeuwen"', "-5", "inf", "nan", "1e400", "true", "[1]"])
def test_bad_horizon(value: str) -> None:
    p = problem(fail(f'[scenario]\nname = "t"\ntitle = "T"\nhorizon = {value}\n'), "scenario.horizon")
    assert p["line"] == 4


@pytest.mark.parametrize("value", ["inf", "1e400", "nan", "-3", '"soon"', "1e12"])
def test_bad_policy_start(value: str) -> None:
    p = problem(fail(HEAD + f'[[policies]]\ntype = "outreach"\nstart = {value}\n'), "policies[0].start")
    assert p["line"] == 6


def test_single_policies_table_instead_of_array() -> None:
    p = problem(fail(HEAD + '[policies]\ntype = "outreach"\n'), "policies")
    assert "[[policies]]" in p["message"] and p["line"] == 4


def test_missing_scenario_table_and_title() -> None:
    assert "missing" in problem(fail("[params]\nshock_prob = 0.01\n"), "scenario")["message"]
    p = problem(fail('[scenario]\nname = "t"\n'), "scenario.title")
    assert p["message"] == "required key is missing" and p["line"] == 1


def test_bad_name_pattern() -> None:
    p = problem(fail('[scenario]\nname = "met spatie"\ntitle = "T"\n'), "scenario.name")
    assert p["given"] == '"met spatie"' and p["line"] == 2


def test_all_problems_reported_together_in_line_order() -> None:
    text = HEAD + "sed = 1\n[params]\nshock_prb = 1\nshock_size = 5\n"
    exc = fail(text)
    assert [p["path"] for p in exc.problems] == ["scenario.sed", "params.shock_prb", "params.shock_size"]
    assert [p["line"] for p in exc.problems] == [4, 6, 7]
    assert str(exc).startswith("3 problems in wijk.toml")


@pytest.mark.parametrize("text", ["", "   \n\n", "# alleen commentaar\n\n# nog meer\n"])
def test_empty_file(text: str) -> None:
    (p,) = fail(text).problems
    assert "empty" in p["message"] or "no settings" in p["message"]
    assert "[scenario]" in p["expected"]


def test_binary_file_with_nul_bytes(write: Callable[..., Path]) -> None:
    path = write(b"[scenario]\nname = \"t\"\n\x00\x01\x02binary")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (p,) = info.value.problems
    assert "binary" in p["message"] and p["line"] == 3 and p["file"] == str(path)


def test_not_utf8(write: Callable[..., Path]) -> None:
    path = write(b'[scenario]\nname = "t"\ntitle = "caf' + b"\xe9\"\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (p,) = info.value.problems
    assert "UTF-8" in p["message"] and "0xe9" in p["message"] and p["line"] == 3


def test_utf8_bom_is_accepted(write: Callable[..., Path], valid_text: str) -> None:
    assert load_scenario(write(b"\xef\xbb\xbf" + valid_text.encode())).name == "testwijk"


def test_huge_file_refused_before_parsing(write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(*_a: object, **_k: object) -> None:
        raise AssertionError("a huge file must be refused before parsing")

    monkeypatch.setattr(loader_mod.tomllib, "loads", no_parse)
    big = HEAD + "# " + "x" * MAX_BYTES + "\n"
    for call in (lambda: load_scenario(write(big)), lambda: load_scenario_text(big), lambda: load_scenario_bytes(big.encode())):
        with pytest.raises(ScenarioError) as info:
            call()
        assert "too large" in str(info.value) and "1.0 MiB" in str(info.value)


def test_missing_file_suggests_nearby(write: Callable[..., Path], valid_text: str) -> None:
    path = write(valid_text, "projectencarrousel.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path.with_name("projectencarousel.toml"))
    (p,) = info.value.problems
    assert p["message"] == "file not found" and str(path) in p["suggestion"]


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    (p,) = info.value.problems
    assert "folder" in p["message"] and p["file"] == str(tmp_path)


def test_deeply_nested_value_is_a_clean_error() -> None:
    fail(HEAD + "[params]\nshock_prob = " + "[" * 5000 + "]" * 5000 + "\n")


def test_dynamic_registry_dummy_type(dummy_policies: None) -> None:
    ok = load_scenario_text(HEAD + '[[policies]]\ntype = "dummy_probe"\nstrength = 0.9\nmode = "hard"\n')
    assert ok.policies[0].strength == 0.9  # type: ignore[attr-defined]
    exc = fail(HEAD + '[[policies]]\ntype = "dummy_probe"\nstrenght = 0.9\nmode = "hrad"\n')
    assert problem(exc, "policies[0].strenght")["suggestion"].startswith("strength")
    assert problem(exc, "policies[0].mode")["suggestion"] == "'hard'"
    p = problem(fail(HEAD + '[[policies]]\ntype = "dummy_probe"\nstrength = 2\n'), "policies[0].strength")
    assert p["message"] == "value out of range" and "1" in p["expected"]


def test_reference_check_is_generic_for_policies_fields(dummy_policies: None) -> None:
    text = HEAD + '[[policies]]\ntype = "dummy_probe"\nname = "a"\n[[policies]]\ntype = "dummy_cut"\npolicies = ["b", "dummy_cut"]\n'
    exc = fail(text)
    assert "no policy called 'b'" in problem(exc, "policies[1].policies[0]")["message"]
    assert "cannot name itself" in problem(exc, "policies[1].policies[1]")["message"]


def test_lone_surrogates_in_text_give_a_printable_message() -> None:
    exc = fail('[scenario]\nname = "t"\ntitle = "\ud800"\n"\udc00" = 1\n')
    str(exc).encode("utf-8")  # printable: no lone surrogate in the message
    assert problem(exc, "scenario.title")["line"] == 3
    assert any("udc00" in p["path"] for p in exc.problems)
