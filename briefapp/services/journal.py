"""The recovery journal: edits not yet saved, kept on disk while the user
types, so that a crash or a kill loses none of them.

One small JSON file per brief and database holds the whole brief as shown,
with the revision it was based on. It is written atomically, replaced at each
pause in typing and removed once the brief is saved. What is left when the
app starts again was never saved, and is offered back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
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


@dataclass(frozen=True, slots=True)
class UnsavedEdits:
    """A brief as it was shown when last journaled, never saved."""

    brief_id: int
    revision: int
    """The stored revision the edits were made on."""
    brief: Brief
    written_at: dt.datetime
    path: Path


class RecoveryJournal:
    """The journal of one database, in ``folder``."""

    def __init__(self, folder: Path, database: Path) -> None:
        self._folder = folder
        self._database = database.resolve()
        digest = hashlib.sha256(str(self._database).encode("utf-8")).hexdigest()
        self._prefix = f"{database.stem}-{digest[:12]}-brief-"

    def keep(self, brief: Brief) -> None:
        """Journal ``brief`` (stored, with ``id`` and the revision it was based
        on), replacing what was journaled for it before.

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
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(
                f"The recovery folder {self._folder} cannot be made: {error.strerror}."
            ) from error
        text = json.dumps(document, ensure_ascii=False) + "\n"
        write_atomically(self._path(brief.id), text.encode("utf-8"))

    def forget(self, brief_id: int) -> None:
        """Drop what was journaled for ``brief_id`` (it is saved, or discarded)."""
        try:
            self._path(brief_id).unlink(missing_ok=True)
        except OSError as error:
            log.warning(
                "cannot remove the recovery file of brief %s: %s", brief_id, error
            )

    def pending(self) -> list[UnsavedEdits]:
        """What was journaled and never saved, newest first. A file that cannot
        be read is left where it is and logged."""
        if not self._folder.is_dir():
            return []
        found = []
        for path in self._folder.glob(f"{self._prefix}*.json"):
            try:
                found.append(self._read(path))
            except (OSError, ValueError, KeyError, TypeError, UserError) as error:
                log.warning("ignoring unreadable recovery file %s: %s", path, error)
        return sorted(found, key=lambda e: e.written_at, reverse=True)

    def _read(self, path: Path) -> UnsavedEdits:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != JOURNAL_FORMAT or document["database"] != str(
            self._database
        ):
            raise ValueError("not a recovery file of this database")
        brief_id, revision = int(document["brief_id"]), int(document["revision"])
        content = json.dumps(document["brief"])
        return UnsavedEdits(
            brief_id=brief_id,
            revision=revision,
            brief=brief_from_dict(content),
            written_at=dt.datetime.fromisoformat(document["written_at"]),
            path=path,
        )

    def _path(self, brief_id: int) -> Path:
        return self._folder / f"{self._prefix}{brief_id}.json"
