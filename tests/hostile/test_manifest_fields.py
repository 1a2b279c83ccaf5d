"""A hand-edited manifest whose fields compare and report read have the wrong type (moments, outputs,
a run's policy timeline, weeks, funding end, the baseline) is refused as not buurtsim's shape: exit
2 with the field named, where it used to end in a TypeError or ValueError traceback, or in a report
built around a baseline that is not there."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli, assert_refused

from buurtsim.experiment.integrity import shape_problem


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(manifest: dict[str, Any]) -> None:
        node = manifest
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return edit


EDITS = {
    "ticks_of_interest_number": (_set(("experiment", "ticks_of_interest"), 5), "experiment.ticks_of_interest"),
    "ticks_of_interest_object": (_set(("experiment", "ticks_of_interest"), [{"a": 1}]), "experiment.ticks_of_interest"),
    "ticks_of_interest_endless": (_set(("experiment", "ticks_of_interest"), ["end+" + "9" * 400 + "y"]), "experiment.ticks_of_interest"),
    "outputs_numbers": (_set(("experiment", "outputs"), ["population", 5]), "experiment.outputs"),
    "outputs_text": (_set(("experiment", "outputs"), "population"), "experiment.outputs"),
    "baseline_elsewhere": (_set(("experiment", "baseline"), "<script>x</script>"), "experiment.baseline"),
    "timeline_text": (_set(("runs", 0, "timeline"), "x"), "runs[0].timeline"),
    "timeline_short": (_set(("runs", 0, "timeline"), [[1, 2]]), "runs[0].timeline"),
    "ticks_text": (_set(("runs", 0, "ticks"), "x"), "runs[0].ticks"),
    "funding_end_text": (_set(("runs", 0, "funding_end"), "x"), "runs[0].funding_end"),
    "error_object": (_set(("runs", 0, "error"), {"a": 1}), "runs[0].error"),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from buurtsim.experiment import load_experiment, run_experiment

    folder = tmp_path_factory.mktemp("manifest")
    run_experiment(load_experiment(write_experiment(folder, replications=1)), folder / "uit", backend="serial")
    return folder / "uit"


def test_a_written_manifest_has_the_shape(results: Path) -> None:
    assert shape_problem(json.loads((results / "manifest.json").read_text())) is None


@pytest.mark.parametrize("case", list(EDITS))
def test_a_manifest_field_of_the_wrong_type_is_refused(case: str, results: Path, tmp_path: Path, hostile_cli: HostileCli) -> None:
    edit, field = EDITS[case]
    manifest = json.loads((results / "manifest.json").read_text())
    edit(manifest)
    assert field in (shape_problem(manifest) or "")
    folder = tmp_path / "uit"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    for command in ("compare", "report"):
        assert_refused(hostile_cli(command, str(folder)), "manifest.json", field)
    assert not (folder / "report.html").exists()
