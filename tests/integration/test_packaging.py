"""The built wheel carries everything the app reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return next(out.glob("briefapp-*.whl"))


def test_the_wheel_holds_templates_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "briefapp/templates/decision-brief.docx",
        "briefapp/templates/README.md",
        "briefapp/resources/demo.brief.json",
        "briefapp/resources/icons/briefapp.svg",
        "briefapp/db/migrations/env.py",
        "briefapp/db/migrations/script.py.mako",
        "briefapp/db/migrations/versions/0001_initial_schema.py",
    ):
        assert expected in names


def test_an_installed_wheel_finds_its_files_from_any_folder(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
         str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    probe = (
        "from briefapp import paths; "
        "print(paths.templates_dir()); print(paths.demo_brief_file().is_file())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": ""},
        timeout=120,
    )
    templates, demo_found = result.stdout.splitlines()
    assert Path(templates) == target / "briefapp" / "templates"
    assert demo_found == "True"
