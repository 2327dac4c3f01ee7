"""The ``clearance`` object of a ``.brief.json`` file (format version 3): a
brief's clearance record written out, and read back checking all of it.

Comments are numbered 1, 2, 3, … in the file, in the record's order, and
replies name the number of the comment they answer, so the numbers of the
database a file came from are not part of it and export, import and export
again gives the same bytes. Versions travel as metadata only: their content
stays in the database where they were taken.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from briefapp.domain.brief_reader import BriefReader
from briefapp.domain.clearance import (
    AuditEvent,
    Clearance,
    Comment,
    CommentClass,
    CommentTarget,
    Member,
    Version,
    VersionReason,
    chain_problems,
)
from briefapp.domain.entities import BriefStatus
from briefapp.domain.workflow import Role

CLEARANCE_KEYS = ("status", "chain", "versions", "audit", "comments")
MEMBER_KEYS = ("name", "role")
VERSION_KEYS = ("number", "reason", "label", "created_by", "created_at", "digest")
EVENT_KEYS = ("at", "actor", "action", "note", "from_status", "to_status", "version")
COMMENT_KEYS = (
    "id", "reply_to", "on", "author", "created_at", "text", "class", "resolved",
    "resolved_by", "resolved_at", "version",
)  # fmt: skip

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""Times in the file: UTC, to the second (``2026-11-28T09:15:00Z``)."""
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FileClearance:
    """A clearance record as a brief file holds it.

    Comments carry the file's numbers (1, 2, 3, …) as ``id`` and ``parent_id``;
    a reply always comes after the comment it answers. Versions are numbered
    1, 2, 3, … and have no content here (``has_content`` is false)."""

    status: BriefStatus = BriefStatus.DRAFT
    chain: tuple[Member, ...] = ()
    versions: tuple[Version, ...] = ()
    events: tuple[AuditEvent, ...] = ()
    comments: tuple[Comment, ...] = ()


def has_record(clearance: Clearance | FileClearance) -> bool:
    """Whether ``clearance`` holds anything a brief file should carry: a
    brief never cleared, commented on or given a chain has nothing to say."""
    return clearance.status is not BriefStatus.DRAFT or any(
        (clearance.chain, clearance.versions, clearance.events, clearance.comments)
    )


def clearance_to_dict(clearance: Clearance | FileClearance) -> dict[str, Any]:
    """The ``clearance`` object of the file format, keys in their documented
    order, comments numbered 1, 2, 3, … in the record's order."""
    numbers = {c.id: n for n, c in enumerate(clearance.comments, start=1)}
    return {
        "status": clearance.status.value,
        "chain": [{"name": m.name, "role": m.role.value} for m in clearance.chain],
        "versions": [_version_to_dict(v) for v in clearance.versions],
        "audit": [_event_to_dict(e) for e in clearance.events],
        "comments": [_comment_to_dict(c, numbers) for c in clearance.comments],
    }


def read_clearance(
    value: Any, reader: BriefReader, path: str = "clearance"
) -> FileClearance | None:
    """The clearance record in ``value`` (the decoded ``clearance`` object).

    Every problem is reported through ``reader.fail`` with its JSON path, as
    for the brief; the result is meaningful only if none was.
    """
    return ClearanceReader(reader, path).clearance(value)


def time_text(moment: dt.datetime) -> str:
    """A time as the file writes it: UTC, to the second, with a final ``Z``."""
    return moment.astimezone(dt.UTC).strftime(TIME_FORMAT)


class ClearanceReader:
    """Reads one ``clearance`` object, reporting through a ``BriefReader``."""

    def __init__(self, reader: BriefReader, path: str) -> None:
        self.reader = reader
        self.path = path
        self.version_numbers: set[int] = set()
        self.comment_count = 0
        self.parents: dict[int, int | None] = {}
        """Each comment read so far, by its number: the comment it answers."""

    def clearance(self, value: Any) -> FileClearance | None:
        fields = self.reader.fields(value, self.path, CLEARANCE_KEYS)
        if fields is None:
            return None
        comments = fields.get("comments")
        self.comment_count = len(comments) if isinstance(comments, list) else 0
        return FileClearance(
            status=self.reader.enum(fields, self.path, "status", BriefStatus),
            chain=self.chain(fields),
            versions=self.numbered(fields, "versions", self.version),
            events=self.numbered(fields, "audit", self.event),
            comments=self.numbered(fields, "comments", self.comment),
        )

    def chain(self, fields: dict[str, Any]) -> tuple[Member, ...]:
        before = len(self.reader.problems)
        chain: tuple[Member, ...] = self.reader.items(
            fields, self.path, "chain", self.member
        )
        if len(self.reader.problems) == before:
            for problem in chain_problems(chain):
                self.reader.fail(f"{self.path}.chain", problem)
        return chain

    def numbered(
        self,
        fields: dict[str, Any],
        name: str,
        read: Callable[[Any, str, int], T | None],
    ) -> tuple[T, ...]:
        """The items of array ``name``, each read knowing its position (1, 2, …)."""
        position = itertools.count(1)
        items: tuple[T, ...] = self.reader.items(
            fields, self.path, name, lambda v, at: read(v, at, next(position))
        )
        return items

    def member(self, value: Any, path: str) -> Member | None:
        fields = self.reader.fields(value, path, MEMBER_KEYS)
        if fields is None:
            return None
        return Member(
            name=self.filled(fields, path, "name"),
            role=self.reader.enum(fields, path, "role", Role),
        )

    def version(self, value: Any, path: str, position: int) -> Version | None:
        fields = self.reader.fields(value, path, VERSION_KEYS)
        if fields is None:
            return None
        if self.position(fields, path, "number", position, "versions"):
            self.version_numbers.add(position)
        digest = fields.get("digest")
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            if "digest" in fields:
                self.reader.fail(
                    f"{path}.digest", "must be 64 hexadecimal digits (0-9, a-f)"
                )
            digest = ""
        return Version(
            number=position,
            reason=self.reader.enum(fields, path, "reason", VersionReason),
            label=self.reader.text(fields, path, "label"),
            created_by=self.reader.text(fields, path, "created_by"),
            created_at=self.time(fields, path, "created_at") or _EPOCH,
            digest=digest,
            has_content=False,
        )

    def event(self, value: Any, path: str, _position: int) -> AuditEvent | None:
        fields = self.reader.fields(value, path, EVENT_KEYS)
        if fields is None:
            return None
        return AuditEvent(
            at=self.time(fields, path, "at") or _EPOCH,
            actor=self.reader.text(fields, path, "actor"),
            action=self.filled(fields, path, "action"),
            note=self.reader.text(fields, path, "note"),
            from_status=self.choice(fields, path, "from_status", BriefStatus),
            to_status=self.choice(fields, path, "to_status", BriefStatus),
            version=self.version_number(fields, path),
        )

    def comment(self, value: Any, path: str, position: int) -> Comment | None:
        fields = self.reader.fields(value, path, COMMENT_KEYS)
        if fields is None:
            return None
        self.position(fields, path, "id", position, "comments")
        parent = self.reply_to(fields, path, position)
        self.parents[position] = parent
        resolved = fields.get("resolved")
        if not isinstance(resolved, bool):
            if "resolved" in fields:
                self.reader.fail(f"{path}.resolved", "must be true or false")
            resolved = False
        comment = Comment(
            id=position,
            target=self.target(fields, path),
            author=self.filled(fields, path, "author"),
            created_at=self.time(fields, path, "created_at") or _EPOCH,
            text=self.filled(fields, path, "text"),
            comment_class=self.reader.enum(fields, path, "class", CommentClass),
            parent_id=parent,
            resolved=resolved,
            resolved_by=self.reader.text(fields, path, "resolved_by"),
            resolved_at=self.time(fields, path, "resolved_at", optional=True),
            version=self.version_number(fields, path),
        )
        if isinstance(fields.get("resolved"), bool):
            self.check_resolution(comment, fields, path)
        return comment

    def position(
        self, fields: dict[str, Any], path: str, name: str, expected: int, what: str
    ) -> bool:
        """Check that the item's number is its position; false if it is not."""
        value = fields.get(name)
        if value == expected and type(value) is int:
            return True
        if name in fields:
            self.reader.fail(
                f"{path}.{name}",
                f"must be {expected}: {what} are numbered 1, 2, 3, … in order",
            )
        return False

    def reply_to(self, fields: dict[str, Any], path: str, own: int) -> int | None:
        value = fields.get("reply_to")
        if value is None:
            return None
        where = f"{path}.reply_to"
        if type(value) is not int:
            self.reader.fail(where, "must be the number of a comment, or null")
        elif not 1 <= value <= self.comment_count:
            self.reader.fail(where, f"there is no comment {value} in this file")
        elif value >= own:
            self.reader.fail(
                where,
                f"comment {value} is not before this one; a reply comes after "
                "the comment it answers",
            )
        elif self.parents.get(value) is not None:
            self.reader.fail(
                where,
                f"comment {value} is itself a reply; replies answer a comment, "
                "not another reply",
            )
        else:
            return value
        return None

    def target(self, fields: dict[str, Any], path: str) -> CommentTarget:
        text = self.reader.text(fields, path, "on")
        try:
            return CommentTarget.parse(text)
        except ValueError:
            if "on" in fields and isinstance(fields["on"], str):
                self.reader.fail(
                    f"{path}.on",
                    "must be “brief” or what the comment is on, such as “option:B” "
                    "(field, option, constraint or country, then its key)",
                )
            return CommentTarget()

    def check_resolution(
        self, comment: Comment, fields: dict[str, Any], path: str
    ) -> None:
        if comment.resolved and fields.get("resolved_at", "") is None:
            self.reader.fail(
                f"{path}.resolved_at",
                "a resolved comment needs the time it was resolved",
            )
        elif not comment.resolved and (comment.resolved_by or comment.resolved_at):
            self.reader.fail(
                f"{path}.resolved",
                "is false, but resolved_by or resolved_at says it was resolved",
            )

    def version_number(self, fields: dict[str, Any], path: str) -> int | None:
        value = fields.get("version")
        if value is None:
            return None
        if type(value) is not int:
            self.reader.fail(f"{path}.version", "must be a version's number, or null")
            return None
        if value not in self.version_numbers:
            self.reader.fail(
                f"{path}.version", f"there is no version {value} in this file"
            )
            return None
        return value

    def filled(self, fields: dict[str, Any], path: str, name: str) -> str:
        """A string that must hold more than spaces."""
        text = self.reader.text(fields, path, name)
        if isinstance(fields.get(name), str) and not fields[name].strip():
            self.reader.fail(f"{path}.{name}", "is empty")
        return text

    def choice(
        self, fields: dict[str, Any], path: str, name: str, kind: type[E]
    ) -> E | None:
        return (
            None
            if fields.get(name) is None
            else self.reader.enum(fields, path, name, kind)
        )

    def time(
        self, fields: dict[str, Any], path: str, name: str, optional: bool = False
    ) -> dt.datetime | None:
        value = fields.get(name)
        if value is None and (optional or name not in fields):
            return None
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            self.reader.fail(
                f"{path}.{name}",
                "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ"
                + (", or null" if optional else ""),
            )
            return None
        try:
            return dt.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:
            self.reader.fail(
                f"{path}.{name}", f"“{value}” is not a time in the calendar"
            )
            return None


def _version_to_dict(version: Version) -> dict[str, Any]:
    return {
        "number": version.number,
        "reason": version.reason.value,
        "label": version.label,
        "created_by": version.created_by,
        "created_at": time_text(version.created_at),
        "digest": version.digest,
    }


def _event_to_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": time_text(event.at),
        "actor": event.actor,
        "action": event.action,
        "note": event.note,
        "from_status": None if event.from_status is None else event.from_status.value,
        "to_status": None if event.to_status is None else event.to_status.value,
        "version": event.version,
    }


def _comment_to_dict(comment: Comment, numbers: dict[int, int]) -> dict[str, Any]:
    resolved_at = comment.resolved_at
    return {
        "id": numbers[comment.id],
        "reply_to": None if comment.parent_id is None else numbers[comment.parent_id],
        "on": str(comment.target),
        "author": comment.author,
        "created_at": time_text(comment.created_at),
        "text": comment.text,
        "class": comment.comment_class.value,
        "resolved": comment.resolved,
        "resolved_by": comment.resolved_by,
        "resolved_at": None if resolved_at is None else time_text(resolved_at),
        "version": comment.version,
    }
