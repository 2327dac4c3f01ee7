"""The render process has no network and writes only in its own folder.

Each attempt runs in the real child, through ``isolation.run_isolated``, as a
template that got past the sandbox would. Where the system lacks what a test
needs (Landlock, a network namespace), the test is skipped with the reason;
CI sets BRIEFAPP_REQUIRE_CONFINEMENT=1, so there they fail instead.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from briefapp.documents import confinement, isolation
from briefapp.documents.confinement import Confinement
from tests import confined_attempts
from tests.confined_attempts import DONE

R = TypeVar("R")


def _in_child(function: Callable[..., R], *args: Any) -> R:
    return isolation.run_isolated(
        function,
        *args,
        what="Filling in the template hostile.docx",
        timeout=120,
    )


def _require(needed: str, missing: str) -> None:
    if os.environ.get("BRIEFAPP_REQUIRE_CONFINEMENT") == "1":
        pytest.fail(
            f"{needed} is required here (BRIEFAPP_REQUIRE_CONFINEMENT=1): {missing}"
        )
    pytest.skip(f"{needed} does not hold here: {missing}")


@pytest.fixture(autouse=True)
def no_spare() -> Iterator[None]:
    """Every attempt goes to a child started for it, in this test's settings."""
    isolation.discard_spare()
    yield
    isolation.discard_spare()


@pytest.fixture(scope="module")
def held() -> Confinement:
    """What holds in a render child on this system."""
    return _in_child(confinement.current)


@pytest.fixture
def filesystem(held: Confinement) -> Confinement:
    if not held.filesystem:
        missing = "; ".join(held.problems) or "the kernel has no Landlock"
        _require("The write confinement", missing)
    return held


@pytest.fixture
def no_udp(held: Confinement) -> Confinement:
    if held.network != "namespace" and not held.syscalls:
        _require(
            "The UDP confinement",
            "this system permits the process neither a network namespace of its own "
            "nor a seccomp filter",
        )
    return held


def test_it_cannot_create_or_change_a_file_outside_its_folder(
    filesystem: Confinement, tmp_path: Path
) -> None:
    outside = tmp_path / "outside" / "planted.txt"
    outside.parent.mkdir()
    existing = tmp_path / "existing.txt"
    existing.write_text("the user's text", encoding="utf-8")

    assert _in_child(confined_attempts.write_file, str(outside)) == "PermissionError"
    assert _in_child(confined_attempts.write_file, str(existing)) == "PermissionError"

    assert not outside.exists()
    assert existing.read_text(encoding="utf-8") == "the user's text"


def test_it_cannot_create_a_file_in_the_users_home(
    filesystem: Confinement, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))

    assert _in_child(confined_attempts.write_in_home, str(home)) == "PermissionError"

    assert list(home.iterdir()) == []


def test_it_writes_its_temporary_files_in_its_own_folder_which_goes_with_it(
    filesystem: Confinement,
) -> None:
    folder, text = _in_child(confined_attempts.write_in_own_folder)

    assert text == "scratch"
    assert Path(folder).name.startswith("briefapp-render-")
    assert not Path(folder).exists()


def test_a_spare_child_is_confined_before_it_gets_its_job(
    filesystem: Confinement, tmp_path: Path
) -> None:
    outside = tmp_path / "planted.txt"
    isolation.keep_spare()
    spare = isolation._SPARE[0]
    assert spare is not None

    assert _in_child(confined_attempts.write_file, str(outside)) == "PermissionError"

    assert not outside.exists()
    assert not Path(spare.folder).exists()


def test_it_cannot_connect_to_a_tcp_server_on_this_machine(held: Confinement) -> None:
    if held.network is None:
        _require("The network confinement", "the kernel has no Landlock network rules")
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        port = server.getsockname()[1]

        assert _in_child(confined_attempts.connect_tcp, port) != DONE

        with pytest.raises(BlockingIOError):  # nothing waits to be accepted
            server.accept()


def test_it_cannot_send_a_udp_datagram_on_this_machine(no_udp: Confinement) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        port = receiver.getsockname()[1]

        assert _in_child(confined_attempts.send_udp, port) != DONE

        with pytest.raises(BlockingIOError):  # nothing arrived
            receiver.recv(100)


@pytest.fixture
def syscalls(held: Confinement) -> Confinement:
    if not held.syscalls:
        missing = "; ".join(held.problems) or "no seccomp filter for this machine"
        _require("The system call filter", missing)
    return held


def test_it_cannot_connect_to_a_unix_socket_by_its_path(
    syscalls: Confinement, tmp_path: Path
) -> None:
    path = tmp_path / "bus"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen()
        server.setblocking(False)

        assert _in_child(confined_attempts.connect_unix, str(path)) == "PermissionError"

        with pytest.raises(BlockingIOError):  # nothing waits to be accepted
            server.accept()


def test_it_cannot_change_a_files_mode(syscalls: Confinement, tmp_path: Path) -> None:
    existing = tmp_path / "private.txt"
    existing.write_text("the user's text", encoding="utf-8")
    existing.chmod(0o600)

    assert _in_child(confined_attempts.change_mode, str(existing)) == "PermissionError"

    assert existing.stat().st_mode & 0o777 == 0o600


def test_it_cannot_signal_the_application(held: Confinement) -> None:
    if not held.scoped:
        _require("The signal scope", "the kernel's Landlock is older than version 6")

    assert _in_child(confined_attempts.signal_parent) == "PermissionError"


def test_charts_are_drawn_with_the_font_list_the_first_child_kept(
    filesystem: Confinement, private_user_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building matplotlib's font list takes most of a second, copying it nothing:
    an application's first child builds it in the user's cache before it is
    confined, the later ones copy it into their own folder."""
    monkeypatch.setattr(isolation, "_FONTS_PREPARED", [False])
    users_cache = private_user_folders / "xdg_cache_home" / "matplotlib"

    first_cache, _folder, _built = _in_child(confined_attempts.draw_chart)
    second_cache, folder, built = _in_child(confined_attempts.draw_chart)

    assert Path(first_cache) == users_cache
    assert [p.name for p in users_cache.glob("fontlist-*.json")]
    assert Path(second_cache) == Path(folder, "matplotlib")
    assert not built


def test_what_holds_is_logged_once_and_what_failed_as_a_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(confinement, "_NOTED", set())
    held = Confinement(
        filesystem=True, network="namespace", scoped=True, syscalls=True, landlock_abi=7
    )
    weaker = Confinement(
        network="namespace", problems=("Landlock 7 could not be applied",)
    )
    caplog.set_level(logging.INFO, logger="briefapp.documents.confinement")

    confinement.note(held)
    confinement.note(held)
    confinement.note(weaker)

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "INFO",
            "The template renderer is confined: writes only in its own temporary "
            "folder; no network (a network namespace of its own); no sockets of any "
            "kind, no changes to files' modes, owners, times or attributes; no "
            "abstract Unix sockets or signals outside.",
        ),
        (
            "INFO",
            "The template renderer is confined: no network (a network namespace "
            "of its own).",
        ),
        (
            "WARNING",
            "the template renderer is less confined than it could be: Landlock 7 "
            "could not be applied",
        ),
    ]


def test_elsewhere_nothing_is_confined_and_nothing_is_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    before = dict(os.environ)

    held = confinement.confine(tmp_path)

    assert held == Confinement()
    assert "not confined beyond the sandbox and the time and memory limits" in (
        held.describe()
    )
    assert dict(os.environ) == before
