"""Build hook: the wheel carries the scenario library, the experiments and the docs inside the package.

They live beside the package in the repository (scenarios/, experiments/, docs/), where users and
other tools edit them. Building a wheel copies them to `buurtsim/_data/`, where
`buurtsim.scenario.library` finds them in an installation; an editable install reads the checkout.
All other metadata is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (folder in the repository, file patterns) copied to buurtsim/_data/<folder> in a build.
SHIPPED = {
    "scenarios": ("*.toml", "lessen/*.toml"),
    "experiments": ("*.toml",),
    "docs": ("*.md", "teaching/*.md"),
}


class BuildWithData(build_py):
    """build_py that also copies the shipped folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "buurtsim" / "_data"
        for folder, patterns in SHIPPED.items():
            for pattern in patterns:
                for src in sorted((ROOT / folder).glob(pattern)):
                    dest = target / folder / src.relative_to(ROOT / folder)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": BuildWithData})
