"""The Scenario object and the JSON Schema of scenario files."""

from __future__ import annotations

import tomllib

import jsonschema
import pytest
from pydantic import ValidationError
from scenario_samples import VALID

from buurtsim.params import Params, describe, param_names
from buurtsim.policies.base import REGISTRY
from buurtsim.scenario import Newcomers, Scenario, load_scenario_text, scenario_json_schema
from buurtsim.scenario.schema import NEIGHBOURHOOD_FIELDS, NETWORK_FIELDS, NEWCOMER_FIELDS


def test_table_field_lists_name_real_params() -> None:
    names = set(param_names())
    assert set(NEIGHBOURHOOD_FIELDS) <= names
    assert set(NETWORK_FIELDS) <= names
    assert set(NEWCOMER_FIELDS.values()) <= names
    assert not set(NEIGHBOURHOOD_FIELDS) & set(NETWORK_FIELDS)


def test_loaded_scenario_contract() -> None:
    s = load_scenario_text(VALID, source="x.toml")
    assert (s.name, s.title, s.seed, s.horizon, s.source) == ("testwijk", "Testwijk met projecten", 7, 156, "x.toml")
    assert s.params == {"n_residents": 200, "income_shares": (0.5, 0.35, 0.15), "tie_decay": 0.03, "shock_prob": 0.008}
    assert s.newcomers == Newcomers(income_shares=(0.7, 0.25, 0.05), potential_shift=-0.05)
    assert [p.type for p in s.policies] == ["project_carousel", "long_term_presence", "budget_cut"]
    assert [type(p) for p in s.policies] == [REGISTRY[p.type].Config for p in s.policies]
    assert (s.policies[0].start, s.policies[0].end) == (26, 104)
    p = s.to_params()
    assert isinstance(p, Params)
    assert (p.n_residents, p.shock_prob, p.tie_decay) == (200, 0.008, 0.03)
    assert p.newcomer_potential_shift == -0.05 and p.newcomer_income_shares == (0.7, 0.25, 0.05)
    assert s.to_params(shock_prob=0.01).shock_prob == 0.01


def test_digest_ignores_source_and_follows_content() -> None:
    a = load_scenario_text(VALID, source="a.toml")
    b = load_scenario_text("# other comment\n" + VALID, source="b.toml")
    assert a == b and a.digest() == b.digest() and len(a.digest()) == 64
    c = load_scenario_text(VALID.replace("shock_prob = 0.008", "shock_prob = 0.009"))
    assert c != a and c.digest() != a.digest()
    d = load_scenario_text(VALID.replace("projects_per_year = 3", "projects_per_year = 4"))
    assert d.digest() != a.digest()
    # Writing a default explicitly does not change what the scenario does, nor its digest.
    default = REGISTRY["long_term_presence"].Config.model_fields["caseload"].default
    e = load_scenario_text(VALID.replace("workers = 2", f"workers = 2\ncaseload = {default}"))
    assert e.digest() == a.digest()


def test_scenario_built_in_code_is_checked_like_a_file() -> None:
    s = Scenario(name="code", title="In code", params={"shock_prob": 0.01, "income_shares": [0.6, 0.3, 0.1]},
                 policies=[{"type": "outreach", "start": "1y"}])
    assert s.params["income_shares"] == (0.6, 0.3, 0.1) and s.policies[0].start == 52
    with pytest.raises(ValidationError, match="shock_prb"):
        Scenario(name="code", title="T", params={"shock_prb": 0.01})
    with pytest.raises(ValidationError, match="presnetie"):
        Scenario(name="code", title="T", policies=[{"type": "outreach"}, {"type": "budget_cut", "policies": ["presnetie"]}])
    with pytest.raises(ValidationError, match="unknown policy type"):
        Scenario(name="code", title="T", policies=[{"type": "outreech"}])
    with pytest.raises(ValidationError, match="given twice"):
        Scenario(name="code", title="T", params={"newcomer_potential_shift": 0.1}, newcomers=Newcomers(potential_shift=0.2))


def test_json_schema_has_every_registered_type(dummy_policies: None) -> None:
    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    variants = schema["properties"]["policies"]["items"]["oneOf"]
    kinds = {v["$ref"].rsplit("__", 1)[1] for v in variants}
    assert kinds == set(REGISTRY) and "dummy_probe" in kinds
    probe = schema["$defs"]["policy__dummy_probe"]
    assert probe["properties"]["type"] == {"const": "dummy_probe", "description": "dummy_probe"}
    assert probe["properties"]["strength"]["maximum"] == 1.0
    assert set(schema["properties"]["params"]["properties"]) == set(param_names())
    assert schema["properties"]["params"]["properties"]["shock_prob"]["maximum"] == describe("shock_prob")["max"]


def test_json_schema_accepts_valid_files_and_rejects_bad_ones() -> None:
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    data = tomllib.loads(VALID)
    assert list(validator.iter_errors(data)) == []
    for bad in (
        VALID.replace("[params]", "[paramz]"),
        VALID.replace("shock_prob = 0.008", "shock_prob = 0.9"),
        VALID.replace("projects_per_year = 3", "projects_per_yer = 3"),
        VALID.replace('type = "long_term_presence"', 'type = "long_term_presense"'),
        VALID.replace('horizon = "3y"', 'horizon = "3 eeuwen"'),
    ):
        assert list(validator.iter_errors(tomllib.loads(bad))), bad
