"""Confine the process that works on untrusted templates: no network, and
writes only beneath its own private folder.

This is the second layer under the Jinja sandbox, for the day a template finds
a way past it. On Linux the render child, as it starts and before it receives
its job:

1. leaves the network: a new network namespace (inside a new user namespace
   where the system permits one) whose only interface is a loopback that is
   down, so no IP socket reaches another process or host;
2. restricts itself with Landlock: every kind of filesystem write (writing,
   truncating, creating, removing, linking and renaming, device ioctls) is
   refused except beneath its own folder; reading stays allowed everywhere
   (templates, Python's libraries); TCP bind and connect are refused; abstract
   Unix sockets and signals cannot reach processes outside (as the kernel's
   Landlock version allows);
3. installs a seccomp filter (``syscall_filter``) for what Landlock does not
   cover: it creates no socket of any kind (a Unix socket reached by its path
   would lead out of both), and changes no file's mode, owner, times or
   extended attributes.

Each step that the system refuses is left out and the others still hold:
``current()`` says what holds. On macOS and Windows nothing is confined beyond
the sandbox and the time and memory limits.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from briefapp.documents import syscall_filter

log = logging.getLogger(__name__)

_SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1 << 0
_LANDLOCK_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000

# Filesystem rights (linux/landlock.h) and the Landlock version that has each.
_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3
_IOCTL_DEV = 1 << 15  # ABI 5
_WRITES_BY_ABI = (
    (1, _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_CHAR | _MAKE_DIR
        | _MAKE_REG | _MAKE_SOCK | _MAKE_FIFO | _MAKE_BLOCK | _MAKE_SYM),
    (2, _REFER),
    (3, _TRUNCATE),
    (5, _IOCTL_DEV),
)  # fmt: skip
_BIND_TCP = 1 << 0  # ABI 4
_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    """``struct landlock_ruleset_attr``: one field from ABI 1, two from 4,
    three from 6; the kernel is given the size of the fields it knows."""

    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    """``struct landlock_path_beneath_attr`` (packed: 12 bytes)."""

    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


@dataclasses.dataclass(frozen=True, slots=True)
class Confinement:
    """What holds in a process beyond the sandbox and the time and memory limits.

    ``filesystem``: writes only beneath ``folder``. ``network``: "namespace"
    (no network at all), "landlock-tcp" (no TCP) or None. ``scoped``: abstract
    Unix sockets and signals stay inside. ``syscalls``: no new sockets, no
    changes to files' modes, owners, times or attributes (the seccomp filter).
    ``problems``: steps the kernel should have allowed but refused.
    """

    filesystem: bool = False
    network: str | None = None
    scoped: bool = False
    syscalls: bool = False
    landlock_abi: int = 0
    folder: str | None = None
    problems: tuple[str, ...] = ()

    def describe(self) -> str:
        """One sentence for the log."""
        if not (self.filesystem or self.network or self.syscalls):
            return (
                "The template renderer is not confined beyond the sandbox and "
                "the time and memory limits (this system offers neither Landlock, "
                "a network namespace nor seccomp)."
            )
        held = []
        if self.filesystem:
            held.append("writes only in its own temporary folder")
        if self.network == "namespace":
            held.append("no network (a network namespace of its own)")
        elif self.network == "landlock-tcp":
            held.append("no TCP")
        if self.syscalls:
            held.append(
                "no sockets of any kind, no changes to files' modes, owners, "
                "times or attributes"
            )
        if self.scoped:
            held.append("no abstract Unix sockets or signals outside")
        return f"The template renderer is confined: {'; '.join(held)}."


_HELD = [Confinement()]
_NOTED: set[Confinement] = set()


def current() -> Confinement:
    """What confinement holds in this process."""
    return _HELD[0]


def landlock_abi() -> int:
    """The kernel's Landlock version, 0 without Landlock."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        version = _syscall(
            _SYS_LANDLOCK_CREATE_RULESET,
            None,
            ctypes.c_size_t(0),
            ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION),
        )
    except OSError:  # ENOSYS, EOPNOTSUPP (Landlock off at boot)
        return 0
    return version


def confine(folder: Path, *, prepare_fonts: bool = False) -> Confinement:
    """Confine this process for good: no network, writes only beneath ``folder``.

    Temporary files, caches and matplotlib's configuration go to ``folder``
    too. With ``prepare_fonts``, matplotlib's font list is first built in the
    user's cache if no current one is there, so later processes can copy it.
    Never raises: what could not be applied is in the result's ``problems``.
    """
    if not sys.platform.startswith("linux"):
        return _HELD[0]
    problems: list[str] = []
    network = "namespace" if _leave_network() else None
    abi = landlock_abi()
    filesystem = scoped = False
    if abi > 0:
        _write_beneath(folder, prepare_fonts=prepare_fonts)
        try:
            _restrict(folder, abi)
        except OSError as error:
            problems.append(f"Landlock {abi} could not be applied ({error})")
        else:
            filesystem, scoped = True, abi >= 6
            if network is None and abi >= 4:
                network = "landlock-tcp"
    syscalls = False
    if syscall_filter.supported():
        try:
            syscall_filter.install()
        except OSError as error:
            problems.append(f"the seccomp filter could not be installed ({error})")
        else:
            syscalls = True
    held = Confinement(
        filesystem=filesystem,
        network=network,
        scoped=scoped,
        syscalls=syscalls,
        landlock_abi=abi,
        folder=str(folder),
        problems=tuple(problems),
    )
    _HELD[0] = held
    return held


def note(held: Confinement) -> None:
    """Log, once per process, what confinement holds in a render process."""
    key = dataclasses.replace(held, folder=None)
    if key in _NOTED:
        return
    _NOTED.add(key)
    log.info("%s", held.describe())
    for problem in held.problems:
        log.warning(
            "the template renderer is less confined than it could be: %s", problem
        )


def _leave_network() -> bool:
    """A network namespace of our own (in a user namespace of our own where
    permitted, which also leaves root no way back); False if refused."""
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        _map_identity(uid, gid)
        return True
    # Root where user namespaces are off may still have a network namespace.
    return os.geteuid() == 0 and libc.unshare(_CLONE_NEWNET) == 0


def _map_identity(uid: int, gid: int) -> None:
    """Keep our own user and group ids inside the new user namespace, so that
    files look owned as before (refusing extra groups, as the kernel requires)."""
    for name, text in (
        ("setgroups", "deny"),
        ("uid_map", f"{uid} {uid} 1"),
        ("gid_map", f"{gid} {gid} 1"),
    ):
        try:
            Path("/proc/self", name).write_text(text, encoding="ascii")
        except OSError:  # only a cosmetic loss: ids show as the overflow id
            return


def _write_beneath(folder: Path, *, prepare_fonts: bool) -> None:
    """Send the places that libraries write to into ``folder``."""
    fonts = _matplotlib_fonts(prepare=prepare_fonts)
    place = str(folder)
    os.environ["TMPDIR"] = place
    tempfile.tempdir = place
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    matplotlib_folder = folder / "matplotlib"
    matplotlib_folder.mkdir(exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(matplotlib_folder)
    for found in fonts:  # without a current one matplotlib builds it, more slowly
        with contextlib.suppress(OSError):
            shutil.copyfile(found, matplotlib_folder / found.name)
    sys.dont_write_bytecode = True  # the package folders are not writable


def _matplotlib_fonts(*, prepare: bool) -> list[Path]:
    """The font lists in the user's matplotlib cache, to copy: building one
    takes most of a second, copying it nothing.

    With ``prepare``, if none is newer than matplotlib itself (none yet, or
    matplotlib was upgraded), matplotlib's font manager is loaded now with its
    usual folders, while they are writable: it reads the list, or builds and
    saves it for the processes that come after.
    """
    from importlib import util

    try:
        spec = util.find_spec("matplotlib")
        named = os.environ.get("MPLCONFIGDIR")
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        cache = Path(named) if named else Path(base, "matplotlib")
        lists = sorted(cache.glob("fontlist-v*.json"))
        if spec is None or spec.origin is None:
            return []
        installed = Path(spec.origin).stat().st_mtime
        if not prepare or any(f.stat().st_mtime >= installed for f in lists):
            return lists
    except (OSError, RuntimeError, ImportError, ValueError):
        return []
    from matplotlib import font_manager

    current = cache / f"fontlist-v{font_manager.FontManager.__version__}.json"
    with contextlib.suppress(OSError):
        os.utime(current)  # known to be current from now on
    return []


def _restrict(folder: Path, abi: int) -> None:
    """Apply Landlock to this process: writes beneath ``folder`` only, no TCP,
    nothing outside the scope (as far as ``abi`` goes)."""
    one, zero = ctypes.c_ulong(1), ctypes.c_ulong(0)
    if _libc().prctl(_PR_SET_NO_NEW_PRIVS, one, zero, zero, zero) != 0:
        raise _last_error("prctl(PR_SET_NO_NEW_PRIVS)")
    writes = 0
    for since, rights in _WRITES_BY_ABI:
        if abi >= since:
            writes |= rights
    attr = _RulesetAttr(handled_access_fs=writes)
    size = 8
    if abi >= 4:
        attr.handled_access_net = _BIND_TCP | _CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
    ruleset = _syscall(
        _SYS_LANDLOCK_CREATE_RULESET,
        ctypes.byref(attr),
        ctypes.c_size_t(size),
        ctypes.c_uint32(0),
    )
    try:
        _allow_beneath(ruleset, folder, writes)
        # Writing to /dev/null is throwing away; programs open it for that.
        _allow_beneath(ruleset, Path(os.devnull), writes & (_WRITE_FILE | _TRUNCATE))
        _syscall(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)


def _allow_beneath(ruleset: int, path: Path, rights: int) -> None:
    handle = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=handle)
        _syscall(
            _SYS_LANDLOCK_ADD_RULE,
            ctypes.c_int(ruleset),
            ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH),
            ctypes.byref(rule),
            ctypes.c_uint32(0),
        )
    finally:
        os.close(handle)


@functools.cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def _syscall(number: int, *args: object) -> int:
    result = int(_libc().syscall(ctypes.c_long(number), *args))
    if result < 0:
        raise _last_error(f"system call {number}")
    return result


def _last_error(what: str) -> OSError:
    number = ctypes.get_errno()
    return OSError(number, f"{what}: {os.strerror(number)}")
