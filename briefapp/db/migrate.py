"""Bringing a database to the current schema with the bundled Alembic migrations.

Start-up reads the stored revision with one query and imports Alembic only
when there is something to do. A database stamped with a revision this
version does not know was written by a newer Briefapp and is refused, never
downgraded. Migrations run with foreign keys off on their own connection and
check ``PRAGMA foreign_key_check`` before they commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from briefapp.db.engine import damaged_error
from briefapp.domain.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

    from briefapp.db.engine import Database

log = logging.getLogger(__name__)

SCRIPT_LOCATION = "briefapp.db:migrations"
HEAD_REVISION = "0006"
"""The newest migration; a test keeps it equal to Alembic's head."""


def stored_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database, ``None`` if it has none."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_database(database: Database) -> bool:
    """Migrate ``database`` to the newest schema.

    Returns:
        True if the schema was created from nothing (a new database).

    Raises:
        StorageError: the database was written by a newer Briefapp, or a
            migration failed (the database is then left as it was).
    """
    with database.reading() as session:
        connection = session.connection()
        current = stored_revision(connection)
        tables = current is None and bool(inspect(connection).get_table_names())
    if tables:
        # Opening refused other programs' databases: this is ours, damaged.
        raise damaged_error(database.path, "is damaged (its schema version is lost)")
    if current == HEAD_REVISION:
        return False
    config = alembic_config()
    _refuse_unknown(config, current, database)
    if current is not None:
        # A copy of the database as it was, whatever the migration does.
        from briefapp.db.backup import make_backup

        make_backup(database.path, f"before-{HEAD_REVISION}", dt.datetime.now(dt.UTC))
    log.info("migrating %s from %s to %s", database.path, current, HEAD_REVISION)
    _run_upgrade(config, database)
    return current is None


def known_revisions() -> set[str]:
    """Every schema revision this Briefapp knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {s.revision for s in script.walk_revisions()}


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _refuse_unknown(config: Config, current: str | None, database: Database) -> None:
    if current is None:
        return
    if current not in known_revisions():
        raise StorageError(
            f"The database {database.path} was written by a newer version of "
            f"Briefapp (schema {current}); update Briefapp to open it."
        )


def _run_upgrade(config: Config, database: Database) -> None:
    from alembic import command

    with database.write_engine().connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        # Must be set outside a transaction, before Alembic begins one.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        except Exception as error:
            connection.rollback()
            log.exception("migration of %s failed", database.path)
            raise StorageError(
                f"The database {database.path} could not be upgraded; it was "
                f"left unchanged ({error})."
            ) from error
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
