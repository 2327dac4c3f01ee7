"""The README's quick start stays true: two commands, and CI runs the test one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_the_quick_start_has_exactly_two_commands() -> None:
    install_and_launch, install_and_test = quick_start_commands()
    assert "pip install ." in install_and_launch
    assert install_and_launch.endswith("&& briefapp")
    assert '".[test]"' in install_and_test
    assert install_and_test.endswith("pytest")


def test_the_first_command_installs_what_the_x11_window_needs() -> None:
    install_and_launch = quick_start_commands()[0]
    packages = install_and_launch.split(" && ")[0].split()
    assert packages[:4] == ["sudo", "apt-get", "install", "-y"]
    # Qt's xcb plugin refuses to load without these on a minimal system.
    for needed in (
        "python3-venv",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
    ):
        assert needed in packages
    # CI installs the same list, read from this command.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "grep -m1 '^sudo apt-get install -y ' README.md" in ci


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_the_screenshot_the_readme_shows_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        assert (ROOT / image).is_file(), image


def test_the_readme_states_the_reliability_figures() -> None:
    from tests.reliability import KINDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- reliability:start -->", 1)[1]
    section = section.split("<!-- reliability:end -->", 1)[0]
    figures = dict(re.findall(r"^\| ([a-z][^|]*?) \| ([\d,]+) \|$", section, re.M))
    assert list(figures) == list(KINDS)
    assert all(int(count.replace(",", "")) > 0 for count in figures.values()), figures
    assert "`python scripts/reliability_report.py`" in section
