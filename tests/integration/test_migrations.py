"""Migrations: they match the models, upgrade populated databases, fail cleanly."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from briefapp import paths
from briefapp.db import migrate
from briefapp.db.engine import Database
from briefapp.db.opening import open_database
from briefapp.db.tables import Base
from briefapp.domain.entities import BriefStatus
from briefapp.domain.errors import StorageError
from briefapp.domain.workflow import content_digest
from briefapp.services.briefs import BriefService
from briefapp.services.clearance import ClearanceService
from briefapp.services.session import Locations, open_services

MIGRATIONS = Path(migrate.__file__).parent / "migrations"
TABLES = ("brief", "brief_country", "brief_option", "brief_constraint", "brief_source")


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }


def every_count(path: Path) -> dict[str, int]:
    """The rows of every table of Briefapp's (all children of ``brief``)."""
    with sqlite3.connect(path) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                "NOT IN ('alembic_version', 'sqlite_sequence')"
            )
        ]
        return {
            name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in names
        }


def populate(path: Path) -> dict[str, int]:
    locations = Locations(
        paths.templates_dir(), path.parent / "t", paths.demo_brief_file()
    )
    services = open_services(path, locations)
    try:
        demo_id = services.briefs.list_briefs()[0].id
        services.briefs.duplicate_brief(demo_id)
        services.briefs.create_brief()
    finally:
        services.close()
    return counts(path)


def test_the_migrations_build_exactly_the_models(database_path: Path) -> None:
    database = open_database(database_path).database
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()


def test_the_head_constant_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD_REVISION]


def test_opening_an_up_to_date_database_changes_no_row(database_path: Path) -> None:
    before = populate(database_path)
    assert before == {
        "brief": 3,
        "brief_country": 14,
        "brief_option": 8,
        "brief_constraint": 14,
        "brief_source": 6,
    }
    opened = open_database(database_path)
    opened.database.dispose()
    assert not opened.created
    assert counts(database_path) == before


def test_a_database_from_a_newer_briefapp_is_refused(database_path: Path) -> None:
    populate(database_path)
    with sqlite3.connect(database_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(StorageError) as caught:
        open_database(database_path)
    assert str(caught.value) == (
        f"The database {database_path} was written by a newer version of Briefapp "
        "(schema 0099); update Briefapp to open it."
    )


def _scripts_with(tmp_path: Path, *upgrade_bodies: str) -> Config:
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    first = int(migrate.HEAD_REVISION) + 1
    for number, body in enumerate(upgrade_bodies, start=first):
        (scripts / "versions" / f"{number:04d}_test.py").write_text(
            "import sqlalchemy as sa\n"
            "from alembic import op\n"
            f"revision = '{number:04d}'\ndown_revision = '{number - 1:04d}'\n"
            "branch_labels = None\ndepends_on = None\n"
            f"def upgrade():\n{body}\n"
            "def downgrade():\n    pass\n",
            encoding="utf-8",
        )
    config = migrate.alembic_config()
    config.set_main_option("script_location", str(scripts))
    return config


REBUILD_PARENT = """\
    with op.batch_alter_table("brief", recreate="always") as batch:
        batch.add_column(sa.Column("extra", sa.Text(), nullable=True))
"""


def test_rebuilding_a_parent_table_keeps_every_child_row(
    database_path: Path, tmp_path: Path
) -> None:
    before = populate(database_path)
    database = Database(database_path)
    try:
        migrate._run_upgrade(_scripts_with(tmp_path, REBUILD_PARENT), database)
    finally:
        database.dispose()
    assert counts(database_path) == before
    with sqlite3.connect(database_path) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version")
        assert revision.fetchone() == (f"{int(migrate.HEAD_REVISION) + 1:04d}",)
        columns = [row[1] for row in connection.execute("PRAGMA table_info(brief)")]
        assert "extra" in columns


def test_a_failing_migration_leaves_the_database_as_it_was(
    database_path: Path, tmp_path: Path
) -> None:
    before = populate(database_path)
    failing = "    op.drop_table('brief_source')\n    raise RuntimeError('half-way')\n"
    database = Database(database_path)
    try:
        with pytest.raises(StorageError, match="could not be upgraded; it was left"):
            migrate._run_upgrade(
                _scripts_with(tmp_path, REBUILD_PARENT, failing), database
            )
        with database.writing() as session:
            assert (
                migrate.stored_revision(session.connection()) == migrate.HEAD_REVISION
            )
        assert BriefService(database).list_briefs()[0].reference
    finally:
        database.dispose()
    assert counts(database_path) == before
    with sqlite3.connect(database_path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(brief)")]
        assert "extra" not in columns


RELEASED = sorted((Path(__file__).parents[1] / "data").glob("schema-*.db"))


def test_a_database_of_each_released_schema_is_kept() -> None:
    assert [p.name for p in RELEASED] == [
        "schema-0001.db",
        "schema-0002.db",
        "schema-0003.db",
        "schema-0004.db",
        "schema-0005.db",
    ]


@pytest.mark.parametrize("released", RELEASED, ids=lambda p: p.stem)
def test_databases_of_released_schemas_upgrade_without_losing_a_row(
    released: Path, tmp_path: Path
) -> None:
    path = tmp_path / released.name
    shutil.copyfile(released, path)
    before = every_count(path)
    assert before["brief"] == (5 if released.stem >= "schema-0004" else 3)
    opened = open_database(path)
    try:
        assert not opened.created
        service = BriefService(opened.database)
        demo = service.get_brief(1)
        assert demo.reference == "MOD-2026-014"
        assert len(demo.options) == 4
        # What a quantity counts came in 0006: older options count nothing named.
        assert [o.quantity_unit for o in demo.options] == ["", "", "", ""]
        assert [o.quantity for o in demo.options] == [12000, 6000, 6000, 4500]
        if released.stem == "schema-0001":  # decision details came in 0002
            assert (demo.key_points, demo.recommended_option, demo.next_steps) == (
                (),
                None,
                "",
            )
        else:
            assert demo.recommended_option == "A"
        analysed = released.stem >= "schema-0003"  # the analysis came in 0003
        assert len(demo.criteria) == (5 if analysed else 0)
        assert len(demo.scores) == (20 if analysed else 0)
        clearance = ClearanceService(opened.database).clearance(1)
        assert clearance.status is BriefStatus.DRAFT
        held = (len(clearance.versions), len(clearance.comments), len(clearance.chain))
        assert held == ((1, 2, 3) if released.stem >= "schema-0004" else (0, 0, 0))
        for version in clearance.versions:
            # Content taken before units still has the digest it was bound to.
            content = ClearanceService(opened.database).version_brief(1, version.number)
            assert content_digest(content) == version.digest
        with opened.database.reading() as session:
            assert (
                migrate.stored_revision(session.connection()) == migrate.HEAD_REVISION
            )
    finally:
        opened.database.dispose()
    after = every_count(path)  # tables added since are empty
    assert {table: after[table] for table in before} == before


def test_references_shared_before_are_told_apart_by_the_upgrade(
    tmp_path: Path,
) -> None:
    """Schema 0004 allowed one reference for several briefs: the first keeps
    it, the others are numbered; empty references stay empty."""
    path = tmp_path / "schema-0004.db"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-0004.db", path)
    opened = open_database(path)
    try:
        listed = BriefService(opened.database).list_briefs()
    finally:
        opened.database.dispose()
    assert sorted((b.id, b.reference) for b in listed) == [
        (1, "MOD-2026-014"),
        (2, "MOD-2026-014 (2)"),
        (3, "mod-2026-014 (3)"),
        (4, ""),
        (5, ""),
    ]


def test_the_brief_table_never_reuses_an_id(database_path: Path) -> None:
    populate(database_path)
    with sqlite3.connect(database_path) as connection:
        (table,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'brief'"
        ).fetchone()
    assert "AUTOINCREMENT" in table
    database = open_database(database_path).database
    try:
        service = BriefService(database)
        newest = service.create_brief()
        assert newest.id is not None
        service.delete_brief(newest.id)
        assert service.create_brief().id == newest.id + 1
    finally:
        database.dispose()


def test_two_briefs_cannot_share_a_reference_in_the_database(
    database_path: Path,
) -> None:
    """The unique key holds even below the services."""
    populate(database_path)
    with (
        sqlite3.connect(database_path) as connection,
        pytest.raises(sqlite3.IntegrityError, match="reference_key"),
    ):
        connection.execute(
            "UPDATE brief SET reference = 'x', reference_key = "
            "(SELECT reference_key FROM brief WHERE id = 1) WHERE id = 2"
        )
