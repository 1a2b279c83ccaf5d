"""The documentation describes the code as it is."""

from __future__ import annotations

from pathlib import Path

from buurtsim.metrics import METRIC_NAMES
from buurtsim.params import param_names, params_markdown
from buurtsim.policies import REGISTRY

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_odd_parameter_table_matches_params() -> None:
    """docs/odd.md carries the generated parameter table, exactly."""
    text = (DOCS / "odd.md").read_text(encoding="utf-8")
    assert params_markdown() in text, "regenerate the table in docs/odd.md §3.13 from params_markdown()"


def test_odd_names_every_parameter_and_metric() -> None:
    """Every parameter and every outcome is named in docs/odd.md."""
    text = (DOCS / "odd.md").read_text(encoding="utf-8")
    missing = [n for n in (*param_names(), *METRIC_NAMES) if f"`{n}`" not in text]
    assert not missing, missing


def test_policies_doc_covers_every_registered_policy() -> None:
    """docs/policies.md has a section for every registered policy type."""
    text = (DOCS / "policies.md").read_text(encoding="utf-8")
    missing = [kind for kind in REGISTRY if f"`{kind}`" not in text]
    assert not missing, missing


def test_policies_doc_tables_match_configs() -> None:
    """Each policy's parameter table in docs/policies.md is the one generated from its config."""
    from buurtsim.policies.base import PolicyConfig, config_markdown

    text = (DOCS / "policies.md").read_text(encoding="utf-8")
    assert config_markdown(PolicyConfig, common=True) in text
    stale = [kind for kind, cls in REGISTRY.items() if config_markdown(cls.Config) not in text]
    assert not stale, f"regenerate the tables of {stale} in docs/policies.md"
