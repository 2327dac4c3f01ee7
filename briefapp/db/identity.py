"""Telling a Briefapp database from any other SQLite file, by SQLite alone.

A file is Briefapp's when its tables, their columns and every other object in
its schema are exactly what the migrations of one known revision make. An
``alembic_version`` table proves nothing (other programs use Alembic too); a
trigger or view nobody asked for (one that rewrites a classification on every
save, say) is named and refused. Everything here reads the file through a
read-only SQLite connection: Python's ``open()`` on a live database would drop
the locks SQLite holds on it in this process.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from briefapp.db.engine import damaged_error, file_uri, refuse_damage
from briefapp.db.migrate import HEAD_REVISION as HEAD
from briefapp.domain.errors import DamagedDatabaseError, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
_READ_HEADER = (
    "import sys\nwith open(sys.argv[1], 'rb') as f: sys.stdout.buffer.write(f.read(16))"
)


@dataclass(frozen=True, slots=True)
class Schema:
    """What a database's schema holds: its tables with their columns, and its
    other objects (indexes, triggers, views) as ``(type, name)``."""

    tables: dict[str, frozenset[str]]
    others: frozenset[tuple[str, str]]


class Check(Enum):
    """How much of the file SQLite reads before the schema is compared."""

    NONE = "SELECT 'ok'"
    QUICK = "PRAGMA quick_check(1)"
    FULL = "PRAGMA integrity_check(1)"


_BRIEF_0001 = (
    "id reference title classification brief_type status addressee drafter "
    "deadline summary decision_sought background considerations recommendation "
    "revision created_at updated_at"
)
_PARTS_0001 = {
    "brief_country": "id brief_id position code role notes",
    "brief_option": "id brief_id position key title description supplier "
    "cost_amount cost_currency quantity delivery_months advantages "
    "disadvantages risks",
    "brief_constraint": "id brief_id position key title hard description kind",
    "brief_source": "id brief_id position key title publisher author date url note",
}
_BRIEF_0002 = f"{_BRIEF_0001} deadline_reason key_points next_steps recommended_option"
_BRIEF_0005 = f"{_BRIEF_0002} reference_key"
_PARTS_0003 = {
    "brief_criterion": "id brief_id position key title description weight",
    "brief_assessment": "id brief_id position option_key constraint_key result "
    "note source_key",
    "brief_score": "id brief_id position option_key criterion_key score rationale",
}

_PARTS_0004 = {
    "brief_comment": "id brief_id parent_id target_kind target_key author "
    "created_at text comment_class resolved resolved_by resolved_at version",
    "brief_edit": "id brief_id part editor at",
    "brief_event": "id brief_id at actor action note from_status to_status version",
    "brief_issue": "id brief_id version digest fingerprint template issued_by "
    "issued_at",
    "brief_member": "id brief_id position name role",
    "brief_version": "id brief_id number reason label created_by created_at "
    "digest content",
}
_INDEXES_0004 = (
    "ix_brief_comment_parent_id",
    "ix_brief_issue_digest",
    "ix_brief_issue_fingerprint",
    "ix_brief_version_digest",
)


def _frozen(
    brief: str, parts: dict[str, str], extra_indexes: tuple[str, ...] = ()
) -> Schema:
    tables = {"alembic_version": "version_num", "brief": brief, **parts}
    indexes = {("index", "ix_brief_list")} | {
        ("index", f"ix_{name}_brief_id") for name in parts
    }
    indexes |= {("index", name) for name in extra_indexes}
    return Schema(
        {name: frozenset(columns.split()) for name, columns in tables.items()},
        frozenset(indexes),
    )


def _head() -> Schema:
    """The newest schema, as the ORM tables declare it (a migration test keeps
    the migrations equal to them)."""
    from briefapp.db.tables import Base  # noqa: PLC0415 (the ORM, when needed)

    tables = {"alembic_version": frozenset({"version_num"})}
    others: set[tuple[str, str]] = set()
    for table in Base.metadata.tables.values():
        tables[table.name] = frozenset(column.name for column in table.columns)
        others |= {("index", str(index.name)) for index in table.indexes}
    return Schema(tables, frozenset(others))


@cache
def known_schemas() -> dict[str, Schema]:
    """The schema each known revision's migrations make, by revision.

    When a migration is added, the schema of the revision before it is
    written out here (as for 0001 to 0005); the newest comes from the ORM.
    """
    return {
        "0001": _frozen(_BRIEF_0001, _PARTS_0001),
        "0002": _frozen(_BRIEF_0002, _PARTS_0001),
        "0003": _frozen(_BRIEF_0002, _PARTS_0001 | _PARTS_0003),
        "0004": _frozen(
            _BRIEF_0002, _PARTS_0001 | _PARTS_0003 | _PARTS_0004, _INDEXES_0004
        ),
        "0005": _frozen(
            _BRIEF_0005, _PARTS_0001 | _PARTS_0003 | _PARTS_0004, _INDEXES_0004
        ),
        HEAD: _head(),
    }


def read_schema(connection: sqlite3.Connection) -> tuple[Schema, str | None]:
    """The schema in ``connection``'s database, and the revision it records.

    SQLite's own objects (``sqlite_sequence``, ``sqlite_stat1``, the indexes
    it makes for UNIQUE constraints) are left out.
    """
    tables: dict[str, frozenset[str]] = {}
    others: set[tuple[str, str]] = set()
    query = (
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'"
    )
    for kind, name in connection.execute(query).fetchall():
        if kind == "table":
            info = connection.execute("SELECT name FROM pragma_table_info(?)", (name,))
            tables[name] = frozenset(row[0] for row in info)
        else:
            others.add((kind, name))
    revision = None
    if tables.get("alembic_version") == frozenset({"version_num"}):
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        # (Text, or the page holding it is damaged.)
        revision = row[0] if row is not None and isinstance(row[0], str) else None
    return Schema(tables, frozenset(others)), revision


@dataclass(frozen=True, slots=True)
class Identity:
    """What a file that SQLite could read holds."""

    revision: str | None
    """The schema revision (``None``: an empty database, to be made)."""

    @property
    def newer(self) -> bool:
        """Written by a newer Briefapp (a revision this one does not know)."""
        return self.revision is not None and self.revision not in known_schemas()


class Role(Enum):
    """Whose file is being examined: it changes only how refusals read."""

    DATABASE = "database"
    BACKUP = "backup"


def examine(path: Path, check: Check, role: Role = Role.DATABASE) -> Identity:
    """Check the file at ``path`` (which exists) through a read-only SQLite
    connection and say what it is; refuse anything but a whole Briefapp
    database of a known revision, or of a newer one, or an empty database.

    Raises:
        DamagedDatabaseError: not an SQLite file, damaged, or holding objects
            Briefapp never makes (each named).
        StorageError: another program's database, or it cannot be read.
    """
    refuse_working_file(path)
    try:
        with contextlib.closing(
            sqlite3.connect(file_uri(path, read_only=True), uri=True)
        ) as connection:
            verdict = str(connection.execute(check.value).fetchone()[0])
            if verdict == "ok":
                schema, revision = read_schema(connection)
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_NOTADB and not _starts_as_sqlite(path):
            raise DamagedDatabaseError(
                f"{path} is not a Briefapp database (not an SQLite file)."
            ) from error
        if code not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise StorageError(f"{path} cannot be opened: {error}.") from error
        verdict = str(error)
    if verdict != "ok":
        if role is Role.BACKUP:
            raise DamagedDatabaseError(f"{path} is damaged ({verdict}).")
        refuse_damage(path, verdict)
    return Identity(_identify(path, schema, revision, role))


def refuse_working_file(path: Path) -> None:
    """Refuse the log or lock file SQLite keeps beside a database: opening it
    as a database and closing it again would drop the locks every connection
    of this process to that database holds on it.

    Raises:
        StorageError: ``path`` is such a file.
    """
    for suffix in ("-wal", "-shm", "-journal"):
        base = path.with_name(path.name.removesuffix(suffix))
        if path.name.endswith(suffix) and base.is_file():
            raise StorageError(
                f"{path} is a file SQLite keeps beside the database {base.name}, "
                "not a database; it was not read."
            )


def _starts_as_sqlite(path: Path) -> bool:
    """Whether the file begins as every SQLite database does (so SQLite's
    refusal means damage, not another kind of file). Read in a child process:
    this one may hold connections to the file, whose locks closing a
    descriptor of its own on it would drop."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _READ_HEADER, str(path)],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout == SQLITE_HEADER


def _identify(
    path: Path, schema: Schema, revision: str | None, role: Role
) -> str | None:
    if not schema.tables and not schema.others:
        return None  # an empty database: Briefapp makes its schema
    known = known_schemas()
    expected = known.get(revision or "")
    if revision is not None and expected is None:
        if _holds(schema, known[HEAD]):
            return revision  # a newer Briefapp's: refused, unchanged, by the caller
        raise _foreign(path)
    if expected is None:
        if any(_holds(schema, s, without_version=True) for s in known.values()):
            raise damaged_error(path, "is damaged (its schema version is lost)")
        raise _foreign(path)
    if not _holds(schema, expected):
        raise _foreign(path)
    unexpected = [("table", t) for t in sorted(schema.tables.keys() - expected.tables)]
    unexpected += sorted(schema.others - expected.others)
    if unexpected:
        raise _unexpected(path, unexpected, role)
    return revision


def _holds(schema: Schema, expected: Schema, *, without_version: bool = False) -> bool:
    """Every table ``expected`` has is there, with exactly its columns (but
    ``alembic_version``, if ``without_version``)."""
    return all(
        schema.tables.get(name) == columns
        for name, columns in expected.tables.items()
        if not (without_version and name == "alembic_version")
    )


def _foreign(path: Path) -> StorageError:
    return StorageError(
        f"{path} is a database of another program, not a Briefapp database. "
        "It was not changed."
    )


def _unexpected(
    path: Path, objects: list[tuple[str, str]], role: Role
) -> DamagedDatabaseError:
    names = ", ".join(f"{kind} “{name}”" for kind, name in objects)
    what = f"holds what Briefapp never makes, which may change briefs unseen: {names}"
    if role is Role.BACKUP:
        return DamagedDatabaseError(f"{path} {what}. It was not used.")
    return damaged_error(path, what)
