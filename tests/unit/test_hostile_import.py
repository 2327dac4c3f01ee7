"""Generated brief files, valid and broken, given to ``briefapp import``.

Each is either imported exactly (``briefapp export`` gives the same brief
back) or refused with the JSON path of each fault and the database left as it
was; never a traceback, never half a brief.
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from briefapp.cli_output import field
from briefapp.domain.brief_format import dumps_brief, loads_brief
from briefapp.domain.entities import Brief
from briefapp.domain.errors import BriefFormatError
from tests.cli_in_process import Outcome, run_cli
from tests.reliability import IMPORT_CASES, tally
from tests.strategies import JSON_VALUES, briefs, damaged_documents, demo_document

pytestmark = pytest.mark.reliability

GENERATED = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BRIEF_PATH = re.compile(r"brief(\.|\[|$)")


def as_document(brief: Brief) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(dumps_brief(brief))
    return decoded


BASES = st.one_of(st.builds(demo_document), briefs().map(as_document))


@st.composite
def cut_short(draw: st.DrawFn) -> bytes:
    """A valid brief file that ends early, as a broken download would."""
    data = dumps_brief(draw(briefs())).encode("utf-8")
    return data[: draw(st.integers(0, len(data) - 2))]


JUNK = st.one_of(
    JSON_VALUES.map(lambda value: json.dumps(value).encode("utf-8")),
    st.binary(max_size=200),
    cut_short(),
)


@pytest.fixture
def database(database_path: Path) -> Path:
    """A database with the demo brief, made by the command line."""
    assert run_cli("--db", str(database_path), "list").status == 0
    return database_path


def stored(database: Path) -> list[str]:
    """Everything in the database, as SQL."""
    with closing(sqlite3.connect(database)) as connection:
        return list(connection.iterdump())


def import_file(database: Path, source: Path, *flags: str) -> Outcome:
    return run_cli("--db", str(database), "import", *flags, str(source))


def export_file(database: Path, brief_id: str, output: Path) -> bytes:
    exported = run_cli("--db", str(database), "export", brief_id, "-o", str(output))
    assert (exported.status, exported.stderr) == (0, "")
    return output.read_bytes()


def assert_refused(outcome: Outcome, data: bytes) -> BriefFormatError:
    """The import was refused with the file format's own account of it."""
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(data)
    assert (outcome.status, outcome.stdout) == (1, "")
    assert outcome.stderr == "".join(
        f"briefapp: {field(f'{path}: {text}' if path else text)}\n"
        for path, text in caught.value.problems
    )
    return caught.value


@GENERATED
@given(brief=briefs())
def test_a_generated_brief_is_imported_exactly(
    tmp_path: Path, database: Path, brief: Brief
) -> None:
    source = tmp_path / "generated.brief.json"
    source.write_text(dumps_brief(brief), encoding="utf-8")
    # An earlier example may have had this reference: replace that draft.
    imported = import_file(database, source, "--replace")
    assert (imported.status, imported.stderr) == (0, "")
    assert re.fullmatch(r"\d+\n", imported.stdout)
    exported = export_file(database, imported.stdout.strip(), tmp_path / "x.json")
    assert exported == source.read_bytes()
    assert loads_brief(exported) == brief
    tally(IMPORT_CASES)


@settings(GENERATED, max_examples=60)
@given(damaged=damaged_documents(BASES))
def test_a_damaged_brief_file_is_imported_exactly_or_refused_with_its_path(
    tmp_path: Path, database: Path, damaged: tuple[dict[str, Any], str]
) -> None:
    document, where = damaged
    note(f"changed at {where}")
    source = tmp_path / "damaged.brief.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    before = stored(database)
    outcome = import_file(database, source, "--replace")
    event("imported" if outcome.status == 0 else "refused")
    if outcome.status == 0:
        exported = export_file(database, outcome.stdout.strip(), tmp_path / "x.json")
        assert loads_brief(exported) == loads_brief(source.read_bytes())
    else:
        error = assert_refused(outcome, source.read_bytes())
        assert all(BRIEF_PATH.match(path) for path, _ in error.problems)
        assert stored(database) == before
    tally(IMPORT_CASES)


@settings(GENERATED, max_examples=40)
@given(data=JUNK)
def test_anything_else_is_refused_and_changes_nothing(
    tmp_path: Path, database: Path, data: bytes
) -> None:
    source = tmp_path / "junk.brief.json"
    source.write_bytes(data)
    before = stored(database)
    error = assert_refused(import_file(database, source), data)
    assert str(error).strip()
    assert stored(database) == before
    tally(IMPORT_CASES)


def test_an_import_that_fails_half_way_stores_nothing(
    tmp_path: Path, database_path: Path
) -> None:
    """The brief is stored, then its clearance record fails (the disk fills):
    the brief is not kept without its record."""
    # The demo brief has no chain of its own: Alice names one, a record to export.
    named = run_cli(
        "--db", str(database_path), "--as", "Alice", "chain", "1", "--drafter", "Alice"
    )
    assert named.status == 0, named
    source = tmp_path / "with-record.brief.json"
    export_file(database_path, "1", source)
    assert "clearance" in json.loads(source.read_text(encoding="utf-8"))
    before = stored(database_path)
    full = OperationalError("INSERT", {}, sqlite3.OperationalError("disk is full"))
    with patch("briefapp.db.clearance_store.add_record", side_effect=full):
        outcome = import_file(database_path, source, "--as-new")
    assert outcome.one_line_error == (
        f"The disk holding {database_path} is full; nothing was saved."
    )
    assert stored(database_path) == before
    listed = run_cli("--db", str(database_path), "list").stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["1"]
    tally(IMPORT_CASES)
