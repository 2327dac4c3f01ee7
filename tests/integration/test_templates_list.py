"""``briefapp templates list``: every row, in listing order, each printed as soon
as it is known; a progress line on a terminal; the second listing from the
cache."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from briefapp import paths
from briefapp.cli import main
from briefapp.domain.templates import TemplateCheck, TemplateInfo
from briefapp.services.export import ExportService
from tests.cli_in_process import run_cli

DATA = Path(__file__).parents[1] / "data" / "templates"
GOOD = paths.templates_dir() / "one-page-summary.docx"
BUILT_IN_ROWS = [
    ["decision-brief", "built-in", "en-GB", "ok"],
    ["decision-brief-lt", "built-in", "lt-LT", "ok"],
    ["one-page-summary", "built-in", "en-GB", "ok"],
    ["options-annex", "built-in", "en-GB", "ok"],
]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def odd_folder(tmp_path: Path) -> Path:
    """Templates whose file names hold a tab, a line break and a byte that is
    not UTF-8, and a broken one."""
    folder = tmp_path / "team"
    folder.mkdir()
    for name in (b"tab\there.docx", b"new\nline.docx", b"caf\xe9.docx"):
        shutil.copy(GOOD, os.path.join(os.fsencode(folder), name))
    shutil.copy(DATA / "misspelt-field.docx", folder / "broken.docx")
    return folder


def test_every_template_gets_one_row_whatever_its_name(
    tmp_path: Path, runs: list[str]
) -> None:
    folder = odd_folder(tmp_path)
    result = run_cli("templates", "list", "--templates", str(folder))
    assert (result.status, result.stderr) == (0, "")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [row[:4] for row in rows] == [
        *BUILT_IN_ROWS,
        ["broken", "template folder", "en-GB", "1 error"],
        ["caf\udce9", "template folder", "en-GB", "ok"],
        ["new\\nline", "template folder", "en-GB", "ok"],
        ["tab\\there", "template folder", "en-GB", "ok"],
    ]
    assert rows[5][4] == f"{folder}/caf\udce9.docx"
    assert rows[6][4] == f"{folder}/new\\nline.docx"
    assert len(runs) == 8

    again = run_cli("templates", "list", "--templates", str(folder))
    assert again.stdout == result.stdout
    assert len(runs) == 8  # every result came from the cache


def test_rows_come_in_listing_order_as_soon_as_they_are_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Results arriving last-first are held back until those above them are
    in; arriving in order, each row is printed before the next is checked."""
    printed_before: list[tuple[int, int]] = []
    out = io.StringIO()
    real = ExportService.check_templates

    def arriving(order: Callable[[list[Any]], list[Any]]) -> Callable[..., Any]:
        def check_templates(
            self: ExportService, templates: Sequence[TemplateInfo], *args: Any
        ) -> Iterator[tuple[int, TemplateCheck | Exception]]:
            for index, outcome in order(sorted(real(self, templates, *args))):
                printed_before.append((index, out.getvalue().count("\n")))
                yield index, outcome

        return check_templates

    for order in (list, lambda items: items[::-1]):
        out.seek(0)
        out.truncate()
        printed_before.clear()
        monkeypatch.setattr(ExportService, "check_templates", arriving(order))
        result = run_cli("templates", "list", stdout=out)
        assert [row.split("\t")[:4] for row in result.stdout.splitlines()] == (
            BUILT_IN_ROWS
        )
        if order is list:
            assert printed_before == [(0, 0), (1, 1), (2, 2), (3, 3)]
        else:
            assert printed_before == [(3, 0), (2, 0), (1, 0), (0, 0)]


def test_a_terminal_sees_how_many_are_checked(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(GOOD, folder / "team.docx")
    out, terminal = io.StringIO(), Terminal()
    with (
        redirect_stdout(out),
        redirect_stderr(terminal),
        patch("briefapp.app.configure_logging"),
    ):
        status = main(["templates", "list", "--templates", str(folder)])
    assert status == 0
    assert len(out.getvalue().splitlines()) == 5
    shown = terminal.getvalue().split("\r")
    assert shown[:2] == ["", "checking 0 of 5…"]
    progress = [text for text in shown if text.startswith("checking")]
    assert progress == [f"checking {n} of 5…" for n in range(6)]
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_no_progress_line_when_stderr_is_not_a_terminal() -> None:
    result = run_cli("templates", "list")
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 4
