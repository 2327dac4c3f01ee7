"""What a user can do with briefs: list, open, create, save, copy, delete,
import and export brief files. Each call is one short transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from briefapp.db import repositories
from briefapp.db.engine import Database
from briefapp.domain.brief_format import dumps_brief, loads_brief
from briefapp.domain.entities import Brief, BriefSummary
from briefapp.domain.validation import brief_problems, raise_for_problems
from briefapp.services.files import read_user_file, write_atomically

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BriefService:
    """Brief storage actions over one database."""

    def __init__(self, database: Database, clock: Clock = utc_now) -> None:
        self._database = database
        self._clock = clock

    @property
    def database_path(self) -> Path:
        return self._database.path

    def list_briefs(self) -> list[BriefSummary]:
        """Every brief's listed columns, most recently changed first."""
        with self._database.reading() as session:
            return repositories.list_briefs(session)

    def get_brief(self, brief_id: int) -> Brief:
        """The whole brief.

        Raises:
            BriefNotFoundError: no brief has this id.
        """
        with self._database.reading() as session:
            return repositories.get_brief(session, brief_id)

    def create_brief(
        self, brief: Brief | None = None, *, complete: bool = True
    ) -> Brief:
        """Store a new brief (a blank one unless ``brief`` is given).

        ``complete=False`` accepts a draft that still lacks required fields.

        Raises:
            BriefFormatError: ``brief`` breaks a rule of the brief format.
        """
        if brief is None:
            brief = self._blank_brief()
        raise_for_problems(brief_problems(brief, complete=complete))
        with self._database.writing() as session:
            created = repositories.add_brief(session, brief, self._clock())
        log.info("created brief %s", created.id)
        return created

    def save_brief(self, brief: Brief) -> Brief:
        """Save an edited brief over its stored version.

        A draft may still lack its title or classification; every other rule
        holds.

        Raises:
            BriefFormatError: the brief breaks a rule (nothing is saved).
            BriefConflictError: it was changed elsewhere since it was loaded.
        """
        raise_for_problems(brief_problems(brief, complete=False))
        with self._database.writing() as session:
            return repositories.update_brief(session, brief, self._clock())

    def duplicate_brief(self, brief_id: int) -> Brief:
        """A new draft with the content of brief ``brief_id``."""
        original = self.get_brief(brief_id)
        copy = replace(
            original,
            id=None,
            revision=0,
            reference=f"{original.reference}-COPY",
            title=f"Copy of {original.title}",
        )
        return self.create_brief(copy, complete=False)

    def delete_brief(self, brief_id: int) -> None:
        """Delete a brief and everything in it."""
        with self._database.writing() as session:
            repositories.delete_brief(session, brief_id)
        log.info("deleted brief %s", brief_id)

    def import_brief_file(self, path: Path) -> Brief:
        """Check a ``.brief.json`` file completely, then store it as a new brief.

        Raises:
            UserError: the file cannot be read.
            BriefFormatError: names the JSON path of the first problem; the
                database is unchanged.
        """
        brief = loads_brief(read_user_file(path))
        return self.create_brief(brief)

    def export_brief_file(self, brief_id: int, path: Path) -> None:
        """Write brief ``brief_id`` to ``path`` as a ``.brief.json`` file.

        Raises:
            BriefFormatError: the brief is a draft that lacks a required field.
            ExportError: the file cannot be written.
        """
        brief = self.get_brief(brief_id)
        raise_for_problems(brief_problems(brief))
        write_atomically(path, dumps_brief(brief).encode("utf-8"))

    def _blank_brief(self) -> Brief:
        today = self._clock().date()
        with self._database.reading() as session:
            number = repositories.count_briefs(session) + 1
        return Brief(
            reference=f"BRIEF-{today.year}-{number:03d}",
            title="Untitled brief",
            classification="RESTRICTED",
        )
