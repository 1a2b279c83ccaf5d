"""The example notebooks in docs/notebooks/ run from top to bottom (nbclient, a real kernel)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "docs" / "notebooks"


def _execute(name: str, tmp_path: Path) -> str:
    """Run a notebook in a fresh kernel (working directory `tmp_path`); all its text output."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{name}: {out.get('ename')}: {out.get('evalue')}"
            texts.append(out.get("text") or out.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def test_notebooks_are_stored_without_outputs() -> None:
    """Stored clean: outputs are made by running them (here and on the docs site), never pasted."""
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == ["experiment.ipynb", "python-api.ipynb"]
    for name in names:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


@pytest.mark.slow
def test_python_api_notebook_runs(tmp_path: Path) -> None:
    text = _execute("python-api.ipynb", tmp_path)
    assert "weeks: 104 running: False" in text
    assert "shock_prob" in text


@pytest.mark.slow
def test_experiment_notebook_runs(tmp_path: Path) -> None:
    text = _execute("experiment.ipynb", tmp_path)
    assert "complete 6 runs" in text
    assert "trust in institutions after 104 weeks" in text
