"""Fixtures for scenario tests: a valid scenario text, a file writer, and a dummy policy type.

The dummy policy (`dummy_probe`, plus `dummy_cut` naming other policies) is registered only for the
tests that ask for it, to show that the schema is built from the registry at validation time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field
from scenario_samples import VALID

from buurtsim.policies.base import REGISTRY, Policy, PolicyConfig


class DummyConfig(PolicyConfig):
    """Settings of the test-only policy."""

    strength: float = Field(0.5, ge=0.0, le=1.0, description="How strong.")
    mode: Literal["soft", "hard"] = "soft"


class DummyPolicy(Policy):
    """A policy that does nothing, registered only in tests."""

    kind = "dummy_probe"
    Config = DummyConfig


class DummyCutConfig(PolicyConfig):
    """Settings of a test-only policy that names other policies."""

    policies: list[str] = Field(description="Labels of other policies.")


class DummyCut(Policy):
    """A test-only policy that refers to other policies by label."""

    kind = "dummy_cut"
    Config = DummyCutConfig


@pytest.fixture
def valid_text() -> str:
    """The text of a valid scenario file using real policy types."""
    return VALID


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(text_or_bytes, name='s.toml') -> path of a file in a temporary folder."""

    def _write(content: str | bytes, name: str = "s.toml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def dummy_policies() -> Iterator[None]:
    """Register the dummy policy types for one test, then remove them again."""
    REGISTRY["dummy_probe"] = DummyPolicy
    REGISTRY["dummy_cut"] = DummyCut
    try:
        yield
    finally:
        REGISTRY.pop("dummy_probe", None)
        REGISTRY.pop("dummy_cut", None)
