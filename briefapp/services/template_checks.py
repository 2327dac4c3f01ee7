"""Template checks remembered by content, and many templates checked at once.

Checking a template runs the whole checker, with two trial renders, in a
child process: about a second each. A result depends only on the template's
bytes, its file name (messages name it), its sidecar, the demo brief and the
code and libraries that check it, so it is kept under a key made of all of
these, in the user's cache folder. A template changed by one byte, a new
Briefapp or a new docxtpl gives a new key and is checked again.

The bytes hashed are the bytes checked: the template is read once, and the
child checks a private copy of what was read, so a file changed meanwhile in a
shared folder cannot have its new bytes recorded under the old digest. Only
what Briefapp's own checker found is stored; an entry is used only when its
every field matches the key, and a damaged or foreign one is ignored and
written again. Anyone who can write the cache folder could still forge an
"ok", so the folder must be the user's own: it is made owner-only, and one
that another user owns is not used at all. A check stopped by the time or
memory limit is not stored (it may pass on a quieter machine); nor is a
cancelled one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import platform
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import briefapp
from briefapp.domain.errors import RenderCancelledError, UserError
from briefapp.services.files import read_user_file, write_atomically

log = logging.getLogger(__name__)

CACHE_FORMAT = "briefapp-template-check"
CACHE_VERSION = 1
ENTRY_LIMIT = 1_000_000
"""The largest cache entry read, in bytes (a real one is a few kilobytes)."""
MAX_ENTRIES = 2000
"""Entries kept; the oldest go first."""
SIDECAR_LIMIT = 64 * 1024
_FOLDER_MODE = 0o700
_SEVERITIES = ("error", "warning")
_LIBRARIES = (
    "docxtpl", "python-docx", "jinja2", "markupsafe", "lxml", "babel", "pycountry",
    "matplotlib",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckedFinding:
    """One finding of the checker, as plain text (what the cache keeps)."""

    severity: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A template's bytes and its sidecar's, read once."""

    name: str
    data: bytes
    sidecar: bytes | None

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        """The template at ``path`` as it is now.

        Raises:
            UserError: it cannot be read.
        """
        data = read_user_file(path)
        sidecar_path = path.with_suffix(".json")
        sidecar = None
        try:
            if stat.S_ISREG(sidecar_path.stat().st_mode):
                sidecar = read_user_file(sidecar_path, limit=SIDECAR_LIMIT)
        except (OSError, UserError):  # too large or unreadable: the checker skips it
            sidecar = None
        return cls(path.name, data, sidecar)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def sidecar_digest(self) -> str:
        return "" if self.sidecar is None else hashlib.sha256(self.sidecar).hexdigest()

    @contextlib.contextmanager
    def copy(self) -> Iterator[Path]:
        """The snapshot written to a private temporary folder, under its own
        name (with its sidecar), for the child to check."""
        with tempfile.TemporaryDirectory(prefix="briefapp-check-") as folder:
            path = Path(folder) / self.name
            path.write_bytes(self.data)
            if self.sidecar is not None:
                path.with_suffix(".json").write_bytes(self.sidecar)
            yield path


class CheckCache:
    """Check results in ``folder``, valid for the code and demo brief in use."""

    def __init__(self, folder: Path, demo_brief: Path) -> None:
        self.folder = folder
        self._demo_brief = demo_brief
        self._environment: str | None = None
        self._lock = threading.Lock()

    def lookup(self, snapshot: Snapshot) -> list[CheckedFinding] | None:
        """What the checker found in exactly these bytes, if it is known."""
        if not self._private_folder():
            return None
        path = self._entry(snapshot)
        try:
            document = json.loads(_read_entry(path))
        except (OSError, ValueError, RecursionError):
            return None  # missing, damaged or not ours: checked and written again
        expected = self._header(snapshot)
        if not isinstance(document, dict) or any(
            document.get(key) != value for key, value in expected.items()
        ):
            log.warning("ignored a template check cache entry that does not match")
            return None
        return _findings_from(document.get("findings"))

    def store(self, snapshot: Snapshot, findings: list[CheckedFinding]) -> None:
        """Remember ``findings`` for these bytes; a failure only costs time."""
        if not self._private_folder():
            return
        document = {
            **self._header(snapshot),
            "findings": [[f.severity, f.where, f.message] for f in findings],
        }
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        try:
            write_atomically(self._entry(snapshot), data)
        except (UserError, OSError) as error:
            log.warning("template check not cached: %s", type(error).__name__)
            return
        self._prune()

    def environment(self) -> str:
        """A digest of everything besides the template a result depends on:
        Briefapp's version and code, the libraries, Python, the demo brief."""
        with self._lock:
            if self._environment is None:
                self._environment = _environment(self._demo_brief)
            return self._environment

    def _header(self, snapshot: Snapshot) -> dict[str, object]:
        return {
            "format": CACHE_FORMAT,
            "version": CACHE_VERSION,
            "environment": self.environment(),
            "name_sha256": hashlib.sha256(os.fsencode(snapshot.name)).hexdigest(),
            "template_sha256": snapshot.digest,
            "sidecar_sha256": snapshot.sidecar_digest,
        }

    def _entry(self, snapshot: Snapshot) -> Path:
        key = hashlib.sha256(
            json.dumps(self._header(snapshot), sort_keys=True).encode("utf-8")
        ).hexdigest()
        return self.folder / f"{key}.json"

    def _private_folder(self) -> bool:
        """Make the folder owner-only; whether it is this user's alone. Entries
        in a folder others could write are thrown away, never used."""
        try:
            self.folder.mkdir(mode=_FOLDER_MODE, parents=True, exist_ok=True)
            status = os.lstat(self.folder)
        except OSError:
            return False
        if not stat.S_ISDIR(status.st_mode):
            return False
        if hasattr(os, "getuid") and status.st_uid != os.getuid():
            log.warning("not using a template check cache another user owns")
            return False
        if os.name == "posix" and stat.S_IMODE(status.st_mode) & 0o077:
            log.warning("template check cache was open to others; emptied it")
            try:
                self.folder.chmod(_FOLDER_MODE)
            except OSError:
                return False
            for entry in self.folder.glob("*.json"):
                entry.unlink(missing_ok=True)
        return True

    def _prune(self) -> None:
        try:
            entries = list(os.scandir(self.folder))
            if len(entries) <= MAX_ENTRIES:
                return
            entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
            for entry in entries[: len(entries) - MAX_ENTRIES]:
                os.unlink(entry.path)
        except OSError:
            pass


def _read_entry(path: Path) -> bytes:
    """An entry's bytes: a plain file of this user's, not through a link."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(file.fileno())
        foreign = hasattr(os, "getuid") and status.st_uid != os.getuid()
        if not stat.S_ISREG(status.st_mode) or foreign:
            raise ValueError("not a plain file of this user's")
        if status.st_size > ENTRY_LIMIT:
            raise ValueError("too large")
        return file.read(ENTRY_LIMIT + 1)


def _findings_from(value: object) -> list[CheckedFinding] | None:
    if not isinstance(value, list):
        return None
    findings = []
    for item in value:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(part, str) for part in item)
            and item[0] in _SEVERITIES
        ):
            return None
        findings.append(CheckedFinding(*item))
    return findings


def _environment(demo_brief: Path) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, str(CACHE_VERSION), briefapp.__version__):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(f"{platform.python_implementation()} {sys.version}\0".encode())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    # The checker's code (and the context schema in it): a source checkout
    # changes without a new version number.
    package = Path(briefapp.__file__).parent
    for folder in ("documents", "domain"):
        for source in sorted((package / folder).rglob("*.py")):
            digest.update(source.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(source.read_bytes()).digest())
    try:
        digest.update(demo_brief.read_bytes())
    except OSError:
        digest.update(b"no demo brief")
    return digest.hexdigest()


def check_workers() -> int:
    """How many templates are checked at once: one per processor available."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    return max(1, min(count, 8))


@contextlib.contextmanager
def slot(
    slots: threading.Semaphore, cancelled: Callable[[], bool] | None
) -> Iterator[None]:
    """Wait for one of ``slots`` (a child process may start), giving up when
    ``cancelled()`` turns true.

    Raises:
        RenderCancelledError: cancelled while waiting.
    """
    while not slots.acquire(timeout=0.05):
        if cancelled is not None and cancelled():
            raise RenderCancelledError
    try:
        yield
    finally:
        slots.release()
