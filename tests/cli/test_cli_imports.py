"""The light commands start without the heavy libraries (lazy imports; timing: benchmarks/bench_cli.py).

Each command runs in a fresh interpreter, which then reports the modules it loaded. No timing is
asserted here: wall time depends on the machine; what we check is what got imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "numba", "pandas", "mesa", "scipy", "networkx", "matplotlib", "pyarrow", "dask", "solara", "buurtsim.model",
         "ema_workbench", "sklearn", "statsmodels")

PROBE = """
import json, sys
watch = json.loads(sys.argv[2])
sys.argv = ["buurtsim", *json.loads(sys.argv[1])]
from buurtsim.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
heavy = sorted(m for m in watch if m in sys.modules)
print("\\n@@" + json.dumps({"code": code, "heavy": heavy}))
"""


def loaded_by(*args: str) -> dict:
    """Run `buurtsim ARGS` in a fresh interpreter; its exit code and the heavy modules it loaded."""
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    marker = proc.stdout.rsplit("@@", 1)
    assert len(marker) == 2, proc.stderr[-2000:]
    return json.loads(marker[1])


@pytest.mark.parametrize("args", [
    ("--help",),
    ("discover", "--help"),
    ("--version",),
    ("list",),
    ("schema",),
    ("validate", "scenarios/basis.toml"),
    ("validate", "scenarios/projectencarrousel.toml"),
    ("validate", *sorted(str(p.relative_to(REPO)) for p in (REPO / "scenarios").rglob("*.toml"))),
])
def test_light_commands_do_not_load_the_model_or_heavy_libraries(args: tuple[str, ...]) -> None:
    """Not even numpy: validating any shipped scenario (every policy family) leaves it unimported."""
    result = loaded_by(*args)
    assert result["code"] == 0
    assert result["heavy"] == [], f"buurtsim {' '.join(args)} imported {result['heavy']}"


def test_the_probe_sees_heavy_imports_where_they_happen() -> None:
    """The probe can fail: `params` loads pydantic only, but running a model loads the model."""
    assert "buurtsim.model" not in loaded_by("params")["heavy"]
    result = loaded_by("les", "les1")
    assert result["code"] == 0
    assert "buurtsim.model" in result["heavy"] or "pandas" in result["heavy"]


def test_version_is_the_package_version() -> None:
    """`buurtsim --version` prints the one version (src/buurtsim/_version.py) that the metadata has too."""
    from importlib.metadata import version

    import buurtsim

    out = subprocess.run([sys.executable, "-c", "from buurtsim.cli import main; main()", "--version"],
                         capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == f"buurtsim {buurtsim.__version__}"
    assert version("buurtsim") == buurtsim.__version__
