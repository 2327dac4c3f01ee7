"""Alembic environment: runs migrations on the connection Briefapp hands over."""

from __future__ import annotations

from alembic import context

from briefapp.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    # SQLite rolls DDL back like any other change (the connection begins its
    # own transactions), so every pending migration runs in one transaction:
    # all of them apply, or none.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
    # Foreign keys are off while tables are rebuilt (a batch rebuild of a
    # parent would otherwise cascade-delete its children); prove nothing broke
    # before committing.
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
