"""Durations too large for a float ('999...9y' with hundreds of digits) in every place an
experiment file or the command line takes a moment: refused with exit 2, not an OverflowError."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.conftest import HostileCli, assert_refused

HUGE = "9" * 400 + "y"
EXPERIMENT = '[experiment]\nname = "e"\nscenarios = ["basis"]\nreplications = 1\nn_residents = 50\nticks = 4\n'

CASES = {
    "ticks": EXPERIMENT.replace("ticks = 4", f'ticks = "{HUGE}"'),
    "ticks_of_interest": EXPERIMENT + f'ticks_of_interest = ["end+{HUGE}"]\n',
    "sensitivity_at": EXPERIMENT + f'[sensitivity]\nat = "{HUGE}"\nranges = {{hourly_cost_eur = [50, 60]}}\n',
    "discovery_at": EXPERIMENT + f'[discovery]\na = "basis"\nb = "x"\nat = "{HUGE}"\n',
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_experiment_with_an_endless_moment_is_refused(case: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "exp.toml"
    f.write_text(CASES[case], encoding="utf-8")
    text = assert_refused(hostile_cli("experiment", str(f), "--backend", "serial", "--out", str(tmp_path / "uit")), "exp.toml")
    assert not (tmp_path / "uit").exists(), text
    assert HUGE not in text  # the value is cut when it is echoed


def test_compare_refuses_an_endless_moment(tmp_path: Path, hostile_cli: HostileCli) -> None:
    from tests.experiment.conftest import write_experiment

    from buurtsim.experiment import load_experiment, run_experiment

    run_experiment(load_experiment(write_experiment(tmp_path, replications=1)), tmp_path / "uit", backend="serial")
    assert_refused(hostile_cli("compare", str(tmp_path / "uit"), "--at", f"end+{HUGE}"), "--at")


def test_discover_refuses_a_week_number_of_thousands_of_digits(tmp_path: Path, hostile_cli: HostileCli) -> None:
    """int() of a 5,000-digit --at raised a ValueError traceback before the results were even read."""
    assert_refused(hostile_cli("discover", str(tmp_path), "--a", "a", "--b", "b", "--at", "9" * 5000), "--at")
