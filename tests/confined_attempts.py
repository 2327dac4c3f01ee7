"""What a template that got past the sandbox might try, run in the real render
child (``isolation.run_isolated`` needs importable functions).

Each attempt returns what happened as text, "done" or the error it met, so
the test can say which step was not refused.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

DONE = "done"


def write_file(path: str) -> str:
    """Create ``path`` and write into it."""
    try:
        Path(path).write_text("written by the render process", encoding="utf-8")
    except OSError as error:
        return type(error).__name__
    return DONE


def write_in_home(expected_home: str) -> str:
    """Create a file in the user's home, if the home is the test's."""
    home = Path.home()
    if str(home) != expected_home:
        return f"the home is {home}, not the test's"
    return write_file(str(home / "planted.txt"))


def write_in_own_folder() -> tuple[str, str]:
    """Write a temporary file where temporary files go, and read it back:
    the folder, and the text read back."""
    folder = tempfile.gettempdir()
    with tempfile.NamedTemporaryFile("w+", encoding="utf-8", delete=False) as made:
        made.write("scratch")
    return folder, Path(made.name).read_text(encoding="utf-8")


def connect_tcp(port: int) -> str:
    """Connect to a TCP port on this machine's loopback."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    except OSError as error:
        return type(error).__name__
    return DONE


def connect_unix(path: str) -> str:
    """Connect to a Unix socket by its path (as to a session bus)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)
    except OSError as error:
        return type(error).__name__
    return DONE


def change_mode(path: str) -> str:
    """Make ``path`` writable by everyone."""
    try:
        os.chmod(path, 0o777)
    except OSError as error:
        return type(error).__name__
    return DONE


def send_udp(port: int) -> str:
    """Send a datagram to a UDP port on this machine's loopback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
            sender.sendto(b"from the render process", ("127.0.0.1", port))
    except OSError as error:
        return type(error).__name__
    return DONE


def signal_parent() -> str:
    """Send the harmless signal 0 to the process that started this one."""
    try:
        os.kill(os.getppid(), 0)
    except OSError as error:
        return type(error).__name__
    return DONE


def draw_chart() -> tuple[str, str, bool]:
    """Draw a chart as an export does: where matplotlib keeps its cache, where
    temporary files go, and whether matplotlib had to build its font list."""
    from briefapp.documents.analysis_context import ChartSpec
    from briefapp.documents.analysis_render import chart_png

    own = Path(tempfile.gettempdir(), "matplotlib")
    before = {p.name: p.stat().st_mtime_ns for p in own.glob("fontlist-*.json")}
    import matplotlib

    png = chart_png(
        ChartSpec(
            options=("Option A", "Option B"),
            criteria=("Cost", "Risk"),
            contributions=((30.0, 20.0), (10.0, 40.0)),
            totals=(),
            axis="Weighted score",
        )
    )
    assert png.startswith(b"\x89PNG")
    after = {p.name: p.stat().st_mtime_ns for p in own.glob("fontlist-*.json")}
    return matplotlib.get_cachedir(), tempfile.gettempdir(), after != before
