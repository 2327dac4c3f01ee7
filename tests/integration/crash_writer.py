"""The child of the crash test: saves a brief over and over and reports each
save once it is committed. It is killed with SIGKILL at some moment."""

from __future__ import annotations

from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

from briefapp.db.engine import Database
from briefapp.services.briefs import BriefService


def save_until_killed(path: str, reports: Connection) -> None:
    service = BriefService(Database(Path(path)))
    brief = service.get_brief(1)
    while True:
        # A change to the brief row and to every child list, in one transaction.
        brief = service.save_brief(
            replace(
                brief,
                title=f"Save {brief.revision}",
                key_points=(*brief.key_points[-3:], f"point {brief.revision}"),
            )
        )
        reports.send(brief.revision)
