"""Paths and names from the user never put a file anywhere but where the user
chose: export names with ``..``, links, pipes and folders in their place, file
names suggested from a brief's reference, and database paths (``--db``,
``$BRIEFAPP_DB``). What ``write_atomically`` already promises is tested in
test_files.py; this builds on it."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefapp import paths
from briefapp.domain.errors import ExportError
from briefapp.services.files import file_stem, write_atomically
from tests.cli_in_process import run_cli
from tests.reliability import HOSTILE_PATHS, tally
from tests.strategies import REQUIRED_LINE

pytestmark = pytest.mark.reliability


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (not following links) and its content."""
    found = {}
    for folder, _folders, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {
        name
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    }


# An export name as typed: folders up and down, odd but legal names.
SEGMENTS = st.sampled_from(
    ["..", ".", "sub", "a b", "~", "", "-", "...", ".hidden", "link", "CON", "é"]
)
NAMES = st.tuples(
    st.lists(SEGMENTS, max_size=4), st.sampled_from(["x.docx", ".x", "~$x.docx"])
).map(lambda parts: "/".join([*parts[0], parts[1]]).lstrip("/"))  # relative


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp/a/b/c/d, with a ``sub`` folder at each level and a link to a
    folder beside the tree; the names are tried from tmp/a/b/c/d."""
    base = tmp_path / "a" / "b" / "c" / "d"
    for level in (base, *base.parents):
        if level == tmp_path:
            break
        (level / "sub").mkdir(parents=True)
    (tmp_path / "beside").mkdir()
    (base / "link").symlink_to(tmp_path / "beside")
    return base


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=NAMES)
def test_an_export_lands_where_its_name_points_and_nowhere_else(
    tmp_path: Path, tree: Path, name: str
) -> None:
    target = tree / name
    assert not Path(name).is_absolute()
    before = files_under(tmp_path)
    data = os.urandom(16)
    try:
        write_atomically(target, data)
        refusal = None
    except ExportError as error:
        refusal = str(error)
    event("refused" if refusal else "written")
    if refusal is not None:
        ends = ("does not exist.", "choose a file name.", "choose another name.")
        assert refusal.endswith(ends)
        assert changed(before, files_under(tmp_path)) == set()
    else:
        assert target.read_bytes() == data  # the place the name names
        written = Path(os.path.realpath(target)).relative_to(tmp_path)
        assert changed(before, files_under(tmp_path)) == {str(written)}
    tally(HOSTILE_PATHS)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "briefs.db"
    assert run_cli("--db", str(path), "list").status == 0
    return path


def test_an_export_through_a_link_to_nothing_is_refused(
    tmp_path: Path, database: Path
) -> None:
    """A link planted where the user exports would make a file elsewhere."""
    shared = tmp_path / "shared"
    shared.mkdir()
    planted = tmp_path / "home" / ".bashrc"
    planted.parent.mkdir()
    (shared / "brief.brief.json").symlink_to(planted)
    exported = run_cli(
        "--db", str(database), "export", "1", "-o", str(shared / "brief.brief.json")
    )
    assert exported.one_line_error == (
        f"{shared / 'brief.brief.json'} is a link to {planted}, which does not "
        "exist; choose another name or remove the link."
    )
    assert not planted.exists()
    assert files_under(shared) == {}
    tally(HOSTILE_PATHS)


@pytest.mark.parametrize("kind", ["pipe", "folder", "folder-with-slash"])
def test_an_export_over_a_pipe_or_a_folder_is_refused_at_once(
    tmp_path: Path, database: Path, kind: str
) -> None:
    target = tmp_path / "out.brief.json"
    if kind == "pipe":
        os.mkfifo(target)
    else:
        target.mkdir()
    given_name = str(target) + ("/" if kind == "folder-with-slash" else "")
    finished = threading.Event()
    outcome = []

    def export() -> None:
        outcome.append(run_cli("--db", str(database), "export", "1", "-o", given_name))
        finished.set()

    worker = threading.Thread(target=export, daemon=True)
    worker.start()
    # Opening a pipe to write waits for a reader for ever: it must not be opened.
    if not finished.wait(30):
        with open(target, "rb"):  # let the blocked export go
            pass
        pytest.fail("the export opened the pipe")
    if kind == "pipe":
        assert outcome[0].one_line_error == (
            f"{target} is not a plain file (a device or a pipe); choose another name."
        )
        assert stat.S_ISFIFO(target.stat().st_mode)
    else:
        assert outcome[0].one_line_error == f"{target} is a folder; choose a file name."
        assert list(target.iterdir()) == []
    tally(HOSTILE_PATHS)


def test_a_relative_export_name_is_taken_from_where_the_user_is(
    tmp_path: Path, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work" / "deep")
    before = files_under(tmp_path / "work")
    exported = run_cli("--db", str(database), "export", "1", "-o", "../up.brief.json")
    assert exported.status == 0
    assert changed(before, files_under(tmp_path / "work")) == {"up.brief.json"}
    tally(HOSTILE_PATHS)


# The window suggests export names from the brief's reference.
REFERENCES = st.lists(
    REQUIRED_LINE
    | st.sampled_from(
        ["/", "..", "\\", ":", "~", "*", "?", '"', "<", ">", "|", " ", ".", "-"]
    ),
    min_size=1,
    max_size=8,
).map("".join)


@settings(max_examples=100)
@given(reference=REFERENCES)
def test_a_reference_suggests_a_file_name_in_the_chosen_folder(reference: str) -> None:
    folder = Path("/chosen/folder")
    suggested = folder / f"{file_stem(reference)}.docx"
    assert suggested.parent == folder
    assert not suggested.name.startswith((".", "-"))
    assert not set('/\\:*?"<>|') & set(suggested.name)
    tally(HOSTILE_PATHS)


def test_a_long_reference_suggests_a_name_a_disk_takes(tmp_path: Path) -> None:
    for reference in ("Ü" * 500, "A" * 300 + "-" * 10 + "B", "-" * 400):
        name = f"{file_stem(reference)}-v12-review.docx"
        write_atomically(tmp_path / name, b"x")
        assert (tmp_path / name).read_bytes() == b"x"
        assert len(name.encode("utf-8")) <= 255
        assert not name.startswith(("-", "."))
        tally(HOSTILE_PATHS)


@pytest.mark.parametrize("how", ["--db", "BRIEFAPP_DB"])
@pytest.mark.parametrize(
    "name",
    [
        "briefs #1.db",
        "../../data/briefs.db",
        "briefs.db?mode=memory",
        "briefs%41.db",
        "briefs.db?uri=true&mode=memory",
    ],
)
def test_the_database_is_made_exactly_where_it_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, how: str
) -> None:
    work = tmp_path / "one" / "two"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    args = ["--db", name] if how == "--db" else []
    if how == "BRIEFAPP_DB":
        monkeypatch.setenv(paths.DB_ENV_VAR, name)
    first = run_cli(*args, "list")
    assert first.status == 0
    assert run_cli(*args, "list").stderr == ""  # the same database, found again
    chosen = Path(os.path.abspath(work / name))
    made = {str(tmp_path / p) for p in files_under(tmp_path)}
    assert str(chosen) in made
    # Besides it, only its backups, in the folder beside it.
    assert all(
        Path(p).parent in (chosen.parent, chosen.parent / "backups") for p in made
    )
    tally(HOSTILE_PATHS)


def test_a_folder_as_the_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert run_cli("--db", str(folder), "list").one_line_error == (
        f"{folder} is a folder, not a database file."
    )
    assert list(folder.iterdir()) == []
    tally(HOSTILE_PATHS)


def test_a_database_under_home_is_made_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(paths.DB_ENV_VAR, "~/briefs.db")
    assert run_cli("list").status == 0
    assert (tmp_path / "home" / "briefs.db").is_file()
    assert not Path("~").exists()
    tally(HOSTILE_PATHS)
