"""The command line and references: one brief per reference, ids never reused,
an import of a used reference refused or done as asked; every problem of a
refused file on a line of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefapp import paths
from tests.cli_in_process import run_cli


def _file(tmp_path: Path, name: str = "again", **changes: str) -> Path:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"].update(changes)
    path = tmp_path / f"{name}.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def database_path(database_path: Path) -> Path:
    """A database with the demo brief as brief 1 (drafted by Ona), made by the
    command line."""
    assert run_cli("--db", str(database_path), "--as", "Ona", "list").status == 0
    return database_path


def _listed(database: Path) -> list[list[str]]:
    listed = run_cli("--db", str(database), "list")
    return sorted(line.split("\t")[:3] for line in listed.stdout.splitlines())


def test_an_import_of_a_used_reference_is_refused_naming_the_brief_and_the_flags(
    tmp_path: Path, database_path: Path
) -> None:
    result = run_cli("--db", str(database_path), "import", str(_file(tmp_path)))
    assert result.one_line_error == (
        "Reference MOD-2026-014 is already used by brief 1: import with --as-new "
        "to give this brief a new reference, or with --replace to replace brief 1 "
        "(a draft)."
    )
    assert _listed(database_path) == [["1", "draft", "MOD-2026-014"]]


def test_the_same_reference_in_another_case_and_spacing_is_the_same(
    tmp_path: Path, database_path: Path
) -> None:
    path = _file(tmp_path, reference="  mod-2026-014 ")
    result = run_cli("--db", str(database_path), "import", str(path))
    assert result.one_line_error.startswith(
        "Reference mod-2026-014 is already used by brief 1:"
    )


def test_import_as_new_numbers_the_reference_and_says_so(
    tmp_path: Path, database_path: Path
) -> None:
    db = str(database_path)
    path = _file(tmp_path)
    first = run_cli("--db", db, "import", "--as-new", str(path))
    second = run_cli("--db", db, "import", "--as-new", str(path))
    assert (first.status, first.stdout, first.stderr) == (
        0,
        "2\n",
        "briefapp: imported as MOD-2026-014 (2)\n",
    )
    assert (second.stdout, second.stderr) == (
        "3\n",
        "briefapp: imported as MOD-2026-014 (3)\n",
    )
    assert _listed(database_path) == [
        ["1", "draft", "MOD-2026-014"],
        ["2", "draft", "MOD-2026-014 (2)"],
        ["3", "draft", "MOD-2026-014 (3)"],
    ]


def test_import_replace_replaces_the_drafts_content_and_keeps_its_id(
    tmp_path: Path, database_path: Path
) -> None:
    path = _file(tmp_path, title="The title from the file")
    db = str(database_path)
    result = run_cli("--db", db, "--as", "Ona", "import", "--replace", str(path))
    assert (result.status, result.stdout) == (0, "1\n")
    listed = run_cli("--db", str(database_path), "list").stdout
    assert listed == "1\tdraft\tMOD-2026-014\tThe title from the file\n"


def test_import_replace_of_a_brief_past_draft_is_refused(
    tmp_path: Path, database_path: Path
) -> None:
    db = str(database_path)
    assert run_cli("--db", db, "--as", "Ona", "chain", "1", "--drafter", "Ona",
                   "--reviewer", "Rita", "--approver", "Algis").status == 0  # fmt: skip
    assert run_cli("--db", db, "--as", "Ona", "submit", "1").status == 0
    path = _file(tmp_path, title="Not to be used")
    result = run_cli("--db", db, "--as", "Ona", "import", "--replace", str(path))
    assert result.one_line_error == (
        "Brief 1 (MOD-2026-014) is in review; only a draft can be replaced by an "
        "import."
    )
    refused = run_cli("--db", db, "import", str(path))
    assert refused.one_line_error.endswith(
        "or with --replace to replace brief 1 (only a draft can be replaced)."
    )
    assert "Not to be used" not in run_cli("--db", db, "list").stdout


def test_both_flags_at_once_are_refused(tmp_path: Path, database_path: Path) -> None:
    path = str(_file(tmp_path))
    result = run_cli(
        "--db", str(database_path), "import", "--as-new", "--replace", path
    )
    assert result.status == 2
    assert "not allowed with argument" in result.stderr


def test_the_id_of_a_deleted_brief_is_never_given_again(
    tmp_path: Path, database_path: Path
) -> None:
    from briefapp.services.session import Locations, open_services

    db = str(database_path)
    second = run_cli("--db", db, "import", str(_file(tmp_path, reference="MOD-2")))
    assert second.stdout == "2\n"
    locations = Locations(
        paths.templates_dir(), tmp_path / "templates", paths.demo_brief_file()
    )
    services = open_services(database_path, locations)
    try:
        services.briefs.delete_brief(2)
    finally:
        services.close()
    third = run_cli("--db", db, "import", str(_file(tmp_path, reference="MOD-3")))
    assert third.stdout == "3\n"
    assert run_cli("--db", db, "export", "2", "-o", str(tmp_path / "x.brief.json")
                   ).one_line_error == "There is no brief with id 2."  # fmt: skip


def test_every_problem_of_a_refused_file_is_a_line_of_its_own(
    tmp_path: Path, database_path: Path
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["options"][2]["cost"]["amount"] = "lots"
    document["brief"]["deadline"] = "soon"
    document["brief"]["countries"][1]["notes"] = 7
    path = tmp_path / "bad.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("--db", str(database_path), "import", str(path))
    assert (result.status, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "briefapp: brief.deadline: must be a date written YYYY-MM-DD, or null",
        "briefapp: brief.countries[1].notes: must be a string, not a number",
        "briefapp: brief.options[2].cost.amount: not a decimal number",
    ]
    assert _listed(database_path) == [["1", "draft", "MOD-2026-014"]]
