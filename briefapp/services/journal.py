"""The recovery journal: edits not yet saved, kept on disk while the user
types, so that a crash or a kill loses none of them.

Each window is a session of its own and writes only its own files: one small
JSON file per brief, holding the whole brief as shown with the revision it
was based on, written atomically at each pause in typing and removed once
the brief is saved. A window that ends normally leaves nothing behind; what
a session that ended otherwise left is offered back by the next window to
open the database (the window tells live sessions from ended ones by their
lock files). The folder is readable by its owner only: briefs may be
classified.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import logging
import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefapp.domain.brief_format import brief_from_dict
from briefapp.domain.brief_writer import brief_to_dict
from briefapp.domain.entities import Brief
from briefapp.domain.errors import UserError
from briefapp.services.files import write_atomically

log = logging.getLogger(__name__)

JOURNAL_FORMAT = "briefapp-unsaved-edits"
JOURNAL_VERSION = 1
_PRIVATE = 0o700
MAX_JOURNAL_BYTES = 256 * 1024 * 1024
"""Larger than any brief's journal; a bigger file is not read."""
SET_ASIDE_SUFFIX = ".unreadable"


@dataclass(frozen=True, slots=True)
class UnsavedEdits:
    """A brief as it was shown when last journaled, never saved."""

    brief_id: int
    revision: int
    """The stored revision the edits were made on."""
    brief: Brief
    written_at: dt.datetime
    session: str
    path: Path


class RecoveryJournal:
    """One window's journal of one database, in ``folder``."""

    def __init__(self, folder: Path, database: Path) -> None:
        self.folder = folder
        self._database = database.resolve()
        digest = hashlib.sha256(str(self._database).encode("utf-8")).hexdigest()
        self._key = digest[:16]
        self.session = secrets.token_hex(6)
        """This window's session (its files and its lock file carry it)."""

    def lock_path(self, session: str | None = None) -> Path:
        """The lock file a live window holds for its ``session`` (this one's
        by default)."""
        return self.folder / f"{self._key}-{session or self.session}.lock"

    def prepare(self) -> None:
        """Make the folder, readable by its owner only.

        Raises:
            UserError: it cannot be made.
        """
        try:
            self.folder.mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
            self.folder.chmod(_PRIVATE)
        except OSError as error:
            raise UserError(
                f"The recovery folder {self.folder} cannot be made: {error.strerror}."
            ) from error

    def keep(self, brief: Brief) -> None:
        """Journal ``brief`` (stored, with ``id`` and the revision it was based
        on), replacing what this session journaled for it before.

        Raises:
            UserError: the journal cannot be written (the disk is full…).
        """
        if brief.id is None:
            return
        document = {
            "format": JOURNAL_FORMAT,
            "version": JOURNAL_VERSION,
            "database": str(self._database),
            "brief_id": brief.id,
            "revision": brief.revision,
            "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "brief": brief_to_dict(brief),
        }
        self.prepare()
        text = json.dumps(document, ensure_ascii=False) + "\n"
        write_atomically(self._path(self.session, brief.id), text.encode("utf-8"))

    def forget(self, brief_id: int) -> None:
        """Drop what this session journaled for ``brief_id`` (it is saved, or
        deliberately dropped)."""
        _remove(self._path(self.session, brief_id))

    def forget_all(self) -> None:
        """Drop everything this session journaled (its window closes saved)."""
        for path in self._files(self.session):
            _remove(path)

    def discard(self, edits: UnsavedEdits) -> None:
        """Drop edits left by an ended session."""
        _remove(edits.path)

    def left_behind(self, is_live: Callable[[str], bool]) -> list[UnsavedEdits]:
        """What sessions that are not live (``is_live(session)`` is False)
        journaled and never saved, newest first. A file that cannot be read is
        left where it is and logged."""
        found: list[UnsavedEdits] = []
        live: dict[str, bool] = {self.session: True}
        for path in self._files("*"):
            session = path.name[len(self._key) + 1 :].split("-brief-", 1)[0]
            if session not in live:
                live[session] = is_live(session)
            if live[session]:
                continue
            try:
                found.append(self._read(path, session))
            except (OSError, ValueError, KeyError, TypeError, UserError) as error:
                _set_aside(path, error)
        return sorted(found, key=lambda e: e.written_at, reverse=True)

    def _read(self, path: Path, session: str) -> UnsavedEdits:
        document = _read_document(path)
        if document.get("format") != JOURNAL_FORMAT or document.get("database") != str(
            self._database
        ):
            raise ValueError("not a recovery file of this database")
        return UnsavedEdits(
            brief_id=int(document["brief_id"]),
            revision=int(document["revision"]),
            brief=brief_from_dict(json.dumps(document["brief"])),
            written_at=dt.datetime.fromisoformat(document["written_at"]),
            session=session,
            path=path,
        )

    def _files(self, session: str) -> list[Path]:
        if not self.folder.is_dir():
            return []
        pattern = f"{glob.escape(self._key)}-{session}-brief-*.json"
        return sorted(self.folder.glob(pattern))

    def _path(self, session: str, brief_id: int) -> Path:
        return self.folder / f"{self._key}-{session}-brief-{brief_id}.json"


def _read_document(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``, if it is a regular file of at most
    ``MAX_JOURNAL_BYTES`` (a pipe, a device or a link is never opened to
    wait on it) holding a JSON object; else ``ValueError``."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ValueError("not a regular file")
        if status.st_size > MAX_JOURNAL_BYTES:
            raise ValueError(f"larger than {MAX_JOURNAL_BYTES:,} bytes")
        data = stream.read(MAX_JOURNAL_BYTES + 1)
    try:
        document = json.loads(data.decode("utf-8"))
    except RecursionError as error:  # nested too deep to be a journal
        raise ValueError("nested too deeply") from error
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def _set_aside(path: Path, error: Exception) -> None:
    """Move a file that is not a readable journal out of the journal's way
    (kept, for whoever wants to look at it), and say so in the log."""
    aside = path.with_name(path.name + SET_ASIDE_SUFFIX)
    try:
        path.replace(aside)
    except OSError as moving:
        log.warning("cannot set aside the recovery file %s: %s", path, moving)
        return
    log.warning(
        "set aside the unreadable recovery file %s as %s: %s", path, aside, error
    )


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("cannot remove the recovery file %s: %s", path, error)
