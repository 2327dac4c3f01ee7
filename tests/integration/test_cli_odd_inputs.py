"""Odd inputs get a sentence naming the file, never "unexpected error": names
too long for the file system, relationships with an odd target mode; and
``templates check`` reports every file it is given."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.services import export
from briefapp.services.files import write_atomically
from tests.cli_in_process import run_cli

LONG = "x" * 300


@pytest.fixture
def database(database_path: Path) -> Path:
    assert run_cli("--db", str(database_path), "list").status == 0
    return database_path


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (["import", "{}"], ".brief.json"),
        (["update", "1", "{}"], ".brief.json"),
        (["export", "1", "-o", "{}"], ".brief.json"),
        (["render", "1", "-o", "{}"], ".docx"),
        (["render", "1", "-t", "{}", "-o", "out.docx"], ".docx"),
        (["review-copy", "1", "-o", "{}"], ".docx"),
        (["verify", "{}"], ".docx"),
        (["backup", "-o", "{}"], ".db"),
        (["restore", "{}"], ".db"),
        (["templates", "reference", "-o", "{}"], ".md"),
        (["templates", "list", "--templates", "{}"], ""),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else value,
)
def test_a_file_name_too_long_is_refused_with_a_sentence_naming_it(
    tmp_path: Path, database: Path, command: list[str], suffix: str
) -> None:
    long_path = str(tmp_path / f"{LONG}{suffix}")
    args = [a.replace("{}", long_path) for a in command]
    result = run_cli("--db", str(database), *args)
    size = len(LONG) + len(suffix)
    assert result.one_line_error == (
        f"The file name “{'x' * 40}…{(LONG + suffix)[-12:]}” in {tmp_path} is "
        f"{size} bytes long; the file system takes names of at most 255 bytes: "
        "choose a shorter name."
    )


def test_a_database_path_too_long_is_refused(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / f"{LONG}.db"), "list")
    assert "bytes long; the file system takes names of at most" in (
        result.one_line_error
    )
    assert list(tmp_path.iterdir()) == []


def test_a_name_that_just_fits_is_written(tmp_path: Path) -> None:
    """The temporary file beside it must not be the name that is too long."""
    target = tmp_path / ("y" * 250 + ".docx")
    write_atomically(target, b"data")
    assert target.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def _odd_mode_template(tmp_path: Path, mode: str, kind: str) -> Path:
    source = paths.templates_dir() / "one-page-summary.docx"
    made = tmp_path / f"odd-{kind}.docx"
    relationship = (
        '<Relationship Id="rId999" Type="http://schemas.openxmlformats.org/'
        f'officeDocument/2006/relationships/{kind}" Target="http://example.org/x" '
        f'TargetMode="{mode}"/>'
    ).encode()
    with zipfile.ZipFile(source) as given, zipfile.ZipFile(made, "w") as written:
        for item in given.infolist():
            data = given.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>", relationship + b"</Relationships>"
                )
            written.writestr(item, data)
    return made


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        ("external", "attachedTemplate"),
        ("external", "hyperlink"),
        (" External", "image"),
    ],
)
def test_an_odd_target_mode_is_refused_naming_the_relationship(
    tmp_path: Path, database: Path, mode: str, kind: str
) -> None:
    template = _odd_mode_template(tmp_path, mode, kind)
    result = run_cli(
        "--db", str(database), "render", "1", "-t", str(template),
        "-o", str(tmp_path / "out.docx"),
    )  # fmt: skip
    assert result.one_line_error == (
        f"The template {template.name} cannot be used: its relationship “rId999” "
        "in word/_rels/document.xml.rels has the target mode "
        f"“{mode}”, which is neither “External” nor “Internal”; save the "
        "document again in Word."
    )
    assert not (tmp_path / "out.docx").exists()


def test_templates_check_reports_every_file_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = _odd_mode_template(tmp_path, "external", "attachedTemplate")
    long_name = str(tmp_path / f"{LONG}.docx")
    exploding = tmp_path / "exploding.docx"
    exploding.write_bytes(odd.read_bytes())
    good = str(paths.templates_dir() / "one-page-summary.docx")
    real = export.ExportService.check_template

    def check(self: export.ExportService, choice: str, *args: object) -> object:
        if choice == str(exploding):
            raise RuntimeError("a bug in the checker")
        return real(self, choice, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(export.ExportService, "check_template", check)
    result = run_cli("templates", "check", long_name, str(odd), str(exploding), good)
    assert result.status == 1
    errors = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert errors[0].startswith(f"{long_name}: error: The file name “xxxx")
    assert errors[1].startswith(
        f"{odd}: error: package: its relationship “rId999” in "
        "word/_rels/document.xml.rels has the target mode “external”"
    )
    assert errors[2].startswith(f"{exploding}: error: not checked (unexpected error")
    assert errors[3:] == [f"{good}: ok"]
    assert result.stderr == "briefapp: 3 of 4 templates failed the check\n"


def test_a_backup_never_replaces_a_pipe_or_a_device(
    tmp_path: Path, database: Path
) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run_cli("--db", str(database), "backup", "-o", str(pipe))
    assert result.one_line_error == (
        f"{pipe} is not a plain file (a device or a pipe); choose another name."
    )
    assert stat.S_ISFIFO(pipe.stat().st_mode)
