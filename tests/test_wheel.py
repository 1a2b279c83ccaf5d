"""The built wheel is complete: installed outside the checkout, the commands and the dashboard find
everything they show (scenarios, experiments, lessons, the model explanation, the guides).

Builds the sdist and, from it, the wheel with `python -m build` (as a release would), installs the
wheel into a fresh venv in a temporary folder (no pip there: the dependencies come from this
venv's site-packages through a .pth file, so nothing is downloaded but the build backend), and runs
the commands from a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import buurtsim

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BUURTSIM_LESSON_SCENARIOS", "VIRTUAL_ENV")}
    env["COLUMNS"] = "400"  # rich wraps long paths in tables at 80 columns
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)} -> {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], cwd=out)
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fresh")
    env_dir = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=root)
    python = env_dir / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=root).stdout.strip())
    (purelib / "_dependencies_from_dev_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    wheel = next(dist.glob("buurtsim-*.whl"))
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel)], cwd=root)
    return env_dir


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("somewhere_else")


def test_sdist_and_wheel_carry_the_project_files(dist: Path) -> None:
    with tarfile.open(next(dist.glob("buurtsim-*.tar.gz"))) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"LICENSE", "CHANGELOG.md", "CITATION.cff", "scenarios/basis.toml", "docs/model-info.md",
            "experiments/carrousel_vs_presentie.toml", "src/buurtsim/_version.py"} <= names
    with zipfile.ZipFile(next(dist.glob("buurtsim-*.whl"))) as whl:
        files = set(whl.namelist())
    version = buurtsim.__version__
    assert f"buurtsim-{version}.dist-info/licenses/LICENSE" in files
    assert {"buurtsim/_data/docs/model-info.md", "buurtsim/_data/docs/teaching/docentenhandleiding.md",
            "buurtsim/_data/scenarios/basis.toml", "buurtsim/_data/scenarios/lessen/les1-presentie.toml",
            "buurtsim/_data/experiments/carrousel_vs_presentie.toml", "buurtsim/py.typed"} <= files


def test_the_installed_package_is_the_wheel_not_the_checkout(venv: Path, elsewhere: Path) -> None:
    out = _run([str(venv / "bin" / "python"), "-c", "import buurtsim, json; print(json.dumps([buurtsim.__file__, buurtsim.__version__]))"], elsewhere)
    where, version = json.loads(out.stdout)
    assert Path(where).is_relative_to(venv) and version == buurtsim.__version__
    assert _run([str(venv / "bin" / "buurtsim"), "--version"], elsewhere).stdout.strip() == f"buurtsim {version}"


def test_list_shows_the_shipped_library_from_the_installation(venv: Path, elsewhere: Path) -> None:
    out = _run([str(venv / "bin" / "buurtsim"), "list"], elsewhere).stdout
    for name in ("basis", "projectencarrousel", "lessen/les1-presentie", "carrousel_vs_presentie"):
        assert name in out
    assert str(REPO) not in out and "_data" in out


def test_run_basis_from_the_installation(venv: Path, elsewhere: Path) -> None:
    target = elsewhere / "run-basis"
    _run([str(venv / "bin" / "buurtsim"), "run", "basis", "--ticks", "2", "-n", "60", "--out", str(target)], elsewhere, timeout=900)
    assert any(target.rglob("*.parquet")), "the run wrote its metrics"


def test_lessons_point_to_installed_guides(venv: Path, elsewhere: Path) -> None:
    out = _run([str(venv / "bin" / "buurtsim"), "lessen"], elsewhere).stdout
    assert "les1" in out
    guide = out.split("docentenhandleiding:", 1)[1].split()[0]
    assert Path(guide).is_file() and Path(guide).is_relative_to(venv)
    text = _run([str(venv / "bin" / "buurtsim"), "les", "les1"], elsewhere).stdout
    lesson_text = text.split("Lestekst:", 1)[1].split()[0]
    assert Path(lesson_text).is_file() and Path(lesson_text).is_relative_to(venv)


def test_python_api_takes_shipped_names_from_the_installation(venv: Path, elsewhere: Path) -> None:
    code = ("from buurtsim import NeighbourhoodModel\n"
            "m = NeighbourhoodModel.from_scenario('basis', n_residents=60, ticks=1, burn_in_weeks=0)\n"
            "m.run_model(); print(m.tick, m.scenario.name)")
    assert _run([str(venv / "bin" / "python"), "-c", code], elsewhere, timeout=900).stdout.split() == ["1", "basis"]


def test_dashboard_info_text_and_page_from_the_installation(venv: Path, elsewhere: Path) -> None:
    code = (
        "import solara\n"
        "from buurtsim.dashboard import app\n"
        "text = app.info_markdown()\n"
        "assert text and 'zelfredzaam' in text.lower(), text\n"
        "box, rc = solara.render(app.InfoTab('nl'), handle_error=False)\n"
        "print(app.__file__)\n"
    )
    where = _run([str(venv / "bin" / "python"), "-c", code], elsewhere).stdout.strip()
    assert Path(where).is_relative_to(venv)
