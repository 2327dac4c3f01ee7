"""The window starts on a real X server with Qt's xcb platform, as on a
desktop, with the system libraries the README's quick start installs.

CI installs Xvfb, xdotool and those libraries and sets BRIEFAPP_REQUIRE_X11=1,
so there these tests cannot be skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("BRIEFAPP_REQUIRE_X11") == "1":
            pytest.fail(f"{tool} is required here (BRIEFAPP_REQUIRE_X11=1)")
        pytest.skip(f"{tool} is not installed")
    return found


@pytest.fixture
def display() -> Iterator[str]:
    """A new X server of our own; its number is the one it reports free."""
    xvfb = _require("Xvfb")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24",
         "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as answer:
        number = answer.readline().strip()  # written once the server is ready
    assert number.isdigit(), "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=30)


def test_the_xcb_platform_plugin_finds_every_library_it_needs() -> None:
    _require("Xvfb")
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms"
    linked = subprocess.run(
        ["ldd", str(plugin / "libqxcb.so")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    missing = [line.split()[0] for line in linked.splitlines() if "not found" in line]
    assert missing == [], f"install the packages that provide {missing}"


def test_the_window_opens_on_x11_and_closes_saving_on_sigterm(
    display: str, tmp_path: Path
) -> None:
    xdotool = _require("xdotool")
    database = tmp_path / "briefs.db"
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    window = subprocess.Popen(
        [sys.executable, "-m", "briefapp", "--db", str(database)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        found = subprocess.run(
            # The window, once the demo brief has opened in it.
            [xdotool, "search", "--sync", "--onlyvisible", "--name", "^MOD-2026-014 "],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert found.returncode == 0, found.stderr
        title = subprocess.run(
            [xdotool, "getwindowname", found.stdout.split()[0]],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
        assert title.startswith("MOD-2026-014 – Acquisition of cluster munitions")
        assert title.endswith(" — Briefapp")
        window.send_signal(signal.SIGTERM)
        _out, errors = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
            window.communicate()
    assert window.returncode == 0, errors
    assert "platform plugin" not in errors, errors
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        (count,) = connection.execute("SELECT count(*) FROM brief").fetchone()
    connection.close()
    assert count == 1
